"""The core benchmark script runs and reports every figure; its timing targets are not tested."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from tests.support import ROOT

FIGURES = (
    "mmc_vs_simpy",
    "mmc_vs_ciw",
    "baseline_lead_cost",
    "memory_10y_vs_1y",
    "abandon_cost",
    "workforce_overhead",
    "pay_overhead",
    "scale_lead_cost",
)


@pytest.mark.slow
def test_quick_benchmark_reports_every_figure_as_json():
    """``bench_core.py --quick --json`` exits 0 and reports every figure.

    Each figure has a finite positive value, baseline and ratio; only the Ciw comparison
    may be skipped, and only because Ciw is not installed.
    """
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_core.py"), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)["figures"]
    errors = {key: f["detail"] for key, f in figures.items() if f["status"] == "ERROR"}
    assert not errors
    assert set(FIGURES) <= set(figures)
    for key, figure in figures.items():
        if figure["status"] == "SKIP":
            assert key == "mmc_vs_ciw" and figure["detail"] == "ciw not installed"
            continue
        for name in ("value", "baseline", "ratio"):
            number = figure[name]
            assert isinstance(number, int | float), (key, name, number)
            assert math.isfinite(number) and number > 0, (key, name, number)
        assert figure["status"] in ("PASS", "FAIL", "INFO"), (key, figure["status"])
