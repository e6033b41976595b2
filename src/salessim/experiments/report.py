"""The report of an experiment: one self-contained HTML page, a Markdown summary, provenance.

Everything comes from the results directory: the comparison from ``results.csv``, the
charts over time from ``series.jsonl``, the provenance from ``experiment.json``. The
HTML page inlines its SVG charts and its style, so it opens anywhere with no network.
The page opens with the verdict (``verdict``), then how many replications a precision
run needed, the arms with their scripted events and each arm's pay plans on a page
(``report.plans``), the comparison, the charts and the warm-up check (``warmup``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import math
import platform
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from salessim import __version__
from salessim.experiments import grids
from salessim.experiments.markdown import markdown
from salessim.experiments.precision import describe
from salessim.experiments.profiles import ATTAINMENT_EDGES, ArmProfile, profiles
from salessim.experiments.runner import Results
from salessim.experiments.seeds import replication_seed
from salessim.experiments.shocks import describe_event
from salessim.experiments.stats import mean_interval
from salessim.experiments.store import Store
from salessim.experiments.summary import chosen_metrics, comparison_rows, shown_rows
from salessim.experiments.verdict import (
    HEADINGS,
    RETURN_HEADING,
    VERDICT_METRICS,
    ArmVerdict,
    verdicts,
)
from salessim.experiments.warmup import WarmupCheck, warmup_check
from salessim.model.calendar import Calendar
from salessim.report.format import kpi_change, label, money, percent
from salessim.report.plans import ATTAINMENTS, plan_summaries
from salessim.report.plots import comparison as charts
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_YEAR

TEMPLATE = "report.html.j2"
MAP_METRIC = "contribution"  # a sweep's heat map shows it unless a metric is chosen


@dataclass(frozen=True)
class ReportFiles:
    """The files a report writes."""

    html: Path
    markdown: Path
    provenance: Path


@dataclass(frozen=True)
class Chart:
    """A chart with its heading and what to read from it."""

    title: str
    caption: str
    svg: str


def write_report(
    results: Results, directory: Path, metrics: list[str] | None, command: str
) -> ReportFiles:
    """Write ``report.html``, ``report.md`` and ``provenance.json`` into ``directory``."""
    store = Store.open(directory)
    design = results.design
    names = [m for m in chosen_metrics(results, metrics) if m in results.metric_names]
    rows = comparison_rows(results, names)
    arm_names = [arm.name for arm in design.arms]
    by_arm = profiles(store, arm_names)
    open_leads = by_arm[arm_names[0]].monthly_open_leads
    known = np.isfinite(open_leads.mean)
    warm = warmup_check(
        [float(v) for v in open_leads.mean[known]],
        [float(v) for v in open_leads.standard_error[known]],
        seasonal=_seasonal(design.arms[0].scenario),
    )
    provenance = _provenance(results, store, command)
    found = verdicts(results)
    context = {
        "title": _title(results),
        "reference": arm_names[0],
        "design": design,
        "verdict": _verdict_rows(found),
        "verdict_headings": [HEADINGS[m] for m in VERDICT_METRICS] + [RETURN_HEADING],
        "precision": describe(results.precision) if results.precision else None,
        "arms": _arm_rows(results, store),
        "plans": _plans(results),
        "attainments": [percent(a, 0) for a in ATTAINMENTS],
        "rows": shown_rows(rows, arm_names[0]),
        "charts": _charts(results, names, rows, by_arm, warm, metrics),
        "warmup": warm,
        "failures": results.failures,
        "provenance": provenance,
        "bars": _bars(results),
    }
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("salessim.experiments", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    html = directory / "report.html"
    html.write_text(environment.get_template(TEMPLATE).render(context))
    summary = directory / "report.md"
    summary.write_text(markdown(context))
    manifest = directory / "provenance.json"
    manifest.write_text(json.dumps(provenance, indent=2) + "\n")
    return ReportFiles(html, summary, manifest)


def _seasonal(scenario: Scenario) -> bool:
    """Whether inbound demand changes with the month of the year in any segment."""
    return any(
        len(set(segment.inbound.seasonality)) > 1 for segment in scenario.market.segments.values()
    )


def _verdict_rows(found: list[ArmVerdict]) -> list[dict[str, Any]]:
    """Each arm's verdict as text: its cells, call and sentence."""
    return [
        {
            "arm": verdict.arm,
            "cells": [verdict.cell(metric) for metric in VERDICT_METRICS],
            "per_dollar": verdict.return_cell(),
            "call": verdict.call.value,
            "sentence": verdict.sentence(),
        }
        for verdict in found
    ]


