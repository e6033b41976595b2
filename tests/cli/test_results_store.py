"""A results directory cannot be corrupted: torn rows are recomputed, one writer at a time.

Each test runs the command line as a user would, on a tiny comparison (the M/M/10 queue,
three replications of a few weeks), damages the directory as a crash or a second command
would, and checks that the command says what it found and that the final results equal
a clean run's exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from salessim.experiments.lock import LOCK_FILE
from salessim.experiments.runner import open_results, replication_seed
from salessim.experiments.store import Store
from salessim.scenario.limits import MAX_DEPTH, MAX_SAVE_BYTES
from tests.cli_process import TIMEOUT, assert_refused, cli
from tests.support import ROOT, same

QUEUE = str(ROOT / "scenarios" / "queue" / "mmc_l5_m1_c10.yaml")
SMALL = ["-n", "3", "--years", "0.05", "--workers", "1", "-m", "utilisation_sdr"]
COMPARE = ["compare", QUEUE, "--arm", "more:roles.sdr.headcount=11", *SMALL]
LAST_SEED = replication_seed(0, 2)  # the last replication written: 2 of "more"


def compare(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The small comparison, keeping its results in ``out``."""
    return cli(*COMPARE, "--out", str(out), *extra)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """The small comparison's results, run once without interruption."""
    out = tmp_path_factory.mktemp("clean") / "results"
    proc = compare(out)
    assert proc.returncode == 0, proc.stderr
    return out


def copy_of(clean: Path, tmp_path: Path) -> Path:
    """A copy of the clean results to damage."""
    return Path(shutil.copytree(clean, tmp_path / "results"))


def assert_same_results(found: Path, clean: Path) -> None:
    """Every value of every arm equal to the clean run's, each replication finished once."""
    assert same(open_results(found).values, open_results(clean).values)
    assert Store.open(found).completed() == Store.open(clean).completed()
    series = [(arm, r, s) for arm, r, s in Store.open(found).series()]
    assert sorted(series, key=repr) == sorted(Store.open(clean).series(), key=repr)


# ---------------------------------------------------------------------- torn rows
def test_a_torn_last_row_is_dropped_and_its_replication_recomputed(clean, tmp_path):
    """A results.csv cut mid-row: the resume says so and recomputes that replication.

    The results then equal the clean run's exactly, with no row glued onto the torn one.
    """
    out = copy_of(clean, tmp_path)
    results = out / "results.csv"
    results.write_bytes(results.read_bytes()[:-20])
    proc = compare(out)
    assert proc.returncode == 0, proc.stderr
    assert "dropped 1 torn row of results.csv" in proc.stderr
    assert f"recomputing replication 2 of more (seed {LAST_SEED})" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert_same_results(out, clean)
    text = results.read_text()
    assert all(len(line.split(",")) == 5 for line in text.splitlines())
    assert text.count("_complete") == 6


def test_report_skips_a_torn_row_and_says_so(clean, tmp_path):
    """``report`` on a torn row reports from the sound rows and names what it left out.

    It changes nothing on disk: a command may still be writing the directory.
    """
    out = copy_of(clean, tmp_path)
    results = out / "results.csv"
    results.write_bytes(results.read_bytes()[:-20])
    proc = cli("report", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "skipped 1 torn row of results.csv" in proc.stderr
    assert f"replication 2 of more (seed {LAST_SEED}) not counted" in proc.stderr
    assert (out / "report.html").exists()
    assert results.read_bytes() == (clean / "results.csv").read_bytes()[:-20]  # left as found


def test_rows_glued_onto_a_torn_row_by_an_old_resume_are_recomputed(clean, tmp_path):
    """Rows an older salessim glued onto a torn row are spoiled, dropped and recomputed.

    The glued row read ``seed='342more'``; ``report`` leaves the replication out and the
    resume runs it again, ending with the clean run's results exactly.
    """
    out = copy_of(clean, tmp_path)
    results = out / "results.csv"
    lines = results.read_bytes().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(b"more,2,"))
    last = b"".join(lines[start:])  # replication 2 of "more", whole
    results.write_bytes(b"".join(lines[:-1]) + lines[-1][:12] + last)
    report = cli("report", str(out))
    assert report.returncode == 0, report.stderr
    assert "not counted" in report.stderr
    proc = compare(out)
    assert proc.returncode == 0, proc.stderr
    assert "dropped 1 torn row of results.csv" in proc.stderr
    assert "recomputing replication 2 of more" in proc.stderr
    assert_same_results(out, clean)


