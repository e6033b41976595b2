"""How long the game's debrief takes against playing the game once, per shipped exercise.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_debrief.py            # each exercise's luck_seeds
    PYTHONPATH=src python benchmarks/bench_debrief.py --quick    # 4 luck seeds; rougher
    PYTHONPATH=src python benchmarks/bench_debrief.py --json     # machine-readable
    PYTHONPATH=src python benchmarks/bench_debrief.py --check    # exit 1 if a target fails

For each exercise in ``scenarios/game/`` a scripted player decides every turn (raises
coaching, gives a raise, matches competing offers, gives awards and hires an AE while the
budget allows). Figures per exercise (``benchmarks/README.md`` explains them):

1. ``debrief_<exercise>``: the wait for the debrief in ``salessim play``. The game is
   played as the command plays it, with the debrief's replays in the background
   (``played_ahead``, fed each turn by ``keep_up``) and the player taking
   ``--think`` seconds a turn (5; 2 with ``--quick``); the figure is the wall time of
   ``debrief(session)`` after the last turn, against the median wall time of playing the
   game once with that player and nothing in the background (building the session,
   every turn and its briefing). Target: ratio <= 10.
2. ``debrief_cold_<exercise>`` (information): ``debrief(session)`` of a finished game
   with nothing played beforehand, as a script calling the API gets it.
3. ``from_start_<exercise>`` (information, ``--from-start``): the cold debrief with every
   replay from the start (``SALESSIM_NO_FORK``) on a pool of processes.

Timings are wall seconds (``time.perf_counter``) after ``gc.collect()``; the debrief is
measured once per exercise (it takes tens of seconds), the play as a median of three.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("salessim") is None:  # a checkout that is not installed
    sys.path.insert(0, str(ROOT / "src"))

from figures import Figure, Report, as_json, log, table, timed  # noqa: E402

from salessim.game.along import keep_up  # noqa: E402
from salessim.game.forking import NO_FORK, forking_allowed  # noqa: E402
from salessim.game.played import PLAYED  # noqa: E402
from salessim.game.scoring import debrief, played_ahead  # noqa: E402
from salessim.game.session import GameSession  # noqa: E402
from salessim.scenario.load import load_scenario  # noqa: E402
from salessim.scenario.schema import Scenario  # noqa: E402

EXERCISES = ("first_team", "pay_plan_redesign", "retention_crisis")
SEED = 0
PLAY_REPS = 3
QUICK_LUCK_SEEDS = 4
THINK = 5.0  # seconds a turn the player takes to read the briefing and decide
QUICK_THINK = 2.0
TARGET = "<= 10"


# ----------------------------------------------------------------------------- the player
def decide(session: GameSession) -> dict[str, Any]:
    """This turn's decisions: coaching, a raise, the offers matched, awards and a hire.

    What the budget refuses goes: the hire first, then everything but the coaching.
    """
    briefing = session.briefing()
    turn = briefing.turn
    raised = briefing.roster[turn % len(briefing.roster)].rep
    decisions: dict[str, Any] = {
        "coaching": {"hours_per_rep_per_month": 2 + turn % 3, "focus": "laggards"},
        "pay_raise": {raised: 1.05, **dict(briefing.offers)},
        "recognition": 1 + turn % 2,
        "hire": [{"role": "ae", "count": 1}],
    }
    if session.check(decisions):
        del decisions["hire"]
    if session.check(decisions):
        decisions = {"coaching": decisions["coaching"]}
    return decisions


def play_once(scenario: Scenario) -> GameSession:
    """A whole game played by :func:`decide` on :data:`SEED`."""
    session = GameSession(scenario, SEED)
    while not session.finished:
        session.advance(decide(session))
    return session


# ----------------------------------------------------------------------------- measuring
def measure(
    name: str, luck_seeds: int | None, think: float, from_start: bool, report: Report
) -> None:
    """The figures of one exercise."""
    scenario = load_scenario(ROOT / "scenarios" / "game" / f"{name}.yaml")
    seeds = scenario.game.luck_seeds if luck_seeds is None else luck_seeds
    plays = [timed(lambda: play_once(scenario)) for _ in range(PLAY_REPS)]
    play = statistics.median(seconds for seconds, _ in plays)
    session = plays[0][1]
    decided = sum(len(decisions) for decisions in session.log)
    PLAYED.clear()
    waited, along = played_along(scenario, seeds, think)
    PLAYED.clear()
    cold, found = timed(lambda: debrief(session, seeds=seeds))
    if repr(found) != repr(along):
        raise AssertionError("the debrief played along came out differently")
    what = (
        f"{session.turns} turns, {decided} decisions, {seeds} luck seeds, {think:g} s a turn "
        f"to think; play {play:.2f} s (median of {PLAY_REPS})"
    )
    report.figures.append(
        Figure(f"debrief_{name}", f"debrief {name}", "s", waited, play, TARGET, detail=what).judge()
    )
    report.figures.append(Figure(f"debrief_cold_{name}", "  cold", "s", cold, play))
    if from_start:
        os.environ[NO_FORK] = "1"
        PLAYED.clear()
        try:
            with ProcessPoolExecutor() as pool:
                slow, _ = timed(lambda: debrief(session, seeds=seeds, executor=pool))
        finally:
            del os.environ[NO_FORK]
        report.figures.append(Figure(f"from_start_{name}", "  from the start", "s", slow, play))


def played_along(scenario: Scenario, seeds: int, think: float) -> tuple[float, Any]:
    """The wait for the debrief after a game played as ``salessim play`` plays it."""
    session = GameSession(scenario, SEED)
    with played_ahead(session, seeds=seeds):
        while not session.finished:
            session.advance(decide(session))
            keep_up(session)
            if not session.finished:
                time.sleep(think)  # the player reads the briefing and decides
        return timed(lambda: debrief(session, seeds=seeds))


# ----------------------------------------------------------------------------- output
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LUCK_SEEDS} luck seeds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    parser.add_argument(
        "--from-start", action="store_true", help="also time replays from the start"
    )
    parser.add_argument("--only", choices=EXERCISES, action="append", help="these exercises")
    parser.add_argument("--think", type=float, help="seconds a turn the player takes")
    args = parser.parse_args(argv)
    luck_seeds = QUICK_LUCK_SEEDS if args.quick else None
    think = args.think if args.think is not None else QUICK_THINK if args.quick else THINK
    settings = {"luck_seeds": luck_seeds or "each exercise's", "seed": SEED, "think": think}
    report = Report("quick" if args.quick else "full", settings)
    started = time.perf_counter()
    for name in args.only or EXERCISES:
        log(f"measuring {name} ...")
        try:
            measure(name, luck_seeds, think, args.from_start, report)
        except Exception as error:
            detail = f"{type(error).__name__}: {error}"
            report.figures.append(
                Figure(f"debrief_{name}", f"debrief {name}", "", status="ERROR", detail=detail)
            )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    report.notes.append(
        f"{os.cpu_count()} cores, load average {load:.2f} at the end; replays "
        f"{'forked from snapshots' if forking_allowed() else 'from the start'}"
    )
    report.notes.append(f"{report.mode} run took {time.perf_counter() - started:.0f} s")
    print(as_json(report) if args.json else table(report, baseline="play"))
    failed = [f.key for f in report.figures if f.status in ("FAIL", "ERROR")]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
