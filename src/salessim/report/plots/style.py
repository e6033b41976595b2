"""The look every chart shares: colours, axes, tick formatters and notes on empty axes.

One palette serves the charts of a run and of an experiment, so a colour means the same
thing on every page: a role, a lead's outcome, an arm, a kind of ARR movement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import matplotlib as mpl
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from salessim.metrics.kinds import is_good
from salessim.report.format import kpi_tick, money

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.typing import ColorType

# ----------------------------------------------------------------------------- palette
NAVY, BLUE, ORANGE, GREEN, RED = "#1F3B5C", "#4C72B0", "#DD8452", "#55A868", "#C44E52"
PURPLE, BROWN, PINK, GREY, OLIVE, CYAN = (
    "#8172B3", "#937860", "#DA8BC3", "#8C8C8C", "#CCB974", "#64B5CD"
)  # fmt: skip
SEA_GREEN, LIGHT_GREEN, AMBER, SIENNA = "#2E8B57", "#9BD39B", "#F0A35E", "#A0522D"
LIGHT_GREY, PALE_GREY, GRID_GREY = "#9E9E9E", "#D9D9D9", "#E5E5E5"
DARK_GREY, TEXT_GREY, LINE_GREY = "#333333", "#666666", "#444444"

PALETTE = (NAVY, ORANGE, GREEN, RED, PURPLE, BROWN, PINK, GREY, OLIVE, CYAN)
"""The arms of an experiment take these in order."""

ROLE_COLOURS: dict[str, str] = {
    "sdr": BLUE,
    "ae": ORANGE,
    "specialist": GREEN,
    "csm": PURPLE,
    "manager": BROWN,
}
_EXTRA_COLOURS = (PINK, GREY, OLIVE, CYAN)  # for roles not named above
OUTCOME_COLOURS: dict[str, str] = {
    "won": SEA_GREEN,
    "lost": RED,
    "gone_cold": CYAN,
    "disqualified": LIGHT_GREY,
    "open": PALE_GREY,
}
NEW_COLOUR, EXPANSION_COLOUR = SEA_GREEN, LIGHT_GREEN
CHURN_COLOUR, CONTRACTION_COLOUR = RED, AMBER
ARR_COLOUR, QUARTER_COLOUR = NAVY, "#555555"
INVOLUNTARY_COLOUR, VOLUNTARY_COLOUR, REGRETTED_COLOUR = RED, AMBER, SIENNA
HIRES_COLOUR, PROMOTED_COLOUR = NAVY, SEA_GREEN
SIGNIFICANT, UNCLEAR = NAVY, LIGHT_GREY  # a 95% CI that excludes zero, or not
GOOD, BAD = SEA_GREEN, RED  # a settled change that is good news for its metric, or bad
MOST_QUARTER_LABELS = 12  # more quarter ends than this: label every other one (or fewer)


# ----------------------------------------------------------------------------- colours
def role_colour(role: str) -> str:
    """The colour of a role, the same in every plot."""
    if role in ROLE_COLOURS:
        return ROLE_COLOURS[role]
    return _EXTRA_COLOURS[sum(map(ord, role)) % len(_EXTRA_COLOURS)]


def stage_colours(n: int) -> list[tuple[float, float, float, float]]:
    """One colour per funnel stage, early stages light and late stages dark."""
    cmap = mpl.colormaps["viridis"]
    if n <= 1:
        return [cmap(0.45)] * n
    return [cmap(0.85 - 0.75 * i / (n - 1)) for i in range(n)]


def arm_colour(index: int) -> str:
    """The colour of the ``index``-th arm, the same in every chart."""
    return PALETTE[index % len(PALETTE)]


def lighten(colour: ColorType, amount: float = 0.65) -> tuple[float, float, float]:
    """``colour`` mixed with white, opaque (so grid lines stay behind it)."""
    red, green, blue = mpl.colors.to_rgb(colour)
    return (red + (1 - red) * amount, green + (1 - green) * amount, blue + (1 - blue) * amount)


# ----------------------------------------------------------------------------- axes
def tidy_axes(ax: Axes, grid: Literal["x", "y"] = "y") -> None:
    """Hide the top and right spines; light grid lines along ``grid``, behind the data."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid, color=GRID_GREY, linewidth=0.8)
    ax.set_axisbelow(True)


def money_ticks(decimals: int) -> FuncFormatter:
    """Tick labels in abbreviated dollars (``$1.5M``), trailing zeros dropped."""
    return FuncFormatter(lambda v, _pos: money(v, decimals=decimals, trim=True))


def money_axis(axis: Axis) -> None:
    """Round dollar ticks on ``axis``: steps of 1, 2, 2.5 or 5, labelled ``$1.25M``."""
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    axis.set_major_formatter(money_ticks(2))


def metric_ticks(metric: str) -> FuncFormatter:
    """Tick labels for a metric's values in its unit: ``$1.5M``, ``22%``, ``63``."""
    return FuncFormatter(lambda v, _pos: kpi_tick(metric, v))


def change_colour(metric: str, low: float, high: float) -> str:
    """A change's colour: good or bad news for its metric when its CI excludes zero, else grey."""
    if not (low > 0 or high < 0):
        return UNCLEAR
    good = is_good(metric, (low + high) / 2)
    return SIGNIFICANT if good is None else GOOD if good else BAD


def mark_quarters(ax: Axes, ends: Sequence[tuple[float, str]]) -> Line2D | None:
    """Dashed lines at fiscal quarter ends (x, label), labelled along the top.

    With many quarters only every second (or third...) is labelled, counting back from the
    last. Returns the legend handle, or None when there is no quarter end.
    """
    every = max(1, -(-len(ends) // MOST_QUARTER_LABELS))
    for i, (x, quarter) in enumerate(ends):
        ax.axvline(x, color=QUARTER_COLOUR, linestyle="--", linewidth=1)
        if (len(ends) - 1 - i) % every == 0:
            ax.text(
                x,
                0.99,
                quarter,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="top",
                fontsize=8,
                color=QUARTER_COLOUR,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
            )
    if not ends:
        return None
    return Line2D([], [], color=QUARTER_COLOUR, linestyle="--", label="Fiscal quarter end")


# ----------------------------------------------------------------------------- notes
def no_data(ax: Axes, message: str) -> None:
    """Say why ``ax`` is empty, in grey across its middle, and hide its axes."""
    note(ax, message, fontsize=11)
    ax.set_axis_off()


def note(ax: Axes, message: str, y: float = 0.5, fontsize: float = 10) -> None:
    """A grey note across an axes (one whose data are all zero, or none)."""
    ax.text(
        0.5,
        y,
        message,
        ha="center",
        va="center",
        transform=ax.transAxes,
        color=TEXT_GREY,
        fontsize=fontsize,
    )
