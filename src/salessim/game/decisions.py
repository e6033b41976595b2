"""A turn's decisions: what a manager may change, checked against the state before any applies.

Decisions are plain data (they are the save file), validated in two steps: their shape
when read (unknown keys, wrong types), then against the game's state (reps that exist,
plans that exist, offers and hours within the scenario's bounds, the budget). A turn's
decisions apply all together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field, ValidationError

from salessim.scenario.base import (
    WORKING_ROLES,
    Count,
    Frozen,
    Money,
    NonNegative,
    Positive,
    Probability,
    Role,
)
from salessim.scenario.behaviour import Behaviour
from salessim.scenario.errors import ScenarioError
from salessim.scenario.limits import MAX_COUNT
from salessim.scenario.load import revalidate
from salessim.scenario.pay_components import Component
from salessim.scenario.pay_components import Contest as ContestSpec
from salessim.scenario.people import Backfill, CoachingFocus
from salessim.scenario.plans import with_term
from salessim.scenario.policies import Policies, Routing
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH

WORKING = {role.value for role in WORKING_ROLES}


class Hire(Frozen):
    """Open requisitions for a role."""

    role: Role
    count: int = Field(default=1, ge=1, le=MAX_COUNT)
    offer: Positive | None = Field(
        default=None, description="Offer as a multiple of market pay; default: the usual."
    )


class Coaching(Frozen):
    """How much managers coach, and whom first."""

    hours_per_rep_per_month: NonNegative
    focus: CoachingFocus = CoachingFocus.EVEN


class Contest(Frozen):
    """A sales contest over the next quarter: prizes for the reps with the most credit."""

    role: Role
    prizes: list[Money] = Field(min_length=1, max_length=5, description="First place first.")


class Pricing(Frozen):
    """Price policy: discount authority per role, and the deepest concession approved."""

    authority: dict[Role, Probability] = Field(
        default_factory=dict, description="Per role that closes deals, its largest discount."
    )
    approve_up_to: Probability | None = Field(
        default=None, description="The deepest concession the manager signs off (0: none)."
    )


class Forecast(Frozen):
    """The player's forecast of the next quarter, committed before it is played."""

    new_arr: Money = Field(description="New ARR the quarter will book.")
    churn: Money = Field(description="ARR the quarter will lose to churn.")


class Decisions(Frozen):
    """One turn's decisions; every field may be left out."""

    hire: list[Hire] = Field(default_factory=list)
    fire: list[int] = Field(default_factory=list, description="Rep ids to let go now.")
    plan: list[int] = Field(default_factory=list, description="Rep ids to put on a plan.")
    coaching: Coaching | None = None
    training_every_months: NonNegative | None = Field(
        default=None, description="A training session every so many months; 0 stops training."
    )
    recognition: Count | None = Field(default=None, description="Awards per team a month.")
    routing: dict[Role, Routing] = Field(default_factory=dict)
    backfill: Backfill | None = None
    pay_plans: dict[Role, str] = Field(
        default_factory=dict, description="Plan per role, from the next pay period."
    )
    quota: dict[Role, Positive] = Field(
        default_factory=dict, description="Per role, the plan's quota amount times this."
    )
    segment_focus: dict[str, NonNegative] = Field(
        default_factory=dict, description="Outbound prospecting weight per segment."
    )
    pricing: Pricing | None = Field(
        default=None, description="Discount authority per role and the approval rule."
    )
    pay_raise: dict[int, Positive] = Field(
        default_factory=dict, description="Per rep id, new pay as a multiple of market pay."
    )
    contest: Contest | None = Field(
        default=None, description="A contest over the next quarter, on the role's plan."
    )
    plan_terms: dict[str, float] = Field(
        default_factory=dict,
        description="Plan terms to edit (paths the scenario's game.plan_bounds allows), "
        "from the next pay period.",
    )
    forecast: Forecast | None = Field(
        default=None, description="Next quarter's new ARR and churn; none: the guide's."
    )

    @property
    def empty(self) -> bool:
        """Nothing decided: the organisation goes on as it is."""
        return self == Decisions()


