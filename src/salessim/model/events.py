"""The model's events: what happened, as immutable records of ids and values.

Each record is a typed ``NamedTuple`` (immutable, no per-instance dict): the day it
happened, then ids (leads, reps, accounts, the rep's team as its manager's index) and
values. No record holds a live model object, so an observer can keep one without keeping
the model alive, and cannot change the model through it.

The model emits a record on the :class:`Bus` after it has acted. Observers (recorders,
the event log, the game's story) subscribe by record type. Nothing in the model listens
to the bus: control flows through explicit calls in a known order, so no behaviour
depends on who subscribed first.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, IntEnum
from typing import Any, NamedTuple

from salessim.scenario.base import Role
from salessim.scenario.pay_components import ComponentKind
from salessim.scenario.people import Tier


class Source(IntEnum):
    """Where a lead came from."""

    INBOUND = 0
    OUTBOUND = 1
    REFERRAL = 2


class LeadStatus(IntEnum):
    """Where a lead is in its life."""

    OPEN = 0
    WON = 1
    LOST = 2
    GONE_COLD = 3
    DISQUALIFIED = 4


class ExitKind(Enum):
    """Why a rep left its role: its own choice, the company's, or a promotion out of it."""

    VOLUNTARY = "voluntary"
    INVOLUNTARY = "involuntary"
    PROMOTED = "promoted"


class TaskKind(Enum):
    """The CSM work queued on an account."""

    ONBOARDING = "onboarding"
    RENEWAL = "renewal"


# ---------------------------------------------------------------------- leads and deals
class LeadCreated(NamedTuple):
    """A lead entered the funnel (``segment`` indexes the scenario's segments)."""

    day: float
    lead: int
    segment: int
    source: Source


class LeadWorkStarted(NamedTuple):
    """A rep started work on a lead's stage after it waited ``wait_days`` in the queue."""

    day: float
    lead: int
    stage: int
    role: Role
    rep: int
    wait_days: float


class LeadWentCold(NamedTuple):
    """A lead waited in a stage's queue past its patience."""

    day: float
    lead: int
    stage: int
    role: Role
    wait_days: float


class StageDone(NamedTuple):
    """A stage resolved: the lead converted (moves on) or not."""

    day: float
    lead: int
    stage: int
    rep: int
    converted: bool


class OpportunityCreated(NamedTuple):
    """A lead reached its first AE stage and became a deal worth ``value`` (list ARR)."""

    day: float
    lead: int
    value: float


class LeadClosed(NamedTuple):
    """A lead left the funnel: won, lost, gone cold or disqualified.

    ``arr`` is what a won deal books (``value`` after ``discount``, to win it, and
    ``concession``, for signing early), 0 otherwise; ``owner`` is the AE who owned the
    deal and ``sdr`` the SDR who qualified it (None: nobody).
    """

    day: float
    lead: int
    status: LeadStatus
    stage: int
    owner: int | None
    sdr: int | None
    value: float
    discount: float
    concession: float
    arr: float
    created_at: float
    opportunity_at: float | None


# ---------------------------------------------------------------------- customers
class AccountOpened(NamedTuple):
    """A won deal (``lead``; None for the starting book) became an account."""

    day: float
    account: int
    lead: int | None
    segment: int
    arr: float
    csm: int | None
    ae: int | None


class AccountWorkStarted(NamedTuple):
    """A CSM started onboarding or renewal work on an account."""

    day: float
    account: int
    task: TaskKind
    rep: int
    wait_days: float


class AccountRenewed(NamedTuple):
    """An account renewed, its ARR going from ``arr_before`` to ``arr_after``."""

    day: float
    account: int
    opened_at: float
    arr_before: float
    arr_after: float
    csm: int | None


class AccountChurned(NamedTuple):
    """An account left at renewal, taking ``arr_lost``."""

    day: float
    account: int
    opened_at: float
    arr_lost: float
    csm: int | None
    lead: int | None


# ---------------------------------------------------------------------- the calendar
class MonthEnded(NamedTuple):
    """Month ``month`` (0: the month of the start date) closed, before its month-end work."""

    day: float
    month: int


class QuarterEnded(NamedTuple):
    """A fiscal quarter (``2027Q3``) closed, after its month-end work."""

    day: float
    period: str


class YearEnded(NamedTuple):
    """A fiscal year (``FY2027``) closed, after its month-end work."""

    day: float
    period: str


# ---------------------------------------------------------------------- people
class RepHired(NamedTuple):
    """A rep was hired on ``pay`` a year (bootcamp first, then the team).

    ``tier`` places the rep's latent ability among the role's: star, core or laggard;
    ``ability`` is that ability over the role's mean (1: a typical rep).
    """

    day: float
    rep: int
    role: Role
    team: int
    tier: Tier | None
    ability: float
    pay: float
    hiring_cost: float
    days_to_fill: float


class RepLeft(NamedTuple):
    """A rep left; ``attainment`` is its trailing-year attainment (None: unknown).

    ``ability`` is its latent ability over the role's mean (1: a typical rep).
    """

    day: float
    rep: int
    role: Role
    team: int
    tier: Tier | None
    ability: float
    exit: ExitKind
    regretted: bool
    tenure_days: float
    attainment: float | None
    exit_cost: float


