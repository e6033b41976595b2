"""Workforce rules: the people formulas by hand, managers' hours, and the rules in short runs.

The formulas (``attrition``, ``development``, ``Ramp``, ``credit_lag``, coaching focus,
``ManagerDesk.month``) are checked against numbers worked out by hand from the
docstrings and ``docs/model.md``. The model rules (backfill, growth, bootcamp,
performance plans, training, recognition, hand-over, sticky deals, the off switch) are
checked exactly on small, short simulations in which nobody leaves unless a test says so.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from salessim import Simulation
from salessim.model.attrition import (
    HazardInputs,
    annual_to_daily,
    attainment_curve,
    exit_hazards,
)
from salessim.model.development import Growth, develop, morale_target, refresh_skill, tier_of
from salessim.model.entities import Rep
from salessim.model.events import (
    AccountChurned,
    AccountRenewed,
    ExitKind,
    LeadStatus,
    LeadWorkStarted,
    MonthEnded,
    PlanEnded,
    PlanStarted,
    RepHired,
    RepLeft,
    TrainingHeld,
)
from salessim.model.managers import ManagerDesk
from salessim.model.pay.periods import credit_lag
from salessim.model.pay.standing import Standing
from salessim.policies.coaching import Coachee, coaching_split
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.load import apply_overrides
from salessim.scenario.people import (
    MANAGER_ACTIVITIES,
    Attrition,
    Coaching,
    CoachingFocus,
    Morale,
    QuitHazard,
    Ramp,
    Tier,
    Workforce,
)
from salessim.scenario.roles import ManagerSpec
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK, DAYS_PER_YEAR

QUARTER = 3 * DAYS_PER_MONTH
NO_EXITS = {"voluntary": 0, "involuntary": 0}


def with_(scenario: Scenario, **changes: Any) -> Scenario:
    """``scenario`` with overrides given as keywords, ``__`` standing for a dot."""
    return apply_overrides(scenario, {k.replace("__", "."): v for k, v in changes.items()})


def make_rep(
    id: int = 1,
    *,
    tier: Tier = Tier.CORE,
    hired_at: float = 0.0,
    manager: int = 0,
    role: Role = Role.AE,
) -> Rep:
    """A rep with the given id, tier, hire day, manager and role, other traits plain."""
    rep = Rep(id, role, 1.0, 1.0, 0.1, hired_at)
    rep.tier = tier
    rep.manager = manager
    return rep


# ============================================================================ 1. formulas
def test_annual_to_daily_gives_the_constant_hazard_of_the_annual_rate():
    """-ln(1 - rate) / 365.25 per day: a share ``rate`` leaves within a year, none at 0."""
    assert annual_to_daily(0.0) == 0.0
    assert annual_to_daily(0.16) == pytest.approx(0.174353387144778 / 365.25, rel=1e-12)
    assert annual_to_daily(0.5) == pytest.approx(math.log(2) / 365.25, rel=1e-12)
    # Survival over a year under the daily hazard is 1 - rate.
    assert math.exp(-annual_to_daily(0.3) * DAYS_PER_YEAR) == pytest.approx(0.7, rel=1e-12)
    # A rate of 1 (everyone leaves) is clamped to a finite, very large hazard.
    assert math.isfinite(annual_to_daily(1.0))
    assert annual_to_daily(1.0) > 27 * annual_to_daily(0.5)


def test_attainment_curve_is_high_at_the_peak_low_far_away_and_one_when_unknown():
    """U(a) = low + (high - low) exp(-((a - peak) / width)^2); 1 when attainment is unknown."""
    hazard = QuitHazard()  # peak 0.9, width 0.45, high 1.3, low 0.6
    assert attainment_curve(0.9, hazard) == pytest.approx(1.3, rel=1e-12)
    assert attainment_curve(0.9 + 0.45, hazard) == pytest.approx(0.6 + 0.7 / math.e, rel=1e-12)
    assert attainment_curve(0.45, hazard) == pytest.approx(0.6 + 0.7 / math.e, rel=1e-12)
    assert attainment_curve(6.0, hazard) == pytest.approx(0.6, abs=1e-12)
    assert attainment_curve(-5.0, hazard) == pytest.approx(0.6, abs=1e-12)
    assert attainment_curve(None, hazard) == 1.0
    flat = QuitHazard(attainment_high=1.0, attainment_low=1.0)
    assert attainment_curve(0.2, flat) == pytest.approx(1.0)


def close_months(standing: Standing, credits: list[float], bases: list[float]) -> None:
    """Close one month on ``standing`` for each credit and quota base."""
    for credit, base in zip(credits, bases, strict=True):
        standing.month_credit, standing.month_base = credit, base
        standing.close_month()


def test_attainment_needs_six_months_with_a_positive_quota_base():
    """Trailing credit / trailing base, None until six months carry a positive base."""
    standing = Standing()
    close_months(standing, [10.0, 0.0, 20.0, 20.0, 20.0, 20.0], [0.0, 0.0, 40.0, 40.0, 40.0, 40.0])
    assert standing.attainment() is None  # four months with a base
    close_months(standing, [30.0, 30.0], [40.0, 40.0])
    assert standing.attainment() == pytest.approx(150.0 / 240.0)
    close_months(standing, [0.0] * 12, [40.0] * 12)  # the window is the last twelve months
    assert standing.attainment() == 0.0


def test_a_month_closes_into_the_trailing_year_and_the_last_month_is_read_back():
    """``close_month`` moves the month's credit and base into the year and starts afresh."""
    standing = Standing()
    assert standing.last_month() is None
    standing.month_credit, standing.month_base = 30.0, 40.0
    standing.close_month()
    assert (standing.month_credit, standing.month_base) == (0.0, 0.0)
    assert (list(standing.credits), list(standing.bases)) == ([30.0], [40.0])
    assert standing.last_month() == pytest.approx(0.75)
    assert standing.recent_attainment(3) == pytest.approx(0.75)
    standing.close_month()  # a month with no base: no last month, the recent one stands
    assert standing.last_month() is None
    assert standing.recent_attainment(2) == pytest.approx(0.75)


