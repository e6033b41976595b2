"""The turn's draft at the keyboard: every decision listed in words; undo names what it undid."""

from __future__ import annotations

import json

from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.cli_process import cli
from tests.support import ROOT

SCENARIO = ROOT / "scenarios" / "game" / "pay_plan_redesign.yaml"
SETTINGS = ["calendar.horizon=1y"]
ARGS = [SCENARIO.as_posix(), *(arg for key in SETTINGS for arg in ("--set", key))]
TERM = "ae_capped.components.0.commission.cap"


def keys(*lines: str) -> str:
    """Typed lines, each ended by Enter."""
    return "".join(f"{line}\n" for line in lines)


def shown_by(out: str, prompt: str, index: int) -> str:
    """What was shown between the ``index``-th ``prompt`` and the next."""
    return out.split(prompt)[index + 1]


def test_raises_contests_and_plan_terms_are_listed_and_undone_by_name(tmp_path):
    """D lists a raise, a contest and a plan-term edit; each u says which one it took back.

    Clearing and undoing the clear brings the decisions back by name; the played turn
    holds what the draft last listed.
    """
    session = GameSession(load_scenario(SCENARIO, SETTINGS), 0)
    rep = next(row.rep for row in session.briefing().roster if row.role.value == "ae")
    save = tmp_path / "game.json"
    typed = keys(
        "+", str(rep), "1.1x",
        "k", "ae", "5k", "$1,500", "",
        "=", "3", "2.5",
        "t", "0",
        "d",  # prompt 4: four lines
        "u", "u", "d",  # prompt 7: the raise and the contest
        "x", "u", "d",  # prompt 10: the same again
        "e", "q",
    )  # fmt: skip
    proc = cli("play", *ARGS, "--save", str(save), input=typed)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "Traceback" not in out + proc.stderr
    prompt = "Turn 1 of 4 > "
    raise_ = f"raise rep {rep} to 1.1x market pay"
    contest = "a contest for AEs over the next quarter: 2 prizes ($5.0k, $1.5k)"
    term = f"set plan term {TERM} to 2.5 from the next period"
    for line in (raise_, contest, term, "no training"):
        assert f"Noted: {line}\n" in out

    listed = shown_by(out, prompt, 4)
    assert [line.strip() for line in listed.splitlines() if line.startswith("  - ")] == [
        "- no training",
        f"- {raise_}",
        f"- {contest}",
        f"- {term}",
    ]
    assert shown_by(out, prompt, 5).startswith("Undone: no training.\n")
    assert shown_by(out, prompt, 6).startswith(f"Undone: {term}.\n")
    after_undo = shown_by(out, prompt, 7)
    assert f"- {raise_}" in after_undo and f"- {contest}" in after_undo
    assert term not in after_undo
    assert shown_by(out, prompt, 8).startswith("Cleared: nothing is decided")
    assert shown_by(out, prompt, 9).startswith(
        f"Undone: the clear; back to: {raise_}; {contest}.\n"
    )
    brought_back = shown_by(out, prompt, 10)
    assert f"- {raise_}" in brought_back and f"- {contest}" in brought_back

    log = json.loads(save.read_text())["decisions"]
    assert log == [
        {"pay_raise": {str(rep): 1.1}, "contest": {"role": "ae", "prizes": [5000.0, 1500.0]}}
    ]
