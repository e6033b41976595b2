"""Charts of an experiment's report, as inline SVG: how the arms compare.

Forest plot, distributions, bookings by week, attainment, the warm-up check, sweeps and
the tornado. The charts take plain data (numbers, arrays and names), which the
experiments layer computes, so nothing here depends on how an experiment is run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from salessim.metrics.kinds import Better, better, is_good
from salessim.report.format import kpi_change, kpi_value, label, role_label
from salessim.report.plots.canvas import svg_figure, to_svg
from salessim.report.plots.style import (
    BAD,
    GOOD,
    LINE_GREY,
    RED,
    SIGNIFICANT,
    UNCLEAR,
    arm_colour,
    change_colour,
    mark_quarters,
    metric_ticks,
    money_ticks,
    tidy_axes,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BOX_TICKS = 4  # at most this many ticks on a box plot's axis: labels never collide


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


def forest_figure(rows: Sequence[Mapping[str, Any]], reference: str) -> Figure:
    """Each arm's change from the reference, metric by metric, with its 95% CI, in percent.

    A change whose CI excludes zero is green when it is good news for its metric (more
    bookings, less churn), red when bad, navy when the metric has no better direction;
    grey when the data cannot tell it from zero.
    """
    means = {row["metric"]: row["mean"] for row in rows if row["arm"] == reference}
    points = [
        (row, means[row["metric"]])
        for row in rows
        if row["arm"] != reference
        and row.get("difference") is not None
        and row.get("ci_low") is not None
        and means.get(row["metric"])
    ]
    fig = svg_figure(8.0, 1.5 + 0.32 * max(len(points), 1))
    ax = fig.add_subplot()
    tidy_axes(ax, "x")
    if not points:
        ax.text(0.5, 0.5, "no differences to show", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    for y, (row, base) in enumerate(reversed(points)):
        scale = 1 / abs(base)
        low, high, mid = row["ci_low"] * scale, row["ci_high"] * scale, row["difference"] * scale
        colour = change_colour(row["metric"], low, high)
        ax.plot([low, high], [y, y], color=colour, linewidth=2)
        ax.plot([mid], [y], "o", color=colour, markersize=6)
    ax.axvline(0, color=LINE_GREY, linewidth=1)
    ax.set_yticks(range(len(points)))
    ax.set_yticklabels([f"{label(row['metric'])} · {row['arm']}" for row, _ in reversed(points)])
    ax.xaxis.set_major_locator(MaxNLocator(7))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(f"Change from {reference} (paired mean, 95% CI)")
    legend = [
        Line2D([], [], color=colour, marker="o", linewidth=2, label=text)
        for colour, text in (
            (GOOD, "better"),
            (BAD, "worse"),
            (SIGNIFICANT, "changed (no better way)"),
            (UNCLEAR, "cannot tell from zero"),
        )
    ]
    fig.legend(handles=legend, loc="outside lower center", ncols=4, frameon=False, fontsize=8.5)
    return fig


def forest(rows: Sequence[Mapping[str, Any]], reference: str) -> str:
    """:func:`forest_figure` as inline SVG."""
    return to_svg(forest_figure(rows, reference))


def distributions_figure(values: Mapping[str, Mapping[str, Sequence[float]]]) -> Figure:
    """Box plots of each metric's replications, one panel per metric, one box per arm.

    Each panel gets at most four ticks, in the metric's unit, so labels never run into
    one another however narrow the panel.
    """
    metrics = list(values)
    columns = min(3, len(metrics))
    rows = math.ceil(len(metrics) / columns)
    arms = list(next(iter(values.values())))
    fig = svg_figure(10.0, rows * (0.8 + 0.35 * len(arms)) + 0.4)
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
        ax.xaxis.set_major_locator(MaxNLocator(nbins=BOX_TICKS))
        ax.xaxis.set_major_formatter(metric_ticks(metric))
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(label(metric), fontsize=10)
    return fig


def distributions(values: Mapping[str, Mapping[str, Sequence[float]]]) -> str:
    """:func:`distributions_figure` as inline SVG."""
    return to_svg(distributions_figure(values))


def weekly_bookings_figure(
    mean_new_arr: Mapping[str, np.ndarray], quarter_ends: Sequence[tuple[float, str]] = ()
) -> Figure:
    """Mean new ARR booked each week of the measured period, one line per arm.

    Args:
        mean_new_arr: by arm, the mean over replications of new ARR (USD) booked each week.
        quarter_ends: (day of the measured period, quarter) of each fiscal quarter end,
            marked as a run's bookings chart marks them.
    """
    fig = svg_figure(10.0, 4.6)
    ax = fig.add_subplot()
    tidy_axes(ax)
    weeks = max((len(mean) for mean in mean_new_arr.values()), default=0)
    for i, (arm, mean) in enumerate(mean_new_arr.items()):
        centres = np.arange(len(mean)) + 0.5  # week k covers days 7k to 7k + 7
        ax.plot(centres, mean, color=arm_colour(i), linewidth=1.4, label=arm)
    shown = [(day / 7, quarter) for day, quarter in quarter_ends if day / 7 <= weeks]
    quarters = mark_quarters(ax, shown)
    ax.set_xlim(0, max(weeks, 1))
    peak = max((float(np.nanmax(m)) for m in mean_new_arr.values() if len(m)), default=0.0)
    ax.set_ylim(0, peak * 1.15 if peak > 0 else 1.0)  # room for the quarter labels
    ax.yaxis.set_major_formatter(money_ticks(1))
    ax.set_xlabel("Week of the measured period")
    ax.set_ylabel("New ARR booked (mean over replications)")
    handles, _ = ax.get_legend_handles_labels()
    if quarters is not None:
        handles.append(quarters)
    fig.legend(
        handles=handles, loc="outside lower center", frameon=False, fontsize=9,
        ncols=min(5, len(handles)),
    )  # fmt: skip
    return fig


def weekly_bookings(
    mean_new_arr: Mapping[str, np.ndarray], quarter_ends: Sequence[tuple[float, str]] = ()
) -> str:
    """:func:`weekly_bookings_figure` as inline SVG."""
    return to_svg(weekly_bookings_figure(mean_new_arr, quarter_ends))


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


def heat_map_figure(
    grid: Sequence[Sequence[float]],
    rows: Sequence[str],
    columns: Sequence[str],
    axes: Sequence[str],
    metric: str,
) -> Figure:
    """The metric's mean at each point of a two-parameter grid, brighter where it is better."""
    data = np.array(grid, dtype=float)
    fig = svg_figure(max(6.0, 2.5 + 1.1 * len(columns)), 1.6 + 0.6 * len(rows))
    ax = fig.add_subplot()
    cmap = "viridis_r" if better(metric) is Better.LOWER else "viridis"
    image = ax.imshow(data, cmap=cmap, aspect="auto")
    finite = data[np.isfinite(data)]
    middle = float(np.mean(finite)) if finite.size else 0.0
    for (r, c), value in np.ndenumerate(data):
        dark = value > middle if cmap.endswith("_r") else value < middle
        ax.text(c, r, kpi_value(metric, value), ha="center", va="center",
                color="white" if dark else "black", fontsize=9)  # fmt: skip
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_ylabel(axes[0])
    ax.set_xlabel(axes[1])
    fig.colorbar(image, ax=ax, format=metric_ticks(metric), label=label(metric))
    return fig


