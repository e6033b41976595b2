"""The default recorder: counters and monthly rows built from the model's events.

It keeps O(1) state per event (counters, a list of won-deal cycle times, one row per
month, one number per week), so memory stays flat as the horizon grows. Anything that
is state rather than an event (ARR, queue integrals, pipeline) it reads from a probe
the engine provides, at the start of measuring, at month ends and at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from salessim.metrics.events import Bus, Event, LeadStatus, Source
from salessim.metrics.pay import PayRecorder
from salessim.metrics.people import PeopleRecorder
from salessim.metrics.record import CohortYear, Record, RoleQueue


@dataclass(frozen=True)
class Probe:
    """The model's state at one moment, as the recorder needs it."""

    now: float
    label: str
    arr: float
    logos: int
    open_leads: int
    stage_count: list[int]
    stage_value: list[float]
    headcount: dict[str, int]
    waiting_area: dict[str, float]
    busy_area: dict[str, float]
    staffed_area: dict[str, float]
    headcount_area: dict[str, float]
    ramped_area: dict[str, float]
    manager_hours: dict[str, float]
    coaching_hours: float
    morale_mean: float
    open_requisitions: int
    roster: list[tuple[str, float, float | None, bool]]
    """(role, tenure in days, trailing attainment or None, fully ramped) per employed rep."""


