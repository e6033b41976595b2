"""Quits as the field finds them: spread within a team, and promotions out of the SDR role."""

from __future__ import annotations

import pytest

from salessim import simulate
from salessim.model.attrition import (
    HazardInputs,
    annual_to_daily,
    exit_hazards,
    promotion_hazard,
)
from salessim.model.entities import Rep
from salessim.model.events import ExitKind, RepLeft
from salessim.run import Recording
from salessim.scenario.base import Role
from salessim.scenario.load import load_scenario
from salessim.scenario.people import Attrition, Tier, Workforce
from salessim.scenario.units import DAYS_PER_MONTH
from tests.model.test_workforce_rules import make_rep
from tests.support import ROOT


def voluntary(spread: float) -> float:
    """A core AE's voluntary hazard with the team's attainment spread at ``spread``."""
    rep: Rep = make_rep(1)
    rep.tier = Tier.CORE
    inputs = HazardInputs(1.0, 3.0, 0.0, spread)
    return exit_hazards(rep, inputs, 400.0, Attrition(), 100_000.0, Workforce(), 0.0)[0]


def test_a_wider_spread_of_performance_raises_quits():
    """Hazard x (1 + 1 x (spread - 0.3)) above the reference; nothing at or below it."""
    assert voluntary(0.1) == voluntary(0.3)
    assert voluntary(0.5) == pytest.approx(voluntary(0.3) * 1.2)
    assert voluntary(1.3) == pytest.approx(voluntary(0.3) * 2.0)


def test_promotion_opens_only_past_its_tenure():
    """No promotion hazard before ``promotion_after``; the annual rate's hazard after."""
    rep = make_rep(1)
    rep.hired_at = 0.0
    spec = Attrition(promotion=0.6, promotion_after=9 * DAYS_PER_MONTH)
    assert promotion_hazard(rep, 8 * DAYS_PER_MONTH, spec) == 0.0
    assert promotion_hazard(rep, 10 * DAYS_PER_MONTH, spec) == annual_to_daily(0.6)
    assert promotion_hazard(rep, 10 * DAYS_PER_MONTH, Attrition()) == 0.0


def test_sdrs_are_promoted_after_nine_months_and_it_is_not_attrition():
    """In the baseline SDRs leave the role by promotion too, never before 9 months.

    Promotions count in tenure at exit but not in the attrition KPIs.
    """
    from salessim.model.engine import Simulation

    sim = Simulation(load_scenario(ROOT / "scenarios" / "baseline.yaml"), 4)
    recording = Recording(sim)
    left: list[RepLeft] = []
    sim.bus.subscribe(RepLeft, left.append)
    sim.run_until(sim.end)
    result = recording.result()
    promoted = [e for e in left if e.exit is ExitKind.PROMOTED]
    assert promoted and all(e.role is Role.SDR for e in promoted)
    assert min(e.tenure_days for e in promoted) >= 9 * DAYS_PER_MONTH
    assert all(not e.regretted for e in promoted)
    measured = [e for e in left if e.day >= sim.measure_from and e.role is Role.SDR]
    quits = [e for e in measured if e.exit is not ExitKind.PROMOTED]
    k = result.kpis
    years = k["headcount_mean_sdr"] * k["measured_days"] / 365.25
    assert k["attrition_rate_sdr"] == pytest.approx(len(quits) / years)
    tenure = sum(e.tenure_days for e in measured) / len(measured) / DAYS_PER_MONTH
    assert k["tenure_at_exit_months_mean_sdr"] == pytest.approx(tenure)


def test_without_promotions_nobody_is_promoted():
    """With the SDR promotion rate at 0, no exit is a promotion and none is recorded."""
    scenario = load_scenario(
        ROOT / "scenarios" / "baseline.yaml", ["roles.sdr.attrition.promotion=0"]
    )
    assert simulate(scenario, 4, years=1).kpis["attrition_promoted_rate"] == 0.0


def test_the_spread_weight_raises_voluntary_quits_in_the_model():
    """Weighting the team's spread of attainment 3 instead of 0 raises voluntary attrition.

    The baseline's attainment spreads well past the 0.3 reference; over four seeds, same
    seeds in both arms.
    """
    path = ROOT / "scenarios" / "baseline.yaml"

    def quits(weight: int) -> float:
        overrides = [f"workforce.hazard.spread_weight={weight}"]
        runs = [simulate(load_scenario(path, overrides), seed, years=2) for seed in range(4)]
        return sum(run.kpis["attrition_voluntary_rate"] for run in runs)

    assert quits(3) > quits(0)
