"""Model rules on small scenarios: ownership, skipped stages, sources, seasonality, churn."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pytest

from salessim import simulate
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario


def with_(scenario: Scenario, **changes: Any) -> Scenario:
    """``scenario`` with overrides given as keywords, ``__`` standing for a dot."""
    return apply_overrides(scenario, {k.replace("__", "."): v for k, v in changes.items()})


def workers_by_lead(result, role_stages: set[int]) -> dict[int, set[int]]:
    """The reps who worked each lead at any of ``role_stages``, by lead id."""
    work = result.events["lead_work_started"]
    seen: dict[int, set[int]] = defaultdict(set)
    for lead, rep, stage in zip(work["lead"], work["rep"], work["stage"], strict=True):
        if stage in role_stages:
            seen[lead].add(rep)
    return seen


def ae_stages(scenario: Scenario) -> set[int]:
    """The indices of the funnel stages AEs work."""
    return {i for i, s in enumerate(scenario.funnel.stages) if s.role.value == "ae"}


def test_sticky_deals_stay_with_one_ae(small_org: Scenario):
    """With nobody leaving, every stage of a deal is worked by the AE who started it."""
    fixed = with_(small_org, workforce__enabled=False)
    result = simulate(fixed, 1, years=0.5, record_events=True)
    seen = workers_by_lead(result, ae_stages(fixed))
    assert len(seen) > 50
    assert all(len(reps) == 1 for reps in seen.values())


def test_pooled_deals_move_between_aes(small_org: Scenario):
    """With pooled ownership, some deals are worked by more than one AE."""
    pooled = with_(small_org, policies__deal_ownership="pooled")
    seen = workers_by_lead(simulate(pooled, 1, years=0.5, record_events=True), ae_stages(pooled))
    assert any(len(reps) > 1 for reps in seen.values())


def test_only_deals_needing_a_specialist_reach_the_specialist_stage(small_org: Scenario):
    """Specialists work only on deals that need one: none at a share of 0, some at a share of 1."""
    for share, expect_some in ((0.0, False), (1.0, True)):
        scenario = with_(small_org, market__segments__mid_market__needs_specialist=share)
        result = simulate(scenario, 2, years=0.5)
        assert (result.kpis["utilisation_specialist"] > 0) is expect_some
        conversion = result.kpis["stage_conversion_technical_validation"]
        if expect_some:
            assert 0 < conversion <= 1
        else:
            assert math.isnan(conversion)  # no lead finished the stage: unknown, not 0


def test_no_prospecting_means_no_outbound_leads(small_org: Scenario):
    """No leads per prospecting hour means no outbound leads."""
    none = with_(small_org, market__outbound__leads_per_prospecting_hour=0)
    assert simulate(none, 1, years=0.5).kpis["leads_outbound"] == 0


def test_outbound_leads_scale_with_sdr_prospecting_time(small_org: Scenario):
    """Outbound = SDRs x hours x prospecting share x leads/hour; twice the SDRs, twice the leads."""
    one = simulate(with_(small_org, roles__sdr__headcount=2), 3, years=1).kpis["leads_outbound"]
    two = simulate(with_(small_org, roles__sdr__headcount=4), 3, years=1).kpis["leads_outbound"]
    expected_one = 2 * 40 * 0.3 / 7 * 0.3 * 365.25  # SDRs x h/week x share / 7 x leads/h x days
    assert one == pytest.approx(expected_one, rel=0.15)
    assert two / one == pytest.approx(2.0, rel=0.15)


def test_referrals_come_from_customers(small_org: Scenario):
    """No customers and no referral rate give no referrals; a larger book gives more."""
    none = with_(
        small_org, customers__initial__accounts=0, customers__referrals_per_account_per_year=0
    )
    many = with_(small_org, customers__initial__accounts=600)
    assert simulate(none, 1, years=1).kpis["leads_referral"] == 0
    assert (
        simulate(many, 1, years=1).kpis["leads_referral"]
        > simulate(small_org, 1, years=1).kpis["leads_referral"]
    )


def test_seasonality_shapes_monthly_inbound():
    """A month with multiplier 3 gets about three times the leads of a month with 1."""
    seasonality = [3.0] + [1.0] * 11
    scenario = Scenario.model_validate(
        {
            "calendar": {"horizon": "2y"},
            "market": {
                "segments": {"m": {"inbound": {"rate": "600/mo", "seasonality": seasonality}}}
            },
            "roles": {"sdr": {"headcount": 30}},
            "customers": {"referrals_per_account_per_year": 0},
        }
    )
    rows = simulate(scenario, 4).monthly
    january = sum(r["leads_created"] for r in rows if str(r["month"]).endswith("-01"))
    other = sum(r["leads_created"] for r in rows if str(r["month"]).endswith("-02"))
    assert january / other == pytest.approx(3.0, rel=0.1)


def test_more_csm_attention_means_less_churn(small_org: Scenario):
    """Same seeds (common random numbers): doubling CSMs lowers churned ARR on a large book."""
    book = with_(small_org, customers__initial__accounts=600)
    thin, thick = with_(book, roles__csm__headcount=2), with_(book, roles__csm__headcount=6)
    thin_churn = sum(simulate(thin, s).kpis["churned_arr"] for s in range(4))
    thick_churn = sum(simulate(thick, s).kpis["churned_arr"] for s in range(4))
    assert thick_churn < 0.9 * thin_churn


def test_fit_counts_relative_to_its_segment_mean(small_org: Scenario):
    """Shifting a segment's whole fit distribution leaves the win rate as it was."""

    def run(mean: float) -> dict[str, float]:
        scenario = with_(
            small_org,
            market__segments__mid_market__fit={"beta": {"mean": mean, "sd": 0.1}},
            customers__initial__accounts=0,
        )
        return simulate(scenario, 6, years=1).kpis

    # Fit enters as fit / mean fit, so shifting the whole distribution changes nothing:
    # the rule rewards relative fit within a segment, not absolute fit.
    assert run(0.4)["win_rate"] == pytest.approx(run(0.7)["win_rate"], abs=0.05)
