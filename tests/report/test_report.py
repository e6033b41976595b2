"""The report layer: plots, summary table, KPI JSON, monthly CSV and number formatting."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from array import array
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from rich.console import Console

from salessim import RunResult, simulate
from salessim.metrics.kpis import KPI_DEFINITIONS, compute
from salessim.metrics.record import Record
from salessim.report import format as fmt
from salessim.report.plots.people import attrition, headcount, tenure, utilisation
from salessim.report.plots.run import PLOTS, write_plots
from salessim.report.tables import (
    kpis_json,
    summary_sections,
    summary_table,
    write_event_tables,
    write_kpis_json,
    write_timeseries_csv,
)
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH
from tests.support import ROOT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLOT_FILES = (
    "funnel.png",
    "pipeline.png",
    "bookings_by_week.png",
    "utilisation.png",
    "arr.png",
    "headcount.png",
    "attrition.png",
    "tenure.png",
)


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
                    "attrition": {"promotion": 0},
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
    """A year of the default scenario."""
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
    """Each of the default, tiny and month-less runs in turn."""
    return request.getfixturevalue(request.param)


# ----------------------------------------------------------------------------- plots
@pytest.mark.parametrize("plot", list(PLOTS.values()), ids=list(PLOTS))
def test_every_plot_renders_a_png_for_full_tiny_and_empty_runs(plot: Any, any_run: RunResult):
    """Each plot returns a Figure that renders, whatever the run lacks (months, roles, deals)."""
    fig = plot(any_run)
    assert isinstance(fig, Figure)
    assert fig.axes
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("run", ["default_run", "tiny_run"])
def test_write_plots_writes_every_named_non_empty_png(
    run: str, request: pytest.FixtureRequest, tmp_path: Path
):
    """write_plots creates the directory and returns the PNG paths it wrote, one per plot."""
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


def hand_built(record: Record) -> RunResult:
    """A run result around a record built by hand."""
    return RunResult(scenario_name="Hand-built", seed=0, kpis=compute(record), record=record)


def texts(fig: Figure) -> list[str]:
    """The texts written on a figure's axes."""
    return [text.get_text() for ax in fig.axes for text in ax.texts]


def people_month(month: str, **values: float) -> dict[str, float | str]:
    """A monthly row with every people column zero unless given."""
    row: dict[str, float | str] = {"month": month}
    for role in ("sdr", "ae"):
        row[f"headcount_{role}"] = row[f"ramped_capacity_{role}"] = 0.0
    for key in ("hires", "exits_voluntary", "exits_involuntary", "exits_regretted"):
        row[key] = 0.0
    return row | values


def test_people_plots_say_so_when_there_is_no_staff_and_no_leaver():
    """Months with nobody employed, hired or leaving: each people plot explains its blank."""
    record = Record(measured_days=61.0)
    for month in ("2027-01", "2027-02"):
        record.add_month(people_month(month, morale_mean=math.nan))
    result = hand_built(record)
    assert "No role had staff" in texts(headcount(result))
    assert "No hires or exits in the measured period" in texts(attrition(result))
    tenure_texts = texts(tenure(result))
    assert "No staff at the end" in tenure_texts
    assert "No one left in the measured period" in tenure_texts


def test_attrition_stacks_exits_by_kind_with_regretted_on_top_of_voluntary():
    """3 voluntary (1 regretted) and 2 involuntary exits: bars 2 + 2 + 1; hires drawn as a line."""
    record = Record(measured_days=59.0)
    record.add_month(
        people_month("2027-01", exits_voluntary=3, exits_regretted=1, exits_involuntary=2, hires=4)
    )
    record.add_month(people_month("2027-02", hires=1))
    (ax,) = attrition(hand_built(record)).axes
    assert [bar.get_height() for bar in ax.patches] == [2, 0, 2, 0, 1, 0, 0, 0]  # no promotions
    (hires,) = ax.get_lines()
    assert list(hires.get_ydata()) == [4, 1]


def test_tenure_histograms_staff_and_leavers_by_role_in_months():
    """Tenure histograms count staff and leavers by role, in months, with the staff's median."""
    record = Record(measured_days=365.25)
    record.people.roster_end = [
        ("ae", 1.5 * DAYS_PER_MONTH, None, False),
        ("sdr", 4 * DAYS_PER_MONTH, None, True),
        ("ae", 7 * DAYS_PER_MONTH, 1.1, True),
    ]
    record.people.exit_tenure_days = {"csm": array("d", [2 * DAYS_PER_MONTH]), "ae": array("d")}
    staff, leavers = tenure(hand_built(record)).axes
    legend = staff.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["SDR (1)", "AE (2)"]
    assert sum(bar.get_height() for bar in staff.patches) == 3
    legend = leavers.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["CSM (1)"]
    assert " median 4.0 months" in texts(tenure(hand_built(record)))


def test_headcount_draws_only_roles_with_staff(tiny_run: RunResult, default_run: RunResult):
    """The SDR-only run draws one role; the default run all four, each employed and ramped."""
    (ax,) = headcount(tiny_run).axes
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [
        "SDR",
        "Employed (month end)",
        "Ramped FTE (month mean)",
    ]
    assert len(ax.get_lines()) == 2
    (ax,) = headcount(default_run).axes
    assert len(ax.get_lines()) == 8


