"""Patience deadlines of waiting work, in day-wide buckets: O(1) to add, whatever the queue.

Adding an item appends it, with its deadline, to the bucket of its day; only when a
day becomes the next due is its bucket sorted (an item due within the current day is
inserted in order). So a lead that joins a queue of 100,000
costs two appends rather than a walk down a heap of 100,000 entries, and a bucket keeps
its deadlines in a flat array rather than one tuple per item.

Entries are never removed early: an entry is live while its item still waits with the
deadline the entry was made with (``item.deadline``). A served item, or one queued
again elsewhere with a new deadline or none, leaves a stale entry that is skipped.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from collections.abc import Iterator
from typing import Any, Protocol

BUCKET_DAYS = 1.0
NO_DEADLINE = -1.0  # an item queued without patience


class Timed(Protocol):
    """Work with a patience deadline."""

    deadline: float
    waiting: bool


class Deadlines:
    """Waiting items by deadline, handed out in deadline order once due."""

    __slots__ = ("_buckets", "_current", "_current_key", "_keys")

    def __init__(self) -> None:
        self._buckets: dict[int, tuple[list[Any], array[float]]] = {}
        self._keys: list[int] = []  # heap of the days that have a bucket
        self._current: list[tuple[float, Any]] = []  # the due day, latest first
        self._current_key = -1

    def add(self, item: Timed) -> None:
        """Watch ``item`` until ``item.deadline``."""
        deadline = item.deadline
        key = int(deadline // BUCKET_DAYS)
        if key <= self._current_key:
            bisect.insort(self._current, (deadline, item), key=_latest_first)
            return
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = ([], array("d"))
            heapq.heappush(self._keys, key)
        bucket[0].append(item)
        bucket[1].append(deadline)

    def next_deadline(self) -> float | None:
        """The earliest deadline of a live entry, None if there is none."""
        current = self._current
        while True:
            while current:
                deadline, item = current[-1]
                if item.waiting and item.deadline == deadline:
                    return deadline
                current.pop()
            if not self._keys:
                return None
            self._current_key = key = heapq.heappop(self._keys)
            items, deadlines = self._buckets.pop(key)
            current = self._current = list(zip(deadlines, items, strict=True))
            current.sort(key=_latest_first)

    def due(self, now: float) -> Iterator[Any]:
        """The live items whose deadline has come, earliest first, one at a time.

        The caller takes each item out of the queue (``waiting = False``) before asking
        for the next.
        """
        while (deadline := self.next_deadline()) is not None and deadline <= now:
            yield self._current.pop()[1]


def _latest_first(entry: tuple[float, Any]) -> float:
    return -entry[0]
