"""No cynical strategy beats the autopilot's score while the business does worse.

Each strategy of ``salessim.game.cynics`` plays every shipped exercise on ten seeds;
decisions the game refuses are dropped as the luck replays drop them (``lenient``). A
strategy's mean score may pass the autopilot's 100 only if its mean profit and mean
ending ARR are at least the autopilot's: the score then follows the business.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

from salessim.game.cynics import CYNICS
from salessim.game.scoring import lenient, outcome, scorecard
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT

pytestmark = pytest.mark.slow

EXERCISES = ("first_team", "pay_plan_redesign", "retention_crisis")
SEEDS = range(10)
AUTOPILOT = "autopilot"


def _outcome(job: tuple[str, str, int]) -> dict[str, float]:
    """The outcome of one game of ``strategy`` on ``exercise`` and ``seed``."""
    exercise, strategy, seed = job
    scenario = load_scenario(ROOT / "scenarios" / "game" / f"{exercise}.yaml")
    session = GameSession(scenario, seed)
    player = None if strategy == AUTOPILOT else CYNICS[strategy](scenario)
    while not session.finished:
        decisions = {} if player is None else player(session.briefing())
        if session.check(decisions):
            decisions = lenient(session, decisions)
        session.advance(decisions)
    return outcome(session)


@pytest.fixture(scope="module")
def outcomes() -> Iterator[dict[tuple[str, str], list[dict[str, float]]]]:
    """Every exercise's outcomes by strategy (the autopilot too), ten seeds each."""
    jobs = [(e, s, seed) for e in EXERCISES for s in (AUTOPILOT, *CYNICS) for seed in SEEDS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_outcome, jobs))
    by_arm: dict[tuple[str, str], list[dict[str, float]]] = {}
    for (exercise, strategy, _), result in zip(jobs, results, strict=True):
        by_arm.setdefault((exercise, strategy), []).append(result)
    yield by_arm


@pytest.mark.parametrize("strategy", list(CYNICS))
@pytest.mark.parametrize("exercise", EXERCISES)
def test_a_cynical_strategy_does_not_score_above_a_worse_business(outcomes, exercise, strategy):
    """Mean score above 100 only with mean profit and ending ARR at least the autopilot's."""
    weights = load_scenario(ROOT / "scenarios" / "game" / f"{exercise}.yaml").game.scoring
    mine, autopilot = outcomes[exercise, strategy], outcomes[exercise, AUTOPILOT]
    score = statistics.fmean(
        scorecard(m, a, weights).total for m, a in zip(mine, autopilot, strict=True)
    )

    def mean(runs: list[dict[str, float]], name: str) -> float:
        return statistics.fmean(run[name] for run in runs)

    worse = any(mean(mine, name) < mean(autopilot, name) for name in ("profit", "ending_arr"))
    assert not (score > 100 and worse), (score, mean(mine, "profit"), mean(autopilot, "profit"))