def _plans(results: Results) -> list[dict[str, Any]]:
    """Each arm's plans on a page: the reference's in full, the others' where they differ."""
    arms = results.design.arms
    reference = arms[0].scenario
    shown = []
    for i, arm in enumerate(arms):
        summaries = plan_summaries(arm.scenario, unlike=None if i == 0 else reference)
        if not arm.scenario.compensation.assign:
            continue
        shown.append(
            {
                "arm": arm.name,
                "reference": i == 0,
                "plans": [
                    {
                        "title": f"{s.role.upper() if len(s.role) <= 3 else label(s.role)}: "
                        f"{s.name}",
                        "terms": [line.strip().removeprefix("- ") for line in s.terms],
                        "one": [money(pay) for _, pay in s.pay],
                        "team": [money(pay) for _, pay in s.team_pay],
                        "headcount": s.headcount,
                        "left_out": s.left_out,
                    }
                    for s in summaries
                ],
            }
        )
    return shown


def _title(results: Results) -> str:
    design = results.design
    arms = [arm.name for arm in design.arms]
    if design.kind == "sweep":
        return "Sweep of " + " and ".join(key for key, _ in design.parameters)
    if design.kind == "sensitivity":
        return f"Sensitivity of {label(design.metrics[0]) if design.metrics else 'the KPIs'}"
    shown = ", ".join(arms[:4]) + (f" and {len(arms) - 4} more" if len(arms) > 4 else "")
    return f"Comparison of {shown}"


def _arm_rows(results: Results, store: Store) -> list[dict[str, Any]]:
    """Each arm with its scenario, hash, and replications finished and failed."""
    completed = store.completed()
    failed: dict[str, int] = {}
    for failure in results.failures:
        failed[failure["arm"]] = failed.get(failure["arm"], 0) + 1
    return [
        {
            "name": arm.name,
            "scenario": arm.scenario.meta.name,
            "digest": arm.digest,
            "finished": sum((arm.name, r) in completed for r in range(results.design.replications)),
            "failed": failed.get(arm.name, 0),
            "events": [describe_event(event) for event in arm.scenario.events],
        }
        for arm in results.design.arms
    ]


def _bars(results: Results) -> list[dict[str, str]]:
    """The tornado's bars as text, each change in the metric's unit."""
    design = results.design
    if design.kind != "sensitivity" or not design.metrics:
        return []
    metric = design.metrics[0]
    return [
        {
            "parameter": bar.parameter,
            "low_value": bar.low_value,
            "low": kpi_change(metric, bar.low),
            "high_value": bar.high_value,
            "high": kpi_change(metric, bar.high),
            "swing": kpi_change(metric, bar.swing).lstrip("+"),
        }
        for bar in grids.tornado(results, metric, design.parameters)
    ]


def _charts(
    results: Results,
    names: list[str],
    rows: list[dict[str, Any]],
    by_arm: dict[str, ArmProfile],
    warm: WarmupCheck,
    chosen: list[str] | None,
) -> list[Chart]:
    design = results.design
    reference = design.arms[0].name
    shown: list[Chart] = []
    if design.kind == "sensitivity" and design.metrics:
        metric = design.metrics[0]
        shown.append(
            Chart(
                "Tornado",
                f"How far each parameter moves the mean {label(metric)} from the base, "
                "at its low and its high value; the widest swing is on top. Green: the "
                "change is good news for the metric; red: bad.",
                charts.tornado(grids.tornado(results, metric, design.parameters), metric),
            )
        )
    if design.kind == "sweep" and names:
        shown.append(_sweep_chart(results, _map_metric(results, chosen, names)))
    if len(design.arms) > 1:
        shown.append(
            Chart(
                "Forest plot",
                "The mean paired difference of each arm from the reference, as a share of the "
                "reference's mean, with its 95% confidence interval. Green: better for that "
                "metric (more bookings, less cost or churn), red: worse, navy: changed where "
                "neither way is better; all three exclude zero. Grey: the data cannot tell "
                "the arms apart.",
                charts.forest(rows, reference),
            )
        )
    if names:
        shown.append(
            Chart(
                "Distributions over replications",
                "Each box spans the middle half of the replications, the whiskers 1.5 times "
                "that, the diamond is the mean. Wide boxes that overlap are why pairing and "
                "many replications matter.",
                charts.distributions({name: results.metric(name) for name in names}),
            )
        )
    if any(p.weekly_new_arr.count.size for p in by_arm.values()):
        shown.append(
            Chart(
                "New ARR by week",
                "Mean over replications; dashed lines are fiscal quarter ends. Spikes at "
                "quarter ends show deals timed to pay periods.",
                charts.weekly_bookings(
                    {arm: profile.weekly_new_arr.mean for arm, profile in by_arm.items()},
                    quarter_ends(design.arms[0].scenario, design.years),
                ),
            )
        )
    attained = charts.attainment(
        {arm: profile.attainment for arm, profile in by_arm.items()}, ATTAINMENT_EDGES
    )
    if attained is not None:
        shown.append(
            Chart(
                "Attainment",
                "How quota periods ended across all replications: the share of periods at each "
                "attainment. The dashed line is quota.",
                attained,
            )
        )
    if warm.months:
        settles = 0 if warm.trending else warm.settles
        open_leads = {arm: profile.monthly_open_leads.mean for arm, profile in by_arm.items()}
        shown.append(Chart("Warm-up check", warm.verdict, charts.warmup(open_leads, settles)))
    return shown


