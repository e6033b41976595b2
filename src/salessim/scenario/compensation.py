"""Compensation plans as data: pay, quota, measures and the components that pay.

A plan pays a ``base`` salary and a ``target_incentive`` at 100% of quota. The quota has
an amount a year (a ratio for the retention measures), a period (month, quarter, half or
year) and a measure. Components, each in its own entry of ``components``:

- ``commission``: pay per unit of credit by attainment band within the period; a deal
  that crosses a band is split. ``threshold``: credit below it pays nothing. ``gate``:
  commission is held until attainment reaches it, then released; forfeited if never.
  ``cap``: the most it pays in a period, as a multiple of the period's target incentive.
- ``bonus``: lump sums paid once in a period when attainment reaches each tier.
- ``spif``: extra pay on credit from chosen segments, sources or technical deals.
- ``contest``: prizes for the top reps on a measure over each window.
- ``clawback``: commission on a new logo is taken back if it churns within a time.
- ``draw``: a monthly floor on incentive pay for new reps; recoverable or not.
- ``team``: pay on the credit of the whole company or the rep's manager's team.

``compensation.assign`` puts each role on a plan; ``compensation.changes`` moves roles to
other plans from a date, effective at the next boundary of the plan's period.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from salessim.scenario.base import Frozen, Money, NonNegative, PositiveDays, Probability, Role


class Period(StrEnum):
    """A quota or payout period, aligned to the fiscal year."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def months(self) -> int:
        """Months in one period."""
        return {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.value]

    @property
    def per_year(self) -> int:
        """Periods in a year."""
        return 12 // self.months


class Measure(StrEnum):
    """What a rep is credited for."""

    MEETINGS = "meetings"  # SDR: qualified leads handed to an AE
    SQLS = "sqls"  # SDR: sourced leads the AE accepts (pass the first AE stage)
    PIPELINE_SOURCED = "pipeline_sourced"  # SDR: deal value of accepted sourced leads
    SOURCED_WON = "sourced_won"  # SDR: ARR won on sourced leads
    NEW_ARR = "new_arr"  # AE: new-logo ARR won, net of discount
    TECHNICAL_WINS = "technical_wins"  # specialist: technical stages passed
    RENEWAL_ARR = "renewal_arr"  # AE (accounts they won) or CSM: ARR renewed, up to the old
    EXPANSION_ARR = "expansion_arr"  # AE (accounts they won) or CSM: ARR growth at renewal
    GROSS_RETENTION = "gross_retention"  # CSM: ARR renewed over ARR due (a ratio)
    NET_RETENTION = "net_retention"  # CSM: ARR after renewal over ARR due (a ratio)
    ON_TIME_RENEWALS = "on_time_renewals"  # CSM: renewals prepared in time over due

    @property
    def is_ratio(self) -> bool:
        """A ratio measure's quota is a rate of what came due, known at period end."""
        return self in RATIO_MEASURES


RATIO_MEASURES = frozenset(
    {Measure.GROSS_RETENTION, Measure.NET_RETENTION, Measure.ON_TIME_RENEWALS}
)
COUNT_MEASURES = frozenset(
    {Measure.MEETINGS, Measure.SQLS, Measure.TECHNICAL_WINS, Measure.ON_TIME_RENEWALS}
)
ROLE_MEASURES: dict[Role, frozenset[Measure]] = {
    Role.SDR: frozenset(
        {Measure.MEETINGS, Measure.SQLS, Measure.PIPELINE_SOURCED, Measure.SOURCED_WON}
    ),
    Role.AE: frozenset({Measure.NEW_ARR, Measure.RENEWAL_ARR, Measure.EXPANSION_ARR}),
    Role.SPECIALIST: frozenset({Measure.TECHNICAL_WINS}),
    Role.CSM: frozenset(
        {
            Measure.RENEWAL_ARR,
            Measure.EXPANSION_ARR,
            Measure.GROSS_RETENTION,
            Measure.NET_RETENTION,
            Measure.ON_TIME_RENEWALS,
        }
    ),
    Role.MANAGER: frozenset(Measure) - RATIO_MEASURES,  # credited with the team's credit
}
DEFAULT_MEASURE: dict[Role, Measure] = {
    Role.SDR: Measure.MEETINGS,
    Role.AE: Measure.NEW_ARR,
    Role.SPECIALIST: Measure.TECHNICAL_WINS,
    Role.CSM: Measure.GROSS_RETENTION,
    Role.MANAGER: Measure.NEW_ARR,
}
SourceName = Literal["inbound", "outbound", "referral"]


