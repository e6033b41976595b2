"""Hiring: the starting roster, target headcounts, requisitions and the recruiting process.

Every role has a target headcount: the starting headcount, then the growth plan's steps
(``policies.staffing.growth``), or for CSMs one per ``accounts_per_csm`` accounts. A
budget cut scales every target by a factor. Each month end, requisitions open up to the
target; a leaver's seat is backfilled at once, after a delay or never (the target drops),
as ``policies.staffing.backfill`` says. A requisition takes a draw of ``time_to_hire``;
the candidate's ability is drawn from the role's distribution and scaled by the offer
(pay as a multiple of market pay) to the power ``quality_elasticity``. The candidate
takes the job or declines it by weighing its pay against what its ability earns
elsewhere (``sorting``); after a decline the next candidate comes ``next_candidate``
later. A hire spends the bootcamp employed but off the team, then joins it and starts
to ramp.
"""

from __future__ import annotations

import math
from collections.abc import Generator

import numpy as np
import simpy

from salessim.model.behaviour import Incentives
from salessim.model.calendar import Calendar
from salessim.model.customers import CustomerBook
from salessim.model.development import Growth, tier_of
from salessim.model.entities import Rep
from salessim.model.events import Bus, RepHired
from salessim.model.exits import Exits
from salessim.model.managers import ManagerDesk
from salessim.model.organisation import Organisation
from salessim.model.pay.payroll import Payroll
from salessim.model.roster import Roster
from salessim.model.sorting import acceptance_chance, outside_option, relative_ability
from salessim.model.streams import Streams
from salessim.model.view import RequisitionView
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.people import Backfill, GrowthStep
from salessim.scenario.roles import RoleSpec
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH

TIER_SAMPLE = 20_000  # draws used to find a role's ability quantiles


