"""A game scenario holds together: its events fall within its turns, its quotas within reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from salessim import simulate
from salessim.scenario.base import Role
from salessim.scenario.errors import ScenarioError
from salessim.scenario.game import game_window
from salessim.scenario.load import apply_overrides, load_scenario
from salessim.scenario.reach import reaches
from tests.cli_process import assert_refused, cli
from tests.support import ROOT

GAMES = sorted((ROOT / "scenarios" / "game").glob("*.yaml"))
FIRST_TEAM = ROOT / "scenarios" / "game" / "first_team.yaml"


def _problems(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "exercise.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [str(problem) for problem in caught.value.problems]


GAME = """\
calendar: {{horizon: 1y, warmup: 4mo}}
roles:
  specialist: {{quota: {quota}}}
events:
  - at: {at}
    kind: market_dip
    factor: 0.8
game:
  budget: 5M
"""


@pytest.mark.parametrize("path", GAMES, ids=lambda p: p.stem)
def test_the_shipped_exercises_hold_together(path: Path):
    """Every shipped exercise loads: its events fall in its turns, its quotas fit its team."""
    scenario = load_scenario(path)
    dates = scenario.calendar
    opening, end = game_window(
        dates.start_date, dates.fiscal_year_start_month, dates.warmup, dates.horizon, 91.3
    )
    assert all(opening < event.at < end for event in scenario.events)
    assert all(reach.reachable for reach in reaches(scenario))


def test_an_event_before_the_first_turn_is_refused_with_its_line(tmp_path: Path):
    """An event in the warm-up of a game is refused at its line, naming the game's dates."""
    found = _problems(GAME.format(quota=10, at="2027-03-01"), tmp_path)
    assert len(found) == 1
    assert "exercise.yaml:5: events.0.at: 2027-03-01 is outside the game" in found[0]
    assert "2027-07-02 to 2028-06-30" in found[0]


def test_an_event_on_the_opening_day_is_refused(tmp_path: Path):
    """An event on the game's first day happens before the first briefing: refused."""
    found = _problems(GAME.format(quota=10, at="2027-07-01"), tmp_path)
    assert [p.split(": ")[1] for p in found] == ["events.0.at"]


def test_the_same_event_outside_a_game_is_a_warm_up_shock(tmp_path: Path):
    """Without a game section the scenario is a run, and a warm-up event is allowed."""
    path = tmp_path / "run.yaml"
    path.write_text(GAME.format(quota=10, at="2027-03-01").split("game:")[0])
    assert load_scenario(path).events[0].at.isoformat() == "2027-03-01"


def test_every_problem_is_told_at_once(tmp_path: Path):
    """An event out of the window and an unreachable quota are both told, each at its line."""
    found = _problems(GAME.format(quota=400, at="2028-09-01"), tmp_path)
    keys = [problem.split(": ")[:2] for problem in found]
    assert keys == [
        [str(tmp_path / "exercise.yaml:3"), "roles.specialist.quota"],
        [str(tmp_path / "exercise.yaml:5"), "events.0.at"],
    ]
    quota = next(p for p in found if "roles.specialist.quota" in p)
    assert "out of reach of the specialist team" in quota
    assert "a strong rep" in quota


def test_a_plans_quota_is_judged_where_the_plan_sets_it(tmp_path: Path):
    """A role on a pay plan: the plan's quota amount is the key named."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        f"extends: {ROOT / 'scenarios' / 'game' / 'pay_plan_redesign.yaml'}\n"
        "compensation:\n  plans:\n    ae_linear:\n      quota: {amount: 5M}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    keys = [problem.key for problem in caught.value.problems]
    assert keys == ["compensation.plans.ae_linear.quota.amount"]


def test_validate_refuses_it_with_exit_code_2(tmp_path: Path):
    """``salessim validate`` says what is wrong on stderr and exits 2, no traceback."""
    path = tmp_path / "exercise.yaml"
    path.write_text(GAME.format(quota=10, at="2027-03-01"))
    assert_refused(cli("validate", str(path)), "events.0.at: 2027-03-01 is outside the game")


def test_reach_follows_demand_and_headcount():
    """More demand, more reach; twice the reps for the same demand, half the reach each."""
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    base = {r.role: r for r in reaches(scenario)}
    busy = apply_overrides(scenario, {"market.segments.mid_market.inbound.rate": 20.0})
    busier = {r.role: r for r in reaches(busy)}
    assert busier[Role.AE].per_rep > base[Role.AE].per_rep
    assert busier[Role.SPECIALIST].per_rep > base[Role.SPECIALIST].per_rep
    doubled = {
        r.role: r for r in reaches(apply_overrides(scenario, {"roles.specialist.headcount": 6}))
    }
    assert doubled[Role.SPECIALIST].per_rep == pytest.approx(base[Role.SPECIALIST].per_rep / 2)


def test_reach_is_capped_by_the_teams_selling_hours():
    """When the work outruns the team's hours, the team is credited only what it can work."""
    scenario = apply_overrides(load_scenario(FIRST_TEAM), {"roles.specialist.selling_share": 0.08})
    specialist = next(r for r in reaches(scenario) if r.role is Role.SPECIALIST)
    assert specialist.hours < specialist.hours_needed
    share = specialist.hours / specialist.hours_needed
    assert specialist.per_rep == pytest.approx(specialist.demand * share)


def test_reach_is_an_upper_bound_on_what_the_model_credits():
    """Simulated meetings and technical wins stay under the estimate, and near it (within 20%)."""
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    kpis = simulate(scenario, seed=0, years=1).kpis
    sdr = next(r for r in reaches(scenario) if r.role is Role.SDR)
    assert 0.8 * sdr.demand <= kpis["opportunities_created"] <= sdr.demand