def hazard_rep(
    *,
    pay: float,
    morale: float,
    attention: float,
    coached: float,
    tier: Tier,
    credits: list[float],
    bases: list[float],
) -> tuple[Rep, HazardInputs]:
    """A rep of ``tier`` hired on day 100, and what the hazard reads of its owners."""
    rep = make_rep(tier=tier, hired_at=100.0)
    rep.pay, rep.morale = pay, morale
    standing = Standing()
    close_months(standing, credits, bases)
    return rep, HazardInputs(standing.attainment(), attention, coached)


def test_exit_hazards_follow_the_docstring_formula():
    """Voluntary and involuntary hazards of a rep with known state, computed by hand."""
    rep, inputs = hazard_rep(
        pay=150_000,
        morale=0.2,
        attention=2.0,
        coached=1.5,
        tier=Tier.STAR,
        credits=[50_000.0] * 6,
        bases=[100_000.0] * 6,  # attainment 0.5
    )
    now = 100.0 + 4 * DAYS_PER_MONTH  # four months of tenure
    voluntary, involuntary = exit_hazards(
        rep, inputs, now, Attrition(voluntary=0.16, involuntary=0.03), 190_000, Workforce(), 0.25
    )
    new_hire = 1 + 0.8 * math.exp(-4 / 6)
    v0 = -math.log(0.84) / 365.25
    expected_voluntary = (
        v0
        * (190_000 / 150_000) ** 2  # pay elasticity 2
        * (0.6 + 0.7 * math.exp(-(((0.5 - 0.9) / 0.45) ** 2)))  # U(0.5)
        * math.exp(-0.8 * 0.2)  # morale weight 0.8
        * (2.0 / 3.0) ** -0.25  # attention over the 3-hour reference, elasticity 0.25
        * math.exp(-0.3 * 1.5)  # star retention 0.3 per coached hour
        * new_hire
        * (1 + 1.0 * 0.25)  # contagion 1, a quarter of the team left
    )
    expected_involuntary = -math.log(0.97) / 365.25 * math.exp(3.0 * (0.8 - 0.5)) * new_hire
    assert voluntary == pytest.approx(expected_voluntary, rel=1e-12)
    assert involuntary == pytest.approx(expected_involuntary, rel=1e-12)


def test_exit_hazards_floor_attention_cap_coaching_and_ignore_unknown_attainment():
    """Attention counts as at least ref / 4, coaching at most 4 h; unknown attainment is neutral."""
    rep, inputs = hazard_rep(
        pay=100_000,
        morale=-0.5,
        attention=0.1,  # floored at 3 / 4
        coached=10.0,  # capped at 4
        tier=Tier.CORE,
        credits=[1.0] * 5,
        bases=[100.0] * 5,  # five months: attainment unknown
    )
    assert inputs.attainment is None
    now = 100.0 + 12 * DAYS_PER_MONTH
    voluntary, involuntary = exit_hazards(
        rep, inputs, now, Attrition(voluntary=0.2, involuntary=0.05), 100_000, Workforce(), 0.0
    )
    new_hire = 1 + 0.8 * math.exp(-12 / 6)
    v0 = -math.log(0.8) / 365.25
    expected_voluntary = (
        v0 * math.exp(0.8 * 0.5) * (0.75 / 3.0) ** -0.25 * math.exp(-0.05 * 4.0) * new_hire
    )
    assert voluntary == pytest.approx(expected_voluntary, rel=1e-12)
    assert involuntary == pytest.approx(-math.log(0.95) / 365.25 * new_hire, rel=1e-12)

    # Above involuntary_below (0.8) there is no shortfall: the involuntary base rate only.
    inputs = inputs._replace(attainment=0.95)
    _voluntary, involuntary = exit_hazards(
        rep, inputs, now, Attrition(voluntary=0.2, involuntary=0.05), 100_000, Workforce(), 0.0
    )
    assert involuntary == pytest.approx(-math.log(0.95) / 365.25 * new_hire, rel=1e-12)


def test_develop_one_month_with_some_practice_and_coaching():
    """Experience gains with practice and loses to forgetting; uplift moves toward the target."""
    growth = Growth(1.0, experience=0.8)
    growth.uplift = 0.02
    develop(growth, Tier.CORE, utilisation=0.15, coached_hours=1.1, workforce=Workforce())
    # practice 0.15 / 0.3 = 0.5, coached 1.1 / 2.2 = 0.5
    gained = 0.8 + 0.08 * 0.5 * (1 - 0.8)  # 0.808
    experience = gained - 0.03 * (1 - 0.5) * (1 - 0.5) * gained  # 0.80194
    target = 0.19 * (1 - math.exp(-0.5))
    assert growth.experience == pytest.approx(experience, rel=1e-12)
    assert growth.experience == pytest.approx(0.80194, rel=1e-12)
    assert growth.uplift == pytest.approx(0.02 + 0.35 * (target - 0.02), rel=1e-12)


