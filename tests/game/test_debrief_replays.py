"""Debrief replays: forked from snapshots, identical to replays from the start, never a hang."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from salessim.game import replays
from salessim.game.forking import NO_FORK, ReplayError
from salessim.game.played import PLAYED, Variant
from salessim.game.players import play
from salessim.game.replays import replay_all
from salessim.game.scoring import debrief, measured, played_ahead
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.game.processes import children, open_fds
from tests.support import ROOT

FIRST_TEAM = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml")
forks = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def two_at_once(briefing):
    """Coaching and recognition in turn 1, a hire in turn 2 (when the budget allows)."""
    return {
        1: {"coaching": {"hours_per_rep_per_month": 3, "focus": "laggards"}, "recognition": 1},
        3: {"training_every_months": 2},
    }.get(briefing.turn, {})


def finished_game(seed: int = 4) -> GameSession:
    """A short game with a turn of two decisions, a turn of one and quiet turns."""
    session = GameSession(FIRST_TEAM, seed)
    play(session, two_at_once)
    return session


@pytest.fixture(autouse=True)
def forget_autopilots():
    """Each test plays its autopilots afresh."""
    PLAYED.clear()


def dies_on_seed_77(session: GameSession) -> dict[str, float]:
    """A measure whose process is killed on seed 77."""
    if session.seed == 77:
        os.kill(os.getpid(), signal.SIGKILL)
    return measured(session)


def fails_on_seed_78(session: GameSession) -> dict[str, float]:
    """A measure that fails on seed 78."""
    if session.seed == 78:
        raise ArithmeticError("no measure here")
    return measured(session)


@pytest.fixture(autouse=True)
def children_before() -> Iterator[None]:
    """Note the children this process has before a test (other tests' pools, a runner's)."""
    CHILDREN_BEFORE.clear()
    CHILDREN_BEFORE.update(children())
    yield


CHILDREN_BEFORE: set[int] = set()  # other tests' pools, a parallel runner's processes


def no_children_left() -> bool:
    """Every child the test made has been reaped: none is left beyond those before it."""
    return children() <= CHILDREN_BEFORE


@forks
def test_forked_replays_equal_replays_from_the_start(monkeypatch):
    """A debrief forked from snapshots is bit for bit the debrief replayed from the start."""
    session = finished_game()
    monkeypatch.delenv(NO_FORK, raising=False)
    assert replays.forking_allowed()
    forked = debrief(session, seeds=2)
    monkeypatch.setenv(NO_FORK, "1")
    assert not replays.forking_allowed()
    PLAYED.clear()
    again = debrief(session, seeds=2)
    assert repr(forked) == repr(again)
    assert len(forked.luck.margins) == 2


@forks
def test_a_replayed_game_measures_what_the_played_game_did(monkeypatch):
    """The player's game replayed in a forked spine ends where the played game ended."""
    monkeypatch.delenv(NO_FORK, raising=False)
    session = finished_game(5)
    [result] = replay_all(FIRST_TEAM, [Variant(5, tuple(session.log), "the game")], measured)
    assert result.outcome == measured(session)


