"""The class debrief: every team's score, luck and key decisions, and what the best did.

Each team's debrief is the game's own (:func:`salessim.game.debrief.debrief_replays`):
the same replays, read the same way, so a team's score here is the score its own
debrief gives. The replays of the whole class are played in one round, each once: the
autopilot on the class seed and on each luck seed once for the class, and a game two
teams share (two bots that changed nothing) once for both. A team that played fewer
turns than the game (the class stopped early) is scored at its last turn, against the
autopilot at that turn.

Replays are forked from snapshots where the machine allows (:mod:`salessim.game.replays`),
else played on a process pool; given an ``executor`` or a dask ``scheduler`` they are
played there instead, each from the start.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import statistics
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from salessim.classroom import debrief_report
from salessim.classroom.debrief_decisions import KindRow, compare_habits
from salessim.experiments.cluster import dask_executor
from salessim.experiments.stats import mean_interval
from salessim.game.debrief import Debrief, DebriefReplays, debrief_replays, luck_seeds
from salessim.game.decisions import DecisionError, parse
from salessim.game.forking import Progress, forking_allowed
from salessim.game.played import Result, Variant
from salessim.game.replays import replay_all
from salessim.game.scoring import measured, relative_gap
from salessim.game.session import GameSession
from salessim.scenario.game import SCORABLE
from salessim.scenario.schema import Scenario

Log = Sequence[Mapping[str, Any]]
BEST_SHARE = 0.25  # the best teams: the top quarter of the class, at least one team
FIGURES = (
    "profit", "ending_arr", "nrr", "regretted_attrition", "team_health", "forecast_accuracy",
    "revenue", "people_spend", "bookings_new_arr", "bookings_expansion_arr", "churned_arr",
)  # fmt: skip
"""The indicators the best teams are compared with the rest on, as every game measures them."""


@dataclass(frozen=True)
class TeamDebrief:
    """One team's game: its debrief (the game's own) and what it measured at its last turn."""

    name: str
    log: tuple[Mapping[str, Any], ...]
    debrief: Debrief
    outcome: dict[str, float]

    @property
    def turns(self) -> int:
        """Turns the team played."""
        return len(self.log)

    @property
    def score(self) -> float:
        """The score on the class seed (the autopilot scores 100)."""
        return self.debrief.scorecard.total

    @property
    def margins(self) -> list[float]:
        """Score minus the autopilot's on each luck seed."""
        return self.debrief.luck.margins if self.debrief.luck is not None else []

    @property
    def luck(self) -> tuple[float, float, float] | None:
        """The mean margin on the luck seeds and its 95% interval (None with fewer than 2)."""
        found = mean_interval(self.margins)
        if found is None:
            return None
        mean, half = found
        return mean, mean - half, mean + half


@dataclass(frozen=True)
class Spread:
    """The class's scores: lowest, quartiles and highest."""

    low: float
    lower_quartile: float
    median: float
    upper_quartile: float
    high: float

    @classmethod
    def of(cls, scores: Sequence[float]) -> Spread:
        """The spread of ``scores`` (quartiles interpolated between the scores)."""
        if len(scores) == 1:
            return cls(*[scores[0]] * 5)
        low, middle, high = statistics.quantiles(scores, n=4, method="inclusive")
        return cls(min(scores), low, middle, high, max(scores))


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator's mean in the best teams' games and in the rest's."""

    indicator: str
    best: float
    rest: float
    gap: float  # the best's relative gap to the rest, positive: better (as scoring reads it)


@dataclass(frozen=True)
class BestVsRest:
    """The best teams (the top quarter) against the rest: their decisions and their figures."""

    best: list[str]
    rest: list[str]
    kinds: list[KindRow]
    indicators: list[IndicatorRow]  # the largest gap first


