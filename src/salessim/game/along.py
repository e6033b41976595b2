"""The debrief's replays played along with the game, a turn at a time, in the background.

The debrief replays the player's decisions on other seeds and the game with each decision
left out. Both need every turn's decisions, but only up to each turn: so while the game
is played, a forked process per seed keeps its own game at the player's turn, playing
each turn as soon as the player has (:meth:`PlayAlong.feed`). On the game's own seed,
where a decision will be left out, the process forks a child at that turn boundary that
plays the turn without it and then follows the game. At the end each process measures
its game; :data:`~salessim.game.played.PLAYED` takes the results, so the debrief
replays only what is missing (nothing, if the game was fed to the end).

The processes run at a low priority, hold a slot (one per core) only while playing a
turn, and are stopped with :meth:`PlayAlong.cancel` when the game stops early.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import select
import signal
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

from salessim.game.forking import (
    FRAME,
    Slots,
    forking_allowed,
    in_background,
    send_message,
    stop_group,
)
from salessim.game.played import PLAYED, Measure, Result, Variant
from salessim.game.replays import QUARTER_FIGURES, elsewhere, lenient
from salessim.game.session import GameSession
from salessim.scenario.schema import Scenario

Parts = Callable[[Mapping[str, Any]], list[dict[str, Any]]]
Key = tuple[Any, ...]  # ("player", seed) or ("without", turn, names of the decisions left out)


class PlayAlong:
    """Follow a game on its seed (leaving decisions out) and on ``seeds`` (as played)."""

    def __init__(
        self,
        session: GameSession,
        seeds: Sequence[int],
        measure: Measure,
        parts: Parts,
        slots: Slots | None = None,
    ) -> None:
        """Start a process per seed; feed them what ``session`` has played so far.

        They play in ``slots`` if given (shared with other work), in slots of their own
        otherwise.
        """
        self.scenario, self.seed, self.measure = session.scenario, session.seed, measure
        self.sent: list[dict[str, Any]] = []
        self.results: dict[Key, Result] = {}
        self._read, channel = os.pipe()
        self._own_slots = slots is None
        self._slots = slots or Slots(os.cpu_count() or 1)
        self._followers: dict[int, int] = {}  # pid: the write end of its commands
        self._seeds: dict[int, int] = {}  # pid: the seed it plays
        for seed in [session.seed, *seeds]:
            commands, feed = os.pipe()
            pid = os.fork()
            if pid == 0:
                unused = (self._read, feed, *self._followers.values())
                departing = parts if seed == session.seed else None
                slots = self._slots
                work = functools.partial(
                    _first, self.scenario, seed, departing, commands, channel, slots, measure
                )
                _child(work, unused)
            with contextlib.suppress(OSError):
                os.setpgid(pid, pid)
            os.close(commands)
            self._followers[pid] = feed
            self._seeds[pid] = seed
        os.close(channel)
        self.feed(session)
        PLAYED.expect(self)

    def feed(self, session: GameSession) -> None:
        """Send the followers each turn ``session`` has played since the last feed."""
        for entry in session.log[len(self.sent) :]:
            (there,) = elsewhere([entry])
            for pid, feed in self._followers.items():
                _write(feed, ("turn", entry if self._seeds[pid] == self.seed else there))
            self.sent.append(entry)

    def collect(self) -> list[tuple[Scenario, Variant, Measure, Result]]:
        """End the followers' games and take each one's result (what fails is left out)."""
        for feed in self._followers.values():
            _write(feed, ("end",))
            os.close(feed)
        buffer = b""
        while chunk := _read_some(self._read):
            buffer += chunk
        for pid in self._followers:
            os.waitpid(pid, 0)
        self._followers.clear()
        os.close(self._read)
        if self._own_slots:
            self._slots.close()
        while len(buffer) >= FRAME.size:
            (length,) = FRAME.unpack_from(buffer)
            kind, key, body = pickle.loads(buffer[FRAME.size : FRAME.size + length])
            buffer = buffer[FRAME.size + length :]
            if kind == "done":
                self.results[key] = body
        return [
            (self.scenario, self._variant(key), self.measure, result)
            for key, result in self.results.items()
        ]

    def cancel(self) -> None:
        """Stop every follower and wait for them."""
        for pid, feed in self._followers.items():
            stop_group(pid, signal.SIGKILL)
            os.close(feed)
        self._followers.clear()
        os.close(self._read)
        if self._own_slots:
            self._slots.close()

    def follows(self, session: GameSession) -> bool:
        """Whether this follows ``session``'s game."""
        return session.scenario is self.scenario and session.seed == self.seed

    def _variant(self, key: Key) -> Variant:
        if key[0] == "player":
            log = tuple(self.sent) if key[1] == self.seed else elsewhere(self.sent)
            return Variant(key[1], log, "")
        _, turn, names = key
        log = tuple(
            {k: v for k, v in entry.items() if k not in names} if t == turn else entry
            for t, entry in enumerate(self.sent)
        )
        return Variant(self.seed, log, "")