class Quota(Frozen):
    """What a rep is asked to deliver: ``amount`` a year in ``measure``, per ``period``."""

    amount: Money = Field(description="Annual quota; for a ratio measure, the target ratio.")
    period: Period = Period.YEAR
    measure: Measure | None = Field(default=None, description="Defaults to the role's measure.")
    ramp_adjusted: bool = Field(
        default=True, description="Scale a ramping rep's period quota by the ramp."
    )


class Band(Frozen):
    """From attainment ``start`` on, each unit of credit pays ``rate``."""

    start: NonNegative = Field(alias="from")
    rate: NonNegative

    model_config = Frozen.model_config | {"populate_by_name": True}


class Commission(Frozen):
    """Pay per unit of credit by attainment band, with a threshold, a gate and a cap."""

    rates: list[Band] = Field(min_length=1)
    measure: Measure | None = Field(default=None, description="Defaults to the quota's.")
    threshold: NonNegative = Field(
        default=0.0, description="Attainment below which credit pays nothing."
    )
    gate: NonNegative = Field(
        default=0.0, description="Attainment before which commission is held, not paid."
    )
    cap: NonNegative | None = Field(
        default=None, description="Most the component pays in a period, x period target incentive."
    )
    period: Period | None = Field(
        default=None, description="Judge attainment over this longer period (default: quota's)."
    )

    @model_validator(mode="after")
    def _bands_in_order(self) -> Commission:
        starts = [band.start for band in self.rates]
        if starts[0] != 0:
            raise ValueError("the first rate band must start from 0")
        if any(b <= a for a, b in itertools.pairwise(starts)):
            raise ValueError("rate bands must start at increasing attainments")
        return self


class Tier(Frozen):
    """A bonus of ``amount`` once attainment reaches ``at``."""

    at: NonNegative
    amount: Money


class Bonus(Frozen):
    """Lump sums at attainment tiers, each paid at most once a period."""

    tiers: list[Tier] = Field(min_length=1)
    period: Period | None = Field(
        default=None, description="Judge attainment over this longer period (default: quota's)."
    )

    @model_validator(mode="after")
    def _tiers_in_order(self) -> Bonus:
        if any(b.at <= a.at for a, b in itertools.pairwise(self.tiers)):
            raise ValueError("bonus tiers must be at increasing attainments")
        return self


class Spif(Frozen):
    """Extra pay on matching credit: ``per_deal`` plus ``rate`` per unit, within dates."""

    measure: Measure | None = Field(default=None, description="Defaults to the quota's.")
    segments: list[str] = Field(default_factory=list, description="Empty means every segment.")
    sources: list[SourceName] = Field(default_factory=list, description="Empty means any.")
    technical: bool | None = Field(
        default=None, description="Only deals that need (true) or skip (false) a specialist."
    )
    per_deal: Money = 0.0
    rate: NonNegative = 0.0
    start: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None

    model_config = Frozen.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _pays_something(self) -> Spif:
        if self.per_deal == 0 and self.rate == 0:
            raise ValueError("a spif needs per_deal or rate")
        if self.start and self.until and self.until <= self.start:
            raise ValueError("a spif's until must come after its from")
        return self


