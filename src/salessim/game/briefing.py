"""What the player sees at the start of a turn: figures, the roster, the pipeline, the budget.

Only what a manager could see: attainment, tenure, ramp and a word for morale, never a
rep's hidden ability or exit hazard. Flight risk shows as rumours, which are noisy: a
rep at risk is often rumoured, a content one sometimes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from salessim.game.forecasting import ForecastCheck
from salessim.metrics.forecast import Forecast
from salessim.report.format import count, label, money, percent, role_label
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.measures import COUNT_MEASURES
from salessim.scenario.people import Backfill
from salessim.scenario.plans import Plan
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH

LOWER_IS_BETTER = frozenset({"churned_arr", "people_spend", "regretted_exits"})


@dataclass(frozen=True)
class Indicator:
    """One figure of the turn, with last turn's and the target (None when unknown)."""

    name: str
    value: float
    previous: float | None = None
    target: float | None = None

    @property
    def change(self) -> float | None:
        """Relative change from last turn."""
        if self.previous is None or self.previous == 0:
            return None
        return self.value / self.previous - 1

    @property
    def on_target(self) -> bool | None:
        """Whether the figure meets its target."""
        if self.target is None:
            return None
        if self.name in LOWER_IS_BETTER:
            return self.value <= self.target
        return self.value >= self.target


@dataclass(frozen=True)
class RosterRow:
    """A rep as the manager sees them."""

    rep: int
    role: Role
    tenure_months: float
    ramp: float  # share of full productivity
    attainment: float | None  # trailing twelve months, ramp-adjusted
    morale: str  # "high", "steady" or "low"
    on_plan: bool
    rumour: bool  # word is they are looking elsewhere
    pay: float  # annual on-target pay
    market_pay: float | None = None  # what the role pays in the market (None: unknown)

    @property
    def pay_vs_market(self) -> float | None:
        """Pay as a multiple of market pay."""
        return self.pay / self.market_pay if self.market_pay else None


@dataclass(frozen=True)
class Exercise:
    """The opening screen: the exercise, its situation, goals and learning goals."""

    name: str
    situation: str
    goals: list[str]
    learning_goals: list[str]


@dataclass(frozen=True)
class Budget:
    """People spend: the turn's limit, what the last turn cost, what the next will cost."""

    limit: float | None
    spent: float | None  # unknown before the first turn
    projected: float
    overspent: float = 0.0  # the last turn's spend above the limit it was decided under


@dataclass(frozen=True)
class Briefing:
    """Everything shown at the start of a turn."""

    turn: int  # the turn about to be decided (1 for the first)
    turns: int
    period: str  # the period just played, e.g. "2027 Q1"; "start" before the first turn
    date: str  # today, ISO
    indicators: list[Indicator]
    roster: list[RosterRow]
    open_requisitions: dict[str, int]
    pipeline: dict[str, tuple[int, float]]  # stage -> (deals, value)
    budget: Budget
    pay_plans: dict[str, str]  # role -> current plan
    plan_choices: dict[str, list[str]]  # role -> plans the scenario offers
    quotas: dict[str, str] = field(default_factory=dict)  # role -> its plan's quota, in words
    policies: dict[str, str] = field(default_factory=dict)  # what is in force, in words
    offers: dict[int, float] = field(default_factory=dict)  # rep -> competing offer to match
    story: list[str] = field(default_factory=list)
    finished: bool = False
    exercise: Exercise | None = None  # on the opening briefing only
    leads_gone_cold: int | None = None  # in the turn just played (None: before the first)
    forecast_guide: Forecast | None = None  # the pipeline forecast of the next turn
    forecast_last: ForecastCheck | None = None  # last turn's forecast against what happened

    def indicator(self, name: str) -> Indicator:
        """The indicator called ``name``.

        Raises:
            KeyError: no such indicator.
        """
        for found in self.indicators:
            if found.name == name:
                return found
        raise KeyError(name)

    def headcount(self, role: Role | str) -> int:
        """Employed reps of ``role`` (bootcamp included)."""
        wanted = Role(role)
        return sum(1 for row in self.roster if row.role is wanted)


def morale_word(morale: float) -> str:
    """How a manager would describe a rep's morale (which lies on -1 to 1)."""
    if morale > 0.25:
        return "high"
    if morale < -0.25:
        return "low"
    return "steady"


def policies_in_force(scenario: Scenario) -> dict[str, str]:
    """The standing policies a turn's decisions can change, each in a few words."""
    policies = scenario.policies
    coaching = policies.coaching
    awards = policies.recognition.per_team_per_month
    training = policies.training.every
    staffing = policies.staffing
    backfill = {
        Backfill.IMMEDIATE: "as soon as a seat is empty",
        Backfill.DELAYED: f"after {month_words(staffing.backfill_delay)}",
        Backfill.FREEZE: "frozen",
    }[staffing.backfill]
    found = {
        "coaching": f"{coaching.amount()}, focus {coaching.focus.value.replace('_', ' ')}",
        "training": f"every {month_words(training)}" if training else "none",
        "recognition": f"{awards} award{'s' * (awards != 1)} per team a month"
        if awards
        else "none",
        "routing": ", ".join(
            f"{role_label(role.value)} {policies.routing.of(role).value.replace('_', ' ')}"
            for role in WORKING_ROLES
        ),
        "backfill": backfill,
    }
    found["pricing"] = pricing_words(scenario)
    segments = scenario.market.segments
    if len(segments) > 1:
        found["outbound focus"] = ", ".join(
            f"{name} {segment.outbound_weight:g}" for name, segment in segments.items()
        )
    return found


