"""A game whose first turns decide nothing: its debrief keeps every quarter's figures."""

from __future__ import annotations

import os

import pytest

from salessim.game.debrief import debrief
from salessim.game.forking import NO_FORK
from salessim.game.played import PLAYED, Variant
from salessim.game.replays import replay_all
from salessim.game.scoring import measured
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT

FIRST_TEAM = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml")
forks = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture(autouse=True)
def forget_autopilots():
    """Each test plays its autopilots afresh."""
    PLAYED.clear()


@forks
def test_a_variant_departing_late_keeps_the_figures_of_the_turns_it_shared(monkeypatch):
    """Forked two turns in, a game still has all four quarters, as played from the start."""
    monkeypatch.delenv(NO_FORK, raising=False)
    late = ({}, {}, {"recognition": 2}, {"recognition": 1})
    variants = [
        Variant(3, (), "the autopilot", quarterly=True),
        Variant(3, late, "a late starter", quarterly=True),
    ]
    forked = replay_all(FIRST_TEAM, variants, measured)
    monkeypatch.setenv(NO_FORK, "1")
    PLAYED.clear()
    started = replay_all(FIRST_TEAM, variants, measured)
    assert [len(result.quarters) for result in forked] == [4, 4]
    assert forked == started
    assert forked[0].quarters[:2] == forked[1].quarters[:2]  # the turns they shared


@forks
def test_the_debrief_of_a_game_with_a_quiet_first_turn(monkeypatch):
    """Nothing decided in turn 1: the debrief compares every quarter, forked or not."""
    monkeypatch.delenv(NO_FORK, raising=False)
    session = GameSession(FIRST_TEAM, 2)
    session.advance({})
    while not session.finished:
        session.advance({"recognition": 2})
    forked = debrief(session, seeds=1)
    monkeypatch.setenv(NO_FORK, "1")
    PLAYED.clear()
    assert len(forked.quarters) == session.turns
    assert repr(forked) == repr(debrief(session, seeds=1))
