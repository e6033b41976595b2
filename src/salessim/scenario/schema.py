"""The scenario: frozen, validated data describing an organisation and its market.

Every section has defaults, so a scenario file states only what differs. Cross-field
checks happen here, once, at load; the model receives these objects and never YAML.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from salessim.scenario.base import (
    WORKING_ROLES,
    Days,
    Frozen,
    Money,
    NonNegative,
    Positive,
    PositiveDays,
    Probability,
    RatePerDay,
    Role,
    Share,
)
from salessim.scenario.behaviour import Behaviour
from salessim.scenario.compensation import Compensation, QuotaSetting, term_at
from salessim.scenario.dists import Dist, non_negative
from salessim.scenario.game import GameRules
from salessim.scenario.people import (
    Attrition,
    Coaching,
    Hiring,
    ManagerTime,
    Performance,
    Ramp,
    Reassignment,
    Recognition,
    Staffing,
    Training,
    Workforce,
)
from salessim.scenario.units import DAYS_PER_MONTH

PositiveDist = Annotated[Dist, AfterValidator(non_negative)]


class Routing(StrEnum):
    """How a new piece of work picks among the idle reps of a team."""

    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    SKILL_WEIGHTED = "skill_weighted"


class Ownership(StrEnum):
    """Whether a deal stays with the AE who first worked it."""

    STICKY = "sticky"
    POOLED = "pooled"


class Outcome(StrEnum):
    """Where a lead goes when a stage ends without a conversion."""

    LOST = "lost"
    DISQUALIFIED = "disqualified"
    WON = "won"


class When(StrEnum):
    """Which deals pass through a stage."""

    ALL = "all"
    NEEDS_SPECIALIST = "needs_specialist"


# ----------------------------------------------------------------------------- metadata
class Meta(Frozen):
    """What the scenario is and what it teaches."""

    name: str = "Untitled scenario"
    description: str = ""
    learning_goals: list[str] = Field(default_factory=list)


class Calendar(Frozen):
    """The simulated period and the fiscal calendar."""

    start_date: dt.date = dt.date(2027, 1, 1)
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    horizon: PositiveDays = Field(default=3 * 365.25, description="Simulated time after warm-up.")
    warmup: Days = Field(default=0.0, description="Time simulated before measuring starts.")


# ----------------------------------------------------------------------------- market
class Inbound(Frozen):
    """Inbound leads: a Poisson process with monthly seasonality."""

    rate: RatePerDay = Field(default=0.0, description="Mean arrivals, e.g. 400/mo.")
    seasonality: list[Positive] = Field(
        default_factory=lambda: [1.0] * 12,
        min_length=12,
        max_length=12,
        description="Rate multipliers for January to December.",
    )


class Segment(Frozen):
    """A market segment: how many leads it sends, what its deals are worth and how they behave."""

    inbound: Inbound = Inbound()
    outbound_weight: NonNegative = Field(
        default=1.0, description="Relative share of outbound leads prospected in this segment."
    )
    deal_value: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": 40_000, "cv": 0.5}}),
        description="Annual contract value (ARR) of a deal.",
    )
    fit: Annotated[Dist, AfterValidator(non_negative)] = Field(
        default_factory=lambda: Dist.model_validate({"beta": {"mean": 0.6, "sd": 0.15}}),
        description="Lead fit on [0, 1]; better-fit leads convert more and churn less.",
    )
    needs_specialist: Probability = Field(
        default=0.3, description="Chance a deal needs a specialist."
    )
    conversion_odds: Positive = Field(
        default=1.0, description="Multiplier on every stage's conversion odds."
    )
    contract_term: PositiveDays = Field(default=365.25, description="Length of a contract.")


class Outbound(Frozen):
    """Outbound leads, in proportion to SDR prospecting time."""

    leads_per_prospecting_hour: NonNegative = 0.0


class Market(Frozen):
    """Segments and lead sources."""

    segments: dict[str, Segment] = Field(
        default_factory=lambda: {"mid_market": Segment(inbound=Inbound(rate=300 / 30.4375))},
        min_length=1,
    )
    outbound: Outbound = Outbound()

    @model_validator(mode="after")
    def _outbound_has_a_segment(self) -> Market:
        if self.outbound.leads_per_prospecting_hour > 0 and not any(
            s.outbound_weight > 0 for s in self.segments.values()
        ):
            raise ValueError("outbound prospecting needs a segment with outbound_weight > 0")
        return self


# ----------------------------------------------------------------------------- funnel
class Stage(Frozen):
    """One funnel stage: queue for a rep of ``role``, work, wait on the customer, then convert.

    A lead either converts with probability ``convert`` (scaled in odds by rep skill, lead
    fit and segment) and moves to ``next`` (default: the following stage; after the last,
    ``won``), or goes to ``on_fail``. ``routes`` replaces that with fixed routing
    probabilities to named stages or outcomes, the rest going to ``on_fail``.
    """

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    role: Role
    work: PositiveDist = Field(description="Rep work time for this stage (time at full effort).")
    lag: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate(0),
        description="Customer-side delay after the work, before the outcome.",
    )
    patience: PositiveDist | None = Field(
        default=None,
        description="How long a lead waits in this stage's queue before going cold.",
    )
    convert: Probability = 1.0
    next: str | None = None
    on_fail: Outcome = Outcome.LOST
    routes: dict[str, Probability] | None = None
    when: When = When.ALL

    @model_validator(mode="after")
    def _routes_sum(self) -> Stage:
        if self.role == Role.MANAGER:
            raise ValueError("managers do not work funnel stages")
        if self.routes is not None and sum(self.routes.values()) > 1 + 1e-9:
            raise ValueError(f"routes add up to {sum(self.routes.values()):g}, more than 1")
        return self


class Conversion(Frozen):
    """How skill and fit move a stage's conversion odds."""

    skill_elasticity: NonNegative = Field(
        default=1.0, description="Odds scale with skill ** skill_elasticity."
    )
    fit_elasticity: NonNegative = Field(
        default=1.0, description="Odds scale with (fit / mean fit) ** fit_elasticity."
    )