def test_a_torn_series_line_is_cut_and_rewritten(clean, tmp_path):
    """A series line cut by a crash is dropped and its replication's series written again.

    The crash came before the replication's results, so the resume runs it again.
    """
    out = copy_of(clean, tmp_path)
    results = out / "results.csv"
    lines = results.read_bytes().splitlines(keepends=True)
    results.write_bytes(b"".join(line for line in lines if not line.startswith(b"more,2,")))
    series = out / "series.jsonl"
    entries = series.read_bytes().splitlines(keepends=True)
    series.write_bytes(b"".join(entries[:-1]) + entries[-1][:40])
    proc = compare(out)
    assert proc.returncode == 0, proc.stderr
    assert "dropped 1 torn row of series.jsonl" in proc.stderr
    assert_same_results(out, clean)


def test_a_clean_resume_says_nothing_and_computes_nothing(clean, tmp_path):
    """Running the finished comparison again reports no damage and keeps the files as they are."""
    out = copy_of(clean, tmp_path)
    proc = compare(out)
    assert proc.returncode == 0, proc.stderr
    assert "torn" not in proc.stderr and "recomputing" not in proc.stderr
    assert (out / "results.csv").read_bytes() == (clean / "results.csv").read_bytes()


# ---------------------------------------------------------------------- one writer
def start(*args: str) -> subprocess.Popen[str]:
    """``salessim ARGS`` started in the background, as ``tests.cli_process.cli`` runs it."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "COLUMNS": "250",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "salessim.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for_lock(out: Path, pid: int) -> None:
    """Wait until the process ``pid`` holds ``out``'s lock (its pid is in the lock file)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            if json.loads((out / LOCK_FILE).read_text())["pid"] == pid:
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.01)
    raise AssertionError(f"pid {pid} never took the lock of {out}")


def test_a_second_command_on_the_same_directory_is_refused(tmp_path):
    """A second command on a directory being written refuses at once (exit 2).

    Its message names the first command's pid; the first finishes with every replication
    written once.
    """
    out = tmp_path / "results"
    first = start(*COMPARE, "--out", str(out))
    try:
        wait_for_lock(out, first.pid)
        first.send_signal(signal.SIGSTOP)  # hold it mid-run, whatever the machine's speed
        try:
            second = compare(out)
            report = cli("report", str(out))
        finally:
            first.send_signal(signal.SIGCONT)
        _, errors = first.communicate(timeout=TIMEOUT)
    finally:
        first.kill()
    assert_refused(second, "another salessim command is writing these results", f"pid {first.pid}")
    assert report.returncode in (0, 2) and "Traceback" not in report.stderr  # reading is allowed
    assert first.returncode == 0, errors
    text = (out / "results.csv").read_text()
    assert text.count("_complete") == 6  # nothing computed twice
    assert not (out / LOCK_FILE).exists()


def test_a_lock_left_by_a_dead_command_is_taken_over(clean, tmp_path):
    """A lock left by a command that is no longer running is taken over, and said so.

    (A command killed with -9 leaves its lock file; its pid is gone.)
    """
    out = tmp_path / "results"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = int(gone.stdout)
    out.mkdir()
    (out / LOCK_FILE).write_text(json.dumps({"pid": dead, "command": "salessim compare x"}))
    proc = compare(out)
    assert proc.returncode == 0, proc.stderr
    assert f"took over the lock left by pid {dead}" in proc.stderr
    assert "is no longer running" in proc.stderr
    assert not (out / LOCK_FILE).exists()
    assert_same_results(out, clean)


