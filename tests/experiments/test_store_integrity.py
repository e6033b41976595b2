"""The results store trusts nothing it reads, and one command at a time writes a directory.

Rows are written here by hand, the way a crash, a full disk, an older salessim or a
hostile file would leave them; each test says which rows count, which are torn, and
which replications must run again.
"""

from __future__ import annotations

import errno
import fcntl
import json
import subprocess
import sys

import pytest

from salessim.experiments.lock import LOCK_FILE, DirectoryLock, LockHeldError, is_held
from salessim.experiments.manifest import read_manifest
from salessim.experiments.naming import file_arm_names, shortest_tails
from salessim.experiments.result_files import MAX_ROW_BYTES
from salessim.experiments.runner import Arm, Design, UnknownMetricError
from salessim.experiments.seeds import replication_seed
from salessim.experiments.store import Store
from salessim.scenario.errors import ScenarioError

MANIFEST = {
    "design": {"arms": [{"name": "a", "scenario": "0" * 16}, {"name": "b", "scenario": "1" * 16}],
               "seed": 7, "years": None, "metrics": None, "kind": "compare", "parameters": []},
    "replications": 3,
}  # fmt: skip


def seed(r: int) -> int:
    """The seed replication ``r`` runs on under the manifest's root seed."""
    return replication_seed(7, r)


@pytest.fixture
def store(tmp_path) -> Store:
    """A store with replications 0 and 1 of arms a and b finished, two metrics each."""
    found = Store(tmp_path, MANIFEST)
    for r in (0, 1):
        for arm in ("a", "b"):
            found.add(arm, r, seed(r), {"m": float(r), "n": 2.0}, {"weekly": [1.0, float(r)]})
    return found


def append(store: Store, text: str) -> None:
    """Append raw text to ``results.csv``, as a crash or an older salessim left it."""
    with store.results.open("a", newline="") as handle:
        handle.write(text)


# ---------------------------------------------------------------------- torn rows
def test_a_row_cut_short_is_torn_and_its_replication_lost(store):
    """A last row without its line break does not count; its replication is named lost."""
    append(store, f"a,2,{seed(2)},m,2.0\r\na,2,{seed(2)},n,2")
    damage = store.check()
    assert damage.torn == {"results.csv": 1}
    assert damage.lost == {("a", 2)}
    assert store.completed() == {("a", 0), ("b", 0), ("a", 1), ("b", 1)}


def test_repair_cuts_the_torn_tail_so_the_next_row_starts_a_line(store):
    """After ``repair`` the file ends with a line break; a replication added then counts."""
    before = store.results.read_bytes()
    append(store, f"a,2,{seed(2)},m,2.")
    damage = store.repair()
    assert damage.torn == {"results.csv": 1}
    assert store.results.read_bytes() == before
    store.add("a", 2, seed(2), {"m": 2.0, "n": 2.0})
    assert ("a", 2) in store.completed()
    assert store.check().torn == {}


def test_after_repair_a_replication_written_next_counts(store):
    """After repair, the next replication written counts at once.

    A whole torn line last in the file would spoil it; repair rewrites the file with its
    sound replications only.
    """
    append(store, f"a,2,{seed(2)},m,2.0\r\na,2,oops\r\n")
    damage = store.repair()
    assert damage.torn == {"results.csv": 1} and damage.lost == {("a", 2)}
    assert store.check() == type(damage)()
    store.add("a", 2, seed(2), {"m": 2.0, "n": 2.0})
    assert ("a", 2) in store.completed()


def test_an_arm_named_with_commas_and_quotes_reads_back(tmp_path):
    """A sweep's arm ``ae=18, sdr="6"`` is quoted in the file and read back as it was."""
    name = 'ae=18, sdr="6"'
    manifest = {"design": {"arms": [{"name": name, "scenario": "0" * 16}], "seed": 7},
                "replications": 1}  # fmt: skip
    store = Store(tmp_path, manifest)
    store.add(name, 0, seed(0), {"m": 0.1})
    assert list(store.replications()) == [(name, 0, seed(0), {"m": 0.1})]
    assert store.check().torn == {}


def test_a_spoiled_row_drops_its_whole_replication(store):
    """One row that does not parse spoils its replication, even when the rest is sound."""
    append(store, f"a,2,{seed(2)},m,2.0\r\na,2,{seed(2)},n,two\r\na,2,{seed(2)},_complete,1\r\n")
    assert ("a", 2) not in store.completed()
    assert store.check().lost == {("a", 2)}


