"""Payout math: statements computed by hand, and properties any plan must keep."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salessim.policies.compensation import (
    Deal,
    PlanAccount,
    contest_awards,
    draw_month,
    spif_applies,
    team_share,
)
from salessim.policies.quotas import QuotaYear, set_quotas
from salessim.scenario.base import Role
from salessim.scenario.compensation import Compensation
from salessim.scenario.measures import Measure
from salessim.scenario.pay_components import Contest, Draw, Spif
from salessim.scenario.plans import Plan
from salessim.scenario.policies import QuotaSetting


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
    """Credit ``amount`` of new ARR to ``account``; the pay lines it earns."""
    return account.credit(Measure.NEW_ARR, amount)


def amounts(lines: list) -> list[tuple[str, float, float, float]]:
    """Each line as (component, credit, rate, amount to 6 decimals)."""
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
    """A bonus tier pays on the deal that crosses it and not again later in the period."""
    account = account_for(plan(bonus={"tiers": [{"at": 1.0, "amount": "10k"}]}))
    paid = [sum(line.amount for line in credit(account, deal)) for deal in (299e3, 1e3, 500e3)]
    assert paid == [0.0, 10_000, 0.0]


def test_plans_refuse_bands_out_of_order():
    """A plan refuses commission bands that do not start from 0 or do not increase."""
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


# ---------------------------------------------------------------------- commission by hand
def statement(account: PlanAccount, deals: list[float], measure: Measure = Measure.NEW_ARR):
    """The lines each deal earns, rounded for comparison."""
    return [amounts(account.credit(measure, deal)) for deal in deals]


@pytest.mark.parametrize(
    ("commission", "deals", "expected"),
    [
        pytest.param(
            {"rates": [{"from": 0, "rate": 0.1}]},
            [100e3, 50e3],
            [[("commission", 100e3, 0.1, 10_000.0)], [("commission", 50e3, 0.1, 5_000.0)]],
            id="linear",
        ),
        pytest.param(
            {"rates": [{"from": 0, "rate": 0.08}, {"from": 1.0, "rate": 0.12}]},
            [250e3, 100e3],
            [
                [("commission", 250e3, 0.08, 20_000.0)],
                [("commission", 50e3, 0.08, 4_000.0), ("commission", 50e3, 0.12, 6_000.0)],
            ],
            id="accelerator-crossed-in-one-deal",
        ),
        pytest.param(
            {"rates": [{"from": 0, "rate": 0.1}, {"from": 1.0, "rate": 0.05}]},
            [400e3, 100e3],
            [
                [("commission", 300e3, 0.1, 30_000.0), ("commission", 100e3, 0.05, 5_000.0)],
                [("commission", 100e3, 0.05, 5_000.0)],
            ],
            id="decelerator",
        ),
        pytest.param(
            {"rates": [{"from": 0, "rate": 0.1}], "threshold": 0.5},
            [100e3, 100e3],
            [
                [("commission", 100e3, 0.0, 0.0)],
                [("commission", 50e3, 0.0, 0.0), ("commission", 50e3, 0.1, 5_000.0)],
            ],
            id="threshold",
        ),
        pytest.param(
            {"rates": [{"from": 0, "rate": 0.1}], "cap": 0.5},
            [100e3, 100e3, 50e3],
            [
                [("commission", 100e3, 0.1, 10_000.0)],
                [("commission", 100e3, 0.1, 2_500.0)],
                [("commission", 50e3, 0.1, 0.0)],
            ],
            id="cap-reached-mid-deal",
        ),
    ],
)
def test_commission_statements_by_hand(commission, deals, expected):
    """Commission lines per deal on a 300k quarter with 25k target incentive.

    Linear 10%: 100k -> 10,000; 50k -> 5,000. Accelerator 8% then 12% from 100%: 250k ->
    20,000; 100k is 50k at 8% = 4,000 to quota and 50k at 12% = 6,000 above. Decelerator
    10% then 5%: 400k -> 300k x 10% = 30,000 + 100k x 5% = 5,000; then 100k x 5%.
    Threshold 50% (150k): 100k pays 0; the next 100k is 50k at 0 and 50k x 10% = 5,000.
    Cap 0.5 x 25k = 12,500: 10,000, then 2,500 of 10,000, then nothing.
    """
    account = account_for(plan(commission=commission))
    assert statement(account, deals) == expected


def test_threshold_and_cap_lines_say_why():
    """A line below the threshold and a line cut at the cap carry their reason in the note."""
    below = account_for(plan(commission={"rates": [{"from": 0, "rate": 0.1}], "threshold": 0.5}))
    assert "below the 50% threshold" in credit(below, 10e3)[0].note
    capped = account_for(plan(commission={"rates": [{"from": 0, "rate": 0.1}], "cap": 0.5}))
    assert "cap" not in credit(capped, 100e3)[0].note
    assert "cut at the cap of 0.5x target incentive" in credit(capped, 100e3)[0].note


GATED = {"rates": [{"from": 0, "rate": 0.1}], "gate": 0.5}


def test_gate_holds_then_releases():
    """Below a 50% gate (150k) commission is held; the deal that crosses it releases it.

    100k (33%): 10,000 earned, held (paid 0). Next 100k (67%): its own 10,000 paid, and a
    release line of the 10,000 held. Settle has nothing left to forfeit. Total 20,000.
    """
    account = account_for(plan(commission=GATED))
    first = credit(account, 100e3)
    assert amounts(first) == [("commission", 100e3, 0.1, 0.0)]
    assert "10,000.00 held until the 50% gate" in first[0].note
    second = credit(account, 100e3)
    assert amounts(second) == [
        ("commission", 100e3, 0.1, 10_000.0),
        ("commission", 0.0, 0.0, 10_000.0),
    ]
    assert "released" in second[1].note
    assert account.settle() == []
    assert sum(line.amount for line in first + second) == pytest.approx(20_000)


def test_gate_crossed_inside_one_deal_pays_the_whole_deal():
    """A single 200k deal takes attainment from 0 to 67%, past the 50% gate: 20,000 paid at once."""
    account = account_for(plan(commission=GATED))
    assert amounts(credit(account, 200e3)) == [("commission", 200e3, 0.1, 20_000.0)]
    assert not any(account.held.values())


def test_gate_never_reached_is_forfeited_at_settle():
    """100k (33%) never reaches the 50% gate: 10,000 is held, and settle forfeits it (a 0 line)."""
    account = account_for(plan(commission=GATED))
    assert amounts(credit(account, 100e3)) == [("commission", 100e3, 0.1, 0.0)]
    settled = account.settle()
    assert amounts(settled) == [("commission", 0.0, 0.0, 0.0)]
    assert settled[0].note == "gate of 50% not reached: 10,000.00 held is forfeited"


# ---------------------------------------------------------------------- bonus
@pytest.mark.parametrize(
    ("tiers", "deals", "expected"),
    [
        pytest.param(
            [{"at": 1.0, "amount": "10k"}],
            [200e3, 150e3],
            [[], [("bonus", 0.0, 0.0, 10_000.0)]],
            id="one-tier",
        ),
        pytest.param(
            [{"at": 0.5, "amount": "1k"}, {"at": 1.0, "amount": "2k"}, {"at": 1.5, "amount": "3k"}],
            [500e3, 100e3],
            [
                [
                    ("bonus", 0.0, 0.0, 1_000.0),
                    ("bonus", 0.0, 0.0, 2_000.0),
                    ("bonus", 0.0, 0.0, 3_000.0),
                ],
                [],
            ],
            id="three-tiers-in-one-deal",
        ),
    ],
)
def test_bonus_tiers_by_hand(tiers, deals, expected):
    """Tiers pay once each when attainment reaches them.

    One tier at 100% (300k): 200k pays nothing, 150k (117%) pays 10,000. Three tiers at
    50/100/150%: one 500k deal (167%) pays 1,000 + 2,000 + 3,000; a later deal nothing.
    """
    account = account_for(plan(bonus={"tiers": tiers}))
    assert statement(account, deals) == expected


def test_bonus_lines_name_their_tier():
    """Each bonus line says which attainment it was paid for."""
    tiers = {"tiers": [{"at": 0.5, "amount": "1k"}, {"at": 1.0, "amount": "2k"}]}
    lines = credit(account_for(plan(bonus=tiers)), 300e3)
    assert [line.note for line in lines] == ["reached 50%", "reached 100%"]


# ---------------------------------------------------------------------- a second measure
def two_measure_plan(**renewal: object) -> Plan:
    """New ARR at 10%; renewal ARR at 4% below quota attainment 100%, 6% from it."""
    return Plan.model_validate(
        {
            "role": "ae",
            "base": "100k",
            "target_incentive": "100k",
            "quota": {"amount": "1.2M", "period": "quarter"},
            "components": [
                {"commission": {"rates": [{"from": 0, "rate": 0.1}]}},
                {
                    "commission": {
                        "measure": "renewal_arr",
                        "rates": [{"from": 0, "rate": 0.04}, {"from": 1.0, "rate": 0.06}],
                    }
                    | renewal
                },
            ],
        }
    )


def test_a_second_measure_pays_at_the_band_quota_attainment_stands_in():
    """Renewal ARR pays at the band set by new-ARR attainment and never moves attainment.

    Renewal 50k at 0%: 4% = 2,000. New 270k (90%): 27,000. Renewal 100k at 90%: all at 4%
    = 4,000 (no split: it does not move attainment). New 30k (100%): 3,000. Renewal 50k at
    100%: 6% = 3,000.
    """
    account = account_for(two_measure_plan())
    assert statement(account, [50e3], Measure.RENEWAL_ARR) == [
        [("commission", 50e3, 0.04, 2_000.0)]
    ]
    assert account.attainment == 0
    assert statement(account, [270e3]) == [[("commission", 270e3, 0.1, 27_000.0)]]
    assert statement(account, [100e3], Measure.RENEWAL_ARR) == [
        [("commission", 100e3, 0.04, 4_000.0)]
    ]
    assert account.attainment == pytest.approx(0.9)
    assert statement(account, [30e3]) == [[("commission", 30e3, 0.1, 3_000.0)]]
    assert statement(account, [50e3], Measure.RENEWAL_ARR) == [
        [("commission", 50e3, 0.06, 3_000.0)]
    ]
    assert account.attainment == pytest.approx(1.0)


def test_a_measure_the_plan_does_not_pay_earns_nothing():
    """Expansion ARR on a plan with no expansion component earns no line and no attainment."""
    account = account_for(two_measure_plan())
    assert account.credit(Measure.EXPANSION_ARR, 100e3) == []
    assert account.attainment == 0


def test_a_gated_second_measure_is_released_when_quota_attainment_reaches_the_gate():
    """Held renewal commission is paid once new-ARR attainment passes the gate, not forfeited.

    Gate 50% (150k). Renewal 100k at 0%: 4,000 held. New 200k (67%): 20,000, and the gate
    is reached, so the 4,000 held must be paid (now, or at the latest at settle). Total
    24,000.
    """
    account = account_for(two_measure_plan(gate=0.5))
    lines = account.credit(Measure.RENEWAL_ARR, 100e3)
    assert [line.amount for line in lines] == [0.0]
    lines += account.credit(Measure.NEW_ARR, 200e3)
    lines += account.settle()
    assert not any("forfeited" in line.note for line in lines)
    assert sum(line.amount for line in lines) == pytest.approx(24_000)


# ---------------------------------------------------------------------- spifs
SPIF = Spif.model_validate(
    {
        "segments": ["enterprise"],
        "sources": ["outbound", "referral"],
        "technical": True,
        "per_deal": "1k",
        "from": "2027-02-01",
        "until": "2027-03-31",
    }
)
MARCH = dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("deal", "applies"),
    [
        pytest.param(Deal("enterprise", "outbound", True, MARCH), True, id="all-match"),
        pytest.param(Deal("enterprise", "referral", True, MARCH), True, id="other-source"),
        pytest.param(Deal("mid_market", "outbound", True, MARCH), False, id="segment"),
        pytest.param(Deal("enterprise", "inbound", True, MARCH), False, id="source"),
        pytest.param(Deal("enterprise", None, None, MARCH), False, id="renewal-has-no-source"),
        pytest.param(Deal("enterprise", "outbound", False, MARCH), False, id="not-technical"),
        pytest.param(
            Deal("enterprise", "outbound", True, dt.date(2027, 1, 31)), False, id="before"
        ),
        pytest.param(
            Deal("enterprise", "outbound", True, dt.date(2027, 2, 1)), True, id="from-day"
        ),
        pytest.param(Deal("enterprise", "outbound", True, dt.date(2027, 3, 31)), True, id="until"),
        pytest.param(Deal("enterprise", "outbound", True, dt.date(2027, 4, 1)), False, id="after"),
    ],
)
def test_spif_filters(deal, applies):
    """A spif pays on a deal only if segment, source, specialist need and date (inclusive) match."""
    assert spif_applies(SPIF, deal) is applies


def test_an_unfiltered_spif_pays_on_any_deal():
    """A spif with no filters applies to every deal, renewals included."""
    anything = Spif.model_validate({"rate": 0.01})
    assert spif_applies(anything, Deal("", None, None, MARCH))
    assert spif_applies(anything, Deal("smb", "inbound", False, dt.date(2030, 1, 1)))


def test_spif_lines_per_deal_plus_rate():
    """Enterprise spif of 1,000 a deal + 2%: a 50k enterprise deal adds 1,000 + 1,000 = 2,000.

    The spif line comes before the deal's commission (50k x 10% = 5,000); a mid-market
    deal, a credit without a deal, and credit in another measure earn no spif.
    """
    spif = {"segments": ["enterprise"], "per_deal": "1k", "rate": 0.02}
    account = account_for(plan(commission={"rates": [{"from": 0, "rate": 0.1}]}, spif=spif))
    enterprise = Deal("enterprise", "inbound", False, MARCH)
    assert amounts(account.credit(Measure.NEW_ARR, 50e3, enterprise)) == [
        ("spif", 50e3, 0.02, 2_000.0),
        ("commission", 50e3, 0.1, 5_000.0),
    ]
    mid = Deal("mid_market", "inbound", False, MARCH)
    assert amounts(account.credit(Measure.NEW_ARR, 50e3, mid)) == [
        ("commission", 50e3, 0.1, 5_000.0)
    ]
    assert amounts(account.credit(Measure.NEW_ARR, 50e3)) == [("commission", 50e3, 0.1, 5_000.0)]
    assert account.credit(Measure.RENEWAL_ARR, 50e3, enterprise) == []


# ---------------------------------------------------------------------- a ratio quota
def csm_plan() -> Plan:
    """Gross retention target 90% by quarter: 5% from 0, 10% from 100%, threshold 50%.

    Plus a 1,000 bonus at 75% and 1% on renewal ARR.
    """
    return Plan.model_validate(
        {
            "role": "csm",
            "base": "80k",
            "target_incentive": "20k",
            "quota": {"amount": 0.9, "period": "quarter"},
            "components": [
                {
                    "commission": {
                        "rates": [{"from": 0, "rate": 0.05}, {"from": 1.0, "rate": 0.1}],
                        "threshold": 0.5,
                    }
                },
                {"commission": {"measure": "renewal_arr", "rates": [{"from": 0, "rate": 0.01}]}},
                {"bonus": {"tiers": [{"at": 0.75, "amount": "1k"}]}},
            ],
        }
    )


def test_a_ratio_quota_defers_pay_to_settle():
    """Gross retention: pay waits for the period end, when quota = 90% x ARR due.

    Renewals 90k of 100k due, a 50k churn (0 of 50k), 50k of 50k: credited 140k, due
    200k, quota 0.9 x 200k = 180k, attainment 77.8%. Commission: 90k below the 50%
    threshold pays 0, 50k x 5% = 2,500; the 75% bonus 1,000; renewal ARR 90k x 1% = 900.
    Net retention credit (its due is not the quota's) earns nothing.
    """
    account = PlanAccount(csm_plan(), quota=0.9, target_incentive=5e3)
    assert account.deferred
    assert account.credit(Measure.GROSS_RETENTION, 90e3, due=100e3) == []
    assert account.credit(Measure.GROSS_RETENTION, 0.0, due=50e3) == []
    assert account.credit(Measure.GROSS_RETENTION, 50e3, due=50e3) == []
    assert account.credit(Measure.NET_RETENTION, 60e3, due=50e3) == []
    assert account.credit(Measure.RENEWAL_ARR, 90e3) == []
    assert account.due == pytest.approx(200e3)
    assert account.attainment == 0
    assert amounts(account.settle()) == [
        ("commission", 90e3, 0.0, 0.0),
        ("commission", 50e3, 0.05, 2_500.0),
        ("bonus", 0.0, 0.0, 1_000.0),
        ("commission", 90e3, 0.01, 900.0),
    ]
    assert account.quota == pytest.approx(180e3)
    assert account.attainment == pytest.approx(140 / 180)


# ---------------------------------------------------------------------- contests
RANKED = Contest.model_validate({"prizes": ["5k", "3k", "1k"]})
EQUAL = Contest.model_validate({"winners": 2, "prize": "2k"})


@pytest.mark.parametrize(
    ("spec", "credit_by_rep", "expected"),
    [
        pytest.param(
            RANKED,
            {1: 100.0, 2: 300.0, 3: 200.0, 4: 50.0},
            [(2, 1, 5_000.0), (3, 2, 3_000.0), (1, 3, 1_000.0)],
            id="ranked",
        ),
        pytest.param(
            EQUAL,
            {1: 100.0, 2: 300.0, 3: 200.0, 4: 50.0},
            [(2, 1, 2_000.0), (3, 2, 2_000.0)],
            id="equal-prizes",
        ),
        pytest.param(
            RANKED,
            {5: 100.0, 3: 100.0, 9: 100.0, 4: 50.0},
            [(3, 1, 5_000.0), (5, 2, 3_000.0), (9, 3, 1_000.0)],
            id="ties-to-lower-id",
        ),
        pytest.param(
            RANKED,
            {1: 0.0, 2: 10.0, 3: 0.0, 4: -5.0},
            [(2, 1, 5_000.0)],
            id="zero-credit-never-wins",
        ),
        pytest.param(RANKED, {7: 10.0}, [(7, 1, 5_000.0)], id="fewer-reps-than-prizes"),
        pytest.param(EQUAL, {}, [], id="nobody"),
    ],
)
def test_contest_awards(spec, credit_by_rep, expected):
    """Prizes go by credit, most first, ties to the lower id, only to reps with credit."""
    assert contest_awards(spec, credit_by_rep) == expected


# ---------------------------------------------------------------------- draws
@pytest.mark.parametrize(
    ("recoverable", "months"),
    [
        pytest.param(
            True,
            [
                (2_000, 3_000, 0, 3_000),
                (0, 5_000, 0, 8_000),
                (7_000, 0, 2_000, 6_000),
                (4_000, 0, 4_000, 2_000),
                (10_000, 0, 2_000, 0),
                (1_000, 0, 0, 0),
            ],
            id="recoverable",
        ),
        pytest.param(
            False,
            [
                (2_000, 3_000, 0, 0),
                (0, 5_000, 0, 0),
                (7_000, 0, 0, 0),
                (0, 0, 0, 0),
            ],
            id="non-recoverable",
        ),
    ],
)
def test_draw_month_by_month(recoverable, months):
    """A 5,000 draw for 3 months: (earned, top-up, recovered, balance) month by month.

    Recoverable: 2,000 earned -> 3,000 top-up (owed 3,000); 0 -> 5,000 (owed 8,000);
    7,000 in a draw month repays only what is above the 5,000 floor: 2,000 (owed 6,000);
    after the draw months the floor is 0: 4,000 repays 4,000 (owed 2,000); 10,000 repays
    the last 2,000. Non-recoverable: the same top-ups, nothing owed, nothing recovered.
    """
    spec = Draw(amount=5_000, months=3, recoverable=recoverable)
    balance = 0.0
    for month, (earned, top_up, recovered, owed) in enumerate(months):
        result = draw_month(spec, month, earned, balance)
        assert (result.top_up, result.recovered, result.balance) == pytest.approx(
            (top_up, recovered, owed)
        )
        floor = spec.amount if month < spec.months else 0.0
        assert result.recovered <= max(0.0, earned - floor) + 1e-9
        balance = result.balance


# ---------------------------------------------------------------------- team pay
@pytest.mark.parametrize(
    ("team_credit", "members", "pooled", "expected"),
    [
        pytest.param(1e6, 4, True, 2_500.0, id="pool-shared-by-4"),
        pytest.param(1e6, 4, False, 10_000.0, id="each-on-the-total"),
        pytest.param(1e6, 0, True, 0.0, id="pool-with-no-members"),
        pytest.param(1e6, 0, False, 10_000.0, id="each-with-no-members"),
        pytest.param(0.0, 3, True, 0.0, id="no-credit"),
    ],
)
def test_team_share(team_credit, members, pooled, expected):
    """1% of the team's credit (1M -> 10,000): a pool is divided among members, each gets all."""
    assert team_share(0.01, team_credit, members, pooled) == pytest.approx(expected)


# ---------------------------------------------------------------------- quota setting
def years(*rows: tuple[float, float, float, float]) -> list[QuotaYear]:
    """QuotaYears numbered from 1: (quota, credit, carried, expected)."""
    return [QuotaYear(i, *row) for i, row in enumerate(rows, start=1)]


@pytest.mark.parametrize(
    ("setting", "history", "expected"),
    [
        pytest.param(
            {"method": "fixed"},
            years((2e6, 5e6, 1, 1), (1e6, 0, 0, 0.5)),
            {1: 1e6, 2: 1e6},
            id="fixed",
        ),
        pytest.param(
            {"method": "top_down", "target": "9M", "over_assignment": 1.2},
            years((1e6, 0, 0, 1), (1e6, 0, 0, 1), (1e6, 0, 0, 1), (1e6, 0, 0, 0.6)),
            {1: 3e6, 2: 3e6, 3: 3e6, 4: 3e6},
            id="top_down-target",  # 9M x 1.2 / 3.6 ramped reps = 3M
        ),
        pytest.param(
            {"method": "top_down", "growth": 0.2},
            years((1e6, 1e6, 1, 1), (1e6, 2e6, 1, 1), (1e6, 0.6e6, 0.5, 1)),
            {1: 1.44e6, 2: 1.44e6, 3: 1.44e6},
            id="top_down-growth",  # 3.6M x 1.2 / 3 = 1.44M
        ),
        pytest.param(
            {"method": "top_down", "growth": 0.2},
            years((1e6, 0, 0, 1), (1e6, 0, 0, 1)),
            {1: 1e6, 2: 1e6},
            id="top_down-no-history",
        ),
        pytest.param(
            {"method": "capacity", "growth": 0.25},
            years((1e6, 1.2e6, 1, 1), (1e6, 0.9e6, 1, 1), (1e6, 0.3e6, 0.5, 1)),
            {1: 1.2e6, 2: 1.2e6, 3: 1.2e6},
            id="capacity",  # 2.4M over 2.5 rep-years = 960k, x 1.25 = 1.2M
        ),
        pytest.param(
            {"method": "capacity"},
            years((1e6, 0, 0, 1)),
            {1: 1e6},
            id="capacity-no-history",
        ),
        pytest.param(
            {"method": "ratchet", "up": 0.5, "down": 0.2, "floor": 0.5, "ceiling": 2.0},
            years(
                (1e6, 1.4e6, 1, 1),  # 140%: x (1 + 0.5 x 0.4) = 1.2M
                (1e6, 0.5e6, 1, 1),  # 50%: x (1 - 0.2 x 0.5) = 0.9M
                (1.9e6, 3.8e6, 1, 1),  # 200%: 2.85M, cut to the 2M ceiling
                (0.55e6, 0, 1, 1),  # 0%: 0.44M, raised to the 0.5M floor
                (1e6, 0, 0, 1),  # no quota carried: the plan's amount
                (1e6, 0.6e6, 0.5, 1),  # 600k of 500k carried = 120%: 1.1M
            ),
            {1: 1.2e6, 2: 0.9e6, 3: 2e6, 4: 0.5e6, 5: 1e6, 6: 1.1e6},
            id="ratchet",
        ),
    ],
)
def test_quota_methods_by_hand(setting, history, expected):
    """Next year's quotas from last year's, for a plan amount of 1M (see the comments)."""
    quotas = set_quotas(QuotaSetting.model_validate(setting), 1e6, history)
    assert quotas == pytest.approx(expected)


# ---------------------------------------------------------------------- validation
def plan_data(role: str = "ae", quota: dict | None = None, *components: dict) -> dict:
    """A plan's data with the given components."""
    return {
        "role": role,
        "base": "100k",
        "target_incentive": "50k",
        "quota": quota or {"amount": "1M"},
        "components": list(components),
    }


LINEAR = {"rates": [{"from": 0, "rate": 0.1}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            plan_data("sdr", None, {"commission": LINEAR | {"measure": "new_arr"}}),
            "a sdr is not credited with new_arr",
            id="measure-not-credited",
        ),
        pytest.param(
            plan_data("specialist", {"amount": 10, "measure": "meetings"}),
            "a specialist is not credited with meetings",
            id="quota-measure-not-credited",
        ),
        pytest.param(
            plan_data(
                "csm", {"amount": 0.9}, {"commission": LINEAR | {"measure": "net_retention"}}
            ),
            "commission on net_retention: a ratio measure counts only as the quota's measure",
            id="ratio-on-commission",
        ),
        pytest.param(
            plan_data("csm", {"amount": 0.9}, {"spif": {"measure": "gross_retention", "rate": 1}}),
            "spif on gross_retention: a ratio measure",
            id="ratio-on-spif",
        ),
        pytest.param(
            plan_data(
                "ae",
                None,
                {"draw": {"amount": "5k", "months": 3}},
                {"draw": {"amount": "3k", "months": 6}},
            ),
            "a plan takes at most one draw",
            id="two-draws",
        ),
        pytest.param(
            plan_data("ae", None, {"clawback": {"within": "6mo"}}, {"clawback": {"within": "1y"}}),
            "a plan takes at most one clawback",
            id="two-clawbacks",
        ),
        pytest.param(
            plan_data("ae", None, {"contest": {"prizes": ["5k"], "winners": 2, "prize": "1k"}}),
            "give ranked prizes, or winners and an equal prize",
            id="contest-both-prize-forms",
        ),
        pytest.param(
            plan_data("ae", None, {"contest": {}}),
            "give ranked prizes, or winners and an equal prize",
            id="contest-no-prize",
        ),
        pytest.param(
            plan_data("ae", None, {"contest": {"winners": 3}}),
            "equal prizes need both winners and prize",
            id="contest-winners-without-prize",
        ),
        pytest.param(
            plan_data("ae", None, {"spif": {"segments": ["enterprise"]}}),
            "a spif needs per_deal or rate",
            id="spif-pays-nothing",
        ),
        pytest.param(
            plan_data(
                "ae", None, {"commission": LINEAR, "bonus": {"tiers": [{"at": 1, "amount": 1}]}}
            ),
            "give exactly one of",
            id="two-forms-in-one-component",
        ),
    ],
)
def test_plans_refuse(data, message):
    """Plans refuse measures a role is not credited with and malformed components."""
    with pytest.raises(ValueError, match=re.escape(message)):
        Plan.model_validate(data)


