"""What a test process holds: its children and open file descriptors (Linux /proc)."""

from __future__ import annotations

import os
from pathlib import Path


def open_fds() -> int:
    """How many file descriptors this process holds."""
    return len(os.listdir("/proc/self/fd"))


def children() -> set[int]:
    """This process's children, reaped or not (without reaping any)."""
    found: set[int] = set()
    for listing in Path("/proc/self/task").glob("*/children"):
        found.update(int(pid) for pid in listing.read_text().split())
    return found
