"""What moves on its own: the classroom's own thread, the round timer and the event streams.

Every call on the classroom runs in one thread of its own (:class:`Lane`), one after
another, so the event loop never blocks on a turn and the classroom is never used
from two threads at once. The round timer asks the classroom every second whether the
deadline passed (``tick``); the deadline lives in the database, so a restarted server
re-arms it. One :class:`Hub` polls the classroom's version twice a second for every
open event stream, and each stream says ``changed`` when it moves: a browser then
fetches what it shows again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Lane:
    """Runs calls one at a time, in order, in a thread of their own."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classroom")

    async def __call__(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` in the lane, awaited without blocking the loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(function, *args, **kwargs))

    def close(self) -> None:
        """Finish the calls under way and stop the thread."""
        self._pool.shutdown(wait=True)


async def keep_time(tick: Callable[[], Awaitable[object]], every_seconds: float = 1.0) -> None:
    """Call ``tick`` every ``every_seconds`` until cancelled; a failing tick is only logged."""
    while True:
        try:
            await tick()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the round timer's tick failed; trying again")
        await asyncio.sleep(every_seconds)


class Hub:
    """The classroom's version, polled once for every stream; streams wait on its changes."""

    def __init__(self, version: Callable[[], Awaitable[int]], every_seconds: float = 0.5) -> None:
        self._version = version
        self._every_seconds = every_seconds
        self.version: int | None = None
        self._moved = asyncio.Event()
        self.closed = False

    async def run(self) -> None:
        """Poll until cancelled; a failing poll is logged and retried."""
        try:
            while True:
                try:
                    await self.poll()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("reading the classroom's version failed; trying again")
                await asyncio.sleep(self._every_seconds)
        finally:
            self.close()

    async def poll(self) -> None:
        """Read the version once; wake the streams if it moved."""
        version = await self._version()
        if version != self.version:
            self.version = version
            self._wake()

    def close(self) -> None:
        """End every stream (the server stops)."""
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    async def wait(self, timeout_seconds: float) -> None:
        """Until the version moves, the hub closes or ``timeout_seconds`` pass."""
        moved = self._moved
        with suppress(TimeoutError):
            await asyncio.wait_for(moved.wait(), timeout_seconds)


async def stream(
    hub: Hub,
    *,
    lifetime_seconds: float,
    heartbeat_seconds: float = 15.0,
    clock: Callable[[], float] | None = None,
) -> AsyncIterator[str]:
    """A server-sent event stream: ``changed`` with the version at once and on every move.

    A comment every ``heartbeat_seconds`` keeps proxies from closing it; it ends after
    ``lifetime_seconds`` (the browser reconnects by itself, ``retry`` says when).
    """
    now = clock or asyncio.get_running_loop().time
    ends = now() + lifetime_seconds
    yield "retry: 2000\n\n"
    seen = None
    while not hub.closed:
        if hub.version is not None and hub.version != seen:
            seen = hub.version
            yield f"event: changed\ndata: {seen}\n\n"
        left = ends - now()
        if left <= 0:
            return
        await hub.wait(min(heartbeat_seconds, left))
        if hub.version == seen and not hub.closed and now() < ends:
            yield ": still here\n\n"
