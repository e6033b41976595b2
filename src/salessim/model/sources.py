"""Lead sources: inbound with seasonality, outbound from SDR prospecting, referrals.

Each source is a Poisson process whose rate is constant within a calendar month and
may change at month boundaries (seasonality, headcount, the size of a healthy customer
book). Gaps are drawn at the current rate; a gap that crosses the month's end is
discarded and drawing restarts at the boundary, which is exact by memorylessness.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

from salessim.model.calendar import Calendar
from salessim.model.entities import Lead
from salessim.model.events import Source
from salessim.model.streams import Streams
from salessim.scenario.market import Segment
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_WEEK


class LeadFactory:
    """Draws a new lead's attributes from its segment's streams."""

    def __init__(self, scenario: Scenario, streams: Streams, first_id: int = 1) -> None:
        self.segments = list(scenario.market.segments.values())
        names = list(scenario.market.segments)
        self.last_id = first_id - 1
        self._fit_elasticity = scenario.funnel.conversion.fit_elasticity
        self._draws = [
            (
                streams.sampler(f"segment/{name}/fit", segment.fit),
                streams.sampler(f"segment/{name}/deal_value", segment.deal_value),
                streams.uniforms(f"segment/{name}/needs_specialist"),
            )
            for name, segment in zip(names, self.segments, strict=True)
        ]

    def make(self, segment: int, source: Source, now: float) -> Lead:
        """A new lead in ``segment``."""
        spec: Segment = self.segments[segment]
        fit_draw, value_draw, specialist_draw = self._draws[segment]
        fit = fit_draw()
        fit_odds = spec.conversion_odds
        if self._fit_elasticity:
            fit_odds *= (fit / spec.fit.mean) ** self._fit_elasticity
        self.last_id += 1
        return Lead(
            self.last_id,
            segment,
            source,
            now,
            fit,
            fit_odds,
            value_draw(),
            specialist_draw() < spec.needs_specialist,
        )


def poisson_arrivals(
    env: simpy.Environment,
    calendar: Calendar,
    rate_in_month: Callable[[int], float],
    gap: Callable[[], float],
    arrive: Callable[[], None],
) -> Generator[simpy.Event, None, None]:
    """Process: arrivals at a rate (per day) that is constant within each calendar month.

    Args:
        env: the environment.
        calendar: gives month boundaries.
        rate_in_month: the rate for a month index, asked once at the start of each month.
        gap: draws a standard exponential.
        arrive: called at each arrival.
    """
    month = calendar.month_index(env.now)
    while True:
        month_end = calendar.month_start(month + 1)
        rate = rate_in_month(month)
        while True:
            step = gap() / rate if rate > 0 else float("inf")
            if env.now + step >= month_end:
                break
            yield env.timeout(step)
            arrive()
        yield env.timeout(month_end - env.now)
        month += 1


def outbound_rate(scenario: Scenario, sdr_capacity: float) -> float:
    """Outbound leads per day from the prospecting hours of ``sdr_capacity`` ramped SDRs."""
    sdr = scenario.roles.sdr
    hours_per_day = sdr.hours_per_week * sdr.prospecting_share / DAYS_PER_WEEK
    return sdr_capacity * hours_per_day * scenario.market.outbound.leads_per_prospecting_hour
