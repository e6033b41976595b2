"""A state machine over a class's rounds.

Whatever teams draft, submit and withdraw, in any order, each close plays every team
once, with its submission, else its last draft that applies, else the bot.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from salessim.classroom.clock import FakeClock
from salessim.classroom.room import Classroom, RefusedError

TEAMS = 2
CLEAN = [{"recognition": 1}, {"recognition": 2}, {"training_every_months": 3}, {}]
BROKEN = [{"fire": [999]}, {"recognition": -1}, {"nonsense": True}]
MEMBERS = ["ann", "bob"]

team_ids = st.integers(1, TEAMS)
members = st.sampled_from(MEMBERS)
either = st.one_of(st.sampled_from(CLEAN), st.sampled_from(BROKEN))  # half and half


class Rounds(RuleBasedStateMachine):
    """Drafts, submissions, withdrawals and closes of two teams, checked against a model."""

    @initialize()
    def start(self):
        """A class of two teams of first_team, played in process."""
        self.folder = Path(tempfile.mkdtemp())
        self.room, _ = Classroom.create(
            self.folder / "c.sqlite", "first_team", teams=TEAMS, clock=FakeClock(), workers=0
        )
        self.round = 1
        self.reset()

    def reset(self):
        """Nothing drafted or submitted yet this round."""
        self.submitted: dict[int, tuple[str, dict] | None] = dict.fromkeys(range(1, TEAMS + 1))
        self.last_clean: dict[int, tuple[str, dict] | None] = dict.fromkeys(range(1, TEAMS + 1))

    @property
    def over(self) -> bool:
        """Every round is played."""
        return self.round > 4

    @rule(team=team_ids, member=members, decisions=either)
    def draft(self, team, member, decisions):
        """A draft is kept unless the team has submitted or the game is over."""
        if self.submitted[team] is not None or self.over:
            with pytest.raises(RefusedError):
                self.room.save_draft(team, member, decisions)
            return
        check = self.room.save_draft(team, member, decisions)
        assert (not check.problems) == (decisions in CLEAN)
        if not check.problems:
            self.last_clean[team] = (member, decisions)

    @rule(team=team_ids, member=members, decisions=either)
    def submit(self, team, member, decisions):
        """A submission must apply and waits for a withdrawal before another."""
        if self.submitted[team] is not None or decisions in BROKEN or self.over:
            with pytest.raises(RefusedError):
                self.room.submit(team, member, decisions)
            return
        self.room.submit(team, member, decisions)
        self.submitted[team] = (member, decisions)

    @rule(team=team_ids, member=members)
    def withdraw(self, team, member):
        """Withdrawing leaves the submission as the member's draft."""
        if self.submitted[team] is None or self.over:
            with pytest.raises(RefusedError):
                self.room.withdraw(team, member)
            return
        self.room.withdraw(team, member)
        self.last_clean[team] = (member, self.submitted[team][1])
        self.submitted[team] = None

    @rule()
    def close(self):
        """Each team's turn is what the model says, played once."""
        if self.over:
            with pytest.raises(RefusedError):
                self.room.close_round()
            return
        assert self.room.close_round() == self.round
        for team in range(1, TEAMS + 1):
            record = self.room.history(team)[-1]
            assert record.turn == self.round
            if self.submitted[team] is not None:
                author, decisions = self.submitted[team]
                expected = ("submission", author, decisions)
            elif self.last_clean[team] is not None:
                author, decisions = self.last_clean[team]
                expected = ("draft", author, decisions)
            else:
                expected = ("bot", None, {})
            assert (record.source, record.author, record.decisions) == expected
        self.round += 1
        self.reset()

    @invariant()
    def every_team_has_played_every_closed_round_once(self):
        """Turns played are the rounds closed, for every team."""
        status = self.room.status()
        assert status.round == self.round
        assert [team.turn for team in status.teams] == [min(self.round, 5) - 1] * TEAMS
        assert [team.submitted_by for team in status.teams] == [
            None if s is None else s[0] for s in self.submitted.values()
        ]

    def teardown(self):
        """Close the class and remove its files."""
        self.room.close()
        shutil.rmtree(self.folder, ignore_errors=True)


TestRounds = Rounds.TestCase
TestRounds.settings = settings(
    max_examples=50,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
