"""Comparison summaries: each arm against the reference, metric by metric, with 95% CIs.

:func:`comparison_rows` is plain data any front end can lay out (and ``--json`` prints,
raw numbers); :func:`shown_rows` writes its figures as a reader reads them (through
``report.format``), and :func:`comparison_table` lays those out with rich.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

from rich.markup import escape
from rich.table import Table

from salessim.experiments.runner import Results
from salessim.experiments.stats import chance_best, paired_difference, replications_for
from salessim.experiments.verdict import HEADINGS, RETURN_HEADING, VERDICT_METRICS, ArmVerdict
from salessim.metrics.kinds import Better, better
from salessim.report.format import kpi_estimate, kpi_value, label, percent, relative

DEFAULT_METRICS = (
    "contribution",
    "bookings_new_arr",
    "bookings_expansion_arr",
    "ending_arr",
    "win_rate",
    "grr",
    "nrr",
    "comp_cost",
    "cost_of_sales",
    "attrition_rate_ae",
)


def chosen_metrics(results: Results, metrics: list[str] | None) -> list[str]:
    """The metrics asked for, or the default ones the results hold."""
    return metrics or [m for m in DEFAULT_METRICS if m in results.metric_names]


def comparison_rows(results: Results, metrics: list[str] | None = None) -> list[dict[str, Any]]:
    """Per metric and arm: mean, and against the reference its difference, CI and chance best.

    The chance best follows the metric's direction (``metrics.kinds``); it is ``None`` for
    a metric no direction fits.
    """
    names = chosen_metrics(results, metrics)
    reference = results.design.arms[0].name
    rows = []
    for name in names:
        by_arm = results.metric(name)
        direction = better(name)
        best = (
            chance_best(by_arm, lower_is_better=direction is Better.LOWER)
            if direction is not Better.NEITHER
            else dict.fromkeys(by_arm)
        )
        for arm, values in by_arm.items():
            finite = [v for v in values if math.isfinite(v)]
            row: dict[str, Any] = {
                "metric": name,
                "arm": arm,
                "n": len(finite),
                "mean": statistics.fmean(finite) if finite else None,
                "chance_best": best[arm],
            }
            if arm != reference:
                diff = paired_difference(values, by_arm[reference], df=results.interval_df)
                row |= {
                    "difference": diff.mean,
                    "ci_low": diff.low,
                    "ci_high": diff.high,
                    "relative": diff.relative,
                }
            rows.append({key: _plain(value) for key, value in row.items()})
    return rows


def shown_rows(rows: list[dict[str, Any]], reference: str) -> list[dict[str, Any]]:
    """The comparison rows as text, each figure in its metric's unit, ready to lay out."""
    shown = []
    for row in rows:
        name = row["metric"]
        difference = ""
        significant = False
        if row.get("difference") is not None:
            low, high = row["ci_low"], row["ci_high"]
            difference = kpi_estimate(name, row["difference"], low, high)
            significant = low is not None and high is not None and (low > 0 or high < 0)
        best = row.get("chance_best")
        shown.append(
            {
                "metric": name,
                "label": label(name),
                "first": row["arm"] == reference,
                "arm": row["arm"],
                "mean": kpi_value(name, row["mean"]),
                "difference": difference,
                "relative": relative(row["relative"]) if row.get("relative") is not None else "",
                "best": percent(best, 0) if best is not None else "",
                "significant": significant,
            }
        )
    return shown


def advice(
    results: Results, metrics: list[str] | None, half_width: float
) -> list[tuple[str, str, int]]:
    """(metric, arm, replications) for a difference CI of +-``half_width`` x the reference mean.

    Estimated from the spread of the paired differences seen so far.
    """
    names = chosen_metrics(results, metrics)
    reference = results.design.arms[0].name
    advised = []
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
                advised.append((name, arm, replications_for(diffs, width)))
    return advised


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def comparison_table(results: Results, metrics: list[str] | None = None) -> Table:
    """A rich table: one block per metric, one row per arm."""
    design = results.design
    reference = design.arms[0].name
    table = Table(
        title=f"{len(design.arms)} arms x {design.replications} paired replications "
        f"(seed {design.seed}); differences against {reference}, 95% CI",
        header_style="bold",
    )
    for column in ("Metric", "Arm", "Mean", "Difference [95% CI]", "Relative", "Chance best"):
        table.add_column(column, justify="left" if column in ("Metric", "Arm") else "right")
    rows = shown_rows(comparison_rows(results, metrics), reference)
    for i, row in enumerate(rows):
        last = i + 1 == len(rows) or rows[i + 1]["metric"] != row["metric"]
        table.add_row(
            row["label"] if row["first"] else "",
            escape(row["arm"]),
            row["mean"],
            escape(row["difference"] + (" *" if row["significant"] else "")),
            row["relative"],
            row["best"],
            end_section=last,
        )
    table.caption = (
        "* the CI excludes zero. Shares change in points (pts). Chance best: share of "
        "replications an arm wins."
    )
    return table


def verdict_table(found: list[ArmVerdict]) -> Table:
    """The verdict as a rich table, one row per arm, its sentences beneath."""
    reference = found[0].reference
    table = Table(
        title=f"Verdict against {reference} (paired, 95% CI)", header_style="bold", show_lines=True
    )
    table.add_column("Arm")
    for metric in VERDICT_METRICS:
        table.add_column(HEADINGS[metric], justify="right")
    table.add_column(RETURN_HEADING, justify="right")
    table.add_column("Call")
    for verdict in found:
        cells = [verdict.cell(metric) for metric in VERDICT_METRICS] + [verdict.return_cell()]
        table.add_row(
            escape(verdict.arm),
            *(escape(cell.replace(" [", "\n[", 1)) for cell in cells),  # the interval beneath
            verdict.call.value,
        )
    table.caption = (
        "Contribution: revenue - people spend + the book and pipeline left at the end. "
        "Adopt or reject when its interval excludes zero."
    )
    return table
