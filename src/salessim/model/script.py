"""The scenario's scripted events, on the calendar: shocks to demand, product, budget, a star.

Each event fires at the start of its date, after anything else due then, and is told to
observers as ``ScriptedEventFired`` as it fires:

- ``market_dip`` and ``lead_surge`` multiply inbound demand in every segment by the
  event's factor from that moment (for ``lasts``, or for good); the arrival processes
  change rate at once, exactly, by memorylessness;
- ``new_product`` makes leads created from then on convert ``factor`` times as readily
  (their conversion odds);
- ``budget_cut`` multiplies every working role's headcount target by ``factor``:
  backfills wait until headcount falls below it (nobody is laid off);
- ``competing_offer`` offers the role's best rep a job (``offers``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from salessim.model.events import Bus, ScriptedEventFired
from salessim.scenario.scripted import EventKind, ScriptedEvent

At = Callable[[float, Callable[[], object]], None]
"""Schedules an action on a day: ``at(day, action)``."""


class Script:
    """The scripted events of a run, and the inbound demand factor they leave in force."""

    def __init__(self, events: list[ScriptedEvent], start_date: dt.date) -> None:
        self.events = list(events)
        self.start_date = start_date
        self.demand = 1.0  # inbound demand, a multiple of the scenario's
        self._demand_factors: list[float] = []  # of the dips and surges in force
        changes = []
        for event in self.events:
            if event.kind in (EventKind.MARKET_DIP, EventKind.LEAD_SURGE):
                day = self.day_of(event)
                changes.append(day)
                if event.lasts is not None:
                    changes.append(day + event.lasts)
        self._demand_changes = sorted(changes)

    def day_of(self, event: ScriptedEvent) -> float:
        """The simulation day an event fires."""
        return float((event.at - self.start_date).days)

    def demand_changes(self, start: float, end: float) -> list[float]:
        """The days in (start, end) on which inbound demand changes."""
        return [day for day in self._demand_changes if start < day < end]

    def start(
        self,
        at: At,
        bus: Bus,
        *,
        scale_conversion: Callable[[float], None],
        cut_headcount: Callable[[float], None],
        offer: Callable[[ScriptedEvent], object],
    ) -> None:
        """Put every event on the calendar, with what it does."""

        def fire(event: ScriptedEvent) -> None:
            kind, factor = event.kind, event.factor
            record = ScriptedEventFired(
                self.day_of(event), kind.value, factor, event.lasts, event.headline.strip()
            )
            bus.emit(record)  # told as it fires: an offer's own record follows
            if kind in (EventKind.MARKET_DIP, EventKind.LEAD_SURGE):
                self._set_demand([*self._demand_factors, factor])
                if event.lasts is not None:
                    at(self.day_of(event) + event.lasts, lambda: self._end_demand(factor))
            elif kind is EventKind.NEW_PRODUCT:
                scale_conversion(factor)
            elif kind is EventKind.BUDGET_CUT:
                cut_headcount(factor)
            else:
                offer(event)

        for event in self.events:
            at(self.day_of(event), lambda event=event: fire(event))  # type: ignore[misc]

    def _end_demand(self, factor: float) -> None:
        factors = list(self._demand_factors)
        factors.remove(factor)
        self._set_demand(factors)

    def _set_demand(self, factors: list[float]) -> None:
        self._demand_factors = factors
        self.demand = math.prod(factors)
