"""Where the classroom reads the time: epoch seconds from an injected clock.

The round timer and every timestamp go through a :class:`Clock`, so tests move time on
with :class:`FakeClock` instead of sleeping.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """A source of the time, in epoch seconds."""

    def now(self) -> float:
        """The time now."""
        ...


class SystemClock:
    """The machine's clock (``time.time``)."""

    def now(self) -> float:
        """The time now."""
        return time.time()

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock that stands still until told to move on."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.time = start

    def now(self) -> float:
        """The time now."""
        return self.time

    def advance(self, seconds: float) -> None:
        """Move the clock on by ``seconds``."""
        self.time += seconds

    def __repr__(self) -> str:
        return f"FakeClock({self.time})"