def test_develop_without_coaching_fades_the_uplift_and_full_practice_stops_forgetting():
    """Uncoached, uplift loses ``fade`` of itself; at full practice nothing is forgotten."""
    growth = Growth(1.0, experience=0.8)
    growth.uplift = 0.05
    develop(growth, Tier.STAR, utilisation=0.6, coached_hours=0.0, workforce=Workforce())
    assert growth.experience == pytest.approx(0.8 + 0.08 * 0.2, rel=1e-12)
    assert growth.uplift == pytest.approx(0.05 * (1 - 0.06), rel=1e-12)

    idle = Growth(1.0, experience=0.9)
    develop(idle, Tier.LAGGARD, utilisation=0.0, coached_hours=0.0, workforce=Workforce())
    assert idle.experience == pytest.approx(0.9 * (1 - 0.03), rel=1e-12)
    assert idle.uplift == 0.0


def test_refresh_skill_multiplies_ability_experience_uplift_and_ramp():
    """Skill is ability x experience x (1 + uplift) x (floor + (1 - floor) p); odds skill^e."""
    rep = make_rep()
    rep.productivity = 0.5
    growth = Growth(1.2, experience=0.9)
    growth.uplift = 0.1
    refresh_skill(rep, growth, Ramp(linear=90, skill_floor=0.7), skill_elasticity=2.0)
    assert rep.skill == pytest.approx(1.2 * 0.9 * 1.1 * 0.85, rel=1e-12)
    assert rep.skill == pytest.approx(1.0098, rel=1e-12)
    assert rep.skill_odds == pytest.approx(1.0098**2, rel=1e-12)


def test_morale_target_from_attainment_and_attention():
    """0.5 (min(2, max(0, a)) - 1) + 0.2 ln(max(h, ref / 4) / ref), clipped to [-1, 1]."""
    spec = Morale()
    assert morale_target(1.5, 3.0, spec, 3.0) == pytest.approx(0.25, abs=1e-12)
    assert morale_target(None, 3.0, spec, 3.0) == 0.0
    assert morale_target(None, 0.1, spec, 3.0) == pytest.approx(0.2 * math.log(0.25), rel=1e-12)
    assert morale_target(3.0, 6.0, spec, 3.0) == pytest.approx(0.5 + 0.2 * math.log(2), rel=1e-12)
    assert morale_target(-1.0, 0.0, spec, 3.0) == pytest.approx(
        -0.5 + 0.2 * math.log(0.25), rel=1e-12
    )
    strong = Morale(attainment_weight=3.0)
    assert morale_target(2.0, 3.0, strong, 3.0) == 1.0
    assert morale_target(0.0, 0.0, strong, 3.0) == -1.0


def test_tier_of_uses_the_cut_offs_inclusively():
    """At or above the star cut-off: star; at or below the laggard cut-off: laggard."""
    cuts = (0.8, 1.2)
    assert tier_of(1.2, cuts) is Tier.STAR
    assert tier_of(1.5, cuts) is Tier.STAR
    assert tier_of(1.19, cuts) is Tier.CORE
    assert tier_of(1.0, cuts) is Tier.CORE
    assert tier_of(0.81, cuts) is Tier.CORE
    assert tier_of(0.8, cuts) is Tier.LAGGARD
    assert tier_of(0.1, cuts) is Tier.LAGGARD


def test_ramp_productivity_for_each_form():
    """Linear grows 0 to 1; quarterly holds each value a quarter; table interpolates; then 1."""
    linear = Ramp(linear=90)
    assert [linear.productivity(d) for d in (0, 45, 89.999, 90, 500)] == pytest.approx(
        [0.0, 0.5, 89.999 / 90, 1.0, 1.0]
    )
    quarterly = Ramp(quarterly=[0.0, 0.25, 0.5])
    points = (0, QUARTER - 1e-6, QUARTER, 2 * QUARTER + 1, 3 * QUARTER, 1000)
    assert [quarterly.productivity(d) for d in points] == [0.0, 0.0, 0.25, 0.5, 1.0, 1.0]
    table = Ramp(table=[(0, 0.0), (60, 0.4), (180, 1.0)])
    assert [table.productivity(d) for d in (0, 30, 60, 120, 180, 400)] == pytest.approx(
        [0.0, 0.2, 0.4, 0.7, 1.0, 1.0]
    )
    # A table starting late starts from (0, 0); one ending below 1 jumps to 1 after it.
    late = Ramp(table=[(30, 0.3), (90, 0.6)])
    assert [late.productivity(d) for d in (15, 30, 60, 89, 91)] == pytest.approx(
        [0.15, 0.3, 0.45, 0.595, 1.0]
    )
    assert Ramp().productivity(0) == 1.0


def test_credit_lag_of_the_default_stages():
    """Sum of mean lags from a role's first stage to the stage crediting it (AE: to the end)."""
    scenario = Scenario()
    # discovery 7, demo 12, technical validation 7, proposal 12, negotiation 14
    assert credit_lag(scenario, Role.AE) == pytest.approx(52.0)
    assert credit_lag(scenario, Role.SDR) == 0.0  # qualification has no lag
    assert credit_lag(scenario, Role.SPECIALIST) == pytest.approx(7.0)
    assert credit_lag(scenario, Role.CSM) == 0.0  # no funnel stage


