"""Commands over many replications: compare, experiment, sweep, sensitivity and report."""

from __future__ import annotations

import hashlib
import json
import shlex
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from pydantic_core import PydanticSerializationError
from rich.console import Console

from salessim.cli.common import (
    SetOption,
    app,
    cannot_write,
    fail,
    finite,
    load_or_exit,
    path_option,
    progress_bar,
    refuse,
    stderr,
    wide_console,
)
from salessim.experiments.runner import Arm, Design, Results
from salessim.scenario.limits import MAX_REPLICATIONS, MAX_SEED, MAX_WORKERS, MAX_YEARS
from salessim.scenario.load import ScenarioError, apply_overrides
from salessim.scenario.schema import Scenario

if TYPE_CHECKING:
    from salessim.experiments.precision import Precision
    from salessim.experiments.store import Store

ReplicationsOption = Annotated[
    int,
    typer.Option(
        "--replications",
        "-n",
        min=2,
        max=MAX_REPLICATIONS,
        help=f"Paired replications per arm (at most {MAX_REPLICATIONS:,}).",
    ),
]
SeedOption = Annotated[
    int, typer.Option(min=0, max=MAX_SEED, help="Root seed of the replications (0 to 2^63 - 1).")
]
YearsOption = Annotated[
    float | None,
    typer.Option(
        min=0.01,
        max=MAX_YEARS,
        callback=finite,
        help=f"Simulate this many years after warm-up (at most {MAX_YEARS:g}).",
    ),
]
WarmupOption = Annotated[
    str | None,
    typer.Option(
        metavar="DURATION",
        help="Simulate this long before measuring (e.g. 6mo), on every arm; "
        "the report checks it was long enough.",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        help="Append results here as they finish; run again to resume.", callback=path_option
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=MAX_WORKERS,
        help=f"Worker processes (default: every core; 1: serial; at most {MAX_WORKERS:,}).",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        metavar="tcp://HOST:PORT",
        help="Run on this dask.distributed scheduler instead of local processes "
        "(needs pip install 'salessim\\[dist]').",  # help is rich markup: \\[ shows [
    ),
]
ReportOption = Annotated[
    bool,
    typer.Option(
        "--report",
        help="Also write report.html, report.md and provenance.json to the results directory.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the results as one JSON object.")]
MetricsOption = Annotated[
    list[str] | None, typer.Option("--metric", "-m", help="KPIs to compare (repeatable).")
]
ShockOption = Annotated[
    list[str] | None,
    typer.Option(
        "--shock",
        metavar="KIND:DATE[:DURATION][:FACTOR]",
        help="A scripted event laid over every arm (repeatable), e.g. "
        "--shock market_dip:2027-04-01:6mo:0.7 (see docs/experiments.md).",
    ),
]
ParamOption = Annotated[
    list[str],
    typer.Option(
        "--param",
        "-p",
        metavar="KEY=VALUE,VALUE",
        help="A parameter and its values, e.g. --param roles.ae.headcount=18,20,22.",
    ),
]


def _positive(value: float | None) -> float | None:
    """Option callback: refuse 0, negative numbers and ``nan``."""
    if value is not None and not value > 0:
        raise typer.BadParameter(f"{value} is not more than 0.")
    return value


@app.command()
def compare(
    scenarios: Annotated[
        list[str],
        typer.Argument(help="Scenario files or bundled names; the first is the reference."),
    ],
    replications: ReplicationsOption = 30,
    arm: Annotated[
        list[str] | None,
        typer.Option(
            "--arm",
            metavar="NAME:KEY=VALUE[,KEY=VALUE]",
            help="An arm made from the first scenario with overrides (repeatable), e.g. "
            "--arm bigger:roles.ae.headcount=25.",
        ),
    ] = None,
    metric: MetricsOption = None,
    seed: SeedOption = 0,
    years: YearsOption = None,
    warmup: WarmupOption = None,
    out: OutOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    report: ReportOption = False,
    as_json: JsonOption = False,
    advise: Annotated[
        float | None,
        typer.Option(
            metavar="HALF_WIDTH",
            max=1.0,
            callback=_positive,
            help="Also say how many replications give CIs this narrow (relative to the "
            "reference's mean, e.g. 0.02; at most 1), from the spread seen.",
        ),
    ] = None,
    precision: Annotated[
        float | None,
        typer.Option(
            metavar="SHARE",
            help="Run in batches of 10 until every chosen metric's 95% CI is within this "
            "share of the reference's mean (e.g. 0.02), or -n is reached.",
        ),
    ] = None,
    shock: ShockOption = None,
    overrides: SetOption = None,
) -> None:
    """Compare scenarios (or variants of one) over paired replications with 95% CIs."""
    arms = _file_arms(scenarios, overrides)
    for spec in arm or []:
        arms.append(_variant(arms[0].scenario, spec))
    arms = _shocked(_warmed(arms, warmup), shock, years)
    design = _design(arms, replications, seed, years, metric)
    rule = _precision(precision, metric, replications)
    results = _compare(design, metric, out, workers, scheduler, report, as_json, rule)
    if advise is not None and not as_json:
        _advise(results, metric, advise)


