"""What the debrief says: decisions one by one, turns against the autopilot, profit, luck."""

from __future__ import annotations

import pytest

from salessim.game.debrief import Luck, debrief, summary
from salessim.game.players import autopilot, play
from salessim.game.replays import QUARTER_FIGURES
from salessim.game.scoring import measured
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT

FIRST_TEAM = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml")


def two_then_one(briefing):
    """Coaching and recognition in turn 1, training alone in turn 3."""
    return {
        1: {"coaching": {"hours_per_rep_per_month": 6, "focus": "laggards"}, "recognition": 2},
        3: {"training_every_months": 2},
    }.get(briefing.turn, {})


@pytest.fixture(scope="module")
def played():
    """A finished game of first_team with a busy turn and a single-decision turn."""
    session = GameSession(FIRST_TEAM, 6)
    play(session, two_then_one)
    return session, debrief(session, seeds=2)


def test_decisions_of_a_busy_turn_are_named_one_by_one(played):
    """A turn of two decisions gives two key decisions of one each; a turn of one gives itself."""
    session, found = played
    named = {(key.turn, tuple(key.decisions)) for key in found.key_decisions}
    assert named == {(1, ("coaching",)), (1, ("recognition",)), (3, ("training_every_months",))}
    for key in found.key_decisions:
        assert key.decisions.items() <= session.log[key.turn - 1].items()
    text = "\n".join(found.lines())
    for key in found.key_decisions:
        assert f"turn {key.turn}: {summary(key.decisions)} (" in text


def test_each_turn_is_compared_with_the_autopilot(played):
    """One row per turn with the player's and the autopilot's figures; the last ARR is the end."""
    session, found = played
    assert [quarter.turn for quarter in found.quarters] == list(range(1, session.turns + 1))
    last = found.quarters[-1]
    assert set(last.player) == set(last.autopilot) == set(QUARTER_FIGURES)
    assert last.player["ending_arr"] == pytest.approx(measured(session)["ending_arr"])
    spend = sum(quarter.player["people_spend"] for quarter in found.quarters)
    assert spend == pytest.approx(measured(session)["people_spend"])
    lines = found.lines()
    table = lines.index("Turn by turn, yours / the autopilot's:")
    assert len(lines[table + 1 : table + 2 + session.turns]) == session.turns + 1


def test_profit_is_shown_as_its_parts(played):
    """Revenue less people spend plus the book and the pipeline make the profit scored."""
    session, found = played
    mine, yardstick = found.profit
    for part in (mine, yardstick):
        total = part.revenue - part.people_spend + part.book + part.pipeline
        assert total == pytest.approx(part.total, rel=1e-12)
    assert mine.total == found.scorecard.lines[0].value
    assert mine.book == pytest.approx(measured(session)["ending_arr"] * FIRST_TEAM.game.book_years)
    assert any(line.startswith("Profit, yours: ") and "for the pipeline" in line
               for line in found.lines())  # fmt: skip


def test_the_autopilot_game_matches_the_autopilot_turn_by_turn():
    """Played on autopilot, every turn's figures equal the autopilot's and luck ties."""
    session = GameSession(FIRST_TEAM, 2)
    play(session, autopilot)
    found = debrief(session, seeds=2)
    assert all(quarter.player == quarter.autopilot for quarter in found.quarters)
    assert found.luck.tied and found.luck.margins == [0.0, 0.0]
    text = "\n".join(found.lines())
    assert "luck made no difference" in text and "luck was against you" not in text


def test_luck_ties_only_when_every_seed_ties():
    """One seed apart is no tie, and the percentile still speaks."""
    assert Luck([1.0, 1.0], 1.0).tied
    apart = Luck([3.0, 3.0], 1.0)
    assert not apart.tied and apart.verdict() == "luck was against you"
    assert not Luck([], 0.0).tied
    assert Luck([2.0, 2.0, 2.0, 1.0], 2.0).verdict() == "luck played little part"  # ties count half