@forks
def test_one_slot_is_enough(monkeypatch):
    """With a single core the replays take turns and all finish, in order."""
    monkeypatch.delenv(NO_FORK, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    log = tuple(finished_game().log)
    variants = [
        Variant(4, log, "the game"),
        Variant(4, (), "the autopilot"),
        Variant(4, ({}, *log[1:]), "without turn 1"),
        Variant(9, log, "on seed 9"),
    ]
    forked = replay_all(FIRST_TEAM, variants, measured)
    monkeypatch.setenv(NO_FORK, "1")
    PLAYED.clear()
    assert repr(forked) == repr(replay_all(FIRST_TEAM, variants, measured))


@forks
def test_a_child_that_dies_is_an_error_naming_it(monkeypatch):
    """A replay killed by a signal is reported by name; every child is reaped, no fd leaks."""
    monkeypatch.delenv(NO_FORK, raising=False)
    before = open_fds()
    variants = [Variant(3, (), "the autopilot on seed 3"), Variant(77, (), "the doomed seed")]
    with pytest.raises(ReplayError, match="the doomed seed died \\(killed by SIGKILL\\)"):
        replay_all(FIRST_TEAM, variants, dies_on_seed_77)
    assert no_children_left()
    assert open_fds() == before


@forks
def test_a_departing_child_that_dies_is_named_too(monkeypatch):
    """A variant forked at a turn boundary that dies is named; the others still report."""
    monkeypatch.delenv(NO_FORK, raising=False)
    session = finished_game()
    log = tuple(session.log)

    def dies_without_decisions(replayed: GameSession) -> dict[str, float]:
        if replayed.sim.scenario.policies == FIRST_TEAM.policies:  # no coaching change
            os.kill(os.getpid(), signal.SIGKILL)
        return measured(replayed)

    variants = [Variant(4, log, "the game"), Variant(4, (), "the autopilot on seed 4")]
    with pytest.raises(ReplayError, match="the autopilot on seed 4 died"):
        replay_all(FIRST_TEAM, variants, dies_without_decisions)
    assert no_children_left()


@pytest.mark.parametrize("fork", [True, False])
def test_a_replay_that_fails_is_an_error_naming_it(monkeypatch, fork):
    """A replay that raises is reported with its name and the reason, forked or not."""
    if fork and not hasattr(os, "fork"):
        pytest.skip("needs os.fork")
    monkeypatch.setenv(NO_FORK, "" if fork else "1")
    variants = [Variant(3, (), "seed three"), Variant(78, (), "seed seventy-eight")]
    expected = "seed seventy-eight failed \\(ArithmeticError: no measure here\\)"
    with pytest.raises(ReplayError, match=expected):
        replay_all(FIRST_TEAM, variants, fails_on_seed_78)
    assert not fork or no_children_left()


@forks
def test_progress_is_reported_as_replays_finish(monkeypatch):
    """Progress counts up by one per finished replay, to the number of replays."""
    monkeypatch.delenv(NO_FORK, raising=False)
    seen: list[tuple[int, int]] = []
    variants = [Variant(s, (), f"seed {s}") for s in (1, 2, 3)]
    replay_all(FIRST_TEAM, variants, measured, progress=lambda *step: seen.append(step))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_the_autopilot_is_played_once_per_scenario_and_seed(monkeypatch):
    """A second debrief on the same scenario and seed replays no autopilot, with equal results."""
    monkeypatch.setenv(NO_FORK, "1")
    played: list[Variant] = []
    from_start = replays._from_start

    def spy(job):
        played.append(job[1])
        return from_start(job)

    monkeypatch.setattr(replays, "_from_start", spy)
    first = debrief(finished_game(), seeds=1)
    assert sum(not any(v.log) for v in played) == 2  # on the game's seed and the luck seed
    played.clear()
    second = debrief(finished_game(), seeds=1)
    assert played and all(any(v.log) for v in played)
    assert repr(first) == repr(second)


@forks
def test_played_ahead_are_not_played_again(monkeypatch):
    """Autopilots played in the background during the game spare the debrief, unchanged."""
    monkeypatch.delenv(NO_FORK, raising=False)
    session = finished_game()
    cold = debrief(session, seeds=2)
    PLAYED.clear()
    with played_ahead(session, seeds=2):
        departing: list[Variant] = []
        forked = replays._forked

        def spy(scenario, variants, *rest):
            departing.extend(variants)
            return forked(scenario, variants, *rest)

        monkeypatch.setattr(replays, "_forked", spy)
        warm = debrief(session, seeds=2)
    assert all(any(variant.log) for variant in departing)  # no autopilot
    assert repr(cold) == repr(warm)
    assert no_children_left()


@forks
def test_played_ahead_stop_when_the_game_does(monkeypatch):
    """Leaving the game before its end stops the autopilots played ahead: no child, no fd."""
    monkeypatch.delenv(NO_FORK, raising=False)
    before = open_fds()
    session = GameSession(FIRST_TEAM, 8)
    with played_ahead(session, seeds=6):
        assert children() - CHILDREN_BEFORE  # playing ahead
    assert no_children_left()
    assert open_fds() == before


@forks
def test_a_variant_like_another_keeps_its_own_figures(monkeypatch):
    """Variants that play the same turns share one game, each with the figures it asked for."""
    monkeypatch.delenv(NO_FORK, raising=False)
    empty = ({},) * 4
    variants = [Variant(4, empty, "quiet player"), Variant(4, (), "the autopilot", quarterly=True)]
    player, yardstick = replay_all(FIRST_TEAM, variants, measured)
    assert player.quarters == [] and len(yardstick.quarters) == 4
    assert player.outcome == yardstick.outcome
