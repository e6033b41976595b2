"""What reading a results directory found cut short or spoiled, and how to say it.

:class:`salessim.experiments.store.Store` fills a :class:`Damage` as it reads; the
commands print its :meth:`Damage.notes`, naming each lost replication by its seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHOWN_REPLICATIONS = 5  # a message names this many lost replications, then counts the rest

Key = tuple[str, int]  # (arm, replication)


@dataclass
class Damage:
    """What reading a results directory found cut short or spoiled."""

    torn: dict[str, int] = field(default_factory=dict)
    """Rows (lines) dropped, by file name."""
    lost: set[Key] = field(default_factory=set)
    """Replications whose rows were cut short or spoiled, and not finished since."""
    stray_results: bool = False
    """``results.csv`` holds rows that do not count (torn, or of an unfinished replication)."""

    def notes(self, directory: Path, seed_of: Any, resuming: bool) -> list[str]:
        """What was found, in a line: resuming, what is recomputed; reading, what is not counted.

        ``seed_of`` gives a replication's seed, to name it by.
        """
        if not self.torn and not self.lost:
            return []
        parts = []
        if self.torn:
            counts = [
                f"{n} torn {'row' if n == 1 else 'rows'} of {name}" for name, n in self.torn.items()
            ]
            verb = "dropped" if resuming else "skipped"
            parts.append(f"{verb} {', '.join(counts)} (a write cut short or spoiled)")
        if self.lost:
            which = _replications(sorted(self.lost, key=lambda k: (k[1], k[0])), seed_of)
            if resuming:
                parts.append(f"recomputing {which}")
            else:
                parts.append(f"{which} not counted: run the same command again to recompute")
        return [f"{directory}: {'; '.join(parts)}"]


def _replications(keys: list[Key], seed_of: Any) -> str:
    shown = [f"{r} of {arm} (seed {seed_of(r)})" for arm, r in keys[:SHOWN_REPLICATIONS]]
    more = len(keys) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more else "")
    return f"replication{'s' if len(keys) > 1 else ''} {listed}"
