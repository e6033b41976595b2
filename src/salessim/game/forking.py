"""Forked processes for replays: slots per core, results over a pipe, children reaped.

A SimPy run cannot be copied, so a snapshot of a run is a forked process. The processes
that replay a game's variants share a slot pipe, one byte per core: a process plays only
while it holds a byte. Each sends its results to its parent as small framed pickles,
written whole so they never interleave, and a parent reaps its children, reporting those
that died. Where fork is unavailable (not POSIX, ``SALESSIM_NO_FORK`` set, or under a
debugger) nothing is forked.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

NO_FORK = "SALESSIM_NO_FORK"  # set (not empty) to replay every variant from the start
FRAME = struct.Struct("!I")  # a message's length, before its pickle
MESSAGE_BYTES = getattr(select, "PIPE_BUF", 512)  # a write this long is never interleaved
POLL_SECONDS = 0.1  # how often a waiting process looks for children that died
CANCEL_SECONDS = 5.0  # how long processes playing ahead have to stop before being killed
AHEAD_NICENESS = 5  # replays in the background give way to the game being played

Progress = Callable[[int, int], None]


class ReplayError(RuntimeError):
    """A replay failed or its process died."""


def forking_allowed() -> bool:
    """Whether variants may be forked from snapshots (POSIX, not disabled, no debugger)."""
    if not hasattr(os, "fork") or os.environ.get(NO_FORK):
        return False
    return not debugger_attached()


def debugger_attached() -> bool:
    """Whether a debugger traces this process (a forked child would confuse it)."""
    if any(name in sys.modules for name in ("pydevd", "debugpy")):
        return True
    trace = sys.gettrace()
    owner = getattr(trace, "__self__", None)
    return owner is not None and type(owner).__module__ in ("bdb", "pdb")


class Slots:
    """One byte per core in a pipe: a process takes one to play and gives it back when done.

    ``held`` counts the slots this process holds; a forked child inherits its parent's.
    """

    def __init__(self, count: int) -> None:
        self._read, self._write = os.pipe()
        os.write(self._write, b"x" * count)
        os.set_blocking(self._read, False)  # shared by every process: never toggled
        self.held = 0

    def take(self, waiting: Callable[[], object]) -> None:
        """Take a slot, calling ``waiting`` every so often until one is free."""
        while True:
            ready, _, _ = select.select([self._read], [], [], POLL_SECONDS)
            if ready:
                try:
                    os.read(self._read, 1)
                except BlockingIOError:  # another process took it first
                    pass
                else:
                    self.held += 1
                    return
            waiting()

    def passed(self) -> None:
        """The slot just taken went to a forked child."""
        self.held -= 1

    def give(self) -> None:
        """Give a slot back."""
        if self.held > 0:
            self.held -= 1
            self.put_back()

    def give_all(self) -> None:
        """Give back every slot this process holds."""
        while self.held > 0:
            self.give()

    def put_back(self) -> None:
        """Return a slot that a dead process held."""
        os.write(self._write, b"x")

    def close(self) -> None:
        """Close both ends."""
        os.close(self._read)
        os.close(self._write)


def run_child(work: Callable[[], None], channel: int, slots: Slots, index: int) -> NoReturn:
    """Run ``work`` in a forked child, report a failure, and leave without cleaning up."""
    code = 1
    try:
        work()
        code = 0
    except BaseException as error:  # any failure is the parent's to report
        with contextlib.suppress(BaseException):
            send_message(channel, ("failed", index, reason(error)))
    finally:
        with contextlib.suppress(BaseException):
            slots.give_all()
        os._exit(code)


def reap(children: dict[int, int], channel: int, slots: Slots, *, block: bool) -> None:
    """Wait for children that ended (all of them if ``block``); report those that died."""
    for pid, index in list(children.items()):
        done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
        if not done:
            continue
        del children[pid]
        if os.WIFSIGNALED(status):
            slots.put_back()  # it died holding its slot
        if ended_badly(status):
            send_message(channel, ("died", index, how_it_ended(status)))


def send_message(channel: int, message: tuple[str, Any, Any]) -> None:
    """Write one message whole (short enough never to interleave with another)."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    framed = FRAME.pack(len(payload)) + payload
    if len(framed) > MESSAGE_BYTES:
        raise ReplayError(f"a replay's result takes {len(framed)} bytes, over {MESSAGE_BYTES}")
    os.write(channel, framed)