@app.command()
def experiment(
    file: Annotated[Path, typer.Argument(help="An experiment file (see docs/experiments.md).")],
    out: Annotated[
        Path | None,
        typer.Option(
            help="Results directory (default: results/<file name>); rerun to resume.",
            callback=path_option,
        ),
    ] = None,
    warmup: WarmupOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    report: ReportOption = False,
    as_json: JsonOption = False,
) -> None:
    """Run an experiment file: arms as overrides of one scenario, compared with 95% CIs."""
    from dataclasses import replace

    from salessim.experiments.files import load_experiment

    try:
        spec, design = load_experiment(file)
    except ScenarioError as error:
        raise fail(error) from None
    _check_metrics(spec.metrics)
    design = replace(design, arms=_warmed(list(design.arms), warmup))
    out = out or Path("results") / file.stem
    _compare(design, spec.metrics, out, workers, scheduler, report, as_json)


@app.command()
def sweep(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled name.")],
    param: ParamOption,
    replications: ReplicationsOption = 20,
    metric: MetricsOption = None,
    seed: SeedOption = 0,
    years: YearsOption = None,
    warmup: WarmupOption = None,
    out: OutOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    report: ReportOption = False,
    as_json: JsonOption = False,
    overrides: SetOption = None,
) -> None:
    """Sweep one or two parameters over a grid; each point against the first, with CIs."""
    from salessim.experiments.grids import sweep_arms

    parameters = _parameters(param)
    if len(parameters) > 2:
        raise refuse("a sweep takes one or two --param; use an experiment file for more")
    _, base = load_or_exit(scenario, overrides)
    arms = _warmed(_grid_arms(sweep_arms, base, parameters), warmup)
    design = _design(arms, replications, seed, years, metric, "sweep", parameters)
    _compare(design, metric, out, workers, scheduler, report, as_json)


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
    warmup: WarmupOption = None,
    out: OutOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    report: ReportOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the bars as JSON.")] = False,
    overrides: SetOption = None,
) -> None:
    """One parameter at a time at its low and high value: the bars of a tornado chart."""
    from rich.table import Table

    from salessim.experiments.grids import sensitivity_arms, tornado
    from salessim.report.format import kpi_change

    parameters = _parameters(param)
    _, base = load_or_exit(scenario, overrides)
    arms = _warmed(_grid_arms(sensitivity_arms, base, parameters), warmup)
    design = _design(arms, replications, seed, years, [metric], "sensitivity", parameters)
    out = _results_dir(design, out, report)
    with _locked(out):
        results = _run(design, out, workers, scheduler)
        if report and out is not None:
            _report(results, out, [metric], as_json)
    bars = tornado(results, metric, parameters)
    if as_json:
        print(json.dumps([{**vars(bar), "swing": bar.swing} for bar in bars]))
        return
    table = Table(title=f"Sensitivity of {metric} (mean change from the base)", header_style="bold")
    for column in ("Parameter", "Low", "Effect", "High", "Effect", "Swing"):
        table.add_column(column, justify="left" if column == "Parameter" else "right")
    for bar in bars:
        table.add_row(
            bar.parameter,
            bar.low_value,
            kpi_change(metric, bar.low),
            bar.high_value,
            kpi_change(metric, bar.high),
            kpi_change(metric, bar.swing).lstrip("+"),
        )
    wide_console().print(table)


