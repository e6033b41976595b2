"""``salessim sensitivity``: one parameter at a time, the bars of a tornado chart."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from salessim.cli.common import (
    OutOption,
    ParamOption,
    ReplicationsOption,
    ReportOption,
    SchedulerOption,
    SeedOption,
    SetOption,
    WarmupOption,
    WorkersOption,
    YearsOption,
    app,
    load_or_exit,
    wide_console,
)
from salessim.cli.designs import checked_design, grid_arms, parsed_parameters, warmed
from salessim.cli.replications import locked, results_dir_for, run_replications, write_report_to


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

    parameters = parsed_parameters(param)
    _, base = load_or_exit(scenario, overrides)
    arms = warmed(grid_arms(sensitivity_arms, base, parameters), warmup)
    design = checked_design(arms, replications, seed, years, [metric], "sensitivity", parameters)
    out = results_dir_for(design, out, report)
    with locked(out):
        results = run_replications(design, out, workers, scheduler)
        if report and out is not None:
            write_report_to(results, out, [metric], as_json)
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
