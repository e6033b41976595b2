"""The workforce: the people side of the organisation, one room per concern, and its month.

``Workforce`` owns the pieces and runs them in a fixed order; the rest of the model talks
to it alone:

- ``roster``: who is employed, each rep's ramp, speed and skill, and ramped capacity;
- ``hiring``: the starting roster, target headcounts, requisitions and recruiting;
- ``exits``: exit times drawn under the hazard, and a leaver's hand-over;
- ``performance``: performance plans;
- ``routines``: the month's credit close, managers' time, learning, training,
  recognition and morale.

Every month end the workforce closes each rep's credit for the month, runs the routines,
reviews plans, draws the exits of the coming month, opens requisitions up to the targets,
and refreshes each rep's ramp, speed and skill. A rep who leaves hands over its work,
then its seat is backfilled.
"""

from __future__ import annotations

from collections import deque

import simpy

from salessim.model.behaviour import Incentives
from salessim.model.calendar import Calendar
from salessim.model.customers import CustomerBook
from salessim.model.entities import Rep
from salessim.model.events import Bus, ExitKind
from salessim.model.exits import Exits
from salessim.model.funnel import Funnel
from salessim.model.hiring import Hiring
from salessim.model.managers import ManagerDesk
from salessim.model.organisation import Organisation
from salessim.model.pay.payroll import Payroll
from salessim.model.performance import PerformancePlans
from salessim.model.roster import Roster
from salessim.model.routines import PeopleRoutines
from salessim.model.streams import Streams
from salessim.model.view import RequisitionView
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.roles import RoleSpec
from salessim.scenario.schema import Scenario


