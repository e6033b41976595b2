"""Read-only views of the model's state: the recorder's snapshot, a controller's view."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salessim.scenario.base import Role


@dataclass(frozen=True)
class Snapshot:
    """The model's state at one moment: stocks and time integrals the recorder reads."""

    now: float
    label: str
    arr: float
    logos: int
    open_leads: int
    stage_count: list[int]
    stage_value: list[float]
    headcount: dict[str, int]
    waiting_area: dict[str, float]
    busy_area: dict[str, float]
    staffed_area: dict[str, float]
    headcount_area: dict[str, float]
    ramped_area: dict[str, float]
    manager_hours: dict[str, float]  # cumulative, by activity
    manager_hours_available: float  # cumulative
    coaching_asked: float  # cumulative hours the coaching policy asked of the managers
    managers: int  # first-line managers now
    ability_mean: float  # mean latent ability of the employed over their role's mean
    coaching_hours: float
    morale_mean: float
    open_requisitions: int
    roster: list[tuple[str, float, float | None, bool]]
    """(role, tenure in days, trailing attainment or None, fully ramped) per employed rep."""


@dataclass(frozen=True)
class BookView:
    """The live accounts now: ``ids`` ascending and the ARR of each (``arr``), 12 bytes each."""

    ids: np.ndarray
    arr: np.ndarray


@dataclass(frozen=True)
class RepView:
    """One employed rep as a manager can know it (and its quit hazard, which a game hides).

    ``ramp`` is productivity (0 in bootcamp, 1 ramped); ``attainment`` the trailing year's
    (None: unknown); ``quit_hazard`` the chance a day of a voluntary exit now.
    """

    id: int
    role: Role
    team: int
    tenure_days: float
    ramp: float
    on_team: bool
    attainment: float | None
    morale: float
    on_plan: bool
    pay: float
    quit_hazard: float
    run_rate_pay: float | None = None  # a year of its plan at its trailing attainment
    pay_months: int = 0  # months of pay on its plan that ``pay`` averages (up to 12)


@dataclass(frozen=True)
class RequisitionView:
    """An open requisition: its role, when it opened, when its search starts, its offer.

    ``offer`` is a multiple of market pay (None: the role's usual offer). The search
    starts after a backfill delay; the candidate's arrival is not known in advance.
    """

    role: Role
    opened: float
    search_from: float
    offer: float | None


@dataclass(frozen=True)
class StageView:
    """Deals (or leads) now in a funnel stage, and their list value."""

    name: str
    count: int
    value: float


@dataclass(frozen=True)
class OrgView:
    """The organisation now, read-only: what a game or a classroom shows and decides on."""

    day: float
    roster: tuple[RepView, ...]  # employed reps, role by role, by id
    open_requisitions: dict[Role, int]
    requisitions: tuple[RequisitionView, ...]  # every open requisition, oldest first
    targets: dict[Role, int]  # the headcount the company staffs each role to (after cuts)
    recent_departures: dict[Role, int]  # exits in the last three months, this one included
    pipeline: tuple[StageView, ...]
    arr: float
    accounts: int
    capacity: dict[Role, float]  # ramped capacity now: the sum of productivity on the team
    ramped_area: dict[Role, float]  # its time integral since day 0 (capacity-days)
    monthly_pay: float  # on-target pay a month of everyone employed and the managers
    offers: dict[int, float]  # competing offers held for an answer: rep -> x market pay