class Hiring:
    """Target headcounts, open requisitions, and the reps who join."""

    def __init__(
        self,
        env: simpy.Environment,
        bus: Bus,
        streams: Streams,
        scenario: Scenario,
        calendar: Calendar,
        roster: Roster,
        managers: ManagerDesk,
        exits: Exits,
        organisation: Organisation,
        customers: CustomerBook,
        payroll: Payroll,
        incentives: Incentives,
    ) -> None:
        """Hiring into ``roster``; every rep who appears gets its exit drawn by ``exits``.

        ``incentives`` values the role's plan to a candidate (``sorting``).
        """
        self.env = env
        self.bus = bus
        self.streams = streams
        self.calendar = calendar
        self.roster = roster
        self.managers = managers
        self.exits = exits
        self.organisation = organisation
        self.customers = customers
        self.payroll = payroll
        self.incentives = incentives
        self.open_requisitions = dict.fromkeys(WORKING_ROLES, 0)
        self.searches: dict[int, RequisitionView] = {}  # open requisitions, by number
        self._searches_opened = 0
        self.target = {role: scenario.roles.of(role).headcount for role in WORKING_ROLES}
        self.headcount_factor = 1.0  # budget cuts: targets are this multiple of the plan
        self._growth_step: dict[Role, GrowthStep] = {}
        self._cuts = {role: tier_cuts(scenario, role, streams) for role in WORKING_ROLES}
        self.configure(scenario)

    def configure(self, scenario: Scenario) -> None:
        """Take hiring parameters and staffing policies from ``scenario`` from now on."""
        self.scenario = scenario
        self._hire_time = {
            role: self.streams.sampler(
                f"people/{role.value}/time_to_hire", scenario.roles.of(role).hiring.time_to_hire
            )
            for role in WORKING_ROLES
        }
        self._candidates = {
            role: self.streams.sampler(
                f"people/{role.value}/candidates", scenario.roles.of(role).skill
            )
            for role in WORKING_ROLES
        }
        self._answers = {
            role: self.streams.uniforms(f"people/{role.value}/answers") for role in WORKING_ROLES
        }

    def seed_roster(self) -> None:
        """Give the starting reps a tenure, a tier, pay and a manager; draw exits; enrol them."""
        now = self.env.now
        scenario, enabled = self.scenario, self.scenario.workforce.enabled
        for role in WORKING_ROLES:
            spec = scenario.roles.of(role)
            tenure = self.streams.sampler(
                f"people/{role.value}/initial_tenure", spec.attrition.initial_tenure
            )
            for rep in self.organisation.teams[role].reps:
                rep.tier = tier_of(rep.skill, self._cuts[role])
                rep.pay = offer(spec) * spec.market_pay
                rep.rng = self._private_stream(rep)
                if enabled:
                    rep.hired_at = now - tenure()
                    rep.joined_at = rep.hired_at + spec.hiring.bootcamp
                self.managers.assign(rep)
                self.roster.add(rep, Growth(rep.skill))
        self.roster.tick()
        if enabled:
            for rep in self.roster.everyone():
                self.exits.draw(rep)
        self.payroll.enrol_roster()

    def _private_stream(self, rep: Rep) -> np.random.Generator:
        """A stream of the rep's own: adding a rep never shifts another's draws."""
        return self.streams.private(f"rep/{rep.id}")

    # ------------------------------------------------------------------ targets
    def hire(self, role: Role, count: int, level: float | None = None) -> None:
        """Raise ``role``'s target headcount by ``count`` and start recruiting now.

        ``level`` is the offer as a multiple of market pay (the role's usual offer if
        None): a higher offer draws better candidates and costs more.
        """
        self.target[role] += count
        for _ in range(count):
            self._open_requisition(role, 0.0, level)

    def cut_headcount(self, factor: float) -> None:
        """A budget cut: every role's headcount target is ``factor`` times what it was."""
        self.headcount_factor *= factor

    def backfill(self, role: Role) -> None:
        """A rep of ``role`` has left: open a search for the seat, or freeze it."""
        staffing = self.scenario.policies.staffing
        if staffing.backfill is Backfill.FREEZE:
            self.target[role] = max(0, self.target[role] - 1)
            return
        if self.headcount_factor != 1.0 and self._room(role) <= 0:
            return  # a budget cut: the seat waits until headcount is under the target
        delay = staffing.backfill_delay if staffing.backfill is Backfill.DELAYED else 0.0
        self._open_requisition(role, delay)

    def staff_up(self) -> None:
        """Follow growth plans and CSM coverage, then open requisitions up to each target."""
        today = self.calendar.date(self.env.now)
        staffing = self.scenario.policies.staffing
        for role in WORKING_ROLES:
            steps = staffing.growth.get(role.value, [])
            reached = [step for step in steps if step.at <= today]
            if reached and self._growth_step.get(role) != reached[-1]:
                self._growth_step[role] = reached[-1]
                self.target[role] = reached[-1].headcount
            if role is Role.CSM and staffing.accounts_per_csm is not None:
                self.target[role] = math.ceil(self.customers.accounts / staffing.accounts_per_csm)
            for _ in range(max(0, self._room(role))):
                self._open_requisition(role, 0.0)

    def interview_hours_per_month(self) -> float:
        """Managers' interviewing a month: each search's hours spread over its expected length."""
        hours = 0.0
        for role in WORKING_ROLES:
            hiring_spec = self.scenario.roles.of(role).hiring
            search_months = max(1.0, hiring_spec.time_to_hire.mean / DAYS_PER_MONTH)
            hours += self.open_requisitions[role] * hiring_spec.interview_hours / search_months
        return hours

    def staffed_target(self, role: Role) -> int:
        """The headcount ``role`` is staffed to: its target after any budget cut."""
        return round(self.target[role] * self.headcount_factor)

    def _room(self, role: Role) -> int:
        """Seats to fill: the target (after budget cuts) less the staff and open searches."""
        return (
            self.staffed_target(role) - len(self.roster.staff[role]) - self.open_requisitions[role]
        )

    # ------------------------------------------------------------------ recruiting
    def _open_requisition(self, role: Role, delay: float, level: float | None = None) -> None:
        self.open_requisitions[role] += 1
        self._searches_opened += 1
        number = self._searches_opened
        self.searches[number] = RequisitionView(role, self.env.now, self.env.now + delay, level)
        self.env.process(self._recruit(role, delay, level, number))

    def _recruit(
        self, role: Role, delay: float, level: float | None, number: int
    ) -> Generator[simpy.Event, None, None]:
        opened = self.env.now
        yield self.env.timeout(delay + self._hire_time[role]())
        spec = self.scenario.roles.of(role)
        level = offer(spec) if level is None else level
        ability = self._candidates[role]() * level**spec.hiring.quality_elasticity
        while not self._accepts(role, ability, level):
            yield self.env.timeout(self.scenario.workforce.sorting.next_candidate)
            spec = self.scenario.roles.of(role)
            ability = self._candidates[role]() * level**spec.hiring.quality_elasticity
        hiring = spec.hiring
        self.open_requisitions[role] -= 1
        del self.searches[number]
        rep = self.organisation.new_rep(role, ability, 1.0, spec)
        rep.tier = tier_of(ability, self._cuts[role])
        rep.pay = level * spec.market_pay
        rep.hired_at = self.env.now
        rep.joined_at = self.env.now + hiring.bootcamp
        rep.active = False
        rep.rng = self._private_stream(rep)
        self.managers.assign(rep)
        self.roster.add(rep, Growth(ability, self.scenario.workforce.learning.start))
        self.payroll.enrol(rep)
        now = self.env.now
        self.bus.emit(
            RepHired(
                now,
                rep.id,
                role,
                rep.manager,
                rep.tier,
                relative_ability(ability, spec),
                rep.pay,
                hiring.cost,
                now - opened,
            )
        )
        self.exits.draw(rep)
        yield self.env.timeout(hiring.bootcamp)
        if not self.roster.employs(rep):
            return  # left during the bootcamp
        self.roster.tick()
        rep.active = True
        self.roster.refresh(rep)
        self.organisation.teams[role].join(rep)
        if role is Role.CSM:
            self.customers.join(rep)
        self.roster.tick()

    def _accepts(self, role: Role, ability: float, level: float) -> bool:
        """Whether a candidate of ``ability`` takes an offer at ``level`` x market pay.

        Off a plan the offer is a salary; on one, the plan's pay at the candidate's own
        ability (attainment ``a / mean ability``). Either is weighed against what the
        candidate's ability earns elsewhere (``sorting``).
        """
        sorting = self.scenario.workforce.sorting
        if not sorting.enabled:
            return True
        spec = self.scenario.roles.of(role)
        pay = self.incentives.expected_pay(role, relative_ability(ability, spec))
        if pay is None:
            pay = level * spec.market_pay
        chance = acceptance_chance(
            pay, outside_option(spec, ability), sorting.acceptance_elasticity
        )
        return chance >= 1.0 or self._answers[role]() < chance


def offer(spec: RoleSpec) -> float:
    """Pay as a multiple of market pay: the role's set ``pay`` if any, else the hiring offer."""
    return spec.pay / spec.market_pay if spec.pay is not None else spec.hiring.offer


def tier_cuts(scenario: Scenario, role: Role, streams: Streams) -> tuple[float, float]:
    """The ability below which a rep of ``role`` is a laggard, and above which a star."""
    sample = scenario.roles.of(role).skill.draw(
        streams.generator(f"people/{role.value}/tiers"), TIER_SAMPLE
    )
    low, high = scenario.workforce.tiers
    return float(np.quantile(sample, low)), float(np.quantile(sample, high))
