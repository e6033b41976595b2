"""What a role's starting team can be credited with in a year: the reach a quota must fit.

An optimistic estimate from the scenario alone, no simulation: every lead the market
sends (inbound at its mean seasonality, outbound at the SDRs' prospecting hours,
referrals from the starting book) flows down the funnel at each stage's own conversion
rate, and a role credits what passes its stages, capped by its starting team's selling
hours a year (the stages' mean work). Nothing goes cold and nobody ramps or leaves, so a
real team is credited less. A rep's share is the team's reach over its headcount; a
strong rep (skill one standard deviation above the role's mean) may do better by that
spread, so a quota above ``per_rep x (1 + skill cv)`` is one no rep of the starting team
can meet. Ratio measures (a retention rate) and the book's measures (renewals,
expansion) are not judged.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.funnel import Outcome, Stage, When
from salessim.scenario.measures import DEFAULT_MEASURE, Measure
from salessim.scenario.units import DAYS_PER_WEEK, DAYS_PER_YEAR, HOURS_PER_DAY

if TYPE_CHECKING:
    from salessim.scenario.market import Segment
    from salessim.scenario.schema import Scenario

WEEKS_PER_YEAR = DAYS_PER_YEAR / DAYS_PER_WEEK


@dataclass(frozen=True)
class Reach:
    """A role's quota against the most each rep of its starting team can be credited."""

    role: Role
    measure: Measure
    quota: float  # a year, per rep
    per_rep: float  # a year, per rep: the team's reach over its headcount
    demand: float  # the team's credit a year if its hours were unlimited
    hours_needed: float  # selling hours a year the demand takes
    hours: float  # selling hours a year the starting team has
    skill_spread: float  # the role's skill cv: how much better a strong rep does

    @property
    def strong_rep(self) -> float:
        """The most a strong rep of the team can be credited a year."""
        return self.per_rep * (1 + self.skill_spread)

    @property
    def reachable(self) -> bool:
        """Whether a strong rep can meet the quota at all."""
        return self.quota <= self.strong_rep


def reaches(scenario: Scenario) -> list[Reach]:
    """Each working role with a starting team and a quota in a measure the funnel credits."""
    flows = _stage_flows(scenario)
    found = []
    for role in WORKING_ROLES:
        spec = scenario.roles.of(role)
        quota_measure = _quota(scenario, role)
        if spec.headcount == 0 or quota_measure is None:
            continue
        quota, measure = quota_measure
        credit = _credit(scenario, role, measure, flows)
        if credit is None:
            continue
        stages = [i for i, stage in enumerate(scenario.funnel.stages) if stage.role is role]
        hours_needed = sum(
            flows.worked[i] * scenario.funnel.stages[i].work.mean * HOURS_PER_DAY for i in stages
        )
        hours = spec.headcount * spec.hours_per_week * spec.selling_share * WEEKS_PER_YEAR
        worked = 1.0 if hours_needed <= hours else hours / hours_needed
        found.append(
            Reach(
                role,
                measure,
                quota,
                credit * worked / spec.headcount,
                credit,
                hours_needed,
                hours,
                math.sqrt(spec.skill.variance) / spec.skill.mean,
            )
        )
    return found


def _quota(scenario: Scenario, role: Role) -> tuple[float, Measure] | None:
    """The role's annual quota and its measure now (its plan's, or the role's own)."""
    name = scenario.compensation.assign.get(role.value)
    if name is not None and name in scenario.compensation.plans:
        plan = scenario.compensation.plans[name]
        return plan.quota.amount, plan.quota_measure
    quota = scenario.roles.of(role).quota
    return None if quota is None else (quota, DEFAULT_MEASURE[role])


@dataclass(frozen=True)
class _Flows:
    """Leads a year worked in and passing each stage, won, and the ARR won a year."""

    worked: np.ndarray
    passed: np.ndarray
    won: float
    won_arr: float


def _stage_flows(scenario: Scenario) -> _Flows:
    """Leads a year through each stage, summed over the segments at their deal values."""
    stages = scenario.funnel.stages
    worked, passed = np.zeros(len(stages)), np.zeros(len(stages))
    won = won_arr = 0.0
    for segment, leads in _arrivals(scenario):
        into, out, wins = _through(stages, leads, segment.needs_specialist, segment.conversion_odds)
        worked += into
        passed += out
        won += wins
        won_arr += wins * segment.deal_value.mean
    return _Flows(worked, passed, won, won_arr)


