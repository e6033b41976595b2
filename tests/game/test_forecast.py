"""Forecasting in the game: the guide, the committed forecast, its check and its score."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from salessim.game.decisions import DecisionError, Decisions, parse
from salessim.game.forecasting import ForecastCheck, accuracy
from salessim.game.players import autopilot, play
from salessim.game.scoring import outcome, scorecard
from salessim.game.session import GameSession
from salessim.metrics.forecast import Forecast
from salessim.scenario.game import GameRules
from salessim.scenario.load import load_scenario
from tests.support import ROOT

EXERCISES = ROOT / "scenarios" / "game"


def _session(name: str = "pay_plan_redesign", seed: int = 0) -> GameSession:
    return GameSession(load_scenario(EXERCISES / f"{name}.yaml"), seed=seed)


def _check(committed: tuple[float, float], actual: tuple[float, float]) -> ForecastCheck:
    return ForecastCheck(Forecast(1.0, 1.0), Forecast(*committed), True, Forecast(*actual))


def test_a_forecast_reads_amounts_as_the_scenario_files_do():
    """``4M`` and ``500k`` read as money; a negative amount or a missing figure is refused."""
    decisions = parse({"forecast": {"new_arr": "4M", "churn": "500k"}})
    assert decisions.forecast is not None
    assert (decisions.forecast.new_arr, decisions.forecast.churn) == (4e6, 5e5)
    with pytest.raises(DecisionError, match=r"forecast\.new_arr"):
        parse({"forecast": {"new_arr": -1, "churn": 0}})
    with pytest.raises(DecisionError, match=r"forecast\.churn"):
        parse({"forecast": {"new_arr": "1M"}})


def test_every_briefing_shows_the_guide_until_the_game_ends():
    """The opening and each later briefing carry next quarter's guide; the last one none."""
    session = _session("first_team")
    briefings = [session.briefing()]
    while not session.finished:
        briefings.append(session.advance({}))
    assert all(b.forecast_guide is not None for b in briefings[:-1])
    assert all(b.forecast_guide.new_arr > 0 for b in briefings[:-1])  # type: ignore[union-attr]
    assert briefings[-1].forecast_guide is None
    assert briefings[0].forecast_last is None  # nothing forecast before the first turn
    assert all(b.forecast_last is not None for b in briefings[1:])


def test_a_committed_forecast_is_checked_against_the_quarter_it_forecast():
    """The second briefing shows the player's forecast against the turn's new ARR and churn."""
    session = _session()
    guide = session.briefing().forecast_guide
    briefing = session.advance({"forecast": {"new_arr": "4M", "churn": "600k"}})
    last = briefing.forecast_last
    assert last is not None and last.own and last.actual is not None
    assert last.guide == guide
    assert last.committed == Forecast(4e6, 6e5)
    assert last.actual.new_arr == briefing.indicator("bookings_new_arr").value
    assert last.actual.churn == briefing.indicator("churned_arr").value
    assert session.log[0]["forecast"] == {"new_arr": 4e6, "churn": 6e5}


def test_a_player_who_commits_none_takes_the_guide():
    """No forecast: the guide is committed, and the log holds nothing for it."""
    session = _session()
    guide = session.briefing().forecast_guide
    last = session.advance({"recognition": 2}).forecast_last
    assert last is not None and not last.own
    assert last.committed == guide
    assert "forecast" not in session.log[0]


def test_the_autopilot_accepts_the_guide_every_turn():
    """The autopilot commits no forecast: each turn's forecast is that turn's guide."""
    session = _session("first_team", seed=2)
    play(session, autopilot)
    checks = session.briefer.forecasts
    assert len(checks) == session.turns
    assert all(not check.own and check.committed == check.guide for check in checks)
    assert outcome(session)["forecast_accuracy"] == accuracy(checks)


def test_a_forecast_cannot_be_changed_once_its_turn_is_played():
    """A later turn's forecast is that turn's own: the played turn keeps what was committed."""
    session = _session()
    session.advance({"forecast": {"new_arr": "4M", "churn": "600k"}})
    session.advance({"forecast": {"new_arr": "9M", "churn": "0"}})
    first, second = session.briefer.forecasts
    assert first.committed == Forecast(4e6, 6e5)
    assert second.committed == Forecast(9e6, 0.0)
    assert session.log[0]["forecast"] == {"new_arr": 4e6, "churn": 6e5}


