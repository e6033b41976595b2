"""``forecast.csv``: the pipeline forecast of each whole quarter against what happened."""

from __future__ import annotations

import csv

import pytest

from salessim import simulate
from salessim.report.tables import FORECAST_COLUMNS, summary_sections, write_forecast_csv
from salessim.scenario.load import load_scenario
from tests.cli_process import cli
from tests.support import ROOT

BASELINE = ROOT / "scenarios" / "baseline.yaml"


def test_forecast_csv_has_a_row_per_whole_quarter_as_the_run_reports_them(tmp_path):
    """One row per ``forecast_by_quarter`` row, the same figures, the summary shows the error."""
    result = simulate(load_scenario(BASELINE), seed=3, years=1)
    with write_forecast_csv(result, tmp_path / "forecast.csv").open() as file:
        rows = list(csv.DictReader(file))
    expected = result.forecast_by_quarter
    assert len(rows) == len(expected) >= 3
    assert list(rows[0]) == list(FORECAST_COLUMNS)
    for row, want in zip(rows, expected, strict=True):
        assert row["quarter"] == want["quarter"]
        assert float(row["new_arr_actual"]) == pytest.approx(float(want["new_arr_actual"]))
        assert float(row["churn_forecast"]) == pytest.approx(float(want["churn_forecast"]))
    revenue = dict(dict(summary_sections(result))["Revenue"])
    shown = revenue["Pipeline forecast error, new ARR a quarter"]
    assert shown == f"{result.kpis['forecast_error_new_arr']:.1%}"


def test_run_out_writes_the_forecast(tmp_path):
    """``salessim run --out`` writes forecast.csv beside the KPIs."""
    out = tmp_path / "out"
    proc = cli("run", BASELINE.as_posix(), "--years", "1", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = (out / "forecast.csv").read_text().splitlines()
    assert lines[0] == ",".join(FORECAST_COLUMNS)
    assert len(lines) >= 4
