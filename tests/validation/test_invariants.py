"""Invariants of any run, checked by Hypothesis over drawn organisations and policies.

Each example is a small organisation (a few reps per role) over 60 to 120 days with no
warm-up, so everything that happens is measured. Drawn: headcounts, stage conversion
probabilities (edges 0 and 1 included), inbound and outbound rates, referral rate,
patience on or off, a feedback route, routing policy per team, deal ownership, the
initial customer book, contract term, churn and expansion chances.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salessim.metrics.kinds import Unit, unit_of
from salessim.metrics.kpis import KPI_DEFINITIONS
from salessim.run import simulate
from salessim.scenario.policies import Ownership, Routing
from salessim.scenario.schema import Scenario

PROBABILITY = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.05, 0.95))
EXAMPLES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MONEY_SLACK = 0.01
"""A cent: how far sums of money kept in different orders may differ. The runs here hold
a few million dollars of ARR, whose float sums are off by far less; counts, times and
shares are compared exactly."""


def _exp(mean_days: float) -> dict[str, Any]:
    return {"exponential": {"mean": mean_days}}


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A small, valid organisation with drawn parameters and policies."""
    accounts = draw(st.sampled_from([0, 0, 15, 60]))
    patience = draw(st.booleans())
    prospecting = draw(st.sampled_from([0.0, 0.3]))
    qualification: dict[str, Any] = {
        "name": "qualification",
        "role": "sdr",
        "work": _exp(1 / 24),
        "convert": draw(PROBABILITY),
        "on_fail": "disqualified",
    }
    discovery: dict[str, Any] = {
        "name": "discovery",
        "role": "ae",
        "work": _exp(2 / 24),
        "lag": _exp(draw(st.floats(0.5, 10))),
        "convert": draw(PROBABILITY),
    }
    if patience:
        qualification["patience"] = _exp(draw(st.floats(0.05, 5)))
        discovery["patience"] = _exp(draw(st.floats(0.5, 20)))
    negotiation: dict[str, Any] = {
        "name": "negotiation",
        "role": "ae",
        "work": _exp(3 / 24),
        "lag": _exp(draw(st.floats(0.5, 10))),
    }
    if draw(st.booleans()):  # fixed routes with feedback to an earlier stage
        back = draw(st.floats(0.0, 0.3))
        negotiation["routes"] = {"discovery": back, "won": draw(st.floats(0.0, 1 - back))}
    else:
        negotiation["convert"] = draw(PROBABILITY)
    stages = [
        qualification,
        discovery,
        {
            "name": "technical_validation",
            "role": "specialist",
            "work": _exp(4 / 24),
            "lag": _exp(draw(st.floats(0.5, 5))),
            "convert": draw(PROBABILITY),
            "when": draw(st.sampled_from(["all", "needs_specialist"])),
        },
        negotiation,
    ]
    routing = st.sampled_from([r.value for r in Routing])
    quits = draw(st.sampled_from([0.0, 0.3, 0.99]))  # 0.99: most reps leave within months
    return Scenario.model_validate(
        {
            "calendar": {"horizon": draw(st.integers(60, 120)), "warmup": 0},
            "market": {
                "segments": {
                    "mid": {
                        "inbound": {"rate": draw(st.floats(1, 25))},
                        "deal_value": {"lognormal": {"mean": draw(st.floats(5e3, 1e5)), "cv": 0.5}},
                        "contract_term": draw(st.sampled_from([30, 90, 365.25])),
                    }
                },
                "outbound": {"leads_per_prospecting_hour": draw(st.floats(0, 0.5))},
            },
            "funnel": {
                "stages": stages,
                "conversion": {
                    "skill_elasticity": draw(st.floats(0, 2)),
                    "fit_elasticity": draw(st.floats(0, 2)),
                },
            },
            "roles": {
                "sdr": {
                    "headcount": draw(st.integers(1, 4)),
                    "selling_share": 0.6,
                    "prospecting_share": prospecting,
                },
                "ae": {
                    "headcount": draw(st.integers(1, 5)),
                    "attrition": {"voluntary": quits},
                    "hiring": {"time_to_hire": {"exponential": {"mean": "20d"}}},
                },
                "specialist": {"headcount": draw(st.integers(1, 2))},
                "csm": {
                    "headcount": draw(st.integers(1 if accounts else 0, 3)),
                    "attrition": {"voluntary": quits},
                },
                "manager": {"headcount": draw(st.integers(0, 1))},
            },
            "customers": {
                "initial": {"accounts": accounts},
                "referrals_per_account_per_year": draw(st.floats(0, 2)),
                "churn": {"base": draw(st.floats(0, 0.5))},
                "expansion": {
                    "probability": draw(st.floats(0, 0.8)),
                    "contraction_probability": draw(st.floats(0, 0.3)),
                },
            },
            "policies": {
                "routing": {role: draw(routing) for role in ("sdr", "ae", "specialist", "csm")},
                "deal_ownership": draw(st.sampled_from([o.value for o in Ownership])),
                "reassignment": {
                    "deal_loss": draw(st.floats(0, 1)),
                    "account_loss": draw(st.floats(0, 1)),
                },
            },
            "workforce": {"enabled": draw(st.booleans())},
        }
    )


