"""The terminal going away under a game: SIGHUP, ended reads, failed writes.

A closed window or a dropped SSH link reaches a program in two ways, in either order or
both: SIGHUP, and a terminal whose reads end and whose writes fail with EIO. The game
treats both as one hang-up: it saves and exits 129 (:mod:`salessim.cli.game_play`). Nothing
here raises from inside a signal handler, so a hang-up never cuts a save short.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.text import Text

if sys.platform != "win32":
    import termios

LOST_TERMINAL = (errno.EIO, errno.EPIPE)  # a write to a hung-up terminal, or a closed pipe


class HangUp:
    """The SIGHUP handler while a game is played: it notes the hang-up and ends the input.

    It raises nothing, so nothing it lands in (a turn being played, a save being written,
    another stop being handled) is cut short. Standard input is pointed at the null
    device, so a read waiting at a prompt returns at once with the end of input, and
    :meth:`reader` ends every later read (lines typed ahead included): the game stops at
    its next question, saves and exits 129.
    """

    def __init__(self) -> None:
        self.heard = False

    def __call__(self, _signal: int, _frame: object) -> None:
        """Note the hang-up and end standard input."""
        self.heard = True
        with contextlib.suppress(OSError, ValueError, AttributeError):  # no stdin to end
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, sys.stdin.fileno())
            os.close(null)

    def reader(self, console: Console) -> Callable[[str], str]:
        """Read a line at ``console``; the end of input once the terminal has hung up."""

        def read(prompt: str) -> str:
            if self.heard:
                raise EOFError
            return console.input(Text(prompt))

        return read


@contextlib.contextmanager
def hang_ups_noted() -> Iterator[HangUp]:
    """Within, a hang-up (SIGHUP) is noted by a :class:`HangUp`; after one, they are ignored."""
    hang_up = HangUp()
    if not hasattr(signal, "SIGHUP"):  # Windows
        yield hang_up
        return
    previous = signal.signal(signal.SIGHUP, hang_up)
    try:
        yield hang_up
    finally:
        signal.signal(signal.SIGHUP, signal.SIG_IGN if hang_up.heard else previous)


@contextlib.contextmanager
def interrupts_ignored() -> Iterator[None]:
    """Within, Ctrl-C (SIGINT) is ignored: a second one does not cut a stop's save short."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def terminal_gone(fd: int | None = None) -> bool:
    """Whether ``fd`` (standard input by default) is a terminal that has hung up.

    A hung-up terminal ends every read and fails every request with EIO; a pipe or a
    file at its end is not a hang-up (that is Ctrl-D's end of input, or a script's).
    """
    if sys.platform == "win32":
        return False
    try:
        termios.tcgetattr(sys.stdin.fileno() if fd is None else fd)
    except termios.error as error:
        return bool(error.args) and error.args[0] == errno.EIO
    except (OSError, ValueError, AttributeError):  # closed, or replaced by no stream at all
        return False
    return False


def silence_lost_terminal() -> None:
    """Point standard output and error at the null device if their terminal has gone.

    What is still buffered for them would fail again when Python exits, and turn the
    exit code into 120 with a complaint nobody can read.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            fd = stream.fileno()
        except (OSError, ValueError, AttributeError):
            continue
        if terminal_gone(fd):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)
