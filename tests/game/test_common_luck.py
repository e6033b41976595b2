"""A decision that changes no distribution leaves the game's luck as the autopilot's."""

from __future__ import annotations

from salessim.game.players import autopilot, play
from salessim.game.scoring import outcome
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT


def test_a_setting_with_nothing_to_act_on_plays_the_autopilots_game():
    """An approval limit where no concession is ever asked: every figure is the autopilot's.

    first_team's reps are on no plan, so nobody asks for a concession; the limit retunes
    the run, and every sampler whose distribution is unchanged draws on as before.
    """
    scenario = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml")
    for seed in (0, 3):
        mine = GameSession(scenario, seed)
        mine.advance({"pricing": {"approve_up_to": 0.1}})
        play(mine, autopilot)
        theirs = GameSession(scenario, seed)
        play(theirs, autopilot)
        assert outcome(mine) == outcome(theirs)
