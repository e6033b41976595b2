"""On luck seeds the player's forecasts, made for its own game's pipeline, are not replayed."""

from __future__ import annotations

from salessim.game.debrief import debrief
from salessim.game.players import play
from salessim.game.replays import elsewhere
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT

FIRST_TEAM = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml")


def test_a_log_elsewhere_keeps_every_decision_but_the_forecast():
    """Only the forecast is the player's own game's; coaching and hires travel."""
    log = [{"forecast": {"new_arr": 1e6, "churn": 1e5}, "recognition": 2}, {}]
    assert elsewhere(log) == ({"recognition": 2}, {})


def test_luck_is_judged_the_same_with_or_without_forecasts():
    """Two games that differ only in their forecasts meet the same luck on other seeds."""

    def forecaster(briefing):
        return {"recognition": 2, "forecast": {"new_arr": 2e6, "churn": 0}}

    def silent(briefing):
        return {"recognition": 2}

    luck = []
    for player in (forecaster, silent):
        session = GameSession(FIRST_TEAM, 5)
        play(session, player)
        found = debrief(session, seeds=2)
        assert found.luck is not None
        luck.append(found.luck.margins)
    assert len(luck[0]) == 2
    assert luck[0] == luck[1]  # each luck seed's game against its autopilot, unchanged
