"""``salessim sweep``: one or two parameters over a grid, each point against the first."""

from __future__ import annotations

from typing import Annotated

import typer

from salessim.cli.common import (
    JsonOption,
    MetricsOption,
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
    refuse,
)
from salessim.cli.compare import run_and_compare
from salessim.cli.designs import checked_design, grid_arms, parsed_parameters, warmed


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

    parameters = parsed_parameters(param)
    if len(parameters) > 2:
        raise refuse("a sweep takes one or two --param; use an experiment file for more")
    _, base = load_or_exit(scenario, overrides)
    arms = warmed(grid_arms(sweep_arms, base, parameters), warmup)
    design = checked_design(arms, replications, seed, years, metric, "sweep", parameters)
    run_and_compare(design, metric, out, workers, scheduler, report, as_json)