class Contest(Frozen):
    """Prizes for the reps with the most credit in each window of ``every``.

    Give ranked ``prizes`` (first place first), or ``winners`` sharing an equal ``prize``.
    Only reps with some credit in the window can win; ties go to the lower rep id.
    """

    measure: Measure | None = Field(default=None, description="Defaults to the quota's.")
    every: Period = Period.QUARTER
    prizes: list[Money] = Field(default_factory=list)
    winners: int = Field(default=0, ge=0)
    prize: Money = 0.0
    start: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None

    model_config = Frozen.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _one_prize_form(self) -> Contest:
        ranked, equal = bool(self.prizes), bool(self.winners or self.prize)
        if ranked == equal:
            raise ValueError("give ranked prizes, or winners and an equal prize")
        if equal and not (self.winners and self.prize):
            raise ValueError("equal prizes need both winners and prize")
        return self

    @property
    def awards(self) -> list[float]:
        """Prize by place, first place first."""
        return list(self.prizes) if self.prizes else [self.prize] * self.winners


class Clawback(Frozen):
    """Take back ``share`` of a new logo's commission if it churns within ``within``."""

    within: PositiveDays
    share: Probability = 1.0


class Draw(Frozen):
    """For the first ``months`` on the plan, incentive pay of at least ``amount`` a month.

    A recoverable draw is an advance: what it added is taken back from later incentive
    pay. A non-recoverable draw is kept. An advance still owed when a rep leaves is
    written off.
    """

    amount: Money
    months: int = Field(ge=1)
    recoverable: bool = True


class Team(Frozen):
    """Pay on the team's credit in ``measure`` each period: ``rate`` per unit.

    ``scope`` is the whole company or the rep's manager's reps. ``split: each`` pays every
    member on the team's total; ``split: pool`` divides one pool among the plan's members.
    """

    measure: Measure
    rate: NonNegative
    scope: Literal["company", "manager"] = "company"
    split: Literal["each", "pool"] = "pool"


COMPONENT_KINDS = ("commission", "bonus", "spif", "contest", "clawback", "draw", "team")


class Component(Frozen):
    """One pay component: give exactly one of the forms."""

    commission: Commission | None = None
    bonus: Bonus | None = None
    spif: Spif | None = None
    contest: Contest | None = None
    clawback: Clawback | None = None
    draw: Draw | None = None
    team: Team | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Component:
        given = [name for name in COMPONENT_KINDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(COMPONENT_KINDS)}")
        return self

    @property
    def kind(self) -> str:
        """The form given."""
        return next(name for name in COMPONENT_KINDS if getattr(self, name) is not None)

    @property
    def form(self) -> Frozen:
        """The given form's parameters."""
        return getattr(self, self.kind)  # type: ignore[no-any-return]


