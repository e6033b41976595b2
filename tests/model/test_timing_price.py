"""Timing has a price in the model: concessions land at period ends, approvals take time."""

from __future__ import annotations

import math

import pytest

from salessim import Simulation, simulate
from salessim.scenario.load import load_scenario
from tests.support import ROOT

ACCELERATED = ROOT / "scenarios" / "comp" / "accelerated.yaml"


def run(*overrides: str, seed: int = 0):
    """A year of ``comp/accelerated.yaml`` (a quarterly accelerator) with ``overrides``."""
    return simulate(load_scenario(ACCELERATED, overrides), seed, years=1)


@pytest.fixture(scope="module")
def accelerated():
    """The accelerated plan, seed 0, one year, at the default price of timing."""
    return run()


def test_concessions_are_paid_only_at_the_quota_period_end(accelerated):
    """Deals pulled in land just before the quarter ends, so only week 13 is below list.

    With a quarterly quota and no discount authority, every other week of the quarter
    sells at list, and the last two weeks' price is below the year's.
    """
    by_week = accelerated.price_by_quarter_week
    assert len(by_week) == 13
    assert all(price == 1.0 for price in by_week[:-1] if not math.isnan(price))
    assert by_week[-1] < 1.0
    k = accelerated.kpis
    assert k["price_realised_quarter_end"] < k["price_realised"] < 1.0


def test_free_timing_sells_at_list():
    """With no concession for signing early, nothing is sold below list."""
    k = run("behaviour.timing.concession_per_week=0").kpis
    assert k["price_realised"] == 1.0 and k["price_realised_quarter_end"] == 1.0


def test_a_manager_who_signs_nothing_off_gets_no_requests():
    """With no approval limit and no authority, no deal is pulled in: no requests, list price.

    At the defaults reps ask, and some asks are refused (the approval chance is below 1).
    """
    for limit, asked in [("0", False), ("0.15", True)]:
        sim = Simulation(
            load_scenario(ACCELERATED, [f"policies.pricing.approval_limit={limit}"]), seed=0
        )
        sim.run_until(sim.scenario.calendar.warmup + 365.25)
        assert (sim.incentives.requests > 0) is asked


def test_approvals_take_managers_time():
    """Each request takes deal-support time: more hours a request, a larger share of hours."""
    quick = run("roles.manager.time.approval_hours=0").kpis
    slow = run("roles.manager.time.approval_hours=4").kpis
    assert slow["manager_hours_share_deal_support"] > quick["manager_hours_share_deal_support"]


def test_held_deals_that_cool_are_lost():
    """A held deal cools with certainty at 100% a week: fewer wins than when holding is free.

    Reps weigh the risk, so they hold fewer deals; the ones they still hold a day or two
    are mostly lost. Compared on the same seed, over four seeds.
    """
    free = [run("behaviour.timing.cooling_per_week=0", seed=s).kpis["win_rate"] for s in range(4)]
    cold = [run("behaviour.timing.cooling_per_week=1", seed=s).kpis["win_rate"] for s in range(4)]
    assert sum(cold) < sum(free)
