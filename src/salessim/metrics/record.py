"""The record of one run: plain counters, columns and rows, with no model objects.

A ``Record`` is what recorders leave behind; KPIs are pure functions of it. It holds
only numbers, strings and lists, so it pickles cheaply between processes.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

WEEKS_A_QUARTER = 13
"""Weeks of a fiscal quarter for prices by week; a quarter's last day or two join week 13."""


@dataclass
class RoleQueue:
    """Queue statistics of one team over the measured period."""

    headcount: int = 0
    started: int = 0
    wait_days_sum: float = 0.0
    waited: int = 0
    gone_cold: int = 0
    cold_wait_days_sum: float = 0.0
    waiting_area: float = 0.0
    busy_area: float = 0.0
    staffed_area: float = 0.0


@dataclass
class CohortYear:
    """One measured year of the accounts live at its start, for gross and net retention.

    Each account counts once, from its ARR at the start of the year to its ARR at the end
    (0 if it churned), however often it renewed in between: ``retained_arr`` sums the
    lesser of the two, ``end_arr`` the ARR at the end; ``churned_arr`` is the starting
    ARR of the accounts that left, ``contraction_arr`` and ``expansion_arr`` the net
    loss and gain of those that stayed. So start - churned - contraction = retained and
    retained + expansion = end.
    """

    start_arr: float = 0.0
    start_logos: int = 0
    retained_arr: float = 0.0
    end_arr: float = 0.0
    churned_arr: float = 0.0
    contraction_arr: float = 0.0
    expansion_arr: float = 0.0
    churned_logos: int = 0
    complete: bool = False


@dataclass
class PeopleRecord:
    """Hires, exits, plans, costs and manager time over the measured period, by role."""

    hires: dict[str, int] = field(default_factory=dict)
    exits: dict[str, dict[str, int]] = field(default_factory=dict)
    exit_tenure_days: dict[str, array[float]] = field(default_factory=dict)
    time_to_fill_days: array[float] = field(default_factory=lambda: array("d"))
    hiring_cost: float = 0.0
    exit_cost: float = 0.0
    training_cost: float = 0.0
    recognition_cost: float = 0.0
    plans_started: int = 0
    plans_restored: int = 0
    plans_failed: int = 0
    headcount_area: dict[str, float] = field(default_factory=dict)
    ramped_area: dict[str, float] = field(default_factory=dict)
    manager_hours: dict[str, float] = field(default_factory=dict)
    manager_hours_available: float = 0.0
    coaching_asked: float = 0.0
    coaching_hours: float = 0.0
    ability_start: float = float("nan")  # mean relative ability of the employed
    ability_end: float = float("nan")
    hire_ability: list[tuple[float, float]] = field(default_factory=list)  # (day, ability)
    leaver_ability: list[tuple[float, float]] = field(default_factory=list)  # (day, ability)
    roster_end: list[tuple[str, float, float | None, bool]] = field(default_factory=list)


@dataclass
class PayRecord:
    """The payout ledger and the quota periods closed, from the first day.

    Kept from day 0 so any statement can be printed; ``measured_from`` is where the
    measured period starts. Ledger columns: day, rep id, role, plan, period label,
    component, measure, credit, rate, amount, note. Period columns: day closed, rep id,
    role, plan, label, quota, credit, complete (a whole period, fully ramped).
    """

    measured_from: float = 0.0
    line_day: array[float] = field(default_factory=lambda: array("d"))
    line_rep: array[int] = field(default_factory=lambda: array("q"))
    line_role: list[str] = field(default_factory=list)
    line_plan: list[str] = field(default_factory=list)
    line_period: list[str] = field(default_factory=list)
    line_component: list[str] = field(default_factory=list)
    line_measure: list[str] = field(default_factory=list)
    line_credit: array[float] = field(default_factory=lambda: array("d"))
    line_rate: array[float] = field(default_factory=lambda: array("d"))
    line_amount: array[float] = field(default_factory=lambda: array("d"))
    line_note: list[str] = field(default_factory=list)
    period_day: array[float] = field(default_factory=lambda: array("d"))
    period_rep: array[int] = field(default_factory=lambda: array("q"))
    period_role: list[str] = field(default_factory=list)
    period_plan: list[str] = field(default_factory=list)
    period_label: list[str] = field(default_factory=list)
    period_quota: array[float] = field(default_factory=lambda: array("d"))
    period_credit: array[float] = field(default_factory=lambda: array("d"))
    period_complete: bytearray = field(default_factory=bytearray)

    def lines(self, rep: int | None = None) -> list[dict[str, Any]]:
        """Ledger lines as rows, optionally of one rep."""
        return [
            {
                "day": self.line_day[i],
                "rep": self.line_rep[i],
                "role": self.line_role[i],
                "plan": self.line_plan[i],
                "period": self.line_period[i],
                "component": self.line_component[i],
                "measure": self.line_measure[i],
                "credit": self.line_credit[i],
                "rate": self.line_rate[i],
                "amount": self.line_amount[i],
                "note": self.line_note[i],
            }
            for i in range(len(self.line_day))
            if rep is None or self.line_rep[i] == rep
        ]


