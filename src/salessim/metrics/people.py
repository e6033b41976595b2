"""The people recorder: hires, exits, plans and workforce state, into ``record.people``.

Events give hires, exits, plans and training; the probe gives what is state (headcount
and ramped-capacity integrals, manager hours, morale, the roster at the end).
"""

from __future__ import annotations

import math
from array import array

from salessim.metrics.record import PeopleRecord
from salessim.model.events import (
    Bus,
    PlanEnded,
    PlanStarted,
    RecognitionGiven,
    RepHired,
    RepLeft,
    TrainingHeld,
)
from salessim.model.view import Snapshot

EXIT_KINDS = ("voluntary", "involuntary", "regretted", "promoted")


class PeopleRecorder:
    """Fills a ``PeopleRecord`` while the parent recorder measures."""

    def __init__(self, bus: Bus, record: PeopleRecord) -> None:
        self.record = record
        self.measuring = False
        self._month: dict[str, float] = {}
        bus.subscribe(RepHired, self._hired)
        bus.subscribe(RepLeft, self._left)
        bus.subscribe(PlanStarted, self._plan_started)
        bus.subscribe(PlanEnded, self._plan_ended)
        bus.subscribe(TrainingHeld, self._training)
        bus.subscribe(RecognitionGiven, self._recognition)

    def start(self, roles: list[str]) -> None:
        """Begin measuring."""
        self.measuring = True
        rec = self.record
        rec.hires = dict.fromkeys(roles, 0)
        rec.exits = {role: dict.fromkeys(EXIT_KINDS, 0) for role in roles}
        rec.exit_tenure_days = {role: array("d") for role in roles}

    def _bump(self, key: str, amount: float = 1.0) -> None:
        self._month[key] = self._month.get(key, 0.0) + amount

    def _hired(self, event: RepHired) -> None:
        if not self.measuring:
            return
        rec = self.record
        rec.hires[event.role.value] += 1
        rec.hiring_cost += event.hiring_cost
        rec.time_to_fill_days.append(event.days_to_fill)
        rec.hire_ability.append((event.day, event.ability))
        self._bump("hires")

    def _left(self, event: RepLeft) -> None:
        if not self.measuring:
            return
        rec, role = self.record, event.role.value
        kind = event.exit.value
        rec.exits[role][kind] += 1
        self._bump(f"exits_{kind}")
        if event.regretted:
            rec.exits[role]["regretted"] += 1
            self._bump("exits_regretted")
        rec.exit_tenure_days[role].append(event.tenure_days)
        rec.leaver_ability.append((event.day, event.ability))
        rec.exit_cost += event.exit_cost

    def _plan_started(self, _event: PlanStarted) -> None:
        if self.measuring:
            self.record.plans_started += 1

    def _plan_ended(self, event: PlanEnded) -> None:
        if not self.measuring:
            return
        if event.restored:
            self.record.plans_restored += 1
        else:
            self.record.plans_failed += 1

    def _training(self, event: TrainingHeld) -> None:
        if self.measuring:
            self.record.training_cost += event.cost

    def _recognition(self, event: RecognitionGiven) -> None:
        if self.measuring:
            self.record.recognition_cost += event.cost

    def month_row(self, row: dict[str, float | str], probe: Snapshot, last: Snapshot) -> None:
        """Add the month's people columns to ``row``."""
        days = probe.now - last.now
        for key in (
            "hires",
            "exits_voluntary",
            "exits_involuntary",
            "exits_regretted",
            "exits_promoted",
        ):
            row[key] = self._month.get(key, 0.0)
        self._month = {}
        for role, area in probe.ramped_area.items():
            row[f"ramped_capacity_{role}"] = (area - last.ramped_area[role]) / days
        employed = sum(probe.headcount.values())
        coaching = probe.coaching_hours - last.coaching_hours
        row["coaching_hours_per_rep"] = coaching / employed if employed else 0.0
        row["span_of_control"] = employed / probe.managers if probe.managers else math.nan
        row["morale_mean"] = probe.morale_mean
        row["ability_mean"] = probe.ability_mean
        row["open_requisitions"] = probe.open_requisitions

    def finish(self, probe: Snapshot, start: Snapshot) -> None:
        """Close the books: integrals over the measured period and the roster at the end."""
        rec = self.record
        rec.headcount_area = _diff(probe.headcount_area, start.headcount_area)
        rec.ramped_area = _diff(probe.ramped_area, start.ramped_area)
        rec.manager_hours = _diff(probe.manager_hours, start.manager_hours)
        rec.manager_hours_available = probe.manager_hours_available - start.manager_hours_available
        rec.coaching_asked = probe.coaching_asked - start.coaching_asked
        rec.coaching_hours = probe.coaching_hours - start.coaching_hours
        rec.ability_start, rec.ability_end = start.ability_mean, probe.ability_mean
        rec.roster_end = list(probe.roster)


def _diff(end: dict[str, float], start: dict[str, float]) -> dict[str, float]:
    return {key: value - start.get(key, 0.0) for key, value in end.items()}
