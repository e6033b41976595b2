"""The report layer: plots, summary table, KPI JSON, monthly CSV and number formatting."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from rich.console import Console

from salessim import RunResult, simulate
from salessim.metrics.kpis import KPI_DEFINITIONS
from salessim.report import format as fmt
from salessim.report.plots import (
    arr_over_time,
    bookings_by_week,
    funnel,
    pipeline_over_time,
    utilisation,
    write_plots,
)
from salessim.report.tables import (
    kpis_json,
    summary_sections,
    summary_table,
    write_events_csv,
    write_kpis_json,
    write_timeseries_csv,
)
from salessim.scenario.schema import Scenario

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLOTS = (funnel, pipeline_over_time, bookings_by_week, utilisation, arr_over_time)
PLOT_FILES = ("funnel.png", "pipeline.png", "bookings_by_week.png", "utilisation.png", "arr.png")


def one_sdr_stage(horizon: str) -> Scenario:
    """A queue-only organisation: one SDR stage, no AEs, specialists or CSMs."""
    return Scenario.model_validate(
        {
            "meta": {"name": "One SDR queue"},
            "calendar": {"horizon": horizon, "warmup": "8h"},
            "market": {"segments": {"all": {"inbound": {"rate": "2/h"}}}},
            "customers": {"referrals_per_account_per_year": 0},
            "funnel": {
                "conversion": {"skill_elasticity": 0, "fit_elasticity": 0},
                "stages": [
                    {
                        "name": "qualification",
                        "role": "sdr",
                        "work": {"exponential": {"mean": "1h"}},
                        "convert": 0,
                        "on_fail": "disqualified",
                    }
                ],
            },
            "roles": {
                "sdr": {
                    "headcount": 3,
                    "hours_per_week": 168,
                    "selling_share": 1,
                    "prospecting_share": 0,
                },
                "ae": {"headcount": 0},
                "specialist": {"headcount": 0},
                "csm": {"headcount": 0},
                "manager": {"headcount": 0},
            },
        }
    )


@pytest.fixture(scope="module")
def default_run() -> RunResult:
    return simulate(Scenario(), 1, years=1)


@pytest.fixture(scope="module")
def tiny_run() -> RunResult:
    """Two complete months of one SDR queue."""
    return simulate(one_sdr_stage("70d"), 2)


@pytest.fixture(scope="module")
def no_month_run() -> RunResult:
    """Shorter than a month: no monthly rows, no weeks of bookings."""
    return simulate(one_sdr_stage("20d"), 3)


@pytest.fixture(params=["default_run", "tiny_run", "no_month_run"])
def any_run(request: pytest.FixtureRequest) -> RunResult:
    return request.getfixturevalue(request.param)


# ----------------------------------------------------------------------------- plots
@pytest.mark.parametrize("plot", PLOTS, ids=lambda p: p.__name__)
def test_every_plot_renders_a_png_for_full_tiny_and_empty_runs(plot: Any, any_run: RunResult):
    """Each plot returns a Figure that renders, whatever the run lacks (months, roles, deals)."""
    fig = plot(any_run)
    assert isinstance(fig, Figure)
    assert fig.axes
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("run", ["default_run", "tiny_run"])
def test_write_plots_writes_five_named_non_empty_pngs(
    run: str, request: pytest.FixtureRequest, tmp_path: Path
):
    """write_plots creates the directory and returns the five PNG paths it wrote."""
    paths = write_plots(request.getfixturevalue(run), tmp_path / "plots")
    assert [p.name for p in paths] == list(PLOT_FILES)
    for path in paths:
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        assert len(data) > 10_000


def test_utilisation_leaves_out_roles_without_staff(tiny_run: RunResult):
    """Only the SDR line is drawn when AEs, specialists and CSMs have headcount 0."""
    (ax,) = utilisation(tiny_run).axes
    labels = [str(line.get_label()) for line in ax.get_lines()]
    assert len(labels) == 1
    assert labels[0].startswith("SDR")


def test_plots_never_import_pyplot():
    """Drawing a plot leaves matplotlib's global pyplot state untouched (never imported)."""
    code = (
        "import sys\n"
        "from salessim import simulate\n"
        "from salessim.scenario.schema import Scenario\n"
        "from salessim.report.plots import funnel\n"
        "funnel(simulate(Scenario(), 0, years=0.1)).savefig(__import__('io').BytesIO())\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# ----------------------------------------------------------------------------- JSON
def test_kpis_json_is_strict_json_with_every_kpi(any_run: RunResult):
    """Every KPI is present; unknown values are null, so strict JSON accepts the output."""
    data = kpis_json(any_run)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert set(KPI_DEFINITIONS) <= set(data["kpis"])
    assert set(any_run.kpis) == set(data["kpis"])
    assert data["scenario"] == any_run.scenario_name
    assert data["seed"] == any_run.seed
    assert data["measured_days"] == pytest.approx(any_run.record.measured_days)
    for name, value in any_run.kpis.items():
        if math.isnan(value):
            assert data["kpis"][name] is None
        else:
            assert data["kpis"][name] == pytest.approx(value)


def test_unknown_kpis_are_null(tiny_run: RunResult):
    """A run with no closed deals has no win rate: null, not 0."""
    assert kpis_json(tiny_run)["kpis"]["win_rate"] is None


def test_write_kpis_json_round_trips(default_run: RunResult, tmp_path: Path):
    path = write_kpis_json(default_run, tmp_path / "kpis.json")
    assert json.loads(path.read_text(encoding="utf-8")) == kpis_json(default_run)


# ----------------------------------------------------------------------------- CSV
def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or []), list(reader)


