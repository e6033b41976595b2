"""The turn runner: the teams' live games in a small pool of worker processes.

Each team is pinned to one worker (team id modulo the number of workers), a
single-process executor of its own, so the team's live
:class:`~salessim.classroom.games.Games` entry stays in one place and its calls (plays,
checks, briefings) run there in the order they came. Every call brings the team's log,
so a worker that died is simply replaced: the next call rebuilds the team's game from
its log. A call that was under way when its worker died is sent once more, to the new
worker. With ``workers=0`` the games live in this process (tests, small classes).

Workers are started on first use, with ``spawn`` (no copy of a threaded server process),
and ignore Ctrl-C: the parent decides when they stop.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from salessim.classroom.exercise import scenario_of
from salessim.classroom.games import Games

_GAMES: Games | None = None  # the games of a worker process, set as it starts


def _start_worker(scenario_json: str, seed: int) -> None:
    """Set up a worker: its games, and Ctrl-C left to the parent."""
    global _GAMES
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _GAMES = Games(scenario_of(scenario_json), seed)


def _call(team: int, method: str, args: tuple[Any, ...]) -> Any:
    """Run ``Games.<method>(team, *args)`` in a worker."""
    assert _GAMES is not None, "a worker started by the runner"
    return getattr(_GAMES, method)(team, *args)


class Pending:
    """A call under way: :meth:`result` waits for it, sending it once more if its worker died."""

    def __init__(
        self,
        runner: Runner,
        pool: ProcessPoolExecutor,
        call: tuple[int, str, tuple[Any, ...]],
        future: Future[Any],
        retries: int,
    ) -> None:
        self._runner = runner
        self._pool = pool
        self._call = call
        self._future = future
        self._retries = retries

    def result(self) -> Any:
        """The call's answer (its exception raised here).

        Raises:
            BrokenProcessPool: the worker died on this call, and again on the retry.
        """
        try:
            return self._future.result()
        except BrokenProcessPool:
            if not self._retries:
                raise
            self._runner.replace(self._pool)
            return self._runner.send(self._call, self._retries - 1).result()


class Runner:
    """The teams' live games, reached by team id."""

    def __init__(self, scenario_json: str, seed: int, workers: int = 0) -> None:
        if workers < 0:
            raise ValueError(f"workers: 0 or more, not {workers}")
        self.workers = workers
        self._scenario_json = scenario_json
        self._seed = seed
        self._local = Games(scenario_of(scenario_json), seed) if workers == 0 else None
        self._pools: list[ProcessPoolExecutor | None] = [None] * workers
        self._lock = threading.Lock()

    def submit(self, team: int, method: str, *args: Any) -> Pending | Future[Any]:
        """Call ``Games.<method>(team, *args)`` in the team's worker; ``.result()`` waits."""
        if self._local is None:
            return self.send((team, method, args))
        future: Future[Any] = Future()
        try:
            with self._lock:  # one call at a time into the games held here
                future.set_result(getattr(self._local, method)(team, *args))
        except Exception as error:
            future.set_exception(error)
        return future

    def call(self, team: int, method: str, *args: Any) -> Any:
        """Call ``Games.<method>(team, *args)`` and wait for the answer."""
        return self.submit(team, method, *args).result()

    def send(self, call: tuple[int, str, tuple[Any, ...]], retries: int = 1) -> Pending:
        """Send a call to its team's worker, starting it (or a replacement) if need be."""
        index = call[0] % self.workers
        pool = self._pool(index)
        try:
            future = pool.submit(_call, *call)
        except BrokenProcessPool:
            self.replace(pool)
            pool = self._pool(index)
            future = pool.submit(_call, *call)
        return Pending(self, pool, call, future, retries)

    def replace(self, broken: ProcessPoolExecutor) -> None:
        """Drop the worker ``broken`` if it is still in use; the next call starts another."""
        with self._lock:
            if broken not in self._pools:
                return  # replaced already
            self._pools[self._pools.index(broken)] = None
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop every worker (the games they hold go with them)."""
        with self._lock:
            pools, self._pools = self._pools, [None] * self.workers
        for pool in pools:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _pool(self, index: int) -> ProcessPoolExecutor:
        with self._lock:
            pool = self._pools[index]
            if pool is None:
                pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(self._scenario_json, self._seed),
                )
                self._pools[index] = pool
            return pool