class Workforce:
    """Every employed rep, the open requisitions, and the monthly people processes."""

    def __init__(
        self,
        env: simpy.Environment,
        bus: Bus,
        streams: Streams,
        scenario: Scenario,
        organisation: Organisation,
        funnel: Funnel,
        customers: CustomerBook,
        calendar: Calendar,
        payroll: Payroll,
        incentives: Incentives,
    ) -> None:
        """The workforce of ``organisation``; it seeds the starting roster and its pay."""
        self.env = env
        self.scenario = scenario
        self.payroll = payroll
        self.enabled = scenario.workforce.enabled
        self.managers = ManagerDesk(scenario.roles.manager)
        self.roster = Roster(env, scenario, organisation, incentives)
        self.exits = Exits(
            env,
            bus,
            streams,
            scenario,
            calendar,
            self.roster,
            self.managers,
            organisation,
            funnel,
            customers,
            payroll,
            leave=self.leave,
        )
        self.hiring = Hiring(
            env,
            bus,
            streams,
            scenario,
            calendar,
            self.roster,
            self.managers,
            self.exits,
            organisation,
            customers,
            payroll,
            incentives,
        )
        self.performance = PerformancePlans(env, bus, scenario, payroll.standings, leave=self.leave)
        self.routines = PeopleRoutines(
            env,
            bus,
            scenario,
            self.roster,
            self.managers,
            self.hiring,
            self.exits,
            funnel,
            payroll,
            incentives,
        )
        self._month_start = env.now
        self.hiring.seed_roster()

    def configure(self, scenario: Scenario) -> None:
        """Take people parameters and policies from ``scenario`` from now on."""
        self.scenario = scenario
        self.enabled = scenario.workforce.enabled
        self.hiring.configure(scenario)
        self.routines.configure(scenario)
        self.exits.configure(scenario)
        self.performance.configure(scenario)
        self.roster.configure(scenario)  # last: it refreshes every rep under the new rules

    # ------------------------------------------------------------------ the month
    def month_end(self) -> None:
        """Run the month's people processes (see the module docstring)."""
        now = self.env.now
        days = now - self._month_start
        self._month_start = now
        roster = self.roster
        roster.tick()
        self.payroll.close_credit_month(roster.staff, days, ramped=self.enabled)
        if not self.enabled or days <= 0:
            for rep in roster.everyone():
                roster.refresh(rep)  # effort and care may have changed
            return
        everyone = roster.everyone()
        training_hours = self.routines.month(everyone, days)
        self.performance.review(everyone)
        self.exits.draw_all()
        self.hiring.staff_up()
        self.exits.new_month()
        roster.refresh_all(training_hours)
        roster.tick()

    # ------------------------------------------------------------------ acting on people
    def leave(self, rep: Rep, kind: ExitKind, cost: float = 0.0) -> None:
        """``rep`` leaves now (``kind``): hand over its work, record the exit, open a backfill.

        Raises:
            ValueError: ``rep`` is not employed.
        """
        self.exits.depart(rep, kind, cost)
        self.performance.forget(rep.id)
        self.hiring.backfill(rep.role)
        self.roster.tick()

    def hire(self, role: Role, count: int, level: float | None = None) -> None:
        """Raise ``role``'s target headcount by ``count`` and start recruiting now.

        ``level`` is the offer as a multiple of market pay (the role's usual offer if
        None): a higher offer draws better candidates and costs more.
        """
        self.hiring.hire(role, count, level)

    def start_plan(self, rep: Rep) -> None:
        """Put ``rep`` on a performance plan now (as the performance policy would)."""
        self.performance.start(rep)

    def cut_headcount(self, factor: float) -> None:
        """A budget cut: every role's headcount target is ``factor`` times what it was."""
        self.hiring.cut_headcount(factor)

    # ------------------------------------------------------------------ reading
    @property
    def staff(self) -> dict[Role, list[Rep]]:
        """The employed reps of each working role, by id."""
        return self.roster.staff

    @property
    def open_requisitions(self) -> dict[Role, int]:
        """Searches under way per role."""
        return self.hiring.open_requisitions

    def run_rate(self, rep: Rep) -> tuple[float | None, int]:
        """What ``rep``'s plan pays for a year at its trailing attainment, and its pay months.

        None off a plan. ``rep.pay`` on a plan is the mean of its last (up to twelve)
        months' pay once it has ``PAY_HISTORY_MONTHS``; the run rate is where it heads.
        """
        payee = self.payroll.payees.get(rep.id)
        if payee is None:
            return None, 0
        attainment = self.payroll.attainment(rep.id)
        pay = self.hiring.incentives.expected_pay(
            rep.role, 1.0 if attainment is None else attainment
        )
        return pay, len(payee.earned)

    def targets(self) -> dict[Role, int]:
        """The headcount each role is staffed to now, after any budget cut."""
        return {role: self.hiring.staffed_target(role) for role in WORKING_ROLES}

    def requisitions(self) -> list[RequisitionView]:
        """Every open requisition, oldest first."""
        return list(self.hiring.searches.values())

    @property
    def target(self) -> dict[Role, int]:
        """Target headcount per role (before any budget cut)."""
        return self.hiring.target

    @property
    def departures(self) -> dict[Role, deque[int]]:
        """Exits per role in each of the last three months, this one last."""
        return self.exits.departures

    @property
    def coaching_hours(self) -> float:
        """Hours of coaching given, all reps, since day 0."""
        return self.routines.coaching_hours

    def employed(self, rep_id: int) -> Rep | None:
        """The employed rep with id ``rep_id``, if any."""
        return self.roster.employed(rep_id)

    def headcount(self) -> dict[str, int]:
        """Employed reps per role, bootcamp included."""
        return self.roster.headcount()

    def capacity(self, role: Role) -> float:
        """Ramped capacity now: the sum of productivity over the role's reps on the team."""
        return self.roster.capacity(role)

    def ramped_capacity(self) -> dict[str, float]:
        """Time integral of the sum of reps' productivity, per role, up to now."""
        return self.roster.ramped_capacity()

    def headcount_areas(self) -> dict[str, float]:
        """Time integral of employed reps, per role, up to now."""
        return self.roster.headcount_areas()

    def spec(self, role: Role) -> RoleSpec:
        """The scenario's spec of ``role``."""
        return self.scenario.roles.of(role)