def _arrivals(scenario: Scenario) -> Iterator[tuple[Segment, float]]:
    """(segment, new leads a year) for each segment."""
    market = scenario.market
    sdr = scenario.roles.sdr
    prospecting_hours = sdr.headcount * sdr.hours_per_week * sdr.prospecting_share * WEEKS_PER_YEAR
    outbound = market.outbound.leads_per_prospecting_hour * prospecting_hours
    weights = {name: segment.outbound_weight for name, segment in market.segments.items()}
    total_weight = sum(weights.values()) or 1.0
    referrals = (
        scenario.customers.initial.accounts * scenario.customers.referrals_per_account_per_year
    )
    home = scenario.customers.initial.segment or next(iter(market.segments))
    for name, segment in market.segments.items():
        inbound = segment.inbound.rate * DAYS_PER_YEAR * float(np.mean(segment.inbound.seasonality))
        leads = inbound + outbound * weights[name] / total_weight
        yield segment, leads + (referrals if name == home else 0.0)


def _through(
    stages: list[Stage], leads: float, needs_specialist: float, odds: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Leads worked in and passing each stage, and wins, for ``leads`` entering the first.

    A stage for deals that need a specialist takes that share of the deals reaching it;
    the rest skip to the following stage. Loops back (rework) are solved exactly.
    """
    n = len(stages)
    index = {stage.name: i for i, stage in enumerate(stages)}
    moves = np.zeros((n, n))  # moves[j, i]: share of leads entering i that next enter j
    wins = np.zeros(n)  # share of leads entering i that are won from it
    working = np.zeros(n)  # share of leads entering i that are worked in it
    passing = np.zeros(n)  # share of leads entering i that pass it
    for i, stage in enumerate(stages):
        share = needs_specialist if stage.when is When.NEEDS_SPECIALIST else 1.0
        working[i] = share
        convert = _with_odds(stage.convert, odds)
        skip = 1 - share
        following = i + 1 if i + 1 < n else None
        if skip and following is not None:
            moves[following, i] += skip
        elif skip:
            wins[i] += skip
        if stage.routes is not None:
            targets: list[tuple[str, float]] = list(stage.routes.items())
            passing[i] = share * sum(stage.routes.values())
        else:
            target = stage.next or (stages[following].name if following is not None else "won")
            targets = [(target, convert)]
            passing[i] = share * convert
        for target, p in targets:
            if target in index:
                moves[index[target], i] += share * p
            elif target == Outcome.WON.value:
                wins[i] += share * p
        if stage.routes is None and stage.on_fail is Outcome.WON:
            wins[i] += share * (1 - convert)
    start = np.zeros(n)
    start[0] = leads
    entered = np.linalg.solve(np.eye(n) - moves, start)
    return entered * working, entered * passing, float(entered @ wins)


def _with_odds(p: float, odds: float) -> float:
    if p >= 1 or odds == 1:
        return p
    scaled = p / (1 - p) * odds
    return scaled / (1 + scaled)


def _credit(scenario: Scenario, role: Role, measure: Measure, flows: _Flows) -> float | None:
    """The team's credit a year in ``measure`` at the market's demand; None: not judged."""
    stages = scenario.funnel.stages
    own = [i for i, stage in enumerate(stages) if stage.role is role]
    first_ae = next((i for i, stage in enumerate(stages) if stage.role is Role.AE), None)
    per_deal = flows.won_arr / flows.won if flows.won else 0.0
    if measure is Measure.MEETINGS:
        return float(sum(flows.passed[i] for i in own))
    if measure is Measure.SQLS:
        return None if first_ae is None else float(flows.passed[first_ae])
    if measure is Measure.PIPELINE_SOURCED:
        return None if first_ae is None else float(flows.passed[first_ae]) * per_deal
    if measure in (Measure.NEW_ARR, Measure.SOURCED_WON):
        return flows.won_arr
    if measure is Measure.TECHNICAL_WINS:
        return float(sum(flows.passed[i] for i in own))
    return None
