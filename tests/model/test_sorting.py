"""Sorting: outside options rise with ability, candidates weigh them, pay mix sorts teams."""

from __future__ import annotations

import statistics

import pytest

from salessim import Simulation, simulate
from salessim.model.sorting import acceptance_chance, outside_option, relative_ability
from salessim.scenario.base import Role
from salessim.scenario.load import load_scenario
from salessim.scenario.schema import Scenario
from tests.support import ROOT

LINEAR = ROOT / "scenarios" / "comp" / "linear_50_50.yaml"


def test_the_outside_option_is_the_markets_usual_plan_at_the_reps_ability():
    """A typical AE's outside option is market pay; one twice as able earns 1.5x (mix 0.5)."""
    ae = Scenario().roles.ae
    mean = ae.skill.mean
    assert relative_ability(2 * mean, ae) == pytest.approx(2.0)
    assert outside_option(ae, mean) == pytest.approx(ae.market_pay)
    assert outside_option(ae, 2 * mean) == pytest.approx(ae.market_pay * (1 + ae.market_mix))


def test_a_candidate_takes_an_offer_at_or_above_its_outside_option():
    """Chance ``min(1, (pay / outside) ** e)``: 1 at or above it, 0.8 ** 4 at 80% of it."""
    assert acceptance_chance(120.0, 100.0, 4.0) == 1.0
    assert acceptance_chance(100.0, 100.0, 4.0) == 1.0
    assert acceptance_chance(80.0, 100.0, 4.0) == pytest.approx(0.8**4)
    assert acceptance_chance(80.0, 100.0, 0.0) == 1.0  # no sorting response
    assert 0.0 <= acceptance_chance(1.0, 1e12, 1e6) < 1e-300 + 1e-12  # no overflow


def test_a_candidate_values_a_linear_plan_at_its_own_ability():
    """On the 9% linear plan, a typical hire expects on-target pay; one twice as able, 2x TI."""
    sim = Simulation(load_scenario(LINEAR), 0)
    plan = sim.scenario.compensation.plans["ae_linear"]
    pay = sim.incentives.expected_pay
    assert pay(Role.AE, 1.0) == pytest.approx(plan.on_target_earnings)
    assert pay(Role.AE, 2.0) == pytest.approx(plan.base + 2 * plan.target_incentive)
    assert (
        Simulation(load_scenario(ROOT / "scenarios" / "baseline.yaml"), 0).incentives.expected_pay(
            Role.AE, 1.0
        )
        is None
    )  # no plan: the offer's salary is the pay


def mix(base: str, incentive: str, rate: float) -> list[str]:
    """The linear plan with another split of the same on-target pay (189k)."""
    plan = "compensation.plans.ae_linear"
    return [
        f"{plan}.base={base}",
        f"{plan}.target_incentive={incentive}",
        f"{plan}.components.0.commission.rates=[{{from: 0, rate: {rate}}}]",
    ]


@pytest.fixture(scope="module")
def sorted_teams() -> dict[str, list[dict[str, float]]]:
    """Two years of the linear plan at 80/20 and 20/80, same on-target pay, four seeds."""
    arms = {"flat": mix("151.2k", "37.8k", 0.036), "steep": mix("37.8k", "151.2k", 0.144)}
    return {
        name: [simulate(load_scenario(LINEAR, sets), seed, years=2).kpis for seed in range(4)]
        for name, sets in arms.items()
    }


def test_more_pay_for_performance_hires_stronger_reps(sorted_teams):
    """At the same on-target pay, a 20/80 plan hires abler reps than an 80/20 one."""

    def hires(arm: str) -> float:
        return statistics.fmean(k["ability_mean_hires"] for k in sorted_teams[arm])

    assert hires("steep") > hires("flat")


def test_more_pay_for_performance_keeps_the_stronger_and_loses_the_weaker(sorted_teams):
    """Under 20/80 the team's ability climbs more, and leavers fall further below it.

    Drift is the change in the employed reps' mean ability over the two years; the
    leavers' gap is their mean ability less that of the reps employed at the end.
    """

    def mean(arm: str, figure) -> float:
        return statistics.fmean(figure(k) for k in sorted_teams[arm])

    def drift(k):
        return k["ability_mean_end"] - k["ability_mean_start"]

    def gap(k):
        return k["ability_mean_leavers"] - k["ability_mean_end"]

    assert mean("steep", drift) > mean("flat", drift)
    assert mean("steep", gap) < mean("flat", gap)


def test_ability_by_year_reads_the_record():
    """One row a measured year; its hires and leavers agree with the whole period's KPIs."""
    result = simulate(load_scenario(ROOT / "scenarios" / "baseline.yaml"), 2, years=2)
    rows = result.ability_by_year
    assert [row["year"] for row in rows] == [1, 2]
    assert rows[-1]["incumbents"] == pytest.approx(result.kpis["ability_mean_end"])
    hired = [a for _, a in result.record.people.hire_ability]
    assert statistics.fmean(hired) == pytest.approx(result.kpis["ability_mean_hires"])
    assert all(0.2 < row["hires"] < 5 for row in rows)
