"""The bots that play a team's turn when it submitted nothing: the autopilot or a scripted player.

The instructor picks one for the class. The autopilot changes nothing
(:func:`salessim.game.players.autopilot`); the named ones are the scripted strategies of
:mod:`salessim.game.cynics`, each pushing one lever as far as the rules let it.
"""

from __future__ import annotations

from salessim.game.cynics import CYNICS
from salessim.game.players import Player, autopilot
from salessim.scenario.schema import Scenario

AUTOPILOT = "autopilot"


def bot_names() -> list[str]:
    """Every bot the instructor may choose, the autopilot first."""
    return [AUTOPILOT, *CYNICS]


def bot_player(name: str, scenario: Scenario) -> Player:
    """The player called ``name``, for ``scenario``.

    Raises:
        KeyError: no bot has that name.
    """
    if name == AUTOPILOT:
        return autopilot
    return CYNICS[name](scenario)