def _default_stages() -> list[Stage]:
    def stage(name: str, role: Role, work: str, lag: float, convert: float, **kw: object) -> Stage:
        return Stage.model_validate(
            {
                "name": name,
                "role": role,
                "work": {"exponential": {"mean": work}},
                "lag": {"lognormal": {"mean": lag, "cv": 0.8}} if lag else 0,
                "convert": convert,
                **kw,
            }
        )

    return [
        stage(
            "qualification",
            Role.SDR,
            "1.5h",
            0,
            0.35,
            on_fail="disqualified",
            patience={"exponential": {"mean": "5d"}},
        ),
        stage("discovery", Role.AE, "1.5h", 7, 0.6),
        stage("demo", Role.AE, "3h", 12, 0.6),
        stage("technical_validation", Role.SPECIALIST, "4h", 7, 0.85, when="needs_specialist"),
        stage("proposal", Role.AE, "4h", 12, 0.7),
        stage("negotiation", Role.AE, "3h", 14, 0.8),
    ]


class Funnel(Frozen):
    """The stages a lead passes through, in order."""

    stages: list[Stage] = Field(default_factory=_default_stages, min_length=1)
    conversion: Conversion = Conversion()

    @model_validator(mode="after")
    def _targets_exist(self) -> Funnel:
        names = [s.name for s in self.stages]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"stage names must be unique; repeated: {', '.join(dupes)}")
        targets = set(names) | {o.value for o in Outcome}
        for s in self.stages:
            for target in ([s.next] if s.next else []) + list(s.routes or {}):
                if target not in targets:
                    raise ValueError(
                        f"stage {s.name!r} routes to {target!r}, which is neither a stage "
                        f"nor an outcome ({', '.join(sorted(targets))})"
                    )
        return self

    def index(self, name: str) -> int:
        """The position of the named stage."""
        return [s.name for s in self.stages].index(name)


# ----------------------------------------------------------------------------- roles
class RoleSpec(Frozen):
    """Headcount, working time, ability, pay, ramp, hiring and attrition of one role."""

    headcount: int = Field(default=0, ge=0, description="Headcount at the start.")
    hours_per_week: Positive = Field(default=40.0, le=168.0)
    selling_share: Share = Field(
        default=0.6, description="Share of working hours spent on queued funnel or account work."
    )
    prospecting_share: Share = Field(
        default=0.0, description="SDRs: share of working hours spent prospecting outbound."
    )
    skill: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": 1.0, "cv": 0.25}}),
        description="Latent ability; 1 is average.",
    )
    market_pay: Money = Field(default=100_000, description="Annual on-target pay elsewhere.")
    pay: Money | None = Field(
        default=None,
        description="Annual on-target pay of every rep in the role (hires too, so it sets the "
        "offer); unset, each rep keeps the pay offered at hire.",
    )
    quota: Money | None = Field(
        default=None,
        description="Annual quota in the role's measure; none means attainment is unknown.",
    )
    ramp: Ramp = Ramp(linear=3 * DAYS_PER_MONTH)
    hiring: Hiring = Hiring()
    attrition: Attrition = Attrition()

    @model_validator(mode="after")
    def _shares(self) -> RoleSpec:
        if self.selling_share + self.prospecting_share > 1 + 1e-9:
            raise ValueError("selling_share + prospecting_share must not exceed 1")
        if self.market_pay <= 0 or (self.pay is not None and self.pay <= 0):
            raise ValueError("market_pay and pay must be more than 0")
        return self


