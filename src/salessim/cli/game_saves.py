"""A saved game read back at the terminal: its load errors on one line, its warnings.

A save may be edited (its checksum does not match), carry no checksum, or replay
differently under this version of salessim; each is said on stderr, every name in it
shown through ``printable``.
"""

from __future__ import annotations

from pathlib import Path

from salessim import __version__
from salessim.cli.common import stderr
from salessim.game.save_file import Integrity
from salessim.game.session import GameSession
from salessim.report.format import printable

ERROR_CHARS = 300  # a load error is shown on one line, cut to this length
EDITED = (
    "this save was edited after salessim wrote it (its checksum does not match its "
    "scenario, scoring weights and decisions)"
)


def warn_of_integrity(session: GameSession, path: Path) -> None:
    """Say so when a save is not verified as salessim wrote it (its checksum)."""
    if session.integrity is Integrity.TAMPERED:
        note = f"Warning: {path}: {EDITED}; what it shows is not necessarily the game as played."
    elif session.integrity is Integrity.UNVERIFIED:
        note = (
            f"Note: {path} carries no checksum (written by salessim {session.saved_with}, or "
            "carried on from such a save), so it cannot be verified as unedited; its later "
            "saves stay marked unverified."
        )
    else:
        return
    stderr.print(printable(note), markup=False, highlight=False, soft_wrap=True)


def warn_of_drift(session: GameSession, path: Path) -> None:
    """Say so when a saved game replays differently from what its player saw."""
    if session.drift_from is None:
        return
    stderr.print(
        printable(
            f"Note: {path} was saved by salessim {session.saved_with}. Replayed by salessim "
            f"{__version__}, turn {session.drift_from} comes out differently, so the figures "
            f"from turn {session.drift_from} on are not the ones the player saw."
        ),
        markup=False,
        highlight=False,
    )


def one_line(error: Exception) -> str:
    """The error on one line; a long one loses its middle, so the file and the reason stay."""
    text = " ".join(str(error).split())
    if len(text) <= ERROR_CHARS:
        return text
    half = (ERROR_CHARS - 1) // 2
    return text[:half] + "…" + text[-half:]
