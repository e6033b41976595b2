"""The calendar: month boundaries, fiscal quarters and years."""

import datetime as dt

import simpy

from salessim.model.calendar import Calendar


def fire(start: dt.date, fiscal_start: int, days: float) -> list[tuple[str, float, object]]:
    """The boundaries the calendar process reaches in ``days``, as (kind, day, label)."""
    env, seen = simpy.Environment(), []
    calendar = Calendar(start, fiscal_start)

    def month_end(index: int) -> None:
        seen.append(("MONTH_END", env.now, index))
        quarter, year = calendar.closes(index)
        if quarter is not None:
            seen.append(("QUARTER_END", env.now, quarter))
        if year is not None:
            seen.append(("YEAR_END", env.now, year))

    env.process(calendar.run(env, month_end))
    env.run(until=days)
    return seen


def test_month_ends_fall_on_real_month_lengths():
    """Month ends fall after 31, 28 and 31 days, the real lengths of January to March 2027."""
    seen = fire(dt.date(2027, 1, 1), 1, 100)
    months = [now for name, now, _ in seen if name == "MONTH_END"]
    assert months == [31, 59, 90]


def test_quarters_and_years_follow_the_fiscal_start():
    """With a February fiscal start, quarters and years close and are named by the fiscal year."""
    seen = fire(dt.date(2027, 1, 1), 2, 400)
    quarters = [(now, label) for name, now, label in seen if name == "QUARTER_END"]
    # FY2028 runs Feb 2027 to Jan 2028, so January 2027 closes FY2027's last quarter.
    assert quarters[0] == (31, "2027Q4")
    assert quarters[1] == (120, "2028Q1")
    years = [(now, label) for name, now, label in seen if name == "YEAR_END"]
    assert years == [(31, "FY2027"), (396, "FY2028")]


def test_boundaries_fire_month_then_quarter_then_year():
    """At a year end the month closes first, then the quarter, then the year."""
    seen = fire(dt.date(2027, 1, 1), 1, 366)
    at_year_end = [name for name, now, _ in seen if now == 365]
    assert at_year_end == ["MONTH_END", "QUARTER_END", "YEAR_END"]


def test_mid_month_start_makes_a_short_first_month():
    """A start on 15 March makes a 17-day first month, in Q1, with April the next month."""
    cal = Calendar(dt.date(2027, 3, 15), 1)
    assert cal.month_start(0) == 0
    assert cal.month_start(1) == 17
    assert cal.quarter_label(0) == "2027Q1"
    assert cal.calendar_month(1) == 4
