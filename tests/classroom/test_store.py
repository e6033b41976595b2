import sqlite3

import pytest

from salessim.classroom.errors import RefusedError
from salessim.classroom.rows import SCHEMA_VERSION, Kind, Source, TurnRow
from salessim.classroom.store import Store
from salessim.classroom.tokens import hashed
from tests.classroom.stores import small_store


def played(team: int, turn: int, decisions: dict | None = None) -> TurnRow:
    """A played turn of ``team``."""
    return TurnRow(team, turn, decisions or {}, Source.BOT, "autopilot", None, "f", {"x": 1.0}, 0.0)


def test_a_new_store_is_in_wal_mode_with_foreign_keys_and_its_schema_version(tmp_path):
    """The file is SQLite in WAL mode, foreign keys are enforced, and it says its schema version."""
    store = small_store(tmp_path / "c.sqlite")
    with store.reading() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    store.close()
    raw = sqlite3.connect(tmp_path / "c.sqlite")
    version = raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == (str(SCHEMA_VERSION),)
    raw.close()


def test_create_refuses_an_existing_file_and_leaves_it_alone(tmp_path):
    """Creating over an existing file fails and the file keeps its bytes."""
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        small_store(path)
    assert path.read_bytes() == b"precious"


def test_open_refuses_a_missing_file_a_non_database_and_another_schema(tmp_path):
    """Opening says which of the three is wrong, as a ValueError naming the file."""
    with pytest.raises(ValueError, match="no such class database"):
        Store.open(tmp_path / "missing.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all, not even close" * 10)
    with pytest.raises(ValueError, match="not a class database"):
        Store.open(junk)
    other = tmp_path / "other.sqlite"
    small_store(other).close()
    raw = sqlite3.connect(other)
    raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()
    with pytest.raises(ValueError, match="schema version 99"):
        Store.open(other)


def test_tokens_are_found_by_their_hash_only(tmp_path):
    """A team is found by its token's hash; the plain token is stored nowhere."""
    path = tmp_path / "c.sqlite"
    store = small_store(path)
    assert store.team_by_hash(hashed("B")) == 2
    assert store.team_by_hash("B") is None
    store.close()
    raw = sqlite3.connect(path)
    stored = [row[0] for row in raw.execute("SELECT token_hash FROM teams ORDER BY id")]
    raw.close()
    assert stored == [hashed(name) for name in "ABC"]


def test_a_turn_is_recorded_once_the_second_time_changes_nothing(tmp_path):
    """Recording a team's turn again is ignored: the first decisions stay."""
    store = small_store(tmp_path / "c.sqlite")
    assert store.record_turn(played(1, 1, {"recognition": 10}))
    assert not store.record_turn(played(1, 1, {"recognition": 99}))
    assert store.log(1) == [{"recognition": 10}]
    assert store.turns_played() == {1: 1, 2: 0, 3: 0}


def test_a_turn_of_an_unknown_team_is_refused_by_the_foreign_key(tmp_path):
    """No turn can be recorded for a team that does not exist."""
    store = small_store(tmp_path / "c.sqlite")
    with pytest.raises(sqlite3.IntegrityError):
        store.record_turn(played(9, 1))
    assert store.turns() == []


def test_every_write_moves_the_version_on_and_a_refused_one_does_not(tmp_path):
    """Writes bump the version once; a refused write rolls back, version included."""
    store = small_store(tmp_path / "c.sqlite")
    first = store.version()
    store.add_entry(1, 1, "ann", {}, Kind.DRAFT, True, 0.0)
    assert store.version() == first + 1
    store.update_class(paused=1)
    assert store.version() == first + 2
    with pytest.raises(RefusedError, match="paused"):
        store.add_entry(1, 1, "ann", {}, Kind.DRAFT, True, 0.0)
    assert store.version() == first + 2


@pytest.mark.parametrize(
    ("changes", "turn", "at", "reason"),
    [
        ({}, 2, 0.0, "round 2 is closed"),
        ({"closing": 1}, 1, 0.0, "round 1 is closed"),
        ({"paused": 1}, 1, 0.0, "paused"),
        ({"deadline": 100.0}, 1, 100.0, "deadline has passed"),
        ({"round": 5}, 5, 0.0, "game is over"),
    ],
)
def test_a_team_can_act_only_in_the_open_round_before_its_deadline(
    tmp_path, changes, turn, at, reason
):
    """Entries for another round, a closing or paused round, or after the deadline are refused."""
    store = small_store(tmp_path / "c.sqlite", **changes)
    with pytest.raises(RefusedError, match=reason):
        store.add_entry(1, turn, "ann", {}, Kind.DRAFT, True, at)
    assert store.entries(1, turn) == []


