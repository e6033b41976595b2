"""The lines of a results directory's files, read and written so that damage shows.

A line is read with its line break, so one cut short is seen as torn; a line longer
than a limit is cut and the rest of it skipped, so a hostile file is never held in
memory whole. A file rewritten goes through a temporary file, so a reader sees it old or
new, whole.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

MAX_ROW_BYTES = 64 * 1024
"""The longest results or failures row read (salessim writes rows of about 100 bytes)."""


def read_lines(path: Path, limit: int) -> Iterator[bytes]:
    """The lines of ``path``, each with its line break, one at a time.

    A line longer than ``limit`` comes back cut, without its line break (so it reads as
    torn), and the rest of it is skipped: a long file is never held in memory whole.
    """
    if not path.exists():
        return
    with path.open("rb") as handle:
        while line := handle.readline(limit + 1):
            if len(line) > limit:
                while (rest := handle.readline(limit)) and not rest.endswith(b"\n"):
                    pass
                yield line[:limit]
                continue
            yield line


def csv_fields(line: bytes, count: int) -> list[str] | None:
    """The CSV fields of a whole line when there are ``count`` of them, or None."""
    if not line.endswith(b"\n"):
        return None
    try:
        text = line.decode("utf-8")
        # A quoted field (a sweep's arm "ae=18, sdr=6") needs the csv module; most rows do not.
        quoted = '"' in text
        fields = next(csv.reader([text])) if quoted else text.rstrip("\r\n").split(",")
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    return fields if len(fields) == count else None


def is_header(line: bytes, names: tuple[str, ...]) -> bool:
    """Whether ``line`` is the header row of a file with the fields ``names``."""
    return line.rstrip(b"\r\n") == ",".join(names).encode()


def is_number(value: object) -> bool:
    """Whether a value read from JSON is a number (``true`` and ``false`` are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def cut_torn_tail(path: Path) -> None:
    """Cut ``path`` back to its last line break: a last line without one was cut short."""
    if not path.exists():
        return
    with path.open("r+b") as handle:
        end = handle.seek(0, os.SEEK_END)
        if end == 0:
            return
        handle.seek(end - 1)
        if handle.read(1) == b"\n":
            return
        position = end
        while position > 0:
            start = max(0, position - MAX_ROW_BYTES)
            handle.seek(start)
            found = handle.read(position - start).rfind(b"\n")
            if found >= 0:
                handle.truncate(start + found + 1)
                return
            position = start
        handle.truncate(0)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file: a reader sees old or new, whole."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
