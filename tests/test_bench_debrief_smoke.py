"""The debrief benchmark script runs and reports its figures; its timing target is not tested."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from tests.support import ROOT


@pytest.mark.slow
def test_the_debrief_benchmark_reports_each_figure_as_json():
    """``bench_debrief.py --quick --json`` on one exercise exits 0 with both figures measured.

    The debrief played along and the cold one must agree (the script checks), so an
    ERROR row would also catch a debrief that came out differently.
    """
    script = str(ROOT / "benchmarks" / "bench_debrief.py")
    options = ["--quick", "--json", "--only", "first_team", "--think", "0.2"]
    run = subprocess.run(
        [sys.executable, script, *options],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
    )
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)["figures"]
    assert set(figures) == {"debrief_first_team", "debrief_cold_first_team"}
    for key, figure in figures.items():
        assert figure["status"] in ("PASS", "FAIL", "INFO"), (key, figure["detail"])
        for name in ("value", "baseline", "ratio"):
            assert math.isfinite(figure[name]) and figure[name] > 0, (key, name)
    assert figures["debrief_first_team"]["target"] == "<= 10"
