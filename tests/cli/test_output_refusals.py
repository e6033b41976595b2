"""Outputs that cannot be written and options that cannot work: exit 2 and one line.

A read-only or missing directory, ``--out`` naming a file, a metric no arm reports, an
experiment file holding a list: each is refused before anything runs (or as soon as the
write fails), never with a traceback or an exit 0 after every replication failed.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_process import assert_refused, cli
from tests.support import ROOT

QUEUE = str(ROOT / "scenarios" / "queue" / "mmc_l5_m1_c10.yaml")
SMALL = ["--years", "0.05", "--workers", "1", "-m", "utilisation_sdr"]
COMPARE = ["compare", QUEUE, "--arm", "more:roles.sdr.headcount=11", "-n", "2", *SMALL]
MORE = ["compare", QUEUE, "--arm", "more:roles.sdr.headcount=11", "-n", "3", *SMALL]
PR_CAPBSET_DROP = 24
ROOT_FILE_POWERS = (1, 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH: root ignores file modes


def _as_plain_user() -> None:
    """In the child before it runs: a root process loses its power to ignore file modes."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for power in ROOT_FILE_POWERS:
        if libc.prctl(PR_CAPBSET_DROP, power, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def plain_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``salessim ARGS`` bound by file modes, as any user is (root included)."""
    return cli(*args, preexec_fn=_as_plain_user)


@pytest.fixture
def read_only(tmp_path) -> Iterator[Path]:
    """A read-only directory that the command line really cannot write to."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    probe = [sys.executable, "-c", f"open({str(folder / 'x')!r}, 'w')"]
    try:
        written = subprocess.run(probe, preexec_fn=_as_plain_user, capture_output=True)
    except subprocess.SubprocessError:
        pytest.skip("cannot give up root's power over file modes here")
    if written.returncode == 0:
        pytest.skip("this user can write to a read-only directory")
    yield folder
    folder.chmod(0o755)


# ---------------------------------------------------------------------- read-only
def test_compare_into_a_read_only_directory_is_refused(read_only):
    """``compare --out`` under a read-only directory: exit 2 naming it, before any run."""
    proc = plain_cli(*COMPARE, "--out", str(read_only / "results"))
    assert_refused(proc, "--out: cannot write to", "Permission denied")


def test_resuming_into_read_only_results_is_refused(tmp_path):
    """Results made read-only after a run: the resume stops with exit 2, not a traceback."""
    out = tmp_path / "results"
    assert cli(*COMPARE, "--out", str(out)).returncode == 0
    for path in [out, *out.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        proc = plain_cli(*MORE, "--out", str(out))
        report = plain_cli("report", str(out))
    finally:
        for path in [out, *out.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    if proc.returncode == 0:
        pytest.skip("this user can write to read-only files")
    assert_refused(proc, "--out: cannot write to", "Permission denied")
    assert_refused(report, "report: cannot write to", "report.html", "Permission denied")


def test_run_into_a_read_only_directory_is_refused(read_only):
    """``run --out`` a read-only directory: exit 2 naming the file it could not write."""
    proc = plain_cli("run", QUEUE, "--years", "0.05", "--out", str(read_only))
    assert_refused(proc, "--out: cannot write to", str(read_only), "Permission denied")


def test_schema_into_a_read_only_directory_is_refused(read_only):
    """``schema --out`` a file in a read-only directory: exit 2 naming it."""
    proc = plain_cli("schema", "--out", str(read_only / "schema.json"))
    assert_refused(proc, "--out: cannot write to", "schema.json", "Permission denied")


# ---------------------------------------------------------------------- wrong kinds of path
def test_out_naming_a_file_is_refused(tmp_path):
    """``run --out`` and ``compare --out`` naming a file say it is a file, not a directory."""
    target = tmp_path / "kpis.txt"
    target.write_text("mine\n")
    for args in (["run", QUEUE, "--years", "0.05"], COMPARE):
        assert_refused(cli(*args, "--out", str(target)), f"{target} is a file; give a directory")
    assert target.read_text() == "mine\n"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (".", "is a directory; give a file name"),
        ("a-file/schema.json", "Not a directory"),
        ("no-such-folder/schema.json", "No such file or directory"),
    ],
    ids=["a directory", "under a file", "in a missing folder"],
)
def test_schema_out_paths_that_cannot_be_written_are_refused(tmp_path, where, message):
    """``schema --out`` a directory, a path under a file or in a missing folder: exit 2."""
    (tmp_path / "a-file").write_text("")
    target = tmp_path / where
    assert_refused(cli("schema", "--out", str(target)), "--out", message)


# ---------------------------------------------------------------------- options that cannot work
def test_sensitivity_of_a_metric_that_does_not_exist_is_refused():
    """``sensitivity -m stage_bogus``: refused before any run (it used to crash at the end)."""
    args = ["-p", "roles.sdr.headcount=9,11", "-n", "2", "--years", "0.05", "--workers", "1"]
    proc = cli("sensitivity", QUEUE, *args, "-m", "stage_bogus")
    assert_refused(proc, "unknown metric(s) stage_bogus", "docs/model.md")


def test_a_stage_the_funnel_lacks_is_refused():
    """A stage's conversion for a stage the funnel lacks: refused naming the stages there are.

    It used to run every replication, fail each, and exit 0.
    """
    proc = cli(*COMPARE[:-2], "-m", "stage_conversion_demo")
    assert_refused(proc, "stage_conversion_demo", "has no such funnel stage", "qualification")


def test_a_stage_the_funnel_has_is_compared():
    """A stage's conversion for a stage the funnel has is a metric like any other."""
    proc = cli(*COMPARE[:-2], "-m", "stage_conversion_qualification", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "stage_conversion_qualification" in proc.stdout


def test_advise_zero_is_refused():
    """``compare --advise 0`` asks for an interval of no width: exit 2 naming the option."""
    assert_refused(cli(*COMPARE, "--advise", "0"), "--advise")


def test_an_experiment_file_holding_a_list_is_refused(tmp_path):
    """An experiment file that is a list says it must be a mapping, naming the file."""
    path = tmp_path / "experiment.yaml"
    path.write_text("- scenario: a.yaml\n- arms: {}\n")
    proc = cli("experiment", str(path))
    assert_refused(proc, f"{path}:1: an experiment file must be a mapping", "not a list")


def test_an_experiment_asking_for_a_missing_stage_is_refused(tmp_path):
    """An experiment file's metric that no arm reports is refused naming the file and key."""
    path = tmp_path / "experiment.yaml"
    path.write_text(f"scenario: {QUEUE}\nmetrics: [stage_conversion_demo]\narms: {{a: {{}}}}\n")
    proc = cli("experiment", str(path), "--out", str(tmp_path / "out"))
    assert_refused(proc, f"{path}: metrics: unknown metric(s) stage_conversion_demo")
    assert not (tmp_path / "out").exists()


def test_report_of_a_metric_the_results_lack_is_refused(tmp_path):
    """``report -m`` a metric the results do not hold names what they hold instead."""
    out = tmp_path / "results"
    assert cli(*COMPARE, "--out", str(out)).returncode == 0
    proc = cli("report", str(out), "-m", "win_rate")
    assert_refused(proc, "win_rate not in", "utilisation_sdr")
    assert not (out / "report.html").exists()
