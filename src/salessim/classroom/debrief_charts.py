"""The class debrief's charts, as inline SVG: the spread of scores, luck against skill."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from salessim.report.plots.canvas import svg_figure, to_svg
from salessim.report.plots.style import (
    BAD,
    GOOD,
    LINE_GREY,
    NAVY,
    ORANGE,
    UNCLEAR,
    tidy_axes,
)

AUTOPILOT = 100.0  # the autopilot's score
BIN_STEPS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0)  # widths of the histogram's bins, in points
MOST_BINS = 12  # the histogram has at most about this many bins
TEAM_INCHES = 0.24  # the luck chart's height per team


def score_histogram(scores: Sequence[float]) -> str:
    """How many teams scored in each band of points, the autopilot's 100 marked."""
    fig = svg_figure(8.0, 3.4)
    ax = fig.add_subplot()
    tidy_axes(ax)
    width = bin_points(min(*scores, AUTOPILOT), max(*scores, AUTOPILOT))
    low = math.floor(min(*scores, AUTOPILOT) / width) * width
    high = (math.floor(max(*scores, AUTOPILOT) / width) + 1) * width
    edges = [float(edge) for edge in np.arange(low, high + width / 2, width)]
    ax.hist(scores, bins=edges, color=NAVY, alpha=0.8, edgecolor="white")
    ax.axvline(AUTOPILOT, color=ORANGE, linestyle="--", linewidth=1.5, label="the autopilot (100)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"Score on the class seed (bands of {width:g} points)")
    ax.set_ylabel("Teams")
    fig.legend(loc="outside lower center", frameon=False, fontsize=9)
    return to_svg(fig)


def bin_points(low: float, high: float) -> float:
    """The narrowest of ``BIN_STEPS`` that covers ``low`` to ``high`` in ``MOST_BINS`` bins."""
    return next((step for step in BIN_STEPS if (high - low) / step <= MOST_BINS), BIN_STEPS[-1])


def luck_chart(
    names: Sequence[str],
    margins: Sequence[float],
    luck: Sequence[tuple[float, float, float] | None],
) -> str:
    """Per team, its margin over the autopilot on the class seed and on the luck seeds.

    The bar is the mean margin on the luck seeds with its 95% interval (green above zero,
    red below, grey across it); the diamond is the margin on the class seed.
    """
    fig = svg_figure(8.0, 1.3 + TEAM_INCHES * len(names))
    ax = fig.add_subplot()
    tidy_axes(ax, "x")
    for y, (margin, found) in enumerate(zip(reversed(margins), reversed(luck), strict=True)):
        if found is not None:
            mean, low, high = found
            colour = GOOD if low > 0 else BAD if high < 0 else UNCLEAR
            ax.plot([low, high], [y, y], color=colour, linewidth=3, solid_capstyle="butt")
            ax.plot([mean], [y], "o", color=colour, markersize=5)
        ax.plot([margin], [y], "D", color=NAVY, markersize=5)
    ax.axvline(0, color=LINE_GREY, linewidth=1)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(list(reversed(names)), fontsize=8 if len(names) > 20 else 9)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlabel("Points above the autopilot")
    legend = [
        Line2D([], [], color=NAVY, marker="D", linestyle="none", label="on the class seed"),
        Line2D([], [], color=GOOD, marker="o", linewidth=3, label="luck seeds: above"),
        Line2D([], [], color=BAD, marker="o", linewidth=3, label="below"),
        Line2D([], [], color=UNCLEAR, marker="o", linewidth=3, label="within luck"),
    ]
    fig.legend(handles=legend, loc="outside lower center", ncols=4, frameon=False, fontsize=8.5)
    return to_svg(fig)