# ============================================================================ 2. coaching focus
TEAM = [
    Coachee(1, Tier.STAR, 0.0, 1.4),
    Coachee(2, Tier.CORE, 400.0, None),
    Coachee(3, Tier.CORE, 150.0, 0.3),
    Coachee(4, Tier.LAGGARD, 300.0, 0.95),
    Coachee(5, Tier.CORE, 500.0 - DAYS_PER_YEAR, 0.5),
    Coachee(6, Tier.CORE, 0.0, 0.99),
]
NOW = 500.0


@pytest.mark.parametrize(
    ("focus", "expected"),
    [
        (CoachingFocus.EVEN, {1: 2.0, 2: 2.0, 3: 2.0, 4: 2.0, 5: 2.0, 6: 2.0}),
        (CoachingFocus.STARS, {1: 12.0}),
        (CoachingFocus.CORE, {2: 3.0, 3: 3.0, 5: 3.0, 6: 3.0}),
        (CoachingFocus.LAGGARDS, {4: 12.0}),
        # hired less than a year ago: 2 (100 days), 3 (350 days), 4 (200 days); 5 is a year
        (CoachingFocus.NEW_HIRES, {2: 4.0, 3: 4.0, 4: 4.0}),
        # bottom third of six by attainment: 0.3 (rep 3) and 0.5 (rep 5)
        (CoachingFocus.LOWEST_ATTAINMENT, {3: 6.0, 5: 6.0}),
    ],
)
def test_coaching_split_gives_the_hours_evenly_to_the_reps_the_focus_picks(focus, expected):
    """Each focus picks its reps; the hours are shared evenly among them only."""
    assert coaching_split(focus, TEAM, NOW, 12.0) == pytest.approx(expected)


def test_lowest_attainment_counts_unknown_as_on_target_and_breaks_ties_by_id():
    """Unknown attainment ranks as 1.0 (above 0.99, below 1.2); ties go to the lower id."""
    team = [Coachee(1, Tier.CORE, 0.0, 1.2), Coachee(2, Tier.CORE, 0.0, None)]
    assert coaching_split(CoachingFocus.LOWEST_ATTAINMENT, team, NOW, 3.0) == {2: 3.0}
    team = [Coachee(1, Tier.CORE, 0.0, 0.99), Coachee(2, Tier.CORE, 0.0, None)]
    assert coaching_split(CoachingFocus.LOWEST_ATTAINMENT, team, NOW, 3.0) == {1: 3.0}
    team = [Coachee(i, Tier.CORE, 0.0, 0.7) for i in (3, 1, 2)]
    assert coaching_split(CoachingFocus.LOWEST_ATTAINMENT, team, NOW, 3.0) == {1: 3.0}


@pytest.mark.parametrize(
    "focus", [CoachingFocus.STARS, CoachingFocus.LAGGARDS, CoachingFocus.NEW_HIRES]
)
def test_coaching_split_falls_back_to_everyone_when_the_focus_picks_nobody(focus):
    """No stars, laggards or new hires on the team: the hours go to everyone evenly."""
    team = [Coachee(i, Tier.CORE, 0.0) for i in (1, 2, 3, 4)]
    assert coaching_split(focus, team, NOW, 10.0) == pytest.approx(dict.fromkeys((1, 2, 3, 4), 2.5))
    assert coaching_split(focus, [], NOW, 10.0) == {}


# ============================================================================ 3. managers
def desk(headcount: int, hours_per_week: float) -> ManagerDesk:
    """``headcount`` managers of ``hours_per_week`` each, 20% of it admin (as figured below)."""
    spec = {"headcount": headcount, "hours_per_week": hours_per_week, "time": {"admin_share": 0.2}}
    return ManagerDesk(ManagerSpec.model_validate(spec))


def team_of(n: int) -> list[Rep]:
    """``n`` reps of one manager."""
    return [make_rep(i + 1) for i in range(n)]


def spend(managers: ManagerDesk, reps: list[Rep], days: float, demands: dict[str, float]) -> None:
    """One month of the desk, over the stale hours of a past month."""
    managers.coached = {rep.id: 99.0 for rep in reps}
    managers.attention = {rep.id: 99.0 for rep in reps}
    managers.month(reps, days, 100.0, COACHING, demands, lambda _rep_id: None)


def coached(managers: ManagerDesk, rep: Rep) -> float:
    """The hours ``rep`` was coached this month."""
    return managers.coached.get(rep.id, 0.0)


def attention(managers: ManagerDesk, rep: Rep) -> float:
    """The hours of attention ``rep`` had this month."""
    return managers.attention.get(rep.id, 0.0)


DEMANDS = {"hiring": 12.0, "deal_support": 5.0, "training": 6.0}
COACHING = Coaching(hours_per_rep_per_month=2.0, focus=CoachingFocus.EVEN)


def test_manager_month_with_enough_hours_serves_every_activity_in_full():
    """One manager, five reps, 45 h a week over 28 days: every demand met, coaching in full."""
    managers = desk(1, 45.0)
    reps = team_of(5)
    spend(managers, reps, 28.0, DEMANDS)
    months = 28.0 / DAYS_PER_MONTH
    # 4 weeks x 45 h = 180 h: admin 20% = 36, one 1-hour meeting a week = 4, then the
    # demands, then 2 h per rep per month of one-to-ones and of coaching (scaled to 28 days).
    expected = {
        "admin": 36.0,
        "team_meetings": 4.0,
        "hiring": 12.0,
        "deal_support": 5.0,
        "training": 6.0,
        "one_to_ones": 2.0 * 5 * months,
        "recognition": 0.0,  # no recognition policy given
        "coaching": 2.0 * 5 * months,
    }
    assert managers.hours == pytest.approx(expected)
    for rep in reps:
        assert coached(managers, rep) == pytest.approx(2.0)  # per month
        assert attention(managers, rep) == pytest.approx(4.0)  # one-to-one plus coaching


