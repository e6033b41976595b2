"""The save file read within limits (each problem named by its key) and written whole."""

from __future__ import annotations

import json

import pytest

from salessim.game.decisions import DecisionError
from salessim.game.save_file import read_save, write_whole
from salessim.game.session import GameSession, replay
from salessim.scenario.load import load_scenario
from tests.support import ROOT

BASELINE = load_scenario(
    ROOT / "scenarios" / "baseline.yaml", ["calendar.horizon=1y", "calendar.warmup=0"]
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A save after one turn, as JSON data, and the path it came from."""
    session = GameSession(BASELINE, 4)
    session.advance({"recognition": 2})
    path = session.save(tmp_path_factory.mktemp("saves") / "game.json")
    return json.loads(path.read_text())


def edited(tmp_path, document, **changes):
    """``document`` with top-level ``changes`` (``horizon`` goes into the scenario), saved."""
    copy = json.loads(json.dumps(document))
    for key, value in changes.items():
        if key == "horizon":
            copy["scenario"]["calendar"]["horizon"] = value
        else:
            copy[key] = value
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(copy))
    return path


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"seed": True}, "seed: expected a whole number, got true"),
        ({"seed": 1.5}, "seed: expected a whole number, got 1.5"),
        ({"seed": "7"}, "seed: expected a whole number, got '7'"),
        ({"seed": -1}, "seed: -1 is not from 0 to 2^63 - 1 (9223372036854775807)"),
        ({"seed": 10**31}, "seed: a 32-digit number is not from 0 to 2^63 - 1"),
        ({"decisions": 5}, "decisions: expected a list, got 5"),
        ({"decisions": {"hire": []}}, "decisions: expected a list"),
        ({"decisions": [1]}, "decisions.0: expected a mapping of keys, got 1"),
        ({"decisions": [[1, 2]]}, "decisions.0: expected a mapping of keys, got [1, 2]"),
        ({"decisions": [{"recognition": [1]}]}, "decisions.0.recognition: expected a whole"),
        ({"decisions": [{"bogus": 1}]}, "decisions.0.bogus: unknown key 'bogus'"),
        ({"horizon": 1e300}, "scenario.calendar.horizon: must be <= 36525, got 1e+300"),
        ({"name": [1]}, "name: expected text, got [1]"),
        ({"fingerprints": 5}, "fingerprints: expected a list, got 5"),
        ({"salessim": {}}, "salessim: expected text"),
    ],
)
def test_a_broken_save_is_refused_naming_the_file_and_the_key(tmp_path, saved, changes, reason):
    """Each broken value is refused with the file, 'not a salessim game save' and its key."""
    path = edited(tmp_path, saved, **changes)
    with pytest.raises(ValueError, match="not a salessim game save") as error:
        read_save(path)
    text = str(error.value)
    assert text.startswith(f"{path}: not a salessim game save (") and reason in text, text


def test_a_save_that_is_not_a_mapping_is_refused(tmp_path):
    """A JSON list or a single value is not a save."""
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match=r"it holds a list, not a mapping of keys"):
        read_save(path)
    path.write_text("7")
    with pytest.raises(ValueError, match=r"it holds a single value"):
        read_save(path)


def test_a_saved_turn_that_no_longer_applies_names_the_file_and_the_turn(tmp_path, saved):
    """Decisions of the right shape that cannot apply are refused with their turn's number."""
    path = edited(tmp_path, saved, decisions=[{}, {"fire": [999]}])
    with pytest.raises(ValueError) as error:
        GameSession.load(path)
    assert str(error.value) == (
        f"{path}: the saved decisions cannot be replayed (turn 2: fire: no rep 999 on the team)"
    )


def test_decisions_that_are_not_a_mapping_are_problems_not_crashes():
    """A bot's answer of 5 or [1] is a listed problem for check, a DecisionError for advance."""
    session = GameSession(BASELINE, 1)
    assert session.check(5) == ["decisions: expected a mapping of keys, got int"]
    with pytest.raises(DecisionError, match="expected a mapping of keys, got a list"):
        session.advance([1])
    with pytest.raises(DecisionError, match=r"^turn 1: decisions: expected a mapping"):
        replay(BASELINE, 1, [[1]])
    assert session.turn == 0


def test_a_save_round_trips_through_its_checks(tmp_path, saved):
    """A save as written reads back with its seed, name, decisions and fingerprints."""
    path = edited(tmp_path, saved)
    save = read_save(path)
    assert save.seed == 4 and save.name == saved["name"]
    assert [d.model_dump(exclude_defaults=True) for d in save.decisions] == [{"recognition": 2}]
    assert save.fingerprints == saved["fingerprints"]


def test_a_write_that_fails_midway_leaves_the_last_save_whole(tmp_path):
    """A write that fails (text that cannot be encoded) keeps the last save; no spare is left."""
    path = tmp_path / "game.json"
    write_whole(path, "first\n")
    with pytest.raises(UnicodeEncodeError):
        write_whole(path, "second " + "\ud800")
    assert path.read_text() == "first\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]
    write_whole(path, "second\n")
    assert path.read_text() == "second\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]
