"""The story names the main causes of each move, largest first, from what the model records."""

from __future__ import annotations

import dataclasses
import math

import pytest

from salessim.game.causes import Pulse, explain
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT

SCENARIO = load_scenario(ROOT / "scenarios" / "game" / "retention_crisis.yaml")
CALM = Pulse(
    bookings=1_000_000.0,
    deals_won=25.0,
    deals_decided=200.0,
    leads_created=400.0,
    leads_gone_cold=20.0,
    ae_capacity=12.0,
    ae_vacancies=1.0,
    discount=0.05,
    churned_arr=500_000.0,
    customers_lost=10,
    book_arr=50e6,
    accounts_per_csm=150.0,
    morale=0.1,
    exits_share=0.0,
    plans_share=0.0,
    attainment=0.9,
    awards_per_team=0.0,
    launch=None,
    quotas_changed=False,
)


def _line(lines: list[str], start: str) -> str:
    found = [line for line in lines if line.startswith(start)]
    assert len(found) == 1, lines
    return found[0]


def test_a_quiet_turn_needs_no_explaining():
    """Nothing moved: nothing to explain."""
    assert explain(CALM, CALM, SCENARIO) == []


def test_bookings_split_into_volume_rate_and_size_largest_first():
    """New ARR down 40%: fewer deals decided (capacity, cold leads) first, then the rest."""
    now = dataclasses.replace(
        CALM,
        bookings=600_000.0,
        deals_won=16.0,
        deals_decided=140.0,
        leads_gone_cold=80.0,
        ae_capacity=9.0,
        ae_vacancies=4.0,
    )
    line = _line(explain(CALM, now, SCENARIO), "New ARR fell 40% to $600k")
    volume = line.index("30% fewer deals decided")
    size = line.index("deals 6% smaller")
    assert volume < size
    assert "AE selling capacity 25% lower, 4.0 AE seats vacant or ramping" in line
    assert "80 leads went cold, 60 more than last quarter" in line
    assert volume < line.index("win rate down 1.1 points")


def test_the_three_factors_multiply_to_the_move():
    """Deals decided, win rate and deal size are an exact split of the move in new ARR."""
    now = dataclasses.replace(CALM, bookings=700_000.0, deals_won=20.0, deals_decided=180.0)
    volume = math.log(now.deals_decided / CALM.deals_decided)
    rate = math.log(now.win_rate / CALM.win_rate)
    size = math.log(now.deal_size / CALM.deal_size)
    assert volume + rate + size == pytest.approx(math.log(0.7))


def test_a_win_rate_move_within_luck_says_so():
    """Two and a half points on 200 decided deals is within luck, and the story says so."""
    now = dataclasses.replace(CALM, deals_won=30.0)
    line = _line(explain(CALM, now, SCENARIO), "Win rate rose 2.5 points")
    assert line.endswith("within the luck of 200 deals decided.")


def test_a_launch_and_deeper_discounts_explain_a_win_rate_rise():
    """A new product and deeper discounts are named, each sized by the model's sensitivity."""
    now = dataclasses.replace(
        CALM, deals_won=160.0, deals_decided=800.0, bookings=6.4e6, launch=1.25, discount=0.15
    )
    line = _line(explain(CALM, now, SCENARIO), "Win rate rose 7.5 points")
    assert "the new product converts more readily" in line
    assert "discounts deeper (average 15%" in line
    assert "luck" not in line


def test_churn_follows_the_csms_load():
    """More accounts per ramped CSM explain more churn, at the model's attention elasticity."""
    now = dataclasses.replace(CALM, churned_arr=800_000.0, accounts_per_csm=200.0)
    line = _line(explain(CALM, now, SCENARIO), "Churned ARR rose 60% to $800k")
    assert "CSMs more stretched (200 accounts per ramped CSM, 33% more)" in line


def test_morale_names_the_shocks_largest_first():
    """A fifth of the team leaving weighs more than a twentieth on plans."""
    now = dataclasses.replace(CALM, morale=-0.2, exits_share=0.2, plans_share=0.05)
    line = _line(explain(CALM, now, SCENARIO), "Morale fell (-0.30")
    assert line.index("colleagues left (20% of the team)") < line.index("performance plans")


def test_morale_recovers_as_shocks_wear_off():
    """After a quarter of exits, a rise in morale is the shock wearing off."""
    before = dataclasses.replace(CALM, exits_share=0.2)
    now = dataclasses.replace(CALM, morale=0.2)
    line = _line(explain(before, now, SCENARIO), "Morale rose")
    assert "last quarter's shocks wearing off" in line


def test_a_pulse_holds_nothing_hidden():
    """The figures behind the story hold no rep's ability or exit hazard."""
    names = {field.name for field in dataclasses.fields(Pulse)}
    assert not {name for name in names if "ability" in name or "hazard" in name}


def test_a_played_game_explains_its_moves():
    """On the crisis exercise, the autopilot's story names causes in later turns."""
    session = GameSession(SCENARIO, 0)
    told = []
    while not session.finished:
        told += session.advance({}).story
    explained = [line for line in told if "main causes, largest first" in line]
    assert any(line.startswith("New ARR") for line in explained)
    assert any(line.startswith("Churned ARR") for line in explained)


def test_a_win_rate_move_it_cannot_explain_says_so():
    """A large move with no discount or launch behind it is not pinned on a wrong cause."""
    now = dataclasses.replace(CALM, deals_won=60.0, deals_decided=800.0)
    line = _line(explain(CALM, now, SCENARIO), "Win rate fell 5.0 points to 8%")
    assert "neither discounts nor a launch explain it" in line
