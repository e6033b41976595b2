"""``salessim report``: the report of results already on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from salessim.cli.common import MetricsOption, app, fail, refuse, stderr
from salessim.cli.designs import check_metrics
from salessim.cli.replications import write_report_to
from salessim.scenario.load import ScenarioError


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

    check_metrics(metric)
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
    write_report_to(results, results_dir, metric)