@dataclass(frozen=True)
class ClassDebrief:
    """The debrief of a whole class, best team first."""

    exercise: str
    seed: int
    turns: int  # the game's
    luck_seeds: list[int]
    teams: list[TeamDebrief]
    spread: Spread
    best_vs_rest: BestVsRest
    questions: list[str]
    replays: int  # games replayed for the whole class, each once

    def lines(self) -> list[str]:
        """The debrief as plain text lines, for a terminal."""
        return debrief_report.lines(self)

    def to_markdown(self) -> str:
        """The debrief as Markdown."""
        return debrief_report.markdown(self)

    def to_html(self, path: Path) -> Path:
        """Write the debrief to ``path`` as one self-contained HTML page; return the path."""
        path.write_text(debrief_report.html(self))
        return path

    def write(self, folder: Path) -> list[Path]:
        """Write debrief.html, debrief.md and debrief.json into ``folder``, each whole.

        Raises:
            OSError: ``folder`` cannot be written.
        """
        folder.mkdir(parents=True, exist_ok=True)
        texts = {
            "debrief.html": debrief_report.html(self),
            "debrief.md": self.to_markdown(),
            "debrief.json": json.dumps(self.to_json(), indent=1) + "\n",
        }
        written = []
        for name, text in texts.items():
            target = folder / name
            partial = target.with_name(f".{name}.partial")
            partial.write_text(text, encoding="utf-8")
            partial.replace(target)  # a reader never sees half a file
            written.append(target)
        return written

    def to_json(self) -> dict[str, Any]:
        """The debrief as plain data (NaN as None), for ``json.dumps``."""
        return debrief_report.as_data(self)


def debrief_folder(db: Path) -> Path:
    """Where a class's debrief is written by default: ``CLASS-debrief/`` beside its database."""
    return db.with_name(f"{db.stem}-debrief")


