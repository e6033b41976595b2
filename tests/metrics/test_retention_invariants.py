"""Retention invariants of any run, checked by Hypothesis over terms, warm-ups and horizons.

Each example is a tiny organisation (one SDR, one or two AEs, up to two CSMs, a small
starting book) run for a whole number of years (1 to 3) after a warm-up of 0 to 2 years
(the whole years 1y and 2y included, whose measuring starts off a day boundary), with a
contract term of a week, a month, a quarter, a year or two years, and drawn churn,
expansion and contraction chances. Every example measures at least one complete year, so
the retention checks always run.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salessim.run import simulate
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_YEAR

TERMS = ["1w", "1mo", "3mo", "1y", "2y"]
WARMUPS = st.one_of(
    st.sampled_from([0.0, DAYS_PER_YEAR, 2 * DAYS_PER_YEAR, 121.75, 395.6]),
    st.floats(0.0, 2 * DAYS_PER_YEAR),
)
PROBABILITY = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))
EXAMPLES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def retention_runs(draw: st.DrawFn) -> tuple[Scenario, int]:
    """A tiny organisation with a drawn customer book, and the whole years to measure."""
    accounts = draw(st.sampled_from([0, 6, 40]))
    csms = draw(st.integers(1 if accounts else 0, 2))  # a starting book needs a CSM
    scenario = Scenario.model_validate(
        {
            "calendar": {
                "start_date": draw(st.sampled_from(["2027-01-01", "2028-02-29", "2030-07-15"])),
                "warmup": draw(WARMUPS),
            },
            "market": {
                "segments": {
                    "mid": {
                        "inbound": {"rate": draw(st.sampled_from([0.5, 2.0]))},
                        "deal_value": {"lognormal": {"mean": 30_000, "cv": 0.5}},
                        "contract_term": draw(st.sampled_from(TERMS)),
                    }
                },
            },
            "funnel": {
                "stages": [
                    {
                        "name": "qualification",
                        "role": "sdr",
                        "work": {"exponential": {"mean": "1h"}},
                        "convert": 0.5,
                        "on_fail": "disqualified",
                    },
                    {
                        "name": "negotiation",
                        "role": "ae",
                        "work": {"exponential": {"mean": "3h"}},
                        "lag": {"exponential": {"mean": "10d"}},
                        "convert": 0.5,
                    },
                ]
            },
            "roles": {
                "sdr": {"headcount": 1},
                "ae": {"headcount": draw(st.integers(1, 2))},
                "specialist": {"headcount": 0},
                "csm": {"headcount": csms},
                "manager": {"headcount": 0},
            },
            "customers": {
                "initial": {"accounts": accounts},
                "referrals_per_account_per_year": 0,
                "churn": {"base": draw(PROBABILITY)},
                "expansion": {
                    "probability": draw(PROBABILITY),
                    "contraction_probability": draw(PROBABILITY),
                },
            },
            "policies": {"reassignment": {"account_loss": draw(st.sampled_from([0.0, 0.5]))}},
            "workforce": {"enabled": draw(st.booleans())},
        }
    )
    return scenario, draw(st.integers(1, 3))


def _close(a: float, b: float, scale: float) -> bool:
    """Equal to a few units in the last place of ``scale``: sums of one set of floats."""
    return abs(a - b) <= 8 * math.ulp(max(scale, 1.0))


@EXAMPLES
@given(retention_runs(), st.integers(0, 2**32 - 1))
def test_retention_kpis_are_bounded_and_known_for_any_term(run: Any, seed: int):
    """Whole years after any warm-up are complete years; GRR on [0, 1], NRR >= 0, churn a share.

    With a starting book, GRR, NRR and logo churn are known (not NaN); each cohort year
    accounts for every starting account and dollar: start - churned - contraction is the
    ARR retained, retained + expansion the ARR at the end.
    """
    scenario, years = run
    result = simulate(scenario, seed, years=years)
    k, cohorts = result.kpis, result.record.years
    complete = [y for y in cohorts if y.complete]
    assert len(complete) == years
    for y in complete:
        assert 0 <= y.churned_logos <= y.start_logos
        assert 0.0 <= y.retained_arr <= y.start_arr
        assert y.end_arr >= 0.0
        assert _close(y.start_arr - y.churned_arr - y.contraction_arr, y.retained_arr, y.start_arr)
        assert _close(y.retained_arr + y.expansion_arr, y.end_arr, y.end_arr)
    if any(y.start_arr > 0 for y in complete):
        assert 0.0 <= k["grr"] <= 1.0, k["grr"]
        assert k["nrr"] >= 0.0, k["nrr"]
    else:
        assert math.isnan(k["grr"]) and math.isnan(k["nrr"])
    if any(y.start_logos for y in complete):
        assert 0.0 <= k["logo_churn_rate"] <= 1.0, k["logo_churn_rate"]
    else:
        assert math.isnan(k["logo_churn_rate"])
    if scenario.calendar.warmup == 0 and scenario.customers.initial.accounts:
        assert complete[0].start_logos == scenario.customers.initial.accounts
    assert k["customers_start"] + k["new_logos"] == k["customers_end"] + k["churned_logos"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(retention_runs(), st.integers(0, 2**32 - 1))
def test_retention_is_measured_whenever_a_book_starts_a_year(run: Any, seed: int):
    """With no warm-up, the starting book is the first year's cohort: GRR and NRR are known."""
    scenario, years = run
    csms = max(1, scenario.roles.csm.headcount)
    overrides = {"calendar.warmup": 0, "customers.initial.accounts": 6, "roles.csm.headcount": csms}
    scenario = apply_overrides(scenario, overrides)
    k = simulate(scenario, seed, years=years).kpis
    assert not math.isnan(k["grr"]) and 0.0 <= k["grr"] <= 1.0
    assert not math.isnan(k["nrr"]) and k["nrr"] >= 0.0
    assert not math.isnan(k["logo_churn_rate"])