class Recorder:
    """Listens to the bus and fills a ``Record``."""

    def __init__(
        self, bus: Bus, probe: Callable[[], Probe], stage_names: list[str], stage_roles: list[str]
    ) -> None:
        self._probe = probe
        self._stage_roles = stage_roles
        self._year_start = 0.0
        self._months_in_year = 0
        self.record = Record(stage_names=list(stage_names), stage_roles=list(stage_roles))
        self.people = PeopleRecorder(bus, self.record.people)
        self.pay = PayRecorder(bus, self.record.pay)
        n = len(stage_names)
        self.record.stage_done = [0] * n
        self.record.stage_converted = [0] * n
        self._start: Probe | None = None
        self._month: Probe | None = None
        self._month_counts: dict[str, float] = {}
        self._open = 0
        self._open_since = 0.0
        for kind, handler in (
            (Event.LEAD_CREATED, self._lead_created),
            (Event.WORK_STARTED, self._work_started),
            (Event.LEAD_WENT_COLD, self._went_cold),
            (Event.STAGE_DONE, self._stage_done),
            (Event.OPPORTUNITY_CREATED, self._opportunity),
            (Event.LEAD_CLOSED, self._lead_closed),
            (Event.ACCOUNT_OPENED, self._account_opened),
            (Event.ACCOUNT_RENEWED, self._account_renewed),
            (Event.ACCOUNT_CHURNED, self._account_churned),
            (Event.MONTH_END, self._month_end),
            (Event.QUARTER_END, self._quarter_end),
        ):
            bus.subscribe(kind, handler)

    # ------------------------------------------------------------------ lifecycle
    @property
    def measuring(self) -> bool:
        """Whether the warm-up is over."""
        return self._start is not None

    def start(self) -> None:
        """Begin measuring: everything before now was warm-up."""
        probe = self._probe()
        self._start = self._month = probe
        rec = self.record
        rec.starting_arr, rec.starting_logos = probe.arr, probe.logos
        rec.queues = {role: RoleQueue(headcount=n) for role, n in probe.headcount.items()}
        self.people.start(list(probe.headcount))
        rec.pay.measured_from = probe.now
        self._open, self._open_since = probe.open_leads, probe.now
        self._new_year(probe)

    def finish(self) -> Record:
        """Close the books at the end of the run and return the record."""
        probe = self._probe()
        assert self._start is not None, "finish() before start()"
        rec = self.record
        rec.measured_days = probe.now - self._start.now
        rec.ending_arr, rec.ending_logos = probe.arr, probe.logos
        rec.open_leads_end = probe.open_leads
        rec.pipeline_count_end = list(probe.stage_count)
        rec.pipeline_value_end = list(probe.stage_value)
        self._tick_open(probe.now)
        for role, queue in rec.queues.items():
            queue.headcount = probe.headcount[role]
            queue.waiting_area = probe.waiting_area[role] - self._start.waiting_area[role]
            queue.busy_area = probe.busy_area[role] - self._start.busy_area[role]
            queue.staffed_area = probe.staffed_area[role] - self._start.staffed_area[role]
        self.people.finish(probe, self._start)
        return rec

    # ------------------------------------------------------------------ leads
    def _tick_open(self, now: float) -> None:
        self.record.open_leads_area += self._open * (now - self._open_since)
        self._open_since = now

    def _lead_created(self, now: float, lead: Any) -> None:
        if self._start is None:
            return
        self._tick_open(now)
        self._open += 1
        counts = self.record.leads_by_source
        name = SOURCE_NAMES[lead.source]
        counts[name] = counts.get(name, 0) + 1
        self._bump("leads_created")

    def _work_started(self, now: float, role: Any, rep: Any, item: Any, wait_days: float) -> None:
        if self._start is None:
            return
        queue = self.record.queues[role.value]
        queue.started += 1
        if wait_days > 0:
            queue.waited += 1
            queue.wait_days_sum += wait_days

    def _went_cold(self, now: float, lead: Any) -> None:
        if self._start is not None:
            role = self._stage_role(lead)
            if role is not None:
                queue = self.record.queues[role]
                queue.gone_cold += 1
                queue.cold_wait_days_sum += now - lead.queued_at

    def _stage_role(self, lead: Any) -> str | None:
        return self._stage_roles[lead.stage] if 0 <= lead.stage < len(self._stage_roles) else None

    def _stage_done(self, now: float, lead: Any, index: int, converted: bool) -> None:
        if self._start is None:
            return
        self.record.stage_done[index] += 1
        if converted:
            self.record.stage_converted[index] += 1

    def _opportunity(self, now: float, lead: Any) -> None:
        if self._start is not None:
            self.record.opportunities += 1
            self._bump("opportunities")

    def _lead_closed(self, now: float, lead: Any) -> None:
        if self._start is None:
            return
        rec = self.record
        self._tick_open(now)
        self._open -= 1
        if lead.created_at >= self._start.now:
            rec.closed_time_in_funnel_days += now - lead.created_at
            rec.closed_after_start += 1
        name = STATUS_NAMES[lead.status]
        rec.closed_by_status[name] = rec.closed_by_status.get(name, 0) + 1
        if lead.status is LeadStatus.WON:
            arr = lead.deal_value * (1 - lead.discount)
            rec.bookings_new_arr += arr
            if lead.opportunity_at is not None:
                rec.cycle_days.append(now - lead.opportunity_at)
            week = int((now - self._start.now) // 7)
            weekly = rec.weekly_new_arr
            while len(weekly) <= week:
                weekly.append(0.0)
            weekly[week] += arr
            self._bump("deals_won")
            self._bump("bookings_new_arr", arr)
        elif lead.status is LeadStatus.LOST:
            self._bump("deals_lost")
        elif lead.status is LeadStatus.GONE_COLD:
            self._bump("leads_gone_cold")

    # ------------------------------------------------------------------ accounts
    def _account_opened(self, now: float, account_id: int, lead_id: int | None, arr: float) -> None:
        if self._start is not None and lead_id is not None:
            self.record.new_logos += 1

    def _cohort(self, opened_at: float) -> CohortYear | None:
        """The measured year whose starting book the account belongs to, if any."""
        if not self.record.years or opened_at > self._year_start:
            return None
        return self.record.years[-1]

    def _account_renewed(
        self, now: float, account_id: int, opened_at: float, before: float, after: float
    ) -> None:
        if self._start is None:
            return
        rec, cohort = self.record, self._cohort(opened_at)
        if after > before:
            rec.bookings_expansion_arr += after - before
            self._bump("bookings_expansion_arr", after - before)
            if cohort is not None:
                cohort.expansion_arr += after - before
        elif after < before:
            rec.contraction_arr += before - after
            self._bump("contraction_arr", before - after)
            if cohort is not None:
                cohort.contraction_arr += before - after

    def _account_churned(self, now: float, account_id: int, opened_at: float, arr: float) -> None:
        if self._start is None:
            return
        rec, cohort = self.record, self._cohort(opened_at)
        rec.churned_arr += arr
        rec.churned_logos += 1
        self._bump("churned_arr", arr)
        if cohort is not None:
            cohort.churned_arr += arr
            cohort.churned_logos += 1

    # ------------------------------------------------------------------ months and years
    def _new_year(self, probe: Probe) -> None:
        self._year_start = probe.now
        self._months_in_year = 0
        self.record.years.append(CohortYear(start_arr=probe.arr, start_logos=probe.logos))

    def _quarter_end(self, now: float, label: str) -> None:
        if self._start is not None:
            self.record.quarter_ends.append((now - self._start.now, label))

    def _bump(self, key: str, amount: float = 1.0) -> None:
        self._month_counts[key] = self._month_counts.get(key, 0.0) + amount

    def _month_end(self, now: float, index: int) -> None:
        if self._start is None or self._month is None:
            return
        probe = self._probe()
        last = self._month
        days = probe.now - last.now
        if days <= 0:
            return
        row: dict[str, float | str] = {"month": probe.label, "day": round(probe.now, 6)}
        for key in MONTHLY_COUNTS:
            row[key] = self._month_counts.get(key, 0.0)
        row["arr"] = probe.arr
        row["customers"] = probe.logos
        row["open_leads"] = probe.open_leads
        for name, count, value in zip(
            self.record.stage_names, probe.stage_count, probe.stage_value, strict=True
        ):
            row[f"pipeline_count_{name}"] = count
            row[f"pipeline_value_{name}"] = value
        for role, heads in probe.headcount.items():
            row[f"headcount_{role}"] = heads
            busy = probe.busy_area[role] - last.busy_area[role]
            staffed = probe.staffed_area[role] - last.staffed_area[role]
            waiting = probe.waiting_area[role] - last.waiting_area[role]
            row[f"utilisation_{role}"] = busy / staffed if staffed else float("nan")
            row[f"queue_length_{role}"] = waiting / days
        self.people.month_row(row, probe, last)
        self.record.add_month(row)
        self._month_counts = {}
        self._month = probe
        self._months_in_year += 1
        if self._months_in_year == 12:
            self.record.years[-1].complete = True
            self._new_year(probe)


SOURCE_NAMES = {Source.INBOUND: "inbound", Source.OUTBOUND: "outbound", Source.REFERRAL: "referral"}
STATUS_NAMES = {
    LeadStatus.WON: "won",
    LeadStatus.LOST: "lost",
    LeadStatus.GONE_COLD: "gone_cold",
    LeadStatus.DISQUALIFIED: "disqualified",
}
MONTHLY_COUNTS = (
    "leads_created",
    "opportunities",
    "deals_won",
    "deals_lost",
    "leads_gone_cold",
    "bookings_new_arr",
    "bookings_expansion_arr",
    "churned_arr",
    "contraction_arr",
)
