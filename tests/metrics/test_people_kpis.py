"""Workforce KPIs, computed by hand from small hand-built records."""

from __future__ import annotations

import math
from array import array

import pytest

from salessim.metrics.kpis import KPI_DEFINITIONS, MANAGER_ACTIVITIES, ROLES, compute
from salessim.metrics.record import PeopleRecord, Record
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_YEAR

MONTH = DAYS_PER_MONTH


def people_record() -> Record:
    """A year with 4 SDRs and 6 AEs on average, two leavers and five reps at the end."""
    record = Record(measured_days=DAYS_PER_YEAR)
    record.people = PeopleRecord(
        hires={"sdr": 1, "ae": 2, "specialist": 0, "csm": 0},
        exits={
            "sdr": {"voluntary": 1, "involuntary": 0, "regretted": 1},
            "ae": {"voluntary": 0, "involuntary": 1, "regretted": 0},
            "specialist": {"voluntary": 0, "involuntary": 0, "regretted": 0},
            "csm": {"voluntary": 0, "involuntary": 0, "regretted": 0},
        },
        exit_tenure_days={
            "sdr": array("d", [6 * MONTH]),
            "ae": array("d", [18 * MONTH]),
            "specialist": array("d"),
            "csm": array("d"),
        },
        time_to_fill_days=array("d", [30.0, 60.0]),
        hiring_cost=50_000.0,
        exit_cost=10_000.0,
        training_cost=5_000.0,
        plans_started=3,
        plans_restored=2,
        plans_failed=1,
        headcount_area={
            "sdr": 4 * DAYS_PER_YEAR,
            "ae": 6 * DAYS_PER_YEAR,
            "specialist": 0.0,
            "csm": 0.0,
        },
        ramped_area={
            "sdr": 3 * DAYS_PER_YEAR,
            "ae": 4.5 * DAYS_PER_YEAR,
            "specialist": 0.0,
            "csm": 0.0,
        },
        manager_hours={
            **dict.fromkeys(MANAGER_ACTIVITIES, 0.0),
            "admin": 30.0,
            "hiring": 60.0,
            "coaching": 10.0,
        },
        coaching_hours=120.0,
        roster_end=[
            ("ae", 12 * MONTH, 1.2, True),
            ("ae", 24 * MONTH, 0.8, True),
            ("ae", 2 * MONTH, 0.1, False),
            ("ae", 6 * MONTH, None, True),
            ("sdr", 36 * MONTH, None, True),
        ],
    )
    for morale in (0.2, -0.4, math.nan):
        record.add_month({"month": "2027-01", "morale_mean": morale})
    return record


@pytest.fixture
def kpis() -> dict[str, float]:
    """The KPIs of the hand-built year."""
    return compute(people_record())


def test_headcount_and_ramped_capacity_are_time_averages(kpis: dict[str, float]):
    """Headcount and ramped capacity are averages over time; a role with no staff has 0."""
    assert kpis["headcount_mean_sdr"] == pytest.approx(4.0)
    assert kpis["headcount_mean_ae"] == pytest.approx(6.0)
    assert kpis["ramped_capacity_sdr"] == pytest.approx(3.0)
    assert kpis["ramped_capacity_ae"] == pytest.approx(4.5)
    assert kpis["headcount_mean_specialist"] == 0.0  # known: nobody employed


def test_attrition_is_exits_per_rep_year(kpis: dict[str, float]):
    """Two exits in a year over ten reps on average: 20% a year, split by kind."""
    assert kpis["attrition_voluntary_rate"] == pytest.approx(0.1)
    assert kpis["attrition_involuntary_rate"] == pytest.approx(0.1)
    assert kpis["attrition_regretted_rate"] == pytest.approx(0.1)
    assert kpis["attrition_voluntary_rate"] + kpis["attrition_involuntary_rate"] == pytest.approx(
        0.2
    )
    assert kpis["attrition_rate_sdr"] == pytest.approx(1 / 4)
    assert kpis["attrition_rate_ae"] == pytest.approx(1 / 6)
    assert math.isnan(kpis["attrition_rate_specialist"])  # nobody to leave


def test_attrition_is_annualised():
    """One exit in half a year over ten reps is 20% a year, not 10%."""
    record = Record(measured_days=DAYS_PER_YEAR / 2)
    record.people.headcount_area = {"ae": 10 * DAYS_PER_YEAR / 2}
    record.people.exits = {"ae": {"voluntary": 1, "involuntary": 0, "regretted": 0}}
    kpis = compute(record)
    assert kpis["attrition_rate_ae"] == pytest.approx(0.2)
    assert kpis["attrition_voluntary_rate"] == pytest.approx(0.2)
    assert kpis["headcount_mean_ae"] == pytest.approx(10.0)


