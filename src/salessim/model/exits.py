"""Exits: when reps leave under their quit and dismissal hazards, and what they leave behind.

At each month end, and when a rep appears (hired or in the starting roster), the rep's
voluntary and involuntary hazards (``attrition``) are computed and an exit time is drawn
from an exponential with their total on the rep's own stream; an exit before the next
month end is scheduled, voluntary with probability voluntary / total. So the hazard is
piecewise constant over each rep's whole employment.

A leaver finishes the item in hand and takes nothing new: its waiting work and open deals
(or, for a CSM, its accounts) go to teammates, and some are lost on the way. Exits are
counted per role and month for the last three months (contagion and morale read them).
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from typing import Protocol

import simpy

from salessim.model.attrition import HazardInputs, exit_hazards, promotion_hazard
from salessim.model.calendar import Calendar
from salessim.model.customers import CustomerBook
from salessim.model.entities import Rep
from salessim.model.events import Bus, ExitKind, RepLeft
from salessim.model.funnel import Funnel
from salessim.model.kernel.schedule import schedule
from salessim.model.managers import ManagerDesk
from salessim.model.organisation import Organisation
from salessim.model.pay.payroll import Payroll
from salessim.model.roster import Roster
from salessim.model.sorting import outside_option
from salessim.model.streams import Streams
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.people import Tier
from salessim.scenario.schema import Scenario

CONTAGION_MONTHS = 3  # months of exits a rep's quit hazard and the view look back on


MAX_SPREAD = 2.0  # the most spread of attainment the quit hazard responds to


class Leave(Protocol):
    """How a rep leaves the organisation: the hand-over, then whatever follows (a backfill)."""

    def __call__(self, rep: Rep, kind: ExitKind, cost: float = 0.0) -> None:
        """``rep`` leaves now; ``cost`` is what letting it go costs."""


class Exits:
    """Draws and schedules the reps' exits, and hands a leaver's work to teammates."""

    def __init__(
        self,
        env: simpy.Environment,
        bus: Bus,
        streams: Streams,
        scenario: Scenario,
        calendar: Calendar,
        roster: Roster,
        managers: ManagerDesk,
        organisation: Organisation,
        funnel: Funnel,
        customers: CustomerBook,
        payroll: Payroll,
        leave: Leave,
    ) -> None:
        """Exits of ``roster``'s reps; a scheduled exit goes through ``leave``."""
        self.env = env
        self.bus = bus
        self.calendar = calendar
        self.roster = roster
        self.managers = managers
        self.organisation = organisation
        self.funnel = funnel
        self.customers = customers
        self.payroll = payroll
        self._leave = leave
        self.departures: dict[Role, deque[int]] = {
            role: deque([0] * CONTAGION_MONTHS, maxlen=CONTAGION_MONTHS) for role in WORKING_ROLES
        }
        self._uniform = streams.uniforms("people/reassignment")
        self._spread: dict[Role, float] = {}  # sd of trailing attainment by team, this month
        self.configure(scenario)

    def configure(self, scenario: Scenario) -> None:
        """Take hazards from ``scenario`` from now on."""
        self.scenario = scenario

    def new_month(self) -> None:
        """Start counting the coming month's exits (the oldest month drops out)."""
        for role in WORKING_ROLES:
            self.departures[role].append(0)

    # ------------------------------------------------------------------ drawing
    def draw_all(self) -> None:
        """Draw every employed rep's exit, if any, before the next month end."""
        self._spread = {role: self._attainment_spread(role) for role in WORKING_ROLES}
        for role in WORKING_ROLES:
            for rep in list(self.roster.staff[role]):
                self.draw(rep)

    def _attainment_spread(self, role: Role) -> float:
        """The spread (sd) of the trailing attainment known on ``role``'s team, at most 2.

        The cap keeps a tiny quota (attainments in the thousands) from making everyone quit.
        """
        known = [self.payroll.attainment(rep.id) for rep in self.roster.staff[role]]
        values = [a for a in known if a is not None]
        return min(MAX_SPREAD, statistics.pstdev(values)) if len(values) > 1 else 0.0

    def draw(self, rep: Rep) -> None:
        """Draw ``rep``'s exit time under its hazard now; schedule it if before the month end.

        Called at each month end and when a rep appears (hired or in the starting roster),
        so the hazard is piecewise constant over each rep's whole employment.
        """
        now = self.env.now
        until = self.calendar.month_start(self.calendar.month_index(now) + 1) - now
        voluntary, involuntary = self.hazards(rep)
        promotion = promotion_hazard(rep, now, self.scenario.roles.of(rep.role).attrition)
        total = voluntary + involuntary + promotion
        assert rep.rng is not None
        wait = rep.rng.standard_exponential() / total if total > 0 else math.inf
        u = rep.rng.random() * total
        if wait < until:
            kind = ExitKind.VOLUNTARY
            if u >= voluntary + involuntary:
                kind = ExitKind.PROMOTED
            elif u >= voluntary:
                kind = ExitKind.INVOLUNTARY
            self._schedule(rep, wait, kind)

    def hazards(self, rep: Rep) -> tuple[float, float]:
        """``rep``'s voluntary and involuntary exit hazards per day now."""
        spec = self.scenario.roles.of(rep.role)
        recent = sum(self.departures[rep.role]) / max(1, len(self.roster.staff[rep.role]))
        inputs = HazardInputs(
            self.payroll.attainment(rep.id),
            self.managers.attention.get(rep.id, 0.0),
            self.managers.coached.get(rep.id, 0.0),
            self._spread.get(rep.role, 0.0),
        )
        workforce = self.scenario.workforce
        outside = spec.market_pay
        if workforce.sorting.enabled:
            outside = outside_option(spec, self.roster.growth[rep.id].ability)
        now = self.env.now
        return exit_hazards(rep, inputs, now, spec.attrition, outside, workforce, recent)

    def _schedule(self, rep: Rep, wait: float, kind: ExitKind) -> None:
        def go(_event: simpy.Event) -> None:
            if self.roster.employs(rep):
                self._leave(rep, kind)

        schedule(self.env, wait, go)

    # ------------------------------------------------------------------ leaving
    def depart(self, rep: Rep, kind: ExitKind, cost: float = 0.0) -> None:
        """``rep`` leaves now: hand over its work and record the exit (no backfill here).

        Raises:
            ValueError: ``rep`` is not employed.
        """
        self.roster.tick()
        role = rep.role
        ability = self.roster.relative_ability(rep)
        self.roster.remove(rep)
        self.managers.release(rep)
        attainment = self.payroll.attainment(rep.id)
        standard = self.payroll.standard_attainment(rep.id)
        regretted = kind is ExitKind.VOLUNTARY and (
            rep.tier is Tier.STAR or (standard is not None and standard >= 1.0)
        )
        if rep.active:
            team = self.organisation.teams[role]
            waiting = team.leave(rep)
            if role is Role.CSM:
                self.customers.hand_over(rep, waiting, self._uniform)
            else:
                self.funnel.hand_over(rep, waiting, self._uniform)
        rep.active = False
        self.departures[role][-1] += 1
        self.payroll.leave(rep)
        now = self.env.now
        self.bus.emit(
            RepLeft(
                now,
                rep.id,
                role,
                rep.manager,
                rep.tier,
                ability,
                kind,
                regretted,
                rep.tenure(now),
                attainment,
                cost,
            )
        )
