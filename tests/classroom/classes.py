"""Helpers for the classroom's tests: a class of first_team on a fake clock, played in process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from salessim.classroom.clock import FakeClock
from salessim.classroom.room import Classroom, Credentials

EXERCISE = "game/first_team"
VALID = {"recognition": 2}  # decisions that apply in every turn of first_team
OTHER_VALID = {"training_every_months": 3}
INVALID = {"fire": [999]}  # no rep 999 on the team


def new_class(
    tmp_path: Path, teams: int | list[str] = 4, **options: Any
) -> tuple[Classroom, Credentials, FakeClock]:
    """A new class of first_team (four turns) in ``tmp_path``, its workers in this process."""
    clock = options.pop("clock", FakeClock())
    room, credentials = Classroom.create(
        tmp_path / "class.sqlite",
        EXERCISE,
        teams=teams,
        clock=clock,
        workers=options.pop("workers", 0),
        **options,
    )
    room.resume()  # a clock waits for the instructor: start it, as the instructor would
    return room, credentials, clock


def sources(room: Classroom, team: int) -> list[tuple[str, str | None, str | None]]:
    """Each played turn's source, bot and author."""
    return [(turn.source, turn.bot, turn.author) for turn in room.history(team)]
