"""The payroll: reps are credited for their work, paid by their plan, and every line is kept.

Credit arrives from the funnel and the customer book as it happens (``credit``). Each
piece counts toward the rep's quota attainment (which the workforce reads) and, for a
rep on a pay plan, goes to the plan's account for the period; the lines it earns are
emitted as ``PAY_LINE`` at once. A manager on a plan is credited with the team's credit.
Each month end pays base salary and draws; each period end settles deferred pay and team
pay, pays contests, and moves reps whose plan change is due; the fiscal year's end sets
next year's quotas. Clawbacks follow churned accounts back to the rep who won them.

Work per credit is O(1); the payroll counts the payees of each plan (and of each
manager on it) as they come and go, so team pay never counts the payroll per payee.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from salessim.model.calendar import Calendar
from salessim.model.entities import Lead, Rep
from salessim.model.events import Bus, ContestHeld, PayLine, PayPeriodClosed, Source
from salessim.model.organisation import Organisation
from salessim.policies.compensation import (
    Deal,
    Line,
    PlanAccount,
    contest_awards,
    draw_month,
    team_share,
)
from salessim.policies.quotas import QuotaYear, set_quotas
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.compensation import Compensation
from salessim.scenario.measures import COUNT_MEASURES, DEFAULT_MEASURE, RATIO_MEASURES, Measure
from salessim.scenario.pay_components import INCENTIVE_KINDS, Clawback, ComponentKind
from salessim.scenario.plans import Plan
from salessim.scenario.policies import QuotaMethod, QuotaSetting
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH

PAY_HISTORY_MONTHS = 6  # months on a plan before a rep judges pay by what it earns
SOURCE_NAMES = {source: source.name.lower() for source in Source}
EPSILON = 1e-6


@dataclass(eq=False)
class Window:
    """An open period of the components judged over a longer period than the quota's."""

    plan: Plan  # the plan's part for this period
    account: PlanAccount
    start: float
    end: float
    label: str


@dataclass(eq=False)
class Payee:
    """One rep on a plan: the plan, the open period and what the month has paid.

    ``account`` follows the quota period; ``windows`` hold the open periods of parts of
    the plan judged over longer periods (an annual true-up in a quarterly plan).
    """

    rep: Rep
    plan_name: str
    plan: Plan
    since: float  # on the payroll since
    account: PlanAccount = field(init=False)
    start: float = 0.0
    end: float = 0.0
    label: str = ""
    carried: float = 0.0  # share of a full year's quota this period carries
    months_on_plan: int = 0
    month_pay: float = 0.0
    month_incentive: float = 0.0
    draw_balance: float = 0.0
    earned: deque[float] = field(default_factory=lambda: deque(maxlen=12))
    year_credit: float = 0.0
    year_carried: float = 0.0
    team_marks: dict[int, float] = field(default_factory=dict)
    pending: str | None = None
    counted: dict[tuple[ComponentKind, str, float, str], list[float]] = field(default_factory=dict)
    measures: frozenset[Measure] = field(init=False)
    has_spif: bool = field(init=False)
    has_clawback: bool = field(init=False)
    parts: list[Plan] = field(init=False)  # by period, the quota's first
    windows: list[Window] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.take(self.plan_name, self.plan)

    def take(self, name: str, plan: Plan) -> None:
        """Go on ``plan``."""
        self.plan_name, self.plan, self.pending = name, plan, None
        self.measures = frozenset(plan.measures_named())
        self.has_spif = any(component.spif is not None for component in plan.components)
        self.has_clawback = any(c.clawback is not None for c in plan.components)
        self.parts = plan.by_period()
        self.windows = []


@dataclass(frozen=True)
class Owed:
    """Commission paid on a new logo that a clawback may take back.

    It holds the rep, who may have left by the time the account churns; the payroll
    forgets it once the clawback window has passed, so a leaver is not kept for good.
    """

    rep: Rep
    plan_name: str
    label: str  # the period it was earned in
    paid: float
    held: float  # held by a gate: owed back only if the gate was reached
    spec: Clawback
    won_at: float  # the day the deal was won and its account opened


