"""Scripted teams for the class debrief's tests: their games, played once per test run."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future
from typing import Any

from salessim.classroom.debrief import ClassDebrief, class_debrief
from salessim.game.briefing import Briefing
from salessim.game.cynics import maximal_pay
from salessim.game.players import Player, autopilot, play
from salessim.game.scoring import Debrief, debrief
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT

FIRST_TEAM = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml")
CLASS_SEED = 0
LUCK_SEEDS = 2


def sensible(briefing: Briefing) -> Mapping[str, Any]:
    """Coach the laggards from the start, match every competing offer, train in turn 2."""
    decisions: dict[str, Any] = {}
    if briefing.turn == 1:
        decisions["coaching"] = {"hours_per_rep_per_month": 4, "focus": "laggards"}
    if briefing.turn == 2:
        decisions["training_every_months"] = 3
    if briefing.offers:
        decisions["pay_raise"] = dict(briefing.offers)
    return decisions


PLAYERS: dict[str, Player] = {
    "Autopilot": autopilot,
    "Big spenders": maximal_pay(FIRST_TEAM),
    "Sensible": sensible,
}


@functools.cache
def sessions() -> dict[str, GameSession]:
    """Each scripted team's finished game of first_team on the class seed."""
    played = {}
    for name, player in PLAYERS.items():
        session = GameSession(FIRST_TEAM, CLASS_SEED)
        play(session, player)
        played[name] = session
    return played


def logs() -> dict[str, list[dict[str, Any]]]:
    """Each scripted team's decision log, as a save file holds it."""
    return {name: list(session.log) for name, session in sessions().items()}


@functools.cache
def class_result() -> ClassDebrief:
    """The class debrief of the scripted teams on the class seed, with two luck seeds."""
    return class_debrief(FIRST_TEAM, CLASS_SEED, logs(), seeds=LUCK_SEEDS)


@functools.cache
def own_debriefs() -> dict[str, Debrief]:
    """Each scripted team's own end-of-game debrief, with the same luck seeds."""
    return {name: debrief(session, seeds=LUCK_SEEDS) for name, session in sessions().items()}


class InProcess(Executor):
    """Runs each call at once, in this process: an executor whose work a test can watch."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Call ``fn`` now; its result or error is in the returned future."""
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:
            future.set_exception(error)
        return future
