"""Revenue, people spend and contribution by hand; each KPI's unit and direction, once."""

from __future__ import annotations

import math

import pytest

from salessim.metrics.kinds import KINDS, Better, Unit, better, is_good, unit_of
from salessim.metrics.kpis import KPI_DEFINITIONS, compute
from salessim.metrics.record import PayRecord, Record
from salessim.metrics.value import book_and_pipeline
from salessim.run import simulate
from salessim.scenario.units import DAYS_PER_YEAR
from tests.support import PAID


def pay_line(pay: PayRecord, day: float, role: str, component: str, amount: float) -> None:
    """Append one ledger line (only the columns the KPIs read matter)."""
    pay.line_day.append(day)
    pay.line_rep.append(1)
    pay.line_role.append(role)
    pay.line_plan.append("plan")
    pay.line_period.append("2027Q1")
    pay.line_component.append(component)
    pay.line_measure.append("")
    pay.line_credit.append(0.0)
    pay.line_rate.append(0.0)
    pay.line_amount.append(amount)
    pay.line_note.append("")


def quarter_record() -> Record:
    """90 days measured from day 30: ARR 1.2M, 1.26M and 1.32M at month ends, 1.44M at the end."""
    record = Record(measured_days=90.0, measured_from=30.0)
    record.starting_arr, record.ending_arr = 1_200_000.0, 1_440_000.0
    record.add_month({"month": "2027-02", "day": 60.0, "arr": 1_260_000.0})
    record.add_month({"month": "2027-03", "day": 90.0, "arr": 1_320_000.0})
    record.stage_names, record.stage_roles = ["qualify", "demo"], ["sdr", "ae"]
    record.pipeline_value_end = [100_000.0, 400_000.0]
    record.pipeline_count_end = [4, 10]
    record.stage_done, record.stage_converted = [0, 0], [0, 0]
    record.closed_by_status = {"won": 1, "lost": 3}
    record.pay.measured_from = 30.0
    pay_line(record.pay, 10.0, "ae", "base", 99_999.0)  # in the warm-up: not counted
    pay_line(record.pay, 40.0, "ae", "base", 50_000.0)
    pay_line(record.pay, 100.0, "ae", "commission", 10_000.0)
    record.people.hiring_cost = 5_000.0
    record.people.exit_cost = 2_000.0
    record.people.training_cost = 1_000.0
    return record


def test_revenue_spend_and_contribution_by_hand():
    """Revenue is ARR integrated straight between month ends; contribution adds what is left.

    Area: 30 days at (1.2M + 1.26M) / 2, 30 at (1.26M + 1.32M) / 2 and 30 at (1.32M + 1.44M) /
    2, 117M dollar-days, over 365.25 days a year. Spend: 60k of pay in the measured period
    and 8k of hiring, severance and training. Left: the book at two years of 1.44M and the
    pipeline of every stage (500k) at the win rate of 1 in 4.
    """
    kpis = compute(quarter_record(), book_years=2.0)
    revenue = (30 * 1_230_000 + 30 * 1_290_000 + 30 * 1_380_000) / DAYS_PER_YEAR
    assert kpis["revenue"] == pytest.approx(revenue)
    assert kpis["people_spend"] == pytest.approx(68_000.0)
    left = 2 * 1_440_000 + 500_000 * 0.25
    assert kpis["contribution"] == pytest.approx(revenue - 68_000 + left)


def test_a_year_more_of_book_adds_the_ending_arr_once():
    """Valuing the book at one more year of ARR raises contribution by the ending ARR, no more."""
    record = quarter_record()
    one, two = compute(record, book_years=1.0), compute(record, book_years=2.0)
    assert two["contribution"] - one["contribution"] == pytest.approx(1_440_000.0)
    assert two["revenue"] == one["revenue"]


def test_the_valuation_by_hand_and_with_no_deal_closed():
    """The book at its years of ARR plus the pipeline at the win rate; no win rate, no wins."""
    assert book_and_pipeline(1e6, 4e5, 0.25, 1.5) == pytest.approx(1.5e6 + 1e5)
    assert book_and_pipeline(1e6, 4e5, math.nan, 1.0) == pytest.approx(1e6)


def test_money_kpis_are_unknown_without_pay_plans():
    """No pay plans, no pay recorded: people spend and contribution are NaN, revenue is known."""
    record = quarter_record()
    record.pay = PayRecord(measured_from=30.0)
    kpis = compute(record)
    assert math.isnan(kpis["people_spend"]) and math.isnan(kpis["contribution"])
    assert kpis["revenue"] > 0


def test_contribution_of_a_run_is_revenue_less_spend_plus_what_is_left():
    """On a run with pay plans, the KPIs add up with the record's own book and pipeline."""
    result = simulate(PAID, seed=3, years=0.5)
    k, record = result.kpis, result.record
    left = book_and_pipeline(
        k["ending_arr"], sum(record.pipeline_value_end), k["win_rate"], PAID.game.book_years
    )
    assert k["contribution"] == pytest.approx(k["revenue"] - k["people_spend"] + left)
    assert k["people_spend"] >= k["comp_cost"] > 0
    measured_years = k["measured_days"] / DAYS_PER_YEAR
    low, high = sorted((k["starting_arr"], k["ending_arr"]))
    assert low * measured_years * 0.95 <= k["revenue"] <= high * measured_years * 1.05


def test_every_kpi_has_a_unit_and_a_direction():
    """The kinds name exactly the KPIs defined; stage conversions are shares, higher better."""
    assert set(KINDS) == set(KPI_DEFINITIONS)
    assert unit_of("stage_conversion_demo") is Unit.SHARE
    assert better("stage_conversion_demo") is Better.HIGHER


@pytest.mark.parametrize(
    ("name", "change", "good"),
    [
        ("bookings_new_arr", 1.0, True),
        ("comp_cost", 1.0, False),
        ("churned_arr", -1.0, True),
        ("contribution", -1.0, False),
        ("utilisation_ae", 1.0, None),
        ("win_rate", 0.0, None),
    ],
)
def test_good_news_follows_the_direction(name, change, good):
    """More bookings is good, more pay bad, less churn good; utilisation is neither."""
    assert is_good(name, change) is good