def keep_up(session: GameSession) -> None:
    """Feed the turns ``session`` has played to whatever follows it."""
    for pending in PLAYED.under_way():
        if isinstance(pending, PlayAlong) and pending.follows(session):
            pending.feed(session)


def play_along(
    session: GameSession,
    seeds: Sequence[int],
    measure: Measure,
    parts: Parts,
    slots: Slots | None = None,
) -> PlayAlong | None:
    """Start following ``session`` where fork is allowed (None where it is not)."""
    return PlayAlong(session, seeds, measure, parts, slots) if forking_allowed() else None


# ----------------------------------------------------------------------- the followers
def _first(
    scenario: Scenario,
    seed: int,
    departing: Parts | None,
    commands: int,
    channel: int,
    slots: Slots,
    measure: Measure,
) -> None:
    """Build the seed's game, then follow the player's turns."""
    in_background(stop=False)
    slots.take(lambda: None)
    try:
        session = GameSession(scenario, seed)
    finally:
        slots.give()
    _follow(session, ("player", seed), departing, commands, channel, slots, measure, [])


def _follow(
    session: GameSession,
    key: Key,
    departing: Parts | None,
    commands: int,
    channel: int,
    slots: Slots,
    measure: Measure,
    quarters: list[dict[str, float]],
) -> None:
    """Play each turn sent on ``commands``; at the end, send the game's measure as ``key``.

    ``quarters`` holds the figures of the turns played so far; each turn adds its own.
    """
    children: dict[int, int] = {}  # pid: the write end of its commands
    try:
        while (message := _receive(commands)) is not None and message[0] == "turn":
            entry = message[1]
            for feed in children.values():
                _write(feed, message)
            for part in departing(entry) if departing is not None else []:
                without = {k: v for k, v in entry.items() if k not in part}
                later = ("without", session.turn, tuple(part))
                forked = _depart(
                    session, without, later, commands, children, channel, slots, measure, quarters
                )
                children.update(forked)
            quarters.append(_turn(session, entry, slots))
        if message is None:
            return  # the game went away: nothing to report
        for feed in children.values():
            _write(feed, ("end",))
        if session.finished:  # a game cut short is not the replay the debrief needs
            send_message(channel, ("done", key, Result(measure(session), quarters)))
    finally:
        for feed in children.values():
            os.close(feed)
        for pid in children:
            os.waitpid(pid, 0)


def _depart(
    session: GameSession,
    entry: Mapping[str, Any],
    key: Key,
    commands: int,
    siblings: dict[int, int],
    channel: int,
    slots: Slots,
    measure: Measure,
    quarters: list[dict[str, float]],
) -> dict[int, int]:
    """Fork a child that plays ``entry`` instead of the turn, then follows the game."""
    their_commands, feed = os.pipe()
    pid = os.fork()
    if pid == 0:

        def follow() -> None:
            played = [*quarters, _turn(session, entry, slots)]
            _follow(session, key, None, their_commands, channel, slots, measure, played)

        _child(follow, (commands, feed, *siblings.values()))
    os.close(their_commands)
    return {pid: feed}


def _turn(session: GameSession, entry: Mapping[str, Any], slots: Slots) -> dict[str, float]:
    """Play one turn in a slot; its figures."""
    slots.take(lambda: None)
    try:
        briefing = session.advance(lenient(session, entry))
    finally:
        slots.give()
    shown = {row.name: row.value for row in briefing.indicators}
    return {name: float(shown[name]) for name in QUARTER_FIGURES}


def _child(work: Callable[[], None], unused: Sequence[int]) -> NoReturn:
    """Run ``work`` in a forked follower, with its parent's ``unused`` descriptors closed.

    Whatever happens, the child leaves here without cleaning up (never into its parent's
    code).
    """
    code = 1
    try:
        for fd in unused:
            os.close(fd)
        work()
        code = 0
    except BaseException:  # the debrief replays what a follower could not
        code = 1
    finally:
        os._exit(code)


def _write(fd: int, message: tuple[Any, ...]) -> None:
    """Send a command (each pipe has one writer, so it may take several writes)."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    data = memoryview(FRAME.pack(len(payload)) + payload)
    with contextlib.suppress(BrokenPipeError):  # a follower that died is left out
        while data:
            data = data[os.write(fd, data) :]


def _receive(fd: int) -> tuple[Any, ...] | None:
    """The next command, or None when its sender has gone."""
    header = _exactly(fd, FRAME.size)
    if header is None:
        return None
    (length,) = FRAME.unpack(header)
    payload = _exactly(fd, length)
    return None if payload is None else pickle.loads(payload)


def _exactly(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read_some(fd: int) -> bytes:
    select.select([fd], [], [])
    return os.read(fd, 1 << 16)
