"""What every chart of one run shares: the run named above the axes, and its months.

A run's monthly rows (``RunResult.monthly``) are read here: a missing or text cell is
unknown (NaN), and a month is labelled by its name, with the year where it changes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from salessim.report.plots.style import TEXT_GREY

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from salessim.run import RunResult

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


RUN_LINE_RISE = 20.0  # points above the axes: a line higher than any panel title on them


def titles(fig: Figure, title: str, ax: Axes, result: RunResult) -> None:
    """A bold figure title, and the run it shows in small grey type above ``ax``.

    The run's line sits a line above the axes' own titles, right-aligned, so a panel
    title on ``ax`` never runs into it however long either is; the layout keeps the
    figure title above both.
    """
    fig.suptitle(title, fontsize=13, fontweight="bold")
    days = result.record.measured_days
    name = result.scenario_name.replace("$", r"\$")  # never mathtext
    run = f"{name} · seed {result.seed} · {days:,.0f} days measured"
    ax.annotate(
        run,
        xy=(1.0, 1.0),
        xycoords="axes fraction",
        xytext=(0.0, RUN_LINE_RISE),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=8.5,
        color=TEXT_GREY,
    )


def cell(row: dict[str, float | str], key: str) -> float:
    """A numeric cell of a monthly row; unknown (missing, NaN) is NaN."""
    found = row.get(key)
    if isinstance(found, str) or found is None:
        return math.nan
    return float(found)


def zero_if_missing(value: float) -> float:
    """``value``, or 0 when it is unknown (NaN)."""
    return 0.0 if math.isnan(value) else value


def months(result: RunResult) -> list[str]:
    """The run's measured months, as written in its monthly rows (``2027-01``)."""
    return [str(row.get("month", "")) for row in result.monthly]


def month_ticks(ax: Axes, months: Sequence[str], max_ticks: int = 12) -> None:
    """Label integer positions 0..n-1 with month names, the year when it changes."""
    step = max(1, math.ceil(len(months) / max_ticks))
    positions = list(range(0, len(months), step))
    labels, last_year = [], ""
    for i in positions:
        year, _, month = months[i].partition("-")
        if not month.isdigit() or not 1 <= int(month) <= 12:
            labels.append(months[i])
            continue
        name = _MONTH_NAMES[int(month) - 1]
        labels.append(name if year == last_year else f"{name}\n{year}")
        last_year = year
    ax.set_xticks(positions, labels)
