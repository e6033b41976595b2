"""What replays have played: the variants, their results, and the cache of results.

A variant is a seed and a decision log (one entry per turn); its result is a measure of
the finished game and, when asked for, each turn's figures. :data:`PLAYED` keeps results
in this process: the autopilot's, which every debrief of a scenario and seed shares, and
those played in the background while the game is played.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from salessim.game.session import GameSession
from salessim.scenario.schema import Scenario

Measure = Callable[[GameSession], dict[str, float]]


@dataclass(frozen=True)
class Variant:
    """A game to replay: a seed, one decision entry per turn, a name for errors."""

    seed: int
    log: tuple[Mapping[str, Any], ...]
    name: str
    quarterly: bool = False  # also keep each turn's figures (:data:`QUARTER_FIGURES`)
    turns: int | None = None  # measured after this many turns; None: the whole game


@dataclass(frozen=True)
class Result:
    """A replayed variant: its measure at the end and, if asked for, each turn's figures."""

    outcome: dict[str, float]
    quarters: list[dict[str, float]] = field(default_factory=list)


class Pending(Protocol):
    """Replays under way in the background, whose results a :class:`Played` will take."""

    def collect(self) -> list[tuple[Scenario, Variant, Measure, Result]]:
        """Wait for the replays and return what they played (nothing if they failed)."""
        ...

    def cancel(self) -> None:
        """Stop the replays and wait for their processes to end."""
        ...


class Played:
    """Results of replays already played in this process, per scenario, seed, log and measure.

    The autopilot plays no decisions, so its game depends on nothing the player does:
    every debrief of a scenario and seed (and every player's luck seeds) shares it, and
    :func:`replay_all` keeps it here. Replays played in the background while the game is
    played (:meth:`expect`) are kept too. The oldest go beyond ``size`` entries.
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._results: dict[tuple[str, int, str, str, int | None], Result] = {}
        self._pending: list[Pending] = []

    def get(self, scenario: Scenario, variant: Variant, measure: Measure) -> Result | None:
        """``variant``'s result if it has been played; replays under way are waited for."""
        while self._pending:
            for played in self._pending.pop().collect():
                self.keep(*played)
        return self._results.get(_key(scenario, variant, measure))

    def known(self, scenario: Scenario, variant: Variant, measure: Measure) -> bool:
        """Whether ``variant``'s result is here already (without waiting for any)."""
        return _key(scenario, variant, measure) in self._results

    def keep(self, scenario: Scenario, variant: Variant, measure: Measure, result: Result) -> None:
        """Remember a result."""
        self._results[_key(scenario, variant, measure)] = result
        while len(self._results) > self.size:
            del self._results[next(iter(self._results))]

    def under_way(self) -> list[Pending]:
        """The replays under way in the background."""
        return list(self._pending)

    def expect(self, pending: Pending) -> None:
        """Take the results of ``pending`` when they are next asked for."""
        self._pending.append(pending)

    def cancel(self) -> None:
        """Stop every replay under way in the background."""
        while self._pending:
            self._pending.pop().cancel()

    def clear(self) -> None:
        """Forget every result (and stop what is under way)."""
        self.cancel()
        self._results.clear()


def _key(
    scenario: Scenario, variant: Variant, measure: Measure
) -> tuple[str, int, str, str, int | None]:
    digest = hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()
    log = list(variant.log)
    while log and not log[-1]:
        log.pop()  # an empty turn at the end is the autopilot's turn
    decided = json.dumps(log, sort_keys=True)
    named = f"{measure.__module__}.{measure.__qualname__}"
    return digest, variant.seed, decided, named, variant.turns


PLAYED = Played()  # results of pure functions: the same in every process
