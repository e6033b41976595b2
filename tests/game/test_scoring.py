"""Scoring: points against the autopilot, no end-game exploit, key decisions, luck."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from salessim.game.debrief import debrief, summary
from salessim.game.players import autopilot, play
from salessim.game.scoring import lenient, outcome, replay_leniently, scorecard
from salessim.game.session import GameSession
from salessim.scenario.base import Role
from salessim.scenario.game import GameRules
from tests.support import PAID, busy_player


def test_points_by_hand():
    """Weights 3:1. Gaps over the mean of the two: profit +10/105, attrition -0.02/0.11."""
    card = scorecard(
        {"profit": 110.0, "regretted_attrition": 0.12},
        {"profit": 100.0, "regretted_attrition": 0.10},
        {"profit": 3.0, "regretted_attrition": 1.0},
    )
    profit, attrition = 75 * (1 + 10 / 105), 25 * (1 - 0.02 / 0.11)
    assert [line.points for line in card.lines] == pytest.approx([profit, attrition])
    assert card.total == pytest.approx(profit + attrition)


def test_points_are_clipped_to_twice_the_weight_and_never_negative():
    """Points are capped at twice an indicator's weighted share and never fall below zero."""
    card = scorecard({"profit": 500.0, "ending_arr": -50.0}, {"profit": 100.0, "ending_arr": 100.0},
                     {"profit": 1.0, "ending_arr": 1.0})  # fmt: skip
    assert [line.points for line in card.lines] == [100.0, 0.0]


def test_the_autopilot_scores_one_hundred():
    """The autopilot scores 100 against itself, with no key decisions and no luck to report."""
    session = GameSession(PAID, 11)
    play(session, autopilot)
    found = debrief(session, seeds=0)
    assert found.scorecard.total == pytest.approx(100.0)
    assert found.key_decisions == [] and found.luck is None


def test_cutting_the_team_in_the_last_turn_does_not_pay():
    """Letting half the AEs go before the last quarter does not raise mean profit.

    It saves their pay but costs severance and the deals they would have closed. A
    single seed can go either way by luck (a year of a 16-AE team is noisy), so the
    claim is on the mean over four luck seeds, each paired with the autopilot.
    """
    cut, kept = [], []
    for seed in (12, 13, 14, 15):
        yardstick = GameSession(PAID, seed)
        play(yardstick, autopilot)
        cutter = GameSession(PAID, seed)
        while cutter.turn < cutter.turns - 1:
            cutter.advance({})
        aes = [row.rep for row in cutter.briefing().roster if row.role is Role.AE]
        cutter.advance({"fire": aes[: len(aes) // 2], "backfill": "freeze"})
        assert outcome(cutter)["people_spend"] < outcome(yardstick)["people_spend"] * 1.05
        cut.append(outcome(cutter)["profit"])
        kept.append(outcome(yardstick)["profit"])
    assert sum(cut) < sum(kept), (cut, kept)


def test_key_decisions_are_measured_by_leaving_each_decision_out():
    """A key decision's impact is the score lost without it; luck comes from other seeds.

    The busy player's turns each hold several decisions, so each is left out on its own.
    """
    session = GameSession(PAID, 13)
    play(session, busy_player)
    found = debrief(session, seeds=2)
    assert 1 <= len(found.key_decisions) <= 3
    impacts = [abs(key.impact) for key in found.key_decisions]
    assert impacts == sorted(impacts, reverse=True)
    first = found.key_decisions[0]
    held = session.log[first.turn - 1]
    assert len(first.decisions) == 1 and first.decisions.items() <= held.items()
    without = [
        {k: v for k, v in d.items() if k not in first.decisions} if t == first.turn - 1 else d
        for t, d in enumerate(session.log)
    ]
    yardstick = GameSession(PAID, 13)
    play(yardstick, autopilot)
    again = scorecard(outcome(replay_leniently(PAID, 13, without)), outcome(yardstick),
                      PAID.game.scoring)  # fmt: skip
    assert first.impact == pytest.approx(found.scorecard.total - again.total)
    assert len(found.luck.margins) == 2
    assert found.luck.margin == pytest.approx(found.scorecard.total - 100)
    assert 0.0 <= found.luck.percentile <= 1.0
    text = "\n".join(found.lines())
    assert "Score" in text and "mattered most" in text and "other seeds" in text


def test_replayed_elsewhere_decisions_about_missing_reps_are_dropped():
    """Replayed leniently, decisions about reps who are not there are dropped, the rest kept."""
    session = GameSession(PAID, 14)
    rep = session.briefing().roster[0].rep
    kept = lenient(session, {"fire": [rep, 99_999], "plan": [rep, 88_888], "recognition": 2})
    assert kept.fire == [rep] and kept.plan == [] and kept.recognition == 2


def test_a_debrief_needs_a_finished_game():
    """A debrief of a game that is not over is refused."""
    with pytest.raises(ValueError, match="not over"):
        debrief(GameSession(PAID, 15))


def test_scoring_weights_are_checked():
    """Scoring weights must name known indicators and not all be zero."""
    with pytest.raises(ValidationError, match="unknown indicator"):
        GameRules(scoring={"happiness": 1.0})
    with pytest.raises(ValidationError, match="must not all be zero"):
        GameRules(scoring={"profit": 0.0})


def test_decisions_are_summarised_in_words():
    """A turn's decisions are summed up in one line of words; none is 'no change'."""
    said = summary({"hire": [{"role": "ae", "count": 2, "offer": 1.1}], "fire": [4],
                    "coaching": {"hours_per_rep_per_month": 3, "focus": "stars"}})  # fmt: skip
    assert said == (
        "hire 2 AEs at 1.1 times market pay; let rep 4 go; "
        "coach 3 hours per rep a month, focus stars"
    )
    assert summary({}) == "no change"
