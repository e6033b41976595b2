"""The classroom's facade: one class, its teams and its rounds, as the web app and CLI see it.

A class plays one exercise on one seed; every team plays its own game of it, a turn per
round. While a round is open a team's members propose, save a draft (it may not apply
yet: it is kept with its problems) and submit (it must apply); they may withdraw and
change until the deadline. Closing the round plays every team's turn: its submission,
else its latest draft that still applies, else the bot the instructor chose (flagged).
No team waits for another. Closing is safe to repeat (:mod:`salessim.classroom.rounds`):
a close stopped half-way by a crash is finished by the next close, or on opening the
class again, with no turn lost or played twice.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from salessim.classroom import rounds, standings
from salessim.classroom.bots import AUTOPILOT, bot_names
from salessim.classroom.clock import Clock, FakeClock, SystemClock
from salessim.classroom.debrief import ClassDebrief, class_debrief
from salessim.classroom.errors import RefusedError
from salessim.classroom.exercise import load_exercise, scenario_of, scenario_text
from salessim.classroom.export import export
from salessim.classroom.names import member_name, team_names
from salessim.classroom.records import (
    Check,
    Credentials,
    Proposal,
    Standing,
    Status,
    TeamStatus,
    TurnRecord,
)
from salessim.classroom.rows import Entry, Kind, to_json
from salessim.classroom.runner import Runner
from salessim.classroom.store import Store
from salessim.classroom.tokens import hashed, new_token, same
from salessim.game.briefing import Briefing
from salessim.game.forking import Progress
from salessim.game.session import GameSession
from salessim.scenario.limits import MAX_SEED

__all__ = [
    "Check",
    "Classroom",
    "Clock",
    "Credentials",
    "FakeClock",
    "Proposal",
    "RefusedError",
    "Standing",
    "Status",
    "SystemClock",
    "TeamStatus",
    "TurnRecord",
]

MAX_ROUND_MINUTES = 7 * 24 * 60.0  # a round of a week at most
MAX_DECISIONS_CHARS = 100_000  # a turn's decisions, as JSON: far beyond any real form


class Classroom:
    """One class, open: make it with :meth:`create`, open it again with :meth:`open`."""

    def __init__(self, store: Store, clock: Clock, workers: int | None) -> None:
        self._store = store
        self._clock = clock
        klass = store.klass()
        self._turns = klass.turns
        try:
            self._scenario = scenario_of(klass.scenario)
        except ValueError as error:  # pydantic's ValidationError is one
            store.close()
            problem = str(error).splitlines()[0]
            raise ValueError(f"{store.path}: its exercise does not load here ({problem})") from None
        count = min(2, os.cpu_count() or 1) if workers is None else workers
        self._runner = Runner(klass.scenario, klass.seed, count)

    # ------------------------------------------------------------------ making, opening
    @classmethod
    def create(
        cls,
        db: Path,
        scenario: Path | str,
        *,
        teams: int | list[str],
        seed: int = 0,
        round_minutes: float | None = None,
        clock: Clock | None = None,
        name: str | None = None,
        workers: int | None = None,
    ) -> tuple[Classroom, Credentials]:
        """A new class of ``teams`` (a count, or their names) playing ``scenario``; round 1 opens.

        Raises:
            ScenarioError: the scenario cannot be found or loaded.
            ValueError: it is not a game, ``db`` exists, the teams are 0, more than
                ``MAX_TEAMS`` or named twice, or the seed or round length is out of range.
        """
        db = Path(db)
        clock = clock or SystemClock()
        names = team_names(teams)
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed: must be 0 to 2^63 - 1, not {seed}")
        if round_minutes is not None and not 0 < round_minutes <= MAX_ROUND_MINUTES:
            raise ValueError(
                f"round minutes: must be above 0 and at most a week, not {round_minutes}"
            )
        if db.exists():
            raise ValueError(f"{db}: exists already; give a new file for the class")
        exercise = load_exercise(scenario)
        turns = GameSession(exercise, seed).turns
        credentials = Credentials(new_token(), {team: new_token() for team in names})
        now = clock.now()
        klass = {
            "name": name or db.stem,
            "scenario_name": exercise.meta.name,
            "scenario": scenario_text(exercise),
            "seed": seed,
            "turns": turns,
            "instructor_hash": hashed(credentials.instructor),
            "round_minutes": round_minutes,
            "bot": AUTOPILOT,
            "round": 1,
            # a clock waits for the instructor: a class made the day before must not close
            # its first round before anyone has played it
            "started": round_minutes is None,
            "remaining": None if round_minutes is None else round_minutes * 60,
            "created_at": now,
        }
        try:
            store = Store.create(
                db, klass, [(team, hashed(t)) for team, t in credentials.teams.items()]
            )
        except FileExistsError:
            raise ValueError(f"{db}: exists already; give a new file for the class") from None
        return cls(store, clock, workers), credentials

    @classmethod
    def open(cls, db: Path, *, clock: Clock | None = None, workers: int | None = None) -> Classroom:
        """The class in ``db``; a close that a crash stopped half-way is finished first.

        Raises:
            ValueError: ``db`` is missing or not a class database.
        """
        room = cls(Store.open(Path(db)), clock or SystemClock(), workers)
        if room._store.klass().closing is not None:
            with contextlib.suppress(RefusedError):  # another process is finishing it
                room.close_round()
        return room

    def close(self) -> None:
        """Stop the worker processes and close the database."""
        self._runner.close()
        self._store.close()

    def __enter__(self) -> Classroom:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ who is asking
    def team_by_token(self, token: str) -> int | None:
        """The id of the team whose join token this is, or None."""
        return self._store.team_by_hash(hashed(token))

    def is_instructor(self, token: str) -> bool:
        """Whether ``token`` is the instructor's."""
        return same(hashed(token), self._store.klass().instructor_hash)

    # ------------------------------------------------------------------ reading
    def status(self) -> Status:
        """The round, its clock and where every team stands."""
        store = self._store
        with store.reading():
            klass = store.klass()
            teams = store.teams()
            played = store.turns_played()
            current = store.standings(klass.round)
        rows = []
        for team in teams:
            entry = current.get(team.id)
            submitted = entry is not None and entry.kind is Kind.SUBMISSION
            rows.append(
                TeamStatus(
                    team.id,
                    team.name,
                    played[team.id],
                    entry.member if entry is not None and submitted else None,
                    entry.member if entry is not None and not submitted else None,
                    played[team.id] >= klass.turns,
                )
            )
        return Status(
            name=klass.name,
            scenario=klass.scenario_name,
            turns=klass.turns,
            round=klass.round,
            deadline=klass.deadline,
            paused=klass.paused,
            bot=klass.bot,
            bots=bot_names(),
            teams=rows,
            over=klass.round > klass.turns,
            remaining=klass.remaining,
            started=klass.started,
            closing=klass.closing is not None,
        )

    def briefing(self, team_id: int) -> Briefing:
        """The team's briefing for the turn it decides next (its last, once finished)."""
        return self._runner.call(team_id, "briefing", self._log(team_id))

    def history(self, team_id: int) -> list[TurnRecord]:
        """The team's played turns, first first."""
        self._team(team_id)
        return [
            TurnRecord(row.turn, row.decisions, row.source.value, row.bot, row.author)
            for row in self._store.turns(team_id)
        ]

    def proposals(self, team_id: int) -> list[Proposal]:
        """The team's proposals, drafts and submissions of the round open now, newest first."""
        self._team(team_id)
        turn = self._store.klass().round
        return [_proposal(entry) for entry in self._store.entries(team_id, turn)]

    def draft(self, team_id: int) -> Proposal | None:
        """The team's current draft or submission this round (None: neither)."""
        self._team(team_id)
        entry = self._store.standing(team_id, self._store.klass().round)
        return None if entry is None else _proposal(entry)

    def check(self, team_id: int, decisions: Mapping[str, Any]) -> Check:
        """What would stop ``decisions`` applying to the team's turn now, and their spend."""
        return self._runner.call(team_id, "check", self._log(team_id), _plain(decisions))

    # ------------------------------------------------------------------ a team's actions
    def save_draft(self, team_id: int, member: str, decisions: Mapping[str, Any]) -> Check:
        """Keep the team's draft (it may not apply yet); its check.

        Raises:
            RefusedError: the round is not open, or the team has submitted.
        """
        return self._enter(team_id, member, decisions, Kind.DRAFT)

    def propose(self, team_id: int, member: str, decisions: Mapping[str, Any]) -> Check:
        """Show the team a member's proposal (never played); its check.

        Raises:
            RefusedError: the round is not open.
        """
        return self._enter(team_id, member, decisions, Kind.PROPOSAL)

    def submit(self, team_id: int, member: str, decisions: Mapping[str, Any]) -> Check:
        """Submit the team's decisions for this round's close; they must apply.

        Raises:
            RefusedError: the round is not open, the team has submitted already, or the
                decisions do not apply (its ``problems`` say why).
        """
        return self._enter(team_id, member, decisions, Kind.SUBMISSION)

    def withdraw(self, team_id: int, member: str) -> None:
        """Take the team's submission back; it stays as the team's draft.

        Raises:
            RefusedError: the round is not open, or nothing is submitted.
        """
        self._team(team_id)
        turn = self._store.klass().round
        self._store.withdraw(team_id, turn, member_name(member), self._clock.now())

    def _enter(self, team_id: int, member: str, decisions: Mapping[str, Any], kind: Kind) -> Check:
        who = member_name(member)
        plain = _plain(decisions)
        klass = self._store.klass()
        if klass.round > klass.turns:
            raise RefusedError("the game is over")
        check = self._runner.call(team_id, "check", self._log(team_id), plain)
        if kind is Kind.SUBMISSION and check.problems:
            raise RefusedError(
                "these decisions cannot apply: " + "; ".join(check.problems), check.problems
            )
        clean = not check.problems
        self._store.add_entry(team_id, klass.round, who, plain, kind, clean, self._clock.now())
        return check

    # ------------------------------------------------------------------ the instructor's
    def close_round(self) -> int:
        """Play the round open now for every team, then open the next; the round closed.

        Finishes a close that was stopped half-way instead, if there is one
        (:mod:`salessim.classroom.rounds`).

        Raises:
            RefusedError: the game is over, or another close is under way.
        """
        return rounds.close_round(self._store, self._runner, self._clock)

    def tick(self) -> bool:
        """Close the round if its deadline has passed and it is not paused; whether it closed.

        A close stopped half-way is finished too.
        """
        klass = self._store.klass()
        due = (
            not klass.paused
            and klass.deadline is not None
            and klass.round <= klass.turns
            and self._clock.now() >= klass.deadline
        )
        if klass.closing is None and not due:
            return False
        try:
            self.close_round()
        except RefusedError:
            return False
        return True

    def extend(self, minutes: float) -> None:
        """Give the round ``minutes`` more (a round without a timer gets one).

        Raises:
            RefusedError: ``minutes`` is not a positive number, or the game is over.
        """
        if not (math.isfinite(minutes) and 0 < minutes <= MAX_ROUND_MINUTES):
            raise RefusedError(f"extend by more than 0 minutes and at most a week, not {minutes}")
        klass = self._open_round()
        seconds = minutes * 60
        if klass.paused or not klass.started:
            self._store.update_class(remaining=(klass.remaining or 0.0) + seconds)
        else:
            start = self._clock.now() if klass.deadline is None else klass.deadline
            self._store.update_class(deadline=max(start, self._clock.now()) + seconds)

    def pause(self) -> None:
        """Stop the round's clock (teams cannot act while paused)."""
        klass = self._open_round()
        if klass.paused:
            return
        now = self._clock.now()
        left = klass.remaining if klass.deadline is None else max(0.0, klass.deadline - now)
        self._store.update_class(paused=1, deadline=None, remaining=left)

    def resume(self) -> None:
        """Start the round's clock (a new class waits for it), or again after a pause."""
        klass = self._open_round()
        if klass.started and not klass.paused:
            return
        deadline = None if klass.remaining is None else self._clock.now() + klass.remaining
        self._store.update_class(paused=0, started=1, deadline=deadline, remaining=None)

    def choose_bot(self, name: str) -> None:
        """Choose the bot that plays for teams with nothing to play.

        Raises:
            RefusedError: no bot has that name.
        """
        if name not in bot_names():
            raise RefusedError(f"no bot is called {name!r}; choose one of {', '.join(bot_names())}")
        self._store.update_class(bot=name)

    def leaderboard(self) -> list[Standing]:
        """Every team's score against the autopilot to the same turn, best first."""
        with self._store.reading():
            teams, turns = self._store.teams(), self._store.turns()
        weights = self._scenario.game.scoring
        return standings.leaderboard(teams, turns, self._yardstick, weights)

    def _yardstick(self, turn: int) -> dict[str, float]:
        return rounds.yardstick(self._store, self._runner, turn)

    def export(self, out: Path) -> list[Path]:
        """Write decisions.csv, scores.csv and saves/<team>.json into ``out``; the files.

        Raises:
            OSError: ``out`` cannot be written.
        """
        weights = list(self._scenario.game.scoring)
        return export(self._store, self._runner, self.leaderboard(), weights, Path(out))

    def debrief(
        self,
        *,
        seeds: int | None = None,
        scheduler: str | None = None,
        progress: Progress | None = None,
    ) -> ClassDebrief:
        """The class debrief of every team that has played a turn (:func:`class_debrief`).

        Raises:
            RefusedError: no team has played a turn yet.
            ReplayError: a replay failed or its process died.
            ClusterError: the dask scheduler cannot be used.
        """
        with self._store.reading():
            teams = self._store.teams()
            logs = {team.name: self._store.log(team.id) for team in teams}
        played = {name: log for name, log in logs.items() if log}
        if not played:
            raise RefusedError("no team has played a turn yet: close a round first")
        seed = self._store.klass().seed
        return class_debrief(
            self._scenario, seed, played, seeds=seeds, scheduler=scheduler, progress=progress
        )

    @property
    def path(self) -> Path:
        """The class's database file."""
        return Path(self._store.path)

    def version(self) -> int:
        """A number that changes whenever anything a page shows changes."""
        return self._store.version()

    # ------------------------------------------------------------------ internals
    def _team(self, team_id: int) -> None:
        if not any(team.id == team_id for team in self._store.teams()):
            raise RefusedError(f"no team has id {team_id}")

    def _log(self, team_id: int) -> list[dict[str, Any]]:
        self._team(team_id)
        return self._store.log(team_id)

    def _open_round(self) -> Any:
        klass = self._store.klass()
        if klass.round > klass.turns:
            raise RefusedError("the game is over: every round is closed")
        return klass


def _plain(decisions: Mapping[str, Any]) -> Any:
    """``decisions`` as plain JSON data (what the store keeps and a worker is sent)."""
    text = to_json(decisions)
    if len(text) > MAX_DECISIONS_CHARS:
        raise RefusedError(f"the decisions are too long ({len(text)} characters)")
    return json.loads(text)


def _proposal(entry: Entry) -> Proposal:
    decisions = entry.decisions if isinstance(entry.decisions, dict) else {}
    return Proposal(entry.member, decisions, entry.at, entry.kind.value)