def test_rows_glued_onto_a_torn_row_spoil_the_next_replication(store):
    """Rows an older resume glued onto a torn row do not count, though they look sound.

    The torn row swallowed the next replication's first row.
    """
    append(store, f"a,2,{seed(2)},m,2.0\r\na,2,{str(seed(2))[:3]}")  # torn while writing n
    append(store, f"b,2,{seed(2)},m,2.0\r\nb,2,{seed(2)},n,2.0\r\nb,2,{seed(2)},_complete,1\r\n")
    assert store.completed() == {("a", 0), ("b", 0), ("a", 1), ("b", 1)}
    damage = store.check()
    assert damage.torn == {"results.csv": 1}
    assert damage.lost == {("a", 2), ("b", 2)}


def test_rows_that_disagree_with_the_design_are_torn(store):
    """Rows that disagree with the design are torn; the finished replications still count.

    An unknown arm, a seed other than its replication's, a replication out of range, a
    completion mark other than 1.
    """
    append(store, f"c,0,{seed(0)},m,1.0\r\n")
    append(store, f"a,2,{seed(3)},m,1.0\r\n")
    append(store, "a,99999999,1,m,1.0\r\n")
    append(store, f"b,2,{seed(2)},_complete,yes\r\n")
    assert store.check().torn == {"results.csv": 4}
    assert len(store.completed()) == 4


def test_a_line_longer_than_any_row_is_torn_without_being_held(store):
    """A line past ``MAX_ROW_BYTES`` is one torn row, read a piece at a time.

    Like any torn row it spoils the replication after it (rows may have been glued on);
    the replications after that count.
    """
    append(store, "x" * (3 * MAX_ROW_BYTES) + "\r\n")
    store.add("a", 2, seed(2), {"m": 2.0})
    store.add("b", 2, seed(2), {"m": 2.0})
    assert store.check().torn == {"results.csv": 1}
    assert ("a", 2) not in store.completed()
    assert ("b", 2) in store.completed()


def test_a_torn_header_is_written_again(tmp_path):
    """A header cut short is written again, so the file reads.

    The first write was cut inside the header: repair leaves an empty file, and the next
    append starts with the header.
    """
    store = Store(tmp_path, MANIFEST)
    store.results.write_text("arm,repl")
    store.repair()
    store.add("a", 0, seed(0), {"m": 1.0})
    assert store.results.read_text().startswith("arm,replication,seed,metric,value")
    assert store.completed() == {("a", 0)}


def test_a_failure_is_kept_on_one_line_and_read_back(store):
    """An error spanning lines is kept on one (so every row is a line) and read back whole."""
    store.add_failure("b", 2, seed(2), "Traceback:\n  boom\nValueError: bad")
    assert list(store.failed()) == [
        {
            "arm": "b",
            "replication": "2",
            "seed": str(seed(2)),
            "error": "Traceback: boom ValueError: bad",
        }
    ]
    assert ("b", 2) in store.done()


def test_series_lines_that_are_not_lists_of_numbers_are_torn(store):
    """A series line of another shape, or with text for numbers, is torn and skipped."""
    with store.series_path.open("a") as handle:
        handle.write(json.dumps({"arm": "a", "replication": 2, "series": {"w": ["x"]}}) + "\n")
        handle.write(json.dumps({"arm": "a", "replication": 2, "series": [1]}) + "\n")
        handle.write(json.dumps(["a", 2]) + "\n")
    assert store.check().torn == {"series.jsonl": 3}
    assert [(arm, r) for arm, r, _ in store.series()] == [("a", 0), ("b", 0), ("a", 1), ("b", 1)]


def test_notes_name_what_is_recomputed_and_count_the_rest(tmp_path, store):
    """The note names up to five lost replications with their seeds, then counts the rest."""
    for r in range(2, 9):
        append(store, f"a,{r},{seed(r)},m,1.0\r\n")
    notes = store.check().notes(tmp_path, store.seed_of, resuming=True)
    assert notes == [
        f"{tmp_path}: recomputing replications "
        + ", ".join(f"{r} of a (seed {seed(r)})" for r in range(2, 7))
        + " and 2 more"
    ]


# ---------------------------------------------------------------------- the manifest
def test_a_manifest_reads_back_as_written(store):
    """The manifest a store writes reads back equal, with the command list defaulted."""
    assert read_manifest(store.path) == store.manifest | {"commands": [], "precision": None}


def test_a_scenario_hash_that_is_a_path_is_refused(tmp_path):
    """A scenario hash names a file, so anything but 16 hex digits is refused by key."""
    spoiled = json.loads(json.dumps(MANIFEST))
    spoiled["design"]["arms"][0]["scenario"] = "../../../etc/passwd"
    (tmp_path / "experiment.json").write_text(json.dumps(spoiled))
    with pytest.raises(ScenarioError, match=r"design\.arms\.0\.scenario"):
        Store.open(tmp_path)


