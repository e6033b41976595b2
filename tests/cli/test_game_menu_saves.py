"""Saves at the command line: an edited save is refused for play, shown read-only by replay.

A save without a checksum (an older salessim's) opens with a note and stays marked
unverified in every later save.
"""

from __future__ import annotations

import json

import pytest

from salessim.game.save_file import Integrity, read_save
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.cli_process import assert_refused, cli
from tests.support import ROOT

BASELINE = load_scenario(
    ROOT / "scenarios" / "baseline.yaml", ["calendar.horizon=1y", "calendar.warmup=0"]
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A save after one turn, as JSON data."""
    session = GameSession(BASELINE, 2)
    session.advance({"recognition": 1})
    path = session.save(tmp_path_factory.mktemp("saves") / "game.json")
    return json.loads(path.read_text())


def written(tmp_path, document, name="game.json"):
    """``document`` written to a file; its path."""
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=1))
    return path


def edited(saved):
    """``saved`` with a better-looking first turn typed in by hand."""
    document = json.loads(json.dumps(saved))
    document["decisions"][0]["recognition"] = 3
    return document


def test_play_refuses_to_carry_on_an_edited_save(tmp_path, saved):
    """Play --resume of an edited save: exit 2, one line naming the file, nothing written."""
    path = written(tmp_path, edited(saved))
    before = path.read_text()
    for extra in ([], ["--save", str(tmp_path / "elsewhere.json")]):
        proc = cli("play", "--resume", str(path), *extra, input="e\nq\n")
        assert_refused(
            proc,
            f"{path}: this save was edited after salessim wrote it (its checksum does not match "
            "its scenario, scoring weights and decisions), so it cannot be played on",
        )
        assert len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""
    assert path.read_text() == before and not (tmp_path / "elsewhere.json").exists()


def test_replay_shows_an_edited_save_read_only_with_a_warning(tmp_path, saved):
    """Replay opens an edited save (exit 0) and warns on stderr; --json stays pure JSON."""
    path = written(tmp_path, edited(saved))
    proc = cli("replay", str(path), "--quarter", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["turn"] == 2
    warning = " ".join(proc.stderr.split())
    assert warning.startswith(f"Warning: {path}: this save was edited after salessim wrote it")
    assert "not necessarily the game as played" in warning

    clean = cli("replay", str(written(tmp_path, saved, "clean.json")), "--quarter", "1")
    assert clean.returncode == 0 and clean.stderr == ""


def test_an_old_save_without_a_checksum_plays_on_marked_unverified(tmp_path, saved):
    """Resumed, an unchecked save gets a note; its later saves stay marked, and say so."""
    old = {key: value for key, value in saved.items() if key != "checksum"}
    path = written(tmp_path, old)
    proc = cli("play", "--resume", str(path), input="r\n2\ne\nq\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    note = " ".join(proc.stderr.split())
    assert f"Note: {path} carries no checksum" in note and "stay marked unverified" in note
    assert "(seed 2) (unverified); the game is saved to" in " ".join(proc.stdout.split())

    later = json.loads(path.read_text())
    assert later["integrity"] == "unverified" and len(later["decisions"]) == 2
    assert read_save(path).integrity is Integrity.UNVERIFIED
    replayed = cli("replay", str(path), "--quarter", "2")
    assert replayed.returncode == 0 and "carries no checksum" in replayed.stderr
