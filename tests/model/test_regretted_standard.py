"""Regretted exits are judged against the company's standard quota, not the quota in force."""

from __future__ import annotations

import pytest

from salessim import Simulation
from salessim.model.control import Retune
from salessim.model.events import ExitKind, RepLeft
from salessim.model.pay.standing import Standing
from salessim.scenario.base import Role
from salessim.scenario.load import apply_overrides, load_scenario
from salessim.scenario.people import Tier
from tests.support import ROOT

LINEAR = ROOT / "scenarios" / "comp" / "linear_50_50.yaml"
QUOTA = "compensation.plans.ae_linear.quota.amount"


def test_standard_attainment_is_credit_against_the_standard_base():
    """Six months of 10 credit against bases of 20 (quota) and 10 (standard): 0.5 and 1."""
    standing = Standing()
    for _ in range(6):
        standing.month_credit, standing.month_base, standing.month_standard_base = 10, 20, 10
        standing.close_month()
    assert standing.attainment() == pytest.approx(0.5)
    assert standing.standard_attainment() == pytest.approx(1.0)


def test_no_standard_attainment_before_six_months_with_a_standard():
    """Like attainment, it is unknown until six months carry a standard base."""
    standing = Standing()
    for _ in range(5):
        standing.month_credit, standing.month_base, standing.month_standard_base = 10, 20, 10
        standing.close_month()
    assert standing.standard_attainment() is None


@pytest.fixture(scope="module")
def tripled() -> tuple[Simulation, list[RepLeft]]:
    """Two years of the linear plan after its AE quota is tripled on day 200."""
    scenario = load_scenario(LINEAR)
    sim = Simulation(scenario, 0)
    left: list[RepLeft] = []
    sim.bus.subscribe(RepLeft, left.append)
    sim.run_until(200)
    amount = scenario.compensation.plans["ae_linear"].quota.amount
    sim.control([Retune(apply_overrides(sim.scenario, {QUOTA: 3 * amount}))])
    sim.run_until(200 + 2 * 365.25)
    return sim, [event for event in left if event.day > 200 + 365.25]


def test_a_tripled_quota_divides_attainment_but_not_the_standard(tripled):
    """A year after the change, every AE's attainment is a third of its standard one."""
    sim, _ = tripled
    reps = sim.workforce.roster.staff[Role.AE]
    pairs = [(sim.payroll.attainment(r.id), sim.payroll.standard_attainment(r.id)) for r in reps]
    known = [(a, s) for a, s in pairs if a is not None and s is not None and a > 0]
    assert len(known) >= 3
    for attainment, standard in known:
        assert standard == pytest.approx(3 * attainment)


def test_a_strong_leaver_stays_regretted_under_an_unreachable_quota(tripled):
    """Voluntary leavers below the tripled quota but above the standard are regretted."""
    _, left = tripled
    regretted_core = [
        event
        for event in left
        if event.role is Role.AE
        and event.exit is ExitKind.VOLUNTARY
        and event.regretted
        and event.tier is not Tier.STAR
    ]
    assert regretted_core
    assert all(event.attainment is not None and event.attainment < 1 for event in regretted_core)
