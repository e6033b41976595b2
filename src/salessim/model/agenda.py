"""An agenda for far-future events of many entities, at O(1) memory per entry.

A SimPy process or timeout per account costs about a kilobyte while it waits for a
renewal months away. The agenda keeps such entries in one heap of plain tuples and, once
a day, hands the entries due within the next day to SimPy as exact timeouts, so only a
day's worth of events is ever live. Times are kept exactly.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from typing import Any

import simpy

Action = Callable[[Any], None]


class Agenda:
    """Call ``action(subject)`` at a given time, for many subjects far in the future."""

    def __init__(self, env: simpy.Environment, window_days: float = 1.0) -> None:
        self.env = env
        self.window_days = window_days
        self._heap: list[tuple[float, int, Action, Any]] = []
        self._sequence = 0
        self._horizon = env.now
        env.process(self._release())

    def __len__(self) -> int:
        return len(self._heap)

    def at(self, time: float, action: Action, subject: Any) -> None:
        """Call ``action(subject)`` at ``time`` (not before now)."""
        time = max(time, self.env.now)
        if time < self._horizon:
            self._schedule(time, action, subject)
            return
        self._sequence += 1
        heapq.heappush(self._heap, (time, self._sequence, action, subject))

    def _schedule(self, time: float, action: Action, subject: Any) -> None:
        self.env.timeout(time - self.env.now).callbacks.append(  # type: ignore[union-attr]
            lambda _event: action(subject)
        )

    def _release(self) -> Generator[simpy.Event, None, None]:
        heap = self._heap
        while True:
            self._horizon = self.env.now + self.window_days
            while heap and heap[0][0] < self._horizon:
                time, _sequence, action, subject = heapq.heappop(heap)
                self._schedule(time, action, subject)
            yield self.env.timeout(self.window_days)