def test_timeseries_csv_has_one_row_per_month_in_first_row_column_order(
    default_run: RunResult, tmp_path: Path
):
    """A year gives 12 rows; columns follow the first monthly row's keys."""
    header, rows = read_csv(write_timeseries_csv(default_run, tmp_path / "monthly.csv"))
    assert header == list(default_run.monthly[0])
    assert len(rows) == len(default_run.monthly) == 12
    assert [r["month"] for r in rows] == [m["month"] for m in default_run.monthly]
    for expected in (
        "leads_created",
        "deals_won",
        "bookings_new_arr",
        "arr",
        "customers",
        "pipeline_value_discovery",
        "utilisation_ae",
        "headcount_sdr",
    ):
        assert expected in header
    assert float(rows[-1]["arr"]) == pytest.approx(default_run.monthly[-1]["arr"])


def test_timeseries_csv_writes_unknown_as_empty_cells(tiny_run: RunResult, tmp_path: Path):
    """Utilisation of a team with no staff is unknown: an empty cell, never 'nan'."""
    _, rows = read_csv(write_timeseries_csv(tiny_run, tmp_path / "monthly.csv"))
    assert len(rows) == len(tiny_run.monthly) == 2
    assert all(r["utilisation_ae"] == "" for r in rows)
    assert all(float(r["utilisation_sdr"]) > 0 for r in rows)


def test_timeseries_csv_without_months_is_empty(no_month_run: RunResult, tmp_path: Path):
    assert no_month_run.monthly == []
    path = write_timeseries_csv(no_month_run, tmp_path / "monthly.csv")
    assert path.read_text(encoding="utf-8") == ""


def test_events_csv_has_one_row_per_logged_event(tmp_path: Path):
    """The opt-in event log is written column for column; unknown fields are empty."""
    result = simulate(one_sdr_stage("3d"), 4, record_events=True)
    assert result.events is not None
    header, rows = read_csv(write_events_csv(result, tmp_path / "events.csv"))
    assert header == list(result.events)
    assert len(rows) == len(result.events["day"]) > 0
    assert all(r["account"] == "" for r in rows)


def test_events_csv_needs_an_event_log(tiny_run: RunResult, tmp_path: Path):
    with pytest.raises(ValueError, match="record_events"):
        write_events_csv(tiny_run, tmp_path / "events.csv")


# ----------------------------------------------------------------------------- summary
def render(result: RunResult) -> str:
    console = Console(record=True, width=100, color_system=None)
    console.print(summary_table(result))
    return console.export_text()


def test_summary_table_has_every_section_and_no_raw_nan(default_run: RunResult):
    text = render(default_run)
    for section in ("Funnel", "Revenue", "Teams", "Stage conversions"):
        assert section in text
    for row in ("Win rate", "New bookings (ARR)", "NRR", "AE utilisation", "Discovery (AE)"):
        assert row in text
    assert "nan" not in text.lower()
    assert fmt.money(default_run.kpis["bookings_new_arr"]) in text


def test_summary_marks_unknown_and_skips_teams_without_staff(tiny_run: RunResult):
    """No deals closed: win rate is '–'; only the SDR team is listed."""
    sections = dict(summary_sections(tiny_run))
    assert dict(sections["Funnel"])["Win rate"] == fmt.MISSING
    assert [name for name, _ in sections["Teams"]] == [
        "SDR utilisation",
        "SDR mean wait",
        "SDR mean queue length",
    ]
    assert [name for name, _ in sections["Stage conversions"]] == ["Qualification (SDR)"]
    assert "nan" not in render(tiny_run).lower()


# ----------------------------------------------------------------------------- formatting
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12_345_678, "$12.3M"),
        (450_000, "$450k"),
        (45_600, "$45.6k"),
        (999_999, "$1.0M"),
        (1_500_000_000, "$1.5B"),
        (123, "$123"),
        (0, "$0"),
        (-2_500_000, "-$2.5M"),
        (math.nan, "–"),
        (None, "–"),
    ],
)
def test_money(value: float | None, text: str):
    assert fmt.money(value) == text


def test_money_for_axis_ticks_drops_trailing_zeros():
    assert fmt.money(2_000_000, decimals=2, trim=True) == "$2M"
    assert fmt.money(1_250_000, decimals=2, trim=True) == "$1.25M"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1234, "12.3%"),
        (1.0, "100.0%"),
        (0.0, "0.0%"),
        (math.nan, "–"),
        (math.inf, "–"),
    ],
)
def test_percent(value: float, text: str):
    assert fmt.percent(value) == text


def test_counts_days_and_durations():
    assert fmt.count(12_345.0) == "12,345"
    assert fmt.count(math.nan) == "–"
    assert fmt.days(47.83) == "47.8 days"
    assert fmt.days(math.nan) == "–"
    assert fmt.duration(0.5) == "12.0 h"
    assert fmt.duration(2.26) == "2.3 days"
    assert fmt.label("technical_validation") == "Technical validation"
    assert fmt.role_label("sdr") == "SDR"
    assert fmt.role_label("specialist") == "Specialist"
