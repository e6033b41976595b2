"""The calendar: months, fiscal quarters and fiscal years on the simulation clock.

Time is measured in days from the scenario's start date. One process calls the engine
at every month end, in order; the engine runs the month-end work (pay, people, policies)
and tells observers which month, quarter and year closed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Generator

import simpy


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


PERIOD_LABELS = (
    (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), 1),
    (re.compile(r"^\d{4}Q[1-4]$"), 3),
    (re.compile(r"^\d{4}H[12]$"), 6),
    (re.compile(r"^FY\d{4}$"), 12),
)


def _period_length(label: str) -> int:
    """Months in a period named like ``2027-03``, ``2027Q3``, ``2027H2`` or ``FY2027``."""
    for pattern, months in PERIOD_LABELS:
        if pattern.match(label):
            return months
    raise ValueError(
        f"{label!r} is not a period: use a month (2027-03), a fiscal quarter (2027Q3), "
        "half (2027H2) or year (FY2027)"
    )


class Calendar:
    """Converts between simulation days and dates and fires period boundaries."""

    def __init__(self, start_date: dt.date, fiscal_year_start_month: int) -> None:
        self.start_date = start_date
        self.fiscal_year_start_month = fiscal_year_start_month
        self._first_month = dt.date(start_date.year, start_date.month, 1)

    def date(self, day: float) -> dt.date:
        """The date of simulation day ``day``."""
        return self.start_date + dt.timedelta(days=int(day))

    def day_of(self, date: dt.date) -> float:
        """The simulation day a date starts."""
        return float((date - self.start_date).days)

    def month_start(self, index: int) -> float:
        """Day on which month ``index`` starts (0 is the month containing the start date)."""
        return max(0.0, self.day_of(add_months(self._first_month, index)))

    def month_index(self, day: float) -> int:
        """Index of the month containing simulation day ``day``."""
        date = self.date(day)
        return (date.year - self._first_month.year) * 12 + date.month - self._first_month.month

    def calendar_month(self, index: int) -> int:
        """Calendar month (1 to 12) of month ``index``."""
        return add_months(self._first_month, index).month

    def fiscal_label(self, month_start: dt.date) -> tuple[int, int]:
        """(fiscal year, fiscal quarter) of a month; the fiscal year is named by its end."""
        offset = (month_start.month - self.fiscal_year_start_month) % 12
        year = month_start.year + (
            1
            if month_start.month >= self.fiscal_year_start_month
            and self.fiscal_year_start_month != 1
            else 0
        )
        return year, offset // 3 + 1

    def quarter_label(self, day: float) -> str:
        """The fiscal quarter containing ``day``, e.g. ``2027Q3``."""
        year, quarter = self.fiscal_label(self.date(day).replace(day=1))
        return f"{year}Q{quarter}"

    def period(self, day: float, months: int) -> tuple[float, float, str]:
        """(start day, end day, label) of the fiscal period of ``months`` containing ``day``.

        Labels: ``2027-03`` (month), ``2027Q3``, ``2027H2`` and ``FY2027``.
        """
        index = self.month_index(day)
        offset = (self.calendar_month(index) - self.fiscal_year_start_month) % 12
        first = index - offset % months
        first_date = add_months(self._first_month, first)
        year, quarter = self.fiscal_label(first_date)
        # only the label asked for: strftime is dear, and every closing deal asks for a period
        if months == 1:
            label = first_date.strftime("%Y-%m")
        elif months == 3:
            label = f"{year}Q{quarter}"
        elif months == 6:
            label = f"{year}H{offset // 6 + 1}"
        elif months == 12:
            label = f"FY{year}"
        else:
            raise KeyError(months)
        start = self.day_of(first_date)  # before day 0 when the run starts mid-period
        return start, self.month_start(first + months), label

    def span(self, label: str, months: int) -> tuple[float, float]:
        """(start day, end day) of the period labelled ``label`` within the first ``months``.

        Raises:
            ValueError: the label is not a period name, or not within those months.
        """
        length = _period_length(label)
        for index in range(months):
            start, end, name = self.period(self.month_start(index) + 1e-6, length)
            if name == label:
                return start, end
        last = add_months(self._first_month, months - 1)
        raise ValueError(
            f"period {label} is not simulated (months {self._first_month:%Y-%m} to {last:%Y-%m})"
        )

    def closes(self, index: int) -> tuple[str | None, str | None]:
        """(quarter, fiscal year) that month ``index`` closes, each None if it closes none."""
        ending = add_months(self._first_month, index)
        year, quarter = self.fiscal_label(ending)
        offset = (ending.month - self.fiscal_year_start_month) % 12
        return (
            f"{year}Q{quarter}" if offset % 3 == 2 else None,
            f"FY{year}" if offset == 11 else None,
        )

    def run(
        self, env: simpy.Environment, month_end: Callable[[int], None]
    ) -> Generator[simpy.Event, None, None]:
        """Process: call ``month_end(index)`` at the end of every month."""
        index = 0
        while True:
            end = self.month_start(index + 1)
            yield env.timeout(end - env.now)
            month_end(index)
            index += 1