def test_plots_never_import_pyplot():
    """Drawing a plot leaves matplotlib's global pyplot state untouched (never imported)."""
    code = (
        "import sys\n"
        "from salessim import simulate\n"
        "from salessim.scenario.schema import Scenario\n"
        "from salessim.report.plots.funnel import funnel\n"
        "funnel(simulate(Scenario(), 0, years=0.1)).savefig(__import__('io').BytesIO())\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    src = ROOT / "src"
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
    """The KPI JSON written to a file reads back unchanged."""
    path = write_kpis_json(default_run, tmp_path / "kpis.json")
    assert json.loads(path.read_text(encoding="utf-8")) == kpis_json(default_run)


# ----------------------------------------------------------------------------- CSV
def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV file's header and its rows as mappings."""
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
        "ramped_capacity_ae",
        "hires",
        "exits_voluntary",
        "exits_involuntary",
        "exits_regretted",
        "coaching_hours_per_rep",
        "morale_mean",
        "open_requisitions",
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
    """A run shorter than a month writes an empty monthly CSV."""
    assert no_month_run.monthly == []
    path = write_timeseries_csv(no_month_run, tmp_path / "monthly.csv")
    assert path.read_text(encoding="utf-8") == ""


def test_event_tables_are_written_one_csv_per_kind(tmp_path: Path):
    """Every event kind gets a file with its own columns and one row per event."""
    result = simulate(one_sdr_stage("3d"), 4, record_events=True)
    assert result.events is not None
    paths = write_event_tables(result, tmp_path / "events")
    assert [p.stem for p in paths] == list(result.events)
    for path in paths:
        header, rows = read_csv(path)
        table = result.events[path.stem]
        assert header == list(table)
        assert len(rows) == len(table["day"])
    header, rows = read_csv(tmp_path / "events" / "lead_closed.csv")
    assert len(rows) > 0
    assert {r["status"] for r in rows} <= {"won", "lost", "gone_cold", "disqualified"}
    assert all(r["owner"] == "" for r in rows)  # one SDR stage: no AE ever owns a lead


def test_event_tables_need_an_event_log(tiny_run: RunResult, tmp_path: Path):
    """Event tables of a run without its event log are refused, naming record_events."""
    with pytest.raises(ValueError, match="record_events"):
        write_event_tables(tiny_run, tmp_path / "events")


# ----------------------------------------------------------------------------- summary
def render(result: RunResult) -> str:
    """The run's summary table as plain text, 100 columns wide."""
    console = Console(record=True, width=100, color_system=None)
    console.print(summary_table(result))
    return console.export_text()


def test_summary_table_has_every_section_and_no_raw_nan(default_run: RunResult):
    """The summary table shows every section and key row, money formatted, and never 'nan'."""
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


def test_summary_has_a_people_section(default_run: RunResult):
    """Headcount per role, attrition by kind, costs, manager time and AEs at quota."""
    text = render(default_run)
    people = dict(dict(summary_sections(default_run))["People"])
    for row in (
        "SDR headcount, mean (ramped FTE)",
        "CSM attrition, yearly",
        "Voluntary attrition, yearly",
        "  of which regretted",
        "Involuntary attrition, yearly",
        "Time to fill, mean",
        "Hiring cost",
        "Exit cost (severance)",
        "Training cost",
        "Coaching per rep, monthly",
        "Morale, mean (-1 to 1)",
        "Manager time: coaching",
        "Ramped AEs at quota",
    ):
        assert row in people
        assert row.strip() in text
    k = default_run.kpis
    heads, ramped = fmt.number(k["headcount_mean_ae"]), fmt.number(k["ramped_capacity_ae"])
    assert people["AE headcount, mean (ramped FTE)"] == f"{heads} ({ramped})"
    assert people["Voluntary attrition, yearly"] == fmt.percent(k["attrition_voluntary_rate"])
    assert people["Hiring cost"] == fmt.money(k["hiring_cost"])


def test_people_section_of_a_run_without_managers_or_quotas(tiny_run: RunResult):
    """Only SDRs, no managers, no hires: unknowns are marked, never shown as 0."""
    people = dict(summary_sections(tiny_run))["People"]
    names = [name for name, _ in people]
    assert [n for n in names if "headcount" in n] == ["SDR headcount, mean (ramped FTE)"]
    rows = dict(people)
    assert rows["SDR headcount, mean (ramped FTE)"] == "3.0 (3.0)"
    assert rows["Manager time"] == fmt.MISSING
    assert rows["Ramped AEs at quota"] == fmt.MISSING
    assert rows["Time to fill, mean"] == fmt.MISSING
    assert rows["Hires"] == "0"


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
    """Money reads in dollars with k, M or B to one decimal; unknown is a dash."""
    assert fmt.money(value) == text


def test_money_for_axis_ticks_drops_trailing_zeros():
    """Money trimmed for axis ticks drops trailing zeros."""
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
    """Percentages read to one decimal; NaN and infinity are a dash."""
    assert fmt.percent(value) == text


def test_counts_days_and_durations():
    """Counts, days, durations and labels read as people write them; unknown is a dash."""
    assert fmt.count(12_345.0) == "12,345"
    assert fmt.count(math.nan) == "–"
    assert fmt.days(47.83) == "47.8 days"
    assert fmt.days(math.nan) == "–"
    assert fmt.duration(0.5) == "12.0 h"
    assert fmt.duration(2.26) == "2.3 days"
    assert fmt.label("technical_validation") == "Technical validation"
    assert fmt.role_label("sdr") == "SDR"
    assert fmt.role_label("specialist") == "Specialist"
