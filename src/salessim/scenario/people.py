"""People: ramp, hiring and attrition per role, and how reps learn, feel and quit.

Role-level numbers (a ramp curve, time to hire, base quit rates, market pay) sit in each
role's spec; the response parameters shared by every role sit in the ``workforce``
section; the manager's levers (coaching, training, recognition, performance plans,
backfill and growth) sit in ``policies``. Defaults and their sources: ``docs/model.md``.
"""

from __future__ import annotations

import itertools
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from salessim.scenario.base import (
    Attainment,
    Count,
    Date,
    Days,
    Elasticity,
    Frozen,
    Headcount,
    Money,
    Multiple,
    NonNegative,
    Positive,
    Share,
)
from salessim.scenario.dists import Dist, PositiveDist
from salessim.scenario.limits import MAX_MONTHS, MAX_MULTIPLE
from salessim.scenario.units import DAYS_PER_MONTH

QUARTER_DAYS = 3 * DAYS_PER_MONTH
MANAGER_ACTIVITIES = (
    "admin",
    "team_meetings",
    "hiring",
    "deal_support",
    "training",
    "one_to_ones",
    "recognition",
    "coaching",
)
"""Where a manager's hours go, in the order they are served (``ManagerTime``)."""


Factor = Annotated[float, Field(ge=0.0, le=MAX_MULTIPLE)]
"""A multiplier that may be zero."""


class Tier(StrEnum):
    """Performer tier by latent ability: top, middle and bottom of the role's distribution."""

    STAR = "star"
    CORE = "core"
    LAGGARD = "laggard"


class ByTier(Frozen):
    """One number per performer tier."""

    star: NonNegative
    core: NonNegative
    laggard: NonNegative

    def of(self, tier: Tier) -> float:
        """The value for ``tier``."""
        return float(getattr(self, tier.value))


# ----------------------------------------------------------------------------- per role
class Ramp(Frozen):
    """A new hire's productivity after the bootcamp, 0 to 1: give one of the three forms.

    ``linear: 5.5mo`` grows from 0 to 1 over that time; ``quarterly: [0, 0.25, 0.5]``
    holds each value for one quarter of tenure, then 1; ``table: [[0, 0], [2mo, 0.4],
    [6mo, 1]]`` interpolates between points, then 1. No form means fully productive at
    once. Capacity scales with productivity ``p``; skill with ``skill_floor + (1 -
    skill_floor) * p``.
    """

    linear: Days | None = None
    quarterly: list[Share] | None = Field(default=None, min_length=1)
    table: list[tuple[Days, Share]] | None = Field(default=None, min_length=1)
    skill_floor: Share = Field(
        default=0.7, description="Skill of a rep at productivity 0, as a share of full skill."
    )

    @model_validator(mode="after")
    def _one_form(self) -> Ramp:
        given = [f for f in ("linear", "quarterly", "table") if getattr(self, f) is not None]
        if len(given) > 1:
            raise ValueError(f"give one ramp form, not {' and '.join(given)}")
        if self.table is not None:
            days = [point[0] for point in self.table]
            if any(b <= a for a, b in itertools.pairwise(days)):
                raise ValueError("ramp table days must increase")
        return self

    def productivity(self, days: float) -> float:
        """Productivity ``days`` after the bootcamp ended."""
        if self.linear is not None:
            return 1.0 if days >= self.linear else days / self.linear
        if self.quarterly is not None:
            quarter = int(days // QUARTER_DAYS)
            return self.quarterly[quarter] if quarter < len(self.quarterly) else 1.0
        if self.table is not None:
            points = self._points()
            for (d0, r0), (d1, r1) in itertools.pairwise(points):
                if days < d1:
                    return r0 + (r1 - r0) * (days - d0) / (d1 - d0)
        return 1.0

    def deficit_days(self) -> float:
        """The integral of ``1 - productivity`` over tenure: capacity a new hire costs, in days."""
        if self.linear is not None:
            return self.linear / 2
        if self.quarterly is not None:
            return sum(1 - q for q in self.quarterly) * QUARTER_DAYS
        if self.table is not None:
            points = self._points()
            return sum(
                (d1 - d0) * (1 - (r0 + r1) / 2) for (d0, r0), (d1, r1) in itertools.pairwise(points)
            )
        return 0.0

    def _points(self) -> list[tuple[float, float]]:
        assert self.table is not None
        points = [(float(d), float(r)) for d, r in self.table]
        if points[0][0] > 0:
            points.insert(0, (0.0, 0.0))
        last_day, last = points[-1]
        if last < 1:
            points.append((last_day + 1e-9, 1.0))
        return points


class Hiring(Frozen):
    """Filling a requisition: search time, cost, candidate quality and onboarding."""

    time_to_hire: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": "2.5mo", "cv": 0.4}}),
        description="From opening a requisition to the hire's first day.",
    )
    cost: Money = Field(default=25_000, description="Recruiting cost per hire.")
    offer: Multiple = Field(
        default=1.0,
        description="Pay offered, as a multiple of market pay (the role's pay, if set, wins).",
    )
    quality_elasticity: Elasticity = Field(
        default=0.5,
        description="Candidate ability scales with offer ** quality_elasticity.",
    )
    bootcamp: Days = Field(default=14.0, description="Onboarding before any selling work.")
    interview_hours: NonNegative = Field(
        default=20.0, description="Manager hours one hire takes, spread over the search."
    )


