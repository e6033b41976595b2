"""What the classroom's facade hands out: plain frozen records, safe to render or send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Credentials:
    """The class's secrets, printed once by ``classroom new`` and never stored in plain."""

    instructor: str  # the instructor's token
    teams: dict[str, str]  # team name -> its join token

    def links(self, base_url: str) -> tuple[str, dict[str, str]]:
        """The instructor's URL and each team's join URL under ``base_url``."""
        base = base_url.rstrip("/")
        return (
            f"{base}/instructor?key={self.instructor}",
            {name: f"{base}/join/{token}" for name, token in self.teams.items()},
        )


@dataclass(frozen=True)
class Check:
    """A draft checked against the team's game state."""

    problems: list[str]  # empty: it would apply
    projected_spend: float | None  # next turn's people spend if it applies (None: unreadable)
    budget: float | None  # the turn's people-spend limit (None: no limit)


@dataclass(frozen=True)
class TeamStatus:
    """Where a team stands in the round open now."""

    id: int
    name: str
    turn: int  # turns played
    submitted_by: str | None  # member name, None if not submitted
    draft_by: str | None  # who saved the last draft
    finished: bool


@dataclass(frozen=True)
class Status:
    """The class at a glance: its round, its clock and every team."""

    name: str
    scenario: str
    turns: int
    round: int  # the round open now (1-based), or turns + 1 when over
    deadline: float | None  # None while paused or with no round timer
    paused: bool
    bot: str  # "autopilot" or a named scripted player
    bots: list[str]  # the choices
    teams: list[TeamStatus]
    over: bool
    remaining: float | None = None  # seconds left in the round while paused (None: no timer)
    closing: bool = False  # the round is being closed: teams wait for their next briefing
    started: bool = True  # the instructor has started the clock (a new class waits for it)

    @property
    def waiting_to_start(self) -> bool:
        """The class's clock waits for the instructor to start it."""
        return not self.started


@dataclass(frozen=True)
class Proposal:
    """A member's proposal, draft or submission for the round open now."""

    member: str
    decisions: dict[str, Any]
    at: float
    kind: str  # "proposal" | "draft" | "submission"


@dataclass(frozen=True)
class TurnRecord:
    """One played turn of a team."""

    turn: int
    decisions: dict[str, Any]
    source: str  # "submission" | "draft" | "bot"
    bot: str | None
    author: str | None


@dataclass(frozen=True)
class Standing:
    """One leaderboard row: a team's score against the autopilot on the class seed."""

    team: str
    score: float  # 100 = the autopilot's game to the same turn
    points: dict[str, float]  # per indicator (game.scoring.Line.points)
    turns: int
    bot_turns: int
    penalty: float = 0.0  # points lost for spending over budget beyond the autopilot