class SdrSpec(RoleSpec):
    """SDRs: half their time on the lead queue, 30% prospecting. Quota: qualified leads a year."""

    headcount: int = Field(default=8, ge=0, description="Headcount at the start.")
    selling_share: Share = 0.5
    prospecting_share: Share = 0.3
    market_pay: Money = 76_000
    hiring: Hiring = Hiring(
        time_to_hire=Dist.model_validate({"lognormal": {"mean": "1.5mo", "cv": 0.4}}),
        cost=12_000,
    )
    attrition: Attrition = Attrition(
        voluntary=0.22, initial_tenure=Dist.model_validate({"exponential": {"mean": "12mo"}})
    )


class AeSpec(RoleSpec):
    """Account executives. Quota: new ARR a year."""

    headcount: int = Field(default=20, ge=0, description="Headcount at the start.")
    market_pay: Money = 190_000
    ramp: Ramp = Ramp(linear=5.5 * DAYS_PER_MONTH)
    hiring: Hiring = Hiring(cost=35_000)


class SpecialistSpec(RoleSpec):
    """Sales engineers, a shared pool. Quota: technical wins a year."""

    headcount: int = Field(default=3, ge=0, description="Headcount at the start.")
    market_pay: Money = 170_000
    ramp: Ramp = Ramp(linear=4 * DAYS_PER_MONTH)
    attrition: Attrition = Attrition(voluntary=0.12)


class CsmSpec(RoleSpec):
    """Customer-success managers. Quota: the gross retention their renewals should reach."""

    headcount: int = Field(default=6, ge=0, description="Headcount at the start.")
    selling_share: Share = 0.3
    market_pay: Money = 110_000
    attrition: Attrition = Attrition(voluntary=0.13)


class ManagerSpec(RoleSpec):
    """First-line managers: they work no queue, and their reps are shared among them."""

    headcount: int = Field(default=3, ge=0, description="Headcount (fixed).")
    selling_share: Share = 0.0
    hours_per_week: Positive = Field(default=45.0, le=168.0)
    market_pay: Money = 230_000
    ramp: Ramp = Ramp()
    time: ManagerTime = ManagerTime()


class Roles(Frozen):
    """Every role in the organisation."""

    sdr: SdrSpec = SdrSpec()
    ae: AeSpec = AeSpec()
    specialist: SpecialistSpec = SpecialistSpec()
    csm: CsmSpec = CsmSpec()
    manager: ManagerSpec = ManagerSpec()

    def of(self, role: Role) -> RoleSpec:
        """The spec of ``role``."""
        return getattr(self, role.value)


# ----------------------------------------------------------------------------- customers
class InitialBook(Frozen):
    """Customers the company already has when the simulation starts."""

    accounts: int = Field(default=0, ge=0)
    arr: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": 40_000, "cv": 0.6}})
    )
    segment: str | None = Field(default=None, description="Defaults to the first segment.")


class Churn(Frozen):
    """Chance an account leaves at renewal, in odds form.

    odds = base_odds * attention_ratio ** -attention_elasticity
           * (fit / mean fit) ** -fit_elasticity * csm_skill ** -skill_elasticity
           * (1 + discount_elasticity * discount)

    The attention ratio counts the CSM's time and the care time of the AE who won it.
    """

    base: Probability = Field(default=0.10, description="Renewal churn chance at full attention.")
    attention_elasticity: NonNegative = 0.6
    fit_elasticity: NonNegative = 1.0
    skill_elasticity: NonNegative = 0.5
    min_attention_ratio: Positive = Field(default=0.1, le=1.0)
    discount_elasticity: NonNegative = Field(
        default=2.0, description="Churn odds x (1 + this x the discount the deal was sold at)."
    )


class Expansion(Frozen):
    """Growth (and contraction) of accounts that renew."""

    probability: Probability = Field(default=0.35, description="Chance a renewing account grows.")
    uplift: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": 0.3, "cv": 0.8}}),
        description="Fractional ARR increase when an account grows.",
    )
    attention_elasticity: NonNegative = 0.5
    contraction_probability: Probability = 0.08
    contraction: Annotated[Dist, AfterValidator(non_negative)] = Field(
        default_factory=lambda: Dist.model_validate({"beta": {"mean": 0.25, "sd": 0.1}}),
        description="Fractional ARR decrease when an account contracts.",
    )


