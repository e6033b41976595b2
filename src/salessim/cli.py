"""The ``salessim`` command line: parse input, call the library, print or write results.

No model logic lives here. Scenario problems print as ``file:line: key: message`` lines
on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from salessim import __version__
from salessim.model.engine import Progress as ProgressCallback
from salessim.run import RunResult, simulate
from salessim.scenario.load import (
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    resolve_scenario,
    scenario_json_schema,
)
from salessim.scenario.schema import Scenario

app = typer.Typer(
    help="salessim: simulate a B2B sales organisation, compare policies, practise managing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True, soft_wrap=True)
PROGRESS_AFTER_SECONDS = 1.5
STATEMENT_WIDTH = 140  # statements and comparisons keep their rows on a line when piped

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        metavar="KEY=VALUE",
        help="Override a scenario value, e.g. --set roles.ae.headcount=25 (repeatable).",
    ),
]


def _version(value: bool) -> None:
    if value:
        print(f"salessim {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Simulate a sales organisation."""


def _fail(error: ScenarioError) -> typer.Exit:
    for line in str(error).splitlines():
        stderr.print(line, markup=False, highlight=False)
    return typer.Exit(code=2)


def _load(name: str | None, overrides: list[str] | None) -> tuple[Path, Scenario]:
    try:
        path = resolve_scenario(name)
        return path, load_scenario(path, overrides or [])
    except ScenarioError as error:
        raise _fail(error) from None


@contextmanager
def _progress(label: str) -> Iterator[ProgressCallback]:
    """A progress callback that shows a bar on stderr once a run takes a while."""
    started = time.perf_counter()
    bar: Progress | None = None
    task = None

    def update(done: float, total: float) -> None:
        nonlocal bar, task
        if bar is None:
            if time.perf_counter() - started < PROGRESS_AFTER_SECONDS:
                return
            bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeRemainingColumn(),
                console=stderr,
                transient=True,
            )
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done)  # type: ignore[arg-type]

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


@app.command()
def run(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file or bundled name (default: the bundled baseline)."),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="Root random seed.")] = 0,
    years: Annotated[
        float | None,
        typer.Option(min=0.01, help="Simulate this many years instead of the horizon."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write kpis.json, timeseries.csv and plots to this directory."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the KPIs as one JSON object.")
    ] = False,
    events: Annotated[
        bool, typer.Option(help="Also write the full event log (events.csv) to --out.")
    ] = False,
    overrides: SetOption = None,
) -> None:
    """Run one replication of a scenario and summarise what happened."""
    from salessim.report.tables import (
        kpis_json,
        summary_table,
        write_kpis_json,
        write_timeseries_csv,
    )

    if events and out is None:
        stderr.print("--events needs --out DIR to write the event log to")
        raise typer.Exit(code=2)
    path, loaded = _load(scenario, overrides)
    with _progress(f"Simulating {loaded.meta.name}") as progress:
        result = simulate(loaded, seed, years=years, record_events=events, progress=progress)
    if out is not None:
        written = _write_outputs(result, out, events)
        write_kpis_json(result, out / "kpis.json")
        write_timeseries_csv(result, out / "timeseries.csv")
    if as_json:
        print(json.dumps(kpis_json(result), allow_nan=False))
        return
    console = Console()
    console.print(summary_table(result))
    shown = path if scenario is not None and Path(scenario).exists() else f"{path.stem} (bundled)"
    console.print(f"[dim]scenario {shown} · seed {seed}[/dim]", highlight=False)
    if out is not None:
        console.print(f"Wrote {len(written) + 2} files to {out}/")


def _write_outputs(result: RunResult, out: Path, events: bool) -> list[Path]:
    from salessim.report.plots import write_plots
    from salessim.report.tables import write_events_csv

    out.mkdir(parents=True, exist_ok=True)
    written = write_plots(result, out)
    if events and result.events is not None:
        written.append(write_events_csv(result, out / "events.csv"))
    return written


