"""Plots of one run, drawn on bare ``Figure`` objects with the Agg canvas.

No pyplot: nothing here touches matplotlib's global figure manager or backend, so the
plots are safe in libraries, threads and headless servers. Every function takes a
``RunResult`` and returns a ``Figure``; :func:`write_plots` saves them as PNG files.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter, StrMethodFormatter

from salessim.report.format import count, known, label, money, number, percent, role_label
from salessim.scenario.units import DAYS_PER_MONTH

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.typing import ColorType

    from salessim.run import RunResult

__all__ = [
    "OUTCOME_COLOURS",
    "PLOTS",
    "ROLE_COLOURS",
    "arr_over_time",
    "attrition",
    "bookings_by_week",
    "funnel",
    "headcount",
    "pipeline_over_time",
    "role_colour",
    "stage_colours",
    "tenure",
    "utilisation",
    "write_plots",
]

DPI = 120
WIDE = (10.0, 5.5)
ROLE_COLOURS: dict[str, str] = {
    "sdr": "#4C72B0",
    "ae": "#DD8452",
    "specialist": "#55A868",
    "csm": "#8172B3",
    "manager": "#937860",
}
OUTCOME_COLOURS: dict[str, str] = {
    "won": "#2E8B57",
    "lost": "#C44E52",
    "gone_cold": "#64B5CD",
    "disqualified": "#9E9E9E",
    "open": "#D9D9D9",
}
OUTCOME_LABELS = {
    "won": "Won",
    "lost": "Lost",
    "gone_cold": "Gone cold",
    "disqualified": "Disqualified",
    "open": "Still open at end",
}
NEW_COLOUR, EXPANSION_COLOUR = "#2E8B57", "#9BD39B"
CHURN_COLOUR, CONTRACTION_COLOUR = "#C44E52", "#F0A35E"
ARR_COLOUR, QUARTER_COLOUR = "#1F3B5C", "#555555"
INVOLUNTARY_COLOUR, VOLUNTARY_COLOUR, REGRETTED_COLOUR = "#C44E52", "#F0A35E", "#A0522D"
HIRES_COLOUR = "#1F3B5C"
_EXTRA_COLOURS = ("#DA8BC3", "#8C8C8C", "#CCB974", "#64B5CD")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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


# ----------------------------------------------------------------------------- helpers
def _lighten(colour: ColorType, amount: float = 0.65) -> tuple[float, float, float]:
    """``colour`` mixed with white, opaque (so grid lines stay behind it)."""
    red, green, blue = mpl.colors.to_rgb(colour)
    return (red + (1 - red) * amount, green + (1 - green) * amount, blue + (1 - blue) * amount)


def _figure(size: tuple[float, float] = WIDE) -> Figure:
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _style(ax: Axes, grid: Literal["x", "y"] = "y") -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid, color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)


def _no_data(ax: Axes, message: str) -> None:
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        transform=ax.transAxes,
        color="#666666",
        fontsize=11,
    )
    ax.set_axis_off()


def _money_axis(axis: Axis) -> None:
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: money(v, decimals=2, trim=True)))


def _note(ax: Axes, message: str, y: float = 0.5) -> None:
    """A grey note across an axes whose data are all zero."""
    ax.text(
        0.5,
        y,
        message,
        ha="center",
        va="center",
        transform=ax.transAxes,
        color="#666666",
        fontsize=10,
    )


def _titles(fig: Figure, title: str, ax: Axes, result: RunResult) -> None:
    """A bold figure title, and the run it shows in small grey type above ``ax``."""
    fig.suptitle(title, fontsize=13, fontweight="bold")
    days = result.record.measured_days
    name = result.scenario_name.replace("$", r"\$")  # never mathtext
    run = f"{name} · seed {result.seed} · {days:,.0f} days measured"
    ax.set_title(run, loc="right", fontsize=8.5, color="#666666")


def _value(row: dict[str, float | str], key: str) -> float:
    """A numeric cell of a monthly row; unknown (missing, NaN) is NaN."""
    cell = row.get(key)
    if isinstance(cell, str) or cell is None:
        return math.nan
    return float(cell)


def _zero_if_missing(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def _months(result: RunResult) -> list[str]:
    return [str(row.get("month", "")) for row in result.monthly]


def _month_ticks(ax: Axes, months: Sequence[str], max_ticks: int = 12) -> None:
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


# ----------------------------------------------------------------------------- funnel
def funnel(result: RunResult) -> Figure:
    """Leads completing and converting at each stage, and how every lead ended."""
    rec, kpis = result.record, result.kpis
    names, roles = rec.stage_names, rec.stage_roles
    colours = stage_colours(len(names))
    closed = dict(rec.closed_by_status)
    outcomes = [(key, closed.pop(key, 0)) for key in ("won", "lost", "gone_cold", "disqualified")]
    outcomes += sorted(closed.items())
    outcomes.append(("open", int(_zero_if_missing(kpis.get("leads_open_end", math.nan)))))
    n_rows = max(len(names), 1) + len(outcomes)
    fig = _figure((10.0, 2.4 + 0.42 * n_rows))
    top, bottom = fig.subplots(
        2, 1, sharex=True, height_ratios=[max(len(names), 1) + 0.8, len(outcomes)]
    )
    _titles(fig, "Funnel: where leads convert and how they end", top, result)
    widest = max([*rec.stage_done, *(v for _, v in outcomes), 1])

    if names:
        y = range(len(names))
        top.barh(y, rec.stage_done, color=[_lighten(c) for c in colours], height=0.75)
        top.barh(y, rec.stage_converted, color=colours, height=0.75)
        for i, (done, converted) in enumerate(
            zip(rec.stage_done, rec.stage_converted, strict=True)
        ):
            rate = percent(converted / done) if done else "–"
            text = f"{count(converted)} of {count(done)} converted ({rate})"
            top.text(done + widest * 0.01, i, text, va="center", fontsize=9)
        top.set_yticks(
            list(y), [f"{label(n)} · {role_label(r)}" for n, r in zip(names, roles, strict=True)]
        )
        top.invert_yaxis()
        fig.legend(
            handles=[
                Patch(color=_lighten("#666666"), label="Completed the stage"),
                Patch(color="#666666", label="Converted (moved on; won, at the last stage)"),
            ],
            loc="outside lower center",
            ncols=2,
            fontsize=9,
            frameon=False,
        )
    else:
        _no_data(top, "No funnel stages")
    top.set_title("Stages", loc="left", fontsize=10)
    _style(top, "x")

    total = sum(v for _, v in outcomes)
    y = range(len(outcomes))
    bottom.barh(
        y,
        [v for _, v in outcomes],
        height=0.7,
        color=[OUTCOME_COLOURS.get(k, "#BBBBBB") for k, _ in outcomes],
    )
    for i, (_, value) in enumerate(outcomes):
        share = f" ({percent(value / total)})" if total else ""
        bottom.text(value + widest * 0.01, i, f"{count(value)}{share}", va="center", fontsize=9)
    bottom.set_yticks(list(y), [OUTCOME_LABELS.get(k, label(k)) for k, _ in outcomes])
    bottom.invert_yaxis()
    bottom.set_title(
        "How leads ended (closed in the measured period, or still open)", loc="left", fontsize=10
    )
    bottom.set_xlim(0, widest * 1.4)
    bottom.set_xlabel("Leads (count)")
    bottom.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    _style(bottom, "x")
    return fig


# ----------------------------------------------------------------------------- pipeline
def pipeline_over_time(result: RunResult) -> Figure:
    """Open pipeline at each month end, stacked by stage.

    Shows the dollar value of open deals (stages after SDR qualification); a funnel with
    only SDR stages has no deals, so it shows the count of open leads instead.
    """
    rec = result.record
    colours = stage_colours(len(rec.stage_names))
    deal = [i for i, role in enumerate(rec.stage_roles) if role != "sdr"]
    in_value = bool(deal)
    shown = deal if in_value else list(range(len(rec.stage_names)))
    prefix = "pipeline_value_" if in_value else "pipeline_count_"
    months = _months(result)
    fig = _figure()
    ax = fig.add_subplot()
    what = "Open pipeline value by stage" if in_value else "Open leads by stage"
    _titles(fig, f"{what} (at month end)", ax, result)
    series = [
        [_zero_if_missing(_value(row, prefix + rec.stage_names[i])) for row in result.monthly]
        for i in shown
    ]
    names = [label(rec.stage_names[i]) for i in shown]
    fills = [colours[i] for i in shown]
    if not months or not shown:
        _no_data(ax, "No complete month to show" if shown else "No funnel stages")
        return fig
    if len(months) == 1:
        base = 0.0
        for values, name, colour in zip(series, names, fills, strict=True):
            ax.bar(0, values[0], bottom=base, color=colour, label=name, width=0.5)
            base += values[0]
        ax.set_xlim(-1, 1)
    else:
        ax.stackplot(
            range(len(months)),
            series,
            labels=names,
            colors=fills,
            alpha=0.9,
            edgecolor="white",
            linewidth=0.5,
        )
        ax.set_xlim(0, len(months) - 1)
    _month_ticks(ax, months)
    ax.set_ylim(bottom=0)
    if in_value:
        ax.set_ylabel("Open deal value (USD)")
        _money_axis(ax.yaxis)
    else:
        ax.set_ylabel("Open leads (count)")
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Month")
    ax.legend(
        title="Stage",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        reverse=True,
        fontsize=9,
    )
    _style(ax)
    return fig


# ----------------------------------------------------------------------------- bookings
def bookings_by_week(result: RunResult) -> Figure:
    """New ARR booked each week, with fiscal quarter ends marked.

    A last, partial week is drawn as narrow as the days it covers.
    """
    rec = result.record
    span = rec.measured_days / 7
    weeks = max(math.ceil(span - 1e-9), len(rec.weekly_new_arr))
    values = [*rec.weekly_new_arr, *[0.0] * (weeks - len(rec.weekly_new_arr))]
    fig = _figure()
    ax = fig.add_subplot()
    total = sum(values)
    _titles(fig, f"New ARR booked per week (total {money(total)})", ax, result)
    if not weeks:
        _no_data(ax, "No complete week to show")
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
        _note(ax, "No new ARR booked in the measured period")
    every = max(1, math.ceil(len(rec.quarter_ends) / 12))
    for i, (day, quarter) in enumerate(rec.quarter_ends):
        x = day / 7
        ax.axvline(x, color=QUARTER_COLOUR, linestyle="--", linewidth=1)
        if (len(rec.quarter_ends) - 1 - i) % every == 0:
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
    ax.set_xlim(0, max(span, 1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12, steps=[1, 2, 4, 5, 10]))
    ax.set_xlabel("Week of the measured period")
    ax.set_ylabel("New ARR booked (USD)")
    _money_axis(ax.yaxis)
    handles, _ = ax.get_legend_handles_labels()
    if rec.quarter_ends:
        handles.append(
            Line2D([], [], color=QUARTER_COLOUR, linestyle="--", label="Fiscal quarter end")
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.13),
        ncols=2,
        frameon=False,
        fontsize=9,
    )
    _style(ax)
    return fig


# ----------------------------------------------------------------------------- utilisation
def utilisation(result: RunResult) -> Figure:
    """Each team's utilisation per month; roles with no staff are left out."""
    months = _months(result)
    fig = _figure()
    ax = fig.add_subplot()
    _titles(fig, "Utilisation by role (share of selling time spent working)", ax, result)
    first = result.monthly[0] if result.monthly else {}
    roles = [key.removeprefix("utilisation_") for key in first if key.startswith("utilisation_")]
    top = 1.0
    drawn = 0
    for role in roles:
        values = [_value(row, f"utilisation_{role}") for row in result.monthly]
        if all(math.isnan(v) for v in values):
            continue
        heads = _value(result.monthly[-1], f"headcount_{role}")
        mean = known(result.kpis.get(f"utilisation_{role}"))
        name = f"{role_label(role)} ({count(heads)} people, mean {percent(mean)})"
        ax.plot(
            range(len(values)),
            values,
            marker="o",
            markersize=4,
            linewidth=2,
            color=role_colour(role),
            label=name,
        )
        top = max(top, *(v for v in values if not math.isnan(v)))
        drawn += 1
    if not drawn:
        _no_data(ax, "No complete month to show" if not months else "No role had staff")
        return fig
    ax.set_ylim(0, min(top * 1.02, 1.5) if top > 1 else 1.0)
    ax.set_xlim(-0.3, len(months) - 0.7)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    _month_ticks(ax, months)
    ax.set_xlabel("Month")
    ax.set_ylabel("Utilisation (% of selling time)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9, title="Role")
    _style(ax)
    return fig


# ----------------------------------------------------------------------------- ARR
def arr_over_time(result: RunResult) -> Figure:
    """ARR at each month end, and the month's new, expansion, churn and contraction."""
    months = _months(result)
    rows = result.monthly
    fig = _figure((10.0, 7.0))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    _titles(fig, "ARR and what moved it", top, result)
    if not months:
        _no_data(top, "No complete month to show")
        _no_data(bottom, "")
        return fig
    n = len(months)
    start = _zero_if_missing(result.kpis.get("starting_arr", math.nan))
    arr = [start, *(_zero_if_missing(_value(r, "arr")) for r in rows)]
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
        _note(top, "No ARR: no starting customers and no deals won")
    top.set_ylabel("ARR (USD)")
    _money_axis(top.yaxis)
    top.set_title(
        "Annual recurring revenue (starting book, then each month end)", loc="left", fontsize=10
    )
    _style(top)

    x = list(range(n))
    new = [_zero_if_missing(_value(r, "bookings_new_arr")) for r in rows]
    expansion = [_zero_if_missing(_value(r, "bookings_expansion_arr")) for r in rows]
    churn = [-_zero_if_missing(_value(r, "churned_arr")) for r in rows]
    contraction = [-_zero_if_missing(_value(r, "contraction_arr")) for r in rows]
    width = 0.75
    bottom.bar(x, new, width, color=NEW_COLOUR, label="New logos")
    bottom.bar(x, expansion, width, bottom=new, color=EXPANSION_COLOUR, label="Expansion")
    bottom.bar(x, churn, width, color=CHURN_COLOUR, label="Churn")
    bottom.bar(x, contraction, width, bottom=churn, color=CONTRACTION_COLOUR, label="Contraction")
    net = [a + b + c + d for a, b, c, d in zip(new, expansion, churn, contraction, strict=True)]
    bottom.plot(
        x, net, linestyle="none", marker="D", markersize=4, color="black", label="Net change"
    )
    bottom.axhline(0, color="#333333", linewidth=0.8)
    high = max(a + b for a, b in zip(new, expansion, strict=True))
    low = min(c + d for c, d in zip(churn, contraction, strict=True))
    if high > low:
        pad = 0.08 * (high - low)
        bottom.set_ylim(low - pad if low < 0 else 0, high + pad if high > 0 else 0)
    else:
        bottom.set_ylim(-1, 1)
        _note(bottom, "No ARR moved", y=0.75)
    bottom.set_ylabel("ARR change in month (USD)")
    _money_axis(bottom.yaxis)
    bottom.set_xlim(-0.6, n - 0.4)
    _month_ticks(bottom, months)
    bottom.set_xlabel("Month")
    bottom.set_title("Monthly ARR movements", loc="left", fontsize=10)
    bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    _style(bottom)
    return fig


# ----------------------------------------------------------------------------- people
def headcount(result: RunResult) -> Figure:
    """Reps employed and ramped capacity per role, month by month."""
    months = _months(result)
    rows = result.monthly
    fig = _figure()
    ax = fig.add_subplot()
    _titles(fig, "Headcount and ramped capacity by role", ax, result)
    first = rows[0] if rows else {}
    roles = [key.removeprefix("headcount_") for key in first if key.startswith("headcount_")]
    x = list(range(len(months)))
    top = 0.0
    handles: list[Artist] = []
    for role in roles:
        employed = [_zero_if_missing(_value(row, f"headcount_{role}")) for row in rows]
        ramped = [_zero_if_missing(_value(row, f"ramped_capacity_{role}")) for row in rows]
        if not any(employed) and not any(ramped):
            continue
        colour = role_colour(role)
        ax.plot(x, employed, color=colour, linewidth=2, marker="o", markersize=4)
        ax.plot(x, ramped, color=colour, linewidth=1.5, linestyle="--")
        ax.fill_between(x, ramped, employed, color=colour, alpha=0.12, linewidth=0)
        handles.append(Patch(color=colour, label=role_label(role)))
        top = max(top, *employed, *ramped)
    if not handles:
        _no_data(ax, "No complete month to show" if not months else "No role had staff")
        return fig
    handles += [
        Line2D(
            [],
            [],
            color="#444444",
            linewidth=2,
            marker="o",
            markersize=4,
            label="Employed (month end)",
        ),
        Line2D(
            [], [], color="#444444", linewidth=1.5, linestyle="--", label="Ramped FTE (month mean)"
        ),
    ]
    ax.set_ylim(0, top * 1.1)
    ax.set_xlim(-0.3, len(months) - 0.7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _month_ticks(ax, months)
    ax.set_xlabel("Month")
    ax.set_ylabel("Reps (count) and ramped capacity (FTE)")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _style(ax)
    return fig


def attrition(result: RunResult) -> Figure:
    """Exits per month by kind, stacked, with hires as a line."""
    months = _months(result)
    rows = result.monthly
    fig = _figure()
    ax = fig.add_subplot()
    k = result.kpis
    exits, hires = count(k.get("exits")), count(k.get("hires"))
    _titles(fig, f"Exits and hires per month ({exits} exits, {hires} hires)", ax, result)
    if not months:
        _no_data(ax, "No complete month to show")
        return fig
    x = list(range(len(months)))
    involuntary = [_zero_if_missing(_value(r, "exits_involuntary")) for r in rows]
    regretted = [_zero_if_missing(_value(r, "exits_regretted")) for r in rows]
    voluntary = [
        max(0.0, _zero_if_missing(_value(r, "exits_voluntary")) - regret)
        for r, regret in zip(rows, regretted, strict=True)
    ]
    hired = [_zero_if_missing(_value(r, "hires")) for r in rows]
    base = [0.0] * len(x)
    for values, colour, name in (
        (involuntary, INVOLUNTARY_COLOUR, "Involuntary (let go)"),
        (voluntary, VOLUNTARY_COLOUR, "Voluntary, not regretted"),
        (regretted, REGRETTED_COLOUR, "Voluntary, regretted"),
    ):
        ax.bar(x, values, 0.7, bottom=base, color=colour, label=name)
        base = [b + v for b, v in zip(base, values, strict=True)]
    ax.plot(x, hired, color=HIRES_COLOUR, linewidth=2, marker="o", markersize=4, label="Hires")
    top = max(*base, *hired)
    if top > 0:
        ax.set_ylim(0, top * 1.15)
    else:
        ax.set_ylim(0, 1)
        _note(ax, "No hires or exits in the measured period", y=0.6)
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _month_ticks(ax, months)
    ax.set_xlabel("Month")
    ax.set_ylabel("Reps (count)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    _style(ax)
    return fig


def tenure(result: RunResult) -> Figure:
    """Tenure of the staff at the end and of the leavers, in months, stacked by role."""
    people = result.record.people
    staying: dict[str, list[float]] = {}
    for role, days, _, _ in people.roster_end:
        staying.setdefault(role, []).append(days / DAYS_PER_MONTH)
    leaving = {
        role: [days / DAYS_PER_MONTH for days in tenures]
        for role, tenures in people.exit_tenure_days.items()
        if tenures
    }
    longest = max([*(max(v) for v in staying.values()), *(max(v) for v in leaving.values()), 0])
    step = next((s for s in (1, 3, 6, 12) if longest / s <= 30), 24)
    bins = [step * i for i in range(math.floor(longest / step) + 2)]
    order = [*ROLE_COLOURS, *sorted((set(staying) | set(leaving)) - set(ROLE_COLOURS))]
    fig = _figure((10.0, 7.0))
    top, bottom = fig.subplots(2, 1)
    _titles(fig, "Tenure of staff and of leavers", top, result)
    panels = (
        (top, staying, "Staff at the end", "No staff at the end"),
        (bottom, leaving, "Leavers in the measured period", "No one left in the measured period"),
    )
    for ax, by_role, title, empty in panels:
        ax.set_title(title, loc="left", fontsize=10)
        if not by_role:
            _no_data(ax, empty)
            continue
        roles = [role for role in order if role in by_role]
        ax.hist(
            [by_role[r] for r in roles],
            bins=bins,
            stacked=True,
            color=[role_colour(r) for r in roles],
            label=[f"{role_label(r)} ({len(by_role[r])})" for r in roles],
            edgecolor="white",
            linewidth=0.5,
        )
        median = statistics.median(v for values in by_role.values() for v in values)
        ax.axvline(median, color="#333333", linestyle="--", linewidth=1)
        ax.text(
            median,
            0.98,
            f" median {number(median)} months",
            transform=ax.get_xaxis_transform(),
            va="top",
            fontsize=8.5,
            color="#333333",
        )
        ax.set_xlim(0, bins[-1])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Tenure (months)")
        ax.set_ylabel("Reps (count)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
        _style(ax)
    return fig


# ----------------------------------------------------------------------------- files
PLOTS: dict[str, Callable[[RunResult], Figure]] = {
    "funnel.png": funnel,
    "pipeline.png": pipeline_over_time,
    "bookings_by_week.png": bookings_by_week,
    "utilisation.png": utilisation,
    "arr.png": arr_over_time,
    "headcount.png": headcount,
    "attrition.png": attrition,
    "tenure.png": tenure,
}


def write_plots(result: RunResult, directory: Path) -> list[Path]:
    """Save every plot of ``result`` as a PNG in ``directory`` (created if needed).

    Returns:
        The paths written, in the order of :data:`PLOTS`.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, plot in PLOTS.items():
        path = directory / name
        plot(result).savefig(path, dpi=DPI)
        written.append(path)
    return written
