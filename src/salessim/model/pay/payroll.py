"""The payroll: reps are credited for their work, paid by their plan, and every line is kept.

``Payroll`` owns the pay rooms and wires them once, each given the others it uses:

- ``Terms``: the plans in force and which plan each role is on today;
- ``Roster``: the employed reps and managers, the payees, their head counts;
- ``Tallies``: running credit totals for team pay and contests;
- ``Ledger``: books lines, tallies the month's pay, emits ``PayLine``;
- ``Clawbacks``: what new logos paid that a churn may take back, and failed gates;
- ``Crediting``: credit from the funnel and the customer book, as it happens;
- ``Periods``: quota periods and windows opened, settled, with team pay at the close;
- ``Draws``: base salary and draws at each month end;
- ``Contests``: the plans' contests and their marks;
- ``Quotas``: next year's quotas and a hire's standard quota;
- ``Enrolment``: joining, leaving and plan changes.

Each month end runs contests, settles the periods that end (their pay belongs to the
month they close), pays base and draws, records the pay the workforce reads, sets next
year's quotas at the fiscal year's end, moves reps whose plan change is due and opens
the new periods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from salessim.model.calendar import Calendar
from salessim.model.entities import Rep
from salessim.model.events import Bus, ContestHeld
from salessim.model.organisation import Organisation
from salessim.model.pay.clawbacks import Clawbacks
from salessim.model.pay.contests import Contests
from salessim.model.pay.credit import Crediting
from salessim.model.pay.draws import Draws
from salessim.model.pay.enrolment import Enrolment
from salessim.model.pay.ledger import Ledger
from salessim.model.pay.payee import EPSILON
from salessim.model.pay.periods import Periods, credit_lag
from salessim.model.pay.quotas import Quotas
from salessim.model.pay.roster import Roster
from salessim.model.pay.tallies import Tallies
from salessim.model.pay.terms import Terms
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.measures import DEFAULT_MEASURE, Measure
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH


class Payroll:
    """Everyone's credit and pay.

    Attributes:
        credit: credit a rep for its work (``Crediting.credit``).
        wanted: the measures crediting a rep can pay or count (``Crediting.wanted``).
        churned: an account churned: claw back if in time (``Clawbacks.churned``).
        enrol: a rep joins the payroll (``Enrolment.enrol``).
        leave: a rep leaves the payroll (``Enrolment.leave``).
        enrol_roster: put the starting roster on its plans (``Enrolment.enrol_roster``).
        payees: everyone on a plan now, by rep id.
        standings: every employed rep's quota and credit against it, by id.
        everyone: the employed reps and managers, by id.
        sorted_payees: everyone on a plan, by rep id (``Roster.sorted``).
    """

    def __init__(
        self, bus: Bus, calendar: Calendar, scenario: Scenario, organisation: Organisation
    ) -> None:
        self.env = env = organisation.env
        self.calendar = calendar
        self.warmup = scenario.calendar.warmup
        self.terms = Terms(calendar, env, scenario.compensation)
        self.roster = roster = Roster()
        self.tallies = tallies = Tallies()
        self.ledger = ledger = Ledger(bus, env)
        self.clawbacks = clawbacks = Clawbacks(
            env, calendar, terms=self.terms, roster=roster, ledger=ledger
        )
        crediting = Crediting(
            env,
            calendar,
            list(scenario.market.segments),
            terms=self.terms,
            roster=roster,
            tallies=tallies,
            ledger=ledger,
            clawbacks=clawbacks,
        )
        self.periods = Periods(
            bus,
            calendar,
            scenario,
            roster=roster,
            tallies=tallies,
            ledger=ledger,
            clawbacks=clawbacks,
        )
        self.draws = Draws(calendar, ledger)
        self.contests = Contests(
            bus, calendar, terms=self.terms, roster=roster, tallies=tallies, ledger=ledger
        )
        self.quotas = Quotas(env, scenario, roster=roster, periods=self.periods)
        self.enrolment = Enrolment(
            calendar,
            organisation,
            scenario,
            terms=self.terms,
            roster=roster,
            tallies=tallies,
            ledger=ledger,
            periods=self.periods,
            draws=self.draws,
            contests=self.contests,
            quotas=self.quotas,
        )
        self.credit = crediting.credit
        self.wanted = crediting.wanted
        self.churned = clawbacks.churned
        self.enrol = self.enrolment.enrol
        self.leave = self.enrolment.leave
        self.enrol_roster = self.enrolment.enrol_roster
        self.payees = roster.payees
        self.standings = roster.standings
        self.everyone = roster.everyone
        self.sorted_payees = roster.sorted
        self.standard = company_standard(scenario)
        self.configure(scenario)

    @property
    def active(self) -> bool:
        """Whether any role is ever on a plan (without one, nothing is paid in the ledger)."""
        return self.terms.active

    def configure(self, scenario: Scenario) -> None:
        """Take the plans, their assignments and quota settings from ``scenario``.

        A different plan for a role takes effect at the next boundary of each rep's
        current period (a rep on no plan joins at the new plan's next boundary).
        """
        self.scenario = scenario
        self._credit_lag = {role: credit_lag(scenario, role) for role in WORKING_ROLES}
        self.terms.configure(scenario.compensation)
        self.quotas.configure(scenario)
        self.tallies.configure(scenario.compensation)
        self.periods.configure(scenario)
        self.enrolment.configure(scenario)

    def attainment(self, rep_id: int) -> float | None:
        """The employed rep ``rep_id``'s trailing attainment (``Standing.attainment``)."""
        standing = self.standings.get(rep_id)
        return None if standing is None else standing.attainment()

    def standard_attainment(self, rep_id: int) -> float | None:
        """The employed rep's trailing attainment against the company's standard quota."""
        standing = self.standings.get(rep_id)
        return None if standing is None else standing.standard_attainment()

    def close_credit_month(
        self, staff: Mapping[Role, Sequence[Rep]], days: float, *, ramped: bool
    ) -> None:
        """Push each rep's credit and quota base for the month into its trailing year.

        With ``ramped`` (the workforce on), a hire's quota ramps like the rep, delayed by
        the role's credit lag: work done in a month earns credit only when its deals close,
        a sales cycle later.
        """
        middle = self.env.now - days / 2
        for role in WORKING_ROLES:
            spec, lag = self.scenario.roles.of(role), self._credit_lag[role]
            for rep in staff[role]:
                standing = self.standings[rep.id]
                measure = standing.measure
                if standing.quota and measure is not None and not measure.is_ratio:
                    if rep.joined_at <= 0 or not ramped:
                        # The starting roster: nothing can close before the pipeline fills.
                        share = 1.0 if middle >= lag else 0.0
                    else:
                        since = middle - rep.joined_at - lag
                        share = spec.ramp.productivity(since) if since > 0 else 0.0
                    part = days / (12 * DAYS_PER_MONTH) * share
                    standing.month_base += standing.quota * part
                    standard = self.standard.get(role)
                    if standard is not None and standard[0] is measure:
                        standing.month_standard_base += standard[1] * part
                standing.close_month()

    def month_end(self, now: float) -> list[ContestHeld]:
        """Run contests, close the periods that end, pay the month, set quotas, move plans.

        Period-end pay (settlements, team pay, prizes) belongs to the month it closes, so
        it comes before the month's base, draws and the pay the hazard reads. Returns the
        contests held, whose results move morale.
        """
        self.clawbacks.forget(now)
        if not self.payees and not self.terms.active:
            return []
        for payee in self.sorted_payees():
            self.ledger.enter_counted(payee)
            self.enrolment.mark_change(payee)
        contests = self.contests.run(now)
        closing = [payee for payee in self.sorted_payees() if payee.end <= now + EPSILON]
        switching = {payee.rep.id for payee in closing if payee.pending is not None}
        for payee in closing:
            self.periods.close(payee, now)
        month_start = self.calendar.month_start(self.calendar.month_index(now - EPSILON))
        for payee in self.sorted_payees():
            self.periods.close_windows(payee, now, every=payee.rep.id in switching)
            self.draws.pay_base(payee, month_start, now, now)
            self.draws.pay_draw(payee, (now - max(month_start, payee.since)) / (now - month_start))
            # the cold start's empty pipeline says nothing about pay
            payee.end_month(self.ledger.end_month(payee.rep.id), measured=now > self.warmup)
        if self.calendar.period(now - EPSILON, 12)[1] <= now + EPSILON:
            self.quotas.set_year(first_year=False)
        for payee in closing:
            if payee.pending is not None:
                self.enrolment.switch(payee, payee.pending)
            self.periods.open(payee, now)
        for payee in self.sorted_payees():
            self.periods.open_windows(payee, now)
        self.enrolment.join_new_plans(now)
        return contests


def company_standard(scenario: Scenario) -> dict[Role, tuple[Measure, float]]:
    """Each role's standard quota: its plan's (or the role's) annual quota and measure.

    Taken from the scenario a run starts with, so a quota that a ratchet or a game
    changes later does not move the standard that regretted exits are judged by.
    """
    plans, assign = scenario.compensation.plans, scenario.compensation.assign
    standard = {}
    for role in WORKING_ROLES:
        name = assign.get(role.value)
        if name is not None:
            plan = plans[name]
            measure, amount = plan.quota_measure, plan.quota.amount
        else:
            measure, amount = DEFAULT_MEASURE[role], scenario.roles.of(role).quota or 0.0
        if amount > 0 and not measure.is_ratio:
            standard[role] = (measure, amount)
    return standard