def test_manager_month_with_too_few_hours_serves_earlier_activities_first():
    """Coaching gets what is left after the fixed duties: part of its budget, or nothing."""
    managers = desk(1, 12.0)
    reps = team_of(5)
    spend(managers, reps, DAYS_PER_MONTH, DEMANDS)
    weeks = DAYS_PER_MONTH / DAYS_PER_WEEK
    total = 12.0 * weeks  # 52.18 h
    left = total - 0.2 * total - 1.0 * weeks - 12.0 - 5.0 - 6.0 - 10.0  # 4.39 h for coaching
    assert 0 < left < 10
    assert managers.hours["one_to_ones"] == pytest.approx(10.0)
    assert managers.hours["coaching"] == pytest.approx(left)
    for rep in reps:
        assert coached(managers, rep) == pytest.approx(left / 5)
        assert attention(managers, rep) == pytest.approx(2.0 + left / 5)

    managers = desk(1, 5.0)
    reps = team_of(5)
    spend(managers, reps, DAYS_PER_MONTH, DEMANDS)
    total = 5.0 * weeks  # 21.74 h: admin 4.35, meetings 4.35, hiring 12, deal support 1.04
    served = managers.hours
    assert served["admin"] == pytest.approx(0.2 * total)
    assert served["team_meetings"] == pytest.approx(weeks)
    assert served["hiring"] == pytest.approx(12.0)
    assert served["deal_support"] == pytest.approx(0.8 * total - weeks - 12.0)
    assert served["training"] == served["one_to_ones"] == served["coaching"] == 0.0
    for rep in reps:
        assert coached(managers, rep) == attention(managers, rep) == 0.0


def test_manager_demands_are_shared_and_spans_matter():
    """Two managers share hiring and deal support; a wider span leaves less coaching per rep."""
    managers = desk(2, 5.0)
    reps = team_of(5)
    for rep in reps:
        rep.manager = 0 if rep.id <= 4 else 1
    spend(managers, reps, DAYS_PER_MONTH, {"hiring": 4.0, "deal_support": 2.0})
    weeks = DAYS_PER_MONTH / DAYS_PER_WEEK
    # Each manager: 21.7 h, 80% after admin, less the meeting and half of each demand: 10.0 h.
    left = 0.8 * 5.0 * weeks - weeks - 2.0 - 1.0
    wide = min(8.0, left - 8.0) / 4  # four reps: 8 h of one-to-ones, coaching gets 2.0 h
    narrow = min(2.0, left - 2.0) / 1  # one rep: 2 h of one-to-ones, coaching in full
    assert wide == pytest.approx(0.51, abs=0.01)
    assert narrow == 2.0
    assert [coached(managers, rep) for rep in reps] == pytest.approx([wide] * 4 + [narrow])
    assert [attention(managers, rep) for rep in reps] == pytest.approx(
        [2 + wide] * 4 + [2 + narrow]
    )
    assert managers.hours["hiring"] == pytest.approx(4.0)
    assert managers.hours["deal_support"] == pytest.approx(2.0)
    assert managers.hours["coaching"] == pytest.approx(4 * wide + narrow)


def test_no_managers_means_no_attention():
    """With zero managers every rep's attention and coaching is zero and no hours are spent."""
    managers = desk(0, 45.0)
    reps = team_of(3)
    spend(managers, reps, DAYS_PER_MONTH, DEMANDS)
    assert all(coached(managers, rep) == attention(managers, rep) == 0.0 for rep in reps)
    assert managers.hours == dict.fromkeys(MANAGER_ACTIVITIES, 0.0)


# ============================================================================ 4. model rules
def people_org(**changes: Any) -> Scenario:
    """Six AEs and a few others, one manager, a trickle of leads; nobody leaves by default.

    Hiring takes exactly 20 days, the bootcamp 14: every candidate takes the job (no sorting).
    """
    base = Scenario.model_validate(
        {
            "calendar": {"horizon": "1y"},
            "market": {"segments": {"mid_market": {"inbound": {"rate": "20/mo"}}}},
            "customers": {"referrals_per_account_per_year": 0},
            "roles": {
                "sdr": {"headcount": 2, "attrition": NO_EXITS},
                "ae": {
                    "headcount": 6,
                    "attrition": NO_EXITS,
                    "hiring": {"time_to_hire": 20, "bootcamp": 14},
                },
                "specialist": {"headcount": 1, "attrition": NO_EXITS},
                "csm": {"headcount": 1, "attrition": NO_EXITS},
                "manager": {"headcount": 1},
            },
            "workforce": {"sorting": {"enabled": False}},
        }
    )
    return with_(base, **changes)


def quiet(scenario: Scenario) -> Scenario:
    """``scenario`` with nobody leaving on their own."""
    changes = {f"roles__{role.value}__attrition": NO_EXITS for role in WORKING_ROLES}
    return with_(scenario, **changes)


