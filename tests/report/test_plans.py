"""A pay plan on one page: its terms in words and what it costs at 50%, 100% and 150% of quota."""

from __future__ import annotations

import pytest

from salessim.report.plans import ATTAINMENTS, left_out, plan_summaries
from salessim.scenario.load import load_scenario
from tests.support import ROOT


def comp(name: str):
    """A shipped pay-plan scenario."""
    return load_scenario(ROOT / "scenarios" / "comp" / f"{name}.yaml")


def test_the_reference_shows_every_plan_in_force_with_its_cost():
    """Every role's assigned plan: terms in words, one rep's and the team's pay at each level."""
    summaries = {s.role: s for s in plan_summaries(comp("linear_50_50"))}
    assert set(summaries) == {"ae", "sdr", "specialist", "csm"}
    ae = summaries["ae"]
    assert ae.name == "ae_linear" and ae.headcount == 20
    assert [a for a, _ in ae.pay] == list(ATTAINMENTS) == [0.5, 1.0, 1.5]
    assert [pay for _, pay in ae.pay] == pytest.approx([141_750, 189_000, 236_250])
    assert [pay for _, pay in ae.team_pay] == pytest.approx([20 * 141_750, 20 * 189_000,
                                                             20 * 236_250])  # fmt: skip
    assert ae.terms[0].startswith("Plan ae_linear: base $94,500, target incentive $94,500")
    assert any("commission on new_arr: 9.00% from 0%" in term for term in ae.terms)
    assert ae.left_out == ["draws"]


def test_another_arm_shows_only_the_plans_that_differ():
    """Against the reference, the accelerated arm shows its AE plan alone, accelerator named."""
    (ae,) = plan_summaries(comp("accelerated"), unlike=comp("linear_50_50"))
    assert ae.role == "ae" and ae.name == "ae_accelerated"
    assert any("18.00% from 100%; accelerating" in term for term in ae.terms)
    assert ae.pay[-1][1] == pytest.approx(283_500)
    (capped,) = plan_summaries(comp("capped"), unlike=comp("linear_50_50"))
    assert any("cap 1.5x target incentive" in term for term in capped.terms)


def test_what_a_calculator_cannot_price_is_said():
    """Commission on other measures and draws do not follow attainment: they are named."""
    plan = comp("retention_weighted").compensation.plans["ae_retention"]
    assert left_out(plan) == ["draws", "commission on renewal_arr", "commission on expansion_arr"]
