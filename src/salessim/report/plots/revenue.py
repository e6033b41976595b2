"""Money in one run: new ARR booked week by week, and ARR with what moved it each month."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from matplotlib.ticker import MaxNLocator

from salessim.report.format import money
from salessim.report.plots import frame
from salessim.report.plots.canvas import png_figure
from salessim.report.plots.style import (
    ARR_COLOUR,
    CHURN_COLOUR,
    CONTRACTION_COLOUR,
    DARK_GREY,
    EXPANSION_COLOUR,
    NEW_COLOUR,
    mark_quarters,
    money_axis,
    no_data,
    note,
    tidy_axes,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from salessim.run import RunResult


def bookings_by_week(result: RunResult) -> Figure:
    """New ARR booked each week, with fiscal quarter ends marked.

    A last, partial week is drawn as narrow as the days it covers.
    """
    rec = result.record
    span = rec.measured_days / 7
    weeks = max(math.ceil(span - 1e-9), len(rec.weekly_new_arr))
    values = [*rec.weekly_new_arr, *[0.0] * (weeks - len(rec.weekly_new_arr))]
    fig = png_figure()
    ax = fig.add_subplot()
    total = sum(values)
    frame.titles(fig, f"New ARR booked per week (total {money(total)})", ax, result)
    if not weeks:
        no_data(ax, "No complete week to show")
        return fig
    ax.bar(
        range(weeks),
        values,
        width=[min(0.85, max(span - week, 0.05)) for week in range(weeks)],
        align="edge",
        color=NEW_COLOUR,
        label="New ARR won that week",
    )
    peak = max(values)
    if peak > 0:
        ax.set_ylim(0, peak * 1.15)
    else:
        ax.set_ylim(0, 1)
        note(ax, "No new ARR booked in the measured period")
    quarters = mark_quarters(ax, [(day / 7, quarter) for day, quarter in rec.quarter_ends])
    ax.set_xlim(0, max(span, 1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12, steps=[1, 2, 4, 5, 10]))
    ax.set_xlabel("Week of the measured period")
    ax.set_ylabel("New ARR booked (USD)")
    money_axis(ax.yaxis)
    handles, _ = ax.get_legend_handles_labels()
    if quarters is not None:
        handles.append(quarters)
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.13),
        ncols=2,
        frameon=False,
        fontsize=9,
    )
    tidy_axes(ax)
    return fig


def arr_over_time(result: RunResult) -> Figure:
    """ARR at each month end, and the month's new, expansion, churn and contraction."""
    months = frame.months(result)
    rows = result.monthly
    fig = png_figure((10.0, 7.0))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    frame.titles(fig, "ARR and what moved it", top, result)
    if not months:
        no_data(top, "No complete month to show")
        no_data(bottom, "")
        return fig
    n = len(months)
    start = frame.zero_if_missing(result.kpis.get("starting_arr", math.nan))
    arr = [start, *(frame.zero_if_missing(frame.cell(r, "arr")) for r in rows)]
    edges = [i - 0.5 for i in range(n + 1)]
    top.plot(
        edges,
        arr,
        color=ARR_COLOUR,
        linewidth=2.2,
        marker="o",
        markersize=3.5,
        label="ARR at month end",
    )
    top.fill_between(edges, arr, color=ARR_COLOUR, alpha=0.08)
    for edge, value, align in ((edges[0], arr[0], "left"), (edges[-1], arr[-1], "right")):
        top.annotate(
            money(value),
            (edge, value),
            xytext=(0, 8),
            textcoords="offset points",
            ha=align,
            fontsize=9,
            color=ARR_COLOUR,
            fontweight="bold",
        )
    top.set_ylim(0, max(arr) * 1.15 or 1.0)
    if not any(arr):
        note(top, "No ARR: no starting customers and no deals won")
    top.set_ylabel("ARR (USD)")
    money_axis(top.yaxis)
    top.set_title(
        "Annual recurring revenue (starting book, then each month end)", loc="left", fontsize=10
    )
    tidy_axes(top)

    x = list(range(n))
    new = [frame.zero_if_missing(frame.cell(r, "bookings_new_arr")) for r in rows]
    expansion = [frame.zero_if_missing(frame.cell(r, "bookings_expansion_arr")) for r in rows]
    churn = [-frame.zero_if_missing(frame.cell(r, "churned_arr")) for r in rows]
    contraction = [-frame.zero_if_missing(frame.cell(r, "contraction_arr")) for r in rows]
    width = 0.75
    bottom.bar(x, new, width, color=NEW_COLOUR, label="New logos")
    bottom.bar(x, expansion, width, bottom=new, color=EXPANSION_COLOUR, label="Expansion")
    bottom.bar(x, churn, width, color=CHURN_COLOUR, label="Churn")
    bottom.bar(x, contraction, width, bottom=churn, color=CONTRACTION_COLOUR, label="Contraction")
    net = [a + b + c + d for a, b, c, d in zip(new, expansion, churn, contraction, strict=True)]
    bottom.plot(
        x, net, linestyle="none", marker="D", markersize=4, color="black", label="Net change"
    )
    bottom.axhline(0, color=DARK_GREY, linewidth=0.8)
    high = max(a + b for a, b in zip(new, expansion, strict=True))
    low = min(c + d for c, d in zip(churn, contraction, strict=True))
    if high > low:
        pad = 0.08 * (high - low)
        bottom.set_ylim(low - pad if low < 0 else 0, high + pad if high > 0 else 0)
    else:
        bottom.set_ylim(-1, 1)
        note(bottom, "No ARR moved", y=0.75)
    bottom.set_ylabel("ARR change in month (USD)")
    money_axis(bottom.yaxis)
    bottom.set_xlim(-0.6, n - 0.4)
    frame.month_ticks(bottom, months)
    bottom.set_xlabel("Month")
    bottom.set_title("Monthly ARR movements", loc="left", fontsize=10)
    bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    tidy_axes(bottom)
    return fig