def test_counts_costs_and_times(kpis: dict[str, float]):
    """Hires, exits, costs and plans add up; replacement cost is hiring and exit cost per exit."""
    assert kpis["hires"] == 3
    assert kpis["exits"] == 2  # regretted exits are voluntary ones, not counted twice
    assert kpis["time_to_fill_days_mean"] == pytest.approx(45.0)
    assert kpis["hiring_cost"] == 50_000.0
    assert kpis["exit_cost"] == 10_000.0
    assert kpis["training_cost"] == 5_000.0
    assert kpis["replacement_cost_per_exit"] == pytest.approx(30_000.0)
    assert kpis["plans_started"] == 3
    assert kpis["plans_failed"] == 1


def test_tenure_in_months(kpis: dict[str, float]):
    """Tenure at exit is a mean by role in months; the staff's median tenure at the end is 12."""
    assert kpis["tenure_at_exit_months_mean_sdr"] == pytest.approx(6.0)
    assert kpis["tenure_at_exit_months_mean_ae"] == pytest.approx(18.0)
    assert math.isnan(kpis["tenure_at_exit_months_mean_csm"])
    assert kpis["tenure_months_median"] == pytest.approx(12.0)  # of 2, 6, 12, 24, 36


def test_manager_time_shares_coaching_and_morale(kpis: dict[str, float]):
    """Manager hours are shares of 1; coaching is per rep-month; morale skips empty months."""
    assert kpis["manager_hours_share_admin"] == pytest.approx(0.3)
    assert kpis["manager_hours_share_hiring"] == pytest.approx(0.6)
    assert kpis["manager_hours_share_coaching"] == pytest.approx(0.1)
    assert kpis["manager_hours_share_training"] == 0.0
    assert sum(kpis[f"manager_hours_share_{a}"] for a in MANAGER_ACTIVITIES) == pytest.approx(1.0)
    # 120 hours over 10 reps for 12 months.
    assert kpis["coaching_hours_per_rep_month"] == pytest.approx(1.0)
    assert kpis["morale_mean"] == pytest.approx(-0.1)  # the month with no reps is skipped


def test_attainment_counts_only_reps_with_known_attainment(kpis: dict[str, float]):
    """AEs at 1.2, 0.8, 0.1 (ramping) and unknown: median 0.8; one of two ramped at quota."""
    assert kpis["attainment_median_ae"] == pytest.approx(0.8)
    assert kpis["share_at_quota_ramped_ae"] == pytest.approx(0.5)
    assert math.isnan(kpis["attainment_median_sdr"])  # no quota: unknown, not 0
    assert math.isnan(kpis["share_at_quota_ramped_sdr"])


def test_people_kpis_are_nan_with_nothing_to_measure():
    """An empty record: rates are unknown, counts and costs are zero."""
    kpis = compute(Record())
    unknown = [
        "attrition_voluntary_rate",
        "attrition_involuntary_rate",
        "attrition_regretted_rate",
        "time_to_fill_days_mean",
        "tenure_months_median",
        "replacement_cost_per_exit",
        "coaching_hours_per_rep_month",
        "morale_mean",
        *(f"manager_hours_share_{a}" for a in MANAGER_ACTIVITIES),
        *(
            f"{prefix}_{role}"
            for role in ROLES
            for prefix in (
                "headcount_mean",
                "ramped_capacity",
                "attrition_rate",
                "tenure_at_exit_months_mean",
                "attainment_median",
                "share_at_quota_ramped",
            )
        ),
    ]
    assert [name for name in unknown if not math.isnan(kpis[name])] == []
    for name in ("hires", "exits", "hiring_cost", "exit_cost", "training_cost", "plans_started"):
        assert kpis[name] == 0


def test_every_people_kpi_is_defined(kpis: dict[str, float]):
    """The KPIs computed, bar per-stage conversions, are exactly the KPIs defined."""
    computed = {name for name in kpis if not name.startswith("stage_conversion_")}
    assert computed == set(KPI_DEFINITIONS)


def test_an_activity_the_kpis_do_not_know_still_gets_a_share():
    """A manager activity the KPIs do not name still gets its share of the hours."""
    record = Record(measured_days=10.0)
    record.people.manager_hours = {"admin": 3.0, "travel": 1.0}
    kpis = compute(record)
    assert kpis["manager_hours_share_travel"] == pytest.approx(0.25)
    assert kpis["manager_hours_share_admin"] == pytest.approx(0.75)
    assert kpis["manager_hours_share_coaching"] == 0.0