class Payroll:
    """Everyone's credit and pay."""

    def __init__(
        self, bus: Bus, calendar: Calendar, scenario: Scenario, organisation: Organisation
    ) -> None:
        self.bus = bus
        self.calendar = calendar
        self.organisation = organisation
        self.env = organisation.env
        self.segment_names = list(scenario.market.segments)
        self.warmup = scenario.calendar.warmup
        self.payees: dict[int, Payee] = {}  # on a plan now
        self._plan_heads: dict[str, int] = {}  # payees by plan
        self._team_heads: dict[tuple[str, int], int] = {}  # payees by plan and manager
        self.everyone: dict[int, Rep] = {}  # employed reps and managers, by id (not leavers)
        self.managers: list[Rep] = []
        self.totals: dict[Measure, float] = dict.fromkeys(Measure, 0.0)
        self.team_totals: dict[tuple[int, Measure], float] = {}
        self.rep_totals: dict[int, dict[Measure, float]] = {}  # of everyone
        self.contest_marks: dict[tuple[str, int], dict[int, float]] = {}
        self.clawbacks: dict[int, list[Owed]] = {}  # by lead id: the AE's, the manager's
        self.forfeits: set[tuple[int, str]] = set()  # (rep id, period) whose gate failed
        self.standard_quota: dict[str, float] = {}  # by plan: a new hire's annual quota
        self.configure(scenario)

    def configure(self, scenario: Scenario) -> None:
        """Take the plans, their assignments and quota settings from ``scenario``.

        A different plan for a role takes effect at the next boundary of each rep's
        current period (a rep on no plan joins at the new plan's next boundary).
        """
        self.scenario = scenario
        before: Compensation | None = getattr(self, "pay", None)
        self.pay = scenario.compensation
        if before is not None:
            for name in self.standard_quota:
                old, new = before.plans[name].quota.amount, self.pay.plans[name].quota.amount
                if old > 0 and new != old:  # a new hire's quota moves with its plan's
                    self.standard_quota[name] *= new / old
        self.active = bool(self.pay.assign) or bool(self.pay.changes)
        self.tallies = any(  # running totals are needed for team pay and contests only
            component.team is not None or component.contest is not None
            for plan in self.pay.plans.values()
            for component in plan.components
        )
        for payee in self.payees.values():
            self._mark_change(payee)
        if self.uses(Role.MANAGER) and not self.managers:
            spec = scenario.roles.manager
            for index in range(spec.headcount):
                manager = self.organisation.new_rep(Role.MANAGER, 1.0, 1.0, spec)
                manager.manager = index
                self.managers.append(manager)
                self.everyone[manager.id] = manager
                self.rep_totals[manager.id] = {}

    def uses(self, role: Role) -> bool:
        """Whether ``role`` is ever on a plan."""
        pay = self.pay
        return role.value in pay.assign or any(role.value in c.assign for c in pay.changes)

    def plan_name_for(self, role: Role) -> str | None:
        """The plan ``role`` should be on today (the last change in force, else assign)."""
        today = self.calendar.date(self.env.now)
        name = self.pay.assign.get(role.value)
        for change in self.pay.changes:
            if change.at <= today and role.value in change.assign:
                name = change.assign[role.value]
        return name

    # ------------------------------------------------------------------ joining and leaving
    def enrol_roster(self) -> None:
        """Put the starting roster (and managers) on their plans and set year-one quotas."""
        reps = [rep for role in WORKING_ROLES for rep in self.organisation.teams[role].reps]
        for rep in reps + self.managers:
            self.enrol(rep, first=True)
        self._set_quotas(first_year=True)
        for payee in self.sorted_payees():
            self._open_period(payee, self.env.now)

    def enrol(self, rep: Rep, *, first: bool = False) -> None:
        """A rep joins the payroll: the role's quota measure, and its plan if any."""
        self.everyone[rep.id] = rep
        self.rep_totals[rep.id] = {}
        spec = self.scenario.roles.of(rep.role)
        name = self.plan_name_for(rep.role) if self.active else None
        if name is None:
            rep.quota_measure = DEFAULT_MEASURE[rep.role]
            rep.quota = spec.quota or 0.0
            return
        plan = self.pay.plans[name]
        rep.quota_measure = plan.quota_measure
        rep.quota = self.standard_quota.get(name, plan.quota.amount)
        rep.pay = plan.on_target_earnings
        payee = self.payees[rep.id] = Payee(rep, name, plan, self.env.now)
        self._count(payee, 1)
        self._mark_contests(payee)
        if not first:
            self._open_period(payee, self.env.now)

    def leave(self, rep: Rep) -> None:
        """A rep leaves: the period closes on what was earned; an advance owed is written off.

        The payroll lets go of the leaver, so memory does not grow with every rep who ever
        worked here: a clawback still due holds the rep itself (``Owed``).
        """
        self.everyone.pop(rep.id, None)
        self.rep_totals.pop(rep.id, None)  # read only for payees (contests)
        payee = self.payees.pop(rep.id, None)
        if payee is None:
            return
        self._count(payee, -1)
        now = self.env.now
        self._enter_counted(payee)
        month = self.calendar.month_index(now)
        start, end = self.calendar.month_start(month), self.calendar.month_start(month + 1)
        self._pay_base(payee, start, end, now)
        self._close_period(payee, now)
        self._close_windows(payee, now, every=True)
        if payee.draw_balance > 0:
            note = f"left owing {payee.draw_balance:,.2f} of draw advances: written off"
            self._book(payee, [Line(ComponentKind.DRAW, "", 0.0, 0.0, 0.0, note)])

    # ------------------------------------------------------------------ credit
    def credit(
        self,
        rep: Rep,
        measure: Measure,
        amount: float,
        *,
        lead: Lead | None = None,
        segment: int = -1,
        due: float = 0.0,
    ) -> None:
        """Credit ``rep`` with ``amount`` in ``measure`` (``due``: what came due, for ratios)."""
        if measure is rep.quota_measure:
            rep.month_credit += amount
            if due:
                rep.month_base += due * rep.quota
        if not self.active:
            return
        if self.tallies:
            self._tally(rep.id, rep.manager, measure, amount)
        payee = self.payees.get(rep.id)
        if payee is not None and measure in payee.measures:
            self._credit_payee(payee, measure, amount, lead, segment, due)
        if self.managers and measure not in RATIO_MEASURES:
            manager = self.payees.get(self.managers[rep.manager].id)
            if manager is not None and measure in manager.measures:
                self._credit_manager(manager, measure, amount, lead, segment)

    def _credit_manager(
        self, manager: Payee, measure: Measure, amount: float, lead: Lead | None, segment: int
    ) -> None:
        """A manager on a plan is credited with the team's credit."""
        if self.tallies:
            self._tally(manager.rep.id, -1, measure, amount)
        self._credit_payee(manager, measure, amount, lead, segment, 0.0)

    def wanted(self, rep: Rep) -> frozenset[Measure] | None:
        """The measures crediting ``rep`` can pay or count (None: every measure)."""
        if self.tallies:
            return None
        wanted = {rep.quota_measure} if rep.quota_measure is not None else set()
        payee = self.payees.get(rep.id)
        if payee is not None:
            wanted |= payee.measures
        if self.managers:
            manager = self.payees.get(self.managers[rep.manager].id)
            if manager is not None:
                wanted |= manager.measures
        return frozenset(wanted)

    def _tally(self, rep_id: int, manager: int, measure: Measure, amount: float) -> None:
        """Running totals for team pay and contests: the company's, a team's, a rep's."""
        if manager >= 0:
            self.totals[measure] += amount
            key = (manager, measure)
            self.team_totals[key] = self.team_totals.get(key, 0.0) + amount
        totals = self.rep_totals.get(rep_id)
        if totals is not None:  # None: a leaver credited for a lead it once qualified
            totals[measure] = totals.get(measure, 0.0) + amount

    def _credit_payee(
        self,
        payee: Payee,
        measure: Measure,
        amount: float,
        lead: Lead | None,
        segment: int,
        due: float,
    ) -> None:
        if measure is payee.rep.quota_measure:
            payee.year_credit += amount
        deal = self._deal(lead, segment) if payee.has_spif else None
        lines = payee.account.credit(measure, amount, deal, due)
        if measure in COUNT_MEASURES:
            self._tot_up(payee, lines)  # one line a month per rate, not one per meeting
        else:
            self._book(payee, lines)
        for window in payee.windows:
            more = window.account.credit(measure, amount, None, due)
            self._book(payee, more, window.label)
            lines += more
        if payee.has_clawback and measure is Measure.NEW_ARR and lead is not None:
            self._won(payee, lead, lines)

    def _deal(self, lead: Lead | None, segment: int) -> Deal:
        date = self.calendar.date(self.env.now)
        if lead is not None:
            return Deal(
                self.segment_names[lead.segment],
                SOURCE_NAMES[lead.source],
                lead.needs_specialist,
                date,
            )
        return Deal(self.segment_names[segment] if segment >= 0 else "", None, None, date)

    # ------------------------------------------------------------------ clawbacks
    def _won(self, payee: Payee, lead: Lead, lines: list[Line]) -> None:
        """Remember what a new logo paid, if the plan can claw it back."""
        for component in payee.plan.components:
            spec = component.clawback
            if spec is not None:
                deal = [
                    line
                    for line in lines
                    if line.component is ComponentKind.COMMISSION
                    and line.measure == Measure.NEW_ARR.value
                ]
                paid = sum(line.amount for line in deal)
                held = sum(line.held for line in deal)
                owed = Owed(payee.rep, payee.plan_name, payee.label, paid, held, spec, self.env.now)
                self.clawbacks.setdefault(lead.id, []).append(owed)

    def churned(self, lead_id: int, opened_at: float) -> None:
        """An account won from ``lead_id`` churned: claw back its commission if in time."""
        for owed in self.clawbacks.pop(lead_id, []):
            if self.env.now - opened_at <= owed.spec.within + EPSILON:
                forfeited = (owed.rep.id, owed.label) in self.forfeits
                amount = owed.paid + (0.0 if forfeited else owed.held)
                if amount > 0:
                    self._claw_back(owed, lead_id, amount)

    def _forget_clawbacks(self, now: float) -> None:
        """Drop what no churn can claw back any more: its window has passed.

        A forfeit is read only for what was owed in its closed period, so it goes too once
        nothing owed from that period is left.
        """
        for lead_id, owed in list(self.clawbacks.items()):
            due = [o for o in owed if now - o.won_at <= o.spec.within + EPSILON]
            if not due:
                del self.clawbacks[lead_id]
            elif len(due) < len(owed):
                self.clawbacks[lead_id] = due
        if self.forfeits:
            self.forfeits &= {(o.rep.id, o.label) for owed in self.clawbacks.values() for o in owed}

    def _claw_back(self, owed: Owed, lead_id: int, paid: float) -> None:
        spec = owed.spec
        payee = self.payees.get(owed.rep.id)
        months = self.pay.plans[owed.plan_name].quota.period.months
        label = self.calendar.period(self.env.now, months)[2]
        note = (
            f"account from deal {lead_id} churned within {spec.within / DAYS_PER_MONTH:.0f} months"
        )
        if payee is None:
            note += "; the rep has left, so it is owed back"
        amount = -spec.share * paid
        line = Line(ComponentKind.CLAWBACK, Measure.NEW_ARR.value, paid, -spec.share, amount, note)
        self._emit(owed.rep, owed.plan_name, label, line)
        if payee is not None:
            payee.month_pay += line.amount

    # ------------------------------------------------------------------ the ledger
    def _book(self, payee: Payee, lines: list[Line], label: str | None = None) -> None:
        for line in lines:
            payee.month_pay += line.amount
            if line.component in INCENTIVE_KINDS:
                payee.month_incentive += line.amount
            self._emit(payee.rep, payee.plan_name, label or payee.label, line)

    def _tot_up(self, payee: Payee, lines: list[Line]) -> None:
        """Pay count lines now but enter them in the ledger as one line a month per kind."""
        for line in lines:
            payee.month_pay += line.amount
            payee.month_incentive += line.amount
            key = (line.component, line.measure, line.rate, line.note)
            total = payee.counted.get(key)
            if total is None:
                payee.counted[key] = [line.credit, line.amount, line.held]
            else:
                total[0] += line.credit
                total[1] += line.amount
                total[2] += line.held

    def _enter_counted(self, payee: Payee) -> None:
        """Enter the month's totted-up count lines in the ledger."""
        for (component, measure, rate, note), (credit, amount, held) in payee.counted.items():
            line = Line(component, measure, credit, rate, amount, note, held)
            self._emit(payee.rep, payee.plan_name, payee.label, line)
        payee.counted.clear()

    def _emit(self, rep: Rep, plan_name: str, label: str, line: Line) -> None:
        self.bus.emit(
            PayLine(
                self.env.now,
                rep.id,
                rep.role,
                plan_name,
                label,
                line.component,
                line.measure,
                line.credit,
                line.rate,
                line.amount,
                line.held,
                line.forfeited,
                line.note,
            )
        )

    # ------------------------------------------------------------------ periods
    def _open_period(self, payee: Payee, now: float) -> None:
        plan, rep = payee.plan, payee.rep
        months = plan.quota.period.months
        start, end, label = self.calendar.period(now + EPSILON, months)
        fraction = (end - max(start, now)) / (end - start)
        carried = months / 12 * fraction * self._ramp_share(payee, max(start, now), end)
        payee.start, payee.end, payee.label, payee.carried = start, end, label, carried
        quota = rep.quota if plan.quota_measure.is_ratio else rep.quota * carried
        target = plan.target_incentive * months / 12 * fraction
        payee.account = PlanAccount(payee.parts[0], quota, target, fraction)
        payee.year_carried += carried
        self._open_windows(payee, now)
        for index, component in enumerate(plan.components):
            team = component.team
            if team is not None:
                payee.team_marks[index] = self._team_credit(rep, team.measure, team.scope)

    def _open_windows(self, payee: Payee, now: float) -> None:
        """Open the period of every longer-period part of the plan that has none open."""
        open_parts = {id(window.plan) for window in payee.windows}
        for part in payee.parts[1:]:
            if id(part) in open_parts:
                continue
            months = part.quota.period.months
            start, end, label = self.calendar.period(now + EPSILON, months)
            fraction = (end - max(start, now)) / (end - start)
            carried = months / 12 * fraction * self._ramp_share(payee, max(start, now), end)
            rep = payee.rep
            quota = rep.quota if part.quota_measure.is_ratio else rep.quota * carried
            target = part.target_incentive * months / 12 * fraction
            account = PlanAccount(part, quota, target, fraction)
            payee.windows.append(Window(part, account, max(start, now), end, label))

    def _close_windows(self, payee: Payee, now: float, *, every: bool = False) -> None:
        """Settle the windows whose period ends now (``every``: all of them)."""
        for window in list(payee.windows):
            if every or window.end <= now + EPSILON:
                self._book(payee, window.account.settle(), window.label)
                payee.windows.remove(window)

    def _ramp_share(self, payee: Payee, start: float, end: float) -> float:
        """Mean ramp over the period, delayed by the credit lag (1 for the starting roster)."""
        rep = payee.rep
        if (
            not payee.plan.quota.ramp_adjusted
            or rep.role is Role.MANAGER
            or rep.joined_at <= 0
            or not self.scenario.workforce.enabled
        ):
            return 1.0
        ramp = self.scenario.roles.of(rep.role).ramp
        lag = credit_lag(self.scenario, rep.role)
        steps = max(1, round((end - start) / DAYS_PER_MONTH))
        width = (end - start) / steps
        since = [start + (k + 0.5) * width - rep.joined_at - lag for k in range(steps)]
        return sum(ramp.productivity(s) if s > 0 else 0.0 for s in since) / steps

    def _close_period(self, payee: Payee, now: float) -> None:
        lines = payee.account.settle()
        if any(line.forfeited > 0 for line in lines):
            self.forfeits.add((payee.rep.id, payee.label))
        for index, component in enumerate(payee.plan.components):
            team = component.team
            if team is None:
                continue
            credit = (
                self._team_credit(payee.rep, team.measure, team.scope) - payee.team_marks[index]
            )
            members = (
                self._plan_heads.get(payee.plan_name, 0)
                if team.scope == "company"
                else self._team_heads.get((payee.plan_name, payee.rep.manager), 0)
            ) + (0 if payee.rep.id in self.payees else 1)
            pooled = team.split == "pool"
            amount = team_share(team.rate, credit, members, pooled)
            note = f"{team.scope} {team.measure.value}: {team.rate:g} x {credit:,.0f}" + (
                f" shared by {members}" if pooled else ""
            )
            lines.append(
                Line(ComponentKind.TEAM, team.measure.value, credit, team.rate, amount, note)
            )
        self._book(payee, lines)
        account = payee.account
        complete = (  # a whole period, fully ramped, run to its end (not cut by an exit)
            payee.carried >= payee.plan.quota.period.months / 12 - EPSILON
            and now >= payee.end - EPSILON
        )
        rep = payee.rep
        self.bus.emit(
            PayPeriodClosed(
                now,
                rep.id,
                rep.role,
                payee.plan_name,
                payee.label,
                account.quota * (account.due if account.deferred else 1.0),
                account.credited,
                complete,
            )
        )

    def _team_credit(self, rep: Rep, measure: Measure, scope: str) -> float:
        if scope == "company":
            return self.totals[measure]
        return self.team_totals.get((rep.manager, measure), 0.0)

    # ------------------------------------------------------------------ the month
    def month_end(self, now: float) -> list[ContestHeld]:
        """Run contests, close the periods that end, pay the month, set quotas, move plans.

        Period-end pay (settlements, team pay, prizes) belongs to the month it closes, so
        it comes before the month's base, draws and the pay the hazard reads. Returns the
        contests held, whose results move morale.
        """
        self._forget_clawbacks(now)
        if not self.payees and not self.active:
            return []
        for payee in self.sorted_payees():
            self._enter_counted(payee)
            self._mark_change(payee)
        contests = self._run_contests(now)
        closing = [payee for payee in self.sorted_payees() if payee.end <= now + EPSILON]
        switching = {payee.rep.id for payee in closing if payee.pending is not None}
        for payee in closing:
            self._close_period(payee, now)
        month_start = self.calendar.month_start(self.calendar.month_index(now - EPSILON))
        for payee in self.sorted_payees():
            self._close_windows(payee, now, every=payee.rep.id in switching)
            self._pay_base(payee, month_start, now, now)
            self._pay_draw(payee, (now - max(month_start, payee.since)) / (now - month_start))
            if now > self.warmup:  # the cold start's empty pipeline says nothing about pay
                payee.earned.append(payee.month_pay)
            payee.month_pay = payee.month_incentive = 0.0
            payee.months_on_plan += 1
            if len(payee.earned) >= PAY_HISTORY_MONTHS:
                payee.rep.pay = sum(payee.earned) * 12 / len(payee.earned)
        if self.calendar.period(now - EPSILON, 12)[1] <= now + EPSILON:
            self._set_quotas(first_year=False)
        for payee in closing:
            if payee.pending is not None:
                self._switch(payee, payee.pending)
            self._open_period(payee, now)
        for payee in self.sorted_payees():
            self._open_windows(payee, now)
        self._join_new_plans(now)
        return contests

    def _pay_base(self, payee: Payee, month_start: float, month_end: float, until: float) -> None:
        """Base for the part of the month from ``month_start`` to ``until`` on the payroll."""
        days = until - max(month_start, payee.since)
        if days <= EPSILON or payee.plan.base == 0:
            return
        share = days / (month_end - month_start) if month_end > month_start else 0.0
        amount = payee.plan.base / 12 * share
        note = f"base salary, {self.calendar.date(until - EPSILON):%B %Y}"
        if share < 1 - EPSILON:
            note += f" ({share:.0%} of the month)"
        self._book(payee, [Line(ComponentKind.BASE, "", 0.0, 0.0, amount, note)])

    def _pay_draw(self, payee: Payee, share: float) -> None:
        for component in payee.plan.components:
            spec = component.draw
            if spec is None:
                continue
            month = draw_month(
                spec, payee.months_on_plan, payee.month_incentive, payee.draw_balance, share
            )
            payee.draw_balance = month.balance
            kind = "recoverable" if spec.recoverable else "non-recoverable"
            if month.top_up > 0:
                floor = month.top_up + payee.month_incentive
                note = f"{kind} draw: earned {payee.month_incentive:,.2f} of {floor:,.2f}"
                self._book(payee, [Line(ComponentKind.DRAW, "", 0.0, 0.0, month.top_up, note)])
            if month.recovered > 0:
                note = f"draw advance recovered; {month.balance:,.2f} still owed"
                self._book(payee, [Line(ComponentKind.DRAW, "", 0.0, 0.0, -month.recovered, note)])

    def _run_contests(self, now: float) -> list[ContestHeld]:
        held: list[ContestHeld] = []
        names = sorted({payee.plan_name for payee in self.payees.values()})
        for name in names:
            plan = self.pay.plans[name]
            for index, component in enumerate(plan.components):
                spec = component.contest
                if spec is None:
                    continue
                start, end, label = self.calendar.period(now - EPSILON, spec.every.months)
                if end > now + EPSILON:
                    continue
                measure = spec.measure or plan.quota_measure
                marks = self.contest_marks.get((name, index), {})
                members = [p for p in self.sorted_payees() if p.plan_name == name]
                credit = {
                    p.rep.id: self.rep_totals[p.rep.id].get(measure, 0.0) - marks.get(p.rep.id, 0.0)
                    for p in members
                }
                self.contest_marks[(name, index)] = {
                    rep_id: totals.get(measure, 0.0) for rep_id, totals in self.rep_totals.items()
                }
                first, last = self.calendar.date(start), self.calendar.date(end - 1)
                if (spec.start and first < spec.start) or (spec.until and last > spec.until):
                    continue
                awards = contest_awards(spec, credit)
                for rep_id, place, prize in awards:
                    note = f"contest {label}: place {place} on {measure.value} "
                    note += f"({credit[rep_id]:,.0f})"
                    line = Line(
                        ComponentKind.CONTEST, measure.value, credit[rep_id], 0.0, prize, note
                    )
                    self._book(self.payees[rep_id], [line])
                winners = tuple(rep_id for rep_id, _, _ in awards)
                entrants = tuple(p.rep.id for p in members)
                contest = ContestHeld(now, name, label, measure.value, winners, entrants)
                self.bus.emit(contest)
                held.append(contest)
        return held

    # ------------------------------------------------------------------ plan changes
    def _mark_change(self, payee: Payee) -> None:
        """Note a move to another plan, or new terms of the same plan, for the next boundary."""
        name = self.plan_name_for(payee.rep.role)
        payee.pending = None if name in (None, payee.plan_name) else name
        if name is not None and name == payee.plan_name:
            plan = self.pay.plans[name]
            if plan is not payee.plan:  # the scenario was changed: were these terms?
                if plan == payee.plan:
                    payee.plan = plan  # the same terms: compare by identity from now on
                else:
                    payee.pending = name

    def _switch(self, payee: Payee, name: str) -> None:
        plan = self.pay.plans[name]
        old = payee.plan
        renewed = name == payee.plan_name
        note = (
            f"plan {name} changed its terms"
            if renewed
            else f"moved from plan {payee.plan_name} to {name}"
        )
        self._book(payee, [Line(ComponentKind.BASE, "", 0.0, 0.0, 0.0, note)])
        self._count(payee, -1)
        payee.take(name, plan)
        self._count(payee, 1)
        self._mark_contests(payee)
        payee.rep.quota_measure = plan.quota_measure
        if renewed and old.quota.amount > 0:  # the rep's own quota moves with the plan's
            payee.rep.quota *= plan.quota.amount / old.quota.amount
        else:
            payee.rep.quota = self.standard_quota.get(name, plan.quota.amount)
            payee.year_carried = 0.0

    def _count(self, payee: Payee, change: int) -> None:
        """Count ``payee`` in (1) or out of (-1) the heads of its plan and team."""
        name, team = payee.plan_name, (payee.plan_name, payee.rep.manager)
        self._plan_heads[name] = self._plan_heads.get(name, 0) + change
        self._team_heads[team] = self._team_heads.get(team, 0) + change

    def _mark_contests(self, payee: Payee) -> None:
        """A rep joining a plan enters its running contests with its credit so far."""
        totals = self.rep_totals[payee.rep.id]
        for index, component in enumerate(payee.plan.components):
            if component.contest is not None:
                measure = component.contest.measure or payee.plan.quota_measure
                marks = self.contest_marks.setdefault((payee.plan_name, index), {})
                marks[payee.rep.id] = totals.get(measure, 0.0)

    def _join_new_plans(self, now: float) -> None:
        """Reps on no plan join their role's new plan at its first period boundary."""
        for rep in sorted(self._unpaid(), key=lambda r: r.id):
            name = self.plan_name_for(rep.role)
            if name is None:
                continue
            months = self.pay.plans[name].quota.period.months
            if abs(self.calendar.period(now - EPSILON, months)[1] - now) < EPSILON:
                self.enrol(rep)

    def _unpaid(self) -> list[Rep]:
        reps = [rep for role in WORKING_ROLES for rep in self.organisation.teams[role].reps]
        return [rep for rep in reps + self.managers if rep.id not in self.payees and rep.active]

    # ------------------------------------------------------------------ quotas
    def _set_quotas(self, *, first_year: bool) -> None:
        """Next year's annual quota for every payee, by plan, from the role's setting."""
        by_plan: dict[str, list[Payee]] = {}
        for payee in self.sorted_payees():
            by_plan.setdefault(payee.pending or payee.plan_name, []).append(payee)
        for name, payees in by_plan.items():
            plan = self.pay.plans[name]
            setting = self.scenario.policies.quota.get(plan.role.value, QuotaSetting())
            if plan.quota_measure in RATIO_MEASURES:
                setting = QuotaSetting()  # a target ratio stays the plan's
            years = [
                QuotaYear(
                    p.rep.id,
                    p.rep.quota,
                    0.0 if first_year else p.year_credit,
                    0.0 if first_year else p.year_carried,
                    self._expected(p),
                )
                for p in payees
            ]
            quotas = set_quotas(setting, plan.quota.amount, years)
            for payee in payees:
                payee.rep.quota = quotas[payee.rep.id]
                payee.year_credit = payee.year_carried = 0.0
            self.standard_quota[name] = (
                plan.quota.amount
                if setting.method is QuotaMethod.RATCHET
                else max(quotas.values(), default=plan.quota.amount)
            )

    def _expected(self, payee: Payee) -> float:
        now = self.env.now
        return self._ramp_share(payee, now, now + 12 * DAYS_PER_MONTH)

    def sorted_payees(self) -> list[Payee]:
        """Everyone on a plan, by rep id."""
        return [self.payees[rep_id] for rep_id in sorted(self.payees)]


def credit_lag(scenario: Scenario, role: Role) -> float:
    """Mean customer-side days from a role's first stage to the stage that credits it.

    AEs are credited when a deal is won, after the last stage; other roles when their
    own last stage converts. Work time is left out: it is small beside the lags.
    """
    stages = scenario.funnel.stages
    mine = [i for i, stage in enumerate(stages) if stage.role is role]
    if not mine:
        return 0.0
    last = len(stages) - 1 if role is Role.AE else mine[-1]
    return sum(stage.lag.mean for stage in stages[mine[0] : last + 1])
