"""Discount authority per role: the rule, and its effects on price, wins, churn and managers."""

from __future__ import annotations

import pytest

from salessim import Simulation, simulate
from salessim.policies.incentives import booking_discount
from salessim.scenario.base import Role
from salessim.scenario.behaviour import Discounting
from salessim.scenario.errors import ScenarioError
from salessim.scenario.load import load_scenario
from tests.support import ROOT

BASELINE = ROOT / "scenarios" / "baseline.yaml"
ACCELERATED = ROOT / "scenarios" / "comp" / "accelerated.yaml"
HARD_CLOSE = "funnel.stages.5.convert=0.35"  # negotiation: discounts pay at these odds
SEEDS = (0, 1, 2)


def test_a_role_takes_its_own_authority_else_the_general_one():
    """``by_role`` overrides ``authority`` for its roles; switched off, nobody discounts."""
    rule = Discounting(authority=0.1, by_role={Role.AE: 0.25})
    assert rule.authority_of(Role.AE) == 0.25
    assert rule.authority_of(Role.SPECIALIST) == 0.1
    off = Discounting(enabled=False, authority=0.1, by_role={Role.AE: 0.25})
    assert off.authority_of(Role.AE) == 0.0


def test_managers_get_no_authority_of_their_own():
    """A manager works no closing stage, so ``by_role.manager`` is refused."""
    with pytest.raises(ValueError, match="managers close no deals"):
        Discounting(by_role={Role.MANAGER: 0.1})


def test_authority_goes_only_to_roles_that_close():
    """In the baseline AEs close; authority for CSMs is refused at load, naming the key."""
    with pytest.raises(ScenarioError, match="csms close no deals") as caught:
        load_scenario(BASELINE, ["behaviour.discounting.by_role.csm=0.1"])
    assert any("by_role" in problem.key for problem in caught.value.problems)


def test_a_rep_on_no_plan_prices_for_the_booking():
    """Without a plan the rep takes the discount with the most expected ARR booked.

    At even odds and win elasticity 3, ``(1 + 3d) / (2 + 3d) x (1 - d)`` peaks near
    ``d = 0.09`` (0.5087 at 0.1 against 0.5081 at 0.05 and 0.5030 at 0.15); at odds of 4
    any discount books less, so the rep sells at list.
    """
    steps = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
    assert booking_discount(1.0, steps, 3.0) == 0.1
    assert booking_discount(4.0, steps, 3.0) == 0.0
    assert booking_discount(1.0, [0.0], 3.0) == 0.0


def _kpis(authority: str) -> list[dict[str, float]]:
    overrides = [f"behaviour.discounting.by_role.ae={authority}", HARD_CLOSE]
    scenario = load_scenario(BASELINE, overrides)
    return [simulate(scenario, seed, years=2).kpis for seed in SEEDS]


@pytest.fixture(scope="module")
def by_authority() -> dict[str, list[dict[str, float]]]:
    """Two years of the baseline with a hard close, three seeds, without and with authority."""
    return {authority: _kpis(authority) for authority in ("0", "0.3")}


def total(runs: list[dict[str, float]], kpi: str) -> float:
    """The sum of ``kpi`` over the seeds."""
    return sum(run[kpi] for run in runs)


def test_more_authority_cuts_the_price(by_authority):
    """With no authority every deal sells at list; with 30% reps discount, on every seed."""
    assert all(run["price_realised"] == 1.0 for run in by_authority["0"])
    assert all(run["price_realised"] < 0.95 for run in by_authority["0.3"])


def test_more_authority_wins_more_deals(by_authority):
    """A discount raises the closing odds: the win rate rises, seeds together."""
    assert total(by_authority["0.3"], "win_rate") > total(by_authority["0"], "win_rate")


def test_more_authority_churns_more_customers_later(by_authority):
    """Discounted accounts churn more at renewal: the logo churn rate rises, seeds together."""
    more = total(by_authority["0.3"], "logo_churn_rate")
    assert more > total(by_authority["0"], "logo_churn_rate")


def _approvals(limit: str) -> tuple[int, int]:
    """Concessions asked of managers and signed off, a year, seeds together."""
    scenario = load_scenario(ACCELERATED, [f"policies.pricing.approval_limit={limit}"])
    requests = approved = 0
    for seed in SEEDS:
        sim = Simulation(scenario, seed)
        sim.run_until(scenario.calendar.warmup + 365.25)
        requests += sim.incentives.requests
        approved += sim.incentives.approved
    return requests, approved


def test_a_deeper_approval_limit_signs_more_off_and_takes_more_manager_time():
    """At a 30% limit managers sign off more concessions than at 5%, and field more requests.

    A pull-in's concession ``c`` is approved with chance ``1 - c / limit``: a larger
    share of the requests at the deeper limit, and more of them in all (seeds together).
    Reps ask more when asking pays more often, and every request takes the manager's
    ``approval_hours`` (``test_timing_price.test_approvals_take_managers_time``).
    """
    shallow, deep = _approvals("0.05"), _approvals("0.3")
    assert 0 < shallow[1] < deep[1] <= deep[0]
    assert shallow[1] / shallow[0] < deep[1] / deep[0]
    assert deep[0] > shallow[0]