def quarter_ends(scenario: Scenario, years: float | None) -> list[tuple[float, str]]:
    """(day of the measured period, quarter) of each fiscal quarter end in it.

    The same month ends the model closes quarters at (``Calendar.closes``), so the marks
    fall where a run's own bookings chart puts them.
    """
    dates = scenario.calendar
    calendar = Calendar(dates.start_date, dates.fiscal_year_start_month)
    start = dates.warmup
    end = start + (dates.horizon if years is None else years * DAYS_PER_YEAR)
    ends = []
    index = 0
    while (day := calendar.month_start(index + 1)) <= end:
        quarter, _ = calendar.closes(index)
        if quarter is not None and day > start:
            ends.append((day - start, quarter))
        index += 1
    return ends


def _map_metric(results: Results, chosen: list[str] | None, names: list[str]) -> str:
    """The metric a sweep's chart shows: the first chosen, else contribution when known."""
    if chosen:
        return chosen[0]
    if MAP_METRIC in results.metric_names and any(
        math.isfinite(v) for values in results.metric(MAP_METRIC).values() for v in values
    ):
        return MAP_METRIC
    return names[0]


def _sweep_chart(results: Results, metric: str) -> Chart:
    parameters = list(results.design.parameters)
    points = grids.sweep_points(parameters)
    values = results.metric(metric)
    if len(parameters) == 1:
        key, _ = parameters[0]
        return Chart(
            f"{label(metric)} across {key}",
            "The mean at each value with its 95% confidence interval.",
            charts.sweep_line(
                [point[0] for _, point in points],
                [mean_interval(values[name]) for name, _ in points],
                key,
                metric,
            ),
        )
    (first, first_values), (second, second_values) = parameters
    means = {name: _mean(values[name]) for name, _ in points}
    grid = [[means[name] for name, point in points if point[0] == row] for row in first_values]
    short = grids.labels([first, second])
    return Chart(
        f"{label(metric)} over the grid",
        f"The mean at each point of the grid: {short[first]} is {first}, "
        f"{short[second]} is {second}.",
        charts.heat_map(grid, first_values, second_values, [short[first], short[second]], metric),
    )


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return statistics.fmean(finite) if finite else math.nan


def _provenance(results: Results, store: Store, command: str) -> dict[str, Any]:
    design = results.design
    files = {}
    for name in ("results.csv", "series.jsonl", "failures.csv"):
        path = store.directory / name
        if path.exists():
            with path.open("rb") as handle:  # a chunk at a time: results can be large
                files[name] = hashlib.file_digest(handle, "sha256").hexdigest()
    return {
        "salessim": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "simpy": _version_of("simpy"),
        "platform": platform.platform(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "report_command": command,
        "run_commands": store.manifest.get("commands", []),
        "design": store.manifest["design"],
        "arms": [
            {"name": arm.name, "scenario": arm.scenario.meta.name, "sha256_16": arm.digest}
            for arm in design.arms
        ],
        "replications": design.replications,
        "failures": len(results.failures),
        "seeds": {
            "root": design.seed,
            "rule": "replication r of every arm runs on SeedSequence([root, r]).generate_state(1)",
            "replications": [replication_seed(design.seed, r) for r in range(design.replications)],
        },
        "files_sha256": files,
    }


def _version_of(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None
