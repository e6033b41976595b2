"""The teams' live games as one worker holds them, each caught up with its log on every call.

A live SimPy run cannot be sent between processes, but a team's decision log can: every
call brings the team's log from the store, and the worker plays its held game on to that
log (or rebuilds it, with :func:`salessim.game.session.replay`, when it holds none or one
that went another way). So a worker that died, a round closed by another process, or a
close that crashed half-way all end with the game the log says, never another.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from salessim.classroom.bots import AUTOPILOT, bot_player
from salessim.classroom.records import Check
from salessim.classroom.rows import Source
from salessim.game.briefing import Briefing
from salessim.game.decisions import DecisionError
from salessim.game.players import Player
from salessim.game.scoring import measured
from salessim.game.session import GameSession, replay
from salessim.scenario.schema import Scenario

GAME_OVER = "the game is over: every turn is played"


@dataclass(frozen=True)
class Candidate:
    """Decisions a round's close may play for a team, and where they came from."""

    decisions: Any
    source: Source
    author: str | None


@dataclass(frozen=True)
class Played:
    """A team's turn as played: what goes into the store's ``turns`` row."""

    decisions: dict[str, Any]
    source: Source
    bot: str | None
    author: str | None
    fingerprint: str
    measures: dict[str, float]


@dataclass
class _Held:
    session: GameSession
    log: list[str]  # each played turn's decisions, as canonical JSON


def canonical(decisions: Mapping[str, Any]) -> str:
    """A turn's decisions as JSON text that is the same however they were written.

    Read back first, so rep ids as numbers and as text (``{1: ..}``, ``{"1": ..}``) sort alike.
    """
    plain = json.loads(json.dumps(decisions, allow_nan=False))
    return json.dumps(plain, sort_keys=True)


class Games:
    """The live games of the teams one worker holds (team 0 is the class's autopilot)."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self._held: dict[int, _Held] = {}
        self._bots: dict[str, Player] = {}

    def session(self, team: int, log: Sequence[Mapping[str, Any]]) -> GameSession:
        """The team's game after ``log``: the one held, played on if it is behind, else rebuilt."""
        wanted = [canonical(decisions) for decisions in log]
        held = self._held.get(team)
        if held is not None and len(held.log) > len(wanted) and held.log[: len(wanted)] == wanted:
            # a call sent before a turn was recorded, answered after it was played: answer
            # it from a rebuilt game, and keep the one that is ahead for the calls to come
            return replay(self.scenario, self.seed, log)
        if held is None or held.log != wanted[: len(held.log)]:
            self._held.pop(team, None)  # a rebuild that fails leaves nothing stale behind
            held = _Held(replay(self.scenario, self.seed, []), [])
        for decisions, text in zip(log[len(held.log) :], wanted[len(held.log) :], strict=True):
            held.session.advance(decisions)
            held.log.append(text)
        self._held[team] = held
        return held.session

    def check(self, team: int, log: Sequence[Mapping[str, Any]], decisions: Any) -> Check:
        """What would stop ``decisions`` applying to the team's turn, and what they would spend."""
        session = self.session(team, log)
        budget = session.briefing().budget.limit
        if session.finished:
            return Check([GAME_OVER], None, budget)
        return Check(session.check(decisions), session.projected_spend(decisions), budget)

    def briefing(self, team: int, log: Sequence[Mapping[str, Any]]) -> Briefing:
        """The briefing of the turn the team decides next (the last one once finished)."""
        return self.session(team, log).briefing()

    def measures(self, team: int, log: Sequence[Mapping[str, Any]]) -> dict[str, float]:
        """The team's scoring measures after ``log`` (:func:`salessim.game.scoring.measured`)."""
        return measured(self.session(team, log))

    def play(
        self,
        team: int,
        log: Sequence[Mapping[str, Any]],
        candidates: Sequence[Candidate],
        bot: str,
    ) -> Played:
        """Play the team's next turn with the first candidate that applies, else with the bot.

        A bot's decisions that cannot apply (a scripted lever the state refuses) give way
        to the autopilot's.
        """
        session = self.session(team, log)
        for candidate in candidates:
            if not session.check(candidate.decisions) and self._advanced(session, candidate):
                return self._played(team, session, candidate.source, None, candidate.author)
        if bot != AUTOPILOT:
            decided = self._bot(bot)(session.briefing())
            if self._advanced(session, Candidate(decided, Source.BOT, None)):
                return self._played(team, session, Source.BOT, bot, None)
        session.advance({})
        return self._played(team, session, Source.BOT, AUTOPILOT, None)

    def save(self, team: int, log: Sequence[Mapping[str, Any]], path: Path, name: str) -> Path:
        """Write the team's game as a save file that ``salessim replay`` rebuilds exactly."""
        session = self.session(team, log)
        session.name = name
        return session.save(path)

    def forget(self, team: int) -> None:
        """Drop the team's live game (the next call rebuilds it from its log)."""
        self._held.pop(team, None)

    def pid(self, team: int) -> int:
        """The id of the process holding the team's game."""
        return os.getpid()

    def _advanced(self, session: GameSession, candidate: Candidate) -> bool:
        try:
            session.advance(candidate.decisions)
        except DecisionError:
            return False
        return True

    def _played(
        self, team: int, session: GameSession, source: Source, bot: str | None, author: str | None
    ) -> Played:
        decisions = json.loads(json.dumps(session.log[-1]))  # as the store will read it back
        # the game just played is the team's from now on, even if the one held was ahead
        # of the log (played by a close that stopped before recording it)
        self._held[team] = _Held(session, [canonical(turn) for turn in session.log])
        return Played(decisions, source, bot, author, session.fingerprints[-1], measured(session))

    def _bot(self, name: str) -> Player:
        if name not in self._bots:
            self._bots[name] = bot_player(name, self.scenario)
        return self._bots[name]