class Attrition(Frozen):
    """Base annual exit rates of a rep at neutral conditions, and the starting roster's tenure."""

    voluntary: Share = Field(default=0.16, description="Annual quit rate at neutral conditions.")
    involuntary: Share = Field(
        default=0.03, description="Annual rate of being let go at neutral conditions."
    )
    initial_tenure: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"exponential": {"mean": "20mo"}}),
        description="Tenure of the reps already employed when the simulation starts.",
    )
    promotion: Share = Field(
        default=0.0,
        description="Annual rate at which reps move on to another role (promoted) once "
        "past promotion_after; not attrition, but the seat empties.",
    )
    promotion_after: Days = Field(
        default=365.25, description="Tenure from which reps can be promoted out of the role."
    )


# ----------------------------------------------------------------------------- shared response
class Learning(Frozen):
    """Experience: the share of latent ability a rep uses grows with practice, fades without."""

    start: Share = Field(default=0.8, description="A new hire's experience on day one.")
    rate: Share = Field(
        default=0.08, description="Monthly share of the gap to full experience closed by practice."
    )
    forgetting: Share = Field(
        default=0.03, description="Monthly loss of experience with no practice and no coaching."
    )


class CoachingResponse(Frozen):
    """Coaching lifts skill toward a ceiling that depends on the tier, and keeps reps.

    A rep coached ``h`` hours a month moves its coaching uplift a share ``adapt`` toward
    ``max_uplift[tier] * (1 - exp(-h / saturation_hours))``; uncoached, the uplift fades by
    ``fade`` a month. Coaching also lowers the quit hazard by
    ``exp(-retention[tier] * min(h, 4))``, and speeds a new hire's ramp: each day ramping
    counts ``1 + ramp_speedup * (1 - exp(-h / saturation_hours))`` days of ramp.
    """

    max_uplift: ByTier = ByTier(star=0.03, core=0.19, laggard=0.05)
    saturation_hours: Positive = 2.2
    adapt: Share = 0.35
    fade: Share = 0.06
    retention: ByTier = ByTier(star=0.3, core=0.05, laggard=0.0)
    ramp_speedup: Factor = Field(
        default=0.5, description="How much faster a well-coached new hire ramps (0.5: 1.5x)."
    )


class QuitHazard(Frozen):
    """The monthly exit hazard's response to a rep's situation (see docs/model.md)."""

    pay_elasticity: Elasticity = Field(
        default=2.0, description="Voluntary hazard x (outside pay / pay) ** pay_elasticity."
    )
    attainment_peak: Attainment = Field(
        default=0.9, description="Attainment at which voluntary quitting peaks."
    )
    attainment_width: Annotated[Positive, Field(ge=0.01, le=MAX_MULTIPLE)] = 0.45
    attainment_high: Factor = Field(default=1.3, description="Multiplier at the peak.")
    attainment_low: Factor = Field(default=0.6, description="Multiplier far from the peak.")
    involuntary_below: Attainment = Field(
        default=0.8, description="Attainment under which being let go becomes likelier."
    )
    involuntary_slope: Elasticity = 3.0
    morale_weight: Elasticity = Field(default=0.8, description="Hazard x exp(-weight * morale).")
    attention_reference_hours: Positive = Field(
        default=3.0, description="Monthly manager hours (one-to-ones and coaching) seen as normal."
    )
    attention_elasticity: Elasticity = 0.25
    new_hire_boost: Factor = Field(
        default=0.8, description="Extra hazard of a brand-new hire, fading with tenure."
    )
    new_hire_months: Positive = 6.0
    contagion: Factor = Field(
        default=1.0,
        description="Hazard x (1 + contagion * share of the team that left in 3 months, "
        "at most 1).",
    )
    spread_weight: Factor = Field(
        default=1.0,
        description="Hazard x (1 + spread_weight * max(0, sd of the team's attainment - "
        "spread_reference)).",
    )
    spread_reference: Factor = Field(
        default=0.3, description="Spread of attainment within a team taken as normal."
    )