SEEDS = st.integers(0, 2**32 - 1)


def same(a: dict[str, float], b: dict[str, float]) -> bool:
    """Equal KPIs, NaN equal to NaN."""
    return a.keys() == b.keys() and all(
        a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a
    )


@EXAMPLES
@given(scenarios(), SEEDS)
def test_every_lead_is_accounted_for(scenario, seed):
    """Each lead created is open at the end, or closed exactly once: won, lost, cold or DQ."""
    k = simulate(scenario, seed).kpis
    closed = k["deals_won"] + k["deals_lost"] + k["leads_gone_cold"] + k["leads_disqualified"]
    assert k["leads_created"] == k["leads_open_end"] + closed
    assert k["leads_created"] == k["leads_inbound"] + k["leads_outbound"] + k["leads_referral"]
    assert k["new_logos"] == k["deals_won"]


@EXAMPLES
@given(scenarios(), SEEDS)
def test_arr_balances(scenario, seed):
    """Starting ARR + new + expansion - churn - contraction is ending ARR, to the cent."""
    k = simulate(scenario, seed).kpis
    inflow = k["starting_arr"] + k["bookings_new_arr"] + k["bookings_expansion_arr"]
    outflow = k["churned_arr"] + k["contraction_arr"]
    assert abs(inflow - outflow - k["ending_arr"]) <= MONEY_SLACK, (inflow - outflow, k)
    assert k["customers_end"] == k["customers_start"] + k["new_logos"] - k["churned_logos"]


@EXAMPLES
@given(scenarios(), SEEDS)
def test_nothing_is_negative_and_shares_are_shares(scenario, seed):
    """Counts, money, times and rates are >= 0; utilisations and probabilities are in [0, 1].

    Morale is the one signed KPI: it must stay on [-1, 1]. Money may fall short of 0 by a
    cent (ARR kept as a running sum); everything else is checked exactly.
    """
    result = simulate(scenario, seed)
    k = result.kpis
    assert set(KPI_DEFINITIONS) <= set(k)
    morale = k.pop("morale_mean")
    assert math.isnan(morale) or -1 <= morale <= 1, morale
    for name, value in k.items():
        least = -MONEY_SLACK if unit_of(name) is Unit.MONEY else 0.0
        assert math.isnan(value) or value >= least, (name, value)
    shares = [n for n in k if n.startswith(("utilisation_", "stage_conversion_"))]
    for name in [*shares, "win_rate", "expansion_share", "grr", "logo_churn_rate"]:
        assert math.isnan(k[name]) or k[name] <= 1, (name, k[name])
    for role, queue in result.record.queues.items():
        assert queue.waited <= queue.started, role
        for field in ("wait_days_sum", "cold_wait_days_sum", "waiting_area", "busy_area"):
            assert getattr(queue, field) >= 0, (role, field)
    assert all(days >= 0 for days in result.record.cycle_days)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), SEEDS)
def test_a_run_is_a_function_of_scenario_and_seed(scenario, seed):
    """The same scenario and seed give identical KPIs; another seed gives different ones."""
    first = simulate(scenario, seed).kpis
    assert same(first, simulate(scenario, seed).kpis)
    assert not same(first, simulate(scenario, seed + 1).kpis)
