"""The report of an experiment: one self-contained HTML page, a Markdown summary, provenance.

Everything comes from the results directory: the comparison from ``results.csv``, the
charts over time from ``series.jsonl``, the provenance from ``experiment.json``. The
HTML page inlines its SVG charts and its style, so it opens anywhere with no network.
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
from salessim.experiments.profiles import ATTAINMENT_EDGES, ArmProfile, profiles
from salessim.experiments.runner import Results, replication_seed
from salessim.experiments.stats import mean_interval, mser_truncation
from salessim.experiments.store import Store
from salessim.experiments.summary import DEFAULT_METRICS, comparison_rows, figure
from salessim.report.format import label
from salessim.report.plots import comparison as charts

TEMPLATE = "report.html.j2"
SETTLED_SHARE = 0.02  # a month within 2% of the settled level counts as settled


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


@dataclass(frozen=True)
class WarmupCheck:
    """Whether the measured period starts settled, judged on the reference's mean open leads.

    MSER finds where the series can be taken as settled (``cut``); the transient ends at
    the first month within ``SETTLED_SHARE`` of the settled level (``settles``).
    """

    months: int
    cut: int
    settles: int
    drift: float  # the first measured month against the settled level, relative

    @property
    def trending(self) -> bool:
        """No settled level reached in the first half of the horizon."""
        return self.settles >= self.months // 2

    @property
    def verdict(self) -> str:
        """One sentence for the reader."""
        if self.months < 4:
            return "Too few measured months to check the warm-up."
        if self.trending:
            return (
                "Open leads keep changing through the horizon (growth, or a long transient): "
                "there is no settled level to judge the warm-up by."
            )
        if self.settles == 0:
            return "The warm-up looks long enough: open leads are settled from the first month."
        return (
            f"Open leads settle only after {self.settles} measured month(s) (the first month is "
            f"{self.drift:+.0%} from the settled level): lengthen the warm-up by about "
            f"{self.settles} month(s) with --warmup."
        )


def warmup_check(series: list[float]) -> WarmupCheck:
    """The warm-up check of one monthly series."""
    if len(series) < 4:
        return WarmupCheck(len(series), 0, 0, 0.0)
    cut = mser_truncation(series)
    settled = statistics.fmean(series[cut:])
    band = SETTLED_SHARE * abs(settled)
    settles = next((i for i, v in enumerate(series[: cut + 1]) if abs(v - settled) <= band), cut)
    drift = (series[0] - settled) / settled if settled else 0.0
    return WarmupCheck(len(series), cut, settles, drift)


def write_report(
    results: Results, directory: Path, metrics: list[str] | None, command: str
) -> ReportFiles:
    """Write ``report.html``, ``report.md`` and ``provenance.json`` into ``directory``."""
    store = Store.open(directory)
    design = results.design
    names = metrics or [m for m in DEFAULT_METRICS if m in results.metric_names]
    names = [m for m in names if m in results.metric_names]
    rows = comparison_rows(results, names)
    arm_names = [arm.name for arm in design.arms]
    by_arm = profiles(store, arm_names)
    opening = by_arm[arm_names[0]].monthly_open_leads.mean
    warm = warmup_check([float(v) for v in opening if math.isfinite(v)])
    provenance = _provenance(results, store, command)
    charts_shown = _charts(results, names, rows, by_arm, warm)
    context = {
        "title": _title(results),
        "reference": arm_names[0],
        "design": design,
        "arms": _arm_rows(results, store),
        "rows": _table(rows, arm_names[0]),
        "charts": charts_shown,
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
    markdown = directory / "report.md"
    markdown.write_text(_markdown(context))
    manifest = directory / "provenance.json"
    manifest.write_text(json.dumps(provenance, indent=2) + "\n")
    return ReportFiles(html, markdown, manifest)


def _table(rows: list[dict[str, Any]], reference: str) -> list[dict[str, Any]]:
    """The comparison rows as text, ready to lay out."""
    shown = []
    for row in rows:
        difference = relative = ""
        significant = False
        if row.get("difference") is not None:
            low, high = row["ci_low"], row["ci_high"]
            difference = f"{figure(row['difference'])} [{figure(low)}, {figure(high)}]"
            significant = low is not None and high is not None and (low > 0 or high < 0)
        if row.get("relative") is not None:
            relative = f"{row['relative']:+.1%}"
        best = row.get("chance_best")
        shown.append(
            {
                "metric": row["metric"],
                "label": label(row["metric"]),
                "first": row["arm"] == reference,
                "arm": row["arm"],
                "mean": figure(row["mean"]),
                "difference": difference,
                "relative": relative,
                "best": f"{best:.0%}" if best is not None else "",
                "significant": significant,
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
        }
        for arm in results.design.arms
    ]


def _bars(results: Results) -> list[grids.Bar]:
    design = results.design
    if design.kind != "sensitivity" or not design.metrics:
        return []
    return grids.tornado(results, design.metrics[0], design.parameters)


def _charts(
    results: Results,
    names: list[str],
    rows: list[dict[str, Any]],
    by_arm: dict[str, ArmProfile],
    warm: WarmupCheck,
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
                "at its low and its high value; the widest swing is on top.",
                charts.tornado(_bars(results), metric),
            )
        )
    if design.kind == "sweep" and names:
        shown.append(_sweep_chart(results, names[0]))
    if len(design.arms) > 1:
        shown.append(
            Chart(
                "Forest plot",
                "The mean paired difference of each arm from the reference, as a share of the "
                "reference's mean, with its 95% confidence interval. Dark: the interval "
                "excludes zero. Grey: the data cannot tell the arms apart.",
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
                "Mean over replications. Spikes at quarter ends show deals timed to pay periods.",
                charts.weekly_bookings(
                    {arm: profile.weekly_new_arr.mean for arm, profile in by_arm.items()}
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
            files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
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


def _markdown(context: dict[str, Any]) -> str:
    """The report's numbers as Markdown: the comparison, any tornado, the warm-up verdict."""
    provenance = context["provenance"]
    design = context["design"]
    lines = [
        f"# {context['title']}",
        "",
        f"salessim {provenance['salessim']} · {design.replications} paired replications per arm "
        f"· root seed {design.seed} · {provenance['created']}",
        "",
        "| Arm | Scenario | Hash | Finished | Failed |",
        "|---|---|---|---:|---:|",
    ]
    lines += [
        f"| {a['name']} | {a['scenario']} | `{a['digest']}` | {a['finished']} | {a['failed']} |"
        for a in context["arms"]
    ]
    lines += [
        "",
        f"## Differences against {context['reference']} (95% CI)",
        "",
        "| Metric | Arm | Mean | Difference [95% CI] | Relative | Chance best |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in context["rows"]:
        mark = " *" if row["significant"] else ""
        lines.append(
            f"| {row['metric']} | {row['arm']} | {row['mean']} | {row['difference']}{mark} "
            f"| {row['relative']} | {row['best']} |"
        )
    lines += ["", "\\* the 95% CI excludes zero."]
    if context["bars"]:
        lines += ["", "## Tornado", "", "| Parameter | Low | Effect | High | Effect |"]
        lines.append("|---|---|---:|---|---:|")
        lines += [
            f"| {b.parameter} | {b.low_value} | {b.low:+,.4g} | {b.high_value} | {b.high:+,.4g} |"
            for b in context["bars"]
        ]
    lines += ["", "## Warm-up", "", context["warmup"].verdict, ""]
    if context["failures"]:
        lines += [f"{len(context['failures'])} replication(s) failed; see failures.csv.", ""]
    lines += ["Run with: `" + "`, `".join(provenance["run_commands"]) + "`", ""]
    return "\n".join(lines)