@app.command()
def statement(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled name.")],
    rep: Annotated[int, typer.Option(help="The rep's id (a statement error lists them).")],
    period: Annotated[
        str,
        typer.Option(help="A month (2027-03), fiscal quarter (2027Q3), half (2027H2) or FY2027."),
    ],
    seed: Annotated[int, typer.Option(min=0, help="Root random seed.")] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the statement as one JSON object.")
    ] = False,
    overrides: SetOption = None,
) -> None:
    """Print one rep's pay statement for a period, line by line, to check by hand."""
    from salessim.model.engine import Simulation
    from salessim.report.statement import build_statement, statement_table

    _, loaded = _load(scenario, overrides)
    if not loaded.compensation.assign and not loaded.compensation.changes:
        stderr.print(
            "the scenario has no pay plans: add compensation.plans and compensation.assign "
            "(see docs/compensation.md)"
        )
        raise typer.Exit(code=2)
    sim = Simulation(loaded, seed)
    months = sim.calendar.month_index(sim.end - 1e-6) + 1
    try:
        start, end = sim.calendar.span(period, months)
    except ValueError as error:
        stderr.print(str(error), markup=False)
        raise typer.Exit(code=2) from None
    with _progress(f"Simulating to the end of {period}") as progress:
        sim.run_until(min(sim.end, end + 0.5), progress)
    try:
        found = build_statement(sim.recorder.record.pay, rep, period, start, end, sim.calendar.date)
    except ValueError as error:
        stderr.print(str(error), markup=False)
        raise typer.Exit(code=2) from None
    if as_json:
        print(json.dumps(found.as_json(), allow_nan=False))
        return
    width = max(STATEMENT_WIDTH, Console().width)  # a piped statement keeps its notes on a line
    Console(width=width).print(statement_table(found, dict(loaded.compensation.plans)))


@app.command()
def compare(
    scenarios: Annotated[
        list[str],
        typer.Argument(help="Scenario files or bundled names; the first is the reference."),
    ],
    replications: Annotated[
        int, typer.Option("--replications", "-n", min=2, help="Paired replications per arm.")
    ] = 30,
    arm: Annotated[
        list[str] | None,
        typer.Option(
            "--arm",
            metavar="NAME:KEY=VALUE[,KEY=VALUE]",
            help="An arm made from the first scenario with overrides (repeatable), e.g. "
            "--arm bigger:roles.ae.headcount=25.",
        ),
    ] = None,
    metric: Annotated[
        list[str] | None, typer.Option("--metric", "-m", help="KPIs to compare (repeatable).")
    ] = None,
    seed: SeedOption = 0,
    years: Annotated[
        float | None, typer.Option(min=0.01, help="Simulate this many years after warm-up.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Append results here as they finish; run again to resume."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: every core; 1: serial).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the comparison as one JSON object.")
    ] = False,
    advise: Annotated[
        float | None,
        typer.Option(
            metavar="HALF_WIDTH",
            help="Also say how many replications give CIs this narrow (relative to the "
            "reference's mean, e.g. 0.02), from the spread seen.",
        ),
    ] = None,
    overrides: SetOption = None,
) -> None:
    """Compare scenarios (or variants of one) over paired replications with 95% CIs."""
    arms = [_arm_of(name, overrides) for name in scenarios]
    for spec in arm or []:
        arms.append(_variant(arms[0].scenario, spec))
    design = _design(arms, replications, seed, years, metric)
    results = _run(design, out, workers)
    _show_comparison(results, metric, out, as_json)
    if advise is not None and not as_json:
        _advise(results, metric, advise)


def _advise(results: Any, metric: Any, half_width: float) -> None:
    """Per metric and arm, the replications for a CI of +-half_width x the reference mean."""
    import math
    import statistics

    from salessim.experiments.stats import replications_for
    from salessim.experiments.summary import DEFAULT_METRICS

    names = list(metric) if metric else [m for m in DEFAULT_METRICS if m in results.metric_names]
    reference = results.design.arms[0].name
    console = Console()
    for name in names:
        by_arm = results.metric(name)
        base = [v for v in by_arm[reference] if math.isfinite(v)]
        if not base or statistics.fmean(base) == 0:
            continue
        width = abs(statistics.fmean(base)) * half_width
        for arm, values in by_arm.items():
            diffs = [
                a - b
                for a, b in zip(values, by_arm[reference], strict=True)
                if arm != reference and math.isfinite(a) and math.isfinite(b)
            ]
            if len(diffs) >= 2 and statistics.stdev(diffs) > 0:
                needed = replications_for(diffs, width)
                console.print(
                    f"{name}, {arm}: {needed} replications for +-{half_width:.1%} of the "
                    f"reference's mean",
                    highlight=False,
                )


