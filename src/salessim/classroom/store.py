"""The classroom's SQLite store: the class, its teams, every played turn, drafts and proposals.

One file per class, read and written with the standard library's ``sqlite3`` in WAL mode
(readers never wait for the writer), with a busy timeout (a second process, such as
``classroom advance`` beside the server, waits its turn instead of failing) and foreign
keys on. Every write is one transaction that also moves the class's ``version`` on, so a
page polling it sees any change.

The tables and their rows are in :mod:`salessim.classroom.rows`. Closing a round records
each team's turn with ``INSERT OR IGNORE``, so recording it again after a crash changes
nothing. The guards that a team may still act (the round open, not closing, not paused,
before its deadline) are checked in the same transaction as its entry is written.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from salessim import __version__
from salessim.classroom.errors import RefusedError
from salessim.classroom.rows import (
    SCHEMA,
    SCHEMA_VERSION,
    ClassRow,
    Entry,
    Kind,
    TeamRow,
    TurnRow,
    entry_of,
    to_json,
    turn_of,
)

BUSY_MS = 10_000  # how long a write waits for another process's write to finish
TEAM_ENTRIES_KEPT = 20  # a team's latest clean drafts looked at when a round closes


class Store:
    """One class's database, open. Safe to share between threads."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: Path, klass: dict[str, Any], teams: list[tuple[str, str]]) -> Store:
        """A new database at ``path`` holding the class and its teams (name, token hash).

        Raises:
            FileExistsError: ``path`` exists.
        """
        path = Path(path)
        with path.open("xb"):  # refuse, atomically, to overwrite anything
            pass
        store = cls(path, _connect(path))
        try:
            with store._write(bump=False) as db:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("schema_version", str(SCHEMA_VERSION)), ("salessim", __version__)],
                )
                columns = ", ".join(klass)
                marks = ", ".join("?" for _ in klass)
                db.execute(
                    f"INSERT INTO class (id, {columns}) VALUES (1, {marks})", [*klass.values()]
                )
                db.executemany("INSERT INTO teams (name, token_hash) VALUES (?, ?)", teams)
        except BaseException:
            store.close()
            path.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(cls, path: Path) -> Store:
        """The class database at ``path``.

        Raises:
            ValueError: there is no such file, or it is not a class database of this version.
        """
        path = Path(path)
        if not path.is_file():
            raise ValueError(f"{path}: no such class database (make one with `classroom new`)")
        connection: sqlite3.Connection | None = None
        try:
            connection = _connect(path)
            row = connection.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        except sqlite3.DatabaseError:
            if connection is not None:
                connection.close()
            raise ValueError(f"{path}: not a class database") from None
        if row is None or row[0] != str(SCHEMA_VERSION):
            connection.close()
            found = "none" if row is None else row[0]
            raise ValueError(
                f"{path}: a class database of schema version {found}; "
                f"this salessim reads version {SCHEMA_VERSION}"
            )
        return cls(path, connection)

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def _write(self, *, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once; the class's version moves on with it."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                if bump:
                    self._db.execute("UPDATE class SET version = version + 1")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one state of the database."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    def _rows(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # ------------------------------------------------------------------ reading
    def klass(self) -> ClassRow:
        """The class."""
        (row,) = self._rows("SELECT * FROM class")
        return ClassRow(
            name=row["name"],
            scenario_name=row["scenario_name"],
            scenario=row["scenario"],
            seed=row["seed"],
            turns=row["turns"],
            instructor_hash=row["instructor_hash"],
            round_minutes=row["round_minutes"],
            bot=row["bot"],
            paused=bool(row["paused"]),
            round=row["round"],
            deadline=row["deadline"],
            remaining=row["remaining"],
            started=bool(row["started"]),
            closing=row["closing"],
            version=row["version"],
        )

    def version(self) -> int:
        """A number that moves on with every write."""
        return int(self._rows("SELECT version FROM class")[0][0])

    def teams(self) -> list[TeamRow]:
        """Every team, by id."""
        rows = self._rows("SELECT id, name, token_hash FROM teams ORDER BY id")
        return [TeamRow(row["id"], row["name"], row["token_hash"]) for row in rows]

    def team_by_hash(self, token_hash: str) -> int | None:
        """The id of the team whose token has this hash."""
        rows = self._rows("SELECT id FROM teams WHERE token_hash = ?", token_hash)
        return rows[0][0] if rows else None

    def turns(self, team: int | None = None) -> list[TurnRow]:
        """The played turns of a team (of every team if None), by team and turn."""
        where, args = ("WHERE team = ?", (team,)) if team is not None else ("", ())
        rows = self._rows(f"SELECT * FROM turns {where} ORDER BY team, turn", *args)
        return [turn_of(row) for row in rows]

    def log(self, team: int) -> list[dict[str, Any]]:
        """A team's decision log: each played turn's decisions, in order."""
        return [row.decisions for row in self.turns(team)]

    def turns_played(self) -> dict[int, int]:
        """How many turns each team has played, by team id."""
        rows = self._rows(
            "SELECT teams.id, COUNT(turns.turn) FROM teams "
            "LEFT JOIN turns ON turns.team = teams.id GROUP BY teams.id"
        )
        return {row[0]: row[1] for row in rows}

    def entries(self, team: int, turn: int) -> list[Entry]:
        """A team's proposals, drafts and submissions for ``turn``, newest first."""
        rows = self._rows(
            "SELECT * FROM proposals WHERE team = ? AND turn = ? ORDER BY id DESC", team, turn
        )
        return [entry_of(row) for row in rows]

    def standing(self, team: int, turn: int) -> Entry | None:
        """A team's current draft or submission for ``turn`` (its latest of either)."""
        rows = self._rows(
            "SELECT * FROM proposals WHERE team = ? AND turn = ? AND kind != 'proposal' "
            "ORDER BY id DESC LIMIT 1",
            team,
            turn,
        )
        return entry_of(rows[0]) if rows else None

    def standings(self, turn: int) -> dict[int, Entry]:
        """Every team's current draft or submission for ``turn``, by team id."""
        rows = self._rows(
            "SELECT * FROM proposals WHERE id IN (SELECT MAX(id) FROM proposals "
            "WHERE turn = ? AND kind != 'proposal' GROUP BY team)",
            turn,
        )
        return {row["team"]: entry_of(row) for row in rows}

    def clean_drafts(self, team: int, turn: int) -> list[Entry]:
        """A team's latest drafts for ``turn`` that checked clean when written, newest first."""
        rows = self._rows(
            "SELECT * FROM proposals WHERE team = ? AND turn = ? AND kind = 'draft' "
            "AND clean = 1 ORDER BY id DESC LIMIT ?",
            team,
            turn,
            TEAM_ENTRIES_KEPT,
        )
        return [entry_of(row) for row in rows]

    def yardstick(self, turn: int) -> dict[str, float] | None:
        """The autopilot's measures after ``turn`` turns, if worked out."""
        rows = self._rows("SELECT measures FROM yardsticks WHERE turn = ?", turn)
        return json.loads(rows[0][0]) if rows else None

    # ------------------------------------------------------------------ a team's entries
    def add_entry(
        self, team: int, turn: int, member: str, decisions: Any, kind: Kind, clean: bool, at: float
    ) -> None:
        """Write a member's entry for the round open now, if the team may still act.

        A submission needs none standing; a draft replaces the same member's draft if it
        is the team's latest entry (a form saved as it is edited keeps one row), unless
        that one applies and the new one does not: the round's close may still play it.

        Raises:
            RefusedError: the round is not open for it, or the team has submitted.
        """
        text = to_json(decisions)
        with self._write() as db:
            self._guard(db, turn, at)
            standing = self._latest(db, team, turn, "kind != 'proposal'")
            if kind is not Kind.PROPOSAL and standing and standing.kind is Kind.SUBMISSION:
                raise RefusedError(
                    f"{standing.member} has submitted this round's decisions; "
                    "withdraw them to change them"
                )
            latest = self._latest(db, team, turn, "1")
            if (
                kind is Kind.DRAFT
                and latest
                and latest.kind is Kind.DRAFT
                and latest.member == member
                and (clean or not latest.clean)  # the last draft that applies always stays
            ):
                db.execute("DELETE FROM proposals WHERE id = ?", (latest.id,))
            db.execute(
                "INSERT INTO proposals (team, turn, member, decisions, kind, clean, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (team, turn, member, text, kind.value, int(clean), at),
            )

    def withdraw(self, team: int, turn: int, member: str, at: float) -> None:
        """Turn the team's submission back into a draft (by ``member``), if the round allows.

        Raises:
            RefusedError: the round is not open, or nothing is submitted.
        """
        with self._write() as db:
            self._guard(db, turn, at)
            standing = self._latest(db, team, turn, "kind != 'proposal'")
            if standing is None or standing.kind is not Kind.SUBMISSION:
                raise RefusedError(
                    "nothing is submitted this round, so there is nothing to withdraw"
                )
            db.execute(
                "INSERT INTO proposals (team, turn, member, decisions, kind, clean, at) "
                "VALUES (?, ?, ?, ?, 'draft', 1, ?)",
                (team, turn, member, to_json(standing.decisions), at),
            )

    def _guard(self, db: sqlite3.Connection, turn: int, at: float) -> None:
        """Refuse unless the round of ``turn`` is open for a team to act at ``at``."""
        row = db.execute(
            "SELECT round, turns, paused, started, deadline, closing FROM class"
        ).fetchone()
        if row["round"] > row["turns"]:
            raise RefusedError("the game is over")
        if row["round"] != turn or row["closing"] is not None:
            raise RefusedError(f"round {turn} is closed")
        if not row["started"]:
            raise RefusedError("the round has not started: its clock waits for the instructor")
        if row["paused"]:
            raise RefusedError("the instructor has paused the round")
        if row["deadline"] is not None and at >= row["deadline"]:
            raise RefusedError(f"round {turn}'s deadline has passed")

    @staticmethod
    def _latest(db: sqlite3.Connection, team: int, turn: int, where: str) -> Entry | None:
        row = db.execute(
            f"SELECT * FROM proposals WHERE team = ? AND turn = ? AND {where} "
            "ORDER BY id DESC LIMIT 1",
            (team, turn),
        ).fetchone()
        return entry_of(row) if row else None

    # ------------------------------------------------------------------ the instructor's
    def update_class(self, **values: Any) -> None:
        """Set some of the class's fields (the bot, the clock) in one write."""
        allowed = {"bot", "paused", "started", "deadline", "remaining"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not a field the instructor sets: {sorted(unknown)}")
        settings = ", ".join(f"{name} = ?" for name in values)
        with self._write() as db:
            db.execute(f"UPDATE class SET {settings}", [*values.values()])

    def begin_close(self, turn: int) -> bool:
        """Mark round ``turn`` as closing (teams can no longer act); False if it is not open."""
        with self._write() as db:
            done = db.execute(
                "UPDATE class SET closing = ? WHERE round = ? AND round <= turns", (turn, turn)
            )
            return done.rowcount == 1

    def record_turn(self, row: TurnRow) -> bool:
        """Record a played turn unless that team's turn is recorded already; True if it was new."""
        with self._write() as db:
            done = db.execute(
                "INSERT OR IGNORE INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.team,
                    row.turn,
                    to_json(row.decisions),
                    row.source.value,
                    row.bot,
                    row.author,
                    row.fingerprint,
                    json.dumps(row.measures),
                    row.played_at,
                ),
            )
            return done.rowcount == 1

    def record_yardstick(self, turn: int, measures: dict[str, float]) -> None:
        """Keep the autopilot's measures after ``turn`` turns (once)."""
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO yardsticks VALUES (?, ?)", (turn, json.dumps(measures))
            )

    def finish_close(self, turn: int, deadline: float | None, remaining: float | None) -> bool:
        """Open the round after ``turn`` with its clock; False if ``turn`` was not closing."""
        with self._write() as db:
            done = db.execute(
                "UPDATE class SET round = round + 1, closing = NULL, started = 1, deadline = ?, "
                "remaining = ? "
                "WHERE round = ? AND closing = ?",
                (deadline, remaining, turn, turn),
            )
            return done.rowcount == 1


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False
    )
    connection.row_factory = sqlite3.Row
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        connection.close()
        raise
    return connection
