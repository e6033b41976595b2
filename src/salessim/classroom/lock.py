"""One close at a time: an advisory lock on a file beside the class database.

The server's timer, its instructor page and ``classroom advance`` in another terminal may
all try to close a round; the first holds ``CLASS.sqlite.lock`` (``flock``) while it
closes and the others are refused at once. The system drops the lock when its holder
ends, however it ends, so a crashed close never blocks the next. The file stays.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from salessim.classroom.errors import RefusedError

SUFFIX = ".lock"


def lock_path(db: Path) -> Path:
    """The lock file of the class database ``db``."""
    return db.with_name(db.name + SUFFIX)


@contextlib.contextmanager
def closing(db: Path) -> Iterator[None]:
    """Hold the class's close lock for the block.

    Raises:
        RefusedError: another close (in this process or another) holds it.
    """
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefusedError("a round is being closed already; wait for it to finish") from None
        yield
    finally:
        os.close(fd)  # drops the lock
