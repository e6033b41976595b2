"""Closing a round: every team's turn played, each recorded once, then the next round opened.

Closing is safe to repeat. The round is marked closing first (teams can no longer act),
each team's turn is recorded once (the store's primary key, written with
``INSERT OR IGNORE``) and the round moves on last. A close stopped half-way is finished
by the next: a team whose turn was recorded is not played again, and one whose turn was
played but not recorded is played again from its log, with the same decisions. Only one
close runs at a time (:mod:`salessim.classroom.lock`).

Each team's turn is its submission, else its latest draft that still applies, else the
bot the instructor chose; a bot whose decisions cannot apply gives way to the autopilot.
"""

from __future__ import annotations

from salessim.classroom.clock import Clock
from salessim.classroom.errors import RefusedError
from salessim.classroom.games import Candidate
from salessim.classroom.lock import closing
from salessim.classroom.rows import Entry, Kind, Source, TurnRow
from salessim.classroom.runner import Runner
from salessim.classroom.store import Store

YARDSTICK = 0  # the runner's team id of the class's autopilot game (teams count from 1)


def close_round(store: Store, runner: Runner, clock: Clock) -> int:
    """Play the round open now (or finish the one stopped half-way); the round closed.

    Raises:
        RefusedError: the game is over, or another close is under way.
    """
    with closing(store.path):
        klass = store.klass()
        turn = klass.closing or klass.round
        if turn > klass.turns:
            raise RefusedError("the game is over: every round is closed")
        if klass.closing is None:
            store.begin_close(turn)
        _play_round(store, runner, clock, turn, klass.bot)
        yardstick(store, runner, turn)
        deadline, remaining = _next_clock(store, clock, turn)
        store.finish_close(turn, deadline, remaining)
    return turn


def yardstick(store: Store, runner: Runner, turn: int) -> dict[str, float]:
    """The autopilot's measures after ``turn`` turns, worked out once for the class."""
    known = store.yardstick(turn)
    if known is not None:
        return known
    measures = runner.call(YARDSTICK, "measures", [{}] * turn)
    store.record_yardstick(turn, measures)
    return measures


def _play_round(store: Store, runner: Runner, clock: Clock, turn: int, bot: str) -> None:
    """Play ``turn`` for every team that has not played it, each recorded once played."""
    with store.reading():
        played = store.turns_played()
        current = store.standings(turn)
        teams = [team.id for team in store.teams() if played[team.id] < turn]
        work = [(team, store.log(team), _candidates(store, team, turn, current)) for team in teams]
    futures = [
        (team, runner.submit(team, "play", log, candidates, bot)) for team, log, candidates in work
    ]
    failures: list[BaseException] = []
    for team, future in futures:
        try:
            result = future.result()
        except Exception as error:  # the others are recorded all the same
            failures.append(error)
            continue
        store.record_turn(
            TurnRow(
                team,
                turn,
                result.decisions,
                result.source,
                result.bot,
                result.author,
                result.fingerprint,
                result.measures,
                clock.now(),
            )
        )
    if failures:
        raise failures[0]


def _candidates(store: Store, team: int, turn: int, current: dict[int, Entry]) -> list[Candidate]:
    """The team's submission, then its clean drafts newest first."""
    entry = current.get(team)
    chosen = []
    if entry is not None and entry.kind is Kind.SUBMISSION:
        chosen.append(Candidate(entry.decisions, Source.SUBMISSION, entry.member))
    chosen += [
        Candidate(draft.decisions, Source.DRAFT, draft.member)
        for draft in store.clean_drafts(team, turn)
    ]
    return chosen


def _next_clock(store: Store, clock: Clock, turn: int) -> tuple[float | None, float | None]:
    """The deadline and paused time left of the round after ``turn``."""
    klass = store.klass()
    if turn >= klass.turns or klass.round_minutes is None:
        return None, None
    length = klass.round_minutes * 60
    return (None, length) if klass.paused else (clock.now() + length, None)