class People:
    """The people events of a run (AE only unless asked), recorded from the bus."""

    def __init__(self, sim: Simulation, role: Role | None = Role.AE) -> None:
        self.hired: list[RepHired] = []
        self.left: list[RepLeft] = []
        self.started: list[PlanStarted] = []
        self.ended: list[PlanEnded] = []
        self.training: list[TrainingHeld] = []

        def keep(into: list[Any]) -> Callable[[Any], None]:
            def add(event: Any) -> None:
                if role is None or event.role is role:
                    into.append(event)

            return add

        bus = sim.bus
        bus.subscribe(RepHired, keep(self.hired))
        bus.subscribe(RepLeft, keep(self.left))
        bus.subscribe(PlanStarted, keep(self.started))
        bus.subscribe(PlanEnded, keep(self.ended))
        bus.subscribe(TrainingHeld, self.training.append)


LEAVING_AES = {"roles__ae__attrition__voluntary": 0.9}
BACKFILL_RUN = 200.0


def backfill_run(backfill: str, seed: int = 3) -> tuple[Simulation, People]:
    """The people organisation, AEs leaving fast, run under ``backfill`` to day 200; its events."""
    scenario = people_org(policies__staffing__backfill=backfill, **LEAVING_AES)
    sim = Simulation(scenario, seed)
    people = People(sim)
    sim.run_until(BACKFILL_RUN)
    return sim, people


def test_immediate_backfill_hires_one_time_to_hire_after_each_exit():
    """Each AE exit opens a requisition at once: a hire exactly 20 days later, back to target."""
    sim, people = backfill_run("immediate")
    exits = [t for t, *_ in people.left]
    assert len(exits) >= 3
    expected = sorted(t + 20.0 for t in exits if t + 20.0 < BACKFILL_RUN)
    assert [t for t, *_ in sorted(people.hired, key=lambda h: h[0])] == pytest.approx(expected)
    assert all(hire.days_to_fill == pytest.approx(20.0) for hire in people.hired)
    workforce = sim.workforce
    assert workforce.target[Role.AE] == 6
    assert len(workforce.staff[Role.AE]) + workforce.open_requisitions[Role.AE] == 6


def test_delayed_backfill_waits_the_delay_plus_the_time_to_hire():
    """Delayed backfill: each hire comes backfill_delay (30) + time to hire (20) after its exit."""
    sim, people = backfill_run("delayed")
    exits = [t for t, *_ in people.left]
    assert len(exits) >= 3
    expected = sorted(t + 50.0 for t in exits if t + 50.0 < BACKFILL_RUN)
    assert [t for t, *_ in sorted(people.hired, key=lambda h: h[0])] == pytest.approx(expected)
    assert all(hire.days_to_fill >= 50.0 - 1e-9 for hire in people.hired)
    workforce = sim.workforce
    assert len(workforce.staff[Role.AE]) + workforce.open_requisitions[Role.AE] == 6


def test_freeze_never_hires_and_headcount_falls():
    """Under a freeze each exit lowers the target by one and no requisition ever opens."""
    sim, people = backfill_run("freeze")
    assert len(people.left) >= 3
    assert people.hired == []
    workforce = sim.workforce
    assert len(workforce.staff[Role.AE]) == 6 - len(people.left)
    assert workforce.target[Role.AE] == 6 - len(people.left)
    assert workforce.open_requisitions[Role.AE] == 0


GROWTH = {"policies__staffing__growth": {"ae": [{"at": "2027-03-01", "headcount": 9}]}}


def test_a_growth_step_raises_headcount_to_the_target_after_its_date():
    """From the step's date the AE target is 9: requisitions open then, hires 20 days later."""
    sim = Simulation(people_org(roles__ae__hiring__time_to_hire=10, **GROWTH), 1)
    people = People(sim)
    step = sim.calendar.day_of(sim.calendar.start_date.replace(month=3))  # day 59, a month end
    sim.run_until(step - 0.5)
    assert len(sim.workforce.staff[Role.AE]) == 6
    assert sim.workforce.open_requisitions[Role.AE] == 0
    sim.run_until(step + 0.5)
    assert sim.workforce.target[Role.AE] == 9
    assert sim.workforce.open_requisitions[Role.AE] == 3
    sim.run_until(step + 10.5)
    assert len(sim.workforce.staff[Role.AE]) == 9
    assert sim.workforce.open_requisitions[Role.AE] == 0
    assert [t for t, *_ in people.hired] == pytest.approx([step + 10.0] * 3)


def test_a_rep_in_bootcamp_is_employed_but_not_on_the_team_until_it_ends():
    """A hire is on the staff from day one, off the team (no work, productivity 0) for 14 days."""
    sim = Simulation(people_org(roles__ae__hiring__time_to_hire=10, **GROWTH), 1)
    people = People(sim)
    hired_at = sim.calendar.day_of(sim.calendar.start_date.replace(month=3)) + 10.0
    team = sim.organisation.teams[Role.AE]
    for day in (hired_at + 0.5, hired_at + 13.5):
        sim.run_until(day)
        staff = {rep.id: rep for rep in sim.workforce.staff[Role.AE]}
        hires = [staff[hire.rep] for hire in people.hired]
        assert len(hires) == 3
        for rep in hires:
            assert rep in sim.workforce.staff[Role.AE]
            assert rep not in team.reps
            assert not rep.active
            assert rep.productivity == 0.0
    sim.run_until(hired_at + 14.5)
    for rep in hires:
        assert rep in team.reps
        assert rep.active
        assert rep.joined_at == pytest.approx(hired_at + 14.0)
        assert rep.productivity > 0.0
    assert len(team.reps) == 9


PLAN_RUN = 280.0  # attainment is known from the end of August (day 243)