def _design(arms: list[Any], replications: int, seed: int, years: float | None, metric: Any) -> Any:
    from salessim.experiments.runner import Design

    _check_metrics(metric)
    try:
        return Design(arms, replications, seed, years, metric)
    except ValueError as error:
        stderr.print(str(error), markup=False)
        raise typer.Exit(code=2) from None


def _run(design: Any, out: Path | None, workers: int | None) -> Any:
    """Run a design on a pool (or serially), keeping results in ``out`` if given."""
    from salessim.experiments.runner import run as run_design
    from salessim.experiments.store import Store

    try:
        store = Store(out, design.manifest()) if out is not None else None
    except ValueError as error:
        stderr.print(str(error), markup=False)
        raise typer.Exit(code=2) from None
    with _executor(workers) as executor, _progress("Replications") as progress:
        results = run_design(design, executor=executor, store=store, progress=progress)
    if store is not None:
        store.write_parquet()
    for failure in results.failures:
        stderr.print(
            f"replication {failure['replication']} of {failure['arm']} failed: {failure['error']}",
            markup=False,
        )
    return results


def _show_comparison(results: Any, metric: Any, out: Path | None, as_json: bool) -> None:
    from salessim.experiments.summary import comparison_rows, comparison_table

    chosen = list(metric) if metric else None
    if as_json:
        rows = comparison_rows(results, chosen)
        print(json.dumps({"manifest": results.design.manifest(), "comparison": rows}))
        return
    width = max(STATEMENT_WIDTH, Console().width)
    Console(width=width).print(comparison_table(results, chosen))
    if out is not None:
        Console().print(f"[dim]results in {out}/results.csv[/dim]", highlight=False)


ParamOption = Annotated[
    list[str],
    typer.Option(
        "--param",
        "-p",
        metavar="KEY=VALUE,VALUE",
        help="A parameter and its values, e.g. --param roles.ae.headcount=18,20,22.",
    ),
]
ReplicationsOption = Annotated[
    int, typer.Option("--replications", "-n", min=2, help="Paired replications per arm.")
]
WorkersOption = Annotated[
    int | None, typer.Option(min=1, help="Worker processes (default: every core; 1: serial).")
]
SeedOption = Annotated[int, typer.Option(min=0, help="Root seed of the replications.")]
OutOption = Annotated[Path | None, typer.Option(help="Keep results here; rerun to resume.")]
YearsOption = Annotated[
    float | None, typer.Option(min=0.01, help="Simulate this many years after warm-up.")
]


def _parameters(texts: list[str]) -> list[Any]:
    from salessim.experiments.grids import parse_parameter

    try:
        return [parse_parameter(text) for text in texts]
    except ValueError as error:
        stderr.print(f"--param {error}", markup=False)
        raise typer.Exit(code=2) from None


def _grid_arms(make: Any, base: Scenario, parameters: list[Any]) -> list[Any]:
    try:
        return make(base, parameters)
    except ScenarioError as error:
        raise _fail(error) from None
    except ValueError as error:
        stderr.print(str(error), markup=False)
        raise typer.Exit(code=2) from None


