"""Experiment reports: the warm-up rule, series summaries, and the files a report writes."""

from __future__ import annotations

import json
import math
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from salessim.cli import app
from salessim.experiments.profiles import ATTAINMENT_EDGES, ArmProfile, RunningMean
from salessim.experiments.report import quarter_ends, write_report
from salessim.experiments.runner import (
    Arm,
    Design,
    open_results,
    replication_seed,
    run,
    series_of,
)
from salessim.experiments.stats import mser_truncation
from salessim.experiments.store import Store
from salessim.run import simulate
from salessim.scenario.load import apply_overrides
from salessim.scenario.units import DAYS_PER_YEAR
from tests.support import ROOT, break_first_replication

CAP = "compensation.plans.ae_linear.components.0.commission.cap"
SMALL = ["--set", "roles.ae.headcount=6", "--set", "roles.sdr.headcount=3"]


# ---------------------------------------------------------------------- the warm-up rule
def test_mser_cuts_the_whole_transient():
    """A ramp up to a noisy level: the cut leaves none of the ramp in."""
    rng = np.random.default_rng(3)
    settled = list(100 + rng.normal(0, 1, 30))
    assert mser_truncation([20.0, 40.0, 60.0, 80.0, *settled]) >= 4


def test_mser_on_a_trend_stops_at_half_the_series():
    """A series that never settles: the cut runs to the limit of the search."""
    assert mser_truncation([float(i) for i in range(24)]) == 12


def test_mser_by_hand():
    """[0, 10, 10, 10]: cutting the first point leaves zero spread, the minimum."""
    assert mser_truncation([0.0, 10.0, 10.0, 10.0]) == 1


# ---------------------------------------------------------------------- series summaries
def test_running_mean_over_series_of_different_lengths():
    """A running mean averages each point over the series long enough to reach it."""
    mean = RunningMean()
    mean.add([1.0, 2.0, 3.0])
    mean.add([3.0, 4.0])
    assert mean.mean.tolist() == [2.0, 3.0, 3.0]


def test_weekly_series_keeps_complete_weeks_only(small_org):
    """52 weeks and 5 days: the 5 days' bookings would read as a slump, so they are left out.

    The first seed from 3 whose partial week booked something shows it.
    """
    for seed in range(3, 20):
        result = simulate(small_org, seed, years=369 / DAYS_PER_YEAR)
        weekly = list(result.record.weekly_new_arr)
        if len(weekly) == 53 and weekly[-1] > 0:
            break
    assert result.record.measured_days == pytest.approx(369)
    assert len(weekly) == 53 and weekly[-1] > 0  # the partial week booked something
    assert series_of(result)["weekly_new_arr"] == weekly[:52]


def test_attainment_histogram_counts_each_period_once():
    """Values at the edges, and far above the last edge, land in a bin each."""
    profile = ArmProfile()
    profile.add({"attainment_ae": [0.0, 0.95, 1.0, 2.5, 7.0], "weekly_new_arr": [1.0]})
    profile.add({"attainment_ae": [1.05], "weekly_new_arr": [3.0]})
    counts = profile.attainment["ae"]
    assert counts.sum() == 6
    assert counts[0] == 1 and counts[-1] == 1  # 0.0 in the first bin; 7.0 clipped into the last
    assert counts[np.searchsorted(ATTAINMENT_EDGES, 1.0, side="right") - 1] == 2  # 1.0, 1.05
    assert profile.replications == 2
    assert profile.weekly_new_arr.mean.tolist() == [2.0]