PLANS = {"ae_plan": plan_data("ae", None), "sdr_plan": plan_data("sdr", {"amount": 200})}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(
            {"assign": {"ae": "nope"}},
            "assign.ae: no plan named 'nope' (ae_plan, sdr_plan)",
            id="unknown-plan",
        ),
        pytest.param(
            {"assign": {"ae": "sdr_plan"}},
            "assign.ae: plan 'sdr_plan' is for the sdr role",
            id="plan-of-another-role",
        ),
        pytest.param({"assign": {"boss": "ae_plan"}}, "'boss' is not a role", id="unknown-role"),
        pytest.param(
            {
                "assign": {"ae": "ae_plan"},
                "changes": [{"at": "2027-01-01", "assign": {"sdr": "ae_plan"}}],
            },
            "changes[0].assign.sdr: plan 'ae_plan' is for the ae role",
            id="change-to-a-plan-of-another-role",
        ),
        pytest.param(
            {
                "assign": {"ae": "ae_plan"},
                "changes": [
                    {"at": "2027-06-01", "assign": {"sdr": "sdr_plan"}},
                    {"at": "2027-03-01", "assign": {"ae": "ae_plan"}},
                ],
            },
            "changes must be in date order",
            id="changes-out-of-order",
        ),
    ],
)
def test_compensation_refuses(extra, message):
    """Assignments must name a defined plan of the same role; changes must be in date order."""
    with pytest.raises(ValueError, match=re.escape(message)):
        Compensation.model_validate({"plans": PLANS} | extra)


