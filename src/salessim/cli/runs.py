"""Commands on one scenario: run it, print a pay statement, check files, print the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from salessim.cli.common import (
    SeedOption,
    SetOption,
    YearsOption,
    app,
    cannot_write,
    load_or_exit,
    path_option,
    progress_bar,
    refuse,
    stderr,
    wide_console,
)
from salessim.report.format import printable
from salessim.run import RunResult, simulate
from salessim.scenario.bundled import bundled_scenarios, resolve_scenario
from salessim.scenario.json_schema import scenario_json_schema
from salessim.scenario.load import ScenarioError, load_scenario


@app.command()
def run(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file or bundled name (default: the bundled baseline)."),
    ] = None,
    seed: SeedOption = 0,
    years: YearsOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write kpis.json, timeseries.csv, forecast.csv and plots to this directory.",
            callback=path_option,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the KPIs as one JSON object.")
    ] = False,
    events: Annotated[
        bool,
        typer.Option(help="Also write the full event log to --out: events/<kind>.csv, one a kind."),
    ] = False,
    overrides: SetOption = None,
) -> None:
    """Run one replication of a scenario and summarise what happened."""
    from salessim.report.tables import (
        kpis_json,
        summary_table,
        write_forecast_csv,
        write_kpis_json,
        write_timeseries_csv,
    )

    if events and out is None:
        raise refuse("--events needs --out DIR to write the event log to")
    path, loaded = load_or_exit(scenario, overrides)
    with progress_bar(f"Simulating {escape(loaded.meta.name)}") as progress:
        result = simulate(loaded, seed, years=years, record_events=events, progress=progress)
    if out is not None:
        try:
            written = _write_outputs(result, out, events)
            write_kpis_json(result, out / "kpis.json")
            write_timeseries_csv(result, out / "timeseries.csv")
            write_forecast_csv(result, out / "forecast.csv")
        except OSError as error:
            raise cannot_write("--out", out, error) from None
    if as_json:
        print(json.dumps(kpis_json(result), allow_nan=False))
        return
    console = Console()
    console.print(summary_table(result))
    shown = path if scenario is not None and Path(scenario).exists() else f"{path.stem} (bundled)"
    console.print(f"[dim]scenario {escape(str(shown))} · seed {seed}[/dim]", highlight=False)
    if out is not None:
        console.print(f"Wrote {len(written) + 3} files to {out}/")


def _write_outputs(result: RunResult, out: Path, events: bool) -> list[Path]:
    from salessim.report.plots.run import write_plots
    from salessim.report.tables import write_event_tables

    out.mkdir(parents=True, exist_ok=True)
    written = write_plots(result, out)
    if events and result.events is not None:
        written += write_event_tables(result, out / "events")
    return written


@app.command()
def statement(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled name.")],
    rep: Annotated[int, typer.Option(help="The rep's id (a statement error lists them).")],
    period: Annotated[
        str,
        typer.Option(help="A month (2027-03), fiscal quarter (2027Q3), half (2027H2) or FY2027."),
    ],
    seed: SeedOption = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the statement as one JSON object.")
    ] = False,
    overrides: SetOption = None,
) -> None:
    """Print one rep's pay statement for a period, line by line, to check by hand."""
    from salessim.model.engine import Simulation
    from salessim.report.statement import build_statement, statement_table
    from salessim.run import Recording

    _, loaded = load_or_exit(scenario, overrides)
    if not loaded.compensation.assign and not loaded.compensation.changes:
        raise refuse(
            "the scenario has no pay plans: add compensation.plans and compensation.assign "
            "(see docs/compensation.md)"
        )
    sim = Simulation(loaded, seed)
    recording = Recording(sim)
    months = sim.calendar.month_index(sim.end - 1e-6) + 1
    try:
        start, end = sim.calendar.span(period, months)
    except ValueError as error:
        raise refuse(str(error)) from None
    with progress_bar(f"Simulating to the end of {period}") as progress:
        sim.run_until(min(sim.end, end + 0.5), progress)
    try:
        found = build_statement(recording.record.pay, rep, period, start, end, sim.calendar.date)
    except ValueError as error:
        raise refuse(str(error)) from None
    if as_json:
        print(json.dumps(found.as_json(), allow_nan=False))
        return
    wide_console().print(statement_table(found, dict(loaded.compensation.plans)))


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="Scenario files or bundled names to check.")],
    overrides: SetOption = None,
) -> None:
    """Check scenario files and report every problem at once."""
    failed = False
    for name in files:
        try:
            load_scenario(resolve_scenario(name), overrides or [])
        except ScenarioError as error:
            failed = True
            for line in str(error).splitlines():
                stderr.print(printable(line), markup=False, highlight=False)
            continue
        print(f"{name}: ok")
    if failed:
        raise typer.Exit(code=2)


@app.command()
def schema(
    out: Annotated[
        Path | None,
        typer.Option(help="Write to this file instead of stdout.", callback=path_option),
    ] = None,
) -> None:
    """Print the JSON Schema of scenario files, for editor completion and checks."""
    text = json.dumps(scenario_json_schema(), indent=2)
    if out is None:
        print(text)
        return
    try:
        out.write_text(text + "\n")
    except OSError as error:
        raise cannot_write("--out", out, error) from None


@app.command()
def scenarios() -> None:
    """List the scenarios bundled with salessim."""
    for name in bundled_scenarios():
        try:
            title = load_scenario(resolve_scenario(name)).meta.name
        except ScenarioError:
            title = "(does not load)"
        print(f"{name:40s} {title}")
