"""Span of control: a manager's coaching time is a budget shared among its reps."""

from __future__ import annotations

import math

import pytest

from salessim import Simulation, simulate
from salessim.model.development import ramp_boost
from salessim.model.managers import ManagerDesk
from salessim.scenario.load import load_scenario
from salessim.scenario.people import Coaching
from salessim.scenario.roles import ManagerSpec
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK
from tests.model.test_workforce_rules import team_of
from tests.support import ROOT

HOURS = 45.0 * DAYS_PER_MONTH / DAYS_PER_WEEK  # a manager's month at 45 h a week


def month_of(reps: int, coaching: Coaching) -> tuple[ManagerDesk, list[float]]:
    """One manager's month with ``reps`` reps: the desk, and the hours each rep is coached."""
    desk = ManagerDesk(ManagerSpec.model_validate({"headcount": 1, "hours_per_week": 45}))
    team = team_of(reps)
    desk.month(team, DAYS_PER_MONTH, 100.0, coaching, {}, lambda _rep_id: None)
    return desk, [desk.coached.get(rep.id, 0.0) for rep in team]


def coached_per_rep(reps: int, coaching: Coaching) -> list[float]:
    """The hours each of ``reps`` reps of one manager is coached in a month."""
    return month_of(reps, coaching)[1]


@pytest.mark.parametrize("reps", [6, 16])
def test_coaching_hours_a_rep_follow_from_span(reps):
    """16% of a 45-hour week, about 31 h a month, shared: 5.2 h a rep of 6, 2.0 of 16."""
    hours = coached_per_rep(reps, Coaching())
    assert hours == pytest.approx([0.16 * HOURS / reps] * reps)


def test_a_policy_can_ask_for_hours_a_rep_instead():
    """With hours asked per rep, each rep gets them while the manager's time lasts."""
    assert coached_per_rep(10, Coaching(hours_per_rep_per_month=3)) == pytest.approx([3.0] * 10)


def test_at_a_wide_span_the_managers_duties_leave_less_than_the_budget():
    """With 50 reps, admin, the meeting and one-to-ones leave less than 16% for coaching.

    The desk counts the hours the manager had and the coaching the policy asked for.
    """
    left = HOURS * (1 - 0.35) - 1.0 * DAYS_PER_MONTH / DAYS_PER_WEEK - 2.0 * 50
    assert 0 < left < 0.16 * HOURS
    desk, coached = month_of(50, Coaching())
    assert sum(coached) == pytest.approx(left)
    assert desk.available == pytest.approx(HOURS)
    assert desk.coaching_asked == pytest.approx(0.16 * HOURS)
    assert sum(desk.hours.values()) == pytest.approx(HOURS)


def test_the_baseline_managers_time_binds():
    """The baseline's managers use nearly all their hours, and their duties cut coaching.

    So a wider span takes coaching from each rep faster than the span grows: with two
    managers instead of three, each rep gets less than two thirds of the coaching.
    """
    path = ROOT / "scenarios" / "baseline.yaml"
    three = simulate(load_scenario(path), 0, years=1).kpis
    two = simulate(load_scenario(path, ["roles.manager.headcount=2"]), 0, years=1).kpis
    assert three["manager_time_used"] > 0.9
    assert three["coaching_shortfall"] > 0
    assert two["coaching_shortfall"] > three["coaching_shortfall"]
    ratio = two["coaching_hours_per_rep_month"] / three["coaching_hours_per_rep_month"]
    assert ratio < 2 / 3


def test_coaching_speeds_the_ramp_by_its_saturating_boost():
    """No coaching, no boost; a lot of coaching, nearly the full ``ramp_speedup``."""
    workforce = Scenario().workforce
    assert ramp_boost(0.0, workforce) == 0.0
    assert ramp_boost(2.2, workforce) == pytest.approx(0.5 * (1 - math.exp(-1)))
    assert 0.49 < ramp_boost(40.0, workforce) <= 0.5


def ramping(overrides: list[str], seed: int) -> Simulation:
    """The baseline two years in, every new hire coached first (``new_hires`` focus)."""
    scenario = load_scenario(
        ROOT / "scenarios" / "baseline.yaml", ["policies.coaching.focus=new_hires", *overrides]
    )
    sim = Simulation(scenario, seed)
    sim.run_until(2 * 365.25)
    return sim


def test_a_coached_new_hire_is_further_up_its_ramp_than_its_days_on_the_team():
    """A rep's productivity is its ramp read at days on the team plus coaching's gain.

    With the boost on, reps hired in the run have gained ramp days; switched off, none.
    """
    for speedup, gained in [("0.5", True), ("0", False)]:
        sim = ramping([f"workforce.coaching.ramp_speedup={speedup}"], seed=1)
        roster = sim.workforce.roster
        hires = [rep for reps in roster.staff.values() for rep in reps if rep.hired_at > 0]
        assert hires
        bonuses = [roster.growth[rep.id].ramp_bonus for rep in hires]
        assert any(b > 0 for b in bonuses) is gained
        assert all(b >= 0 for b in bonuses)


def test_more_managers_mean_a_narrower_span_and_more_coaching_a_rep():
    """Six managers instead of three: half the span, more coaching hours a rep."""
    path = ROOT / "scenarios" / "baseline.yaml"
    three = simulate(load_scenario(path), 0, years=1).kpis
    six = simulate(load_scenario(path, ["roles.manager.headcount=6"]), 0, years=1).kpis
    assert six["span_of_control"] == pytest.approx(three["span_of_control"] / 2, rel=0.1)
    assert six["coaching_hours_per_rep_month"] > 1.5 * three["coaching_hours_per_rep_month"]
