"""The class debrief: each team scored as its own debrief scores it, luck, replays shared."""

from __future__ import annotations

import math
import statistics

import pytest

from salessim.classroom.debrief import Spread, class_debrief
from salessim.game import replays
from salessim.game.played import PLAYED, Variant
from salessim.game.scoring import luck_seeds, measured, scorecard
from salessim.game.session import GameSession
from tests.classroom.debrief_teams import (
    CLASS_SEED,
    FIRST_TEAM,
    LUCK_SEEDS,
    InProcess,
    class_result,
    logs,
    own_debriefs,
)


def test_the_autopilot_team_scores_100():
    """A team that changed nothing scores exactly the autopilot's 100, every indicator at par."""
    (team,) = [t for t in class_result().teams if t.name == "Autopilot"]
    assert team.score == pytest.approx(100, abs=1e-9)
    assert all(line.value == line.autopilot for line in team.debrief.scorecard.lines)
    assert team.margins == pytest.approx([0.0] * LUCK_SEEDS, abs=1e-9)


def test_ranking_and_spread_agree_with_each_teams_own_debrief():
    """Each team's score is its own debrief's; the ranking is by score; the spread is of them."""
    found, own = class_result(), own_debriefs()
    scores = {team.name: team.score for team in found.teams}
    assert set(scores) == set(own)
    for name, theirs in own.items():
        assert scores[name] == pytest.approx(theirs.scorecard.total, abs=1e-9), name
    ranked = sorted(own, key=lambda name: -own[name].scorecard.total)
    assert [team.name for team in found.teams] == ranked
    assert len(set(scores.values())) == 3  # the teams really differ
    totals = sorted(d.scorecard.total for d in own.values())
    spread = found.spread
    assert spread.low == pytest.approx(totals[0]) and spread.high == pytest.approx(totals[-1])
    assert spread.median == pytest.approx(statistics.median(totals))
    assert spread.low <= spread.lower_quartile <= spread.median <= spread.upper_quartile


def test_key_decisions_are_those_of_each_teams_own_debrief():
    """The decisions that mattered per team are the top three its own debrief names."""
    found, own = class_result(), own_debriefs()
    for team in found.teams:
        theirs = own[team.name].key_decisions
        assert [(k.turn, k.decisions) for k in team.debrief.key_decisions] == [
            (k.turn, k.decisions) for k in theirs
        ]
        assert [k.impact for k in team.debrief.key_decisions] == pytest.approx(
            [k.impact for k in theirs], abs=1e-9
        )
    (best,) = [t for t in found.teams if t.name == "Sensible"]
    assert best.debrief.key_decisions  # a team that decided has decisions that mattered


def test_luck_intervals_contain_the_mean_of_the_margins_on_the_luck_seeds():
    """Each team's luck is its own debrief's margins, their mean inside its 95% interval."""
    found, own = class_result(), own_debriefs()
    assert found.luck_seeds == luck_seeds(CLASS_SEED, LUCK_SEEDS)
    for team in found.teams:
        theirs = own[team.name].luck
        assert theirs is not None
        assert team.margins == pytest.approx(theirs.margins, abs=1e-9)
        assert team.luck is not None
        mean, low, high = team.luck
        assert mean == pytest.approx(statistics.fmean(theirs.margins))
        assert low <= mean <= high
    spender = next(t for t in found.teams if t.name == "Big spenders")
    assert spender.luck is not None and spender.luck[1] < spender.luck[2]  # seeds differ


def test_questions_come_from_the_scenario():
    """The debrief ends with the exercise's own discussion questions."""
    assert class_result().questions == FIRST_TEAM.game.briefing.questions
    assert len(class_result().questions) >= 2


def test_the_autopilot_and_shared_games_are_replayed_once_for_the_class(monkeypatch):
    """Per seed the autopilot is played once, and two teams with the same game share replays."""
    PLAYED.clear()
    played: list[Variant] = []
    from_start = replays._from_start

    def spy(job):
        played.append(job[1])
        return from_start(job)

    monkeypatch.setattr(replays, "_from_start", spy)
    teams = {"Sensible": logs()["Sensible"], "Twin": logs()["Sensible"], "Idle": [{}] * 4}
    found = class_debrief(FIRST_TEAM, CLASS_SEED, teams, seeds=1, executor=InProcess())
    autopilots = [v for v in played if not any(v.log)]
    assert sorted(v.seed for v in autopilots) == sorted([CLASS_SEED, *luck_seeds(CLASS_SEED, 1)])
    keys = [(v.seed, repr(v.log)) for v in played]
    assert len(keys) == len(set(keys)) == found.replays
    twin = {t.name: t.score for t in found.teams}
    assert twin["Twin"] == twin["Sensible"] and twin["Idle"] == pytest.approx(100, abs=1e-9)
    PLAYED.clear()


@pytest.mark.parametrize("turns", [1, 2])
def test_a_team_that_stopped_early_is_scored_at_its_last_turn(turns):
    """A team of fewer turns scores its game then against the autopilot's after as many turns."""
    short = logs()["Sensible"][:turns]
    found = class_debrief(FIRST_TEAM, CLASS_SEED, {"Early": short}, seeds=1)
    (team,) = found.teams
    assert team.turns == turns and found.turns == 4
    mine, base = GameSession(FIRST_TEAM, CLASS_SEED), GameSession(FIRST_TEAM, CLASS_SEED)
    for decisions in short:
        mine.advance(decisions)
        base.advance({})
    expected = scorecard(measured(mine), measured(base), FIRST_TEAM.game.scoring).total
    assert team.score == pytest.approx(expected, abs=1e-9)
    assert len(team.debrief.quarters) == turns
    whole = next(t for t in class_result().teams if t.name == "Sensible")
    assert team.score != pytest.approx(whole.score)  # not the whole game's score
    assert len(team.margins) == 1


@pytest.mark.parametrize(
    ("teams", "message"),
    [
        ({}, "at least one team"),
        ({"Empty": []}, "'Empty' has played no turn"),
        ({"Long": [{}] * 5}, "'Long' has 5 turns; the game has 4"),
        ({"Odd": [{"hire": "lots"}]}, "'Odd', turn 1: hire"),
        ({"Odd": [{"bribe": 1}]}, "'Odd', turn 1: bribe"),
        ({"Text": "not a log"}, "'Text': the log must be a list"),
    ],
)
def test_logs_that_cannot_be_debriefed_are_refused(teams, message):
    """No team, an empty or too long log, or entries that are not decisions: a clear error."""
    with pytest.raises(ValueError, match=message):
        class_debrief(FIRST_TEAM, CLASS_SEED, teams, seeds=0)


def test_the_spread_of_one_team_and_of_several():
    """One team's spread is its score throughout; quartiles interpolate between scores."""
    assert Spread.of([97.0]) == Spread(97.0, 97.0, 97.0, 97.0, 97.0)
    spread = Spread.of([90.0, 100.0, 110.0, 120.0, 130.0])
    assert (spread.low, spread.lower_quartile, spread.median) == (90.0, 100.0, 110.0)
    assert (spread.upper_quartile, spread.high) == (120.0, 130.0)
    assert not math.isnan(Spread.of([1.0, 2.0]).median)
