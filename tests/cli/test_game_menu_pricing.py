"""The price policy at the keyboard: `a` asks each closing role's authority and the rule."""

from __future__ import annotations

import json

from tests.cli_process import cli
from tests.support import ROOT

SCENARIO = ROOT / "scenarios" / "game" / "first_team.yaml"
ARGS = [SCENARIO.as_posix(), "--set", "calendar.horizon=6mo"]  # two turns


def keys(*lines: str) -> str:
    """Typed lines, each ended by Enter."""
    return "".join(f"{line}\n" for line in lines)


def test_the_price_policy_is_asked_checked_said_back_and_played(tmp_path):
    """`a` shows the policy in force, refuses what is out of bounds and records the rest.

    A bare 15 is taken for a slip (15% meant); 40% is beyond the game's 30%. The draft says
    the policy in words, undo says what it undid, Enter keeps a setting, and the played
    turn's log holds the decision; the next briefing shows it in force.
    """
    save = tmp_path / "game.json"
    typed = keys(
        "a", "15", "40%", "15%", "20%",  # AE authority, then the approval rule
        "u",
        "a", "10%", "",  # the approval rule kept
        "d", "e", "q",
    )  # fmt: skip
    proc = cli("play", *ARGS, "--save", str(save), input=typed)
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in out
    assert "Price policy now: AEs at list; manager approves up to 30% beyond." in out
    assert "Sorry, '15' is more than all of the price: did you mean 15%?" in out
    assert "Sorry, pick a share from 0% to 30%." in out
    said = (
        "AEs may discount up to 15%; the manager approves discounts up to 20% beyond a "
        "rep's authority"
    )
    assert f"Noted: {said}" in out
    assert f"Undone: {said}." in out
    assert "Noted: AEs may discount up to 10%" in out
    assert "- AEs may discount up to 10%" in out
    assert "Pricing: AEs up to 10%; manager approves up to 30% beyond" in out

    log = json.loads(save.read_text())["decisions"]
    assert log == [{"pricing": {"authority": {"ae": 0.1}}}]


def test_the_menu_and_help_list_the_pricing_command(tmp_path):
    """The menu's policy line ends with `a pricing`; `?` says what it sets."""
    save = tmp_path / "game.json"
    proc = cli("play", *ARGS, "--save", str(save), input=keys("?", "q"))
    out = " ".join(proc.stdout.split())
    assert "% quota · s segments · a pricing\n" in proc.stdout
    assert "a pricing discount authority per role, and how deep the manager approves" in out
