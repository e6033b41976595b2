"""Recognition costs a manager's time and money, and wears off when it is given to everyone."""

from __future__ import annotations

import pytest

from salessim import simulate
from salessim.model.managers import ManagerDesk
from salessim.scenario.load import load_scenario
from salessim.scenario.people import Coaching, Recognition
from salessim.scenario.roles import ManagerSpec
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK
from tests.model.test_workforce_rules import team_of
from tests.support import ROOT

BASELINE = ROOT / "scenarios" / "baseline.yaml"


@pytest.mark.parametrize(
    ("awarded", "team", "scale"),
    [(1, 12, 1.0), (2, 10, 1.0), (6, 12, 0.4), (12, 12, 0.2), (0, 12, 1.0)],
)
def test_awards_dilute_past_the_fair_share(awarded, team, scale):
    """Full boost up to 20% of the team, then 0.2 / s: the team's lift stops growing."""
    assert Recognition().boost_scale(awarded, team) == pytest.approx(scale)


def desk_month(hours_per_week: float, reps: int, policy: Recognition) -> ManagerDesk:
    """One manager's month with ``reps`` reps under ``policy``."""
    desk = ManagerDesk(
        ManagerSpec.model_validate({"headcount": 1, "hours_per_week": hours_per_week})
    )
    desk.month(team_of(reps), DAYS_PER_MONTH, 100.0, Coaching(), {}, lambda _id: None, policy)
    return desk


def test_each_award_takes_the_managers_time_before_coaching():
    """Three awards at 0.5 h take 1.5 h, and coaching gets 1.5 h less when time is short."""
    policy = Recognition(per_team_per_month=3)
    desk = desk_month(45, 5, policy)
    assert desk.hours["recognition"] == pytest.approx(1.5)
    assert desk.awards == {0: 3}
    # 6.5 h a week, 28.3 h a month: admin, the meeting and one-to-ones leave 4.0 h, less
    # than coaching's 16% (4.5 h)
    short = desk_month(6.5, 5, policy)
    none = desk_month(6.5, 5, Recognition(per_team_per_month=0))
    assert none.hours["coaching"] - short.hours["coaching"] == pytest.approx(1.5)


def test_a_manager_gives_only_the_awards_it_has_time_for():
    """With 1.2 h left after the duties, a manager gives two awards of 0.5 h, not ten."""
    weeks = DAYS_PER_MONTH / DAYS_PER_WEEK
    # hours x 0.65 - 1 h a week of meeting - 2 h x 5 one-to-ones = 1.2 h left
    hours = (1.2 + weeks + 10.0) / 0.65 / weeks
    desk = desk_month(hours, 5, Recognition(per_team_per_month=10))
    assert desk.awards == {0: 2}
    assert desk.hours["coaching"] == pytest.approx(0.2)


def test_a_teams_monthly_lift_never_passes_its_fair_shares():
    """Whatever the awards, each team-month's lift is at most 20% of its reps x 0.25."""
    scenario = load_scenario(BASELINE, ["policies.recognition.per_team_per_month=1000"])
    given = simulate(scenario, 1, years=1, record_events=True).events["recognition_given"]
    assert len(given["reps"]) >= 12 * 3  # every month, every manager
    lifts = [
        (reps * boost, 0.2 * size * 0.25)
        for reps, size, boost in zip(given["reps"], given["team_size"], given["boost"], strict=True)
    ]
    assert all(lift <= cap + 1e-12 for lift, cap in lifts)
    assert any(lift == pytest.approx(cap) for lift, cap in lifts)  # the cap binds


@pytest.fixture(scope="module")
def everyone_recognised() -> tuple[dict[str, float], dict[str, float]]:
    """The baseline for a year with one award a team a month, and with one for everyone."""
    usual = simulate(load_scenario(BASELINE), 3, years=1).kpis
    lavish = load_scenario(BASELINE, ["policies.recognition.per_team_per_month=1000"])
    return usual, simulate(lavish, 3, years=1).kpis


def test_recognising_everyone_costs_time_and_money(everyone_recognised):
    """A thousand awards a team a month: more cost and manager time, less coaching.

    A team of about 12 gets an award each (as many as the managers have time for), not one.
    """
    usual, lavish = everyone_recognised
    assert lavish["recognition_cost"] > 5 * usual["recognition_cost"] > 0
    assert lavish["manager_hours_share_recognition"] > usual["manager_hours_share_recognition"]
    assert lavish["coaching_hours_per_rep_month"] < usual["coaching_hours_per_rep_month"]
    assert lavish["people_spend"] != lavish["people_spend"]  # NaN: the baseline has no plans


def test_the_event_log_counts_the_cost_the_kpi_reports():
    """The measured ``recognition_given`` rows add up to ``recognition_cost``, $100 an award."""
    scenario = load_scenario(BASELINE)
    result = simulate(scenario, 2, years=1, record_events=True)
    given = result.events["recognition_given"]
    measured = [i for i, day in enumerate(given["day"]) if day > scenario.calendar.warmup]
    cost = sum(given["cost"][i] for i in measured)
    assert cost == pytest.approx(result.kpis["recognition_cost"])
    assert cost == pytest.approx(100.0 * sum(given["reps"][i] for i in measured))
