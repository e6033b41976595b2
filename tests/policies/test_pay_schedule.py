"""One pay engine: what a rep's forecast values is what the ledger pays.

The ledger (``PlanAccount``) pays credit as it comes, band by band, holding pay below a
gate and cutting it at a cap; the forecast values the period as the curve of the same
``PaySchedule``. For every shipped plan, and a few built to reach every rule (threshold,
gate, cap, several commissions, bonus tiers on a part period), any path of credits must
end with the ledger's commission and bonus lines adding up to the curve at the final
attainment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salessim.policies.compensation import PlanAccount
from salessim.policies.incentives import Forecast
from salessim.policies.schedule import PaySchedule, commission_steps
from salessim.scenario.load import load_scenario
from salessim.scenario.pay_components import Commission
from salessim.scenario.plans import Plan
from tests.support import ROOT


def shipped_plan_parts() -> list[tuple[str, Plan]]:
    """Every distinct plan of the shipped scenarios, split into its periods' parts."""
    parts: dict[str, tuple[str, Plan]] = {}
    for path in sorted(ROOT.glob("scenarios/**/*.yaml")):
        for name, plan in load_scenario(path).compensation.plans.items():
            for part in plan.by_period():
                key = part.model_dump_json()
                label = f"{Path(path).stem}:{name}:{part.quota.period.value}"
                parts.setdefault(key, (label, part))
    return sorted(parts.values())


def ae_plan(*components: dict[str, Any]) -> Plan:
    """An AE plan with ``components``: 100k base and target incentive, 800k a quarter."""
    return Plan.model_validate(
        {
            "role": "ae",
            "base": "100k",
            "target_incentive": "100k",
            "quota": {"amount": "800k", "period": "quarter"},
            "components": list(components),
        }
    )


BUILT = [
    (
        "threshold and accelerator",
        ae_plan(
            {
                "commission": {
                    "rates": [{"from": 0, "rate": 0.08}, {"from": 1.0, "rate": 0.16}],
                    "threshold": 0.3,
                }
            }
        ),
    ),
    (
        "gate and cap",
        ae_plan({"commission": {"rates": [{"from": 0, "rate": 0.1}], "gate": 0.5, "cap": 1.5}}),
    ),
    (
        "two commissions, a cap inside a band, tiers",
        ae_plan(
            {"commission": {"rates": [{"from": 0, "rate": 0.05}, {"from": 0.8, "rate": 0.2}]}},
            {"commission": {"rates": [{"from": 0, "rate": 0.02}], "cap": 0.4, "gate": 1.1}},
            {"bonus": {"tiers": [{"at": 0.5, "amount": 4000}, {"at": 1.0, "amount": 9000}]}},
        ),
    ),
]
PARTS = shipped_plan_parts() + BUILT


@pytest.mark.parametrize(("label", "part"), PARTS, ids=[label for label, _ in PARTS])
@settings(max_examples=150, deadline=None)
@given(
    quota_scale=st.floats(0.05, 3.0),
    share=st.floats(0.05, 1.0),
    credits=st.lists(st.floats(0.0, 0.7), max_size=20),
    retained=st.floats(0.5, 1.0),
)
def test_the_ledger_pays_what_the_forecast_values(
    label: str, part: Plan, quota_scale: float, share: float, credits: list[float], retained: float
):
    """Commission and bonus lines of a whole period add up to the curve at final attainment."""
    quota = part.quota.amount * quota_scale / part.quota.period.per_year
    target = part.target_incentive / part.quota.period.per_year * share
    measure = part.quota_measure
    account = PlanAccount(part, quota if not measure.is_ratio else 1.0, target, share)
    lines = []
    for piece in credits:
        if measure.is_ratio:  # ARR due for renewal, and the share of it retained
            lines += account.credit(measure, piece * quota * retained, due=piece * quota)
        else:
            lines += account.credit(measure, piece * quota)
    lines += account.settle()
    paid = sum(line.amount for line in lines)
    period_quota = account.quota  # a ratio quota becomes target x what came due at settle
    if period_quota <= 0:
        assert paid == 0
        return
    attainment = account.credited / period_quota
    curve = PaySchedule(part, target, share).curve(period_quota)
    assert paid == pytest.approx(curve.at(attainment), rel=1e-9, abs=1e-6)
    forecast = Forecast(curve, period_quota, attainment, 0.0)  # a sure forecast
    assert forecast.gain(0.0) == 0.0
    assert paid == pytest.approx(curve.expected(attainment, 0.0), rel=1e-9, abs=1e-6)


def test_commission_steps_pay_nothing_below_the_threshold_and_each_band_from_its_start():
    """Steps by hand: threshold 30%, 8% to quota, 16% above, with their statement notes."""
    spec = Commission.model_validate(
        {"rates": [{"from": 0, "rate": 0.08}, {"from": 1.0, "rate": 0.16}], "threshold": 0.3}
    )
    steps = commission_steps(spec)
    assert [(s.start, s.rate, s.below_threshold) for s in steps] == [
        (0.0, 0.0, True),
        (0.3, 0.08, False),
        (1.0, 0.16, False),
    ]
    assert [s.note for s in steps] == [
        "below the 30% threshold",
        "band from 0%",
        "band from 100%",
    ]


def test_a_bonus_tier_on_a_part_period_is_valued_at_the_share_it_pays():
    """A rep on the plan for 40% of the period: the ledger pays 40% of a tier; so does its curve."""
    plan = ae_plan({"bonus": {"tiers": [{"at": 1.0, "amount": 10_000}]}})
    account = PlanAccount(plan, 100_000, 10_000, share=0.4)
    (line,) = account.credit(plan.quota_measure, 100_000)
    assert line.amount == pytest.approx(4_000)
    curve = PaySchedule(plan, 10_000, share=0.4).curve(100_000)
    assert curve.at(1.0) == pytest.approx(4_000)
    assert curve.at(0.99) == 0


@pytest.mark.parametrize(
    ("scenario", "plan", "pays"),
    [
        ("linear_50_50", "ae_linear", {0.5: 141_750, 1.0: 189_000, 1.5: 236_250, 2.0: 283_500}),
        # 18% past quota: 94.5k + 94.5k + 0.5 x 1.05M x 18%
        ("accelerated", "ae_accelerated", {0.5: 141_750, 1.0: 189_000, 1.5: 283_500}),
        # the cap, 1.5 x 23,625 a quarter, is reached at 150%: nothing more at 200%
        ("capped", "ae_capped", {1.0: 189_000, 1.5: 236_250, 2.0: 236_250}),
        # all of the target incentive at quota, nothing below
        ("cliff_bonus", "ae_cliff", {0.99: 94_500, 1.0: 189_000, 1.5: 189_000}),
        # 5.4% commission, 4,725 a quarter at quota and 18,900 for the year at quota
        ("quarterly_pacers", "ae_pacers", {0.5: 122_850, 1.0: 189_000, 1.5: 217_350}),
        # $100 a meeting against 260 a year
        ("linear_50_50", "sdr_meetings", {0.5: 63_000, 1.0: 76_000, 1.5: 89_000}),
    ],
)
def test_a_years_pay_at_a_steady_attainment_by_hand(scenario, plan, pays):
    """The calculator's year at one attainment every period, worked out from the plan's terms."""
    from salessim.policies.schedule import yearly_pay

    found = load_scenario(ROOT / "scenarios" / "comp" / f"{scenario}.yaml").compensation.plans
    for attainment, pay in pays.items():
        assert yearly_pay(found[plan], attainment) == pytest.approx(pay), attainment
