"""The projected spend is an honest forecast: on average it meets the spend within 2%."""

from __future__ import annotations

import statistics
from concurrent.futures import ProcessPoolExecutor

import pytest

from salessim.game.session import GameSession
from salessim.game.spend import PeopleSpend
from salessim.model.view import RepView
from salessim.scenario.base import Role
from salessim.scenario.load import load_scenario
from tests.support import ROOT

EXERCISES = ("first_team", "pay_plan_redesign", "retention_crisis")


SEEDS = range(40, 50)  # the budgets and the forecast were checked on seeds 0 to 39


def _turns(job: tuple[str, int]) -> list[tuple[float, float, float]]:
    """(forecast, spend, limit) of each turn the autopilot plays."""
    exercise, seed = job
    session = GameSession(load_scenario(ROOT / "scenarios" / "game" / f"{exercise}.yaml"), seed)
    turns = []
    while not session.finished:
        budget = session.briefing().budget
        spent = session.advance({}).budget.spent
        assert spent is not None and budget.limit is not None
        turns.append((budget.projected, spent, budget.limit))
    return turns


@pytest.fixture(scope="module")
def autopilot_turns() -> dict[str, list[tuple[float, float, float]]]:
    """Every turn of the autopilot on each exercise, ten seeds each."""
    jobs = [(exercise, seed) for exercise in EXERCISES for seed in SEEDS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_turns, jobs))
    turns: dict[str, list[tuple[float, float, float]]] = {}
    for (exercise, _), played in zip(jobs, results, strict=True):
        turns.setdefault(exercise, []).extend(played)
    return turns


@pytest.mark.slow
@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_forecast_meets_the_autopilots_spend_on_average(autopilot_turns, exercise):
    """Over ten seeds, the mean of (spend - forecast) / forecast is within 2% either way."""
    misses = [(spent - forecast) / forecast for forecast, spent, _ in autopilot_turns[exercise]]
    assert abs(statistics.fmean(misses)) <= 0.02


@pytest.mark.slow
@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_autopilot_stays_within_the_budget(autopilot_turns, exercise):
    """The company's own policies keep every quarter's spend within the budget."""
    assert all(spent <= limit for _, spent, limit in autopilot_turns[exercise])


def rep(pay: float, months: int, run_rate: float | None) -> RepView:
    """An AE paid ``pay`` a year, averaged over ``months`` of pay, heading to ``run_rate``."""
    return RepView(1, Role.AE, 0, 400.0, 1.0, True, 1.0, 0.0, False, pay, 0.0, run_rate, months)


def test_pay_on_a_plan_moves_as_a_trailing_mean_toward_its_run_rate():
    """Twelve months of 120k, then months at 240k: 130k, 140k, 150k at the next ends."""
    assert PeopleSpend._pay_path(rep(120e3, 12, 240e3), 3) == pytest.approx([130e3, 140e3, 150e3])
    assert PeopleSpend._pay_path(rep(120e3, 6, 240e3), 2) == pytest.approx(
        [(6 * 120e3 + 240e3) / 7, (6 * 120e3 + 2 * 240e3) / 8]
    )
    assert PeopleSpend._pay_path(rep(120e3, 3, 240e3), 2) == [120e3, 120e3]  # on target until 6
    assert PeopleSpend._pay_path(rep(120e3, 0, None), 3) == [120e3] * 3  # off a plan


def test_the_forecast_learns_from_its_misses():
    """Two turns forecast at 100 that cost 110 scale the next forecast by 320 / 300."""
    session = GameSession(load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml"), 0)
    spend = session.spend
    assert spend.correction() == 1.0
    spend.misses = [(100.0, 110.0), (100.0, 110.0)]
    assert spend.correction() == pytest.approx(320 / 300)


def test_a_turn_over_budget_is_shown_and_counted():
    """On a budget below the team's cost, the turn's overspend is spend less the limit."""
    scenario = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml", ["game.budget=200k"])
    session = GameSession(scenario, 0)
    budget = session.advance({}).budget
    assert budget.spent is not None and budget.spent > 200e3
    assert budget.overspent == pytest.approx(budget.spent - 200e3)
    assert session.spend.overspend_share() == pytest.approx(budget.overspent / 200e3)
    session.advance({})
    total = sum(session.spend.overruns) / (2 * 200e3)
    assert session.spend.overspend_share() == pytest.approx(total)


def test_the_briefing_says_when_the_last_turn_ran_over():
    """The budget line names the overspend."""
    from rich.console import Console

    from salessim.cli.game import briefing_view

    scenario = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml", ["game.budget=200k"])
    session = GameSession(scenario, 0)
    console = Console(width=100, record=True)
    console.print(briefing_view(session.advance({})))
    assert "OVER BUDGET by" in console.export_text()
