"""The command line: run, validate, schema and scenarios, and their error handling."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from salessim.cli import app
from tests.support import ROOT

runner = CliRunner()


def invoke(*args: str):
    """Run the ``salessim`` command with ``args`` in this process."""
    return runner.invoke(app, list(args))


def test_run_without_a_scenario_uses_the_bundled_baseline():
    """``run`` without a scenario runs the bundled baseline and prints its summary."""
    result = invoke("run", "--years", "0.2")
    assert result.exit_code == 0, result.output
    assert "Mid-market SaaS baseline" in result.output
    assert "Win rate" in result.output


def test_run_json_prints_one_object_with_every_kpi():
    """``run --json`` prints one JSON object with the seed and the KPIs."""
    result = invoke("run", "--years", "0.2", "--json", "--seed", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["seed"] == 3
    assert {"leads_created", "win_rate", "ending_arr", "grr", "nrr"} <= set(data["kpis"])


def test_run_is_reproducible_from_the_command_line():
    """The same seed on the command line prints the same JSON."""
    first = invoke("run", "--years", "0.2", "--json", "--seed", "5").stdout
    second = invoke("run", "--years", "0.2", "--json", "--seed", "5").stdout
    assert first == second


def test_run_out_writes_kpis_timeseries_plots_and_events(tmp_path):
    """``run --out --events`` writes the KPIs, monthly CSV, plots and a CSV per event kind."""
    out = tmp_path / "out"
    result = invoke("run", "--years", "0.3", "--out", str(out), "--events")
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {
        "kpis.json",
        "timeseries.csv",
        "events",
        "funnel.png",
        "pipeline.png",
        "bookings_by_week.png",
        "utilisation.png",
        "arr.png",
    } <= names
    header = (out / "events" / "rep_left.csv").read_text().splitlines()[0]
    assert header == (
        "day,rep,role,team,tier,ability,exit,regretted,tenure_days,attainment,exit_cost"
    )


def test_set_overrides_reach_the_model():
    """``--set`` overrides reach the model: one SDR under heavy inbound lets leads go cold."""
    small = invoke(
        "run",
        "--years",
        "0.2",
        "--json",
        "--set",
        "roles.sdr.headcount=1",
        "--set",
        "market.segments.mid_market.inbound.rate=2000/mo",
    )
    assert small.exit_code == 0, small.output
    assert json.loads(small.stdout)["kpis"]["leads_gone_cold"] > 100


def test_unknown_override_key_is_exit_2_with_a_hint():
    """A misspelt override key exits 2 with a did-you-mean hint."""
    result = invoke("run", "--set", "roles.ae.headcont=3")
    assert result.exit_code == 2
    assert "did you mean 'headcount'" in result.output


def test_validate_reports_every_problem_with_file_and_line(tmp_path):
    """``validate`` exits 2 naming each problem with its file and line."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("roles:\n  ae: {headcount: -1}\nfunnel:\n  conversion: {skil_elasticity: 1}\n")
    result = invoke("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: roles.ae.headcount" in result.output
    assert f"{bad}:4: funnel.conversion.skil_elasticity" in result.output


def test_validate_accepts_good_files():
    """``validate`` accepts a bundled name and a file path, saying ok for each."""
    result = invoke(
        "validate", "baseline", str(ROOT / "scenarios" / "queue" / "mmc_l9_m1_c10.yaml")
    )
    assert result.exit_code == 0
    assert result.output.count(": ok") == 2


def test_schema_is_json_with_the_top_level_sections():
    """``schema`` prints a JSON schema with the scenario's top-level sections."""
    data = json.loads(invoke("schema").stdout)
    assert {"market", "funnel", "roles", "customers", "extends"} <= set(data["properties"])


def test_scenarios_lists_the_bundled_ones():
    """``scenarios`` lists the bundled scenarios, those in folders by their path."""
    result = invoke("scenarios")
    assert "baseline" in result.output and "queue/mmc_l9_m1_c10" in result.output


def test_a_missing_file_is_one_line_and_no_traceback():
    """Run as a real process: the user sees one line on stderr and exit code 2."""
    proc = subprocess.run(
        [sys.executable, "-m", "salessim.cli", "run", "no/such/file.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "no/such/file.yaml" in proc.stderr