def plan_run(small_org: Scenario, quota: float) -> People:
    """The AE events of the small organisation, nobody quitting, on ``quota``, to day 280."""
    scenario = with_(
        quiet(small_org),
        roles__ae__quota=quota,
        policies__performance__min_tenure=0,
        policies__performance__plan_months=1,
    )
    sim = Simulation(scenario, 5)
    people = People(sim)
    sim.run_until(PLAN_RUN)
    return people


def test_a_huge_quota_puts_every_ae_on_a_plan_and_the_plan_ends_in_a_firing(small_org):
    """Attainment far under 0.5: a plan, then PLAN_ENDED(restored=False) and an involuntary exit."""
    people = plan_run(small_org, 1e12)
    assert len(people.started) == 6  # every starting AE, once attainment is known
    started = {plan.rep: plan.day for plan in people.started}
    assert len(people.ended) == 6
    left = {
        e.rep: (e.day, e.exit is ExitKind.INVOLUNTARY, e.regretted, e.exit_cost)
        for e in people.left
    }
    for plan in people.ended:
        t = plan.day
        assert plan.restored is False
        assert t - started[plan.rep] >= DAYS_PER_MONTH - 1 - 1e-9
        assert t - started[plan.rep] <= DAYS_PER_MONTH - 1 + 31
        assert left[plan.rep] == (t, True, False, 20_000)


def test_a_tiny_quota_puts_nobody_on_a_plan(small_org):
    """Every AE far above threshold: no plans, no firings (nobody leaves otherwise)."""
    people = plan_run(small_org, 1)
    assert people.started == []
    assert people.ended == []
    assert people.left == []


def test_monthly_training_costs_reps_times_cost_and_adds_skill_gain_to_uplift():
    """Each session trains every rep on a team at cost_per_rep and adds skill_gain to uplift.

    Coaching is off and the uplift does not fade, so training alone moves the uplift.
    """
    scenario = people_org(
        policies__training={"every": "1mo", "cost_per_rep": 500, "skill_gain": 0.02},
        policies__coaching__hours_per_rep_per_month=0,
        workforce__coaching__fade=0,
    )
    sim = Simulation(scenario, 2)
    people = People(sim)
    sim.run_until(200.0)
    assert len(people.training) >= 5
    reps = 2 + 6 + 1 + 1
    for _t, trained, cost in people.training:
        assert trained == reps
        assert cost == pytest.approx(reps * 500)
    for role in WORKING_ROLES:
        for rep in sim.workforce.staff[role]:
            uplift = sim.workforce.roster.growth[rep.id].uplift
            assert uplift == pytest.approx(0.02 * len(people.training), rel=1e-9)


def test_training_every_month_is_held_at_every_month_end():
    """``every: 1mo`` holds one session at each month end: twelve in the first year."""
    sim = Simulation(people_org(policies__training__every="1mo"), 2)
    people = People(sim)
    month_ends: list[float] = []
    sim.bus.subscribe(MonthEnded, lambda event: month_ends.append(event.day))
    sim.run_until(DAYS_PER_YEAR + 1)
    assert len(month_ends) == 12
    assert [t for t, *_ in people.training] == month_ends


def first_month_end(scenario: Scenario, seed: int) -> dict[int, tuple[float, float, float]]:
    """(morale, month credit, month base) of each rep just after the first month end."""
    sim = Simulation(scenario, seed)
    next(sim.month_ends())  # just after the first month end's work
    standings = sim.payroll.standings
    return {
        rep.id: (rep.morale, standings[rep.id].credits[-1], standings[rep.id].bases[-1])
        for role in WORKING_ROLES
        for rep in sim.workforce.staff[role]
    }


def test_recognition_raises_the_morale_of_the_months_best_rep(small_org):
    """The best rep by the month's credit / base gains boost x (1 - reversion) over no recognition.

    SDRs carry a quota so that January has attainers; same seed, so everything else is equal.
    """
    scenario = with_(quiet(small_org), roles__sdr__quota=1000)
    with_recognition = first_month_end(scenario, 4)
    without = first_month_end(with_(scenario, policies__recognition__per_team_per_month=0), 4)
    eligible = {
        rep_id: credit / base
        for rep_id, (_morale, credit, base) in with_recognition.items()
        if base > 0 and credit > 0
    }
    assert len(eligible) >= 2
    best = min(eligible, key=lambda rep_id: (-eligible[rep_id], rep_id))
    for rep_id, (morale, *_) in with_recognition.items():
        gain = 0.25 * (1 - 0.3) if rep_id == best else 0.0
        assert morale - without[rep_id][0] == pytest.approx(gain, abs=1e-12)


def leave_with_deals(small_org: Scenario, deal_loss: float) -> tuple[Simulation, Rep, list]:
    """Run a while, then the AE owning the most open deals leaves; return its former deals."""
    scenario = with_(quiet(small_org), policies__reassignment__deal_loss=deal_loss)
    sim = Simulation(scenario, 6)
    sim.run_until(100.0)
    leaver = max(sim.workforce.staff[Role.AE], key=lambda rep: (len(rep.owned), -rep.id))
    deals = list(leaver.owned.values())
    assert len(deals) >= 3
    sim.workforce.leave(leaver, ExitKind.VOLUNTARY)
    return sim, leaver, deals


def test_with_deal_loss_one_every_open_deal_of_a_leaving_ae_is_lost(small_org):
    """deal_loss 1: each open deal the leaver owned closes lost at once, and stays lost."""
    sim, leaver, deals = leave_with_deals(small_org, 1.0)
    assert all(deal.status is LeadStatus.LOST for deal in deals)
    assert leaver.owned == {}
    assert leaver.load == 0
    assert leaver not in sim.organisation.teams[Role.AE].reps
    sim.run_until(160.0)
    assert all(deal.status is LeadStatus.LOST for deal in deals)


