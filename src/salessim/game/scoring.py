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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from salessim.game.decisions import Decisions, parse
from salessim.game.forecasting import accuracy
from salessim.game.players import autopilot, play
from salessim.game.session import GameSession
from salessim.game.wording import decision_lines, joined
from salessim.metrics.value import book_and_pipeline
from salessim.report.format import money
from salessim.scenario.game import LOWER_IS_BETTER
from salessim.scenario.schema import Scenario

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
        return _gap(self.indicator, self.value, self.autopilot)


@dataclass(frozen=True)
class Scorecard:
    """Points per indicator; the autopilot scores 100."""

    lines: list[Line]

    @property
    def total(self) -> float:
        """The score."""
        return sum(line.points for line in self.lines)


@dataclass(frozen=True)
class KeyDecision:
    """A turn's decisions and how much the score would change without them."""

    turn: int
    decisions: dict[str, Any]
    impact: float  # the score minus the score with this turn's decisions left out


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


@dataclass(frozen=True)
class Debrief:
    """The end-of-game report."""

    scorecard: Scorecard
    key_decisions: list[KeyDecision]
    luck: Luck | None

    def lines(self) -> list[str]:
        """The debrief as plain sentences."""
        card = self.scorecard
        said = [f"Score {card.total:.0f} (the autopilot scores 100)."]
        for line in card.lines:
            said.append(
                f"{_label(line.indicator)}: {_show(line.indicator, line.value)} against "
                f"{_show(line.indicator, line.autopilot)} on autopilot "
                f"({line.gap:+.0%}), weight {line.weight:.0%}: {line.points:.1f} points."
            )
        if self.key_decisions:
            said.append("The decisions that mattered most:")
            for key in self.key_decisions:
                said.append(
                    f"  turn {key.turn}: {summary(key.decisions)} "
                    f"({key.impact:+.1f} points against leaving it out)"
                )
        if self.luck is not None and self.luck.margins:
            share = self.luck.percentile
            verdict = (
                "luck was on your side"
                if share > 0.75
                else "luck was against you"
                if share < 0.25
                else "luck played little part"
            )
            wins = sum(m > 0 for m in self.luck.margins)
            said.append(
                f"On {len(self.luck.margins)} other seeds the same decisions beat the autopilot "
                f"{wins} time{'' if wins == 1 else 's'}; this game did better than "
                f"{share:.0%} of them: {verdict}."
            )
        return said


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
        "forecast_accuracy": accuracy(session.briefer.forecasts),
    }


def scorecard(
    player: Mapping[str, float], yardstick: Mapping[str, float], weights: Mapping[str, float]
) -> Scorecard:
    """Points per weighted indicator: 100 x weight x (1 + gap), clipped to [0, 2 x weight]."""
    total = sum(weights.values())
    lines = []
    for name, weight in weights.items():
        share = weight / total
        ratio = min(MAX_POINTS_RATIO, max(0.0, 1 + _gap(name, player[name], yardstick[name])))
        lines.append(Line(name, share, player[name], yardstick[name], 100 * share * ratio))
    return Scorecard(lines)