class Morale(Frozen):
    """Morale on [-1, 1], 0 neutral: moves each month toward a target set by the job."""

    reversion: Share = 0.3
    attainment_weight: NonNegative = 0.5
    attention_weight: NonNegative = 0.2
    departure_shock: NonNegative = Field(
        default=1.0, description="Morale lost per share of the team leaving in a month."
    )
    recognition_boost: NonNegative = 0.25
    plan_shock: NonNegative = Field(default=0.3, description="Morale lost when put on a plan.")


class Sorting(Frozen):
    """Who joins and who stays: pay against the outside option a rep's ability earns.

    A rep of latent ability ``a`` (the role's mean ``m_a``) can earn elsewhere what the
    market's usual plan pays it: ``market_pay * (1 - market_mix + market_mix * a / m_a)``.
    A candidate weighs the role's plan at its own ability (attainment ``a / m_a``; the
    offer's salary off a plan) against that, and accepts with chance
    ``min(1, (expected pay / outside option) ** acceptance_elasticity)``; a decline
    brings the next candidate ``next_candidate`` later. The quit hazard weighs a rep's pay
    against the same outside option (instead of market pay).
    """

    enabled: bool = True
    acceptance_elasticity: Factor = Field(
        default=4.0, description="How sharply a candidate turns down pay below its outside option."
    )
    next_candidate: Days = Field(
        default=14.0, description="Time to the next candidate after one declines."
    )


class Workforce(Frozen):
    """Whether people come and go, learn and ramp; and how they respond. Off: fixed staff."""

    enabled: bool = Field(
        default=True,
        description="Off gives fixed, fully ramped headcount: the pure queueing model.",
    )
    learning: Learning = Learning()
    coaching: CoachingResponse = CoachingResponse()
    hazard: QuitHazard = QuitHazard()
    morale: Morale = Morale()
    sorting: Sorting = Sorting()
    tiers: tuple[Share, Share] = Field(
        default=(0.125, 0.875),
        description="Ability quantiles splitting laggards, core and stars.",
    )


class ManagerTime(Frozen):
    """Where a manager's hours go before coaching gets what is left."""

    one_to_one_hours_per_rep_per_month: NonNegative = 2.0
    team_meeting_hours_per_week: NonNegative = Field(
        default=1.0, description="The weekly team meeting; every rep attends."
    )
    admin_share: Share = Field(
        default=0.35, description="Reporting, forecasting, budgets and internal meetings."
    )
    deal_support_hours_per_deal: NonNegative = Field(
        default=1.0, description="Escalations and deal support per deal the team closes."
    )
    approval_hours: NonNegative = Field(
        default=0.5, description="Deal support per price concession a rep asks to have approved."
    )


# ----------------------------------------------------------------------------- policies
class CoachingFocus(StrEnum):
    """Who gets the coaching hours."""

    EVEN = "even"
    STARS = "stars"
    CORE = "core"
    LAGGARDS = "laggards"
    NEW_HIRES = "new_hires"
    LOWEST_ATTAINMENT = "lowest_attainment"