def test_with_deal_loss_zero_every_open_deal_goes_to_a_teammate(small_org):
    """deal_loss 0: no deal is lost; each is owned by a teammate still on the team."""
    sim, leaver, deals = leave_with_deals(small_org, 0.0)
    team = sim.organisation.teams[Role.AE]
    assert all(deal.status is LeadStatus.OPEN for deal in deals)
    for deal in deals:
        assert deal.owner is not leaver
        assert deal.owner in team.reps
        assert deal.owner.owned[deal.id] is deal
    assert leaver.owned == {}
    assert leaver.load == 0
    assert all(rep.load == len(rep.owned) for rep in team.reps)


def csm_leaves(small_org: Scenario, account_loss: float) -> tuple[Simulation, Rep, dict]:
    """Three CSMs on a 3-month contract term; one leaves on day 40. Its accounts by id."""
    scenario = with_(
        quiet(small_org),
        roles__csm__headcount=3,
        market__segments__mid_market__contract_term="3mo",
        policies__reassignment__account_loss=account_loss,
    )
    sim = Simulation(scenario, 7)
    sim.run_until(40.0)
    book = sim.customers.book
    leaver = sim.workforce.staff[Role.CSM][0]
    accounts = {book.id[s]: book.renewal_at[s] for s in book.slots() if book.csm[s] == leaver.id}
    assert len(accounts) >= 20
    sim.workforce.leave(leaver, ExitKind.VOLUNTARY)
    return sim, leaver, accounts


def test_a_leaving_csms_accounts_all_go_to_teammates(small_org):
    """Every account of the leaver gets a CSM still on the team; their loads grow to match."""
    sim, leaver, accounts = csm_leaves(small_org, 0.0)
    book = sim.customers.book
    team = sim.organisation.teams[Role.CSM]
    slots = {book.id[s]: s for s in book.slots()}
    assert set(accounts) <= set(slots)
    owners = {book.csm[slots[account]] for account in accounts}
    assert owners <= {rep.id for rep in team.reps}
    assert leaver.id not in owners
    assert not any(book.lost_in_handover[slots[account]] for account in accounts)
    assert leaver.load == 0
    for rep in team.reps:
        assert rep.load == sum(1 for s in book.slots() if book.csm[s] == rep.id)


def test_with_account_loss_one_a_leaving_csms_accounts_churn_at_their_next_renewal(small_org):
    """account_loss 1: each of the leaver's accounts churns on its next renewal date."""
    sim, _leaver, accounts = csm_leaves(small_org, 1.0)
    churned: dict[int, float] = {}
    renewed: set[int] = set()
    sim.bus.subscribe(AccountChurned, lambda e: churned.setdefault(e.account, e.day))
    sim.bus.subscribe(AccountRenewed, lambda e: renewed.add(e.account))
    sim.run_until(max(accounts.values()) + 1.0)
    assert not renewed & set(accounts)
    assert {a: churned.get(a) for a in accounts} == pytest.approx(accounts)


def test_sticky_deals_change_ae_only_when_their_ae_has_left(small_org):
    """With AEs leaving, a deal's AE work moves to another AE only after its AE left."""
    scenario = with_(quiet(small_org), policies__deal_ownership="sticky", **LEAVING_AES)
    sim = Simulation(scenario, 8)
    work: dict[int, list[tuple[float, int]]] = defaultdict(list)
    left: dict[int, float] = {}

    def started(event: LeadWorkStarted) -> None:
        if event.role is Role.AE:
            work[event.lead].append((event.day, event.rep))

    sim.bus.subscribe(LeadWorkStarted, started)
    sim.bus.subscribe(RepLeft, lambda e: e.role is Role.AE and left.setdefault(e.rep, e.day))
    sim.run_until(DAYS_PER_YEAR)
    assert len(left) >= 3
    moves = 0
    for starts in work.values():
        for (_t0, before), (t1, after) in itertools.pairwise(starts):
            if before != after:
                moves += 1
                assert before in left, "a deal changed AE though its AE never left"
                assert left[before] <= t1
        for t, rep_id in starts:
            assert t <= left.get(rep_id, math.inf), "a leaver started new work"
    assert moves > 0


def test_workforce_off_means_fixed_fully_productive_staff(small_org):
    """enabled: false: no hires or exits (even at a 90% quit rate), productivity 1 throughout."""
    scenario = with_(
        small_org,
        workforce__enabled=False,
        policies__training__every="1mo",
        **LEAVING_AES,
        **GROWTH,
    )
    sim = Simulation(scenario, 9)
    people = People(sim, role=None)
    headcount = sim.workforce.headcount()
    productivity: list[float] = []
    sim.bus.subscribe(
        MonthEnded,
        lambda _event: productivity.extend(
            rep.productivity for role in WORKING_ROLES for rep in sim.workforce.staff[role]
        ),
    )
    sim.run_until(DAYS_PER_YEAR)
    assert people.hired == [] and people.left == [] and people.training == []
    assert sim.workforce.headcount() == headcount
    assert len(productivity) == 12 * sum(headcount.values())
    assert set(productivity) == {1.0}
    for role in WORKING_ROLES:
        for rep in sim.workforce.staff[role]:
            assert rep.active
            assert rep.speed == rep.full_speed
            assert rep in sim.organisation.teams[role].reps
