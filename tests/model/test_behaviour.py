"""The behaviour rules in a running model: what plans make reps do, plan against plan."""

from __future__ import annotations

import statistics

import pytest

from salessim import Simulation
from salessim.scenario.base import Role
from salessim.scenario.load import load_scenario
from salessim.scenario.units import DAYS_PER_YEAR
from tests.support import ROOT

LINEAR = ROOT / "scenarios/comp/linear_50_50.yaml"
PLAN = "compensation.plans.ae_linear"
EIGHTY_TWENTY = [  # the same 189k on target, 20% of it variable: 3.6% on the same quota
    f"{PLAN}.base=151.2k",
    f"{PLAN}.target_incentive=37.8k",
    f"{PLAN}.components.0.commission.rates.0.rate=0.036",
]
HIGHER_QUOTA = [f"{PLAN}.quota.amount=1.575M"]  # 1.5 x the quota, the same 9%
SEEDS = (0, 1, 2)


def mean_ae_effort(overrides: list[str], seed: int) -> float:
    """Mean effort of the active AEs over the first measured year's month ends."""
    return statistics.fmean(ae_efforts(overrides, seed))


@pytest.fixture(scope="module")
def efforts() -> dict[str, list[float]]:
    """Mean AE effort per seed under the reference plan and its two variants."""
    variants = {"50/50": [], "80/20": EIGHTY_TWENTY, "higher quota": HIGHER_QUOTA}
    return {
        name: [mean_ae_effort(overrides, seed) for seed in SEEDS]
        for name, overrides in variants.items()
    }


def test_more_pay_at_risk_draws_more_effort_at_the_same_on_target_pay(efforts):
    """On every seed, 50/50 draws clearly more effort than 80/20 with the same 189k on target."""
    for fifty, eighty in zip(efforts["50/50"], efforts["80/20"], strict=True):
        assert fifty - eighty > 0.15


def test_a_higher_quota_at_the_same_rates_does_not_draw_more_effort(efforts):
    """Raising the quota 1.5 times with the same 9% leaves mean effort where it was."""
    difference = statistics.fmean(efforts["higher quota"]) - statistics.fmean(efforts["50/50"])
    assert abs(difference) < 0.03


CONTEST = "compensation.plans.ae_linear.components"
WINNER_TAKES_ALL = [
    f"{CONTEST}=[{{commission: {{rates: [{{from: 0, rate: 0.09}}]}}}}, "
    "{contest: {every: quarter, prizes: [30000]}}]"
]


def ae_efforts(overrides: list[str], seed: int) -> list[float]:
    """Every active AE's effort at each month end of the first measured year."""
    scenario = load_scenario(LINEAR, overrides)
    sim = Simulation(scenario, seed)
    warmup = scenario.calendar.warmup
    efforts: list[float] = []
    for now in sim.month_ends(warmup + DAYS_PER_YEAR):
        if now > warmup:
            aes = [rep for rep in sim.workforce.staff[Role.AE] if rep.active]
            efforts += [sim.incentives.drive(rep.id).effort for rep in aes]
    return sorted(efforts)


def test_a_contest_pulls_the_reps_in_reach_of_its_prize_before_it_pays():
    """A 30k quarterly prize raises mean effort; the bottom tenth, out of reach, is not pulled.

    Its effort may fall a little: each contest it loses costs it some morale.
    """
    for seed in (0, 1):
        plain = ae_efforts([], seed)
        contest = ae_efforts(WINNER_TAKES_ALL, seed)
        assert statistics.fmean(contest) - statistics.fmean(plain) > 0.03
        tenth = len(plain) // 10
        assert contest[len(contest) // 10] - plain[tenth] < 0.03


RATCHET = ["policies.quota.ae={method: ratchet, up: 0.5}"]


def effort_ahead_of_quota(overrides: list[str], seed: int) -> float:
    """Mean effort over two measured years of AEs whose trailing attainment passes 110%."""
    scenario = load_scenario(LINEAR, overrides)
    sim = Simulation(scenario, seed)
    warmup = scenario.calendar.warmup
    efforts = []
    for now in sim.month_ends(warmup + 2 * DAYS_PER_YEAR):
        if now <= warmup:
            continue
        for payee in sim.payroll.payees.values():
            attainment = payee.standing.attainment()
            if payee.rep.role is Role.AE and attainment is not None and attainment > 1.1:
                efforts.append(sim.incentives.drive(payee.rep.id).effort)
    return statistics.fmean(efforts)


def test_under_a_ratchet_reps_ahead_of_quota_ease_off():
    """Beating quota raises every later quota: reps well ahead work less than under a fixed one."""
    for seed in (1, 2):
        assert effort_ahead_of_quota(RATCHET, seed) < effort_ahead_of_quota([], seed) - 0.05
