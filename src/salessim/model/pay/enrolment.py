"""Enrolment: reps join the payroll on their role's plan, leave it, and change plans.

A rep joining (the starting roster, a hire, a rep whose role gets a plan) takes the
role's quota measure and, if the role is on a plan, the plan's standard quota and a payee
record. A leaver's period closes on what was earned, with a part month of base; a draw
advance still owed is written off. A different plan for a role, or new terms for the
same plan, takes effect at the next boundary of each rep's current quota period; a rep
on no plan joins its role's new plan at that plan's next boundary.
"""

from __future__ import annotations

from salessim.model.calendar import Calendar
from salessim.model.entities import Rep
from salessim.model.organisation import Organisation
from salessim.model.pay.contests import Contests
from salessim.model.pay.draws import Draws
from salessim.model.pay.ledger import Ledger
from salessim.model.pay.payee import EPSILON, Payee
from salessim.model.pay.periods import Periods
from salessim.model.pay.quotas import Quotas
from salessim.model.pay.roster import Roster
from salessim.model.pay.tallies import Tallies
from salessim.model.pay.terms import Terms
from salessim.policies.compensation import Line
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.measures import DEFAULT_MEASURE
from salessim.scenario.pay_components import ComponentKind
from salessim.scenario.schema import Scenario


class Enrolment:
    """Puts reps on their plans, takes leavers off, and moves payees between plans."""

    def __init__(
        self,
        calendar: Calendar,
        organisation: Organisation,
        scenario: Scenario,
        *,
        terms: Terms,
        roster: Roster,
        tallies: Tallies,
        ledger: Ledger,
        periods: Periods,
        draws: Draws,
        contests: Contests,
        quotas: Quotas,
    ) -> None:
        self.calendar = calendar
        self.organisation = organisation
        self.env = organisation.env
        self.roles = scenario.roles
        self.terms = terms
        self.roster = roster
        self.tallies = tallies
        self.ledger = ledger
        self.periods = periods
        self.draws = draws
        self.contests = contests
        self.quotas = quotas

    def configure(self, scenario: Scenario) -> None:
        """Note plan changes due under ``scenario``'s terms; put its managers on the payroll.

        A different plan for a role takes effect at the next boundary of each rep's
        current period (a rep on no plan joins at the new plan's next boundary).
        """
        self.roles = scenario.roles
        for payee in self.roster.payees.values():
            self.mark_change(payee)
        if self.terms.uses(Role.MANAGER) and not self.roster.managers:
            spec = scenario.roles.manager
            for index in range(spec.headcount):
                manager = self.organisation.new_rep(Role.MANAGER, 1.0, 1.0, spec)
                manager.manager = index
                self.roster.add_manager(manager)
                self.tallies.join(manager.id)

    # ------------------------------------------------------------------ joining and leaving
    def enrol_roster(self) -> None:
        """Put the starting roster (and managers) on their plans and set year-one quotas."""
        reps = [rep for role in WORKING_ROLES for rep in self.organisation.teams[role].reps]
        for rep in reps + self.roster.managers:
            self.enrol(rep, first=True)
        self.quotas.set_year(first_year=True)
        for payee in self.roster.sorted():
            self.periods.open(payee, self.env.now)

    def enrol(self, rep: Rep, *, first: bool = False) -> None:
        """A rep joins the payroll: the role's quota measure, and its plan if any."""
        self.roster.hire(rep)
        self.tallies.join(rep.id)
        spec = self.roles.of(rep.role)
        standing = self.roster.standings[rep.id]
        name = self.terms.plan_name_for(rep.role) if self.terms.active else None
        if name is None:
            standing.measure = DEFAULT_MEASURE[rep.role]
            standing.quota = spec.quota or 0.0
            return
        plan = self.terms.plans[name]
        standing.measure = plan.quota_measure
        standing.quota = self.quotas.for_hire(name)
        rep.pay = plan.on_target_earnings
        payee = Payee(rep, name, plan, self.env.now, standing)
        self.roster.add(payee)
        self.contests.enter(payee)
        if not first:
            self.periods.open(payee, self.env.now)

    def leave(self, rep: Rep) -> None:
        """A rep leaves: the period closes on what was earned; an advance owed is written off.

        The payroll lets go of the leaver, so memory does not grow with every rep who ever
        worked here: a clawback still due holds the rep itself (``Owed``).
        """
        self.roster.let_go(rep.id)
        self.tallies.drop(rep.id)  # read only for payees (contests)
        payee = self.roster.remove(rep.id)
        if payee is None:
            return
        now = self.env.now
        self.ledger.enter_counted(payee)
        month = self.calendar.month_index(now)
        start, end = self.calendar.month_start(month), self.calendar.month_start(month + 1)
        self.draws.pay_base(payee, start, end, now)
        self.periods.close(payee, now)
        self.periods.close_windows(payee, now, every=True)
        self.draws.write_off(payee)
        self.ledger.end_month(rep.id)  # the leaver's month is paid: nothing more to tally

    # ------------------------------------------------------------------ plan changes
    def mark_change(self, payee: Payee) -> None:
        """Note a move to another plan, or new terms of the same plan, for the next boundary."""
        name = self.terms.plan_name_for(payee.rep.role)
        payee.pending = None if name in (None, payee.plan_name) else name
        if name is not None and name == payee.plan_name:
            plan = self.terms.plans[name]
            if plan is not payee.plan:  # the scenario was changed: were these terms?
                if plan == payee.plan:
                    payee.plan = plan  # the same terms: compare by identity from now on
                else:
                    payee.pending = name

    def switch(self, payee: Payee, name: str) -> None:
        """Move ``payee`` to plan ``name`` (or its new terms) at its period's boundary."""
        plan = self.terms.plans[name]
        old = payee.plan
        renewed = name == payee.plan_name
        note = (
            f"plan {name} changed its terms"
            if renewed
            else f"moved from plan {payee.plan_name} to {name}"
        )
        self.ledger.book(payee, [Line(ComponentKind.BASE, "", 0.0, 0.0, 0.0, note)])
        self.roster.count(payee, -1)
        payee.take(name, plan)
        self.roster.count(payee, 1)
        self.contests.enter(payee)
        payee.standing.measure = plan.quota_measure
        if renewed and old.quota.amount > 0:  # the rep's own quota moves with the plan's
            payee.standing.quota *= plan.quota.amount / old.quota.amount
        else:
            payee.standing.quota = self.quotas.for_hire(name)
            payee.year_carried = 0.0

    def join_new_plans(self, now: float) -> None:
        """Reps on no plan join their role's new plan at its first period boundary."""
        for rep in sorted(self._unpaid(), key=lambda r: r.id):
            name = self.terms.plan_name_for(rep.role)
            if name is None:
                continue
            months = self.terms.plans[name].quota.period.months
            if abs(self.calendar.period(now - EPSILON, months)[1] - now) < EPSILON:
                self.enrol(rep)

    def _unpaid(self) -> list[Rep]:
        reps = [rep for role in WORKING_ROLES for rep in self.organisation.teams[role].reps]
        payees = self.roster.payees
        return [rep for rep in reps + self.roster.managers if rep.id not in payees and rep.active]