class Coaching(Frozen):
    """A manager's coaching time each month, aimed by ``focus``.

    By default a manager sets aside ``share_of_time`` of its working hours for coaching
    and shares them among its reps, so a wider span means fewer hours a rep. A policy of
    ``hours_per_rep_per_month`` asks that many hours for each rep instead. Either way
    coaching gets only what the manager's duties leave.
    """

    share_of_time: Share = Field(
        default=0.16, description="A manager's coaching time, as a share of its hours."
    )
    hours_per_rep_per_month: NonNegative | None = Field(
        default=None, description="Hours asked for each rep instead (None: share_of_time)."
    )
    focus: CoachingFocus = CoachingFocus.EVEN

    def amount(self) -> str:
        """The coaching time in words: ``2 h a rep a month`` or ``16% of a manager's time``."""
        if self.hours_per_rep_per_month is not None:
            return f"{self.hours_per_rep_per_month:g} h a rep a month"
        return f"{self.share_of_time:.0%} of a manager's time"


class Training(Frozen):
    """Periodic skill training away from selling, delivered by managers."""

    every: Days = Field(
        default=0.0,
        description="Time between sessions (held at the nearest month end); 0 means none.",
    )
    hours: NonNegative = Field(default=8.0, description="Rep hours a session takes from selling.")
    skill_gain: Share = Field(default=0.03, description="Added to each trained rep's uplift.")
    cost_per_rep: Money = 1_000
    delivery_hours: NonNegative = Field(default=6.0, description="Manager hours per session.")

    @model_validator(mode="after")
    def _monthly_or_slower(self) -> Training:
        if 0 < self.every < 28:
            raise ValueError("training is held at month ends: every must be 0 or at least 1mo")
        return self


class Recognition(Frozen):
    """Public recognition of each team's best reps of the month.

    Each award lifts the rep's morale by ``workforce.morale.recognition_boost``, takes
    ``hours_per_award`` of the manager's time (if the month's duties leave it) and costs
    ``cost_per_award``. Recognising more than ``fair_share`` of a team in a month dilutes
    every award: the boost is scaled by ``fair_share / s`` for a share ``s`` recognised,
    so more awards share the lift of the fair share and add only their cost.
    """

    per_team_per_month: Count = 1
    hours_per_award: NonNegative = Field(
        default=0.5, description="Manager hours an award takes (choosing, telling, presenting)."
    )
    cost_per_award: Money = Field(default=100.0, description="A gift, a dinner, a plaque.")
    fair_share: Share = Field(
        default=0.2, description="Share of a team recognised in a month before awards dilute."
    )

    def boost_scale(self, awarded: int, team: int) -> float:
        """How much of the full boost each award gives when ``awarded`` of ``team`` get one."""
        if team <= 0 or awarded <= 0:
            return 1.0
        share = awarded / team
        return 1.0 if share <= self.fair_share else self.fair_share / share


class Performance(Frozen):
    """Performance plans: reps under ``threshold`` go on a plan, then leave or are restored."""

    enabled: bool = True
    threshold: Attainment = Field(default=0.5, description="Trailing attainment for a plan.")
    min_tenure: Days = Field(default=9 * DAYS_PER_MONTH, description="No plan before this.")
    plan_months: int = Field(default=3, ge=1, le=MAX_MONTHS)
    restore_at: Attainment = Field(
        default=0.8, description="Attainment during the plan's months that ends it well."
    )
    exit_cost: Money = Field(default=20_000, description="Severance and legal cost of a firing.")


class Backfill(StrEnum):
    """What happens to a vacancy."""

    IMMEDIATE = "immediate"
    DELAYED = "delayed"
    FREEZE = "freeze"


class GrowthStep(Frozen):
    """From ``at`` on, a role's target headcount is ``headcount``."""

    at: Date
    headcount: Headcount


class Staffing(Frozen):
    """Backfilling vacancies and growing headcount."""

    backfill: Backfill = Backfill.IMMEDIATE
    backfill_delay: Days = Field(default=30.0, description="Wait before a delayed backfill.")
    growth: dict[str, list[GrowthStep]] = Field(
        default_factory=dict,
        description="Per role (sdr, ae, specialist, csm), headcount targets by date.",
    )
    accounts_per_csm: Annotated[Positive, Field(ge=1.0)] | None = Field(
        default=None,
        description="Coverage: the CSM target follows the book, one CSM per this many "
        "accounts (growth steps for csm are then ignored).",
    )


class Reassignment(Frozen):
    """A leaver's open deals and accounts go to teammates; some are lost on the way."""

    deal_loss: Share = Field(default=0.15, description="Chance each open deal is lost.")
    account_loss: Share = Field(default=0.03, description="Chance each account churns.")
