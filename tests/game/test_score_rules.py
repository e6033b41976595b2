"""Scoring rules: a symmetric gap, and points lost for spending over budget."""

from __future__ import annotations

import pytest

from salessim.game.scoring import scorecard

WEIGHTS = {"profit": 0.5, "regretted_attrition": 0.5}
AUTOPILOT = {"profit": 100.0, "regretted_attrition": 0.3, "overspend": 0.0}


def test_a_gap_is_the_difference_over_the_mean_of_the_two():
    """Profit 110 against 100: +10 / 105; no regretted exits against 0.3: +2, clipped."""
    card = scorecard({"profit": 110.0, "regretted_attrition": 0.0}, AUTOPILOT, WEIGHTS)
    profit, regretted = card.lines
    assert profit.points == pytest.approx(50 * (1 + 10 / 105))
    assert regretted.points == pytest.approx(100.0)  # twice its weight


def test_luck_on_a_small_figure_counts_as_much_either_way():
    """0 against 0.3 earns twice the weight; 0.3 against 0 earns nothing."""
    better = scorecard({"profit": 100.0, "regretted_attrition": 0.0}, AUTOPILOT, WEIGHTS)
    zero = {"profit": 100.0, "regretted_attrition": 0.0, "overspend": 0.0}
    worse = scorecard({"profit": 100.0, "regretted_attrition": 0.3}, zero, WEIGHTS)
    assert better.total - 100 == pytest.approx(100 - worse.total) == pytest.approx(50.0)


def test_spending_over_budget_costs_two_points_a_percent_beyond_the_autopilot():
    """3% of the budgets overspent against the autopilot's 1%: 4 points off."""
    player = {"profit": 100.0, "regretted_attrition": 0.3, "overspend": 0.03}
    card = scorecard(player, {**AUTOPILOT, "overspend": 0.01}, WEIGHTS)
    assert card.penalty == pytest.approx(4.0)
    assert card.total == pytest.approx(96.0)
    assert scorecard(player, {**AUTOPILOT, "overspend": 0.05}, WEIGHTS).penalty == 0.0
