"""Routing policies: which rep of a team gets the next piece of work.

A policy is called with the candidate reps (the idle reps of a pooled team, or every
rep of a team whose work stays with its owner) and returns one of them. Candidates
arrive sorted by rep id, so every policy is deterministic given its random stream.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from salessim.scenario.policies import Routing


class Rep(Protocol):
    """What routing needs to know of a rep."""

    id: int
    load: int
    skill: float
    productivity: float


R = TypeVar("R", bound=Rep)


class RoundRobin:
    """Take turns: the first candidate after the rep chosen last time, by id."""

    def __init__(self, uniform: Callable[[], float]) -> None:
        self._last = -1

    def __call__(self, candidates: Sequence[R]) -> R:
        """The first candidate after the last choice, wrapping around."""
        chosen = candidates[0]
        for rep in candidates:
            if rep.id > self._last:
                chosen = rep
                break
        self._last = chosen.id
        return chosen

    def __repr__(self) -> str:
        return "RoundRobin()"


class LeastLoaded:
    """The candidate with the fewest open items per unit of ramped capacity; lowest id on ties.

    A rep at productivity ``p`` counts as owning ``(load + 1) / p`` items, so a new hire
    half-way up the ramp gets about half the new work of a fully ramped teammate.
    """

    def __init__(self, uniform: Callable[[], float]) -> None:
        pass

    def __call__(self, candidates: Sequence[R]) -> R:
        """The candidate with the smallest load for its capacity."""
        return min(candidates, key=lambda rep: (rep.load + 1) / max(rep.productivity, 0.05))

    def __repr__(self) -> str:
        return "LeastLoaded()"


class SkillWeighted:
    """A random candidate, chosen with probability proportional to skill."""

    def __init__(self, uniform: Callable[[], float]) -> None:
        self._uniform = uniform

    def __call__(self, candidates: Sequence[R]) -> R:
        """A candidate drawn with probability proportional to skill."""
        if len(candidates) == 1:
            return candidates[0]
        target = self._uniform() * sum(rep.skill for rep in candidates)
        for rep in candidates:
            target -= rep.skill
            if target < 0:
                return rep
        return candidates[-1]

    def __repr__(self) -> str:
        return "SkillWeighted()"


class RoutingPolicy(Protocol):
    """A routing policy: picks one of the candidates, which arrive sorted by id."""

    def __call__(self, candidates: Sequence[R], /) -> R:
        """The chosen candidate."""
        ...


ROUTING_POLICIES: dict[Routing, Callable[[Callable[[], float]], RoutingPolicy]] = {
    Routing.ROUND_ROBIN: RoundRobin,
    Routing.LEAST_LOADED: LeastLoaded,
    Routing.SKILL_WEIGHTED: SkillWeighted,
}


def make_routing(name: Routing, uniform: Callable[[], float]) -> RoutingPolicy:
    """The routing policy registered under ``name``, drawing from ``uniform`` if it needs to."""
    return ROUTING_POLICIES[name](uniform)
