"""A state machine over legal decisions.

Whatever a player does within the rules, the game keeps its books, never goes below zero,
respects the budget and replays exactly.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from salessim.game.decisions import DecisionError
from salessim.game.session import GameSession, replay
from salessim.scenario.base import WORKING_ROLES
from salessim.scenario.load import load_scenario

GAME = load_scenario("scenarios/game/first_team.yaml")
ROLES = [role.value for role in WORKING_ROLES]
RULES = GAME.game


@st.composite
def decisions_for(draw, briefing):
    """Decisions a player could legally make from ``briefing`` (the budget aside)."""
    reps = [row.rep for row in briefing.roster]
    chosen: dict = {}
    if draw(st.booleans()):
        chosen["hire"] = [
            {
                "role": draw(st.sampled_from(ROLES)),
                "count": draw(st.integers(1, 2)),
                "offer": draw(st.floats(RULES.offers.low, RULES.offers.high)),
            }
        ]
    if reps and draw(st.booleans()):
        chosen["fire"] = [draw(st.sampled_from(reps))]
    free = [r for r in reps if r not in chosen.get("fire", [])]
    free = [r for r in free if not next(x for x in briefing.roster if x.rep == r).on_plan]
    if free and draw(st.booleans()):
        chosen["plan"] = [draw(st.sampled_from(free))]
    if draw(st.booleans()):
        chosen["coaching"] = {
            "hours_per_rep_per_month": draw(st.floats(0, RULES.coaching_hours_max)),
            "focus": draw(st.sampled_from(["even", "stars", "laggards", "new_hires"])),
        }
    if draw(st.booleans()):
        chosen["training_every_months"] = draw(st.sampled_from([0, 1, 3]))
    if draw(st.booleans()):
        chosen["recognition"] = draw(st.integers(0, 3))
    if draw(st.booleans()):
        chosen["routing"] = {"ae": draw(st.sampled_from(["round_robin", "least_loaded"]))}
    if draw(st.booleans()):
        chosen["backfill"] = draw(st.sampled_from(["immediate", "delayed", "freeze"]))
    staying = [r for r in reps if r not in chosen.get("fire", [])]
    if staying and draw(st.booleans()):
        chosen["pay_raise"] = {draw(st.sampled_from(staying)): RULES.offers.high}
    return chosen


class Game(RuleBasedStateMachine):
    """Turn after turn of legal decisions, some over budget and refused."""

    @initialize(seed=st.integers(0, 50))
    def start(self, seed):
        """Start a game of the first-team exercise on ``seed``."""
        self.session = GameSession(GAME, seed)
        self.seed = seed
        self.spent = 0.0

    @precondition(lambda self: not self.session.finished)
    @rule(data=st.data())
    def decide(self, data):
        """Make legal decisions: a turn is played if affordable, else refused, changing nothing."""
        session = self.session
        before = session.briefing()
        chosen = data.draw(decisions_for(before))
        problems = session.check(chosen)
        assert all(p.startswith("budget:") for p in problems), problems
        if problems:
            with pytest.raises(DecisionError):
                session.advance(chosen)
            assert session.briefing() is before and len(session.log) == before.turn - 1
            return
        briefing = session.advance(chosen)
        self.spent += briefing.indicator("people_spend").value

    @invariant()
    def headcount_is_never_negative(self):
        """No role's headcount or open requisitions ever go below zero."""
        for role in WORKING_ROLES:
            assert self.session.briefing().headcount(role) >= 0
            assert self.session.sim.workforce.open_requisitions[role] >= 0

    @invariant()
    def the_books_balance(self):
        """Spend adds up turn by turn; ARR moves only by bookings, expansion and losses."""
        session = self.session
        totals = session.totals
        assert math.isclose(totals["people_spend"], self.spent, rel_tol=1e-9, abs_tol=1e-6)
        arr = (
            session.opening["arr"]
            + totals["bookings_new_arr"]
            + totals["bookings_expansion_arr"]
            - totals["churned_arr"]
            - totals["contraction_arr"]
        )
        assert math.isclose(arr, session.sim.customers.arr, rel_tol=1e-9, abs_tol=1e-3)

    def teardown(self):
        """Live equals replay, whatever was decided."""
        session = self.session
        assert replay(GAME, self.seed, session.log).briefing() == session.briefing()


TestGame = Game.TestCase
TestGame.settings = settings(
    max_examples=25,
    stateful_step_count=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
