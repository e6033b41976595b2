"""Comparison summaries: each arm against the reference, metric by metric, with 95% CIs.

:func:`comparison_rows` is plain data any front end can lay out (and ``--json`` prints);
:func:`comparison_table` lays it out with rich.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

from rich.table import Table

from salessim.experiments.runner import Results
from salessim.experiments.stats import chance_best, paired_difference, replications_for

DEFAULT_METRICS = (
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
LOWER_IS_BETTER = frozenset(
    {"comp_cost", "cost_of_sales", "churned_arr", "leads_gone_cold", "attrition_rate_ae"}
)


def comparison_rows(results: Results, metrics: list[str] | None = None) -> list[dict[str, Any]]:
    """Per metric and arm: mean, and against the reference its difference, CI and chance best."""
    names = metrics or [m for m in DEFAULT_METRICS if m in results.metric_names]
    reference = results.design.arms[0].name
    rows = []
    for name in names:
        by_arm = results.metric(name)
        best = chance_best(by_arm, lower_is_better=name in LOWER_IS_BETTER)
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
                diff = paired_difference(values, by_arm[reference])
                row |= {
                    "difference": diff.mean,
                    "ci_low": diff.low,
                    "ci_high": diff.high,
                    "relative": diff.relative,
                }
            rows.append({key: _plain(value) for key, value in row.items()})
    return rows


def advice(
    results: Results, metrics: list[str] | None, half_width: float
) -> list[tuple[str, str, int]]:
    """(metric, arm, replications) for a difference CI of +-``half_width`` x the reference mean.

    Estimated from the spread of the paired differences seen so far.
    """
    names = metrics or [m for m in DEFAULT_METRICS if m in results.metric_names]
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


def figure(value: float | None) -> str:
    """A number for the table: whole above 100, else three significant digits."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


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
    rows = comparison_rows(results, metrics)
    for i, row in enumerate(rows):
        last = i + 1 == len(rows) or rows[i + 1]["metric"] != row["metric"]
        difference = relative = ""
        if row["arm"] != reference and row.get("difference") is not None:
            marker = " *" if (row["ci_low"] or 0) > 0 or (row["ci_high"] or 0) < 0 else ""
            difference = (
                f"{figure(row['difference'])} [{figure(row['ci_low'])}, "
                f"{figure(row['ci_high'])}]{marker}"
            )
            relative = f"{row['relative']:+.1%}" if row["relative"] is not None else ""
        best = row["chance_best"]
        table.add_row(
            row["metric"] if row["arm"] == reference else "",
            row["arm"],
            figure(row["mean"]),
            difference,
            relative,
            f"{best:.0%}" if best is not None else "",
            end_section=last,
        )
    table.caption = "* the CI excludes zero. Chance best: share of replications an arm wins."
    return table