def pricing_words(scenario: Scenario) -> str:
    """The price policy in force: each closing role's discount authority, the approval rule.

    ``AEs up to 10%; manager approves up to 30% beyond``; a role with no authority reads
    ``AEs at list``.
    """
    discounting = scenario.behaviour.discounting
    roles = [
        f"{role_label(role.value)}s up to {share:.0%}"
        if share
        else f"{role_label(role.value)}s at list"
        for role in scenario.funnel.closing_roles
        for share in [discounting.authority_of(role)]
    ]
    limit = scenario.policies.pricing.approval_limit
    approval = f"manager approves up to {limit:.0%} beyond" if limit else "manager approves none"
    return "; ".join([*roles, approval])


def quotas_in_force(scenario: Scenario) -> dict[str, str]:
    """Each role on a pay plan: its quota in words."""
    plans = scenario.compensation.plans
    return {role: quota_words(plans[name]) for role, name in scenario.compensation.assign.items()}


def quota_words(plan: Plan) -> str:
    """A plan's quota in words: ``$1.1M new ARR a year``, ``260 meetings a year``, ``92% ...``."""
    measure, amount = plan.quota_measure, plan.quota.amount
    words = label(measure.value)
    words = words[0].lower() + words[1:]
    if measure.is_ratio:
        return f"{percent(amount, 0)} {words}"
    figure = count(amount) if measure in COUNT_MEASURES else money(amount)
    return f"{figure} {words} a year"


def month_words(days: float) -> str:
    """A duration in months, in words: ``1 month``, ``2.5 months``."""
    value = days / DAYS_PER_MONTH
    return f"{value:g} month{'' if value == 1 else 's'}"


LARGE_ROSTER = 15  # more reps than this are summarised by role
STAR_ATTAINMENT = 1.2  # trailing attainment that makes a star, as the manager sees it


@dataclass(frozen=True)
class RoleSummary:
    """One role of a large roster, summarised."""

    role: Role
    reps: int
    ramping: int  # not yet fully productive (bootcamp included)
    attainment: float | None  # mean trailing attainment of those it is known for
    low_morale: int
    on_plan: int
    rumours: int
    pay_vs_market: float | None  # mean


def risks(row: RosterRow, offers: dict[int, float]) -> list[str]:
    """Why a manager would worry about ``row``, in words (empty: no reason)."""
    found = []
    if row.rep in offers:
        found.append(f"offer {offers[row.rep]:g}x")
    if row.rumour:
        found.append("rumour")
    if row.morale == "low":
        found.append("low morale")
    if row.on_plan:
        found.append("on a plan")
    return found


def _severity(row: RosterRow, offers: dict[int, float]) -> int:
    """How urgent a rep's risks are: an offer to answer, then a rumour, a plan, low morale."""
    return 4 * (row.rep in offers) + 2 * row.rumour + row.on_plan + (row.morale == "low")


def is_star(row: RosterRow) -> bool:
    """Whether ``row`` is a star by what the manager sees: attainment well over quota."""
    return row.attainment is not None and row.attainment >= STAR_ATTAINMENT


def roster_summary(briefing: Briefing) -> tuple[list[RoleSummary], list[RosterRow]]:
    """The roster by role, and the reps to look at first: stars at risk, the at risk, stars.

    Within each group, the most urgent risk first (an offer, a rumour, a plan, low
    morale), then the highest attainment (unknown last), then by id.
    """
    roles = []
    for role in WORKING_ROLES:
        rows = [row for row in briefing.roster if row.role is role]
        if not rows:
            continue
        known = [row.attainment for row in rows if row.attainment is not None]
        paid = [row.pay_vs_market for row in rows if row.pay_vs_market is not None]
        roles.append(
            RoleSummary(
                role=role,
                reps=len(rows),
                ramping=sum(row.ramp < 1 for row in rows),
                attainment=sum(known) / len(known) if known else None,
                low_morale=sum(row.morale == "low" for row in rows),
                on_plan=sum(row.on_plan for row in rows),
                rumours=sum(row.rumour for row in rows),
                pay_vs_market=sum(paid) / len(paid) if paid else None,
            )
        )

    def rank(row: RosterRow) -> tuple[int, int, float, int]:
        at_risk, star = bool(risks(row, briefing.offers)), is_star(row)
        group = 0 if at_risk and star else 1 if at_risk else 2
        attainment = -row.attainment if row.attainment is not None else math.inf
        return group, -_severity(row, briefing.offers), attainment, row.rep

    notable = [row for row in briefing.roster if risks(row, briefing.offers) or is_star(row)]
    return roles, sorted(notable, key=rank)
