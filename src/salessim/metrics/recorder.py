"""The default recorder: counters and monthly rows built from the model's events.

It keeps O(1) state per event (counters, a list of won-deal cycle times, one row per
month, one number per week), so memory stays flat as the horizon grows. Anything that
is state rather than an event (ARR, queue integrals, pipeline) it reads from the model's
snapshot, at the start of measuring, at month ends and at the end.

Retention is measured in cohort years of ``DAYS_PER_YEAR`` from the start of measuring
(``salessim.metrics.cohort``): the accounts live when a year starts, read from the
model's book then, are followed to its end. Whoever runs the simulation calls
``close_year`` when a year ends (``salessim.run.Recording`` schedules it); ``finish``
closes a year the run ends on. A cohort costs 21 bytes an account.
"""

from __future__ import annotations

from collections.abc import Callable

from salessim.metrics.cohort import Cohort
from salessim.metrics.pay import PayRecorder
from salessim.metrics.people import PeopleRecorder
from salessim.metrics.record import (
    WEEKS_A_QUARTER,
    CohortYear,
    ForecastMark,
    ForecastPriors,
    Record,
    RoleQueue,
)
from salessim.model.events import (
    AccountChurned,
    AccountOpened,
    AccountRenewed,
    AccountWorkStarted,
    Bus,
    LeadClosed,
    LeadCreated,
    LeadStatus,
    LeadWentCold,
    LeadWorkStarted,
    MonthEnded,
    OpportunityCreated,
    QuarterEnded,
    Source,
    StageDone,
)
from salessim.model.view import BookView, Snapshot
from salessim.scenario.base import Role
from salessim.scenario.units import DAYS_PER_YEAR

YEAR_SLACK_DAYS = 1e-6
"""A measured year short of ``DAYS_PER_YEAR`` by less than this (a tenth of a second),
as a horizon summed in floating point may be, is complete."""

QUARTER_START_SLACK_DAYS = 1e-3
"""A mark this close to a quarter's first day is made on it (a game turn runs just past)."""

# Statuses every closed lead is checked against, as globals: reading an enum's member
# (``LeadStatus.WON``) goes through its metaclass and costs ten times as much.
WON, LOST, GONE_COLD = LeadStatus.WON, LeadStatus.LOST, LeadStatus.GONE_COLD