def test_opening_to_read_writes_nothing(store):
    """``Store.open`` reads: the manifest on disk is left byte for byte as it was."""
    store.path.write_text(store.path.read_text() + "\n\n")
    before = store.path.read_bytes()
    Store.open(store.directory)
    assert store.path.read_bytes() == before


# ---------------------------------------------------------------------- the design
def test_a_metric_no_arm_reports_is_refused(small_org):
    """A design asking for a KPI that does not exist is refused before anything runs."""
    with pytest.raises(UnknownMetricError, match="unknown metric"):
        Design([Arm("a", small_org)], 2, metrics=["no_such_kpi"])


def test_a_stage_an_arm_lacks_is_refused_naming_its_stages(small_org):
    """A stage's conversion for a stage the arm's funnel lacks names the stages it has."""
    stages = [stage.name for stage in small_org.funnel.stages]
    with pytest.raises(UnknownMetricError, match=f"its stages: {', '.join(stages)}"):
        Design([Arm("a", small_org)], 2, metrics=["stage_conversion_nowhere"])
    Design([Arm("a", small_org)], 2, metrics=[f"stage_conversion_{stages[0]}"])


def test_an_arm_name_on_two_lines_is_refused(small_org):
    """An arm's name is one field of every row: a line break in it is refused."""
    with pytest.raises(ValueError, match="control character"):
        Design([Arm("a\nb", small_org)], 2)


# ---------------------------------------------------------------------- arm names
def test_the_shortest_tail_tells_keys_apart():
    """Each key gets the fewest last parts no other key ends with; a reserved tail grows."""
    keys = [["plans", "v1", "ae"], ["plans", "v2", "ae"], ["x", "capped"]]
    assert shortest_tails(keys, "/") == ["v1/ae", "v2/ae", "capped"]
    assert shortest_tails([["churn", "base"]], ".", reserved={"base"}) == ["churn.base"]


def test_files_of_one_name_and_folder_are_told_apart_by_their_suffix(tmp_path):
    """``ae.yaml`` and ``ae.yml`` side by side keep their suffixes; another file does not."""
    paths = [tmp_path / "ae.yaml", tmp_path / "ae.yml", tmp_path / "other" / "cap.yaml"]
    assert file_arm_names(paths) == ["ae.yaml", "ae.yml", "cap"]


def test_one_file_twice_has_no_name(tmp_path):
    """The same file by two spellings cannot be two arms."""
    with pytest.raises(ValueError, match="given twice"):
        file_arm_names([tmp_path / "a.yaml", tmp_path / "x" / ".." / "a.yaml"])


# ---------------------------------------------------------------------- the lock
def dead_pid() -> int:
    """The pid of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def test_a_held_lock_refuses_a_second_holder_until_released(tmp_path):
    """While held, the lock refuses another taker, naming the holder.

    Released, it is free again and its file is gone.
    """
    with DirectoryLock(tmp_path, "salessim compare first"):
        assert is_held(tmp_path) is not None
        with pytest.raises(LockHeldError, match="salessim compare first"):
            DirectoryLock(tmp_path, "second").acquire()
    assert not (tmp_path / LOCK_FILE).exists()
    assert is_held(tmp_path) is None
    with DirectoryLock(tmp_path, "second") as lock:
        assert lock.stale is None


def test_a_lock_file_of_a_dead_process_is_taken_over(tmp_path):
    """A lock file left by a process that has ended is stale: taken over, and its holder named."""
    pid = dead_pid()
    (tmp_path / LOCK_FILE).write_text(json.dumps({"pid": pid, "command": "salessim sweep"}))
    with DirectoryLock(tmp_path, "next") as lock:
        assert lock.stale is not None and lock.stale.pid == pid
        assert "is no longer running" in lock.stale.stale_note()


def test_a_lock_file_of_garbage_is_taken_over_quietly(tmp_path):
    """A lock file that names nobody (bytes that are no record) is no holder to report."""
    (tmp_path / LOCK_FILE).write_bytes(b"\x00\xff" * 100_000)
    with DirectoryLock(tmp_path, "next") as lock:
        assert lock.stale is None


def test_without_flock_the_pid_decides(tmp_path, monkeypatch):
    """On a file system without flock, the lock file's pid decides.

    A live pid holds the lock; once that process has ended, the lock is taken over.
    """

    def no_flock(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / LOCK_FILE).write_text(json.dumps({"pid": sleeper.pid}))
        with pytest.raises(LockHeldError, match=f"pid {sleeper.pid}"):
            DirectoryLock(tmp_path, "second").acquire()
    finally:
        sleeper.kill()
        sleeper.wait()
    with DirectoryLock(tmp_path, "second") as lock:
        assert lock.stale is not None and lock.stale.pid == sleeper.pid
