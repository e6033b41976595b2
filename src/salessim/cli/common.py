"""What every command shares: the app, error exits, scenario loading, progress bars, options."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from salessim import __version__
from salessim.model.engine import Progress as ProgressCallback
from salessim.report.format import printable
from salessim.scenario.bundled import resolve_scenario
from salessim.scenario.limits import MAX_REPLICATIONS, MAX_SEED, MAX_WORKERS, MAX_YEARS
from salessim.scenario.load import ScenarioError, load_scenario
from salessim.scenario.reading import name_problem
from salessim.scenario.schema import Scenario

app = typer.Typer(
    help="salessim: simulate a B2B sales organisation, compare policies, practise managing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True, soft_wrap=True, emoji=False)  # ":100:" is a line number
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


def finite(value: float | None) -> float | None:
    """Option callback: refuse ``nan`` (a range check lets it through) as a bad value."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number.")
    return value


def path_option(value: Path | None) -> Path | None:
    """Option callback: refuse a path the file system cannot take (too long, say)."""
    if value is not None and (problem := name_problem(value)) is not None:
        raise typer.BadParameter(f"{problem}.")
    return value


SeedOption = Annotated[
    int, typer.Option(min=0, max=MAX_SEED, help="Root random seed (0 to 2^63 - 1).")
]
YearsOption = Annotated[
    float | None,
    typer.Option(
        min=0.01,
        max=MAX_YEARS,
        callback=finite,
        help=f"Simulate this many years after warm-up (at most {MAX_YEARS:g}) instead of "
        "the horizon.",
    ),
]

# The options of the commands over many replications (compare, experiment, sweep, ...).
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
ParamOption = Annotated[
    list[str],
    typer.Option(
        "--param",
        "-p",
        metavar="KEY=VALUE,VALUE",
        help="A parameter and its values, e.g. --param roles.ae.headcount=18,20,22.",
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


def fail(error: ScenarioError) -> typer.Exit:
    """Print a scenario's problems, one per line, and return the exit to raise."""
    for line in str(error).splitlines():
        stderr.print(printable(line), markup=False, highlight=False)
    return typer.Exit(code=2)


def load_or_exit(name: str | None, overrides: list[str] | None) -> tuple[Path, Scenario]:
    """A scenario file or bundled name, loaded with overrides; its problems exit with 2."""
    try:
        path = resolve_scenario(name)
        return path, load_scenario(path, overrides or [])
    except ScenarioError as error:
        raise fail(error) from None


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback]:
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
        bar.update(task, completed=done, total=total)  # type: ignore[arg-type]

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


def refuse(message: str) -> typer.Exit:
    """Print a one-line error and return the exit (code 2) to raise."""
    stderr.print(printable(message), markup=False, highlight=False)
    return typer.Exit(code=2)


def cannot_write(option: str, target: Path | None, error: OSError) -> typer.Exit:
    """Refuse a write that failed, naming the option, the file it failed on and why."""
    where = error.filename if error.filename is not None else target
    if target is not None:
        if isinstance(error, FileExistsError | NotADirectoryError) and target.is_file():
            return refuse(f"{option}: {target} is a file; give a directory")
        if isinstance(error, IsADirectoryError) and where is not None and Path(where) == target:
            return refuse(f"{option}: {target} is a directory; give a file name")
    return refuse(f"{option}: cannot write to {where}: {error.strerror or error}")


def wide_console() -> Console:
    """A console at least STATEMENT_WIDTH wide, so piped tables keep a row on a line."""
    return Console(width=max(STATEMENT_WIDTH, Console().width))
