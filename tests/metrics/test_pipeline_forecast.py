"""The pipeline forecast: its rule by hand, its priors, and its record of a run."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from salessim import simulate
from salessim.metrics.forecast import PRIOR_WEIGHT, by_quarter, forecast, forecast_kpis, priors
from salessim.metrics.record import ForecastMark, ForecastPriors, Record
from salessim.scenario.load import load_scenario
from tests.support import ROOT

ROLES = ["sdr", "ae", "ae"]


def _mark(**changes: object) -> ForecastMark:
    mark = ForecastMark(
        day=0.0,
        until=91.0,
        quarter="2027Q1",
        whole=True,
        stage_value=[1e6, 2e6, 1e6],
        stage_done=[0, 0, 0],
        won=0,
        won_value=0.0,
        won_arr=0.0,
        cycle_days=0.0,
        cycled=0,
        renewals_due_arr=5e5,
        renewed_arr=0.0,
        churned_arr=0.0,
        bookings_new_arr=0.0,
        book_arr=1e6,
        accounts=10,
    )
    return replace(mark, **changes)


PRIOR = ForecastPriors(win_from_stage=[0.1, 0.3, 0.6], cycle_days=91.0, churn_rate=0.1)


def test_before_any_history_the_forecast_is_the_scenarios_own_rates():
    """No history: new ARR is each deal stage's value x its configured chance; churn at base."""
    made = forecast(_mark(), PRIOR, ROLES)
    assert made.new_arr == pytest.approx(2e6 * 0.3 + 1e6 * 0.6)  # the SDR stage is left out
    assert made.churn == pytest.approx(5e5 * 0.1)


def test_history_takes_over_from_the_priors_as_it_grows():
    """Wins over a stage's completions, the price and the cycle are blended with the priors."""
    mark = _mark(
        stage_done=[0, 180, 80],
        won=40,
        won_value=4e6,
        won_arr=3.6e6,
        cycle_days=40 * 60.0,
        cycled=40,
        renewed_arr=2e6,
        churned_arr=4e5,
    )
    made = forecast(mark, PRIOR, ROLES)
    w = PRIOR_WEIGHT
    chance_1 = (40 + w * 0.3) / (180 + w)
    chance_2 = (40 + w * 0.6) / (80 + w)
    deal = 4e6 / 40
    price = (3.6e6 + w * deal) / (4e6 + w * deal)
    cycle = (40 * 60.0 + w * 91.0) / (40 + w)
    expected = price * 91.0 / cycle * (2e6 * chance_1 + 1e6 * chance_2)
    assert made.new_arr == pytest.approx(expected)
    account = 1e6 / 10
    churn_rate = (4e5 + 0.1 * w * account) / (2e6 + w * account)
    assert made.churn == pytest.approx(5e5 * churn_rate)


def test_forecast_scales_with_the_pipeline_and_the_renewals_due():
    """Twice the open value, twice the new ARR; twice the ARR due, twice the churn."""
    once = forecast(_mark(), PRIOR, ROLES)
    twice = forecast(_mark(stage_value=[2e6, 4e6, 2e6], renewals_due_arr=1e6), PRIOR, ROLES)
    assert twice.new_arr == pytest.approx(2 * once.new_arr)
    assert twice.churn == pytest.approx(2 * once.churn)


def test_a_longer_cycle_books_less_of_the_pipeline_in_a_quarter():
    """Little's law: a pipeline that takes twice as long to close books half of it a quarter."""
    fast = forecast(_mark(), PRIOR, ROLES)
    slow = forecast(_mark(), replace(PRIOR, cycle_days=182.0), ROLES)
    assert slow.new_arr == pytest.approx(fast.new_arr / 2)


def test_priors_of_the_default_funnel_are_the_products_of_its_conversions():
    """Each stage's configured chance to win is the product of the conversions left to pass."""
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    found = priors(scenario)
    stages = scenario.funnel.stages
    for index in range(len(stages)):
        expected = math.prod(
            s.convert for s in stages[index:] if s.routes is None and s.next is None
        )
        assert found.win_from_stage[index] == pytest.approx(expected)
    assert found.churn_rate == scenario.customers.churn.base
    assert found.cycle_days > sum(s.lag.mean for s in stages)  # the lags, and some work


def test_a_run_reports_each_whole_quarter_forecast_against_what_it_booked():
    """Rows for whole quarters only; their actuals add up to the run's bookings in them."""
    result = simulate(load_scenario(ROOT / "scenarios" / "baseline.yaml"), seed=1, years=1.5)
    rows = result.forecast_by_quarter
    assert len(rows) >= 4
    labels = [row["quarter"] for row in rows]
    assert labels == sorted(set(labels))
    monthly = result.monthly
    months = {str(row["month"]): float(row["bookings_new_arr"]) for row in monthly}
    churned = {str(row["month"]): float(row["churned_arr"]) for row in monthly}
    marks = {m.quarter: m for m in result.record.forecast_marks}
    for row in rows:
        mark = marks[str(row["quarter"])]
        inside = [
            str(r["month"]) for r in monthly if mark.day < float(r["day"]) <= mark.until + 1e-3
        ]
        assert len(inside) == 3
        assert row["new_arr_actual"] == pytest.approx(sum(months[m] for m in inside))
        assert row["churn_actual"] == pytest.approx(sum(churned[m] for m in inside))
        assert float(row["new_arr_forecast"]) > 0 and float(row["churn_forecast"]) > 0
    errors = [abs(float(r["new_arr_forecast"]) / float(r["new_arr_actual"]) - 1) for r in rows]
    assert result.kpis["forecast_error_new_arr"] == pytest.approx(sum(errors) / len(errors))
    assert result.kpis["forecast_error_new_arr"] < 0.5  # a guide, not a guess


def test_a_record_without_a_whole_quarter_has_no_forecast_error():
    """No quarter measured whole: the errors are unknown (NaN), not 0."""
    record = Record(stage_roles=ROLES, forecast_priors=PRIOR)
    record.forecast_marks = [_mark(whole=False), _mark(day=91.0, until=182.0)]
    assert by_quarter(record) == []
    kpis = forecast_kpis(record)
    assert math.isnan(kpis["forecast_error_new_arr"]) and math.isnan(kpis["forecast_error_churn"])


def test_a_quarter_that_booked_nothing_is_left_out_of_the_percentage_error():
    """A percentage of nothing is unknown: only quarters with bookings are averaged."""
    record = Record(stage_roles=ROLES, forecast_priors=PRIOR)
    record.forecast_marks = [
        _mark(),
        _mark(day=91.0, until=182.0),  # nothing booked in the first quarter
        _mark(day=182.0, until=273.0, bookings_new_arr=1e6, churned_arr=1e5),
    ]
    rows = by_quarter(record)
    assert [row["new_arr_actual"] for row in rows] == [0.0, 1e6]
    second = forecast(record.forecast_marks[1], PRIOR, ROLES)
    assert forecast_kpis(record)["forecast_error_new_arr"] == pytest.approx(
        abs(second.new_arr - 1e6) / 1e6
    )