def test_an_interrupted_command_leaves_no_lock(tmp_path):
    """Ctrl-C stops a run with exit 130 and removes its lock, so the next run just resumes."""
    out = tmp_path / "results"
    first = start(*COMPARE, "--out", str(out))
    try:
        wait_for_lock(out, first.pid)
        first.send_signal(signal.SIGINT)
        _, errors = first.communicate(timeout=TIMEOUT)
    finally:
        first.kill()
    assert first.returncode in (0, 130), errors  # 0: it finished before the signal came
    assert not (out / LOCK_FILE).exists()
    proc = compare(out)
    assert proc.returncode == 0, proc.stderr
    assert "took over" not in proc.stderr


# ---------------------------------------------------------------------- hostile directories
def spoil_manifest(out: Path, change) -> None:
    """Rewrite ``experiment.json`` through ``change`` (a function of its data)."""
    path = out / "experiment.json"
    path.write_text(json.dumps(change(json.loads(path.read_text()))))


HOSTILE_MANIFESTS = {
    "a list": (lambda m: [m], "the manifest must be a JSON object"),
    "a path for a scenario hash": (
        lambda m: m | {"design": m["design"] | {"arms": [{"name": "a", "scenario": "../../x"}]}},
        "design.arms.0.scenario",
    ),
    "a seed that is text": (
        lambda m: m | {"design": m["design"] | {"seed": "zero"}},
        "design.seed",
    ),
    "too many replications": (lambda m: m | {"replications": 10**9}, "replications"),
    "a broken precision record": (lambda m: m | {"precision": {"met": 1}}, "precision"),
}


@pytest.mark.parametrize("case", HOSTILE_MANIFESTS.values(), ids=list(HOSTILE_MANIFESTS))
@pytest.mark.parametrize("command", ["report", "compare"])
def test_a_spoiled_manifest_is_refused(clean, tmp_path, command, case):
    """A spoiled ``experiment.json`` stops ``report`` and a resume with exit 2 naming it."""
    change, message = case
    out = copy_of(clean, tmp_path)
    spoil_manifest(out, change)
    proc = cli("report", str(out)) if command == "report" else compare(out)
    assert_refused(proc, "experiment.json", message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, f"nested deeper than {MAX_DEPTH} levels"),
        (" " * (MAX_SAVE_BYTES + 1), "larger than 16 MiB"),
        ("{not json", "invalid JSON"),
    ],
    ids=["nested 100,000 deep", "too large", "not JSON"],
)
def test_a_hostile_manifest_is_refused_like_a_hostile_save(clean, tmp_path, text, message):
    """``experiment.json`` is read within the save files' limits: a clean exit 2."""
    out = copy_of(clean, tmp_path)
    (out / "experiment.json").write_text(text)
    assert_refused(cli("report", str(out)), "experiment.json", message)
    assert_refused(compare(out), "experiment.json", message)


def test_a_spoiled_kept_scenario_is_refused(clean, tmp_path):
    """A kept scenario that no longer validates stops ``report`` with exit 2 naming the file."""
    out = copy_of(clean, tmp_path)
    kept = next((out / "scenarios").iterdir())
    kept.write_text('{"meta": 3}')
    assert_refused(cli("report", str(out)), kept.name, "not a valid scenario")


def test_hostile_rows_are_skipped_within_bounds(clean, tmp_path):
    """Hostile rows are skipped as torn; the report comes from the sound rows.

    A results line 10 MB long, a row of an unknown arm and a series line nested 100,000
    deep.
    """
    out = copy_of(clean, tmp_path)
    with (out / "results.csv").open("a") as handle:
        handle.write("x" * 10_000_000 + "\n")
        handle.write("intruder,0,1,utilisation_sdr,0.5\n")
    with (out / "series.jsonl").open("a") as handle:
        handle.write("[" * 100_000 + "]" * 100_000 + "\n")
    proc = cli("report", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "skipped 2 torn rows of results.csv, 1 torn row of series.jsonl" in proc.stderr
    assert same(open_results(out).values, open_results(clean).values)
