"""The game at the terminal: play through a pseudo-terminal, stop and resume, replay, rendering."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import fcntl
import io
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from salessim.cli import app
from salessim.cli.game import briefing_view, figure
from salessim.cli.game_menu import Menu, Outcome
from salessim.game.briefing import quota_words
from salessim.game.session import GameSession
from salessim.report.format import label, money, role_label
from salessim.scenario.bundled import resolve_scenario
from salessim.scenario.load import load_scenario
from tests.support import ROOT

TINY = ["calendar.horizon=1y", "calendar.warmup=0"]  # four quarterly turns, ~0.3 s of simulation
TINY_ARGS = [arg for key in TINY for arg in ("--set", key)]
BASELINE = load_scenario(resolve_scenario(None), TINY)
PAID = load_scenario(
    resolve_scenario("comp/capped"),
    [*TINY, "game.budget=2.5M", "game.targets.bookings_new_arr=1M", "game.targets.churned_arr=1"],
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
WAIT_SECONDS = 30.0  # only reached when something is wrong

runner = CliRunner()


class Terminal:
    """``salessim`` in a pseudo-terminal, driven like a person at the keyboard."""

    def __init__(self, *args: str, cwd: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "TERM": "dumb",
            "COLUMNS": "120",
            "LINES": "50",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "salessim.cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
        )
        os.close(slave)
        self.fd = master
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.raw = ""
        self.position = 0  # where the next expect starts looking

    @property
    def text(self) -> str:
        """Everything shown so far, without escape codes or carriage returns."""
        return ANSI.sub("", self.raw).replace("\r", "")

    def _read(self, deadline: float) -> bool:
        """Read what is there within the deadline; False at the end of output."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the program has closed the terminal
            chunk = b""
        self.raw += self.decoder.decode(chunk)
        return bool(chunk)

    def expect(self, wanted: str) -> str:
        """Wait until ``wanted`` is shown; what was shown before it since the last expect."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            text = self.text
            found = text.find(wanted, self.position)
            if found >= 0:
                before = text[self.position : found]
                self.position = found + len(wanted)
                return before
            if time.monotonic() > deadline or not self._read(deadline):
                tail = text[self.position :][-3000:]
                raise AssertionError(f"never saw {wanted!r}; the screen shows:\n{tail}")

    def send(self, line: str) -> None:
        """Type a line and press Enter."""
        os.write(self.fd, line.encode() + b"\n")

    def answer(self, prompt: str, line: str) -> None:
        """Wait for ``prompt``, then type ``line``."""
        self.expect(prompt)
        self.send(line)

    def refused(self, line: str, reason: str, prompt: str) -> None:
        """Typed at ``prompt``, ``line`` gets a polite ``reason``, then the same question."""
        self.send(line)
        said = self.expect(reason)
        assert "Sorry, " in said and prompt not in said and "Traceback" not in said
        assert self.expect(prompt).count("\n") == 1  # asked again on the next line

    def wait_until_reading(self) -> None:
        """Wait until the program is blocked reading the keyboard, where Ctrl-C finds it.

        A signal sent in the microseconds between showing a prompt and starting to read is
        only seen once a key is pressed (Python's input()); no person is that quick.
        """
        stat = Path(f"/proc/{self.process.pid}/stat")
        if not stat.exists():
            time.sleep(0.3)
            return
        deadline = time.monotonic() + WAIT_SECONDS
        asleep = 0
        while asleep < 3 and time.monotonic() < deadline:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
            asleep = asleep + 1 if state == "S" else 0
            time.sleep(0.01)

    def finish(self) -> int:
        """Read to the end of output; the exit code."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and self._read(deadline):
            pass
        code = self.process.wait(timeout=WAIT_SECONDS)
        os.close(self.fd)
        return code

    def close(self) -> None:
        """Stop the program if a failed test left it running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.fd)


def last_figures_and_story(text: str) -> str:
    """The last briefing's figures and story in ``text``, words only (wrapping aside)."""
    block = text[text.rindex("Figures") :]
    return " ".join(block[: block.index("Team (")].split())


def test_a_whole_game_at_the_keyboard(tmp_path):
    """A whole game typed at a terminal, with nonsense at every kind of prompt.

    Each prompt refuses politely and asks again; refused decisions keep the turn; the
    save holds the decisions made; replaying the save shows the same final briefing.
    """
    roster = GameSession(BASELINE, 0).briefing().roster
    leaver = roster[2].rep
    menu = "Turn 1 of 4 > "
    term = Terminal("play", *TINY_ARGS, cwd=tmp_path)
    try:
        term.expect("saved to baseline-seed0.game.json after every turn")
        term.expect("Turn 1 of 4 · the start · 2027-01-01")
        term.expect(menu)
        term.refused("z", "'z' is not a command", menu)

        term.send("h")
        role = "Role to hire (sdr, ae, specialist, csm): "
        term.expect(role)
        term.refused("boss", "'boss' is not one of sdr, ae, specialist, csm", role)
        term.send("ae")
        count = "How many AEs (1 to 10): "
        term.expect(count)
        term.refused("two", "'two' is not a whole number", count)
        term.refused("11", "pick a number from 1 to 10", count)
        term.send("2")
        offer = "Offer as a multiple of market pay (0.85 to 1.3; Enter: the usual 1): "
        term.expect(offer)
        term.refused("5", "pick a number from 0.85 to 1.3", offer)
        term.refused("lots", "'lots' is not a number", offer)
        term.send("1.1")
        term.expect("Noted: hire 2 AEs at 1.1 times market pay")

        term.answer(menu, "f")
        rep = "Rep id to let go: "
        term.expect(rep)
        term.refused("999", "there is no rep 999 on the team", rep)
        term.refused("abc", "'abc' is not a whole number", rep)
        term.send(str(leaver))
        term.expect(f"Noted: let rep {leaver} go")

        term.answer(menu, "c")
        hours = "Coaching hours per rep a month (0 to 8; now 16% of a manager's time): "
        term.expect(hours)
        term.refused("9", "pick a number from 0 to 8", hours)
        term.send("4")
        focus = "Coach whom first (even, stars, core, laggards, new_hires, lowest_attainment; "
        term.expect(focus)
        term.refused("nobody", "'nobody' is not one of even", focus)
        term.send("lag")
        term.expect("Noted: coach 4 hours per rep a month, focus laggards")

        term.answer(menu, "t")
        cadence = "A training session every how many months (0 stops training; now none): "
        term.expect(cadence)
        term.refused("0.5", "pick 0 or at least 1 month", cadence)
        term.send("")  # Enter alone: back to the menu, nothing decided
        term.answer(menu, "$")
        term.expect("This scenario has no pay plans to choose from.")

        term.answer(menu, "p")
        planned = "Rep id to put on a performance plan: "
        term.expect(planned)
        term.refused("1000", "there is no rep 1000", planned)
        term.send(str(leaver))
        term.answer(menu, "e")
        term.expect("These decisions cannot apply yet:")
        term.expect(f"plan: reps [{leaver}] are also being let go")
        term.answer(menu, "u")  # the turn goes on: undo the plan
        term.expect(f"Undone: put rep {leaver} on a performance plan.")
        term.answer(menu, "d")
        shown = term.expect(menu)
        assert "hire 2 AEs" in shown and f"let rep {leaver} go" in shown and "coach 4" in shown
        assert "performance plan" not in shown and "train" not in shown
        term.send("e")
        term.expect("Playing the turn...")
        for turn in (2, 3, 4):
            term.expect(f"Turn {turn} of 4 · after 2027Q{turn - 1}")
            term.answer(f"Turn {turn} of 4 > ", "e")
        term.expect("Game over · 4 turns played · 2027Q4 · 2028-01-01")
        term.expect("Game over after 4 turns. The whole game is saved in baseline-seed0.game.json")
        assert term.finish() == 0
    finally:
        term.close()
    assert "Traceback" not in term.text

    save = tmp_path / "baseline-seed0.game.json"
    game = GameSession.load(save)
    assert game.turn == 4 and game.finished
    assert game.log[0] == {
        "hire": [{"role": "ae", "count": 2, "offer": 1.1}],
        "fire": [leaver],
        "coaching": {"hours_per_rep_per_month": 4.0, "focus": "laggards"},
    }
    assert game.log[1:] == [{}, {}, {}]
    assert leaver not in {row.rep for row in GameSession.load(save, turns=1).briefing().roster}

    replayed = runner.invoke(app, ["replay", str(save), "--quarter", "4"])
    assert replayed.exit_code == 0, replayed.output
    live = last_figures_and_story(term.text)
    assert last_figures_and_story(replayed.output) == live
    ending = money(game.briefing().indicator("ending_arr").value)
    assert f"Ending ARR {ending} " in live


def test_end_of_input_saves_and_resume_carries_on(tmp_path):
    """Ctrl-D mid-turn saves and says how to resume; the resumed game starts there.

    Ctrl-C (SIGINT) at a prompt saves too and exits 130.
    """
    term = Terminal("play", *TINY_ARGS, "--seed", "3", "--save", "game.json", cwd=tmp_path)
    try:
        term.answer("Turn 1 of 4 > ", "h")
        term.answer("Role to hire", "ae")
        term.answer("How many AEs", "1")
        term.answer("Offer as a multiple", "")  # the usual offer
        term.answer("Turn 1 of 4 > ", "e")
        term.expect("Turn 2 of 4 > ")
        assert len(GameSession.load(tmp_path / "game.json").log) == 1  # saved after the turn
        term.send("f")
        term.expect("Rep id to let go: ")
        os.write(term.fd, b"\x04")  # Ctrl-D at the prompt: end of input
        term.expect("Saved after 1 of 4 turns to game.json.")
        term.expect("Carry on with: salessim play --resume game.json")
        assert term.finish() == 0
    finally:
        term.close()
    assert "Traceback" not in term.text
    saved = GameSession.load(tmp_path / "game.json")
    assert saved.seed == 3 and saved.log == [{"hire": [{"role": "ae"}]}]  # count 1 is the default

    expected = money(saved.briefing().indicator("ending_arr").value)
    term = Terminal("play", "--resume", "game.json", cwd=tmp_path)
    try:
        term.expect("Turn 2 of 4 · after 2027Q1 · 2027-04-01")
        assert f"Ending ARR {expected} " in " ".join(term.expect("Turn 2 of 4 > ").split())
        term.send("e")
        term.expect("Turn 3 of 4 > ")
        term.wait_until_reading()
        term.process.send_signal(signal.SIGINT)
        term.expect("Saved after 2 of 4 turns to game.json.")
        term.expect("salessim play --resume game.json")
        assert term.finish() == 130
    finally:
        term.close()
    assert "Traceback" not in term.text
    assert len(GameSession.load(tmp_path / "game.json").log) == 2


def test_a_hang_up_saves_the_played_turns_and_exits_129(tmp_path):
    """SIGHUP (a closed terminal, a dropped SSH link) saves like Ctrl-D, without a traceback."""
    term = Terminal("play", *TINY_ARGS, "--seed", "4", "--save", "game.json", cwd=tmp_path)
    try:
        term.answer("Turn 1 of 4 > ", "t")
        term.answer("A training session every how many months", "2")
        term.answer("Turn 1 of 4 > ", "e")
        term.expect("Turn 2 of 4 > ")
        term.send("r")
        term.expect("Recognition awards per team a month")
        term.wait_until_reading()
        term.process.send_signal(signal.SIGHUP)
        assert term.finish() == 129
    finally:
        term.close()
    assert "Traceback" not in term.text
    assert GameSession.load(tmp_path / "game.json").log == [{"training_every_months": 2.0}]


def test_replay_warns_when_a_save_replays_differently(tmp_path):
    """A save whose figures no longer come out the same gets one note on stderr, not a refusal."""
    session = GameSession(BASELINE, 5)
    session.advance({"recognition": 3})
    session.advance({})
    save = session.save(tmp_path / "game.json")
    clean = runner.invoke(app, ["replay", str(save), "--quarter", "2"])
    assert clean.exit_code == 0 and clean.stderr == ""

    document = json.loads(save.read_text())
    document["fingerprints"][1] = "changed"
    document["salessim"] = "0.0.1"
    save.write_text(json.dumps(document))
    result = runner.invoke(app, ["replay", str(save), "--quarter", "2", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["turn"] == 3  # stdout stays pure JSON
    note = " ".join(result.stderr.split())
    assert "saved by salessim 0.0.1" in note and "turn 2 comes out differently" in note


def test_replay_json_is_the_briefing_after_n_turns(tmp_path):
    """--json prints that turn's briefing as asdict gives it; bad quarters and files exit 2."""
    session = GameSession(BASELINE, 5)
    session.advance({"hire": [{"role": "ae", "count": 2}]})
    session.advance({"recognition": 3})
    session.advance({})
    save = session.save(tmp_path / "game.json")

    result = runner.invoke(app, ["replay", str(save), "--quarter", "2", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["turn"] == 3 and printed["period"] == "2027Q2"
    expected = GameSession.load(save, turns=2).briefing()
    assert printed == json.loads(json.dumps(dataclasses.asdict(expected)))
    start = json.loads(runner.invoke(app, ["replay", str(save), "--quarter", "0", "--json"]).stdout)
    assert start["period"] == "start" and start["turn"] == 1

    (tmp_path / "junk.json").write_text("not a save")
    for args, message in [
        ([str(save), "--quarter", "4"], "holds 3 played turns: --quarter must be 0 to 3"),
        ([str(save), "--quarter", "-1"], "--quarter must be 0 or more"),
        ([str(tmp_path / "junk.json"), "--quarter", "1"], "not a salessim game save"),
        ([str(tmp_path / "missing.json"), "--quarter", "1"], "not a salessim game save"),
    ]:
        refused = runner.invoke(app, ["replay", *args])
        assert refused.exit_code == 2, refused.output
        assert message in refused.output and len(refused.output.strip().splitlines()) == 1


def test_play_will_not_overwrite_a_save_or_mix_resume_with_a_scenario(tmp_path, monkeypatch):
    """``play`` will not overwrite a save, nor take --resume with a scenario, seed or --set."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline-seed0.game.json").write_text("{}")
    taken = runner.invoke(app, ["play", *TINY_ARGS])
    assert taken.exit_code == 2
    assert "already holds a game" in taken.output and "--resume" in taken.output
    mixed = runner.invoke(app, ["play", "--resume", "baseline-seed0.game.json", "--seed", "2"])
    assert mixed.exit_code == 2 and "leave out SCENARIO, --seed and --set" in mixed.output


def test_the_briefing_shows_every_part():
    """Every part of a real briefing appears in its rendering.

    The header, every indicator with its figures and target, the story, every rep with
    plan and rumour marks, requisitions, the pipeline, the budget and the pay plans.
    """
    session = GameSession(PAID, 1)
    first = session.briefing().roster
    session.advance(
        {
            "hire": [{"role": "ae", "count": 3, "offer": 1.2}],
            "fire": [first[0].rep],
            "plan": [first[10].rep],
            "training_every_months": 1,
        }
    )
    briefing = session.briefing()
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(briefing_view(briefing))
    text = console.export_text()
    rows = [" ".join(line.split()) for line in text.splitlines()]

    assert "Turn 2 of 4 · after 2027Q1 · 2027-04-01" in text
    for ind in briefing.indicators:
        if ind.name.startswith("headcount_"):  # on one line under the figures
            role = role_label(ind.name.removeprefix("headcount_"))
            shown = f"{role} {figure(ind.name, ind.value)} ({figure(ind.name, ind.previous)})"
            assert shown in " ".join(rows), ind.name
            continue
        cells = [label(ind.name), figure(ind.name, ind.value), figure(ind.name, ind.previous)]
        assert any(row.startswith(" ".join(cells)) for row in rows), ind.name
    assert any(row.startswith("Bookings new ARR") and row.endswith(" yes") for row in rows) == (
        briefing.indicator("bookings_new_arr").on_target
    )
    assert any(row.startswith("Churned ARR") and row.endswith(" no") for row in rows)
    assert len(briefing.story) >= 3
    for line in briefing.story:
        assert f"• {line}" in text
    assert any(rep.on_plan for rep in briefing.roster)
    assert len(briefing.roster) > 15  # summarised by role, the reps at risk first
    assert f"Team ({len(briefing.roster)} reps, by role)" in text
    for role in {rep.role for rep in briefing.roster}:
        reps = sum(rep.role is role for rep in briefing.roster)
        assert any(row.startswith(f"{role_label(role.value)} {reps} ") for row in rows), role
    planned = next(rep for rep in briefing.roster if rep.on_plan)
    assert any(row.startswith(f"rep {planned.rep} ") and "on a plan" in row for row in rows)
    waiting = [f"{n} {role_label(r)}" for r, n in briefing.open_requisitions.items() if n]
    assert f"Open requisitions: {', '.join(waiting) or 'none'}" in text
    for stage, (deals, _) in briefing.pipeline.items():
        assert any(row.startswith(f"{label(stage)} {deals} ") for row in rows), stage
    budget = briefing.budget
    assert f"limit {money(budget.limit)} a turn · last turn {money(budget.spent)}" in text
    choices = ", ".join(briefing.plan_choices["ae"])
    assert f"AE: ae_capped, quota {briefing.quotas['ae']} (choices: {choices})" in text
    assert "Policies in force" in text and "Training: every 1 month" in text
    for name, words in briefing.policies.items():
        assert f"{name.capitalize()}: {words}" in text


def test_the_menu_builds_decisions_from_keys_and_refuses_nonsense():
    """The menu turns keys into a turn's decisions and plays it.

    Pay plans, quotas, routing, segments, backfill, recognition, training and a contest, each after
    a refused answer that is asked again; e plays the turn; q quits; EOF passes up.
    """
    session = GameSession(PAID, 2)
    script = [
        ("$", True), ("ae", True), ("nope", False), ("ae_lin", True),
        ("%", True), ("ae", True), ("0", False), ("1.2", True),
        ("o", True), ("ceo", False), ("ae", True), ("zigzag", False), ("round", True),
        ("s", True), ("nowhere", False), ("mid_market", True), ("-1", False), ("2", True),
        ("b", True), ("never", False), ("delayed", True),
        ("r", True), ("some", False), ("2", True),
        ("t", True), ("0.2", False), ("3", True),
        ("c", True), ("3", True), ("", True),
        ("k", True), ("ceo", False), ("ae", True), ("-5", False), ("3000", True), ("1000", True),
        ("", True),
        ("e", True),
    ]  # fmt: skip
    answers = iter(script)
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(answers)[0]
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    menu = Menu(session, Console(file=out, width=200), lambda: None, read)
    assert menu.decide() is Outcome.PLAYED
    assert len(prompts) == len(script)
    linear = quota_words(PAID.compensation.plans["ae_linear"])  # the plan chosen with $
    assert f"Multiply the AE quota (now {linear}) by" in " ".join(prompts)
    for i, (_, accepted) in enumerate(script):
        if not accepted:
            assert prompts[i + 1] == prompts[i], (i, prompts[i])
    assert out.getvalue().count("Sorry, ") == sum(not ok for _, ok in script)
    assert session.turn == 1
    assert session.log[0] == {
        "pay_plans": {"ae": "ae_linear"},
        "quota": {"ae": 1.2},
        "routing": {"ae": "round_robin"},
        "segment_focus": {"mid_market": 2.0},
        "backfill": "delayed",
        "recognition": 2,
        "training_every_months": 3.0,
        "coaching": {"hours_per_rep_per_month": 3.0},  # Enter kept the focus (even, the default)
        "contest": {"role": "ae", "prizes": [3000.0, 1000.0]},
    }

    answers = iter([("q", True)])
    assert menu.decide() is Outcome.QUIT and not menu.pending
    with pytest.raises(EOFError):
        menu.decide()
