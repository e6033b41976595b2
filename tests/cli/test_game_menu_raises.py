"""Raises by role at the keyboard: one line in the draft, per-rep raises in the played turn."""

from __future__ import annotations

import json

from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.cli_process import cli
from tests.support import ROOT

SCENARIO = ROOT / "scenarios" / "game" / "retention_crisis.yaml"
SETTINGS = ["calendar.horizon=1y", "game.budget=10M"]  # four turns; room for raises
ARGS = [SCENARIO.as_posix(), *(arg for key in SETTINGS for arg in ("--set", key))]


def keys(*lines: str) -> str:
    """Typed lines, each ended by Enter."""
    return "".join(f"{line}\n" for line in lines)


def test_a_role_raise_is_one_line_and_plays_as_per_rep_raises(tmp_path):
    """Every AE paid below 0.9x market pay goes to 0.95x, in one command.

    The draft lists it as one line naming the reps; a rep given their own raise keeps it,
    a rep being let go gets none, a rep already paid more is left alone; the played turn
    holds the per-rep raises the session takes, and undo says what it undid.
    """
    session = GameSession(load_scenario(SCENARIO, SETTINGS), 0)
    aes = sorted(rep.id for rep in session.employed() if rep.role.value == "ae")
    offers = session.briefing().offers  # a rep with a better offer elsewhere may leave
    paid_more = [rep for rep in aes if rep not in offers][-1]
    session.advance({"pay_raise": {paid_more: 1.0}})
    aes = sorted(rep.id for rep in session.employed() if rep.role.value == "ae")
    assert paid_more in aes and len(aes) >= 4
    own, leaving = aes[1], aes[2]
    reached = [rep for rep in aes if rep != paid_more]
    save = tmp_path / "game.json"

    typed = keys(
        "+", str(paid_more), "1.0x", "e",  # turn 1
        "+", str(own), "1.2",  # turn 2: one rep's own raise
        "+", "ae", "1.5", "0.95", "1", "0.9",  # every AE paid below 0.9x, to 0.95x
        "f", str(leaving), "u", "f", str(leaving),
        "d", "e", "q",
    )  # fmt: skip
    proc = cli("play", *ARGS, "--save", str(save), input=typed)
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in out

    listed = ", ".join(map(str, reached[:-1])) + f" and {reached[-1]}"
    line = f"raise every AE paid below 0.9x market pay to 0.95x (reps {listed})"
    assert f"Noted: {line}" in out
    assert f"Reps given their own raise keep it: {own}." in out
    assert "Sorry, pick a number from 0.85 to 1.3." in out
    assert "Sorry, pick a number above 0 and at most 0.95." in out
    assert "AEs, paid 0.84x to 1.00x market pay now" in out
    assert f"Undone: let rep {leaving} go." in out
    shown = out.split("Turn 2 of 4 > ")[-2]  # the last d of turn 2
    assert f"- raise rep {own} to 1.2x market pay" in shown
    assert f"- {line}" in shown and f"- let rep {leaving} go" in shown
    assert shown.count("- raise") == 2  # the role's raise is one line, not one per rep

    log = json.loads(save.read_text())["decisions"]
    assert log[0] == {"pay_raise": {str(paid_more): 1.0}}
    raised = {str(rep): 0.95 for rep in reached if rep not in (own, leaving)}
    assert log[1] == {"fire": [leaving], "pay_raise": {**raised, str(own): 1.2}}