def test_series_are_read_once_each_and_a_cut_line_is_skipped(tmp_path):
    """Stored series are read once per replication, even if written twice; a cut line is skipped."""
    design = {"arms": [{"name": "a", "scenario": "0" * 16}], "seed": 0}  # rows name known arms
    store = Store(tmp_path, {"design": design, "replications": 2})
    store.add("a", 0, 11, {"m": 1.0}, {"weekly_new_arr": [1.0]})
    store.add("a", 0, 11, {"m": 1.0}, {"weekly_new_arr": [1.0]})  # run again after a stop
    store.add("a", 1, 12, {"m": 2.0}, {"weekly_new_arr": [2.0]})
    with store.series_path.open("a") as handle:
        handle.write('{"arm": "a", "replication": 2, "ser')  # a write cut short
    assert [(arm, r) for arm, r, _ in store.series()] == [("a", 0), ("a", 1)]


# ---------------------------------------------------------------------- library
@pytest.fixture(scope="module")
def finished(tmp_path_factory, small_org):
    """Two arms of the small organisation, three replications, kept on disk."""
    directory = tmp_path_factory.mktemp("results")
    bigger = apply_overrides(small_org, {"roles.ae.headcount": 8})
    design = Design([Arm("six AEs", small_org), Arm("eight AEs", bigger)], 3, seed=4,
                    years=0.5)  # fmt: skip
    results = run(design, store=Store(directory, design.manifest() | {"commands": ["test"]}))
    return directory, design, results


def test_results_reopen_from_the_directory_alone(finished):
    """Results reopen from their directory alone with the same arms, digests and values."""
    directory, design, results = finished
    reopened = open_results(directory)
    assert [arm.name for arm in reopened.design.arms] == ["six AEs", "eight AEs"]
    assert [arm.digest for arm in reopened.design.arms] == [arm.digest for arm in design.arms]
    assert repr(reopened.values) == repr(results.values)


def test_the_report_files_and_their_provenance(finished):
    """The HTML report is self-contained, every chart drawn; provenance records the run.

    One inline SVG per chart (no attainment without pay plans), unique ids, no script, nothing
    from the network; provenance holds the version, the arms' digests, seeds, commands and the
    files' digests.
    """
    directory, design, results = finished
    written = write_report(results, directory, None, "salessim report x")
    html = written.html.read_text()
    for arm in ("six AEs", "eight AEs"):
        assert arm in html
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    charts = ["Forest plot", "Distributions over replications", "New ARR by week", "Warm-up check"]
    assert [h for h in headings if h in charts] == charts
    assert "Attainment" not in headings  # no pay plans, no quotas
    assert html.count("<svg") == len(charts)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # unique on the page, though every chart names alike
    assert set(re.findall(r'(?:href="#|url\(#)([^")]+)', html)) <= set(ids)
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)  # nothing from the network
    provenance = json.loads(written.provenance.read_text())
    assert provenance["salessim"]
    assert [a["sha256_16"] for a in provenance["arms"]] == [a.digest for a in design.arms]
    assert provenance["seeds"]["replications"] == [replication_seed(4, r) for r in range(3)]
    assert provenance["run_commands"] == ["test"]
    assert set(provenance["files_sha256"]) >= {"results.csv", "series.jsonl"}


def test_the_markdown_summary_has_a_row_per_metric_and_arm(finished):
    """The Markdown summary has a row per metric and arm, with the arm's mean."""
    directory, _, results = finished
    markdown = write_report(results, directory, ["deals_won"], "x").markdown.read_text()
    rows = [line for line in markdown.splitlines() if line.startswith("| Deals won |")]
    assert len(rows) == 2
    assert rows[0].split("|")[2].strip() == "six AEs"
    mean = sum(results.values["eight AEs"]["deals_won"]) / 3
    assert f"{mean:,.0f}" in rows[1] or f"{mean:.3g}" in rows[1]


def test_a_failed_replication_is_listed_in_the_report(small_org, tmp_path, monkeypatch):
    """A failed replication is listed in the HTML report with its error."""
    break_first_replication(monkeypatch)
    design = Design([Arm("a", small_org)], 2, seed=1, years=0.1, metrics=["deals_won"])
    results = run(design, store=Store(tmp_path, design.manifest()))
    html = write_report(results, tmp_path, None, "x").html.read_text()
    assert "Failed replications" in html and "the model broke" in html


