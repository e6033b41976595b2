"""Scoring and the debrief: indicators against an autopilot, luck against skill, key decisions.

Each indicator is measured over the whole game and compared with the autopilot (the
scenario's own policies, no decisions) on the same seed: matching the autopilot scores
100 points, and each indicator moves the score by its relative gap times its weight.
The customer book and the open pipeline left at the end are valued in profit (the book
at ``book_years`` of its ARR, the pipeline at its expected wins: ``metrics.value``, the
valuation the ``contribution`` KPI uses too), so cutting costs in the last quarter at the
expense of the future does not pay.

Luck against skill: the player's decisions are replayed on other seeds, where the same
decisions meet different customers and luck. Decisions that no longer make sense there
(firing a rep who is not on that team) are dropped.

The replays are played by :mod:`salessim.game.replays`, each from the turn where it
departs from the game (forked from a snapshot), and while a game is being played by
:mod:`salessim.game.along`, a turn behind the player (:func:`played_ahead`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from salessim.game.along import play_along
from salessim.game.forecasting import accuracy
from salessim.game.forking import Slots, forking_allowed
from salessim.game.played import PLAYED, Result, Variant
from salessim.game.players import autopilot, play
from salessim.game.replays import QUARTER_FIGURES, elsewhere, lenient, play_ahead, replay_all
from salessim.game.session import GameSession
from salessim.game.wording import decision_lines, joined
from salessim.metrics.value import book_and_pipeline
from salessim.report.format import money
from salessim.scenario.game import LOWER_IS_BETTER
from salessim.scenario.schema import Scenario

QUARTER_LABELS = {
    "bookings_new_arr": "New ARR",
    "churned_arr": "Churn",
    "people_spend": "People spend",
    "ending_arr": "Ending ARR",
}
TIE_POINTS = 1e-9  # margins closer than this are the same score
OVERSPEND_POINTS = 2.0  # points lost per 1% of the game's budgets overspent
MAX_POINTS_RATIO = 2.0  # an indicator earns at most twice its weight, at least nothing
LUCK_SEED_BASE = 1_000_003  # other seeds: this plus the seed times a prime, never the seed


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


@dataclass(frozen=True)
class KeyDecision:
    """A decision (or a turn's decisions) and how much the score would change without it."""

    turn: int
    decisions: dict[str, Any]  # the turn's decisions, or the one left out of several
    impact: float  # the score minus the score with these decisions left out


@dataclass(frozen=True)
class Luck:
    """The player's result among those of the same decisions on other seeds."""

    margins: list[float]  # score minus autopilot on each other seed
    margin: float  # on the player's own seed

    @property
    def percentile(self) -> float:
        """Share of other seeds where the same decisions did worse than here."""
        if not self.margins:
            return math.nan
        return sum(m < self.margin for m in self.margins) / len(self.margins)

    @property
    def tied(self) -> bool:
        """Every other seed scored what this game did: luck could not tell them apart."""
        return bool(self.margins) and all(abs(m - self.margin) <= TIE_POINTS for m in self.margins)

    def verdict(self) -> str:
        """What the other seeds say about luck, in words."""
        if self.tied:
            return "every seed scored the same, so luck made no difference"
        worse = sum(m < self.margin - TIE_POINTS for m in self.margins)
        equal = sum(abs(m - self.margin) <= TIE_POINTS for m in self.margins)
        share = (worse + equal / 2) / len(self.margins)  # a tie counts half
        if share > 0.75:
            return "luck was on your side"
        return "luck was against you" if share < 0.25 else "luck played little part"


@dataclass(frozen=True)
class Quarter:
    """One turn's figures in the player's game and the autopilot's (``QUARTER_FIGURES``)."""

    turn: int
    player: dict[str, float]
    autopilot: dict[str, float]


@dataclass(frozen=True)
class Profit:
    """What the profit indicator is made of."""

    revenue: float
    people_spend: float
    book: float  # the customer book left at the end, at ``book_years`` of its ARR
    pipeline: float  # the open pipeline left at the end, at the game's win rate
    total: float

    @property
    def other(self) -> float:
        """Whatever else the profit counts (nothing unless the scoring says so)."""
        return self.total - (self.revenue - self.people_spend + self.book + self.pipeline)

    @classmethod
    def of(cls, measures: Mapping[str, float]) -> Profit:
        """The parts from :func:`measured`."""
        return cls(
            measures["revenue"],
            measures["people_spend"],
            measures["book_value"],
            measures["pipeline_value"],
            measures["profit"],
        )

    def words(self) -> str:
        """The sum in words."""
        said = (
            f"{money(self.revenue)} revenue - {money(self.people_spend)} people spend + "
            f"{money(self.book)} for the book + {money(self.pipeline)} for the pipeline"
        )
        if abs(self.other) > 0.5:
            said += f" {'+' if self.other > 0 else '-'} {money(abs(self.other))} other"
        return said


@dataclass(frozen=True)
class Debrief:
    """The end-of-game report."""

    scorecard: Scorecard
    key_decisions: list[KeyDecision]
    luck: Luck | None
    quarters: list[Quarter] = field(default_factory=list)
    profit: tuple[Profit, Profit] | None = None  # the player's and the autopilot's

    def lines(self) -> list[str]:
        """The debrief as plain sentences."""
        card = self.scorecard
        said = [f"Score {card.total:.0f} (the autopilot scores 100)."]
        for line in card.lines:
            name = line.indicator
            said.append(
                f"{indicator_label(name)}: {indicator_text(name, line.value)} against "
                f"{indicator_text(name, line.autopilot)} on autopilot "
                f"({line.gap:+.0%}), weight {line.weight:.0%}: {line.points:.1f} points."
            )
        if card.penalty > 0:
            said.append(f"Over budget: -{card.penalty:.1f} points.")
        if self.profit is not None:
            mine, autopilot = self.profit
            said.append(f"Profit, yours: {mine.words()} = {money(mine.total)}.")
            said.append(f"Profit, autopilot: {autopilot.words()} = {money(autopilot.total)}.")
        said += self.quarter_lines()
        if self.key_decisions:
            said.append("The decisions that mattered most:")
            for key in self.key_decisions:
                said.append(
                    f"  turn {key.turn}: {summary(key.decisions)} "
                    f"({key.impact:+.1f} points against leaving it out)"
                )
        if self.luck is not None and self.luck.margins:
            share = self.luck.percentile
            wins = sum(m > 0 for m in self.luck.margins)
            against = "" if self.luck.tied else f"; this game did better than {share:.0%} of them"
            said.append(
                f"On {len(self.luck.margins)} other seeds the same decisions beat the autopilot "
                f"{wins} time{'' if wins == 1 else 's'}{against}: {self.luck.verdict()}."
            )
        return said

    def quarter_lines(self) -> list[str]:
        """Turn by turn, the player's figures against the autopilot's, as aligned text."""
        if not self.quarters:
            return []
        headings = ["Turn", *(QUARTER_LABELS[name] for name in QUARTER_FIGURES)]
        rows = [headings]
        for quarter in self.quarters:
            rows.append(
                [
                    str(quarter.turn),
                    *(
                        f"{money(quarter.player[name])} / {money(quarter.autopilot[name])}"
                        for name in QUARTER_FIGURES
                    ),
                ]
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(headings))]
        table = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
                 for row in rows]  # fmt: skip
        return ["Turn by turn, yours / the autopilot's:", *(f"  {row}" for row in table)]


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


