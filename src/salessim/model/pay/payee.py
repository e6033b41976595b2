"""One rep's state on a pay plan: the plan, its open periods and the pay history.

A ``Payee`` holds which plan the rep is on (and a change due at the next boundary), the
open quota period (its account, dates and the team credit it opened with), the open
windows (parts of the plan judged over longer periods), this fiscal year's credit and
share of a year's quota carried, and the monthly pay the workforce reads. What the
current month has paid is the ledger's; advances owed are the draws'.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from salessim.model.entities import Rep
from salessim.model.pay.standing import Standing
from salessim.policies.compensation import PlanAccount
from salessim.scenario.measures import Measure
from salessim.scenario.plans import Plan

EPSILON = 1e-6  # days (or shares of a period) this close count as equal
PAY_HISTORY_MONTHS = 6  # months on a plan before a rep judges pay by what it earns


@dataclass(eq=False)
class Window:
    """An open period of the components judged over a longer period than the quota's."""

    plan: Plan  # the plan's part for this period
    account: PlanAccount
    start: float
    end: float
    label: str


@dataclass(eq=False)
class Payee:
    """One rep on a plan: the plan, the open period and the months it has paid.

    ``account`` follows the quota period; ``windows`` hold the open periods of parts of
    the plan judged over longer periods (an annual true-up in a quarterly plan).
    """

    rep: Rep
    plan_name: str
    plan: Plan
    since: float  # on the payroll since
    standing: Standing  # the rep's quota and credit against it
    account: PlanAccount = field(init=False)
    start: float = 0.0
    end: float = 0.0
    label: str = ""
    carried: float = 0.0  # share of a full year's quota this period carries
    months_on_plan: int = 0
    earned: deque[float] = field(default_factory=lambda: deque(maxlen=12))
    year_credit: float = 0.0
    year_carried: float = 0.0
    team_marks: dict[int, float] = field(default_factory=dict)  # by component: team credit
    pending: str | None = None  # the plan to take at the next boundary
    measures: frozenset[Measure] = field(init=False)
    has_spif: bool = field(init=False)
    has_clawback: bool = field(init=False)
    parts: list[Plan] = field(init=False)  # by period, the quota's first
    windows: list[Window] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.take(self.plan_name, self.plan)

    def take(self, name: str, plan: Plan) -> None:
        """Go on ``plan``."""
        self.plan_name, self.plan, self.pending = name, plan, None
        self.measures = frozenset(plan.measures_named())
        self.has_spif = any(component.spif is not None for component in plan.components)
        self.has_clawback = any(c.clawback is not None for c in plan.components)
        self.parts = plan.by_period()
        self.windows = []

    def end_month(self, pay: float, *, measured: bool) -> None:
        """Close a month on the plan that paid ``pay``.

        Once ``PAY_HISTORY_MONTHS`` measured months are recorded, the rep's pay is twelve
        times the mean of the last (up to) twelve of them.

        Args:
            pay: every line of the month, incentives, base and draws.
            measured: the month counts in the pay history (it is past the warm-up).
        """
        if measured:
            self.earned.append(pay)
        self.months_on_plan += 1
        if len(self.earned) >= PAY_HISTORY_MONTHS:
            self.rep.pay = sum(self.earned) * 12 / len(self.earned)
