"""Routing policies: which rep of a team gets the next piece of work.

A policy is called with the candidate reps (the idle reps of a pooled team, or every
rep of a team whose work stays with its owner) and returns one of them. Candidates
arrive sorted by rep id, so every policy is deterministic given its random stream.

A policy that picks the candidate with the smallest number, lowest id on ties, says so
with a ``rank``: a team then keeps its candidates ranked (``model.ranked``) and asks
for the first in O(log n) instead of calling the policy with all of them. A rank may
read only a rep's ``load`` and ``productivity``: the team re-ranks a rep when either
changes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, Protocol, TypeVar

from salessim.scenario.policies import Routing


class Rep(Protocol):
    """What routing needs to know of a rep."""

    id: int
    load: int
    skill: float
    productivity: float


R = TypeVar("R", bound=Rep)
BY_ID = attrgetter("id")
SCAN_BELOW = 16  # candidates: below this, a scan finds the next rep quicker than a bisection


class RoundRobin:
    """Take turns: the first candidate after the rep chosen last time, by id.

    O(log n) a choice: a binary search of the candidates, which are sorted by id (a scan
    of a few candidates).
    """

    rank = None

    def __init__(self, uniform: Callable[[], float]) -> None:
        self._last = -1

    def __call__(self, candidates: Sequence[R]) -> R:
        """The first candidate after the last choice, wrapping around."""
        last = self._last
        if len(candidates) < SCAN_BELOW:
            chosen = candidates[0]
            for rep in candidates:
                if rep.id > last:
                    chosen = rep
                    break
        else:
            after = bisect_right(candidates, last, key=BY_ID)
            chosen = candidates[after] if after < len(candidates) else candidates[0]
        self._last = chosen.id
        return chosen

    def __repr__(self) -> str:
        return "RoundRobin()"


class LeastLoaded:
    """The candidate with the fewest open items per unit of ramped capacity; lowest id on ties.

    A rep at productivity ``p`` counts as owning ``(load + 1) / p`` items, so a new hire
    half-way up the ramp gets about half the new work of a fully ramped teammate. Called
    with the candidates, it looks at each (O(n)); a team keeps its reps ranked by
    ``rank`` instead, which gives the same rep in O(log n).
    """

    def __init__(self, uniform: Callable[[], float]) -> None:
        pass

    @staticmethod
    def rank(rep: Rep) -> float:
        """Open items per unit of ramped capacity, counting the one to be given."""
        return (rep.load + 1) / max(rep.productivity, 0.05)

    def __call__(self, candidates: Sequence[R]) -> R:
        """The candidate with the smallest load for its capacity."""
        return min(candidates, key=self.rank)

    def __repr__(self) -> str:
        return "LeastLoaded()"


class SkillWeighted:
    """A random candidate, chosen with probability proportional to skill.

    O(n) a choice: the skills are summed in id order, so that the draw lands on the
    same rep to the last bit of rounding.
    """

    rank = None

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

    @property
    def rank(self) -> Callable[[Any], float] | None:
        """If the policy picks the smallest rank (lowest id on ties): the rank of a rep."""
        ...

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
