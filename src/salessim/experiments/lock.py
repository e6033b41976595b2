"""One command at a time in a results directory: a lock file holding its holder's pid.

A command that writes results creates ``DIR/salessim.lock`` and removes it when it ends.
The file says who holds it (pid, host, command, since when), and the holder keeps an
advisory lock (``flock``) on it while it runs. The system drops that lock when the
process ends, however it ends, so a lock file left by a killed command is stale: its
pid no longer holds it, and the next command takes it over and says so. A second command
finding the lock held by a live one refuses at once (:class:`LockHeldError`) rather than
computing every replication a second time.

Where the file system offers no ``flock``, the pid decides: a lock file whose pid is no
longer running on this host is stale.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

LOCK_FILE = "salessim.lock"
HOLDER_BYTES = 64 * 1024  # a holder's record is a few hundred bytes; a hostile one is cut
ATTEMPTS = 10  # a lock released while being taken is tried again, a few times


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) a lock: what its file says."""

    pid: int | None
    host: str | None = None
    command: str | None = None
    since: str | None = None

    def describe(self) -> str:
        """``pid 123 on host (since 2027-01-04 12:00:03: salessim compare ...)``, as known."""
        said = f"pid {self.pid}" if self.pid is not None else "an unknown process"
        if self.host and self.host != socket.gethostname():
            said += f" on {self.host}"
        details = [f"since {self.since}"] if self.since else []
        details += [self.command] if self.command else []
        return f"{said} ({': '.join(details)})" if details else said

    def stale_note(self) -> str:
        """Why a lock of this holder's could be taken over."""
        gone = "is no longer running" if not _running_here(self) else "no longer holds it"
        return f"took over the lock left by {self.describe()}, which {gone}"


class LockHeldError(Exception):
    """Another live command holds the lock of a results directory."""

    def __init__(self, directory: Path, holder: Holder) -> None:
        self.directory = directory
        self.holder = holder
        super().__init__(
            f"{directory}: another salessim command is writing these results: "
            f"{holder.describe()}; wait for it to finish, or use another directory"
        )


class DirectoryLock:
    """The lock of one results directory, held from :meth:`acquire` to :meth:`release`.

    ``stale`` is the holder of a stale lock file taken over, if there was one.
    """

    def __init__(self, directory: Path, command: str) -> None:
        self.path = directory / LOCK_FILE
        self.directory = directory
        self.command = command
        self.stale: Holder | None = None
        self._fd: int | None = None

    def acquire(self) -> DirectoryLock:
        """Take the lock.

        Raises:
            LockHeldError: a live command holds it.
            OSError: the lock file cannot be created (a read-only directory, say).
        """
        for _ in range(ATTEMPTS):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if self._take(fd):
                    self._fd = fd
                    return self
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # released and removed while we opened it: open the new one
        raise LockHeldError(self.directory, read_holder(self.path))

    def _take(self, fd: int) -> bool:
        """Hold ``fd``'s file if it is still the lock file and nobody live holds it."""
        if not _flock(fd):
            raise LockHeldError(self.directory, _read(fd))
        try:
            if os.fstat(fd).st_ino != os.stat(self.path).st_ino:
                return False
        except FileNotFoundError:
            return False
        previous = _read(fd)
        if previous.pid is not None and previous.pid != os.getpid():
            self.stale = previous
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": self.command,
            "since": dt.datetime.now().isoformat(sep=" ", timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
        return True

    def release(self) -> None:
        """Give the lock up and remove its file (safe to call twice)."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    def __enter__(self) -> DirectoryLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


def read_holder(path: Path) -> Holder:
    """Who a lock file names (an unknown holder when it says nothing readable)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return Holder(None)
    try:
        return _read(fd)
    finally:
        os.close(fd)


def is_held(directory: Path) -> Holder | None:
    """The live holder of ``directory``'s lock, or None when nobody holds it."""
    path = directory / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        if _flock(fd):
            return None
        return _read(fd)
    except OSError:
        return None
    finally:
        os.close(fd)  # drops a flock taken just to look


def _read(fd: int) -> Holder:
    """What the lock file open at ``fd`` says, every field checked."""
    try:
        data = json.loads(os.pread(fd, HOLDER_BYTES, 0).decode())
    except (OSError, ValueError):
        return Holder(None)
    if not isinstance(data, dict):
        return Holder(None)
    pid = data.get("pid")
    texts = [data.get(key) for key in ("host", "command", "since")]
    host, command, since = (text if isinstance(text, str) else None for text in texts)
    valid_pid = isinstance(pid, int) and not isinstance(pid, bool) and 0 < pid < 2**31
    return Holder(pid if valid_pid else None, host, command, since)


def _flock(fd: int) -> bool:
    """Try to hold an exclusive flock on ``fd``: False when another process holds one.

    Where flock is missing or unsupported, True: the caller then goes by the pid.
    """
    try:
        import fcntl
    except ImportError:  # no flock on this system: the pid decides
        return _unlocked_by_pid(fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:
        if error.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            return _unlocked_by_pid(fd)
        raise
    return True


def _unlocked_by_pid(fd: int) -> bool:
    """Without flock: the lock is free when its file names no process running here."""
    holder = _read(fd)
    return holder.pid is None or holder.pid == os.getpid() or not _running_here(holder)


def _running_here(holder: Holder) -> bool:
    """Whether the holder's pid is a running process (on another host: assume so)."""
    if holder.pid is None:
        return False
    if holder.host is not None and holder.host != socket.gethostname():
        return True
    if os.name != "posix":  # no signal 0 to ask with (os.kill would end the process)
        return True
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    return True
