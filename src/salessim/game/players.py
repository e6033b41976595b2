"""Scripted players: a player is any callable from a briefing to that turn's decisions.

Bots, tests and classroom stand-ins play whole games with :func:`play`. The autopilot is
the yardstick a player's score is compared with: it keeps the organisation as the
scenario set it up, backfilling leavers and changing nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from salessim.game.briefing import Briefing
from salessim.game.decisions import Decisions
from salessim.game.session import GameSession

Player = Callable[[Briefing], Decisions | Mapping[str, Any]]


def autopilot(briefing: Briefing) -> Decisions:
    """Change nothing: the scenario's own policies run the organisation."""
    return Decisions()


def play(session: GameSession, player: Player) -> list[Briefing]:
    """Play ``session`` to the end with ``player``; the briefings of every turn played.

    Raises:
        DecisionError: the player decided something that cannot apply.
    """
    played = []
    while not session.finished:
        played.append(session.advance(player(session.briefing())))
    return played