def heat_map(
    grid: Sequence[Sequence[float]],
    rows: Sequence[str],
    columns: Sequence[str],
    axes: Sequence[str],
    metric: str,
) -> str:
    """:func:`heat_map_figure` as inline SVG."""
    return to_svg(heat_map_figure(grid, rows, columns, axes, metric))


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
    """Each parameter's low and high effect on the metric's mean, widest swing on top.

    A bar is green when its change is good news for the metric, red when bad, navy when
    the metric has no better direction; each end names the parameter's value.
    """
    fig = svg_figure(9.0, 1.2 + 0.5 * len(bars))
    ax = fig.add_subplot()
    tidy_axes(ax, "x")
    for y, bar in enumerate(reversed(bars)):
        for effect, value in ((bar.low, bar.low_value), (bar.high, bar.high_value)):
            good = is_good(metric, effect)
            colour = SIGNIFICANT if good is None else GOOD if good else BAD
            ax.barh(y, effect, color=colour, alpha=0.8, height=0.6)
            ax.text(effect, y, f" {value} ", va="center", fontsize=8,
                    ha="left" if effect >= 0 else "right")  # fmt: skip
    ax.axvline(0, color=LINE_GREY, linewidth=1)
    ax.set_yticks(range(len(bars)), [bar.parameter for bar in reversed(bars)])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: kpi_change(metric, v)))
    ax.set_xlabel(f"Change in mean {label(metric)} from the base (green: better, red: worse)")
    return to_svg(fig)
