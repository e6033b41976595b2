"""The debrief's replays played along with the game: the same debrief, little left to replay."""

from __future__ import annotations

import os
import signal

import pytest

from salessim.game import replays
from salessim.game.along import PlayAlong, keep_up
from salessim.game.forking import NO_FORK
from salessim.game.played import PLAYED, Variant
from salessim.game.scoring import debrief, played_ahead
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.game.processes import children, open_fds
from tests.support import ROOT

FIRST_TEAM = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml")
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def two_at_once(briefing):
    """Coaching and recognition in turn 1, training in turn 3."""
    return {
        1: {"coaching": {"hours_per_rep_per_month": 3, "focus": "laggards"}, "recognition": 1},
        3: {"training_every_months": 2},
    }.get(briefing.turn, {})


@pytest.fixture(autouse=True)
def forking(monkeypatch):
    """Forking allowed, nothing played beforehand, nothing left running after."""
    monkeypatch.delenv(NO_FORK, raising=False)
    PLAYED.clear()
    yield
    PLAYED.clear()


@pytest.fixture
def replayed_at_the_end(monkeypatch):
    """The variants the debrief still replays itself."""
    seen: list[Variant] = []
    forked = replays._forked

    def spy(scenario, variants, *rest):
        seen.extend(variants)
        return forked(scenario, variants, *rest)

    monkeypatch.setattr(replays, "_forked", spy)
    return seen


def test_a_game_played_along_is_debriefed_the_same_with_nothing_left(replayed_at_the_end):
    """Fed each turn, the followers play every replay: the debrief is the cold one, unreplayed."""
    before, others = open_fds(), children()
    session = GameSession(FIRST_TEAM, 4)
    with played_ahead(session, seeds=2):
        while not session.finished:
            session.advance(two_at_once(session.briefing()))
            keep_up(session)
        along = debrief(session, seeds=2)
    assert replayed_at_the_end == []
    assert children() <= others and open_fds() == before
    PLAYED.clear()
    cold = debrief(session, seeds=2)
    assert len(replayed_at_the_end) == 1 + 1 + 3 + 2 + 2  # game, autopilot, 3 left out, luck
    assert repr(cold) == repr(along)


def test_turns_not_fed_are_replayed_by_the_debrief(replayed_at_the_end):
    """Followers that missed the last turns are no use: the debrief replays, unchanged."""
    session = GameSession(FIRST_TEAM, 5)
    with played_ahead(session, seeds=1):
        session.advance(two_at_once(session.briefing()))
        keep_up(session)
        while not session.finished:  # never fed again
            session.advance(two_at_once(session.briefing()))
        along = debrief(session, seeds=1)
    assert replayed_at_the_end and all(any(v.log) for v in replayed_at_the_end)
    PLAYED.clear()
    assert repr(debrief(session, seeds=1)) == repr(along)


def test_a_follower_that_dies_is_replayed_by_the_debrief(replayed_at_the_end):
    """A follower killed mid-game leaves its replay to the debrief; the rest are used."""
    session = GameSession(FIRST_TEAM, 6)
    with played_ahead(session, seeds=2):
        [along] = [p for p in PLAYED.under_way() if isinstance(p, PlayAlong)]
        doomed = list(along._followers)[-1]  # the last luck seed's
        os.kill(doomed, signal.SIGKILL)
        while not session.finished:
            session.advance(two_at_once(session.briefing()))
            keep_up(session)
        found = debrief(session, seeds=2)
    assert [v.seed for v in replayed_at_the_end] == [found_seed(session, 1)]
    PLAYED.clear()
    assert repr(debrief(session, seeds=2)) == repr(found)


def found_seed(session: GameSession, index: int) -> int:
    """The debrief's luck seed number ``index`` of ``session``."""
    from salessim.game.scoring import luck_seeds

    return luck_seeds(session.seed, index + 1)[index]


def test_a_game_left_early_stops_its_followers():
    """Leaving the game mid-way stops every follower: no child left, no descriptor."""
    before, others = open_fds(), children()
    session = GameSession(FIRST_TEAM, 7)
    with played_ahead(session, seeds=3):
        session.advance(two_at_once(session.briefing()))
        keep_up(session)
        assert children() - others
    assert children() <= others and open_fds() == before
