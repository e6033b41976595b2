"""Comparing arms over paired replications: ``salessim compare`` and ``salessim experiment``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from salessim.cli.common import (
    JsonOption,
    MetricsOption,
    OutOption,
    ReplicationsOption,
    ReportOption,
    SchedulerOption,
    SeedOption,
    SetOption,
    WarmupOption,
    WorkersOption,
    YearsOption,
    app,
    fail,
    load_or_exit,
    path_option,
    refuse,
    wide_console,
)
from salessim.cli.designs import check_metrics, checked_design, warmed
from salessim.cli.replications import locked, results_dir_for, run_replications, write_report_to
from salessim.experiments.runner import Arm, Design, Results
from salessim.scenario.load import ScenarioError, apply_overrides
from salessim.scenario.schema import Scenario

if TYPE_CHECKING:
    from salessim.experiments.precision import Precision

ShockOption = Annotated[
    list[str] | None,
    typer.Option(
        "--shock",
        metavar="KIND:DATE[:DURATION][:FACTOR]",
        help="A scripted event laid over every arm (repeatable), e.g. "
        "--shock market_dip:2027-04-01:6mo:0.7 (see docs/experiments.md).",
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
    arms = _shocked(warmed(arms, warmup), shock, years)
    design = checked_design(arms, replications, seed, years, metric)
    rule = _precision(precision, metric, replications)
    results = run_and_compare(design, metric, out, workers, scheduler, report, as_json, rule)
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
    check_metrics(spec.metrics)
    design = replace(design, arms=warmed(list(design.arms), warmup))
    out = out or Path("results") / file.stem
    run_and_compare(design, spec.metrics, out, workers, scheduler, report, as_json)


def run_and_compare(
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
    out = results_dir_for(design, out, report)
    with locked(out):
        results = run_replications(design, out, workers, scheduler, precision)
        _show_comparison(results, metrics, out, as_json)
        if report and out is not None:
            write_report_to(results, out, metrics, as_json)
    return results


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
