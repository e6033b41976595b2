"""Scenario files of the same name are compared, each arm named by the path tail it needs.

``salessim compare plans/v1/q.yaml plans/v2/q.yaml`` used to be refused ("arm names must
differ"); the arms are now ``v1/q`` and ``v2/q``, as a sweep names its parameters.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_process import assert_refused, cli
from tests.support import ROOT

QUEUE = ROOT / "scenarios" / "queue" / "mmc_l5_m1_c10.yaml"
SMALL = ["-n", "2", "--years", "0.05", "--workers", "1", "-m", "utilisation_sdr", "--json"]


def plans(tmp_path: Path) -> tuple[Path, Path]:
    """Two files named ``q.yaml`` in ``plans/v1`` and ``plans/v2``: ten SDRs, then eleven."""
    first, second = tmp_path / "plans" / "v1" / "q.yaml", tmp_path / "plans" / "v2" / "q.yaml"
    first.parent.mkdir(parents=True)
    second.parent.mkdir(parents=True)
    first.write_text(QUEUE.read_text())
    second.write_text("extends: ../v1/q.yaml\nroles:\n  sdr: {headcount: 11}\n")
    return first, second


def test_files_of_the_same_name_are_told_apart_by_their_folders(tmp_path):
    """Arms from ``v1/q.yaml`` and ``v2/q.yaml`` are named ``v1/q`` and ``v2/q``."""
    first, second = plans(tmp_path)
    proc = cli("compare", str(first), str(second), *SMALL)
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert [arm["name"] for arm in shown["manifest"]["design"]["arms"]] == ["v1/q", "v2/q"]
    arms = {row["arm"] for row in shown["comparison"]}
    assert arms == {"v1/q", "v2/q"}
    rows = [row for row in shown["comparison"] if row["metric"] == "utilisation_sdr"]
    utilisation = {row["arm"]: row["mean"] for row in rows}
    assert utilisation["v2/q"] < utilisation["v1/q"]  # eleven SDRs are less busy than ten


def test_files_of_different_names_keep_their_plain_names(tmp_path):
    """A name that already tells the arm apart stays as it was: the file's name alone."""
    first, _ = plans(tmp_path)
    proc = cli("compare", str(first), str(QUEUE), *SMALL)
    assert proc.returncode == 0, proc.stderr
    arms = json.loads(proc.stdout)["manifest"]["design"]["arms"]
    assert [arm["name"] for arm in arms] == ["q", "mmc_l5_m1_c10"]


def test_one_file_given_twice_is_refused(tmp_path):
    """The same file twice (by two spellings) is refused, pointing at --arm for variants."""
    first, _ = plans(tmp_path)
    again = first.parent / ".." / "v1" / "q.yaml"
    proc = cli("compare", str(first), str(again), *SMALL)
    assert_refused(proc, "is given twice", "--arm NAME:KEY=VALUE")
