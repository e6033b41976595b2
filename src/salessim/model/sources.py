"""Lead sources: inbound with seasonality, outbound from SDR prospecting, referrals.

Each source is a Poisson process whose rate is constant within a calendar month and
may change at month boundaries (seasonality, headcount, the size of a healthy customer
book) and, for inbound demand, when a scripted dip or surge starts or ends. Gaps are
drawn at the current rate; a gap that crosses the next change is discarded and drawing
restarts there, which is exact by memorylessness.
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

    def __init__(
        self, scenario: Scenario, streams: Streams, first_id: int = 1, conversion: float = 1.0
    ) -> None:
        self.segments = list(scenario.market.segments.values())
        self.conversion = conversion  # a multiple of every segment's conversion odds
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
        fit_odds = spec.conversion_odds * self.conversion
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


class PoissonArrivals:
    """Arrivals at a rate (per day) that changes only at known moments.

    Each arrival is a callback on a timeout rather than a step of a SimPy process, which
    would cost a resumption of its generator on top. The draws and the order in which the
    timeouts are set are those of a process looping over the months and the changes
    within them; a process is only what starts it, once, at the start of the run.

    Args:
        env: the environment.
        calendar: gives month boundaries.
        rate_in_month: the rate in month ``index`` now, asked at the start of each month
            and at each change within it.
        gap: draws a standard exponential.
        arrive: called at each arrival.
        changes: the days within (start, end) of a month on which the rate changes (a
            scripted dip or surge); none: only at month boundaries.
    """

    def __init__(
        self,
        env: simpy.Environment,
        calendar: Calendar,
        rate_in_month: Callable[[int], float],
        gap: Callable[[], float],
        arrive: Callable[[], None],
        changes: Callable[[float, float], list[float]] | None = None,
    ) -> None:
        self.env = env
        self.calendar = calendar
        self.rate_in_month = rate_in_month
        self.gap = gap
        self.arrive = arrive
        self.changes = changes
        self._month = 0
        self._stops: list[float] = []  # the month's changes, then its end
        self._next_stop = 0
        self._stop = 0.0  # where drawing at ``_rate`` ends
        self._rate = 0.0

    def start(self) -> None:
        """Start arriving: a process opens the current month as the clock runs, then ends."""
        self.env.process(self._begin())

    def _begin(self) -> Generator[simpy.Event, None, None]:
        self._month = self.calendar.month_index(self.env.now)
        self._open_month()
        yield from ()

    def _open_month(self) -> None:
        now = self.env.now
        month_end = self.calendar.month_start(self._month + 1)
        changes = self.changes
        self._stops = [*changes(now, month_end), month_end] if changes else [month_end]
        self._next_stop = 0
        self._open_stretch()

    def _open_stretch(self) -> None:
        """Draw at the rate of now until the next change or the month's end."""
        self._stop = self._stops[self._next_stop]
        self._next_stop += 1
        self._rate = self.rate_in_month(self._month)
        self._draw()

    def _draw(self) -> None:
        """Set a timeout for the next arrival, or for the stop if it comes first."""
        rate = self._rate
        step = self.gap() / rate if rate > 0 else float("inf")
        env = self.env
        now = env.now
        if now + step >= self._stop:
            env.timeout(self._stop - now).callbacks.append(self._stopped)  # type: ignore[union-attr]
        else:
            env.timeout(step).callbacks.append(self._arrived)  # type: ignore[union-attr]

    def _arrived(self, _event: simpy.Event) -> None:
        self.arrive()
        self._draw()

    def _stopped(self, _event: simpy.Event) -> None:
        if self._next_stop < len(self._stops):
            self._open_stretch()
        else:
            self._month += 1
            self._open_month()


def outbound_rate(scenario: Scenario, sdr_capacity: float) -> float:
    """Outbound leads per day from the prospecting hours of ``sdr_capacity`` ramped SDRs."""
    sdr = scenario.roles.sdr
    hours_per_day = sdr.hours_per_week * sdr.prospecting_share / DAYS_PER_WEEK
    return sdr_capacity * hours_per_day * scenario.market.outbound.leads_per_prospecting_hour