def test_compensation_accepts_a_valid_assignment():
    """The valid counterpart of the refusals: both roles on their own plans, changes in order."""
    pay = Compensation.model_validate(
        {
            "plans": PLANS,
            "assign": {"ae": "ae_plan", "sdr": "sdr_plan"},
            "changes": [{"at": "2027-03-01", "assign": {"ae": "ae_plan"}}],
        }
    )
    assert pay.plan_of(Role.AE) is pay.plans["ae_plan"]
    assert pay.plan_of(Role.CSM) is None


# ---------------------------------------------------------------------- properties
FULL_COMMISSION = {
    "rates": [
        {"from": 0, "rate": 0.08},
        {"from": 0.5, "rate": 0.1},
        {"from": 1.0, "rate": 0.14},
    ],
    "threshold": 0.25,
    "gate": 0.4,
    "cap": 2.0,
}
FULL_TIERS = {"tiers": [{"at": 1.0, "amount": "5k"}, {"at": 1.5, "amount": "5k"}]}
QUARTER_QUOTA, QUARTER_TARGET = 300e3, 25e3


def expected_pay(total: float) -> tuple[float, float]:
    """(commission, bonus) for ``total`` credit in a quarter, from the plan's rules directly."""
    attainment = total / QUARTER_QUOTA
    starts = [band["from"] for band in FULL_COMMISSION["rates"]] + [float("inf")]
    rates = [band["rate"] for band in FULL_COMMISSION["rates"]]
    floor = FULL_COMMISSION["threshold"] * QUARTER_QUOTA
    uncapped = sum(
        rate * max(0.0, min(total, high * QUARTER_QUOTA) - max(floor, low * QUARTER_QUOTA))
        for rate, low, high in zip(rates, starts, starts[1:], strict=False)
    )
    commission = min(uncapped, FULL_COMMISSION["cap"] * QUARTER_TARGET)
    if attainment < FULL_COMMISSION["gate"] - 1e-9:
        commission = 0.0
    bonus = sum(
        tier_amount for at, tier_amount in ((1.0, 5e3), (1.5, 5e3)) if attainment >= at - 1e-9
    )
    return commission, bonus


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0, 400e3, allow_nan=False), max_size=12))
def test_settled_lines_add_up_to_what_was_paid(deals):
    """After settle, the lines sum to what the account paid and to the rules applied by hand.

    Commission with bands, a 25% threshold, a 40% gate and a 2x cap, plus bonus tiers: no
    line is negative, commission never exceeds 2 x 25k, and the total equals the
    account's paid (less anything forfeited below the gate) and the closed-form rules.
    """
    account = account_for(plan(commission=FULL_COMMISSION, bonus=FULL_TIERS))
    lines = [line for deal in deals for line in credit(account, deal)] + account.settle()
    paid = sum(line.amount for line in lines)
    commission = sum(line.amount for line in lines if line.component == "commission")
    assert all(line.amount >= 0 for line in lines)
    assert commission <= FULL_COMMISSION["cap"] * QUARTER_TARGET + 1e-6
    expected_commission, expected_bonus = expected_pay(sum(deals))
    assert commission == pytest.approx(expected_commission, abs=1e-6)
    assert paid == pytest.approx(expected_commission + expected_bonus, abs=1e-6)
    if account.attainment >= FULL_COMMISSION["gate"]:
        assert paid == pytest.approx(sum(account.paid.values()), abs=1e-6)
    else:
        assert paid == 0.0
