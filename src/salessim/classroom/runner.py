"""The turn runner: where the teams' live games are played, checked and briefed.

Every call names a team and brings its log; the games themselves are
:class:`salessim.classroom.games.Games`. With ``workers=0`` they live in this process
(tests, small classes).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

from salessim.classroom.exercise import scenario_of
from salessim.classroom.games import Games


class Runner:
    """The teams' live games, reached by team id."""

    def __init__(self, scenario_json: str, seed: int, workers: int = 0) -> None:
        self._games = Games(scenario_of(scenario_json), seed)
        self._lock = threading.Lock()  # one call at a time into the games held here
        self.workers = workers

    def submit(self, team: int, method: str, *args: Any) -> Future[Any]:
        """Call ``Games.<method>(team, *args)`` for the team; its answer comes in the future."""
        future: Future[Any] = Future()
        try:
            with self._lock:
                future.set_result(getattr(self._games, method)(team, *args))
        except Exception as error:
            future.set_exception(error)
        return future

    def call(self, team: int, method: str, *args: Any) -> Any:
        """Call ``Games.<method>(team, *args)`` and wait for the answer."""
        return self.submit(team, method, *args).result()

    def close(self) -> None:
        """Let the games go."""
