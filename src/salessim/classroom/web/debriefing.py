"""The class debrief from the instructor's page: made in a process of its own, shown when ready.

A class debrief replays every team's game on the luck seeds: about a minute for 60 teams.
The web process serves pages while it runs, so the debrief is made by a fresh process
(``spawn``: no copy of the server's threads), which forks its replays as
``salessim classroom debrief`` does and writes the same files to ``CLASS-debrief/``
beside the database: ``debrief.html`` (shown here), ``debrief.md`` and ``debrief.json``.
It reports its progress in ``progress.json`` there and, if it fails, why in
``failed.txt``. A debrief made before a restart of the server is still shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path

from salessim.classroom.debrief import debrief_folder

PROGRESS = "progress.json"
FAILED = "failed.txt"
PAGE = "debrief.html"
MAX_PAGE_BYTES = 20_000_000


@dataclass(frozen=True)
class Progress:
    """Where the class debrief stands."""

    running: bool
    done: int = 0
    total: int = 0
    made_at: str | None = None  # when the page shown was written (local time)
    failed: str | None = None  # why the last attempt failed


class Debriefing:
    """The class debrief of one class's database: started once at a time, read any time."""

    def __init__(self, db: Path) -> None:
        self.folder = debrief_folder(db)
        self._db = db
        self._process: multiprocessing.process.BaseProcess | None = None

    def start(self, seeds: int | None = None) -> None:
        """Start making the debrief, unless it is being made already."""
        if self.running:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in (PROGRESS, FAILED):
            (self.folder / name).unlink(missing_ok=True)
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(
            target=make, args=(str(self._db), str(self.folder), seeds), name="class debrief"
        )
        self._process.start()

    @property
    def running(self) -> bool:
        """Whether a debrief is being made now (by this server)."""
        return self._process is not None and self._process.is_alive()

    def progress(self) -> Progress:
        """Where it stands: running (replays done of all), made (when), or failed (why)."""
        running = self.running
        done = total = 0
        counted = _read(self.folder / PROGRESS)
        if running and counted:
            with contextlib.suppress(ValueError, TypeError):  # a torn count: none yet
                done, total = (int(n) for n in json.loads(counted))
        page = self.folder / PAGE
        made = None
        if page.is_file():
            made = dt.datetime.fromtimestamp(page.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        failed = None if running else _read(self.folder / FAILED)
        if not running and self._process is not None and self._process.exitcode and not failed:
            failed = f"the debrief's process ended with code {self._process.exitcode}"
        return Progress(running, done, total, made, failed)

    def page(self) -> str | None:
        """The debrief's page, if one has been made."""
        path = self.folder / PAGE
        if not path.is_file() or path.stat().st_size > MAX_PAGE_BYTES:
            return None
        return path.read_text(encoding="utf-8")

    def stop(self) -> None:
        """Stop a debrief being made (the server is stopping)."""
        if self.running and self._process is not None:
            self._process.terminate()
            self._process.join(5)


def make(db: str, folder: str, seeds: int | None) -> None:
    """In the debrief's own process: the class debrief of ``db``, written into ``folder``."""
    from salessim.classroom.room import Classroom

    out = Path(folder)
    try:
        with Classroom.open(Path(db), workers=0) as room:
            found = room.debrief(seeds=seeds, progress=lambda done, total: _count(out, done, total))
        found.write(out)
    except BaseException as error:  # told on the instructor's page, not lost in a log
        _write(out / FAILED, f"{type(error).__name__}: {error}"[:500])
        raise SystemExit(1) from None
    finally:
        (out / PROGRESS).unlink(missing_ok=True)


def _count(folder: Path, done: int, total: int) -> None:
    _write(folder / PROGRESS, json.dumps([done, total]))


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
