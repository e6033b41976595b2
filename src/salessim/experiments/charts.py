"""Charts of an experiment as inline SVG: forest plot, distributions, series, sweep, tornado.

Like :mod:`salessim.report.plots`, these draw on bare ``Figure`` objects (no pyplot).
Each function returns the SVG text of one chart, with text kept as text (searchable,
small) and ids salted the same way every time, so a report is stable from run to run.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import statistics
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from salessim.experiments.grids import Bar
from salessim.experiments.profiles import ATTAINMENT_EDGES, ArmProfile
from salessim.report.format import label, money, role_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

PALETTE = ("#1F3B5C", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
           "#8C8C8C", "#CCB974", "#64B5CD")  # fmt: skip
SIGNIFICANT, UNCLEAR = "#1F3B5C", "#9E9E9E"
MONEY_METRICS = ("arr", "bookings", "comp_cost", "variable_pay", "churned")


def arm_colour(index: int) -> str:
    """The colour of the ``index``-th arm, the same in every chart."""
    return PALETTE[index % len(PALETTE)]


def to_svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element to inline in HTML.

    matplotlib names elements alike in every figure (``figure_1``, ``axes_1``...); the
    ids get a prefix from the chart's own content, so they are unique on a page.
    """
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "salessim"}):
        FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    prefix = "c" + hashlib.sha256(text.encode()).hexdigest()[:8] + "-"
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    return re.sub(r'(href="#|url\(#)([^")]+)', rf"\g<1>{prefix}\2", text)


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _style(ax: Axes, grid: Literal["x", "y"] = "y") -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid, color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)


def _formatter(metric: str) -> FuncFormatter:
    if any(part in metric for part in MONEY_METRICS):
        return FuncFormatter(lambda v, _pos: money(v, decimals=1, trim=True))
    return FuncFormatter(lambda v, _pos: f"{v:.3g}")


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
    fig = _figure(8.0, 1.0 + 0.32 * max(len(points), 1))
    ax = fig.add_subplot()
    _style(ax, "x")
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
    ax.axvline(0, color="#444444", linewidth=1)
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
    fig = _figure(10.0, rows * (0.6 + 0.35 * len(arms)) + 0.4)
    for i, metric in enumerate(metrics):
        ax = fig.add_subplot(rows, columns, i + 1)
        _style(ax, "x")
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
        ax.xaxis.set_major_formatter(_formatter(metric))
        ax.set_title(label(metric), fontsize=10)
    return to_svg(fig)


def weekly_bookings(profiles: Mapping[str, ArmProfile]) -> str:
    """Mean new ARR booked each week of the measured period, one line per arm."""
    fig = _figure(10.0, 4.2)
    ax = fig.add_subplot()
    _style(ax)
    for i, (arm, profile) in enumerate(profiles.items()):
        mean = profile.weekly_new_arr.mean
        ax.plot(np.arange(1, len(mean) + 1), mean, color=arm_colour(i), linewidth=1.4, label=arm)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: money(v, decimals=1, trim=True)))
    ax.set_xlabel("Week of the measured period")
    ax.set_ylabel("New ARR booked (mean over replications)")
    ax.legend(frameon=False, fontsize=9, ncols=min(4, len(profiles)))
    return to_svg(fig)


def attainment(profiles: Mapping[str, ArmProfile]) -> str | None:
    """Share of quota periods at each attainment, per role with quotas, one line per arm."""
    roles = sorted({role for p in profiles.values() for role in p.attainment}, key=_role_order)
    if not roles:
        return None
    fig = _figure(10.0, 3.6)
    centres = (ATTAINMENT_EDGES[:-1] + ATTAINMENT_EDGES[1:]) / 2
    for k, role in enumerate(roles):
        ax = fig.add_subplot(1, len(roles), k + 1)
        _style(ax)
        for i, (arm, profile) in enumerate(profiles.items()):
            counts = profile.attainment.get(role)
            if counts is not None and counts.sum():
                ax.step(centres, counts / counts.sum(), where="mid", color=arm_colour(i), label=arm)
        ax.axvline(1.0, color="#444444", linestyle="--", linewidth=1)
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


def warmup(profiles: Mapping[str, ArmProfile], cut: int) -> str:
    """Mean open leads by measured month, one line per arm, with the MSER cut marked."""
    fig = _figure(10.0, 3.6)
    ax = fig.add_subplot()
    _style(ax)
    for i, (arm, profile) in enumerate(profiles.items()):
        mean = profile.monthly_open_leads.mean
        ax.plot(np.arange(1, len(mean) + 1), mean, color=arm_colour(i), marker=".", label=arm)
    if cut:
        ax.axvline(cut + 0.5, color="#C44E52", linestyle="--", linewidth=1.2)
        ax.text(cut + 0.6, 0.95, "settled from here", color="#C44E52", fontsize=9,
                transform=ax.get_xaxis_transform(), va="top")  # fmt: skip
    ax.set_xlabel("Measured month")
    ax.set_ylabel("Open leads at month end (mean)")
    ax.legend(frameon=False, fontsize=9, ncols=min(4, len(profiles)))
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
    fig = _figure(max(6.0, 2.5 + 1.1 * len(columns)), 1.6 + 0.6 * len(rows))
    ax = fig.add_subplot()
    image = ax.imshow(data, cmap="viridis", aspect="auto")
    fmt = _formatter(metric)
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
    points: Sequence[str], values: Sequence[Sequence[float]], axis: str, metric: str
) -> str:
    """The metric's mean with its 95% CI at each value of one swept parameter."""
    from salessim.experiments.stats import t975

    fig = _figure(8.0, 3.6)
    ax = fig.add_subplot()
    _style(ax)
    for x, sample in enumerate(values):
        finite = [v for v in sample if math.isfinite(v)]
        if len(finite) < 2:
            continue
        mean = statistics.fmean(finite)
        half = t975(len(finite) - 1) * statistics.stdev(finite) / math.sqrt(len(finite))
        ax.errorbar([x], [mean], yerr=[half], fmt="o", color=SIGNIFICANT, capsize=4)
    ax.set_xticks(range(len(points)), points)
    ax.set_xlabel(axis)
    ax.set_ylabel(f"{label(metric)} (mean, 95% CI)")
    ax.yaxis.set_major_formatter(_formatter(metric))
    return to_svg(fig)


def tornado(bars: Sequence[Bar], metric: str) -> str:
    """Each parameter's low and high effect on the metric's mean, widest swing on top."""
    fig = _figure(9.0, 1.2 + 0.5 * len(bars))
    ax = fig.add_subplot()
    _style(ax, "x")
    for y, bar in enumerate(reversed(bars)):
        ax.barh(y, bar.low, color="#C44E52", alpha=0.8, height=0.6)
        ax.barh(y, bar.high, color="#55A868", alpha=0.8, height=0.6)
        for effect, value in ((bar.low, bar.low_value), (bar.high, bar.high_value)):
            ax.text(effect, y, f" {value} ", va="center", fontsize=8,
                    ha="left" if effect >= 0 else "right")  # fmt: skip
    ax.axvline(0, color="#444444", linewidth=1)
    ax.set_yticks(range(len(bars)), [bar.parameter for bar in reversed(bars)])
    ax.xaxis.set_major_formatter(_formatter(metric))
    ax.set_xlabel(f"Change in mean {label(metric)} from the base (red: low value, green: high)")
    return to_svg(fig)
