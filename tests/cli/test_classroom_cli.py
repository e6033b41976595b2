"""``salessim classroom``: new, status, advance and export, and their refusals."""

from __future__ import annotations

import csv
import json
import re
import stat

import pytest
from typer.testing import CliRunner

from salessim.classroom.errors import RefusedError
from salessim.classroom.lock import closing
from salessim.classroom.room import Classroom
from salessim.cli import app
from salessim.cli.game import briefing_json
from tests.cli_process import assert_refused, cli

runner = CliRunner()


def invoke(*args: str):
    """Run ``salessim ARGS`` in this process."""
    return runner.invoke(app, list(args))


def make_class(tmp_path, *extra: str) -> str:
    """A class of first_team with teams Red and =Blue; its stdout."""
    names = tmp_path / "names.txt"
    names.write_text("Red\n\n=Blue\n", encoding="utf-8")
    db = str(tmp_path / "class.sqlite")
    made = invoke("classroom", "new", "first_team", "--names", str(names), "--db", db, *extra)
    assert made.exit_code == 0, made.output
    return made.output


def test_new_prints_the_links_and_writes_them_beside_the_database_privately(tmp_path):
    """The instructor's and each team's link are printed and kept in CLASS-links.csv (0600)."""
    output = make_class(tmp_path, "--base-url", "https://class.example.org/")
    instructor = re.search(r"https://class\.example\.org/instructor\?key=(\S+)", output)
    joins = dict(re.findall(r"^(\S+): https://class\.example\.org/join/(\S+)$", output, re.M))
    assert instructor is not None and set(joins) == {"Red", "=Blue"}
    links = tmp_path / "class-links.csv"
    assert stat.S_IMODE(links.stat().st_mode) == 0o600
    with links.open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["team"] for row in rows] == ["", "Red", "'=Blue"]  # no formula
    assert rows[0]["link"].endswith(instructor.group(1))
    with Classroom.open(tmp_path / "class.sqlite", workers=0) as room:
        assert room.is_instructor(instructor.group(1))
        assert room.team_by_token(joins["=Blue"]) == 2


def test_status_advance_and_export_run_a_class(tmp_path):
    """Status shows who submitted; advance closes a round and says how; export replays."""
    made = make_class(tmp_path, "--round-minutes", "30")
    assert "Round 1's clock waits for you" in made
    db = str(tmp_path / "class.sqlite")
    waiting = invoke("classroom", "status", "--db", db)
    assert "Round 1 of 4 is open but waiting for its clock to start, 30 min left" in waiting.output
    refused = pytest.raises(RefusedError, match="clock waits for the instructor")
    with Classroom.open(tmp_path / "class.sqlite", workers=0) as room, refused:
        room.submit(1, "ann", {"recognition": 2})
    started = invoke("classroom", "start", "--db", db)
    assert started.exit_code == 0 and "Round 1 of 4 is open until" in started.output
    with Classroom.open(tmp_path / "class.sqlite", workers=0) as room:
        room.submit(1, "ann", {"recognition": 2})
    shown = invoke("classroom", "status", "--db", db)
    assert shown.exit_code == 0, shown.output
    assert "Round 1 of 4 is open until" in shown.output
    assert "1 of 2 teams submitted" in shown.output
    assert re.search(r"Red\s+0 turns played\s+submitted by ann", shown.output)
    assert re.search(r"=Blue\s+0 turns played\s+nothing yet", shown.output)
    closed = invoke("classroom", "advance", "--db", db)
    assert closed.exit_code == 0, closed.output
    said = "Round 1 closed: 2 teams played (1 submitted, 0 from drafts, 1 by bots: autopilot 1)"
    assert said in closed.output
    assert "Red: submission by ann" in closed.output
    assert "Round 2 of 4 is open" in closed.output
    out = tmp_path / "export"
    exported = invoke("classroom", "export", "--db", db, "--out", str(out))
    assert exported.exit_code == 0, exported.output
    assert (out / "decisions.csv").is_file() and (out / "scores.csv").is_file()
    replayed = cli("replay", str(out / "saves" / "Red.json"), "--quarter", "1", "--json")
    assert replayed.returncode == 0, replayed.stderr
    with Classroom.open(tmp_path / "class.sqlite", workers=0) as room:
        expected = json.loads(json.dumps(briefing_json(room.briefing(1))))
    assert json.loads(replayed.stdout) == expected


def test_advance_after_the_last_round_and_during_another_close_refuses(tmp_path):
    """A finished game and a close already under way are one-line refusals, exit 2."""
    make_class(tmp_path)
    db = tmp_path / "class.sqlite"
    with closing(db):
        assert_refused(cli("classroom", "advance", "--db", str(db)), "being closed already")
    with Classroom.open(db, workers=0) as room:
        for _ in range(4):
            room.close_round()
    assert_refused(cli("classroom", "advance", "--db", str(db)), "the game is over")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--db", "{tmp}/missing.sqlite"], "--db: "),
        (["advance", "--db", "{tmp}/names.txt"], "not a class database"),
        (["serve", "--db", "{tmp}/missing.sqlite"], "no such class database"),
        (["new", "baseline", "--teams", "2", "--db", "{tmp}/c.sqlite"], "not a game scenario"),
        (["new", "first_team", "--teams", "0", "--db", "{tmp}/c.sqlite"], "--teams: "),
        (["new", "first_team", "--db", "{tmp}/c.sqlite"], "--teams: say how many"),
        (
            ["new", "first_team", "--names", "{tmp}/names.txt", "--db", "{tmp}/c.sqlite"],
            "--names: ",
        ),
        (["new", "first_team", "--names", "{tmp}/empty.txt", "--db", "{tmp}/c.sqlite"], "names 0"),
        (["new", "first_team", "--names", "/dev/zero", "--db", "{tmp}/c.sqlite"], "too big"),
        (["new", "first_team", "--names", "{tmp}", "--db", "{tmp}/c.sqlite"], "cannot read"),
        (["new", "no_such_game", "--teams", "2", "--db", "{tmp}/c.sqlite"], "no_such_game: "),
        (["new", "first_team", "--teams", "2", "--db", "{tmp}/names.txt"], "exists already"),
        (
            ["new", "first_team", "--teams", "2", "--db", "{tmp}/c.sqlite", "--base-url", "x"],
            "--base-url: ",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path, args, message):
    """Missing or wrong databases, non-games, no teams, duplicate names: exit 2, no traceback."""
    (tmp_path / "names.txt").write_text("Red\nBlue\nred\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("\n \n", encoding="utf-8")
    proc = cli("classroom", *(arg.format(tmp=tmp_path) for arg in args))
    assert_refused(proc, message)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (tmp_path / "c.sqlite").exists()
