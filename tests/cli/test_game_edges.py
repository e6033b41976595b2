"""The game's edges: a real hang-up, broken saves, seeds, names that try to drive the terminal."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import fcntl
import io
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from salessim.cli import app
from salessim.cli.game import briefing_view
from salessim.cli.game_menu import Menu
from salessim.cli.game_play import HUNG_UP, _play_turns
from salessim.cli.hang_up import hang_ups_noted
from salessim.experiments.files import load_experiment
from salessim.game.save_file import sealed
from salessim.game.session import GameSession
from salessim.scenario.bundled import resolve_scenario
from salessim.scenario.errors import ScenarioError
from salessim.scenario.load import load_scenario
from tests.cli_process import assert_refused, cli
from tests.support import ROOT

TINY = ["calendar.horizon=1y", "calendar.warmup=0"]  # four quarterly turns
TINY_ARGS = [arg for key in TINY for arg in ("--set", key)]
BASELINE = load_scenario(resolve_scenario(None), TINY)
WAIT_SECONDS = 60.0  # only reached when something is wrong (the machine may be busy)

runner = CliRunner()


# ----------------------------------------------------------------------------- a real hang-up
class HangingTerminal:
    """``salessim`` in a pseudo-terminal whose far end can be closed, as a window is closed.

    With ``controlling``, the game leads its own session with the terminal as its
    controlling terminal (as a login shell's child is once the shell is gone): closing
    the far end sends it SIGHUP and ends its reads. Without, it only sees its reads end
    and its writes fail, as a game does when the shell that would pass SIGHUP on is slow.
    """

    def __init__(self, *args: str, cwd: Path, controlling: bool, stderr: Path | None) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TERM": "dumb", "COLUMNS": "120"}
        self.stderr = None if stderr is None else stderr.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "salessim.cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave if self.stderr is None else self.stderr,
            cwd=cwd,
            env=env,
            start_new_session=True,
            preexec_fn=_take_terminal if controlling else None,
        )
        os.close(slave)
        self.fd: int | None = master
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.text = ""

    def expect(self, wanted: str) -> None:
        """Wait until ``wanted`` is shown."""
        assert self.fd is not None
        deadline = time.monotonic() + WAIT_SECONDS
        while wanted not in self.text:
            left = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], left)
            try:
                chunk = os.read(self.fd, 65536) if ready else b""
            except OSError:  # EIO: the game has closed the terminal
                chunk = b""
            if not chunk:  # out of time, or the game is gone
                tail = self.text[-2000:]
                raise AssertionError(f"never saw {wanted!r}; the screen shows:\n{tail}")
            self.text += self.decoder.decode(chunk)
        self.text = self.text[self.text.index(wanted) + len(wanted) :]

    def send(self, line: str) -> None:
        """Type a line and press Enter."""
        assert self.fd is not None
        os.write(self.fd, line.encode() + b"\n")

    def wait_until_reading(self) -> None:
        """Wait until the game is blocked reading the keyboard."""
        stat = Path(f"/proc/{self.process.pid}/stat")
        deadline = time.monotonic() + WAIT_SECONDS
        asleep = 0
        while asleep < 3 and time.monotonic() < deadline and stat.exists():
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
            asleep = asleep + 1 if state == "S" else 0
            time.sleep(0.01)

    def hang_up(self) -> int:
        """Close the terminal's far end; the game's exit code."""
        assert self.fd is not None
        os.close(self.fd)
        self.fd = None
        return self.process.wait(timeout=WAIT_SECONDS)

    def close(self) -> None:
        """Stop the game if a failed test left it running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
        if self.stderr is not None:
            self.stderr.close()


def _take_terminal() -> None:
    """In the child, before the game starts: make standard input its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.mark.parametrize(
    ("controlling", "stderr_to_file"),
    [(True, True), (False, True), (True, False)],
    ids=["sighup-and-eof", "eof-only", "stderr-on-the-terminal"],
)
def test_closing_the_terminal_at_a_prompt_saves_and_exits_129(
    tmp_path, controlling, stderr_to_file
):
    """The window closed at a prompt: the played turn is saved whole, exit 129, no traceback.

    Whether the game hears SIGHUP first, or only finds its reads ended and its writes
    failing, or both one while handling the other, it stops the same way. With standard
    error on the closed terminal too, a failure to write at exit would show as exit 120.
    """
    errors = tmp_path / "stderr.txt" if stderr_to_file else None
    term = HangingTerminal(
        "play",
        *TINY_ARGS,
        "--seed",
        "4",
        "--save",
        "game.json",
        cwd=tmp_path,
        controlling=controlling,
        stderr=errors,
    )
    try:
        term.expect("Turn 1 of 4 > ")
        term.send("r")
        term.expect("Recognition awards per team a month")
        term.send("2")
        term.expect("Turn 1 of 4 > ")
        term.send("e")
        term.expect("Turn 2 of 4 > ")
        term.send("t")
        term.expect("A training session every how many months")
        term.wait_until_reading()
        code = term.hang_up()
    finally:
        term.close()
    assert code == HUNG_UP
    if errors is not None:
        assert errors.read_text() == ""  # no traceback, no complaint at exit
    assert GameSession.load(tmp_path / "game.json").log == [{"recognition": 2}]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "stderr.txt") == ["game.json"]


def test_a_hang_up_while_ctrl_d_is_saving_does_not_cut_the_save_short(tmp_path, monkeypatch):
    """SIGHUP landing inside the end-of-input stop: the save completes, then exit 129."""
    session = GameSession(BASELINE, 2)
    session.advance({"recognition": 1})
    console = Console(file=io.StringIO(), width=120)
    written = []
    save = GameSession.save

    def save_and_hear_the_hang_up(self, path):
        if not written:
            os.kill(os.getpid(), signal.SIGHUP)  # the terminal goes while Ctrl-D saves
        written.append(path)
        return save(self, path)

    def end_of_input(prompt):
        raise EOFError

    monkeypatch.setattr(GameSession, "save", save_and_hear_the_hang_up)
    previous = signal.getsignal(signal.SIGHUP)
    interrupt = signal.getsignal(signal.SIGINT)
    try:
        with hang_ups_noted() as hang_up:
            menu = Menu(session, console, lambda: None, read=end_of_input)
            with pytest.raises(typer.Exit) as stop:
                _play_turns(session, console, menu, tmp_path / "game.json", hang_up)
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert stop.value.exit_code == HUNG_UP and hang_up.heard
    assert signal.getsignal(signal.SIGINT) is interrupt  # Ctrl-C was ignored only while saving
    assert len(written) == 2  # the stop's save, whole, and the hang-up's
    monkeypatch.undo()
    assert GameSession.load(tmp_path / "game.json").log == [{"recognition": 1}]
    assert "Saved after 1 of 4 turns" in console.file.getvalue()  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- broken saves
@pytest.fixture(scope="module")
def good_save(tmp_path_factory):
    """A real save after one turn, as JSON data."""
    session = GameSession(BASELINE, 1)
    session.advance({"recognition": 2})
    path = session.save(tmp_path_factory.mktemp("saves") / "good.json")
    return json.loads(path.read_text())


def write_save(tmp_path, document, file="broken.json", **changes):
    """``document`` with top-level ``changes`` (``horizon`` goes into the scenario), saved."""
    copy = json.loads(json.dumps(document))
    for key, value in changes.items():
        if key == "horizon":
            copy["scenario"]["calendar"]["horizon"] = value
        else:
            copy[key] = value
    path = tmp_path / file
    path.write_text(json.dumps(copy))
    return path


BROKEN = [
    ({"seed": 10**20}, "seed: 1" + "0" * 20 + " is not from 0 to 2^63 - 1"),
    ({"seed": 1.5}, "seed: expected a whole number, got 1.5"),
    ({"seed": True}, "seed: expected a whole number, got true"),
    ({"decisions": 5}, "decisions: expected a list, got 5"),
    ({"decisions": [1]}, "decisions.0: expected a mapping of keys, got 1"),
    ({"decisions": [[1, 2]]}, "decisions.0: expected a mapping of keys"),
    ({"horizon": 1e300}, "scenario.calendar.horizon: must be <= 36525, got 1e+300"),
]


@pytest.mark.parametrize(("changes", "reason"), BROKEN)
@pytest.mark.parametrize("command", ["replay", "play"])
def test_a_broken_save_is_refused_on_one_line_naming_the_file(
    tmp_path, good_save, changes, reason, command
):
    """``replay`` and ``play --resume`` refuse it: exit 2, the file, the key, one line."""
    path = write_save(tmp_path, good_save, **changes)
    args = [str(path), "--quarter", "0"] if command == "replay" else ["--resume", str(path)]
    result = runner.invoke(app, [command, *args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    line = " ".join(result.output.split())
    assert line.startswith(f"{path}: not a salessim game save (") and reason in line, line


def test_decisions_that_crashed_the_game_are_refused_as_a_process(tmp_path, good_save):
    """A list of numbers as decisions (once a traceback) is a clean refusal from the real CLI."""
    path = write_save(tmp_path, good_save, decisions=[1, 2])
    proc = cli("play", "--resume", str(path), stdin=subprocess.DEVNULL)
    assert_refused(proc, f"{path}: not a salessim game save (decisions.0: expected a mapping")


# ----------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("seed", ["1.5", "true", "-1", str(2**63), "1e3"])
@pytest.mark.parametrize("command", [["run"], ["play"], ["compare", "baseline"]])
def test_a_seed_on_the_command_line_must_be_a_whole_number_in_range(seed, command, tmp_path):
    """--seed 1.5, true, -1, 2^63 or 1e3 is refused by the option's name, not truncated."""
    result = runner.invoke(app, [*command, "--seed", seed, *TINY_ARGS])
    assert result.exit_code == 2, result.output
    assert "--seed" in result.output
    assert not (tmp_path / "baseline-seed1.game.json").exists()


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("true", "expected a whole number, got true"),
        ("1.5", "expected a whole number, got 1.5"),
        ("2.0", "expected a whole number, got 2.0"),
        ("'7'", "expected a whole number, got '7'"),
        (str(2**63), f"{2**63} is not from 0 to 2^63 - 1 ({2**63 - 1})"),
    ],
)
def test_an_experiment_file_seed_must_be_a_whole_number(tmp_path, written, reason):
    """``seed: true`` or ``seed: 1.5`` in an experiment file is refused at its line."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        textwrap.dedent(
            f"""
            scenario: {resolve_scenario(None)}
            seed: {written}
            arms:
              usual: {{}}
            """
        ).lstrip("\n")
    )
    with pytest.raises(ScenarioError) as error:
        load_experiment(path)
    assert str(error.value) == f"{path}:2: seed: {reason}"


def test_an_experiment_file_with_a_boolean_seed_is_refused_by_the_command(tmp_path):
    """``salessim experiment`` exits 2 with the file, the line and the key."""
    path = tmp_path / "plan.yaml"
    path.write_text(f"scenario: {resolve_scenario(None)}\nseed: true\narms:\n  usual: {{}}\n")
    result = runner.invoke(app, ["experiment", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2: seed: expected a whole number, got true" in result.output


# ----------------------------------------------------------------------------- control characters
ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m"
SHOWN = "\\x1b[2J\\x1b]0;owned\\x07\\x9b31m"


def test_names_in_a_save_are_shown_escaped(tmp_path, good_save):
    """The save's name, a segment's name and its version never reach the terminal raw."""
    document = json.loads(json.dumps(good_save))
    segments = document["scenario"]["market"]["segments"]
    segments[f"mid{ESCAPES}"] = segments.pop("mid_market")
    document = sealed(document)  # a crafted file: anyone can recompute the checksum
    path = write_save(tmp_path, document, name=f"evil{ESCAPES}")
    result = runner.invoke(app, ["play", "--resume", str(path)], input="s\n\n")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x9b" not in result.output
    assert f"Playing evil{SHOWN} (seed 1)" in result.output
    assert f"Segment (mid{SHOWN}): " in result.output

    document = json.loads(path.read_text())
    document["salessim"] = f"0.0.1{ESCAPES}"
    document["fingerprints"] = ["changed"]
    path.write_text(json.dumps(document))
    replayed = runner.invoke(app, ["replay", str(path), "--quarter", "1"])
    assert replayed.exit_code == 0
    assert "\x1b" not in replayed.stderr and f"saved by salessim 0.0.1{SHOWN}" in replayed.stderr


def test_a_refused_file_name_is_shown_escaped(tmp_path):
    """A file name with control characters is echoed written out in the refusal."""
    path = tmp_path / f"no{ESCAPES}such.json"
    result = runner.invoke(app, ["replay", str(path), "--quarter", "0"])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and f"no{SHOWN}such.json" in result.output


def test_every_text_of_the_briefing_is_shown_escaped():
    """Story lines, plan names and policy words from a scenario are escaped when rendered."""
    briefing = dataclasses.replace(
        GameSession(BASELINE, 1).briefing(),
        story=[f"plan {ESCAPES} started"],
        pay_plans={"ae": f"linear{ESCAPES}"},
        plan_choices={"ae": [f"linear{ESCAPES}", "capped"]},
        policies={"routing": f"by {ESCAPES}"},
    )
    out = io.StringIO()
    Console(file=out, width=250, color_system=None).print(briefing_view(briefing))
    shown = out.getvalue()
    assert "\x1b" not in shown and "\x9b" not in shown
    for text in (f"plan {SHOWN} started", f"linear{SHOWN}", f"by {SHOWN}"):
        assert text in shown