def debrief(
    session: GameSession,
    *,
    seeds: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Debrief:
    """Score a finished game, find its key decisions and check its luck.

    Each variant (the autopilot, the game with one turn or one decision left out, the
    decisions on other seeds) is replayed from the turn where it departs from the game
    (:mod:`salessim.game.replays`), in parallel where the machine allows.

    Args:
        session: a finished game.
        seeds: other seeds to replay the decisions on (the scenario's ``luck_seeds``).
        executor: runs the replays in parallel where they cannot be forked from
            snapshots (they are replayed serially from the start without one).
        progress: called with (replays done, replays to do) as each replay finishes.

    Raises:
        ValueError: the game is not over.
        ReplayError: a replay failed or its process died (the message names it).
    """
    if not session.finished:
        raise ValueError(f"the game is not over: {session.turn} of {session.turns} turns played")
    scenario = session.scenario
    planned = debrief_replays(scenario, session.seed, session.log, seeds)
    results = replay_all(scenario, planned.variants, measured, executor=executor, progress=progress)
    return planned.debrief(results, scenario.game.scoring, mine=measured(session))


@dataclass(frozen=True)
class DebriefReplays:
    """The replays a game's debrief needs, in order, and how to read their results.

    Made by :func:`debrief_replays`; :func:`debrief` plays them for one game, and a class
    debrief plays those of many games at once.
    """

    variants: list[Variant]  # the game, the autopilot, each left out, then the luck seeds
    left_out: list[tuple[int, dict[str, Any]]]  # (turn index, the decisions left out)
    seeds: list[int]  # the luck seeds

    def debrief(
        self,
        results: Sequence[Result],
        weights: Mapping[str, float],
        *,
        mine: Mapping[str, float] | None = None,
    ) -> Debrief:
        """The debrief from each variant's result (in :attr:`variants`' order).

        ``mine`` is the game's own measure if it was played live (the replay of its log
        measures the same).
        """
        game, base = results[0], results[1].outcome
        card = scorecard(game.outcome if mine is None else mine, base, weights)
        count, gone = len(self.seeds), len(self.left_out)
        key = [
            KeyDecision(t + 1, part, card.total - scorecard(result.outcome, base, weights).total)
            for (t, part), result in zip(self.left_out, results[2 : 2 + gone], strict=True)
        ]
        key.sort(key=lambda k: -abs(k.impact))
        played = results[2 + gone : 2 + gone + count]
        yardsticks = results[2 + gone + count :]
        margins = [
            scorecard(p.outcome, y.outcome, weights).total - 100
            for p, y in zip(played, yardsticks, strict=True)
        ]
        luck = Luck(margins, card.total - 100) if count else None
        quarters = [
            Quarter(turn, player, autopilot)
            for turn, (player, autopilot) in enumerate(
                zip(game.quarters, results[1].quarters, strict=True), start=1
            )
        ]
        profit = (Profit.of(game.outcome if mine is None else mine), Profit.of(base))
        return Debrief(card, key[:3], luck, quarters, profit)


def debrief_replays(
    scenario: Scenario,
    seed: int,
    log: Sequence[Mapping[str, Any]],
    seeds: int | None = None,
    *,
    turns: int | None = None,
) -> DebriefReplays:
    """What the debrief of a game of ``log`` on ``seed`` replays (see :func:`debrief`).

    ``seeds`` is how many luck seeds (the scenario's ``luck_seeds`` by default); ``turns``
    scores the game after that many turns (the whole game by default).
    """
    played = tuple(log)
    empty: tuple[Mapping[str, Any], ...] = tuple({} for _ in played)
    count = scenario.game.luck_seeds if seeds is None else seeds
    others = luck_seeds(seed, count)
    left_out = [(t, part) for t, decisions in enumerate(played) for part in _parts(decisions)]
    variants = [
        Variant(seed, played, "your game", quarterly=True),
        Variant(seed, empty, f"the autopilot on seed {seed}", quarterly=True),
        *[
            Variant(seed, _without(played, t, part), f"your game without {_named(t, part, played)}")
            for t, part in left_out
        ],
        *[Variant(s, elsewhere(played), f"your decisions on seed {s}") for s in others],
        *[Variant(s, empty, f"the autopilot on seed {s}") for s in others],
    ]
    if turns is not None:
        variants = [dataclasses.replace(variant, turns=turns) for variant in variants]
    return DebriefReplays(variants, left_out, others)


def luck_seeds(seed: int, count: int) -> list[int]:
    """The other seeds a game on ``seed`` is replayed on: never the seed itself."""
    return [LUCK_SEED_BASE + seed * 7919 + i for i in range(count)]


@contextlib.contextmanager
def played_ahead(session: GameSession, *, seeds: int | None = None) -> Iterator[None]:
    """While the game is played, play what its debrief will replay, in the background.

    The autopilots depend on no decision: they are played at once. The player's decisions
    on the luck seeds, and the game with each decision left out, are played a turn at a
    time as the game is (:func:`salessim.game.along.keep_up` feeds them each turn). The
    debrief at the end takes what they played (waiting if need be). Leaving the block
    stops whatever is still being played.
    """
    count = session.scenario.game.luck_seeds if seeds is None else seeds
    others = luck_seeds(session.seed, count)
    slots = Slots(os.cpu_count() or 1) if forking_allowed() else None  # one per core, for all
    play_ahead(session.scenario, [session.seed, *others], measured, slots)
    play_along(session, others, measured, _parts, slots)
    try:
        yield
    finally:
        PLAYED.cancel()
        if slots is not None:
            slots.close()


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


def summary(decisions: Mapping[str, Any]) -> str:
    """A turn's decisions in a few words: every decision, as the menu words it.

    Reps let go, put on a plan or raised to the same level share one clause.
    """
    return joined(decision_lines(decisions, grouped=True)) or "no change"


def _parts(decisions: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A turn's decisions to leave out one at a time: the whole turn if it held one."""
    if len(decisions) <= 1:
        return [dict(decisions)] if decisions else []
    return [{name: value} for name, value in decisions.items()]


def _without(
    log: Sequence[Mapping[str, Any]], turn: int, part: Mapping[str, Any]
) -> tuple[Mapping[str, Any], ...]:
    """``log`` with ``part`` of ``turn``'s decisions left out."""
    return tuple(
        {k: v for k, v in decisions.items() if k not in part} if t == turn else decisions
        for t, decisions in enumerate(log)
    )


def _named(turn: int, part: Mapping[str, Any], log: Sequence[Mapping[str, Any]]) -> str:
    whole = len(part) == len(log[turn])
    return f"turn {turn + 1}" if whole else f"turn {turn + 1}'s {', '.join(part)}"


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