class DecisionError(ValueError):
    """Decisions that cannot apply, with every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def __reduce__(self) -> tuple[type[DecisionError], tuple[list[str]]]:
        """Pickle with the list of problems (a replay in another process raises it whole)."""
        return DecisionError, (self.problems,)


def parse(data: Decisions | Mapping[str, Any]) -> Decisions:
    """Decisions from a mapping (a bot's answer, a saved turn).

    Raises:
        DecisionError: unknown keys or values of the wrong kind, each named.
    """
    if isinstance(data, Decisions):
        return data
    if not isinstance(data, Mapping):  # a bot's or a save's answer may be anything
        kind = "a list" if isinstance(data, list | tuple) else type(data).__name__
        raise DecisionError([f"decisions: expected a mapping of keys, got {kind}"])
    try:
        return Decisions.model_validate(dict(data))
    except ValidationError as error:
        raise DecisionError(
            [
                f"{'.'.join(str(p) for p in e['loc']) or 'decisions'}: {e['msg']}"
                for e in error.errors()
            ]
        ) from None


@dataclass(frozen=True)
class State:
    """What validation needs to know of the game now."""

    scenario: Scenario
    employed: Mapping[int, Role]
    on_plan: frozenset[int]
    budget: float | None  # people spend allowed next turn, after any budget cut; None: no limit
    projected_spend: float  # the next turn's people spend if the decisions apply
    committed_spend: float  # the same with no decisions: what the team costs as it is
    next_quarter: tuple[dt.date, dt.date] | None = None  # first and last day; None: no more


def problems_with(decisions: Decisions, state: State) -> list[str]:
    """Every reason the decisions cannot apply now (empty: they can)."""
    scenario, rules = state.scenario, state.scenario.game
    found = []
    asked: dict[str, int] = {}
    for hire in decisions.hire:
        asked[hire.role.value] = asked.get(hire.role.value, 0) + hire.count
        if hire.role.value not in WORKING:
            found.append(f"hire: cannot hire a {hire.role.value} (roles: {', '.join(WORKING)})")
        if hire.offer is not None and not rules.offers.low <= hire.offer <= rules.offers.high:
            found.append(
                f"hire: offer {hire.offer:g} is outside {rules.offers.low:g} to "
                f"{rules.offers.high:g} times market pay"
            )
    for role, count in asked.items():
        if count > rules.max_hires_per_turn:
            found.append(
                f"hire: at most {rules.max_hires_per_turn} {role} hires a turn, not {count}"
            )
    for key in ("fire", "plan", "pay_raise"):
        for rep in getattr(decisions, key):
            if rep not in state.employed:
                found.append(f"{key}: no rep {rep} on the team")
    for rep, level in decisions.pay_raise.items():
        if not rules.offers.low <= level <= rules.offers.high:
            found.append(
                f"pay_raise: {level:g} for rep {rep} is outside {rules.offers.low:g} to "
                f"{rules.offers.high:g} times market pay"
            )
    both = sorted(set(decisions.fire) & set(decisions.plan))
    if both:
        found.append(f"plan: reps {both} are also being let go")
    raised = sorted(set(decisions.fire) & set(decisions.pay_raise))
    if raised:
        found.append(f"pay_raise: reps {raised} are also being let go")
    already = sorted(set(decisions.plan) & state.on_plan)
    if already:
        found.append(f"plan: reps {already} are already on a plan")
    coaching = decisions.coaching
    if coaching is not None and coaching.hours_per_rep_per_month > rules.coaching_hours_max:
        found.append(
            f"coaching: at most {rules.coaching_hours_max:g} hours per rep a month, "
            f"not {coaching.hours_per_rep_per_month:g}"
        )
    for role in decisions.routing:
        if role.value not in WORKING:
            found.append(f"routing: {role.value} has no team to route to")
    plans = scenario.compensation.plans
    for role, name in decisions.pay_plans.items():
        if name not in plans:
            found.append(f"pay_plans.{role.value}: no plan {name!r} (plans: {', '.join(plans)})")
        elif plans[name].role is not role:
            found.append(f"pay_plans.{role.value}: plan {name!r} is for {plans[name].role.value}s")
    for role in decisions.quota:
        if role not in decisions.pay_plans and _plan_of(scenario, role) is None:
            found.append(f"quota.{role.value}: the role is on no pay plan")
    for path, value in decisions.plan_terms.items():
        bounds = rules.plan_bounds.get(path)
        if bounds is None:
            allowed = ", ".join(rules.plan_bounds) or "none in this scenario"
            found.append(f"plan_terms: {path!r} cannot be edited (editable: {allowed})")
        elif not bounds[0] <= value <= bounds[1]:
            found.append(f"plan_terms.{path}: {value:g} is outside {bounds[0]:g} to {bounds[1]:g}")
    contest = decisions.contest
    if contest is not None:
        if state.next_quarter is None:
            found.append("contest: the game ends before a contest could run")
        if contest.role not in decisions.pay_plans and _plan_of(scenario, contest.role) is None:
            found.append(f"contest: {contest.role.value} reps are on no pay plan to pay prizes")
    segments = scenario.market.segments
    for segment in decisions.segment_focus:
        if segment not in segments:
            found.append(f"segment_focus: no segment {segment!r} ({', '.join(segments)})")
    found += _pricing_problems(decisions.pricing, scenario)
    budget = state.budget
    over = budget is not None and state.projected_spend > budget
    if over and state.projected_spend > state.committed_spend:  # changing nothing is allowed
        found.append(
            f"budget: these decisions take next turn's people spend to "
            f"{state.projected_spend:,.0f}, over the budget of {budget:,.0f}"
        )
    if not found:  # the last word: the scenario must still be valid with the changes
        try:
            revalidate(revise(decisions, scenario, state.next_quarter))
        except ScenarioError as error:
            found += [f"{problem.key}: {problem.message}" for problem in error.problems]
    return found


def revise(
    decisions: Decisions,
    scenario: Scenario,
    next_quarter: tuple[dt.date, dt.date] | None = None,
) -> Scenario:
    """The scenario with the decisions' policy and plan changes, edited as typed objects.

    A contest joins its role's plan as a component running over ``next_quarter``. The
    result is checked as a whole (``revalidate``) before it reaches the model.
    """
    policies = scenario.policies
    if decisions.coaching is not None:
        coaching = policies.coaching.model_copy(
            update={
                "hours_per_rep_per_month": decisions.coaching.hours_per_rep_per_month,
                "focus": decisions.coaching.focus,
            }
        )
        policies = policies.model_copy(update={"coaching": coaching})
    if decisions.training_every_months is not None:
        every = decisions.training_every_months * DAYS_PER_MONTH
        training = policies.training.model_copy(update={"every": every})
        policies = policies.model_copy(update={"training": training})
    if decisions.recognition is not None:
        recognition = policies.recognition.model_copy(
            update={"per_team_per_month": decisions.recognition}
        )
        policies = policies.model_copy(update={"recognition": recognition})
    if decisions.routing:
        routes = {role.value: routing for role, routing in decisions.routing.items()}
        policies = policies.model_copy(
            update={"routing": policies.routing.model_copy(update=routes)}
        )
    if decisions.backfill is not None:
        staffing = policies.staffing.model_copy(update={"backfill": decisions.backfill})
        policies = policies.model_copy(update={"staffing": staffing})
    behaviour = scenario.behaviour
    if decisions.pricing is not None:
        policies, behaviour = _priced(decisions.pricing, policies, behaviour)
    pay = scenario.compensation
    plans = dict(pay.plans)
    assign = {**pay.assign, **{role.value: name for role, name in decisions.pay_plans.items()}}
    for role, factor in decisions.quota.items():
        name = _plan_after(decisions, scenario, role)
        quota = plans[name].quota.model_copy(update={"amount": plans[name].quota.amount * factor})
        plans[name] = plans[name].model_copy(update={"quota": quota})
    for path, value in decisions.plan_terms.items():
        plans = with_term(plans, path, value)
    contest = decisions.contest
    if contest is not None and next_quarter is not None:
        name = _plan_after(decisions, scenario, contest.role)
        first, last = next_quarter
        window = ContestSpec.model_validate(
            {"prizes": list(contest.prizes), "from": first, "until": last}
        )
        components = [*plans[name].components, Component(contest=window)]
        plans[name] = plans[name].model_copy(update={"components": components})
    market = scenario.market
    if decisions.segment_focus:
        segments = {
            name: segment.model_copy(update={"outbound_weight": decisions.segment_focus[name]})
            if name in decisions.segment_focus
            else segment
            for name, segment in market.segments.items()
        }
        market = market.model_copy(update={"segments": segments})
    compensation = pay.model_copy(update={"plans": plans, "assign": assign})
    return scenario.model_copy(
        update={
            "policies": policies,
            "compensation": compensation,
            "market": market,
            "behaviour": behaviour,
        }
    )


def _pricing_problems(pricing: Pricing | None, scenario: Scenario) -> list[str]:
    """Authority only for roles that close deals, and within the game's bounds."""
    if pricing is None:
        return []
    rules = scenario.game.pricing
    if not pricing.authority and pricing.approve_up_to is None:
        return ["pricing: give a role's discount authority or the deepest discount approved"]
    found = []
    closing = scenario.funnel.closing_roles
    for role, authority in pricing.authority.items():
        if role not in closing:
            names = ", ".join(r.value for r in closing) or "none"
            found.append(
                f"pricing.authority.{role.value}: {role.value}s close no deals, so have no "
                f"price to discount (roles that close: {names})"
            )
        elif authority > rules.most_authority:
            found.append(
                f"pricing.authority.{role.value}: {authority:.0%} is more than the most "
                f"discount authority this game allows, {rules.most_authority:.0%}"
            )
    limit = pricing.approve_up_to
    if limit is not None and limit > rules.most_approved:
        found.append(
            f"pricing.approve_up_to: {limit:.0%} is deeper than the deepest discount this "
            f"game lets a manager approve, {rules.most_approved:.0%}"
        )
    return found


def _priced(
    pricing: Pricing, policies: Policies, behaviour: Behaviour
) -> tuple[Policies, Behaviour]:
    """The policies and behaviour rules with the price policy's authority and approval rule."""
    if pricing.approve_up_to is not None:
        approval = policies.pricing.model_copy(update={"approval_limit": pricing.approve_up_to})
        policies = policies.model_copy(update={"pricing": approval})
    if pricing.authority:
        discounting = behaviour.discounting
        by_role = {**discounting.by_role, **pricing.authority}
        behaviour = behaviour.model_copy(
            update={"discounting": discounting.model_copy(update={"by_role": by_role})}
        )
    return policies, behaviour


def _plan_after(decisions: Decisions, scenario: Scenario, role: Role) -> str:
    """The plan ``role`` is on once ``decisions`` apply (checked to exist beforehand)."""
    name = decisions.pay_plans.get(role) or _plan_of(scenario, role)
    assert name is not None, f"{role.value} is on no pay plan"
    return name


def _plan_of(scenario: Scenario, role: Role) -> str | None:
    return scenario.compensation.assign.get(role.value)
