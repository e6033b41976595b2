"""KPIs written as a VP reads them: money in $M, shares in %, changes of shares in points."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salessim.metrics.kpis import KPI_DEFINITIONS
from salessim.report import format as fmt


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("bookings_new_arr", 53_579_561.0, "$53.6M"),
        ("win_rate", 0.228, "22.8%"),
        ("win_rate", 0.0000857, "0.01%"),
        ("deals_won", 406.0, "406"),
        ("deals_won", 11.43, "11.4"),
        ("sales_cycle_days_median", 63.04, "63.0 days"),
        ("mean_wait_days_sdr", 0.5, "12.0 h"),
        ("tenure_months_median", 14.26, "14.3 months"),
        ("coaching_hours_per_rep_month", 2.0, "2.0 h"),
        ("morale_mean", 0.04196, "0.0420"),
        ("lead_arrival_rate_per_day", 0.0000857, "0.0000857"),
        ("open_leads_mean", 1234.5, "1,234"),
        ("contribution", math.nan, "–"),
    ],
)
def test_a_kpi_reads_in_its_unit(name, value, text):
    """Money abbreviated, shares as percentages, counts whole, durations with their unit."""
    assert fmt.kpi_value(name, value) == text


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("bookings_new_arr", 5_100_000.0, "+$5.1M"),
        ("comp_cost", -220_000.0, "-$220k"),
        ("win_rate", 0.0213, "+2.1 pts"),
        ("grr", -0.00159, "-0.16 pts"),
        ("cost_of_sales", -0.00001, "-0.0010 pts"),
        ("sales_cycle_days_mean", -3.5, "-3.5 days"),
        ("deals_won", 123.0, "+123"),
    ],
)
def test_a_change_is_signed_and_a_share_changes_in_points(name, value, text):
    """A change carries its sign (none when it reads as zero); a share's is in points."""
    assert fmt.kpi_change(name, value) == text


def test_a_change_and_its_interval_share_their_decimals():
    """The change and both bounds are written to the same decimals: two digits of the widest.

    A change that rounds to zero at those decimals has no sign.
    """
    assert fmt.kpi_estimate("grr", 0.0023, -0.004, 0.009) == "+0.23 pts [-0.40 pts, +0.90 pts]"
    assert fmt.kpi_estimate("grr", -1e-7, -0.012, 0.011) == "0.0 pts [-1.2 pts, +1.1 pts]"
    assert fmt.kpi_estimate("bookings_new_arr", 4.6e6, 2.8e6, 6.3e6) == ("+$4.6M [+$2.8M, +$6.3M]")
    assert fmt.kpi_estimate("win_rate", 0.01, None, None) == "+1.0 pts"


@given(
    st.sampled_from(sorted(KPI_DEFINITIONS)),
    st.one_of(st.floats(min_value=-1e15, max_value=1e15), st.sampled_from([math.nan, math.inf])),
)
def test_no_figure_is_ever_in_scientific_notation(name, value):
    """Whatever the KPI and the value, no figure, change or tick reads like 8.57e-05."""
    texts = [fmt.kpi_value(name, value), fmt.kpi_change(name, value), fmt.plain(value)]
    if math.isfinite(value):
        texts.append(fmt.kpi_tick(name, value))
    for text in texts:
        assert "e-" not in text and "e+" not in text and "nan" not in text.lower(), text


def test_relative_changes_never_read_minus_zero():
    """A relative change that rounds to zero has no sign."""
    assert fmt.relative(-0.00001) == "0.0%"
    assert fmt.relative(0.087) == "+8.7%"
