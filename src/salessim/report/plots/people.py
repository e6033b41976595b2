"""The people of one run: utilisation, headcount and ramped capacity, exits and hires, tenure."""

from __future__ import annotations

import math
import statistics
from typing import TYPE_CHECKING

from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from salessim.report.format import count, known, number, percent, role_label
from salessim.report.plots import frame
from salessim.report.plots.canvas import png_figure
from salessim.report.plots.style import (
    DARK_GREY,
    HIRES_COLOUR,
    INVOLUNTARY_COLOUR,
    LINE_GREY,
    PROMOTED_COLOUR,
    REGRETTED_COLOUR,
    ROLE_COLOURS,
    VOLUNTARY_COLOUR,
    no_data,
    note,
    role_colour,
    tidy_axes,
)
from salessim.scenario.units import DAYS_PER_MONTH

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

    from salessim.run import RunResult


def utilisation(result: RunResult) -> Figure:
    """Each team's utilisation per month; roles with no staff are left out."""
    months = frame.months(result)
    fig = png_figure()
    ax = fig.add_subplot()
    frame.titles(fig, "Utilisation by role (share of selling time spent working)", ax, result)
    first = result.monthly[0] if result.monthly else {}
    roles = [key.removeprefix("utilisation_") for key in first if key.startswith("utilisation_")]
    top = 1.0
    drawn = 0
    for role in roles:
        values = [frame.cell(row, f"utilisation_{role}") for row in result.monthly]
        if all(math.isnan(v) for v in values):
            continue
        heads = frame.cell(result.monthly[-1], f"headcount_{role}")
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
        no_data(ax, "No complete month to show" if not months else "No role had staff")
        return fig
    ax.set_ylim(0, min(top * 1.02, 1.5) if top > 1 else 1.0)
    ax.set_xlim(-0.3, len(months) - 0.7)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    frame.month_ticks(ax, months)
    ax.set_xlabel("Month")
    ax.set_ylabel("Utilisation (% of selling time)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9, title="Role")
    tidy_axes(ax)
    return fig


def headcount(result: RunResult) -> Figure:
    """Reps employed and ramped capacity per role, month by month."""
    months = frame.months(result)
    rows = result.monthly
    fig = png_figure()
    ax = fig.add_subplot()
    frame.titles(fig, "Headcount and ramped capacity by role", ax, result)
    first = rows[0] if rows else {}
    roles = [key.removeprefix("headcount_") for key in first if key.startswith("headcount_")]
    x = list(range(len(months)))
    top = 0.0
    handles: list[Artist] = []
    for role in roles:
        employed = [frame.zero_if_missing(frame.cell(row, f"headcount_{role}")) for row in rows]
        ramped = [frame.zero_if_missing(frame.cell(row, f"ramped_capacity_{role}")) for row in rows]
        if not any(employed) and not any(ramped):
            continue
        colour = role_colour(role)
        ax.plot(x, employed, color=colour, linewidth=2, marker="o", markersize=4)
        ax.plot(x, ramped, color=colour, linewidth=1.5, linestyle="--")
        ax.fill_between(x, ramped, employed, color=colour, alpha=0.12, linewidth=0)
        handles.append(Patch(color=colour, label=role_label(role)))
        top = max(top, *employed, *ramped)
    if not handles:
        no_data(ax, "No complete month to show" if not months else "No role had staff")
        return fig
    handles += [
        Line2D(
            [],
            [],
            color=LINE_GREY,
            linewidth=2,
            marker="o",
            markersize=4,
            label="Employed (month end)",
        ),
        Line2D(
            [], [], color=LINE_GREY, linewidth=1.5, linestyle="--", label="Ramped FTE (month mean)"
        ),
    ]
    ax.set_ylim(0, top * 1.1)
    ax.set_xlim(-0.3, len(months) - 0.7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    frame.month_ticks(ax, months)
    ax.set_xlabel("Month")
    ax.set_ylabel("Reps (count) and ramped capacity (FTE)")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    tidy_axes(ax)
    return fig


def attrition(result: RunResult) -> Figure:
    """Exits per month by kind, stacked, with hires as a line."""
    months = frame.months(result)
    rows = result.monthly
    fig = png_figure()
    ax = fig.add_subplot()
    k = result.kpis
    exits, hires = count(k.get("exits")), count(k.get("hires"))
    frame.titles(fig, f"Exits and hires per month ({exits} exits, {hires} hires)", ax, result)
    if not months:
        no_data(ax, "No complete month to show")
        return fig
    x = list(range(len(months)))
    involuntary = [frame.zero_if_missing(frame.cell(r, "exits_involuntary")) for r in rows]
    regretted = [frame.zero_if_missing(frame.cell(r, "exits_regretted")) for r in rows]
    voluntary = [
        max(0.0, frame.zero_if_missing(frame.cell(r, "exits_voluntary")) - regret)
        for r, regret in zip(rows, regretted, strict=True)
    ]
    promoted = [frame.zero_if_missing(frame.cell(r, "exits_promoted")) for r in rows]
    hired = [frame.zero_if_missing(frame.cell(r, "hires")) for r in rows]
    base = [0.0] * len(x)
    for values, colour, name in (
        (involuntary, INVOLUNTARY_COLOUR, "Involuntary (let go)"),
        (voluntary, VOLUNTARY_COLOUR, "Voluntary, not regretted"),
        (regretted, REGRETTED_COLOUR, "Voluntary, regretted"),
        (promoted, PROMOTED_COLOUR, "Promoted out of the role"),
    ):
        ax.bar(x, values, 0.7, bottom=base, color=colour, label=name)
        base = [b + v for b, v in zip(base, values, strict=True)]
    ax.plot(x, hired, color=HIRES_COLOUR, linewidth=2, marker="o", markersize=4, label="Hires")
    top = max(*base, *hired)
    if top > 0:
        ax.set_ylim(0, top * 1.15)
    else:
        ax.set_ylim(0, 1)
        note(ax, "No hires or exits in the measured period", y=0.6)
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    frame.month_ticks(ax, months)
    ax.set_xlabel("Month")
    ax.set_ylabel("Reps (count)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    tidy_axes(ax)
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
    fig = png_figure((10.0, 7.0))
    top, bottom = fig.subplots(2, 1)
    frame.titles(fig, "Tenure of staff and of leavers", top, result)
    panels = (
        (top, staying, "Staff at the end", "No staff at the end"),
        (bottom, leaving, "Leavers in the measured period", "No one left in the measured period"),
    )
    for ax, by_role, title, empty in panels:
        ax.set_title(title, loc="left", fontsize=10)
        if not by_role:
            no_data(ax, empty)
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
        ax.axvline(median, color=DARK_GREY, linestyle="--", linewidth=1)
        ax.text(
            median,
            0.98,
            f" median {number(median)} months",
            transform=ax.get_xaxis_transform(),
            va="top",
            fontsize=8.5,
            color=DARK_GREY,
        )
        ax.set_xlim(0, bins[-1])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Tenure (months)")
        ax.set_ylabel("Reps (count)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
        tidy_axes(ax)
    return fig
