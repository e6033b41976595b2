"""The people recorder: hires, exits, plans and workforce state, into ``record.people``.

Events give hires, exits, plans and training; the probe gives what is state (headcount
and ramped-capacity integrals, manager hours, morale, the roster at the end).
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any

from salessim.metrics.events import Bus, Event
from salessim.metrics.record import PeopleRecord

if TYPE_CHECKING:
    from salessim.metrics.recorder import Probe

EXIT_KINDS = ("voluntary", "involuntary", "regretted")


class PeopleRecorder:
    """Fills a ``PeopleRecord`` while the parent recorder measures."""

    def __init__(self, bus: Bus, record: PeopleRecord) -> None:
        self.record = record
        self.measuring = False
        self._month: dict[str, float] = {}
        for kind, handler in (
            (Event.REP_HIRED, self._hired),
            (Event.REP_LEFT, self._left),
            (Event.PLAN_STARTED, self._plan_started),
            (Event.PLAN_ENDED, self._plan_ended),
            (Event.TRAINING_HELD, self._training),
        ):
            bus.subscribe(kind, handler)

    def start(self, roles: list[str]) -> None:
        """Begin measuring."""
        self.measuring = True
        rec = self.record
        rec.hires = dict.fromkeys(roles, 0)
        rec.exits = {role: dict.fromkeys(EXIT_KINDS, 0) for role in roles}
        rec.exit_tenure_days = {role: array("d") for role in roles}

    def _bump(self, key: str, amount: float = 1.0) -> None:
        self._month[key] = self._month.get(key, 0.0) + amount

    def _hired(self, now: float, rep: Any, cost: float, days_to_fill: float) -> None:
        if not self.measuring:
            return
        rec = self.record
        rec.hires[rep.role.value] += 1
        rec.hiring_cost += cost
        rec.time_to_fill_days.append(days_to_fill)
        self._bump("hires")

    def _left(self, now: float, rep: Any, involuntary: bool, regretted: bool, cost: float) -> None:
        if not self.measuring:
            return
        rec, role = self.record, rep.role.value
        kind = "involuntary" if involuntary else "voluntary"
        rec.exits[role][kind] += 1
        self._bump(f"exits_{kind}")
        if regretted:
            rec.exits[role]["regretted"] += 1
            self._bump("exits_regretted")
        rec.exit_tenure_days[role].append(now - rep.hired_at)
        rec.exit_cost += cost

    def _plan_started(self, now: float, rep: Any) -> None:
        if self.measuring:
            self.record.plans_started += 1

    def _plan_ended(self, now: float, rep: Any, restored: bool) -> None:
        if not self.measuring:
            return
        if restored:
            self.record.plans_restored += 1
        else:
            self.record.plans_failed += 1

    def _training(self, now: float, reps: int, cost: float) -> None:
        if self.measuring:
            self.record.training_cost += cost

    def month_row(self, row: dict[str, float | str], probe: Probe, last: Probe) -> None:
        """Add the month's people columns to ``row``."""
        days = probe.now - last.now
        for key in ("hires", "exits_voluntary", "exits_involuntary", "exits_regretted"):
            row[key] = self._month.get(key, 0.0)
        self._month = {}
        for role, area in probe.ramped_area.items():
            row[f"ramped_capacity_{role}"] = (area - last.ramped_area[role]) / days
        employed = sum(probe.headcount.values())
        coaching = probe.coaching_hours - last.coaching_hours
        row["coaching_hours_per_rep"] = coaching / employed if employed else 0.0
        row["morale_mean"] = probe.morale_mean
        row["open_requisitions"] = probe.open_requisitions

    def finish(self, probe: Probe, start: Probe) -> None:
        """Close the books: integrals over the measured period and the roster at the end."""
        rec = self.record
        rec.headcount_area = _diff(probe.headcount_area, start.headcount_area)
        rec.ramped_area = _diff(probe.ramped_area, start.ramped_area)
        rec.manager_hours = _diff(probe.manager_hours, start.manager_hours)
        rec.coaching_hours = probe.coaching_hours - start.coaching_hours
        rec.roster_end = list(probe.roster)


def _diff(end: dict[str, float], start: dict[str, float]) -> dict[str, float]:
    return {key: value - start.get(key, 0.0) for key, value in end.items()}