@dataclass
class ForecastMark:
    """What the pipeline forecast of a quarter reads, on the day it is made.

    Counters (``stage_done``, ``won``, ``renewed_arr``...) run from the start of
    measuring, so the history up to the mark is the run so far.
    """

    day: float
    until: float  # the end of the quarter forecast
    quarter: str  # its label, e.g. ``2027Q3``
    whole: bool  # made on the quarter's first day: a whole quarter is forecast
    stage_value: list[float]  # open leads and deals by stage, list value
    stage_done: list[int]
    won: int
    won_value: float  # list value of the deals won
    won_arr: float  # their ARR, after discounts
    cycle_days: float  # summed over the wins with an opportunity date
    cycled: int
    renewals_due_arr: float  # ARR of the accounts due to renew by ``until``
    renewed_arr: float  # ARR that came up for renewal (renewed or churned)
    churned_arr: float
    bookings_new_arr: float
    book_arr: float
    accounts: int


@dataclass
class ForecastPriors:
    """The scenario's own rates, which a forecast leans on before the run has history."""

    win_from_stage: list[float]  # the chance a lead at each stage is won, configured
    cycle_days: float  # days from opportunity to a win, without queues
    churn_rate: float  # the chance an account churns at renewal, at full attention


@dataclass
class Record:
    """Everything measured in one run."""

    measured_days: float = 0.0
    measured_from: float = 0.0  # the day measuring started (the end of the warm-up)
    stage_names: list[str] = field(default_factory=list)
    stage_roles: list[str] = field(default_factory=list)
    leads_by_source: dict[str, int] = field(default_factory=dict)
    closed_by_status: dict[str, int] = field(default_factory=dict)
    opportunities: int = 0
    stage_done: list[int] = field(default_factory=list)
    stage_converted: list[int] = field(default_factory=list)
    cycle_days: array[float] = field(default_factory=lambda: array("d"))
    closed_time_in_funnel_days: float = 0.0
    closed_after_start: int = 0
    open_leads_area: float = 0.0
    open_leads_end: int = 0
    pipeline_count_end: list[int] = field(default_factory=list)
    pipeline_value_end: list[float] = field(default_factory=list)
    bookings_new_arr: float = 0.0
    bookings_expansion_arr: float = 0.0
    churned_arr: float = 0.0
    contraction_arr: float = 0.0
    churned_logos: int = 0
    new_logos: int = 0
    starting_arr: float = 0.0
    ending_arr: float = 0.0
    starting_logos: int = 0
    ending_logos: int = 0
    queues: dict[str, RoleQueue] = field(default_factory=dict)
    years: list[CohortYear] = field(default_factory=list)
    monthly_columns: dict[str, array[float] | list[str]] = field(default_factory=dict)
    weekly_new_arr: array[float] = field(default_factory=lambda: array("d"))
    won_list_by_quarter_week: list[float] = field(default_factory=lambda: [0.0] * WEEKS_A_QUARTER)
    won_arr_by_quarter_week: list[float] = field(default_factory=lambda: [0.0] * WEEKS_A_QUARTER)
    quarter_ends: list[tuple[float, str]] = field(default_factory=list)
    people: PeopleRecord = field(default_factory=PeopleRecord)
    pay: PayRecord = field(default_factory=PayRecord)
    renewed_arr: float = 0.0  # ARR that came up for renewal, renewed or churned
    forecast_priors: ForecastPriors | None = None
    forecast_marks: list[ForecastMark] = field(default_factory=list)

    def add_month(self, row: dict[str, float | str]) -> None:
        """Append one month's row to the monthly columns."""
        columns = self.monthly_columns
        for key, value in row.items():
            column = columns.get(key)
            if column is None:
                column = columns[key] = [] if isinstance(value, str) else array("d")
            column.append(value)  # type: ignore[arg-type]

    @property
    def monthly(self) -> list[dict[str, float | str]]:
        """The monthly time series as rows (one dict per month, columns in a stable order)."""
        columns = self.monthly_columns
        n = len(next(iter(columns.values()))) if columns else 0
        return [{key: column[i] for key, column in columns.items()} for i in range(n)]
