"""Checksummed saves: an edited scenario, weight, seed or decision is found, and stays marked."""

from __future__ import annotations

import hashlib
import json

import pytest

from salessim.game.save_file import Integrity, checksum, read_save, sealed
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT

BASELINE = load_scenario(
    ROOT / "scenarios" / "baseline.yaml", ["calendar.horizon=1y", "calendar.warmup=0"]
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A save after two turns, as JSON data."""
    session = GameSession(BASELINE, 4)
    session.advance({"recognition": 2, "training_every_months": 3})
    session.advance({"hire": [{"role": "ae", "count": 1, "offer": 1.1}]})
    path = session.save(tmp_path_factory.mktemp("saves") / "game.json")
    return json.loads(path.read_text())


def written(tmp_path, document, name="game.json", **dump):
    """``document`` written to a file (``dump``: json.dumps options); its path."""
    path = tmp_path / name
    path.write_text(json.dumps(document, **dump))
    return path


def test_a_save_carries_the_sha256_of_its_seed_scenario_and_decisions(saved):
    """The checksum is sha256 of seed, scenario, decisions and mark, keys sorted, no spaces."""
    canonical = json.dumps(
        {key: saved.get(key) for key in ("seed", "scenario", "decisions", "integrity")},
        sort_keys=True,
        separators=(",", ":"),
    )
    assert saved["checksum"] == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    assert "integrity" not in saved  # a game started fresh carries no mark


def test_a_save_as_written_or_laid_out_anew_is_verified(tmp_path, saved):
    """Indentation and key order do not matter; the save loads as verified."""
    assert read_save(written(tmp_path, saved)).integrity is Integrity.VERIFIED
    shuffled = dict(reversed(list(saved.items())))
    assert read_save(written(tmp_path, shuffled, indent=8)).integrity is Integrity.VERIFIED
    assert GameSession.load(written(tmp_path, saved)).integrity is Integrity.VERIFIED


def _edit_decision(document):
    document["decisions"][0]["recognition"] = 9


def _edit_weight(document):
    scoring = document["scenario"]["game"]["scoring"]
    name = next(iter(scoring))
    scoring[name] = scoring[name] + 0.5


def _edit_scenario(document):
    document["scenario"]["game"]["budget"] = 99_000_000


def _edit_seed(document):
    document["seed"] = 5


def _add_a_turn(document):
    document["decisions"].append({})


@pytest.mark.parametrize(
    "edit", [_edit_decision, _edit_weight, _edit_scenario, _edit_seed, _add_a_turn]
)
def test_an_edited_decision_weight_scenario_value_or_seed_is_found(tmp_path, saved, edit):
    """Any edit to what decides the score makes the save tampered; the game still replays."""
    document = json.loads(json.dumps(saved))
    edit(document)
    path = written(tmp_path, document)
    assert read_save(path).integrity is Integrity.TAMPERED
    assert GameSession.load(path).integrity is Integrity.TAMPERED


def test_a_tampered_save_stays_marked_in_every_later_save(tmp_path, saved):
    """Loading an edited save and saving it, a turn later or two, never clears the mark."""
    document = json.loads(json.dumps(saved))
    _edit_weight(document)
    session = GameSession.load(written(tmp_path, document))
    session.advance({})
    later = json.loads(session.save(tmp_path / "later.json").read_text())
    assert later["integrity"] == "tampered" and later["checksum"] == checksum(later)
    again = GameSession.load(tmp_path / "later.json")
    assert again.integrity is Integrity.TAMPERED
    again.advance({})
    assert json.loads(again.save(tmp_path / "last.json").read_text())["integrity"] == "tampered"

    del later["integrity"]  # wiping the mark is itself an edit the checksum catches
    assert read_save(written(tmp_path, later, "wiped.json")).integrity is Integrity.TAMPERED


def test_a_save_without_a_checksum_is_unverified_and_stays_so(tmp_path, saved):
    """An older save (no checksum) opens as unverified; carried on, its saves stay marked."""
    old = {key: value for key, value in saved.items() if key != "checksum"}
    session = GameSession.load(written(tmp_path, old, "old.json"))
    assert session.integrity is Integrity.UNVERIFIED and session.turn == 2
    session.advance({})
    later = json.loads(session.save(tmp_path / "later.json").read_text())
    assert later["integrity"] == "unverified" and later["checksum"] == checksum(later)
    assert GameSession.load(tmp_path / "later.json").integrity is Integrity.UNVERIFIED
    later["integrity"] = None  # claiming to be clean: the checksum no longer matches
    assert read_save(written(tmp_path, later, "claimed.json")).integrity is Integrity.TAMPERED


def test_the_checksum_is_no_signature(tmp_path, saved):
    """Anyone can recompute it: an edited save re-sealed reads as verified (documented)."""
    document = json.loads(json.dumps(saved))
    _edit_decision(document)
    assert read_save(written(tmp_path, sealed(document))).integrity is Integrity.VERIFIED