@app.command()
def experiment(
    file: Annotated[Path, typer.Argument(help="An experiment file (see docs/experiments.md).")],
    out: Annotated[
        Path | None,
        typer.Option(help="Results directory (default: results/<file name>); rerun to resume."),
    ] = None,
    workers: WorkersOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Run an experiment file: arms as overrides of one scenario, compared with 95% CIs."""
    from salessim.experiments.files import load_experiment

    try:
        spec, design = load_experiment(file)
    except ScenarioError as error:
        raise _fail(error) from None
    _check_metrics(spec.metrics)
    out = out or Path("results") / file.stem
    results = _run(design, out, workers)
    _show_comparison(results, spec.metrics, out, as_json)


@app.command()
def sweep(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled name.")],
    param: ParamOption,
    replications: ReplicationsOption = 20,
    metric: Annotated[
        list[str] | None, typer.Option("--metric", "-m", help="KPIs to report (repeatable).")
    ] = None,
    seed: SeedOption = 0,
    years: YearsOption = None,
    out: OutOption = None,
    workers: WorkersOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    overrides: SetOption = None,
) -> None:
    """Sweep one or two parameters over a grid; each point against the first, with CIs."""
    from salessim.experiments.grids import sweep_arms

    parameters = _parameters(param)
    if len(parameters) > 2:
        stderr.print("a sweep takes one or two --param; use an experiment file for more")
        raise typer.Exit(code=2)
    _, base = _load(scenario, overrides)
    design = _design(_grid_arms(sweep_arms, base, parameters), replications, seed, years, metric)
    _show_comparison(_run(design, out, workers), metric, out, as_json)


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled name.")],
    param: ParamOption,
    metric: Annotated[str, typer.Option("--metric", "-m", help="The KPI to explain.")] = (
        "bookings_new_arr"
    ),
    replications: ReplicationsOption = 10,
    seed: SeedOption = 0,
    years: YearsOption = None,
    out: OutOption = None,
    workers: WorkersOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the bars as JSON.")] = False,
    overrides: SetOption = None,
) -> None:
    """One parameter at a time at its low and high value: the bars of a tornado chart."""
    from salessim.experiments.grids import sensitivity_arms, tornado

    parameters = _parameters(param)
    _, base = _load(scenario, overrides)
    arms = _grid_arms(sensitivity_arms, base, parameters)
    design = _design(arms, replications, seed, years, [metric])
    bars = tornado(_run(design, out, workers), metric, parameters)
    if as_json:
        print(json.dumps([{**vars(bar), "swing": bar.swing} for bar in bars]))
        return
    from rich.table import Table

    table = Table(title=f"Sensitivity of {metric} (mean change from the base)", header_style="bold")
    for column in ("Parameter", "Low", "Effect", "High", "Effect", "Swing"):
        table.add_column(column, justify="left" if column == "Parameter" else "right")
    for bar in bars:
        table.add_row(
            bar.parameter,
            bar.low_value,
            f"{bar.low:+,.4g}",
            bar.high_value,
            f"{bar.high:+,.4g}",
            f"{bar.swing:,.4g}",
        )
    Console(width=max(STATEMENT_WIDTH, Console().width)).print(table)


def _arm_of(name: str, overrides: list[str] | None) -> Any:
    from salessim.experiments.runner import Arm

    path, scenario = _load(name, overrides)
    return Arm(path.stem, scenario)


def _variant(base: Scenario, spec: str) -> Any:
    """``NAME:KEY=VALUE[,KEY=VALUE]`` -> an arm of ``base`` with those overrides."""
    from salessim.experiments.runner import Arm
    from salessim.scenario.load import apply_overrides

    name, _, changes = spec.partition(":")
    if not name or not changes:
        stderr.print(f"--arm {spec!r}: expected NAME:KEY=VALUE[,KEY=VALUE]", markup=False)
        raise typer.Exit(code=2)
    try:
        return Arm(name, apply_overrides(base, changes.split(",")))
    except ScenarioError as error:
        raise _fail(error) from None


def _check_metrics(metrics: Sequence[str] | None) -> None:
    from salessim.metrics.kpis import KPI_DEFINITIONS

    unknown = [m for m in metrics or [] if m not in KPI_DEFINITIONS and not m.startswith("stage_")]
    if unknown:
        stderr.print(
            f"unknown metric(s) {', '.join(unknown)}; see docs/model.md for the KPI names",
            markup=False,
        )
        raise typer.Exit(code=2)


@contextmanager
def _executor(workers: int | None) -> Iterator[Any]:
    """A process pool over ``workers`` cores (every core by default); None for serial."""
    if workers == 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


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
                stderr.print(line, markup=False, highlight=False)
            continue
        print(f"{name}: ok")
    if failed:
        raise typer.Exit(code=2)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of scenario files, for editor completion and checks."""
    text = json.dumps(scenario_json_schema(), indent=2)
    if out is None:
        print(text)
    else:
        out.write_text(text + "\n")


@app.command()
def scenarios() -> None:
    """List the scenarios bundled with salessim."""
    for name in bundled_scenarios():
        try:
            title = load_scenario(resolve_scenario(name)).meta.name
        except ScenarioError:
            title = "(does not load)"
        print(f"{name:40s} {title}")


def entry() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    sys.exit(app())