@app.command("report")
def report_command(
    results_dir: Annotated[
        Path, typer.Argument(help="A results directory written by compare, sweep or experiment.")
    ],
    metric: MetricsOption = None,
) -> None:
    """Write report.html, report.md and provenance.json for results already on disk."""
    from salessim.experiments.lock import is_held
    from salessim.experiments.runner import open_results
    from salessim.experiments.store import Store

    _check_metrics(metric)
    try:
        results = open_results(results_dir)
        store = Store.open(results_dir)
    except ScenarioError as error:
        raise fail(error) from None
    except ValueError as error:
        raise refuse(str(error)) from None
    notes = store.check().notes(results_dir, store.seed_of, resuming=False)
    if notes and (holder := is_held(results_dir)) is not None:
        notes.append(f"{results_dir}: a command is still writing it ({holder.describe()})")
    for line in notes:
        stderr.print(line, markup=False, highlight=False)
    if not results.metric_names:
        raise refuse(f"{results_dir}: no finished replications to report on yet")
    missing = [m for m in metric or [] if m not in results.metric_names]
    if missing:
        raise refuse(
            f"metric(s) {', '.join(missing)} not in {results_dir}; it holds "
            f"{', '.join(results.metric_names)}"
        )
    _report(results, results_dir, metric)


def _compare(
    design: Design,
    metrics: Sequence[str] | None,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    report: bool,
    as_json: bool,
    precision: Precision | None = None,
) -> Results:
    """Run a design, print its comparison and, if asked, write its report."""
    out = _results_dir(design, out, report)
    with _locked(out):
        results = _run(design, out, workers, scheduler, precision)
        _show_comparison(results, metrics, out, as_json)
        if report and out is not None:
            _report(results, out, metrics, as_json)
    return results


def _report(
    results: Results, out: Path, metrics: Sequence[str] | None, as_json: bool = False
) -> None:
    """Write the report; say where on stdout (on stderr when stdout carries JSON)."""
    from salessim.experiments.report import write_report

    try:
        written = write_report(results, out, list(metrics) if metrics else None, _command())
    except OSError as error:
        raise cannot_write("report", out, error) from None
    console = stderr if as_json else Console(soft_wrap=True)  # a path stays on one line
    console.print(f"report in {written.html} (summary {written.markdown.name})", highlight=False)


def _command() -> str:
    return shlex.join(["salessim", *sys.argv[1:]])


def _advise(results: Results, metric: Sequence[str] | None, half_width: float) -> None:
    """Per metric and arm, the replications for a CI of +-half_width x the reference mean."""
    from salessim.experiments.summary import advice
    from salessim.report.format import percent

    console = Console()
    for name, arm, needed in advice(results, list(metric) if metric else None, half_width):
        console.print(
            f"{name}, {arm}: {needed} replications for +-{percent(half_width)} of the "
            "reference's mean",
            highlight=False,
        )


def _precision(
    share: float | None, metrics: Sequence[str] | None, replications: int
) -> Precision | None:
    """The precision rule asked for: on the chosen metrics, or the verdict's."""
    if share is None:
        return None
    from salessim.experiments.precision import Precision
    from salessim.experiments.verdict import VERDICT_METRICS

    try:
        return Precision(share, tuple(metrics or VERDICT_METRICS), replications)
    except ValueError as error:
        raise refuse(f"--precision {share:g}: {error}") from None


def _shocked(arms: list[Arm], shocks: list[str] | None, years: float | None) -> list[Arm]:
    """Every arm with every ``--shock`` among its scripted events."""
    if not shocks:
        return arms
    import datetime as dt

    from salessim.experiments.shocks import ShockError, parse_shock, with_shock
    from salessim.scenario.units import DAYS_PER_YEAR

    shocked = []
    for arm in arms:
        scenario = arm.scenario
        dates = scenario.calendar
        length = dates.horizon if years is None else years * DAYS_PER_YEAR
        end = dates.start_date + dt.timedelta(days=int(dates.warmup + length))
        for text in shocks:
            try:
                scenario = with_shock(scenario, parse_shock(text), end)
            except ShockError as error:
                raise refuse(f"--shock {text}: {error}") from None
        shocked.append(Arm(arm.name, scenario))
    return shocked


def _warmed(arms: list[Arm], warmup: str | None) -> list[Arm]:
    """The arms with their warm-up set to ``warmup`` (unchanged when None)."""
    if warmup is None:
        return arms
    try:
        return [Arm(a.name, apply_overrides(a.scenario, {"calendar.warmup": warmup})) for a in arms]
    except ScenarioError as error:
        raise refuse(f"--warmup {warmup}: {error.problems[0].message}") from None


