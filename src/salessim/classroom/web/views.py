"""What the pages show, in words and figures: a briefing, a deadline, a turn's decisions.

The templates lay these out; here is what needs Python: figures by their kind, the
roster summarised by role with the reps at risk and the stars first, the forecast
against what happened, times and the decisions in words (as the game says them).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salessim.game.briefing import (
    LOWER_IS_BETTER,
    Briefing,
    Indicator,
    RoleSummary,
    RosterRow,
    is_star,
    risks,
    roster_summary,
)
from salessim.game.wording import decision_lines
from salessim.report.format import (
    MISSING,
    count,
    label,
    money,
    number,
    percent,
    role_label,
)

HEADCOUNT = "headcount_"  # indicators of headcount by role, shown on one line
NOTABLE_SHOWN = 8  # reps listed as at risk or stars


def figure(name: str, value: float | None) -> str:
    """An indicator's value as text: money, a rate, a count or a number."""
    if value is None or not math.isfinite(value):
        return MISSING
    if name.endswith(("_arr", "_spend")):
        return money(value)
    if name.endswith("_rate") or name.startswith("price_"):
        return percent(value)
    return count(value) if float(value).is_integer() else number(value)


def multiple(value: float | None) -> str:
    """A multiple of market pay: ``1.05x``."""
    return MISSING if value is None else f"{value:.2f}x"


@dataclass(frozen=True)
class FigureRow:
    """One indicator as the briefing's table shows it."""

    label: str
    value: str
    previous: str
    change: str
    trend: str  # "better", "worse" or "" (no change or unknown)
    target: str
    met: str


@dataclass(frozen=True)
class Notable:
    """A rep to look at first: at risk, a star, or both."""

    row: RosterRow
    why: str


def figure_rows(briefing: Briefing) -> list[FigureRow]:
    """The briefing's indicators but headcount: value, last turn, change, target, met."""
    rows = []
    for row in briefing.indicators:
        if row.name.startswith(HEADCOUNT):
            continue
        change = row.change
        trend = "" if not change else "better" if (change > 0) != _lower(row) else "worse"
        rows.append(
            FigureRow(
                label=label(row.name),
                value=figure(row.name, row.value),
                previous=figure(row.name, row.previous),
                change=MISSING if change is None else f"{change:+.1%}",
                trend=trend,
                target=figure(row.name, row.target),
                met={None: MISSING, True: "yes", False: "no"}[row.on_target],
            )
        )
    return rows


def _lower(row: Indicator) -> bool:
    return row.name in LOWER_IS_BETTER


def headcount_line(briefing: Briefing) -> str:
    """Headcount by role on one line: ``AE 8 (7), SDR 3 (3)``; last turn's in brackets."""
    heads = [row for row in briefing.indicators if row.name.startswith(HEADCOUNT)]
    before = bool(heads) and all(row.previous is not None for row in heads)
    return ", ".join(
        f"{role_label(row.name.removeprefix(HEADCOUNT))} {figure(row.name, row.value)}"
        + (f" ({figure(row.name, row.previous)})" if before else "")
        for row in heads
    )


def roster_view(briefing: Briefing) -> tuple[list[RoleSummary], list[Notable], int]:
    """The roster by role, the reps to look at first (at most a few) and how many more."""
    roles, notable = roster_summary(briefing)
    shown = [
        Notable(row, ", ".join((["star"] if is_star(row) else []) + risks(row, briefing.offers)))
        for row in notable[:NOTABLE_SHOWN]
    ]
    return roles, shown, max(0, len(notable) - NOTABLE_SHOWN)


def pipeline_total(briefing: Briefing) -> tuple[int, float]:
    """Deals and value over every stage."""
    return (
        sum(n for n, _ in briefing.pipeline.values()),
        sum(v for _, v in briefing.pipeline.values()),
    )


def budget_line(briefing: Briefing) -> str:
    """People spend: the limit, last turn's, next turn's if nothing changes."""
    budget = briefing.budget
    limit = "no limit" if budget.limit is None else f"limit {money(budget.limit)} a turn"
    spent = MISSING if briefing.period == "start" else money(budget.spent)
    return (
        f"People spend: {limit} · last turn {spent} · next turn, if nothing changes, "
        f"{money(budget.projected)}"
    )


def forecast_lines(briefing: Briefing) -> list[str]:
    """Last quarter's forecast against what happened, and the guide to the next."""
    lines = []
    last = briefing.forecast_last
    if last is not None and last.actual is not None:
        whose = "you forecast" if last.own else "the forecast (the guide's) was"
        new_arr = _against(last.committed.new_arr, last.actual.new_arr, "new ARR", "booked")
        churn = _against(last.committed.churn, last.actual.churn, "churn", "lost")
        lines.append(f"Last quarter {whose} {new_arr} and {churn}")
    guide = briefing.forecast_guide
    if guide is not None:
        lines.append(
            f"Guide for next quarter (pipeline forecast): {money(guide.new_arr)} new ARR, "
            f"{money(guide.churn)} churn"
        )
    return lines


def _against(forecast: float, actual: float, what: str, verb: str) -> str:
    said = f"{money(forecast)} {what} ({verb} {money(actual)}"
    if actual > 0 and forecast != actual:
        miss = forecast / actual - 1
        return f"{said}, {abs(miss):.0%} {'over' if miss > 0 else 'under'})"
    return said + ")"


def title(briefing: Briefing) -> str:
    """``Turn 2 of 4 · after 2027 Q1``."""
    if briefing.finished:
        return f"Game over · {briefing.turns} turns played · {briefing.period}"
    if briefing.period == "start":
        return f"Turn {briefing.turn} of {briefing.turns} · the start"
    return f"Turn {briefing.turn} of {briefing.turns} · after {briefing.period}"


def clock_time(epoch_seconds: float | None) -> str:
    """A moment as ``14:05 UTC``; unknown as the missing mark."""
    if epoch_seconds is None:
        return MISSING
    moment = dt.datetime.fromtimestamp(epoch_seconds, dt.UTC)
    return moment.strftime("%H:%M UTC")


def iso_time(epoch_seconds: float | None) -> str:
    """A moment in ISO 8601, UTC (``2027-01-05T14:05:00+00:00``); empty when unknown."""
    if epoch_seconds is None:
        return ""
    return dt.datetime.fromtimestamp(epoch_seconds, dt.UTC).isoformat(timespec="seconds")


def time_left(deadline: float | None, now: float) -> str:
    """``12 min 5 s left``, ``closing`` once past, or ``no deadline``."""
    if deadline is None:
        return "no deadline"
    seconds = math.ceil(deadline - now)
    if seconds <= 0:
        return "closing"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds} s left" if minutes else f"{seconds} s left"


def words(decisions: Mapping[str, Any]) -> list[str]:
    """A turn's decisions in the game's words; ``nothing changed`` when empty."""
    try:
        lines = decision_lines(decisions)
    except (KeyError, TypeError, ValueError, AttributeError):  # a draft the game cannot read
        return ["(a draft the game cannot read)"]
    return lines or ["nothing changed"]
