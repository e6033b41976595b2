"""``salessim classroom debrief``: the class debrief from the class's database, and its refusals."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from salessim.classroom.room import Classroom
from salessim.cli import app

runner = CliRunner()


def invoke(*args: str):
    """Run ``salessim ARGS`` in this process."""
    return runner.invoke(app, list(args))


def test_the_debrief_of_a_class_is_printed_and_written(tmp_path):
    """Two rounds played: every team is debriefed, the files are written, a bot scores par."""
    db = tmp_path / "class.sqlite"
    room, _ = Classroom.create(db, "first_team", teams=["Red", "Blue"], workers=0)
    with room:
        room.submit(1, "ann", {"coaching": {"hours_per_rep_per_month": 4}})
        room.close_round()
        room.close_round()
    said = invoke("classroom", "debrief", "--db", str(db), "--seeds", "1")
    assert said.exit_code == 0, said.output
    assert "Questions for discussion" in said.output
    folder = tmp_path / "class-debrief"
    assert {path.name for path in folder.iterdir()} == {
        "debrief.html",
        "debrief.json",
        "debrief.md",
    }
    found = json.loads((folder / "debrief.json").read_text())
    scores = {team["name"]: team for team in found["teams"]}
    assert set(scores) == {"Red", "Blue"}
    assert found["turns"] == 4
    assert abs(scores["Blue"]["score"] - 100) < 1e-9  # the autopilot bot played both turns


def test_a_class_with_no_turn_played_is_refused_in_one_line(tmp_path):
    """Before the first close there is nothing to debrief: exit 2 and why."""
    db = tmp_path / "class.sqlite"
    room, _ = Classroom.create(db, "first_team", teams=2, workers=0)
    room.close()
    said = invoke("classroom", "debrief", "--db", str(db))
    assert said.exit_code == 2
    assert "no team has played a turn yet" in said.output


def test_a_missing_database_is_refused(tmp_path):
    """A database that is not there is named, with no traceback."""
    said = invoke("classroom", "debrief", "--db", str(tmp_path / "nope.sqlite"))
    assert said.exit_code == 2
    assert "no such class database" in said.output
