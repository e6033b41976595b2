"""Charts of an experiment's report, as inline SVG: how the arms compare.

Forest plot, distributions, bookings by week, attainment, the warm-up check, sweeps and
the tornado. The charts take plain data (numbers, arrays and names), which the
experiments layer computes, so nothing here depends on how an experiment is run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from salessim.report.format import label, role_label
from salessim.report.plots.canvas import svg_figure, to_svg
from salessim.report.plots.style import (
    GREEN,
    LINE_GREY,
    RED,
    SIGNIFICANT,
    UNCLEAR,
    arm_colour,
    metric_ticks,
    money_ticks,
    tidy_axes,
)


class TornadoBar(Protocol):
    """One bar of a tornado: a parameter's low and high effect on the metric's mean."""

    @property
    def parameter(self) -> str:
        """The parameter's dotted key."""
        ...

    @property
    def low_value(self) -> str:
        """The parameter's low value, as given."""
        ...

    @property
    def high_value(self) -> str:
        """The parameter's high value, as given."""
        ...

    @property
    def low(self) -> float:
        """The metric's mean at the low value, minus its mean at the base."""
        ...

    @property
    def high(self) -> float:
        """The metric's mean at the high value, minus its mean at the base."""
        ...


def forest(rows: Sequence[Mapping[str, Any]], reference: str) -> str:
    """Each arm's change from the reference, metric by metric, with its 95% CI, in percent."""
    means = {row["metric"]: row["mean"] for row in rows if row["arm"] == reference}
    points = [
        (row, means[row["metric"]])
        for row in rows
        if row["arm"] != reference
        and row.get("difference") is not None
        and row.get("ci_low") is not None
        and means.get(row["metric"])
    ]
    fig = svg_figure(8.0, 1.0 + 0.32 * max(len(points), 1))
    ax = fig.add_subplot()
    tidy_axes(ax, "x")
    if not points:
        ax.text(0.5, 0.5, "no differences to show", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return to_svg(fig)
    for y, (row, base) in enumerate(reversed(points)):
        scale = 1 / abs(base)
        low, high, mid = row["ci_low"] * scale, row["ci_high"] * scale, row["difference"] * scale
        colour = SIGNIFICANT if low > 0 or high < 0 else UNCLEAR
        ax.plot([low, high], [y, y], color=colour, linewidth=2)
        ax.plot([mid], [y], "o", color=colour, markersize=6)
    ax.axvline(0, color=LINE_GREY, linewidth=1)
    ax.set_yticks(range(len(points)))
    ax.set_yticklabels([f"{label(row['metric'])} · {row['arm']}" for row, _ in reversed(points)])
    ax.xaxis.set_major_locator(MaxNLocator(7))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(f"Change from {reference} (paired mean, 95% CI)")
    return to_svg(fig)


def distributions(values: Mapping[str, Mapping[str, Sequence[float]]]) -> str:
    """Box plots of each metric's replications, one panel per metric, one box per arm."""
    metrics = list(values)
    columns = min(3, len(metrics))
    rows = math.ceil(len(metrics) / columns)
    arms = list(next(iter(values.values())))
    fig = svg_figure(10.0, rows * (0.6 + 0.35 * len(arms)) + 0.4)
    for i, metric in enumerate(metrics):
        ax = fig.add_subplot(rows, columns, i + 1)
        tidy_axes(ax, "x")
        data = [[v for v in values[metric][arm] if math.isfinite(v)] for arm in arms]
        shown = [(j, d) for j, d in enumerate(data) if d]
        if shown:
            boxes = ax.boxplot(
                [d for _, d in shown],
                positions=[len(arms) - 1 - j for j, _ in shown],
                orientation="horizontal",
                widths=0.6,
                patch_artist=True,
                showmeans=True,
                meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black"},
                flierprops={"markersize": 3},
            )
            for (j, _), box in zip(shown, boxes["boxes"], strict=True):
                box.set_facecolor(arm_colour(j))
                box.set_alpha(0.55)
        ax.set_yticks(range(len(arms)))
        ax.set_yticklabels(list(reversed(arms)) if i % columns == 0 else [])
        ax.xaxis.set_major_formatter(metric_ticks(metric))
        ax.set_title(label(metric), fontsize=10)
    return to_svg(fig)


def weekly_bookings(mean_new_arr: Mapping[str, np.ndarray]) -> str:
    """Mean new ARR booked each week of the measured period, one line per arm.

    Args:
        mean_new_arr: by arm, the mean over replications of new ARR (USD) booked each week.
    """
    fig = svg_figure(10.0, 4.2)
    ax = fig.add_subplot()
    tidy_axes(ax)
    for i, (arm, mean) in enumerate(mean_new_arr.items()):
        ax.plot(np.arange(1, len(mean) + 1), mean, color=arm_colour(i), linewidth=1.4, label=arm)
    ax.yaxis.set_major_formatter(money_ticks(1))
    ax.set_xlabel("Week of the measured period")
    ax.set_ylabel("New ARR booked (mean over replications)")
    ax.legend(frameon=False, fontsize=9, ncols=min(4, len(mean_new_arr)))
    return to_svg(fig)


def attainment(counts: Mapping[str, Mapping[str, np.ndarray]], edges: np.ndarray) -> str | None:
    """Share of quota periods at each attainment, per role with quotas, one line per arm.

    Args:
        counts: by arm, then by role, how many quota periods fell in each bin.
        edges: the bins' edges, as fractions of quota.

    Returns:
        The chart, or ``None`` when no role has quotas.
    """
    roles = sorted({role for by_role in counts.values() for role in by_role}, key=_role_order)
    if not roles:
        return None
    fig = svg_figure(10.0, 3.6)
    centres = (edges[:-1] + edges[1:]) / 2
    for k, role in enumerate(roles):
        ax = fig.add_subplot(1, len(roles), k + 1)
        tidy_axes(ax)
        for i, (arm, by_role) in enumerate(counts.items()):
            periods = by_role.get(role)
            if periods is not None and periods.sum():
                ax.step(centres, periods / periods.sum(), where="mid", color=arm_colour(i),
                        label=arm)  # fmt: skip
        ax.axvline(1.0, color=LINE_GREY, linestyle="--", linewidth=1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_title(f"{role_label(role)} quota periods", fontsize=10)
        ax.set_xlabel("Attainment (credit / quota)")
        if k == 0:
            ax.set_ylabel("Share of periods")
            ax.legend(frameon=False, fontsize=8)
    return to_svg(fig)


def _role_order(role: str) -> int:
    order = ("ae", "sdr", "csm", "specialist")
    return order.index(role) if role in order else len(order)


def warmup(mean_open_leads: Mapping[str, np.ndarray], cut: int) -> str:
    """Mean open leads by measured month, one line per arm, with the MSER cut marked.

    Args:
        mean_open_leads: by arm, the mean over replications of open leads at each month end.
        cut: the measured months to discard as warm-up (0: none, and no mark).
    """
    fig = svg_figure(10.0, 3.6)
    ax = fig.add_subplot()
    tidy_axes(ax)
    for i, (arm, mean) in enumerate(mean_open_leads.items()):
        ax.plot(np.arange(1, len(mean) + 1), mean, color=arm_colour(i), marker=".", label=arm)
    if cut:
        ax.axvline(cut + 0.5, color=RED, linestyle="--", linewidth=1.2)
        ax.text(cut + 0.6, 0.95, "settled from here", color=RED, fontsize=9,
                transform=ax.get_xaxis_transform(), va="top")  # fmt: skip
    ax.set_xlabel("Measured month")
    ax.set_ylabel("Open leads at month end (mean)")
    ax.legend(frameon=False, fontsize=9, ncols=min(4, len(mean_open_leads)))
    return to_svg(fig)


def heat_map(
    grid: Sequence[Sequence[float]],
    rows: Sequence[str],
    columns: Sequence[str],
    axes: Sequence[str],
    metric: str,
) -> str:
    """The metric's mean at each point of a two-parameter grid."""
    data = np.array(grid, dtype=float)
    fig = svg_figure(max(6.0, 2.5 + 1.1 * len(columns)), 1.6 + 0.6 * len(rows))
    ax = fig.add_subplot()
    image = ax.imshow(data, cmap="viridis", aspect="auto")
    fmt = metric_ticks(metric)
    finite = data[np.isfinite(data)]
    middle = float(np.mean(finite)) if finite.size else 0.0
    for (r, c), value in np.ndenumerate(data):
        colour = "white" if value < middle else "black"
        ax.text(c, r, fmt(value, None), ha="center", va="center", color=colour, fontsize=9)
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_ylabel(axes[0])
    ax.set_xlabel(axes[1])
    fig.colorbar(image, ax=ax, format=fmt, label=label(metric))
    return to_svg(fig)


def sweep_line(
    points: Sequence[str],
    estimates: Sequence[tuple[float, float] | None],
    axis: str,
    metric: str,
) -> str:
    """The metric's mean with its 95% CI at each value of one swept parameter.

    Args:
        points: the parameter's values, as given.
        estimates: at each value, the mean and the half-width of its 95% CI, or ``None``
            where too few replications finished to tell.
        axis: the parameter's name.
        metric: the metric's name.
    """
    fig = svg_figure(8.0, 3.6)
    ax = fig.add_subplot()
    tidy_axes(ax)
    for x, estimate in enumerate(estimates):
        if estimate is None:
            continue
        mean, half_width = estimate
        ax.errorbar([x], [mean], yerr=[half_width], fmt="o", color=SIGNIFICANT, capsize=4)
    ax.set_xticks(range(len(points)), points)
    ax.set_xlabel(axis)
    ax.set_ylabel(f"{label(metric)} (mean, 95% CI)")
    ax.yaxis.set_major_formatter(metric_ticks(metric))
    return to_svg(fig)


def tornado(bars: Sequence[TornadoBar], metric: str) -> str:
    """Each parameter's low and high effect on the metric's mean, widest swing on top."""
    fig = svg_figure(9.0, 1.2 + 0.5 * len(bars))
    ax = fig.add_subplot()
    tidy_axes(ax, "x")
    for y, bar in enumerate(reversed(bars)):
        ax.barh(y, bar.low, color=RED, alpha=0.8, height=0.6)
        ax.barh(y, bar.high, color=GREEN, alpha=0.8, height=0.6)
        for effect, value in ((bar.low, bar.low_value), (bar.high, bar.high_value)):
            ax.text(effect, y, f" {value} ", va="center", fontsize=8,
                    ha="left" if effect >= 0 else "right")  # fmt: skip
    ax.axvline(0, color=LINE_GREY, linewidth=1)
    ax.set_yticks(range(len(bars)), [bar.parameter for bar in reversed(bars)])
    ax.xaxis.set_major_formatter(metric_ticks(metric))
    ax.set_xlabel(f"Change in mean {label(metric)} from the base (red: low value, green: high)")
    return to_svg(fig)