def _design(
    arms: list[Arm],
    replications: int,
    seed: int,
    years: float | None,
    metric: Sequence[str] | None,
    kind: str = "compare",
    parameters: Sequence[tuple[str, list[str]]] = (),
) -> Design:
    _check_metrics(metric)
    try:
        return Design(arms, replications, seed, years, metric, kind, parameters)
    except ValueError as error:
        raise refuse(str(error)) from None


def _results_dir(design: Design, out: Path | None, report: bool) -> Path | None:
    """Where results go: ``out``, or for a report without it a directory named by the design."""
    if out is None and report:
        digest = hashlib.sha256(json.dumps(design.manifest()["design"]).encode()).hexdigest()
        return Path("results") / f"{design.kind}-{digest[:8]}"
    return out


@contextmanager
def _locked(out: Path | None) -> Iterator[None]:
    """Hold ``out``'s lock (made if missing) while a command writes it; refuse if held."""
    if out is None:
        yield
        return
    from salessim.experiments.lock import DirectoryLock, LockHeldError

    lock = DirectoryLock(out, _command())
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except LockHeldError as error:
        raise refuse(str(error)) from None
    except OSError as error:
        raise cannot_write("--out", out, error) from None
    try:
        if lock.stale is not None:
            stderr.print(f"{out}: {lock.stale.stale_note()}", markup=False, highlight=False)
        yield
    finally:
        lock.release()


def _interrupted(out: Path | None) -> NoReturn:
    """Say what an interrupted run kept, and exit 130."""
    kept = (
        f"finished replications are kept in {out}; run the same command again to resume"
        if out is not None
        else "nothing was kept (--out DIR keeps results as they finish)"
    )
    stderr.print(f"interrupted: {kept}", markup=False, highlight=False)
    raise typer.Exit(code=130) from None


def _run(
    design: Design,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    precision: Precision | None = None,
) -> Results:
    """Run a design, keeping results in ``out`` (whose lock the caller holds).

    Under a precision rule the replications run in batches until the rule is met; without
    ``out`` they are kept in a temporary directory meanwhile, so no batch runs twice.
    """
    import tempfile

    from salessim.experiments.runner import run as run_design

    rule = precision.record(None, False, None) if precision is not None else None
    manifest = design.manifest() | {"commands": [_command()], "precision": rule}
    scratch = tempfile.TemporaryDirectory() if out is None and precision is not None else None
    where = out if scratch is None else Path(scratch.name)
    try:
        store = _open_store(where, manifest, out)
        with _executor(workers, scheduler) as executor, progress_bar("Replications") as progress:
            if precision is None or store is None:
                results = run_design(design, executor=executor, store=store, progress=progress)
            else:
                results = _to_precision(design, precision, executor, store, progress)
        if store is not None and scratch is None:
            store.write_parquet()
    except KeyboardInterrupt:
        _interrupted(out)
    except OSError as error:  # the directory went read-only, full or away during the run
        raise cannot_write("--out", where, error) from None
    except PydanticSerializationError as error:
        if "KeyboardInterrupt" not in str(error):
            raise
        _interrupted(out)  # Ctrl-C while pydantic's compiled code was writing JSON
    finally:
        if scratch is not None:
            scratch.cleanup()
    for failure in results.failures:
        stderr.print(
            f"replication {failure['replication']} of {failure['arm']} failed: {failure['error']}",
            markup=False,
        )
    if results.failures and not results.metric_names:
        raise refuse("every replication failed; there is nothing to compare")
    return results


def _open_store(where: Path | None, manifest: dict[str, Any], out: Path | None) -> Store | None:
    """The store in ``where`` (None: no store), its torn rows cut and reported."""
    from salessim.experiments.store import Store

    if where is None:
        return None
    try:
        store = Store(where, manifest)
        notes = store.repair().notes(where, store.seed_of, resuming=True)
    except ScenarioError as error:
        raise fail(error) from None
    except ValueError as error:
        raise refuse(str(error)) from None
    except OSError as error:
        raise cannot_write("--out", out, error) from None
    for line in notes:
        stderr.print(line, markup=False, highlight=False)
    return store


