"""The effort rule: the money more output earns, against the rep's pay, sets effort."""

from __future__ import annotations

import pytest

from salessim.policies.incentives import design_credit, effort_level, intensity

OTE = 190_000.0


def test_a_rep_on_target_under_the_markets_usual_plan_has_intensity_one():
    """50/50 straight commission, 9% on a 1.05M quota, a rep making its quota: intensity 1."""
    assert intensity(0.09 * 1.05e6, 189_000.0, 0.5) == pytest.approx(1.0)


def test_more_pay_at_risk_at_the_same_on_target_pay_raises_intensity():
    """80/20 at the same on-target pay puts 37.8k at risk, not 94.5k: intensity 0.4."""
    fifty = intensity(0.09 * 1.05e6, 189_000.0, 0.5)
    eighty = intensity(0.036 * 1.05e6, 189_000.0, 0.5)
    assert eighty == pytest.approx(0.4)
    assert eighty < fifty


def test_a_plan_is_designed_around_its_quota_unless_it_pays_more_than_its_target_there():
    """Paying its target at quota, the design credit is the quota; paying more, less."""
    assert design_credit(1.05e6, 94_500.0, 94_500.0) == 1.05e6
    assert design_credit(1.05e6, 94_500.0, 60_000.0) == 1.05e6  # part paid on other measures
    # The quota raised 1.5 times at the same 9%: 141.75k at quota, the design stays 1.05M.
    assert design_credit(1.575e6, 94_500.0, 0.09 * 1.575e6) == pytest.approx(1.05e6)


def test_a_higher_quota_at_the_same_rates_leaves_intensity_alone():
    """The same rate and the same design credit: the same intensity, whatever the quota."""
    before = intensity(0.09 * design_credit(1.05e6, 94_500.0, 94_500.0), 189_000.0, 0.5)
    after = intensity(0.09 * design_credit(1.575e6, 94_500.0, 141_750.0), 189_000.0, 0.5)
    assert after == pytest.approx(before) == pytest.approx(1.0)


def test_more_output_under_the_same_rate_puts_more_at_stake():
    """A plan designed around twice the credit at the same rate has twice the intensity."""
    assert intensity(0.09 * 2.1e6, 189_000.0, 0.5) == pytest.approx(
        2 * intensity(0.09 * 1.05e6, 189_000.0, 0.5)
    )


def test_nothing_to_weigh_is_neutral():
    """No on-target pay or no market reference: intensity 1, the effort of a salaried rep."""
    assert intensity(0.09 * 1e6, 0.0, 0.5) == 1.0
    assert intensity(0.09 * 1e6, OTE, 0.0) == 1.0


def test_effort_level_follows_the_formula_and_its_clips():
    """clip(1 + elasticity (intensity - 1) + morale_weight morale, low, high)."""
    assert effort_level(1.0, 0.0, 0.5, 0.15, 0.6, 1.25) == 1.0
    assert effort_level(0.4, 0.0, 0.5, 0.15, 0.6, 1.25) == pytest.approx(0.7)
    assert effort_level(0.4, -1.0, 0.5, 0.15, 0.6, 1.25) == pytest.approx(0.6)  # low
    assert effort_level(3.0, 0.0, 0.5, 0.15, 0.6, 1.25) == 1.25  # high
    assert effort_level(1.2, 0.2, 0.5, 0.15, 0.6, 1.25) == pytest.approx(1.13)