class PlanStarted(NamedTuple):
    """A rep was put on a performance plan."""

    day: float
    rep: int
    role: Role
    team: int


class PlanEnded(NamedTuple):
    """A performance plan ended: the rep was ``restored`` or let go."""

    day: float
    rep: int
    role: Role
    team: int
    restored: bool


class TrainingHeld(NamedTuple):
    """A training session for ``reps`` reps costing ``cost``."""

    day: float
    reps: int
    cost: float


class RecognitionGiven(NamedTuple):
    """Manager ``team`` recognised ``reps`` of its ``team_size`` reps, at ``cost`` in all."""

    day: float
    team: int
    reps: int
    team_size: int
    cost: float
    boost: float  # the morale each award added


# ---------------------------------------------------------------------- the script
class ScriptedEventFired(NamedTuple):
    """A scripted event of the scenario happened (``lasts_days`` None: for good)."""

    day: float
    kind: str
    factor: float
    lasts_days: float | None
    headline: str


class OfferMade(NamedTuple):
    """A competitor offered a rep ``offer`` times market pay."""

    day: float
    rep: int
    role: Role
    team: int
    offer: float


class OfferAnswered(NamedTuple):
    """A rep answered a competing offer: ``stayed``, and whether its pay was ``matched``."""

    day: float
    rep: int
    role: Role
    team: int
    offer: float
    stayed: bool
    matched: bool


# ---------------------------------------------------------------------- pay
class PayLine(NamedTuple):
    """One line of a rep's pay statement (see ``policies.compensation.Line``)."""

    day: float
    rep: int
    role: Role
    plan: str
    period: str
    component: ComponentKind
    measure: str
    credit: float
    rate: float
    amount: float
    held: float
    forfeited: float
    note: str


class PayPeriodClosed(NamedTuple):
    """A rep's quota period closed with ``credit`` against ``quota``.

    ``complete``: a whole period, fully ramped, run to its end (not cut by an exit).
    """

    day: float
    rep: int
    role: Role
    plan: str
    period: str
    quota: float
    credit: float
    complete: bool


class ContestHeld(NamedTuple):
    """A contest of plan ``plan`` over ``period`` paid its prizes to ``winners`` in order."""

    day: float
    plan: str
    period: str
    measure: str
    winners: tuple[int, ...]
    entrants: tuple[int, ...]


EVENT_TYPES: tuple[type[Any], ...] = (
    LeadCreated,
    LeadWorkStarted,
    LeadWentCold,
    StageDone,
    OpportunityCreated,
    LeadClosed,
    AccountOpened,
    AccountWorkStarted,
    AccountRenewed,
    AccountChurned,
    MonthEnded,
    QuarterEnded,
    YearEnded,
    RepHired,
    RepLeft,
    PlanStarted,
    PlanEnded,
    TrainingHeld,
    RecognitionGiven,
    ScriptedEventFired,
    OfferMade,
    OfferAnswered,
    PayLine,
    PayPeriodClosed,
    ContestHeld,
)
"""Every event type, in the order the event log lists its columns."""

Handler = Callable[[Any], object]


new_record = tuple.__new__
"""``new_record(kind, values)``: a ``kind`` record of all its fields' values, built in C."""


class Bus:
    """Delivers each emitted record to the observers of its type, in subscription order."""

    def __init__(self) -> None:
        self._handlers: dict[type[Any], list[Handler]] = {kind: [] for kind in EVENT_TYPES}

    def subscribe(self, kind: type[Any], handler: Handler) -> None:
        """Call ``handler(record)`` for every record of type ``kind``.

        Raises:
            ValueError: ``kind`` is not one of the model's event types.
        """
        if kind not in self._handlers:
            raise ValueError(f"{kind!r} is not a model event type")
        self._handlers[kind].append(handler)

    def emit(self, record: Any) -> None:
        """Deliver ``record`` to the observers of its type."""
        for handler in self._handlers[type(record)]:
            handler(record)

    def publish(self, kind: type[Any], values: tuple[Any, ...]) -> None:
        """Build a ``kind`` record of ``values`` (all its fields, in order) and deliver it.

        The tuple is built directly, without the record's constructor (a Python call, a
        third of a lead's cost in records), and not at all when nobody observes ``kind``.
        The funnel delivers the records every lead makes the same way, without this call
        (see ``observers``). ``tests/model/test_records.py`` checks that every record the
        model emits has all its fields.
        """
        handlers = self._handlers[kind]
        if handlers:
            record = new_record(kind, values)
            for handler in handlers:
                handler(record)

    def observers(self, kind: type[Any]) -> list[Handler]:
        """The observers of ``kind``: the bus's own list, which later subscriptions extend.

        For the hot paths of the model that deliver records themselves, as ``publish``
        does, without its call: build the record only if the list is not empty, then call
        each observer with it in order. Read it; never change it.
        """
        return self._handlers[kind]

    def wants(self, kind: type[Any]) -> bool:
        """Whether anyone observes ``kind`` (lets hot paths skip building the record)."""
        return bool(self._handlers[kind])