def reason(error: BaseException) -> str:
    """An error in a line short enough for a message."""
    return f"{type(error).__name__}: {error}"[:300]


def ended_badly(status: int) -> bool:
    """Whether a child's wait status is anything but a clean exit."""
    return not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)


def how_it_ended(status: int) -> str:
    """A child's wait status in words: the signal that killed it or its exit code."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(number).name}"
        return f"killed by signal {number}"
    return f"exit code {os.WEXITSTATUS(status)}"


class Inbox:
    """The results of named jobs as they arrive, with progress, failures and deaths."""

    def __init__(self, names: list[str], progress: Progress | None) -> None:
        self._names = names
        self._progress = progress
        self._results: dict[int, Any] = {}
        self._problems: dict[int, str] = {}
        self._buffer = b""

    def read(self, fd: int, timeout: float | None) -> bool:
        """Read what has arrived (waiting up to ``timeout``); False at the end of input."""
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return True
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return False
        self._buffer += chunk
        for message in self._messages():
            self._take(message)
        return True

    def _messages(self) -> Iterator[tuple[str, int, Any]]:
        while len(self._buffer) >= FRAME.size:
            (length,) = FRAME.unpack_from(self._buffer)
            if len(self._buffer) < FRAME.size + length:
                return
            payload = self._buffer[FRAME.size : FRAME.size + length]
            self._buffer = self._buffer[FRAME.size + length :]
            yield pickle.loads(payload)

    def _take(self, message: tuple[str, int, Any]) -> None:
        kind, index, body = message
        if kind == "done":
            self._results[index] = body
            if self._progress is not None:
                self._progress(len(self._results), len(self._names))
        else:
            self._problems.setdefault(index, f"{kind} ({body})")

    def died(self, members: list[int], status: int) -> None:
        """A seed's process ended: if it died, its unfinished variants are lost."""
        if ended_badly(status):
            for index in members:
                if index not in self._results:
                    self._problems.setdefault(index, f"died ({how_it_ended(status)})")

    def results(self) -> list[Any]:
        """Every job's result, in order.

        Raises:
            ReplayError: a job failed, died or never reported.
        """
        for index, name in enumerate(self._names):
            if index in self._problems:
                raise ReplayError(f"the replay of {name} {self._problems[index]}")
            if index not in self._results:
                raise ReplayError(f"the replay of {name} ended without a result")
        return [self._results[i] for i in range(len(self._names))]


def stop_group(pid: int, how: signal.Signals) -> None:
    """Signal ``pid``'s process group; wait for ``pid``, killing the group if it lingers."""
    with contextlib.suppress(OSError):
        os.killpg(pid, how)
    with contextlib.suppress(ChildProcessError):  # reaped already
        for _ in range(int(CANCEL_SECONDS / POLL_SECONDS)):
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
            select.select([], [], [], POLL_SECONDS)
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def in_background(*, stop: bool) -> None:
    """In a forked child: its own process group, a low priority, the default signals.

    Away from the terminal's signals and the game's handlers, stopped as a group; with
    ``stop``, SIGTERM unwinds (so that the child stops its own children).
    """
    os.setpgid(0, 0)
    os.nice(AHEAD_NICENESS)  # the game being played comes first
    for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    if stop:
        signal.signal(signal.SIGTERM, _stop)


def _stop(number: int, frame: object) -> None:
    raise SystemExit(1)  # unwinds through _forked, which stops its own children
