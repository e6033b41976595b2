"""What the best teams did differently: decisions counted by kind, from hand-built logs."""

from __future__ import annotations

import math

import pytest

from salessim.classroom.debrief import class_debrief
from salessim.classroom.debrief_decisions import KINDS, compare_habits, habits
from tests.classroom.debrief_teams import CLASS_SEED, FIRST_TEAM

HIRER = [
    {"hire": [{"role": "ae", "count": 2}], "coaching": {"hours_per_rep_per_month": 2}},
    {},
    {"hire": [{"role": "sdr", "count": 1}, {"role": "ae", "count": 1}], "recognition": 3},
    {"coaching": {"hours_per_rep_per_month": 6, "focus": "laggards"}},
]
FIRER = [
    {"fire": [1, 2], "plan": [3]},
    {"quota": {"ae": 1.2, "sdr": 0.8}},
    {"contest": {"role": "ae", "prizes": [5000, 2000]}},
    {"forecast": {"new_arr": 400_000, "churn": 100_000}, "pay_raise": {4: 1.1, 5: 1.2}},
]
IDLE: list[dict] = [{}, {}, {}, {}]


def test_one_teams_habits_count_and_average_by_kind():
    """Counts sum over the game, levels average over the turns that set them, by turn share."""
    found = habits(HIRER)
    assert found["hire"].often == 0.5 and found["hire"].much == 4  # 2 AEs, then an SDR and an AE
    assert found["coaching hours"].often == 0.5 and found["coaching hours"].much == 4.0
    assert found["recognition"].often == 0.25 and found["recognition"].much == 3
    assert found["fire"].often == 0 and found["fire"].much == 0
    assert math.isnan(found["training"].much)  # never set: unknown, not 0
    other = habits(FIRER)
    assert other["fire"].much == 2 and other["plans"].much == 1
    assert other["quotas"].much == pytest.approx(1.0)  # the mean of 1.2 and 0.8
    assert other["contests"].much == 7000 and other["contests"].often == 0.25
    assert other["forecasts"].much == 400_000
    assert other["pay raises"].much == 2


def test_groups_side_by_side_are_the_means_of_their_teams():
    """A group's figure is the mean of its teams'; a level nobody set stays unknown."""
    rows = {row.kind.name: row for row in compare_habits([HIRER], [FIRER, IDLE])}
    assert list(rows) == [kind.name for kind in KINDS]
    assert rows["hire"].best.often == 0.5 and rows["hire"].best.much == 4
    assert rows["hire"].rest.often == 0 and rows["hire"].rest.much == 0
    assert rows["fire"].rest.much == 1.0  # 2 reps and none: 1 a team
    assert rows["fire"].rest.often == 0.125  # a quarter of the turns and none
    assert rows["quotas"].rest.much == pytest.approx(1.0)  # only the team that set one
    assert math.isnan(rows["coaching hours"].rest.much)


def test_the_class_debrief_compares_the_top_quarter_with_the_rest():
    """Of four hand-built teams the best one is the top quarter; its row is its own habits."""
    teams = {"Hirer": HIRER, "Firer": FIRER, "Idle": IDLE, "Idle too": IDLE}
    found = class_debrief(FIRST_TEAM, CLASS_SEED, teams, seeds=0)
    split = found.best_vs_rest
    assert split.best == [found.teams[0].name] and len(split.rest) == 3
    best = habits(teams[split.best[0]])
    for row in split.kinds:
        assert row.best.often == best[row.kind.name].often
    rest = [habits(teams[name]) for name in split.rest]
    hires = sum(team["hire"].much for team in rest) / 3
    assert next(r for r in split.kinds if r.kind.name == "hire").rest.much == pytest.approx(hires)
    gaps = [abs(row.gap) for row in split.indicators]
    assert gaps == sorted(gaps, reverse=True) and gaps[0] > 0