def lenient(session: GameSession, decisions: Mapping[str, Any]) -> Decisions:
    """``decisions`` less what cannot apply in ``session`` now.

    Reps who are not on this team are not fired or put on a plan; if the rest still
    cannot apply (over budget, say), the hires go too, and failing that everything.
    """
    chosen = parse(decisions)
    employed = {rep.id for rep in session.employed()}
    kept = chosen.model_copy(
        update={
            "fire": [r for r in chosen.fire if r in employed],
            "plan": [r for r in chosen.plan if r in employed and r not in chosen.fire],
        }
    )
    if session.check(kept):
        kept = kept.model_copy(update={"hire": []})
    return Decisions() if session.check(kept) else kept


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

    Args:
        session: a finished game.
        seeds: other seeds to replay the decisions on (the scenario's ``luck_seeds``).
        executor: runs the replays in parallel (serially without one).
        progress: called with (replays done, replays to do).
    """
    if not session.finished:
        raise ValueError(f"the game is not over: {session.turn} of {session.turns} turns played")
    scenario, seed, log = session.scenario, session.seed, list(session.log)
    count = scenario.game.luck_seeds if seeds is None else seeds
    others = [LUCK_SEED_BASE + seed * 7919 + i for i in range(count)]
    turns = [t for t, decisions in enumerate(log) if decisions]
    jobs: list[tuple[Scenario, int, Sequence[Mapping[str, Any]], bool]] = [
        (scenario, seed, [], True),  # the autopilot on this seed
        *[(scenario, seed, _without(log, t), False) for t in turns],
        *[(scenario, s, log, False) for s in others],
        *[(scenario, s, [], True) for s in others],
    ]
    results = list(_map(_outcome_of, jobs, executor, progress))
    weights = scenario.game.scoring
    mine = outcome(session)
    card = scorecard(mine, results[0], weights)
    base = results[0]
    key = [
        KeyDecision(t + 1, log[t], card.total - scorecard(result, base, weights).total)
        for t, result in zip(turns, results[1 : 1 + len(turns)], strict=True)
    ]
    key.sort(key=lambda k: -abs(k.impact))
    played = results[1 + len(turns) : 1 + len(turns) + count]
    yardsticks = results[1 + len(turns) + count :]
    margins = [
        scorecard(p, y, weights).total - 100 for p, y in zip(played, yardsticks, strict=True)
    ]
    luck = Luck(margins, card.total - 100) if count else None
    return Debrief(card, key[:3], luck)


def summary(decisions: Mapping[str, Any]) -> str:
    """A turn's decisions in a few words: every decision, as the menu words it.

    Reps let go, put on a plan or raised to the same level share one clause.
    """
    return joined(decision_lines(decisions, grouped=True)) or "no change"


def _outcome_of(job: tuple[Scenario, int, Sequence[Mapping[str, Any]], bool]) -> dict[str, float]:
    scenario, seed, log, yardstick = job
    session = GameSession(scenario, seed)
    if yardstick:
        play(session, autopilot)
    else:
        session = replay_leniently(scenario, seed, log)
    return outcome(session)


def _map(
    fn: Callable[[Any], dict[str, float]],
    jobs: list[Any],
    executor: Executor | None,
    progress: Callable[[int, int], None] | None,
) -> Iterable[dict[str, float]]:
    mapped = executor.map(fn, jobs) if executor is not None else map(fn, jobs)
    for done, result in enumerate(mapped, start=1):
        if progress is not None:
            progress(done, len(jobs))
        yield result


def _without(log: Sequence[Mapping[str, Any]], turn: int) -> list[Mapping[str, Any]]:
    return [{} if t == turn else decisions for t, decisions in enumerate(log)]


def _gap(name: str, value: float, yardstick: float) -> float:
    if not (math.isfinite(value) and math.isfinite(yardstick)):
        return 0.0
    scale = abs(yardstick) or 1.0
    gap = (value - yardstick) / scale
    return -gap if name in LOWER_IS_BETTER else gap


def _win_rate(session: GameSession) -> float:
    rows = session.recording.record.monthly
    won = sum(float(row["deals_won"]) for row in rows)
    lost = sum(float(row["deals_lost"]) for row in rows)
    return won / (won + lost) if won + lost else 0.0


def _label(name: str) -> str:
    return {
        "profit": "Profit",
        "ending_arr": "Ending ARR",
        "nrr": "Net revenue retention",
        "regretted_attrition": "Regretted attrition",
        "team_health": "Team health",
    }.get(name, name.replace("_", " ").capitalize())


def _show(name: str, value: float) -> str:
    if name == "team_health":
        return f"{value:.2f}"
    if name in ("nrr", "regretted_attrition", "forecast_accuracy"):
        return f"{value:.1%}"
    return money(value)