# ---------------------------------------------------------------------- the commands
def test_compare_report_then_report_again_from_disk(tmp_path):
    """``compare --report`` writes a report; ``report`` writes the same table again from disk."""
    out = tmp_path / "cap"
    base = ["compare", "scenarios/comp/linear_50_50.yaml", *SMALL, "-n", "3", "--years", "0.5"]
    args = [*base, "--arm", f"capped:{CAP}=1.5", "--workers", "1", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--report", "--json"])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the report's note goes to stderr, not into the JSON
    first = (out / "report.md").read_text()
    for name in ("report.html", "report.md", "provenance.json"):
        (out / name).unlink()
    again = CliRunner().invoke(app, ["report", str(out)])
    assert again.exit_code == 0, again.output
    assert "report.html" in again.output
    table = [line for line in first.splitlines() if line.startswith("| ")]
    assert table == [line for line in (out / "report.md").read_text().splitlines()
                     if line.startswith("| ")]  # fmt: skip
    assert "capped" in (out / "report.html").read_text()


def test_report_without_out_picks_a_directory_per_design(tmp_path, monkeypatch):
    """Without --out, a report goes to a directory per design, where a rerun resumes."""
    scenario = str(ROOT / "scenarios" / "queue" / "mmc_l5_m1_c10.yaml")
    monkeypatch.chdir(tmp_path)
    args = ["compare", scenario, "-n", "2", "--years", "0.05",
            "--arm", "more:roles.ae.headcount=11", "--workers", "1", "--report"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    made = list((tmp_path / "results").glob("compare-*/report.html"))
    assert len(made) == 1
    rerun = CliRunner().invoke(app, args)  # the same design resumes in the same directory
    assert rerun.exit_code == 0
    assert list((tmp_path / "results").iterdir()) == [made[0].parent]


def test_sweep_report_has_a_heat_map_and_sensitivity_a_tornado(tmp_path):
    """A sweep's report has a heat map over the grid; a sensitivity's a tornado and its table."""
    common = ["scenarios/queue/mmc_l5_m1_c10.yaml", "-n", "2", "--years", "0.05", "--workers", "1"]
    sweep = CliRunner().invoke(
        app,
        ["sweep", *common, "-p", "roles.ae.headcount=10,12", "-p", "roles.sdr.headcount=1,2",
         "-m", "deals_won", "--out", str(tmp_path / "s"), "--report"],
    )  # fmt: skip
    assert sweep.exit_code == 0, sweep.output
    html = (tmp_path / "s" / "report.html").read_text()
    assert "Deals won over the grid" in html
    tornado = CliRunner().invoke(
        app,
        ["sensitivity", *common, "-p", "roles.ae.headcount=10,12", "-m", "deals_won",
         "--out", str(tmp_path / "t"), "--report"],
    )  # fmt: skip
    assert tornado.exit_code == 0, tornado.output
    html = (tmp_path / "t" / "report.html").read_text()
    assert "Tornado" in html and "headcount low" in html
    assert "| roles.ae.headcount | 10 |" in (tmp_path / "t" / "report.md").read_text()


def test_report_refuses_a_directory_without_results(tmp_path):
    """``report`` on a directory without results exits 2 with a message, no traceback."""
    result = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a results directory" in result.output
    assert "Traceback" not in result.output


def test_warmup_option_sets_every_arm_and_bad_values_are_refused(tmp_path):
    """``--warmup`` sets every arm's warm-up; a value that is not a duration exits 2."""
    base = ["compare", "scenarios/queue/mmc_l5_m1_c10.yaml", "-n", "2", "--years", "0.05",
            "--workers", "1", "--arm", "more:roles.ae.headcount=11"]  # fmt: skip
    bad = CliRunner().invoke(app, [*base, "--warmup", "soon"])
    assert bad.exit_code == 2 and "--warmup soon" in bad.output
    out = tmp_path / "w"
    good = CliRunner().invoke(app, [*base, "--warmup", "1mo", "--out", str(out)])
    assert good.exit_code == 0, good.output
    reopened = open_results(out)
    assert all(math.isclose(a.scenario.calendar.warmup, 30.4375, rel_tol=1e-3)
               for a in reopened.design.arms)  # fmt: skip


# ---------------------------------------------------------------------- interruption
def test_ctrl_c_stops_a_pool_run_cleanly_and_the_rerun_finishes_it(tmp_path):
    """SIGINT midway: exit 130, one line saying what was kept, no worker tracebacks.

    Running the same command again completes the experiment with each replication once.
    """
    out = tmp_path / "stopped"
    command = [sys.executable, "-m", "salessim.cli", "compare", "baseline", "-n", "12",
               "--years", "0.25", "--workers", "2", "--arm", "more:roles.ae.headcount=22",
               "--metric", "deals_won", "--out", str(out)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = out / "results.csv"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if results.exists() and "_complete" in results.read_text():
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert f"interrupted: finished replications are kept in {out}" in stderr
    kept = len(Store.open(out).completed())
    assert 1 <= kept < 24
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    store = Store.open(out)
    assert len(store.completed()) == 24
    rows = [(r["arm"], r["replication"]) for r in store.rows() if r["metric"] == "deals_won"]
    assert len(rows) == len(set(rows)) == 24  # one deals_won row per replication


# ---------------------------------------------------------------------- the verdict's page
def test_quarter_ends_fall_where_a_run_closes_its_quarters():
    """The report marks quarter ends on the days a run's own record closes them."""
    from salessim.scenario.load import load_scenario

    shipped = load_scenario(ROOT / "scenarios" / "comp" / "linear_50_50.yaml")
    record = simulate(shipped, 0, years=1).record
    assert quarter_ends(shipped, 1.0) == list(record.quarter_ends)
    # measured from a year in (day 365.25): 2028Q4 closes on day 731, after the measured year
    assert [quarter for _, quarter in quarter_ends(shipped, 1.0)] == ["2028Q1", "2028Q2", "2028Q3"]


def test_a_pay_plan_report_opens_with_the_verdict_and_shows_each_plan(tmp_path):
    """The verdict comes first in both files, then the arms and each arm's plan on a page."""
    out = tmp_path / "plans"
    args = ["compare", "scenarios/comp/linear_50_50.yaml", "scenarios/comp/accelerated.yaml",
            *SMALL, "-n", "3", "--years", "0.5", "--workers", "1", "--out", str(out),
            "--report"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    markdown = (out / "report.md").read_text()
    sections = re.findall(r"^## (.+)$", markdown, flags=re.M)
    assert sections[:3] == ["Verdict against linear_50_50", "Arms", "Pay plans"]
    assert re.search(r"^\| accelerated \| [+-]\$", markdown, flags=re.M)
    assert "**AE: ae_accelerated**" in markdown
    assert "| One rep | $142k | $189k | $284k |" in markdown
    html = (out / "report.html").read_text()
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert headings[:3] == ["Verdict against linear_50_50", "Arms", "Pay plans"]
    assert "e+0" not in markdown and "e-0" not in markdown  # no scientific notation


def test_a_sweep_maps_contribution_unless_told_otherwise(tmp_path):
    """A two-parameter sweep of a paid scenario draws contribution over the grid by default."""
    args = ["sweep", "scenarios/comp/linear_50_50.yaml", *SMALL, "-n", "2", "--years", "0.25",
            "--workers", "1", "-p", "roles.ae.headcount=5,6", "-p", "roles.csm.headcount=2,3",
            "--out", str(tmp_path / "grid"), "--report"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Contribution over the grid" in (tmp_path / "grid" / "report.html").read_text()
