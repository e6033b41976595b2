"""The class debrief of teams that let the bot play their first turns, forked or not."""

from __future__ import annotations

import os

import pytest

from salessim.classroom.debrief import class_debrief
from salessim.game.forking import NO_FORK
from salessim.game.played import PLAYED
from tests.classroom.debrief_teams import FIRST_TEAM

forks = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
LATE = ({}, {"recognition": 2}, {"recognition": 1}, {})
LATER = ({}, {}, {"coaching": {"hours_per_rep_per_month": 3, "focus": "laggards"}}, {})
EARLY = ({"recognition": 1}, {}, {}, {})


@forks
def test_teams_that_decide_nothing_at_first_are_debriefed_as_from_the_start(monkeypatch):
    """Teams quiet in turn 1 (or 1 and 2) get every quarter, as replays from the start do."""
    teams = {"Late": LATE, "Later": LATER, "Early": EARLY}
    monkeypatch.delenv(NO_FORK, raising=False)
    PLAYED.clear()
    forked = class_debrief(FIRST_TEAM, 3, teams, seeds=1)
    monkeypatch.setenv(NO_FORK, "1")
    PLAYED.clear()
    started = class_debrief(FIRST_TEAM, 3, teams, seeds=1)
    for team in forked.teams:
        assert len(team.debrief.quarters) == 4, team.name
    assert repr(forked) == repr(started)
