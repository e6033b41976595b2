"""Lead sources as chains of callbacks: the arrivals, and their order, of a looping process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator

import numpy as np
import simpy

from salessim.model.calendar import Calendar
from salessim.model.sources import PoissonArrivals

START = dt.date(2027, 1, 1)
DAYS = 150.0


def reference_arrivals(
    env: simpy.Environment,
    calendar: Calendar,
    rate_in_month: Callable[[int], float],
    gap: Callable[[], float],
    arrive: Callable[[], None],
    changes: Callable[[float, float], list[float]] | None = None,
) -> Generator[simpy.Event, None, None]:
    """The process a lead source used to be: months, then the changes within each."""
    month = calendar.month_index(env.now)
    while True:
        month_end = calendar.month_start(month + 1)
        stops = [*changes(env.now, month_end), month_end] if changes else [month_end]
        for stop in stops:
            rate = rate_in_month(month)
            while True:
                step = gap() / rate if rate > 0 else float("inf")
                if env.now + step >= stop:
                    break
                yield env.timeout(step)
                arrive()
            yield env.timeout(stop - env.now)
        month += 1


def run(callbacks: bool) -> list[tuple[str, float]]:
    """What happens, in order, with a source whose rate moves by month and mid-month.

    A month-end process and the source both act on month boundaries; the log shows who
    acted first. The rate is 0 in months 0 and 2, so those are waited out at once: the
    source's first wait is set when the run starts, as the month-end process's is.
    """
    env = simpy.Environment()
    calendar = Calendar(START, 1)
    draws = iter(np.random.default_rng(5).standard_exponential(10_000).tolist())
    log: list[tuple[str, float]] = []

    def rate_in_month(month: int) -> float:
        log.append(("rate", env.now))
        return 0.0 if month in (0, 2) else 2.0 + month

    def changes(start: float, end: float) -> list[float]:
        return [start + (end - start) / 2] if start > 0 else []  # half-way, from month 1

    def month_ends() -> Generator[simpy.Event, None, None]:
        month = 0
        while True:
            month += 1
            yield env.timeout(calendar.month_start(month) - env.now)
            log.append(("month end", env.now))

    def arrive() -> None:
        log.append(("arrival", env.now))

    env.process(month_ends())
    if callbacks:
        PoissonArrivals(env, calendar, rate_in_month, draws.__next__, arrive, changes).start()
    else:
        env.process(
            reference_arrivals(env, calendar, rate_in_month, draws.__next__, arrive, changes)
        )
    env.run(until=DAYS)
    return log


def test_arrivals_are_those_of_the_process_they_replace():
    """The same gaps give the same arrivals, rate changes and month ends, in the same order."""
    chained, looped = run(callbacks=True), run(callbacks=False)
    assert sum(1 for kind, _ in chained if kind == "arrival") > 300
    assert sum(1 for kind, _ in chained if kind == "rate") >= 8
    assert chained[:2] == [("rate", 0.0), ("month end", 31.0)]
    assert chained == looped


def test_a_month_at_rate_zero_has_no_arrivals():
    """With no demand in a month, nothing arrives in it, and arrivals resume after it."""
    calendar = Calendar(START, 1)
    quiet_from, quiet_to = calendar.month_start(2), calendar.month_start(3)
    days = [day for kind, day in run(callbacks=True) if kind == "arrival"]
    assert not [day for day in days if quiet_from <= day < quiet_to]
    assert [day for day in days if day >= quiet_to]