def test_forecasts_replay_exactly_and_an_edited_forecast_is_found(tmp_path):
    """A save keeps each turn's forecast; it replays the same and an edit is found.

    Replayed, the forecasts and their accuracy are the same; a forecast edited in the
    file after the game is found by the checksum.
    """
    session = _session("first_team")
    session.advance({"forecast": {"new_arr": "300k", "churn": "50k"}})
    session.advance({})
    path = session.save(tmp_path / "game.json")
    again = GameSession.load(path)
    assert again.integrity.value == "verified"
    assert again.briefer.forecasts == session.briefer.forecasts
    assert accuracy(again.briefer.forecasts) == accuracy(session.briefer.forecasts)
    document = json.loads(path.read_text())
    document["decisions"][0]["forecast"]["new_arr"] = 204402.0
    path.write_text(json.dumps(document))
    assert GameSession.load(path).integrity.value == "tampered"


def test_accuracy_is_one_for_exact_forecasts_and_nothing_for_forecasting_nothing():
    """Exact forecasts score 1; forecasting nothing, or missing by more than the quarters, 0.

    Nothing played: NaN.
    """
    actual = [(3e6, 5e5), (2e6, 4e5)]
    assert accuracy([_check(a, a) for a in actual]) == 1.0
    assert accuracy([_check((0.0, 0.0), a) for a in actual]) == 0.0
    assert accuracy([_check((9e6, 2e6), a) for a in actual]) == 0.0
    assert math.isnan(accuracy([]))
    unplayed = replace(_check((1.0, 1.0), (1.0, 1.0)), actual=None)
    assert math.isnan(accuracy([unplayed]))


def test_accuracy_is_one_minus_the_typical_miss_over_the_typical_quarter():
    """Per figure: 1 - root of summed squared misses / root of summed squared actuals."""
    checks = [_check((3.3e6, 4e5), (3e6, 5e5)), _check((1.6e6, 5e5), (2e6, 5e5))]
    new = 1 - math.sqrt((0.3e6**2 + 0.4e6**2) / (3e6**2 + 2e6**2))
    churn = 1 - math.sqrt(1e5**2 / (2 * 5e5**2))
    assert accuracy(checks) == pytest.approx((new + churn) / 2)


def test_the_expected_value_beats_the_median_when_churn_is_lumpy():
    """Forecasting the mean beats forecasting the usual nothing of a small book's churn.

    A small book loses nothing most quarters and much in one: under-forecasting it does
    not pay.
    """
    quarters = [(1e5, 0.0), (1e5, 0.0), (1e5, 0.0), (1e5, 4e5)]
    mean = (1e5, 1e5)
    said_nothing = [_check((1e5, 0.0), a) for a in quarters]
    said_mean = [_check(mean, a) for a in quarters]
    assert accuracy(said_mean) > accuracy(said_nothing)


def test_forecast_accuracy_is_weighted_in_every_shipped_exercise():
    """The default weights and each exercise give forecast accuracy a tenth of the rest."""
    defaults = GameRules().scoring
    assert defaults["forecast_accuracy"] == pytest.approx(0.1)
    assert sum(defaults.values()) - 0.1 == pytest.approx(1.0)
    for path in sorted(EXERCISES.glob("*.yaml")):
        weights = load_scenario(path).game.scoring
        share = weights["forecast_accuracy"] / sum(weights.values())
        assert share == pytest.approx(1 / 11), path.name


def test_forecasting_nothing_and_booking_nothing_does_not_pay():
    """Forecasting nothing and letting every AE go scores far below the autopilot.

    The team still books deals in flight and loses accounts, so the forecast of nothing
    scores no accuracy.
    """
    scenario = load_scenario(EXERCISES / "first_team.yaml")
    pilot = GameSession(scenario, seed=0)
    play(pilot, autopilot)
    cynic = GameSession(scenario, seed=0)
    aes = [row.rep for row in cynic.briefing().roster if row.role.value == "ae"]
    nothing = {"new_arr": 0, "churn": 0}
    cynic.advance({"fire": aes, "backfill": "freeze", "forecast": nothing})
    while not cynic.finished:
        cynic.advance({"forecast": nothing})
    weights = scenario.game.scoring
    theirs, yardstick = outcome(cynic), outcome(pilot)
    card = scorecard(theirs, yardstick, weights)
    assert theirs["bookings_new_arr"] > 0  # the pipeline in flight still books some
    assert theirs["forecast_accuracy"] == 0.0 < yardstick["forecast_accuracy"]
    assert theirs["profit"] < yardstick["profit"]
    assert card.total < 90


def test_forecasting_is_not_a_lever():
    """A forecast changes nothing in the organisation: the same figures, turn by turn."""
    plain, forecast = _session(), _session()
    for _ in range(2):
        a = plain.advance({})
        b = forecast.advance({"forecast": {"new_arr": "1", "churn": "1"}})
        assert a.indicators == b.indicators
    assert Decisions(forecast={"new_arr": 1, "churn": 1}) != Decisions()  # type: ignore[arg-type]
