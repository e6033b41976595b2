"""The flow of leads in one run: the funnel and the open pipeline month by month."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from salessim.report.format import count, label, percent, role_label
from salessim.report.plots import frame
from salessim.report.plots.canvas import png_figure
from salessim.report.plots.style import (
    OUTCOME_COLOURS,
    TEXT_GREY,
    lighten,
    money_axis,
    no_data,
    stage_colours,
    tidy_axes,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from salessim.run import RunResult

OUTCOME_LABELS = {
    "won": "Won",
    "lost": "Lost",
    "gone_cold": "Gone cold",
    "disqualified": "Disqualified",
    "open": "Still open at end",
}


def funnel(result: RunResult) -> Figure:
    """Leads completing and converting at each stage, and how every lead ended."""
    rec, kpis = result.record, result.kpis
    names, roles = rec.stage_names, rec.stage_roles
    colours = stage_colours(len(names))
    closed = dict(rec.closed_by_status)
    outcomes = [(key, closed.pop(key, 0)) for key in ("won", "lost", "gone_cold", "disqualified")]
    outcomes += sorted(closed.items())
    outcomes.append(("open", int(frame.zero_if_missing(kpis.get("leads_open_end", math.nan)))))
    n_rows = max(len(names), 1) + len(outcomes)
    fig = png_figure((10.0, 2.4 + 0.42 * n_rows))
    top, bottom = fig.subplots(
        2, 1, sharex=True, height_ratios=[max(len(names), 1) + 0.8, len(outcomes)]
    )
    frame.titles(fig, "Funnel: where leads convert and how they end", top, result)
    widest = max([*rec.stage_done, *(v for _, v in outcomes), 1])

    if names:
        y = range(len(names))
        top.barh(y, rec.stage_done, color=[lighten(c) for c in colours], height=0.75)
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
                Patch(color=lighten(TEXT_GREY), label="Completed the stage"),
                Patch(color=TEXT_GREY, label="Converted (moved on; won, at the last stage)"),
            ],
            loc="outside lower center",
            ncols=2,
            fontsize=9,
            frameon=False,
        )
    else:
        no_data(top, "No funnel stages")
    top.set_title("Stages", loc="left", fontsize=10)
    tidy_axes(top, "x")

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
    tidy_axes(bottom, "x")
    return fig


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
    months = frame.months(result)
    fig = png_figure()
    ax = fig.add_subplot()
    what = "Open pipeline value by stage" if in_value else "Open leads by stage"
    frame.titles(fig, f"{what} (at month end)", ax, result)
    series = [
        [
            frame.zero_if_missing(frame.cell(row, prefix + rec.stage_names[i]))
            for row in result.monthly
        ]
        for i in shown
    ]
    names = [label(rec.stage_names[i]) for i in shown]
    fills = [colours[i] for i in shown]
    if not months or not shown:
        no_data(ax, "No complete month to show" if shown else "No funnel stages")
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
    frame.month_ticks(ax, months)
    ax.set_ylim(bottom=0)
    if in_value:
        ax.set_ylabel("Open deal value (USD)")
        money_axis(ax.yaxis)
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
    tidy_axes(ax)
    return fig
