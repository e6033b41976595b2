"""Cohort years: each starting account counted once, and years of 365.25 days after warm-up."""

from __future__ import annotations

import numpy as np
import pytest

from salessim.metrics.cohort import Cohort
from salessim.metrics.record import CohortYear
from salessim.model.engine import Simulation
from salessim.model.view import BookView
from salessim.run import Recording, simulate
from salessim.scenario.load import apply_overrides
from salessim.scenario.units import DAYS_PER_YEAR


def test_a_cohort_follows_each_starting_account_from_its_start_to_its_end():
    """Renewals in between do not count, only where each account started and ended.

    Account 1 grows to 150 and falls back to 120: it kept 100 and gained 20. Account 2
    shrinks to 50, then leaves: it churned its starting 100. Account 3 shrinks to 80, then
    grows to 90: it kept 90. Accounts 7 and 9 joined later and are not in the cohort.
    """
    cohort = Cohort(BookView(np.array([1, 2, 3], dtype=np.int32), np.array([100.0] * 3)))
    for account, arr in ((1, 150.0), (1, 120.0), (2, 50.0), (3, 80.0), (3, 90.0), (7, 1e6)):
        cohort.renewed(account, arr)
    cohort.churned(2)
    cohort.churned(9)
    assert cohort.year(complete=True) == CohortYear(
        start_arr=300.0,
        start_logos=3,
        retained_arr=190.0,
        end_arr=210.0,
        churned_arr=100.0,
        contraction_arr=10.0,
        expansion_arr=20.0,
        churned_logos=1,
        complete=True,
    )


def test_an_empty_cohort_has_nothing_to_retain():
    """A year that starts with no accounts has no ARR and no logos: its rates are unknown."""
    cohort = Cohort(BookView(np.array([], dtype=np.int32), np.array([])))
    cohort.renewed(4, 10.0)
    year = cohort.year(complete=True)
    assert (year.start_arr, year.start_logos, year.end_arr) == (0.0, 0, 0.0)


@pytest.mark.parametrize("warmup", ["0d", "4mo", "1y", "2y"])
def test_a_year_measured_after_any_warm_up_is_a_complete_year(small_org, warmup):
    """One year after a warm-up of whole years (measuring starts at 6 or 12 o'clock) counts.

    It was NaN: years were counted in month closes, and the twelfth came after the end.
    """
    scenario = apply_overrides(small_org, {"calendar.warmup": warmup})
    result = simulate(scenario, seed=3, years=1)
    assert [y.complete for y in result.record.years] == [True, False]
    assert 0.0 <= result.kpis["grr"] <= 1.0
    assert result.kpis["nrr"] >= 0.0
    assert 0.0 <= result.kpis["logo_churn_rate"] <= 1.0


@pytest.mark.parametrize("term", ["1w", "1mo"])
def test_short_contracts_keep_grr_a_share(small_org, term):
    """Accounts that renew every week or month count once a year: GRR on [0, 1], NRR >= 0.

    Counting each renewal's loss against the year's starting ARR gave GRR -0.29 for
    monthly and -56 for weekly contracts.
    """
    scenario = apply_overrides(small_org, {"market.segments.mid_market.contract_term": term})
    result = simulate(scenario, seed=1, years=2)
    kpis = result.kpis
    assert 0.0 <= kpis["grr"] <= 1.0
    assert kpis["nrr"] >= 0.0
    assert 0.0 < kpis["logo_churn_rate"] <= 1.0
    # Many renewals a year: losses over the period exceed what the starting books held.
    assert kpis["churned_arr"] + kpis["contraction_arr"] > kpis["starting_arr"] * (1 - kpis["grr"])


def test_asking_for_the_result_at_a_years_end_does_not_close_it_twice(small_org):
    """A run read at the end of its first year and then continued measures the same years."""
    sim = Simulation(small_org, 2)
    recording = Recording(sim)
    sim.run_until(small_org.calendar.warmup + DAYS_PER_YEAR)
    first = recording.result().record.years
    sim.run_until(small_org.calendar.warmup + 2 * DAYS_PER_YEAR)
    continued = recording.result().record.years
    straight = simulate(small_org, 2, years=2).record.years
    assert [y.complete for y in first] == [True, False]
    assert continued == straight
    assert first[0] == straight[0]
