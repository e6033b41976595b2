"""The forecast at the keyboard: `#` asks for next quarter's new ARR and churn."""

from __future__ import annotations

import json

from salessim.cli.game_menu import BY_NAME, COMMANDS, menu_line
from tests.cli_process import cli
from tests.support import ROOT

SCENARIO = ROOT / "scenarios" / "game" / "pay_plan_redesign.yaml"
ARGS = [SCENARIO.as_posix(), "--set", "calendar.horizon=1y"]


def test_the_forecast_has_its_own_key_in_the_menu_and_the_help():
    """`#` (or the word `forecast`) runs the forecast; the menu line lists it."""
    assert BY_NAME["#"] is BY_NAME["forecast"]
    assert [command.key for command in COMMANDS].count("#") == 1
    assert "# forecast" in menu_line()
    assert all(len(line) <= 80 for line in menu_line().splitlines())


def test_a_forecast_typed_at_the_keyboard_is_committed_with_the_turn(tmp_path):
    """`#` reads 4M and 500k and the next briefing shows them against what happened.

    It shows the guide first, asks again after a word, and notes the forecast in words.
    """
    save = tmp_path / "game.json"
    typed = "".join(f"{line}\n" for line in ["#", "lots", "4M", "500k", "d", "e", "?", "q"])
    proc = cli("play", *ARGS, "--save", str(save), input=typed)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "Traceback" not in out + proc.stderr
    assert "Guide for next quarter (pipeline forecast): $" in out
    assert "The pipeline forecast (the guide): $" in out
    assert "Sorry, 'lots' is not a number" in out
    assert "Noted: forecast $4.0M new ARR and $500k churn next quarter" in out
    assert "  - forecast $4.0M new ARR and $500k churn next quarter" in out  # `d` lists it
    assert "Last quarter you forecast $4.0M new ARR (booked $" in out
    assert "and $500k churn (lost $" in out
    assert "#  forecast" in out  # the help
    assert json.loads(save.read_text())["decisions"] == [
        {"forecast": {"new_arr": 4_000_000.0, "churn": 500_000.0}}
    ]


def test_enter_at_the_forecast_goes_back_and_the_guide_stands(tmp_path):
    """Enter alone records nothing: the turn is played on the guide, said so after it."""
    save = tmp_path / "game.json"
    typed = "".join(f"{line}\n" for line in ["#", "", "e", "q"])
    proc = cli("play", *ARGS, "--save", str(save), input=typed)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Noted: forecast" not in proc.stdout
    assert "Last quarter the forecast (the guide's) was $" in proc.stdout
    assert json.loads(save.read_text())["decisions"] == [{}]
