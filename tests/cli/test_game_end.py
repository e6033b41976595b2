"""The debrief at the end of ``salessim play``: scores, turn by turn, profit, decisions, luck."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from salessim.cli import game_end
from salessim.game.players import play
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT


def coach_then_train(briefing):
    """Coaching and awards in turn 1, training in turn 2."""
    return {
        1: {"coaching": {"hours_per_rep_per_month": 4, "focus": "laggards"}, "recognition": 1},
        2: {"training_every_months": 3},
    }.get(briefing.turn, {})


def test_the_debrief_screen_says_everything_in_one_panel():
    """The end of a game prints the debrief: turn by turn, profit's parts, decisions, luck."""
    scenario = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml", ["game.luck_seeds=2"])
    session = GameSession(scenario, 3)
    play(session, coach_then_train)
    out = io.StringIO()
    game_end.finish(session, Console(file=out, width=160), Path("first-seed3.game.json"))
    text = out.getvalue()
    assert "your game with each decision left out, and your decisions on 2 other seeds" in text
    said = ("Debrief", "Score ", "Turn by turn, yours / the autopilot's:", "Profit, yours:",
            "Profit, autopilot:", "decisions that mattered most:", "On 2 other seeds")  # fmt: skip
    assert [part for part in said if part not in text] == []
    panel = [line.strip(" │") for line in text.splitlines() if line.startswith("│")]
    turns = [line for line in panel if line.startswith(("1 ", "4 "))]
    assert len(turns) == 2 and all(line.count(" / ") == 4 for line in turns)
    assert "Game over after 4 turns" in text
