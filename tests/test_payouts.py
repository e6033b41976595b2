"""Payout math: statements computed by hand, and properties any plan must keep."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salessim.policies.compensation import PlanAccount
from salessim.scenario.compensation import Measure, Plan


def plan(**components: object) -> Plan:
    """Quota 1.2M a year by quarter (300k a quarter); target incentive 100k (25k a quarter)."""
    return Plan.model_validate(
        {
            "role": "ae",
            "base": "100k",
            "target_incentive": "100k",
            "quota": {"amount": "1.2M", "period": "quarter"},
            "components": [{name: spec} for name, spec in components.items()],
        }
    )


ACCELERATED = {
    "rates": [{"from": 0, "rate": 0.08}, {"from": 1.0, "rate": 0.12}],
    "threshold": 0.25,
    "cap": 2.0,
}
TIERS = {"tiers": [{"at": 1.0, "amount": "5k"}, {"at": 1.5, "amount": "5k"}]}


def account_for(plan: Plan) -> PlanAccount:
    """A quarter of the plan: quota 300k, target incentive 25k."""
    return PlanAccount(plan, quota=300e3, target_incentive=25e3)


def credit(account: PlanAccount, amount: float) -> list:
    return account.credit(Measure.NEW_ARR, amount)


def amounts(lines: list) -> list[tuple[str, float, float, float]]:
    return [(line.component, line.credit, line.rate, round(line.amount, 6)) for line in lines]


def test_a_quarter_statement_by_hand():
    """Threshold, a band crossed inside one deal, bonus tiers and the cap reached mid-deal.

    Deal 1 (60k) is all below the 25% threshold (75k): nothing. Deal 2 (60k): 15k below
    the threshold, 45k at 8% = 3,600. Deal 3 (200k): 180k at 8% = 14,400 up to quota,
    20k at 12% = 2,400 above it, and the 100% bonus of 5,000. Deal 4 (300k) would pay
    36,000 at 12%, but the cap is 2 x 25k = 50k and 20,400 is paid: 29,600; it passes
    150% and pays the second bonus. Deal 5 (10k) pays nothing: the cap is reached.
    """
    account = account_for(plan(commission=ACCELERATED, bonus=TIERS))
    statement = [credit(account, deal) for deal in (60e3, 60e3, 200e3, 300e3, 10e3)]
    assert amounts(statement[0]) == [("commission", 60e3, 0.0, 0.0)]
    assert amounts(statement[1]) == [
        ("commission", 15e3, 0.0, 0.0),
        ("commission", 45e3, 0.08, 3600.0),
    ]
    assert amounts(statement[2]) == [
        ("commission", 180e3, 0.08, 14400.0),
        ("commission", 20e3, 0.12, 2400.0),
        ("bonus", 0.0, 0.0, 5000.0),
    ]
    assert amounts(statement[3]) == [
        ("commission", 300e3, 0.12, 29600.0),
        ("bonus", 0.0, 0.0, 5000.0),
    ]
    assert "cap" in statement[3][0].note
    assert amounts(statement[4]) == [("commission", 10e3, 0.12, 0.0)]
    assert sum(line.amount for lines in statement for line in lines) == pytest.approx(60_000)
    assert account.attainment == pytest.approx(630e3 / 300e3)


@pytest.mark.parametrize(
    ("rates", "deal", "expected"),
    [
        ([{"from": 0, "rate": 0.1}], 100e3, 10_000),  # linear
        ([{"from": 0, "rate": 0.1}, {"from": 0.5, "rate": 0.0}], 300e3, 15_000),  # decelerator
        ([{"from": 0, "rate": 0.05}, {"from": 0.5, "rate": 0.1}], 300e3, 7_500 + 15_000),
    ],
)
def test_one_deal_across_bands(rates, deal, expected):
    """A deal is split at every band it crosses (150k is 50% of the 300k quarter)."""
    account = account_for(plan(commission={"rates": rates}))
    assert sum(line.amount for line in credit(account, deal)) == pytest.approx(expected)


def test_a_bonus_tier_is_paid_once_a_period():
    account = account_for(plan(bonus={"tiers": [{"at": 1.0, "amount": "10k"}]}))
    paid = [sum(line.amount for line in credit(account, deal)) for deal in (299e3, 1e3, 500e3)]
    assert paid == [0.0, 10_000, 0.0]


def test_plans_refuse_bands_out_of_order():
    with pytest.raises(ValueError, match="increasing"):
        plan(commission={"rates": [{"from": 0, "rate": 0.1}, {"from": 0, "rate": 0.2}]})
    with pytest.raises(ValueError, match="start from 0"):
        plan(commission={"rates": [{"from": 0.5, "rate": 0.1}]})


DEALS = st.lists(st.floats(0, 400e3, allow_nan=False), max_size=12)


@settings(max_examples=200, deadline=None)
@given(DEALS, st.data())
def test_payout_depends_only_on_total_credit(deals, data):
    """Paying deal by deal or all at once, in any split, gives the same total (no path effects)."""
    whole = account_for(plan(commission=ACCELERATED, bonus=TIERS))
    total_whole = sum(line.amount for line in credit(whole, sum(deals)))
    pieces = account_for(plan(commission=ACCELERATED, bonus=TIERS))
    shuffled = data.draw(st.permutations(deals))
    total_pieces = sum(line.amount for deal in shuffled for line in credit(pieces, deal))
    assert total_pieces == pytest.approx(total_whole, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(DEALS)
def test_lines_add_up_and_respect_the_cap(deals):
    """Lines credit exactly what was credited; nothing is negative; commission stays capped."""
    account = account_for(plan(commission=ACCELERATED))
    lines = [line for deal in deals for line in credit(account, deal)]
    assert sum(line.credit for line in lines) == pytest.approx(sum(deals))
    assert all(line.amount >= 0 for line in lines)
    assert sum(line.amount for line in lines) <= 2.0 * 25_000 + 1e-6