def _to_precision(
    design: Design, precision: Precision, executor: Any, store: Any, progress: Any
) -> Results:
    """Run look by look until the precision rule is met; the store keeps what each look ran."""
    from dataclasses import replace

    from salessim.experiments.precision import run_to_precision
    from salessim.experiments.runner import run as run_design

    finished = 0

    def counted(done: int, total: int) -> None:
        progress(finished + done, finished + total)

    def upto(n: int) -> Results:
        nonlocal finished
        store.note(replications=n)
        results = run_design(
            replace(design, replications=n), executor=executor, store=store, progress=counted
        )
        finished = len(store.completed())
        return results

    results = run_to_precision(precision, upto)
    store.note(replications=results.design.replications, precision=results.precision)
    return results


def _show_comparison(
    results: Results, metric: Sequence[str] | None, out: Path | None, as_json: bool
) -> None:
    """The verdict first, then the comparison table (or both as JSON, raw numbers)."""
    from salessim.experiments.precision import describe
    from salessim.experiments.summary import comparison_rows, comparison_table, verdict_table
    from salessim.experiments.verdict import verdicts

    chosen = list(metric) if metric else None
    found = verdicts(results)
    if as_json:
        rows = comparison_rows(results, chosen)
        print(
            json.dumps(
                {
                    "manifest": results.design.manifest(),
                    "precision": results.precision,
                    "verdict": [verdict.as_json() for verdict in found],
                    "comparison": rows,
                }
            )
        )
        return
    console = wide_console()
    if found:
        console.print(verdict_table(found))
        for verdict in found:
            console.print(verdict.sentence(), highlight=False, markup=False)
    if results.precision:
        console.print(describe(results.precision), highlight=False, markup=False)
    console.print()
    console.print(comparison_table(results, chosen))
    if out is not None:
        Console(soft_wrap=True).print(f"[dim]results in {out}/results.csv[/dim]", highlight=False)


def _parameters(texts: list[str]) -> list[tuple[str, list[str]]]:
    from salessim.experiments.grids import parse_parameter

    try:
        return [parse_parameter(text) for text in texts]
    except ValueError as error:
        raise refuse(f"--param {error}") from None


def _grid_arms(make: Any, base: Scenario, parameters: list[Any]) -> list[Arm]:
    try:
        return list(make(base, parameters))
    except ScenarioError as error:
        raise fail(error) from None
    except ValueError as error:
        raise refuse(str(error)) from None


def _file_arms(names: list[str], overrides: list[str] | None) -> list[Arm]:
    """An arm per scenario file, named by the file (with folders where names repeat)."""
    from salessim.experiments.naming import file_arm_names

    loaded = [load_or_exit(name, overrides) for name in names]
    try:
        arm_names = file_arm_names([path for path, _ in loaded])
    except ValueError as error:
        raise refuse(str(error)) from None
    return [Arm(name, scenario) for name, (_, scenario) in zip(arm_names, loaded, strict=True)]


def _variant(base: Scenario, spec: str) -> Arm:
    """``NAME:KEY=VALUE[,KEY=VALUE]`` -> an arm of ``base`` with those overrides."""
    name, _, changes = spec.partition(":")
    if not name or not changes:
        raise refuse(f"--arm {spec!r}: expected NAME:KEY=VALUE[,KEY=VALUE]")
    try:
        return Arm(name, apply_overrides(base, changes.split(",")))
    except ScenarioError as error:
        raise fail(error) from None


def _check_metrics(metrics: Sequence[str] | None) -> None:
    """Refuse a name that is no KPI; a stage's conversion is checked against each arm later."""
    from salessim.metrics.kpis import KPI_DEFINITIONS, STAGE_CONVERSION

    unknown = [
        m for m in metrics or [] if m not in KPI_DEFINITIONS and not m.startswith(STAGE_CONVERSION)
    ]
    if unknown:
        raise refuse(f"unknown metric(s) {', '.join(unknown)}; see docs/model.md for the KPI names")


@contextmanager
def _executor(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A dask cluster's executor, a process pool over ``workers`` cores, or None (serial)."""
    if scheduler is not None:
        from salessim.experiments.cluster import ClusterError, dask_executor

        try:
            with dask_executor(scheduler) as executor:
                yield executor
        except ClusterError as error:
            raise refuse(str(error)) from None
        return
    if workers == 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_parent)
    try:
        yield pool
    except BaseException:  # interrupted or failed: drop the queued replications at once
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _leave_interrupts_to_parent() -> None:
    """In a pool worker: Ctrl-C is handled by the command, not by each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
