"""What the classroom's store keeps: its schema, and each kind of row as a frozen record.

The ``turns`` table *is* the decision log: one row per (team, turn), its primary key, so
a turn can be recorded only once. Drafts, proposals and submissions of the round open
now are rows of ``proposals``; the class (its exercise, clock and round) is one row.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from salessim.classroom.errors import RefusedError

SCHEMA_VERSION = 2  # 2: the class keeps whether its clock was started

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE class (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    scenario_name TEXT NOT NULL,
    scenario TEXT NOT NULL,
    seed INTEGER NOT NULL,
    turns INTEGER NOT NULL CHECK (turns >= 1),
    instructor_hash TEXT NOT NULL,
    round_minutes REAL,
    bot TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    round INTEGER NOT NULL CHECK (round >= 1),
    deadline REAL,
    remaining REAL,
    started INTEGER NOT NULL DEFAULT 1,
    closing INTEGER,
    version INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE
);
CREATE TABLE turns (
    team INTEGER NOT NULL REFERENCES teams (id),
    turn INTEGER NOT NULL CHECK (turn >= 1),
    decisions TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('submission', 'draft', 'bot')),
    bot TEXT,
    author TEXT,
    fingerprint TEXT NOT NULL,
    measures TEXT NOT NULL,
    played_at REAL NOT NULL,
    PRIMARY KEY (team, turn)
);
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team INTEGER NOT NULL REFERENCES teams (id),
    turn INTEGER NOT NULL,
    member TEXT NOT NULL,
    decisions TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('proposal', 'draft', 'submission')),
    clean INTEGER NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX proposals_of_a_turn ON proposals (team, turn, id);
CREATE TABLE yardsticks (turn INTEGER PRIMARY KEY, measures TEXT NOT NULL);
"""


class Kind(StrEnum):
    """What a team member's entry of the round is."""

    PROPOSAL = "proposal"  # an idea for the team; never played
    DRAFT = "draft"  # the team's form as it stands; played if nothing is submitted
    SUBMISSION = "submission"  # the team's answer; played at the close


class Source(StrEnum):
    """Where a played turn's decisions came from."""

    SUBMISSION = "submission"
    DRAFT = "draft"
    BOT = "bot"


@dataclass(frozen=True)
class ClassRow:
    """The class as stored: its exercise, its clock and its round."""

    name: str
    scenario_name: str
    scenario: str  # the scenario as validated, JSON
    seed: int
    turns: int
    instructor_hash: str
    round_minutes: float | None
    bot: str
    paused: bool
    round: int  # the round open now, turns + 1 once the game is over
    deadline: float | None
    remaining: float | None  # seconds left in the round while paused
    started: bool  # the instructor has started the clock (a class without one: always)
    closing: int | None  # the round being closed (set until its close finished)
    version: int


@dataclass(frozen=True)
class TeamRow:
    """A team: its id, its name and its join token's hash."""

    id: int
    name: str
    token_hash: str


@dataclass(frozen=True)
class TurnRow:
    """One played turn of a team."""

    team: int
    turn: int
    decisions: dict[str, Any]
    source: Source
    bot: str | None
    author: str | None
    fingerprint: str  # of the briefing figures after the turn (game.session.fingerprint)
    measures: dict[str, float]  # game.scoring.measured after the turn
    played_at: float


@dataclass(frozen=True)
class Entry:
    """A member's proposal, draft or submission for a turn."""

    id: int
    team: int
    turn: int
    member: str
    decisions: Any
    kind: Kind
    clean: bool  # it checked clean when it was written
    at: float


def to_json(value: Any) -> str:
    """``value`` as strict JSON text.

    Raises:
        RefusedError: it is not plain JSON data.
    """
    try:
        return json.dumps(value, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise RefusedError(f"the decisions are not plain data: {error}") from None


def turn_of(row: sqlite3.Row) -> TurnRow:
    """The played turn a ``turns`` row holds."""
    return TurnRow(
        team=row["team"],
        turn=row["turn"],
        decisions=json.loads(row["decisions"]),
        source=Source(row["source"]),
        bot=row["bot"],
        author=row["author"],
        fingerprint=row["fingerprint"],
        measures=json.loads(row["measures"]),
        played_at=row["played_at"],
    )


def entry_of(row: sqlite3.Row) -> Entry:
    """The entry a ``proposals`` row holds."""
    return Entry(
        id=row["id"],
        team=row["team"],
        turn=row["turn"],
        member=row["member"],
        decisions=json.loads(row["decisions"]),
        kind=Kind(row["kind"]),
        clean=bool(row["clean"]),
        at=row["at"],
    )