def class_debrief(
    scenario: Scenario,
    seed: int,
    teams: Mapping[str, Log],
    *,
    seeds: int | None = None,
    executor: Executor | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> ClassDebrief:
    """Score every team's game on the class seed and debrief the class.

    Args:
        scenario: the exercise.
        seed: the class seed: every team played on it.
        teams: each team's decision log by name, one mapping per turn played (as a save
            file holds them); fewer turns than the game score the game to that turn.
        seeds: luck seeds to replay each team's decisions on (the scenario's
            ``luck_seeds`` by default).
        executor: play the replays on it (each from the start) rather than forking them.
        scheduler: the address of a dask scheduler to play the replays on instead.
        progress: called with (replays done, replays to do) as each replay finishes.

    Raises:
        ValueError: no team, or a log that is empty, too long or not decisions.
        ReplayError: a replay failed or its process died.
        ClusterError: the dask scheduler cannot be used.
    """
    if not teams:
        raise ValueError("a class debrief needs at least one team")
    turns = GameSession(scenario, seed).turns
    logs = {name: _checked(name, log, turns) for name, log in teams.items()}
    names = list(logs)
    plans = [
        debrief_replays(
            scenario,
            seed,
            logs[name],
            seeds,
            turns=None if len(logs[name]) == turns else len(logs[name]),
        )
        for name in names
    ]
    unique, where = _shared(names, plans)
    with _replaying(executor, scheduler) as (pool, fork):
        results = replay_all(
            scenario, unique, measured, executor=pool, progress=progress, fork=fork
        )
    debriefs = [
        _team(name, logs[name], plan, [results[i] for i in spots], scenario.game.scoring)
        for name, plan, spots in zip(names, plans, where, strict=True)
    ]
    ranked = sorted(debriefs, key=lambda team: (-team.score, team.name))
    count = scenario.game.luck_seeds if seeds is None else seeds
    return ClassDebrief(
        scenario.meta.name,
        seed,
        turns,
        luck_seeds(seed, count),
        ranked,
        Spread.of([team.score for team in ranked]),
        best_vs_rest(ranked),
        list(scenario.game.briefing.questions),
        len(unique),
    )


def best_vs_rest(ranked: Sequence[TeamDebrief]) -> BestVsRest:
    """The top quarter of ``ranked`` (best first; at least one team) against the others."""
    cut = max(1, math.ceil(len(ranked) * BEST_SHARE))
    best, rest = ranked[:cut], ranked[cut:]
    kinds = compare_habits([team.log for team in best], [team.log for team in rest])
    indicators = []
    if rest:
        for name in FIGURES:
            mine = _mean([team.outcome.get(name, math.nan) for team in best])
            theirs = _mean([team.outcome.get(name, math.nan) for team in rest])
            gap = relative_gap(name, mine, theirs) if name in SCORABLE else math.nan
            indicators.append(IndicatorRow(name, mine, theirs, gap))
        indicators.sort(key=lambda row: -abs(row.gap) if math.isfinite(row.gap) else 0.0)
    return BestVsRest([t.name for t in best], [t.name for t in rest], kinds, indicators)


def _checked(name: str, log: Log, turns: int) -> tuple[dict[str, Any], ...]:
    """A team's log as the game logs it (one mapping per turn).

    Raises:
        ValueError: not a list of decisions, none at all or more turns than the game has.
    """
    if isinstance(log, Mapping | str | bytes) or not isinstance(log, Sequence):
        raise ValueError(f"team {name!r}: the log must be a list of one mapping per turn")
    if not log:
        raise ValueError(f"team {name!r} has played no turn")
    if len(log) > turns:
        raise ValueError(f"team {name!r} has {len(log)} turns; the game has {turns}")
    entries = []
    for turn, entry in enumerate(log, start=1):
        try:
            chosen = parse(entry)
        except DecisionError as error:
            raise ValueError(f"team {name!r}, turn {turn}: {error}") from None
        entries.append(chosen.model_dump(mode="json", exclude_defaults=True))
    return tuple(entries)


def _shared(
    names: Sequence[str], plans: Sequence[DebriefReplays]
) -> tuple[list[Variant], list[list[int]]]:
    """Every distinct replay once, autopilots first, and where each team's replays are in it.

    Autopilots first: per seed the first replay is played whole, and the others depart
    from it where they first differ (a team's first decision).
    """
    index: dict[tuple[int, int | None, str], int] = {}
    unique: list[Variant] = []
    where = []
    for name, plan in zip(names, plans, strict=True):
        spots = []
        for variant in plan.variants:
            key = _identity(variant)
            if key not in index:
                index[key] = len(unique)
                unique.append(_named(variant, name))
            elif variant.quarterly:
                unique[index[key]] = dataclasses.replace(unique[index[key]], quarterly=True)
            spots.append(index[key])
        where.append(spots)
    order = sorted(range(len(unique)), key=lambda i: any(unique[i].log))
    moved = {old: new for new, old in enumerate(order)}
    return [unique[i] for i in order], [[moved[i] for i in spots] for spots in where]


def _identity(variant: Variant) -> tuple[int, int | None, str]:
    log = list(variant.log)
    while log and not log[-1]:
        log.pop()  # an empty turn at the end is the autopilot's turn
    return variant.seed, variant.turns, json.dumps(log, sort_keys=True)


def _named(variant: Variant, team: str) -> Variant:
    if not any(variant.log):
        return variant
    return dataclasses.replace(variant, name=f"{variant.name} (team {team})")


def _team(
    name: str,
    log: tuple[dict[str, Any], ...],
    plan: DebriefReplays,
    results: list[Result],
    weights: Mapping[str, float],
) -> TeamDebrief:
    return TeamDebrief(name, log, plan.debrief(results, weights), results[0].outcome)


def _mean(values: Sequence[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return statistics.fmean(finite) if finite else math.nan


@contextlib.contextmanager
def _replaying(
    executor: Executor | None, scheduler: str | None
) -> Iterator[tuple[Executor | None, bool]]:
    """Where the replays play: (an executor or None, whether to fork from snapshots)."""
    if scheduler is not None:
        with dask_executor(scheduler) as on_cluster:
            yield on_cluster, False
    elif executor is not None:
        yield executor, False
    elif forking_allowed():
        yield None, True
    else:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            yield pool, False
