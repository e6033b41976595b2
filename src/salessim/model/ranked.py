"""Members ranked by a number that changes, for routing that picks the smallest.

``RankedPool.first`` answers "which member has the smallest rank, lowest id on ties?",
exactly as ``min`` over the members sorted by id would, without looking at every
member. The pool is a binary heap of (rank, id, stamp) entries with lazy deletion:
whoever changes a member's rank calls ``update``, which pushes a fresh entry with a new
stamp; entries whose stamp is not their member's latest (or whose member has left) are
dropped when they reach the top. When stale entries outnumber members, the heap is
rebuilt from the members. Cost: O(log n) an ``add`` or ``update``, O(1) a ``discard``,
O(1) amortised a ``first``; at most 2n + 32 entries of about 150 bytes each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from heapq import heapify, heappop, heappush
from typing import Generic, Protocol, TypeVar

SLACK = 32  # stale entries allowed beyond one per member before a rebuild


class Ranked(Protocol):
    """A member: anything with a unique integer id."""

    @property
    def id(self) -> int:
        """Unique among the members; ties of rank go to the lowest."""


M = TypeVar("M", bound=Ranked)


class RankedPool(Generic[M]):
    """The members of a pool, ordered by ``rank(member)`` and then by id."""

    __slots__ = ("_heap", "_members", "_rank", "_stamp", "_stamps")

    def __init__(self, rank: Callable[[M], float], members: Iterable[M] = ()) -> None:
        self._rank = rank
        self._members: dict[int, M] = {member.id: member for member in members}
        self._stamps: dict[int, int] = {}  # each member's latest entry
        self._stamp = 0
        self._heap: list[tuple[float, int, int]] = []
        self._rebuild()

    def __len__(self) -> int:
        return len(self._members)

    def add(self, member: M) -> None:
        """``member`` joins the pool."""
        self._members[member.id] = member
        self.update(member)

    def discard(self, member: M) -> None:
        """``member`` leaves the pool, if it is in it; its entries go stale."""
        if self._members.get(member.id) is member:
            del self._members[member.id]
            del self._stamps[member.id]

    def update(self, member: M) -> None:
        """``member``'s rank may have changed (nothing happens if it is not in the pool)."""
        ident = member.id
        if self._members.get(ident) is not member:
            return
        self._stamp = stamp = self._stamp + 1
        self._stamps[ident] = stamp
        heap = self._heap
        heappush(heap, (self._rank(member), ident, stamp))
        if len(heap) > 2 * len(self._members) + SLACK:
            self._rebuild()

    def first(self) -> M | None:
        """The member with the smallest rank, the lowest id on ties; None if empty."""
        heap, stamps = self._heap, self._stamps
        while heap:
            _, ident, stamp = heap[0]
            if stamps.get(ident) == stamp:
                return self._members[ident]
            heappop(heap)
        return None

    def _rebuild(self) -> None:
        rank, stamps, heap = self._rank, self._stamps, []
        for ident, member in self._members.items():
            self._stamp += 1
            stamps[ident] = self._stamp
            heap.append((rank(member), ident, self._stamp))
        heapify(heap)
        self._heap = heap
