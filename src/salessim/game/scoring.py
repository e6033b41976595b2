"""Scoring: each indicator of a game against the autopilot's, on the same seed.

Each indicator is measured over the whole game and compared with the autopilot (the
scenario's own policies, no decisions) on the same seed: matching the autopilot scores
100 points, and each indicator moves the score by its relative gap times its weight.
The customer book and the open pipeline left at the end are valued in profit (the book
at ``book_years`` of its ARR, the pipeline at its expected wins: ``metrics.value``, the
valuation the ``contribution`` KPI uses too), so cutting costs in the last quarter at the
expense of the future does not pay. :mod:`salessim.game.debrief` scores a finished game
and explains it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salessim.game.forecasting import accuracy
from salessim.game.players import autopilot, play
from salessim.game.replays import lenient
from salessim.game.session import GameSession
from salessim.metrics.value import book_and_pipeline
from salessim.report.format import money
from salessim.scenario.game import LOWER_IS_BETTER
from salessim.scenario.schema import Scenario

OVERSPEND_POINTS = 2.0  # points lost per 1% of the game's budgets overspent
MAX_POINTS_RATIO = 2.0  # an indicator earns at most twice its weight, at least nothing


@dataclass(frozen=True)
class Line:
    """One scored indicator: the player's value, the autopilot's and the points earned."""

    indicator: str
    weight: float
    value: float
    autopilot: float
    points: float

    @property
    def gap(self) -> float:
        """The player's relative gap to the autopilot, signed so that positive is better."""
        return relative_gap(self.indicator, self.value, self.autopilot)


@dataclass(frozen=True)
class Scorecard:
    """Points per indicator; the autopilot scores 100."""

    lines: list[Line]
    penalty: float = 0.0  # points lost for spending over budget beyond the autopilot

    @property
    def total(self) -> float:
        """The score: the indicators' points less the penalty."""
        return sum(line.points for line in self.lines) - self.penalty


def outcome(session: GameSession) -> dict[str, float]:
    """Every scorable indicator over the game played so far."""
    totals, view = session.totals, session.sim.view()
    ending_arr = view.arr
    pipeline = sum(stage.value for stage in view.pipeline)  # every open lead and deal
    book_years = session.scenario.game.book_years
    left = book_and_pipeline(ending_arr, pipeline, _win_rate(session), book_years)
    start = session.opening["arr"]
    kept = start + totals["bookings_expansion_arr"] - totals["churned_arr"]
    employed = session.employed()
    low = sum(rep.morale < -0.25 for rep in employed) / max(1, len(employed))
    # capacity kept, not grown: hiring shows in profit and ARR, not as a healthier team
    capacity = min(1.0, session.capacity() / max(1e-9, session.opening["capacity"]))
    heads = totals["headcount_months"] / max(1.0, totals["months"])
    years = totals["months"] / 12
    return {
        "profit": totals["revenue"] - totals["people_spend"] + left,
        "ending_arr": ending_arr,
        "nrr": (kept - totals["contraction_arr"]) / start if start else math.nan,
        "regretted_attrition": totals["regretted_exits"] / max(1e-9, heads * years),
        "team_health": capacity * (1 - low),
        "revenue": totals["revenue"],
        "people_spend": totals["people_spend"],
        "bookings_new_arr": totals["bookings_new_arr"],
        "bookings_expansion_arr": totals["bookings_expansion_arr"],
        "churned_arr": totals["churned_arr"],
        "overspend": session.spend.overspend_share(),
        "forecast_accuracy": accuracy(session.briefer.forecasts),
    }


def scorecard(
    player: Mapping[str, float], yardstick: Mapping[str, float], weights: Mapping[str, float]
) -> Scorecard:
    """Points per weighted indicator: 100 x weight x (1 + gap), clipped to [0, 2 x weight].

    Spending over budget costs ``OVERSPEND_POINTS`` points per 1% of the game's budgets
    overspent beyond what the autopilot overspent.
    """
    total = sum(weights.values())
    lines = []
    for name, weight in weights.items():
        share = weight / total
        ratio = min(
            MAX_POINTS_RATIO, max(0.0, 1 + relative_gap(name, player[name], yardstick[name]))
        )
        lines.append(Line(name, share, player[name], yardstick[name], 100 * share * ratio))
    over = player.get("overspend", 0.0) - yardstick.get("overspend", 0.0)
    return Scorecard(lines, OVERSPEND_POINTS * 100 * max(0.0, over))


def replay_leniently(
    scenario: Scenario, seed: int, log: Sequence[Mapping[str, Any]]
) -> GameSession:
    """Play ``log`` on ``seed``, dropping what cannot apply there; then autopilot to the end."""
    session = GameSession(scenario, seed)
    for decisions in log:
        if session.finished:
            break
        session.advance(lenient(session, decisions))
    play(session, autopilot)
    return session


def measured(session: GameSession) -> dict[str, float]:
    """:func:`outcome`, with what the book and the pipeline left at the end are worth."""
    view = session.sim.view()
    pipeline = sum(stage.value for stage in view.pipeline)
    years = session.scenario.game.book_years
    return {
        **outcome(session),
        "book_value": book_and_pipeline(view.arr, 0.0, 0.0, years),
        "pipeline_value": book_and_pipeline(0.0, pipeline, _win_rate(session), years),
    }


def relative_gap(name: str, value: float, yardstick: float) -> float:
    """The difference over the mean size of the two, signed so that positive is better.

    Symmetric, so luck that moves a small figure (a regretted exit or none) scores as
    much against the player as for it: 0 against 0.3 is +2, and 0.3 against 0 is -2.
    """
    if not (math.isfinite(value) and math.isfinite(yardstick)):
        return 0.0
    scale = (abs(value) + abs(yardstick)) / 2 or 1.0
    gap = (value - yardstick) / scale
    return -gap if name in LOWER_IS_BETTER else gap


def _win_rate(session: GameSession) -> float:
    rows = session.recording.record.monthly
    won = sum(float(row["deals_won"]) for row in rows)
    lost = sum(float(row["deals_lost"]) for row in rows)
    return won / (won + lost) if won + lost else 0.0


def indicator_label(name: str) -> str:
    """An indicator's name as the debrief says it."""
    return {
        "profit": "Profit",
        "ending_arr": "Ending ARR",
        "nrr": "Net revenue retention",
        "regretted_attrition": "Regretted attrition",
        "team_health": "Team health",
    }.get(name, name.replace("_", " ").capitalize())


def indicator_text(name: str, value: float) -> str:
    """An indicator's value as the debrief shows it (a share in percent, money abbreviated)."""
    if name == "team_health":
        return f"{value:.2f}"
    if name in ("nrr", "regretted_attrition", "forecast_accuracy"):
        return f"{value:.1%}"
    return money(value)