class Recorder:
    """Listens to the bus and fills a ``Record``."""

    def __init__(
        self,
        bus: Bus,
        probe: Callable[[], Snapshot],
        book: Callable[[], BookView],
        stage_names: list[str],
        stage_roles: list[str],
        quarter_start: Callable[[float], float],
        *,
        quarter_of: Callable[[float], tuple[float, float, str]] | None = None,
        renewals_due: Callable[[float], float] | None = None,
        priors: ForecastPriors | None = None,
    ) -> None:
        """``quarter_start`` gives the first day of the fiscal quarter holding a day.

        With ``quarter_of`` (a day's fiscal quarter: start, end, label), ``renewals_due``
        (the ARR due to renew by a day) and ``priors``, the recorder marks what the
        pipeline forecast reads when measuring starts and at each quarter's start.
        """
        self._probe = probe
        self._quarter_of = quarter_of
        self._renewals_due = renewals_due
        self._quarter_start = quarter_start
        self._book = book
        self._cohort: Cohort | None = None
        self._closed_years: list[CohortYear] = []
        self.record = Record(stage_names=list(stage_names), stage_roles=list(stage_roles))
        self.record.forecast_priors = priors
        self.people = PeopleRecorder(bus, self.record.people)
        self.pay = PayRecorder(bus, self.record.pay)
        n = len(stage_names)
        self.record.stage_done = [0] * n
        self.record.stage_converted = [0] * n
        self._start: Snapshot | None = None
        self._month: Snapshot | None = None
        self._month_counts: dict[str, float] = {}
        self._open = 0
        self._open_since = 0.0
        self._bus = bus

    def _listen(self) -> None:
        """Listen to what is measured; nothing of the warm-up is, so no record of it is built.

        The pay recorder, by contrast, listens from the first day, so that a statement can
        be printed for any period.
        """
        bus = self._bus
        bus.subscribe(LeadCreated, self._lead_created)
        bus.subscribe(LeadWorkStarted, self._lead_work_started)
        bus.subscribe(AccountWorkStarted, self._account_work_started)
        bus.subscribe(LeadWentCold, self._went_cold)
        bus.subscribe(StageDone, self._stage_done)
        bus.subscribe(OpportunityCreated, self._opportunity)
        bus.subscribe(LeadClosed, self._lead_closed)
        bus.subscribe(AccountOpened, self._account_opened)
        bus.subscribe(AccountRenewed, self._account_renewed)
        bus.subscribe(AccountChurned, self._account_churned)
        bus.subscribe(MonthEnded, self._month_end)
        bus.subscribe(QuarterEnded, self._quarter_end)

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
        rec.measured_from = probe.now
        rec.starting_arr, rec.starting_logos = probe.arr, probe.logos
        rec.queues = {role: RoleQueue(headcount=n) for role, n in probe.headcount.items()}
        self.people.start(list(probe.headcount))
        rec.pay.measured_from = probe.now
        self._open, self._open_since = probe.open_leads, probe.now
        self._cohort = Cohort(self._book())
        self._listen()
        self._mark_quarter()

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
        self.close_year(probe.now)
        assert self._cohort is not None
        rec.years = [*self._closed_years, self._cohort.year(complete=False)]
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

    def _lead_created(self, event: LeadCreated) -> None:
        if self._start is None:
            return
        rec, now = self.record, event.day
        rec.open_leads_area += self._open * (now - self._open_since)
        self._open_since = now
        self._open += 1
        counts = rec.leads_by_source
        name = SOURCE_NAMES[event.source]
        counts[name] = counts.get(name, 0) + 1
        month = self._month_counts
        month["leads_created"] = month.get("leads_created", 0.0) + 1.0

    def _lead_work_started(self, event: LeadWorkStarted) -> None:
        if self._start is None:
            return
        queue = self.record.queues[event.role]  # a Role is its value, as a key
        queue.started += 1
        wait_days = event.wait_days
        if wait_days > 0:
            queue.waited += 1
            queue.wait_days_sum += wait_days

    def _account_work_started(self, event: AccountWorkStarted) -> None:
        if self._start is None:
            return
        queue = self.record.queues[Role.CSM]
        queue.started += 1
        wait_days = event.wait_days
        if wait_days > 0:
            queue.waited += 1
            queue.wait_days_sum += wait_days

    def _went_cold(self, event: LeadWentCold) -> None:
        if self._start is not None:
            queue = self.record.queues[event.role]
            queue.gone_cold += 1
            queue.cold_wait_days_sum += event.wait_days

    def _stage_done(self, event: StageDone) -> None:
        if self._start is None:
            return
        self.record.stage_done[event.stage] += 1
        if event.converted:
            self.record.stage_converted[event.stage] += 1

    def _opportunity(self, event: OpportunityCreated) -> None:
        if self._start is not None:
            self.record.opportunities += 1
            self._bump("opportunities")

    def _lead_closed(self, event: LeadClosed) -> None:
        if self._start is None:
            return
        rec, now = self.record, event.day
        rec.open_leads_area += self._open * (now - self._open_since)
        self._open_since = now
        self._open -= 1
        created_at = event.created_at
        if created_at >= self._start.now:
            rec.closed_time_in_funnel_days += now - created_at
            rec.closed_after_start += 1
        status = event.status
        name = STATUS_NAMES[status]
        by_status = rec.closed_by_status
        by_status[name] = by_status.get(name, 0) + 1
        if status is WON:
            arr = event.arr
            rec.bookings_new_arr += arr
            if event.opportunity_at is not None:
                rec.cycle_days.append(now - event.opportunity_at)
            week = int((now - self._start.now) // 7)
            weekly = rec.weekly_new_arr
            while len(weekly) <= week:
                weekly.append(0.0)
            weekly[week] += arr
            week = min(WEEKS_A_QUARTER - 1, int((now - self._quarter_start(now)) // 7))
            rec.won_list_by_quarter_week[week] += event.value
            rec.won_arr_by_quarter_week[week] += arr
            self._bump("deals_won")
            self._bump("bookings_new_arr", arr)
        elif status is LOST:
            self._bump("deals_lost")
        elif status is GONE_COLD:
            self._bump("leads_gone_cold")

    # ------------------------------------------------------------------ accounts
    def _account_opened(self, event: AccountOpened) -> None:
        if self._start is not None and event.lead is not None:
            self.record.new_logos += 1

    def _account_renewed(self, event: AccountRenewed) -> None:
        if self._cohort is None:
            return
        rec = self.record
        before, after = event.arr_before, event.arr_after
        rec.renewed_arr += before
        self._cohort.renewed(event.account, after)
        if after > before:
            rec.bookings_expansion_arr += after - before
            self._bump("bookings_expansion_arr", after - before)
        elif after < before:
            rec.contraction_arr += before - after
            self._bump("contraction_arr", before - after)

    def _account_churned(self, event: AccountChurned) -> None:
        if self._cohort is None:
            return
        rec = self.record
        arr = event.arr_lost
        self._cohort.churned(event.account)
        rec.churned_arr += arr
        rec.renewed_arr += arr
        rec.churned_logos += 1
        self._bump("churned_arr", arr)

    # ------------------------------------------------------------------ months and years
    @property
    def year_ends_at(self) -> float:
        """The day the measured year now running ends."""
        return self.record.measured_from + (len(self._closed_years) + 1) * DAYS_PER_YEAR

    def close_year(self, now: float) -> None:
        """At the end of a measured year, close its cohort and start the next one's.

        Does nothing before the year's end (less ``YEAR_SLACK_DAYS``), so a year closed
        by ``finish`` is not closed again when the run goes on.
        """
        if self._cohort is None or now < self.year_ends_at - YEAR_SLACK_DAYS:
            return
        self._closed_years.append(self._cohort.year(complete=True))
        self.record.years = list(self._closed_years)
        self._cohort = Cohort(self._book())

    def _quarter_end(self, event: QuarterEnded) -> None:
        if self._start is not None:
            self.record.quarter_ends.append((event.day - self._start.now, event.period))
            self._mark_quarter()

    # ------------------------------------------------------------------ forecasting
    @property
    def forecasting(self) -> bool:
        """Whether this recorder marks what the pipeline forecast reads."""
        return self._quarter_of is not None and self._renewals_due is not None

    def mark(self, until: float | None = None) -> ForecastMark:
        """What a pipeline forecast made now reads: the pipeline, the book and the history.

        Args:
            until: the last day forecast; by default the end of the quarter holding now.

        Raises:
            ValueError: the recorder does not forecast, or has not started measuring.
        """
        if self._quarter_of is None or self._renewals_due is None or self._start is None:
            raise ValueError("this recorder does not forecast, or is not measuring yet")
        probe, rec = self._probe(), self.record
        first, end, label = self._quarter_of(probe.now)
        whole = abs(first - probe.now) < QUARTER_START_SLACK_DAYS
        until = end if until is None else until
        return ForecastMark(
            day=probe.now,
            until=until,
            quarter=label,
            whole=whole,
            stage_value=list(probe.stage_value),
            stage_done=list(rec.stage_done),
            won=rec.closed_by_status.get("won", 0),
            won_value=sum(rec.won_list_by_quarter_week),
            won_arr=sum(rec.won_arr_by_quarter_week),
            cycle_days=sum(rec.cycle_days),
            cycled=len(rec.cycle_days),
            renewals_due_arr=self._renewals_due(until),
            renewed_arr=rec.renewed_arr,
            churned_arr=rec.churned_arr,
            bookings_new_arr=rec.bookings_new_arr,
            book_arr=probe.arr,
            accounts=probe.logos,
        )

    def _mark_quarter(self) -> None:
        """Mark the forecast of the quarter starting now (once a day, whoever asks first)."""
        marks = self.record.forecast_marks
        if not self.forecasting or (marks and marks[-1].day == self._probe().now):
            return
        marks.append(self.mark())

    def _bump(self, key: str, amount: float = 1.0) -> None:
        self._month_counts[key] = self._month_counts.get(key, 0.0) + amount

    def _month_end(self, _event: MonthEnded) -> None:
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
