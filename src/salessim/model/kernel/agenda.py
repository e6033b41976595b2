"""An agenda for far-future events of many entities, at 12 bytes an entry.

A SimPy process or timeout per account costs hundreds of bytes while it waits months for
a renewal. The agenda keeps entries as (time, code) pairs in compact per-day columns
and, at the start of each day, hands that day's entries to SimPy as exact timeouts in
time order, so only a day's worth of events is ever live. ``action(code)`` runs at each
entry's exact time.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Generator

import simpy

from salessim.model.kernel.schedule import schedule


class Agenda:
    """Call ``action(code)`` at given times, for many integer codes far in the future."""

    def __init__(self, env: simpy.Environment, action: Callable[[int], None]) -> None:
        self.env = env
        self.action = action
        self._times: dict[int, array[float]] = {}
        self._codes: dict[int, array[int]] = {}
        self._next_day = int(env.now)
        env.process(self._release())

    def __len__(self) -> int:
        return sum(len(codes) for codes in self._codes.values())

    def at(self, time: float, code: int) -> None:
        """Call ``action(code)`` at ``time`` (or now, if that has passed)."""
        time = max(time, self.env.now)
        day = int(time)
        if day < self._next_day:
            self._schedule(time, code)
            return
        if day not in self._codes:
            self._times[day], self._codes[day] = array("d"), array("i")
        self._times[day].append(time)
        self._codes[day].append(code)

    def _schedule(self, time: float, code: int) -> None:
        action = self.action
        schedule(self.env, time - self.env.now, lambda _event: action(code))

    def _release(self) -> Generator[simpy.Event, None, None]:
        while True:
            day = self._next_day
            self._next_day = day + 1
            times, codes = self._times.pop(day, None), self._codes.pop(day, None)
            if times is not None and codes is not None:
                for i in sorted(range(len(codes)), key=lambda i: (times[i], i)):
                    self._schedule(times[i], codes[i])
            yield self.env.timeout(self._next_day - self.env.now)