class Customers(Frozen):
    """The customer book: onboarding, attention, renewals, churn, expansion and referrals."""

    initial: InitialBook = InitialBook()
    onboarding_work: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"exponential": {"mean": "8h"}})
    )
    renewal_work: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"exponential": {"mean": "4h"}})
    )
    renewal_lead_time: Days = Field(default=60.0, description="Renewal work starts this early.")
    attention_hours_per_account_per_month: Positive = Field(
        default=3.0, description="CSM time an account needs each month for full health."
    )
    churn: Churn = Churn()
    expansion: Expansion = Expansion()
    referrals_per_account_per_year: NonNegative = Field(
        default=0.15, description="Referral leads a fully healthy account sends a year."
    )


# ----------------------------------------------------------------------------- policies
class RoutingPolicies(Frozen):
    """The routing policy per team."""

    sdr: Routing = Routing.ROUND_ROBIN
    ae: Routing = Routing.LEAST_LOADED
    specialist: Routing = Routing.LEAST_LOADED
    csm: Routing = Routing.LEAST_LOADED

    def of(self, role: Role) -> Routing:
        """The routing policy of ``role``'s team."""
        return getattr(self, role.value)


class Policies(Frozen):
    """Manager policies: routing, deal ownership, coaching, training, plans and staffing."""

    routing: RoutingPolicies = RoutingPolicies()
    deal_ownership: Ownership = Ownership.STICKY
    coaching: Coaching = Coaching()
    training: Training = Training()
    recognition: Recognition = Recognition()
    performance: Performance = Performance()
    staffing: Staffing = Staffing()
    reassignment: Reassignment = Reassignment()
    quota: dict[str, QuotaSetting] = Field(
        default_factory=dict, description="Quota setting per role on a pay plan."
    )


# ----------------------------------------------------------------------------- scenario
class Scenario(Frozen):
    """A complete, validated scenario."""

    meta: Meta = Meta()
    calendar: Calendar = Calendar()
    market: Market = Market()
    funnel: Funnel = Funnel()
    roles: Roles = Roles()
    customers: Customers = Customers()
    workforce: Workforce = Workforce()
    policies: Policies = Policies()
    compensation: Compensation = Compensation()
    behaviour: Behaviour = Behaviour()
    game: GameRules = GameRules()

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        problems = []
        for stage in self.funnel.stages:
            if self.roles.of(stage.role).headcount == 0:
                problems.append(
                    f"stage {stage.name!r} needs a {stage.role.value} but headcount is 0"
                )
            if self.roles.of(stage.role).selling_share == 0:
                problems.append(
                    f"stage {stage.name!r} needs {stage.role.value} selling time "
                    "but selling_share is 0"
                )
        segment = self.customers.initial.segment
        if segment is not None and segment not in self.market.segments:
            problems.append(f"customers.initial.segment {segment!r} is not a market segment")
        if self.customers.initial.accounts and self.roles.csm.headcount == 0:
            problems.append("an initial customer book needs at least one csm")
        working = {role.value for role in WORKING_ROLES}
        for role, steps in self.policies.staffing.growth.items():
            if role not in working:
                problems.append(
                    f"policies.staffing.growth: {role!r} is not a working role "
                    f"({', '.join(sorted(working))})"
                )
            dates = [step.at for step in steps]
            if dates != sorted(dates):
                problems.append(f"policies.staffing.growth.{role}: dates must be in order")
        problems += self._pay_problems()
        problems += self._game_problems()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _game_problems(self) -> list[str]:
        """Every editable plan term must name a number in a plan."""
        problems = []
        for path in self.game.plan_bounds:
            found = term_at(self.compensation.plans, path)
            if not isinstance(found, int | float) or isinstance(found, bool):
                problems.append(f"game.plan_bounds: {path!r} is not a number in compensation.plans")
        return problems

    def _pay_problems(self) -> list[str]:
        problems = []
        pay = self.compensation
        segments = set(self.market.segments)
        for name, plan in pay.plans.items():
            for component in plan.components:
                spif = component.spif
                unknown = sorted(set(spif.segments) - segments) if spif is not None else []
                if unknown:
                    problems.append(
                        f"compensation.plans.{name}: spif segments {unknown} are not market "
                        f"segments ({', '.join(sorted(segments))})"
                    )
        paid = {**{r: n for change in pay.changes for r, n in change.assign.items()}, **pay.assign}
        for role_name, plan_name in paid.items():
            role = Role(role_name) if role_name in Role.__members__.values() else None
            if role is None or role is Role.MANAGER:
                continue
            spec = self.roles.of(role)
            for key in ("quota", "pay"):
                if getattr(spec, key) is not None:
                    problems.append(
                        f"roles.{role_name}.{key}: the role is paid by plan "
                        f"{plan_name!r}, whose quota and pay apply; remove {key}"
                    )
        for role_name in self.policies.quota:
            if role_name not in pay.assign and not any(
                role_name in change.assign for change in pay.changes
            ):
                problems.append(
                    f"policies.quota.{role_name}: the role is on no pay plan (compensation.assign)"
                )
        return problems