def test_a_submission_stands_until_withdrawn_and_withdrawing_leaves_it_as_a_draft(tmp_path):
    """After a submission no draft or second submission is taken; withdrawing reopens the form."""
    store = small_store(tmp_path / "c.sqlite")
    store.add_entry(1, 1, "ann", {"recognition": 5}, Kind.SUBMISSION, True, 1.0)
    for kind in (Kind.DRAFT, Kind.SUBMISSION):
        with pytest.raises(RefusedError, match="ann has submitted"):
            store.add_entry(1, 1, "bob", {}, kind, True, 2.0)
    store.add_entry(
        1, 1, "bob", {"recognition": 7}, Kind.PROPOSAL, False, 2.0
    )  # ideas still welcome
    store.withdraw(1, 1, "bob", 3.0)
    standing = store.standing(1, 1)
    assert standing is not None
    assert (standing.kind, standing.member, standing.decisions) == (
        Kind.DRAFT,
        "bob",
        {"recognition": 5},
    )
    with pytest.raises(RefusedError, match="nothing to withdraw"):
        store.withdraw(1, 1, "bob", 4.0)


def test_a_members_successive_drafts_keep_one_row_but_others_in_between_stay(tmp_path):
    """A form saved as it is edited keeps one row a member; another's entry breaks the run."""
    store = small_store(tmp_path / "c.sqlite")
    for value in range(5):
        store.add_entry(1, 1, "ann", {"recognition": value}, Kind.DRAFT, True, float(value))
    assert [e.decisions for e in store.entries(1, 1)] == [{"recognition": 4}]
    store.add_entry(1, 1, "bob", {"recognition": 9}, Kind.DRAFT, True, 6.0)
    store.add_entry(1, 1, "ann", {"recognition": 1}, Kind.DRAFT, True, 7.0)
    assert [(e.member, e.decisions) for e in store.entries(1, 1)] == [
        ("ann", {"recognition": 1}),
        ("bob", {"recognition": 9}),
        ("ann", {"recognition": 4}),
    ]
    assert store.entries(2, 1) == []  # another team's entries are its own


def test_a_draft_that_does_not_apply_never_replaces_the_last_one_that_does(tmp_path):
    """An edit that breaks the form is kept beside the member's last clean draft, not over it."""
    store = small_store(tmp_path / "c.sqlite")
    store.add_entry(1, 1, "ann", {"recognition": 1}, Kind.DRAFT, True, 1.0)
    store.add_entry(1, 1, "ann", {"fire": [999]}, Kind.DRAFT, False, 2.0)
    store.add_entry(1, 1, "ann", {"fire": [998]}, Kind.DRAFT, False, 3.0)
    assert [e.decisions for e in store.clean_drafts(1, 1)] == [{"recognition": 1}]
    assert [e.decisions for e in store.entries(1, 1)] == [{"fire": [998]}, {"recognition": 1}]
    store.add_entry(1, 1, "ann", {"recognition": 3}, Kind.DRAFT, True, 4.0)
    assert store.clean_drafts(1, 1)[0].decisions == {"recognition": 3}


def test_entries_must_be_plain_json(tmp_path):
    """Decisions that JSON cannot hold (NaN, objects) are refused, nothing written."""
    store = small_store(tmp_path / "c.sqlite")
    for bad in ({"x": float("nan")}, {"x": object()}):
        with pytest.raises(RefusedError, match="not plain data"):
            store.add_entry(1, 1, "ann", bad, Kind.DRAFT, False, 0.0)
    assert store.entries(1, 1) == []


def test_a_round_closes_once(tmp_path):
    """begin_close and finish_close move one round on once; repeating them does nothing."""
    store = small_store(tmp_path / "c.sqlite")
    assert store.begin_close(1)
    assert not store.begin_close(2)
    assert store.finish_close(1, 50.0, None)
    assert not store.finish_close(1, 60.0, None)
    klass = store.klass()
    assert (klass.round, klass.closing, klass.deadline) == (2, None, 50.0)


def test_two_connections_see_each_others_writes(tmp_path):
    """A second process's connection (another Store) reads what the first wrote."""
    path = tmp_path / "c.sqlite"
    first = small_store(path)
    second = Store.open(path)
    first.record_turn(played(2, 1, {"recognition": 3}))
    assert second.log(2) == [{"recognition": 3}]
    first.close()
    second.close()