class Plan(Frozen):
    """Base pay, target incentive, quota and the components that pay the incentive."""

    role: Role
    base: Money
    target_incentive: Money
    quota: Quota
    components: list[Component] = Field(default_factory=list)

    @model_validator(mode="after")
    def _measures_fit_the_role(self) -> Plan:
        allowed = ROLE_MEASURES[self.role]
        problems = []
        for measure in self.measures_named():
            if measure not in allowed and self.role is not Role.MANAGER:
                problems.append(
                    f"a {self.role.value} is not credited with {measure.value} "
                    f"(use {', '.join(sorted(m.value for m in allowed))})"
                )
        for component in self.components:
            period = getattr(component.form, "period", None)
            if period is not None and period.months < self.quota.period.months:
                problems.append(
                    f"a {component.kind} period ({period.value}) cannot be shorter than the "
                    f"quota's ({self.quota.period.value})"
                )
        kinds = [component.kind for component in self.components]
        for single in ("clawback", "draw"):
            if kinds.count(single) > 1:
                problems.append(f"a plan takes at most one {single}")
        for component in self.components:
            form = component.form
            counted = getattr(form, "measure", None)
            if component.kind != "team" and counted is not None and counted.is_ratio:
                problems.append(
                    f"{component.kind} on {counted.value}: a ratio measure "
                    "counts only as the quota's measure"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def measures_named(self) -> list[Measure]:
        """Measures the plan names for its own credit (team measures are others')."""
        named = [self.quota_measure]
        for component in self.components:
            measure = getattr(component.form, "measure", None)
            if measure is not None and component.kind != "team":
                named.append(measure)
        return named

    def by_period(self) -> list[Plan]:
        """The plan split by the period each component is judged over, the quota's first.

        Each part keeps the plan's quota and target incentive a year, so a part's period
        quota and target are the year's share.
        """
        groups: dict[Period, list[Component]] = {self.quota.period: []}
        for component in self.components:
            period = getattr(component.form, "period", None) or self.quota.period
            groups.setdefault(period, []).append(component)
        return [
            self.model_copy(
                update={
                    "quota": self.quota.model_copy(update={"period": period}),
                    "components": components,
                }
            )
            for period, components in groups.items()
        ]

    @property
    def quota_measure(self) -> Measure:
        """The measure the quota counts."""
        return self.quota.measure or DEFAULT_MEASURE[self.role]

    @property
    def on_target_earnings(self) -> float:
        """Base plus target incentive."""
        return self.base + self.target_incentive

    @property
    def pay_mix(self) -> float:
        """Share of on-target earnings that is base salary."""
        ote = self.on_target_earnings
        return self.base / ote if ote else 1.0


class PlanChange(Frozen):
    """From ``at``, move roles to other plans (each at its next period boundary)."""

    at: dt.date
    assign: dict[str, str] = Field(min_length=1)


class Compensation(Frozen):
    """The plans and who is on them."""

    plans: dict[str, Plan] = Field(default_factory=dict)
    assign: dict[str, str] = Field(
        default_factory=dict, description="Plan name per role (sdr, ae, specialist, csm, manager)."
    )
    changes: list[PlanChange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _assignments_exist(self) -> Compensation:
        problems = []
        for where, assign in [("assign", self.assign)] + [
            (f"changes[{i}].assign", change.assign) for i, change in enumerate(self.changes)
        ]:
            for role, name in assign.items():
                if role not in Role.__members__.values():
                    problems.append(
                        f"{where}: {role!r} is not a role ({', '.join(r.value for r in Role)})"
                    )
                elif name not in self.plans:
                    known = ", ".join(sorted(self.plans)) or "none defined"
                    problems.append(f"{where}.{role}: no plan named {name!r} ({known})")
                elif (plan_role := self.plans[name].role.value) != role:
                    problems.append(f"{where}.{role}: plan {name!r} is for the {plan_role} role")
        dates = [change.at for change in self.changes]
        if dates != sorted(dates):
            problems.append("changes must be in date order")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def plan_of(self, role: Role) -> Plan | None:
        """The plan ``role`` starts on, if any."""
        name = self.assign.get(role.value)
        return self.plans[name] if name is not None else None


class QuotaMethod(StrEnum):
    """How each fiscal year's quotas are set."""

    FIXED = "fixed"
    TOP_DOWN = "top_down"
    CAPACITY = "capacity"
    RATCHET = "ratchet"


class QuotaSetting(Frozen):
    """Setting a role's quotas at each fiscal-year start (see docs/compensation.md).

    - ``fixed``: the plan's amount.
    - ``top_down``: the role's ``target`` (or last year's credit x (1 + ``growth``)),
      times ``over_assignment``, shared by expected ramped capacity.
    - ``capacity``: last year's credit per ramped rep-year, x (1 + ``growth``).
    - ``ratchet``: last quota x (1 + ``up`` x (attainment - 1)) above 100%, or
      x (1 - ``down`` x (1 - attainment)) below, within ``floor`` and ``ceiling`` times
      the plan's amount.
    """

    method: QuotaMethod = QuotaMethod.FIXED
    target: Money | None = Field(default=None, description="top_down: the role's annual target.")
    growth: float = Field(default=0.0, ge=-0.9, description="Growth on last year's credit.")
    over_assignment: float = Field(default=1.0, ge=1.0)
    up: NonNegative = 0.5
    down: NonNegative = 0.2
    floor: NonNegative = 0.5
    ceiling: NonNegative = 2.0


def term_at(plans: Mapping[str, Plan], path: str) -> object | None:
    """The value at ``path`` under the plans, e.g. ``ae.components.0.commission.cap``.

    None when there is nothing at that path.
    """
    found: object = plans
    for part in path.split("."):
        if isinstance(found, Mapping):
            found = found.get(part)
        elif isinstance(found, list):
            found = found[int(part)] if part.isdigit() and int(part) < len(found) else None
        else:
            found = getattr(found, part, None)
    return found
