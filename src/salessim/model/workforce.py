"""The workforce: hiring, ramp, learning, morale, exits and performance plans.

Reps are employed from their hire date (bootcamp first, off the team) until they leave.
Every month end the workforce closes each rep's credit for the month, spends the
managers' time, develops skill (``development``), recognises the month's best reps,
moves morale, runs performance plans, schedules the exits the hazard draws
(``attrition``) at continuous times within the coming month, opens requisitions up to
the target headcount, and refreshes each rep's ramp, speed and skill. A leaver's
waiting work, open deals and accounts go to teammates; some deals are lost on the way.

Staff lists are sorted by id (reps are appended as they are hired), so finding a rep in
them is a binary search. Ramped capacity is summed again, in roster order, only for the
roles whose reps changed since the last sum.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque
from collections.abc import Generator

import numpy as np
import simpy

from salessim.model.attrition import exit_hazards
from salessim.model.calendar import Calendar
from salessim.model.customers import CustomerBook
from salessim.model.development import (
    MIN_PRODUCTIVITY,
    clip_morale,
    develop,
    morale_target,
    refresh_skill,
    tier_of,
)
from salessim.model.entities import Rep
from salessim.model.events import (
    Bus,
    ExitKind,
    PlanEnded,
    PlanStarted,
    RepHired,
    RepLeft,
    TrainingHeld,
)
from salessim.model.funnel import Funnel
from salessim.model.managers import ManagerDesk
from salessim.model.organisation import Organisation, rep_speed
from salessim.model.pay.payroll import Payroll
from salessim.model.pay.periods import credit_lag
from salessim.model.streams import Streams
from salessim.model.teams import BY_ID, index_of
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.people import Backfill, GrowthStep, Tier
from salessim.scenario.roles import RoleSpec
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK

TIER_SAMPLE = 20_000  # draws used to find a role's ability quantiles
CONTAGION_MONTHS = 3


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
    ) -> None:
        self.env = env
        self.payroll = payroll
        self.calendar = calendar
        self.bus = bus
        self.streams = streams
        self.organisation = organisation
        self.funnel = funnel
        self.customers = customers
        self.managers = ManagerDesk(scenario.roles.manager)
        self.staff: dict[Role, list[Rep]] = {role: [] for role in WORKING_ROLES}
        self.open_requisitions = dict.fromkeys(WORKING_ROLES, 0)
        self.target = {role: scenario.roles.of(role).headcount for role in WORKING_ROLES}
        self.headcount_factor = 1.0  # budget cuts: targets are this multiple of the plan
        self.departures: dict[Role, deque[int]] = {
            role: deque([0] * CONTAGION_MONTHS, maxlen=CONTAGION_MONTHS) for role in WORKING_ROLES
        }
        self.ramped_area = dict.fromkeys(WORKING_ROLES, 0.0)
        self.headcount_area = dict.fromkeys(WORKING_ROLES, 0.0)
        self._capacity = dict.fromkeys(WORKING_ROLES, 0.0)
        self._headcount = dict.fromkeys(WORKING_ROLES, 0)
        self._stale: set[Role] = set(WORKING_ROLES)  # roles whose capacity needs a new sum
        self._capacity_since = env.now
        self.coaching_hours = 0.0
        self._deals_seen = 0
        self._growth_step: dict[Role, GrowthStep] = {}
        self._month_start = env.now
        self._next_training: float | None = None
        self._cuts = {role: self._tier_cuts(scenario, role) for role in WORKING_ROLES}
        self._uniform = streams.uniforms("people/reassignment")
        self.configure(scenario)
        self._seed_roster(scenario)

    # ------------------------------------------------------------------ setup
    def configure(self, scenario: Scenario) -> None:
        """Take people parameters and policies from ``scenario`` from now on."""
        self.scenario = scenario
        self.enabled = scenario.workforce.enabled
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
        self._credit_lag = {role: credit_lag(scenario, role) for role in WORKING_ROLES}
        training = scenario.policies.training
        if training.every > 0 and self._next_training is None:
            self._next_training = self.env.now + training.every
        elif training.every == 0:
            self._next_training = None
        for role in WORKING_ROLES:
            pay = scenario.roles.of(role).pay
            for rep in self.staff[role]:
                if pay is not None:
                    rep.pay = pay
                self._refresh(rep)

    def _tier_cuts(self, scenario: Scenario, role: Role) -> tuple[float, float]:
        sample = scenario.roles.of(role).skill.draw(
            self.streams.generator(f"people/{role.value}/tiers"), TIER_SAMPLE
        )
        low, high = scenario.workforce.tiers
        return float(np.quantile(sample, low)), float(np.quantile(sample, high))

    def _seed_roster(self, scenario: Scenario) -> None:
        """Give the starting reps a tenure, a tier, pay and a manager."""
        now = self.env.now
        for role in WORKING_ROLES:
            spec = scenario.roles.of(role)
            tenure = self.streams.sampler(
                f"people/{role.value}/initial_tenure", spec.attrition.initial_tenure
            )
            for rep in self.organisation.teams[role].reps:
                rep.ability = rep.skill
                rep.tier = tier_of(rep.ability, self._cuts[role])
                rep.pay = offer(spec) * spec.market_pay
                rep.rng = self._private_stream(rep)
                if self.enabled:
                    rep.hired_at = now - tenure()
                    rep.joined_at = rep.hired_at + spec.hiring.bootcamp
                self.managers.assign(rep)
                self.staff[role].append(rep)
                self._refresh(rep)
        self._tick_capacity()
        if self.enabled:
            for rep in self._everyone():
                self._draw_exit(rep)

    def _private_stream(self, rep: Rep) -> np.random.Generator:
        """A stream of the rep's own: adding a rep never shifts another's draws."""
        return self.streams.private(f"rep/{rep.id}")

    # ------------------------------------------------------------------ queries
    def _everyone(self) -> list[Rep]:
        return [rep for role in WORKING_ROLES for rep in self.staff[role]]

    def headcount(self) -> dict[str, int]:
        """Employed reps per role, bootcamp included."""
        return {role.value: len(self.staff[role]) for role in WORKING_ROLES}

    def ramped_capacity(self) -> dict[str, float]:
        """Time integral of the sum of reps' productivity, per role, up to now."""
        self._tick_capacity()
        return {role.value: area for role, area in self.ramped_area.items()}

    def headcount_areas(self) -> dict[str, float]:
        """Time integral of employed reps, per role, up to now."""
        self._tick_capacity()
        return {role.value: area for role, area in self.headcount_area.items()}

    def capacity(self, role: Role) -> float:
        """Ramped capacity now: the sum of productivity over the role's reps on the team."""
        return self._capacity[role]

    def _tick_capacity(self) -> None:
        now = self.env.now
        elapsed = now - self._capacity_since
        for role in WORKING_ROLES:
            if elapsed:
                self.ramped_area[role] += self._capacity[role] * elapsed
                self.headcount_area[role] += self._headcount[role] * elapsed
            self._headcount[role] = len(self.staff[role])
            if role in self._stale:
                staff = self.staff[role]
                self._capacity[role] = sum(rep.productivity for rep in staff if rep.active)
        self._stale.clear()
        self._capacity_since = now

    def _employs(self, rep: Rep) -> bool:
        """Whether ``rep`` is employed now."""
        return index_of(self.staff[rep.role], rep) is not None

    def spec(self, role: Role) -> RoleSpec:
        """The scenario's spec of ``role``."""
        return self.scenario.roles.of(role)

    # ------------------------------------------------------------------ ramp and speed
    def _refresh(self, rep: Rep, training_hours: float = 0.0) -> None:
        """Productivity for the coming month (its midpoint), then speed and skill."""
        spec = self.spec(rep.role)
        self._stale.add(rep.role)
        before = rep.productivity
        if self.enabled:
            since_join = self.env.now - rep.joined_at + DAYS_PER_MONTH / 2
            rep.productivity = spec.ramp.productivity(max(0.0, since_join)) if rep.active else 0.0
        else:
            rep.productivity = 1.0
        if rep.productivity != before:
            self.organisation.teams[rep.role].rerank(rep)  # routing ranks by productivity
        rep.full_speed = rep_speed(spec.hours_per_week, spec.selling_share)
        rep.speed = rep.full_speed * max(MIN_PRODUCTIVITY, rep.productivity)
        if self.enabled:
            rep.speed *= self._time_left_share(spec, training_hours)
        refresh_skill(rep, spec.ramp, self.scenario.funnel.conversion.skill_elasticity)
        if rep.effort != 1.0 or rep.care_share:
            effort = self.scenario.behaviour.effort
            rep.speed *= rep.effort**effort.speed_elasticity * (1 - rep.care_share)
            rep.skill_odds *= rep.effort**effort.odds_elasticity

    def _time_left_share(self, spec: RoleSpec, training_hours: float) -> float:
        """Share of working time left after team meetings, one-to-ones and training."""
        time = self.scenario.roles.manager.time
        weekly = (
            time.team_meeting_hours_per_week
            + time.one_to_one_hours_per_rep_per_month * DAYS_PER_WEEK / DAYS_PER_MONTH
            + training_hours * DAYS_PER_WEEK / DAYS_PER_MONTH
        )
        return max(0.0, 1 - weekly / spec.hours_per_week)

    # ------------------------------------------------------------------ credit
    def close_credit_month(self, days: float) -> None:
        """Push each rep's credit and quota base for the month into its trailing year.

        The quota ramps like the rep, delayed by the role's credit lag: work done in a
        month earns credit only when its deals close, a sales cycle later.
        """
        middle = self.env.now - days / 2
        for role in WORKING_ROLES:
            spec, lag = self.spec(role), self._credit_lag[role]
            for rep in self.staff[role]:
                if rep.quota and rep.quota_measure is not None and not rep.quota_measure.is_ratio:
                    if rep.joined_at <= 0 or not self.enabled:
                        # The starting roster: nothing can close before the pipeline fills.
                        share = 1.0 if middle >= lag else 0.0
                    else:
                        since = middle - rep.joined_at - lag
                        share = spec.ramp.productivity(since) if since > 0 else 0.0
                    rep.month_base += rep.quota * days / (12 * DAYS_PER_MONTH) * share
                rep.credits.append(rep.month_credit)
                rep.bases.append(rep.month_base)
                rep.month_credit = rep.month_base = 0.0

    # ------------------------------------------------------------------ the month
    def month_end(self) -> None:
        """Run the month's people processes (see the module docstring)."""
        now = self.env.now
        days = now - self._month_start
        self._month_start = now
        self._tick_capacity()
        self.close_credit_month(days)
        if not self.enabled or days <= 0:
            for rep in self._everyone():
                self._refresh(rep)  # effort and care may have changed
            return
        everyone = self._everyone()
        scenario = self.scenario
        # Sessions happen at month ends: one is held at the month end nearest its due date.
        training_due = (
            self._next_training is not None and self._next_training <= now + DAYS_PER_MONTH / 2
        )
        trained = [rep for rep in everyone if rep.active] if training_due else []
        self.managers.month(
            everyone,
            days,
            now,
            scenario.policies.coaching,
            self._manager_demands(days, bool(trained)),
        )
        for rep in everyone:
            utilisation = (rep.busy_days - rep.busy_mark) / days
            rep.busy_mark = rep.busy_days
            develop(rep, utilisation, rep.coached_hours, scenario.workforce)
            self.coaching_hours += rep.coached_hours
        if trained:
            self._train(trained)
        self._recognise(everyone)
        self._move_morale(everyone)
        self._review_plans(everyone)
        self._draw_exits()
        self._staff_up()
        training_hours = scenario.policies.training.hours if trained else 0.0
        for role in WORKING_ROLES:
            self.departures[role].append(0)
            for rep in self.staff[role]:
                self._refresh(rep, training_hours)
        self._tick_capacity()

    def _manager_demands(self, days: float, training: bool) -> dict[str, float]:
        months = days / DAYS_PER_MONTH
        hiring = 0.0
        for role in WORKING_ROLES:
            hiring_spec = self.spec(role).hiring
            search_months = max(1.0, hiring_spec.time_to_hire.mean / DAYS_PER_MONTH)
            hiring += self.open_requisitions[role] * hiring_spec.interview_hours / search_months
        deals = self.funnel.closed_deals - self._deals_seen
        self._deals_seen = self.funnel.closed_deals
        time = self.scenario.roles.manager.time
        return {
            "hiring": hiring * months,
            "deal_support": deals * time.deal_support_hours_per_deal,
            "training": self.scenario.policies.training.delivery_hours if training else 0.0,
        }

    def _train(self, trained: list[Rep]) -> None:
        training = self.scenario.policies.training
        for rep in trained:
            rep.uplift += training.skill_gain
        assert self._next_training is not None
        self._next_training += training.every
        cost = training.cost_per_rep * len(trained)
        self.bus.emit(TrainingHeld(self.env.now, len(trained), cost))

    def _recognise(self, everyone: list[Rep]) -> None:
        count = self.scenario.policies.recognition.per_team_per_month
        if count == 0:
            return
        boost = self.scenario.workforce.morale.recognition_boost
        teams: dict[int, list[Rep]] = {}
        for rep in everyone:
            if rep.bases[-1] > 0 and rep.credits[-1] > 0:
                teams.setdefault(rep.manager, []).append(rep)
        for manager in range(max(1, self.managers.count)):
            team = teams.get(manager, [])
            team.sort(key=lambda rep: (-rep.credits[-1] / rep.bases[-1], rep.id))
            for rep in team[:count]:
                rep.morale = clip_morale(rep.morale + boost)

    def _move_morale(self, everyone: list[Rep]) -> None:
        workforce = self.scenario.workforce
        spec, ref = workforce.morale, workforce.hazard.attention_reference_hours
        for rep in everyone:
            target = morale_target(rep.attainment(), rep.attention_hours, spec, ref)
            target = clip_morale(target + rep.pay_feeling)
            team_size = max(1, len(self.staff[rep.role]))
            shock = spec.departure_shock * self.departures[rep.role][-1] / team_size
            rep.morale = clip_morale(rep.morale + spec.reversion * (target - rep.morale) - shock)

    # ------------------------------------------------------------------ performance plans
    def _review_plans(self, everyone: list[Rep]) -> None:
        policy = self.scenario.policies.performance
        if not policy.enabled:
            return
        now = self.env.now
        for rep in everyone:
            attainment = rep.attainment()
            if rep.plan_until is not None:
                if rep.plan_until <= now + 1e-9:
                    during = rep.recent_attainment(policy.plan_months)
                    restored = during is None or during >= policy.restore_at
                    rep.plan_until = None
                    self.bus.emit(PlanEnded(now, rep.id, rep.role, rep.manager, restored))
                    if not restored:
                        self.leave(rep, involuntary=True, cost=policy.exit_cost)
            elif (
                attainment is not None
                and attainment < policy.threshold
                and (rep.recent_attainment(policy.plan_months) or 0.0) < policy.threshold
                and rep.tenure(now) >= policy.min_tenure
            ):
                self.start_plan(rep)

    # ------------------------------------------------------------------ exits
    def _draw_exits(self) -> None:
        """Draw every employed rep's exit, if any, before the next month end."""
        for role in WORKING_ROLES:
            for rep in list(self.staff[role]):
                self._draw_exit(rep)

    def _draw_exit(self, rep: Rep) -> None:
        """Draw ``rep``'s exit time under its hazard now; schedule it if before the month end.

        Called at each month end and when a rep appears (hired or in the starting roster),
        so the hazard is piecewise constant over each rep's whole employment.
        """
        now = self.env.now
        until = self.calendar.month_start(self.calendar.month_index(now) + 1) - now
        spec = self.spec(rep.role)
        recent = sum(self.departures[rep.role]) / max(1, len(self.staff[rep.role]))
        voluntary, involuntary = exit_hazards(
            rep, now, spec.attrition, spec.market_pay, self.scenario.workforce, recent
        )
        total = voluntary + involuntary
        assert rep.rng is not None
        wait = rep.rng.standard_exponential() / total if total > 0 else math.inf
        u = rep.rng.random()
        if wait < until:
            self._schedule_exit(rep, wait, u >= voluntary / total)

    def _schedule_exit(self, rep: Rep, wait: float, involuntary: bool) -> None:
        def go(_event: simpy.Event) -> None:
            if self._employs(rep):
                self.leave(rep, involuntary=involuntary)

        self.env.timeout(wait).callbacks.append(go)  # type: ignore[union-attr]

    def leave(self, rep: Rep, *, involuntary: bool, cost: float = 0.0) -> None:
        """``rep`` leaves now: hand over its work, record the exit, open a backfill."""
        self._tick_capacity()
        role = rep.role
        staff = self.staff[role]
        at = index_of(staff, rep)
        if at is None:
            raise ValueError(f"{rep!r} is not employed")
        del staff[at]
        self.managers.release(rep)
        self._stale.add(role)
        attainment = rep.attainment()
        regretted = not involuntary and (
            rep.tier is Tier.STAR or (attainment is not None and attainment >= 1.0)
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
                ExitKind.INVOLUNTARY if involuntary else ExitKind.VOLUNTARY,
                regretted,
                rep.tenure(now),
                attainment,
                cost,
            )
        )
        self._backfill(role)
        self._tick_capacity()

    # ------------------------------------------------------------------ hiring
    def _backfill(self, role: Role) -> None:
        staffing = self.scenario.policies.staffing
        if staffing.backfill is Backfill.FREEZE:
            self.target[role] = max(0, self.target[role] - 1)
            return
        if self.headcount_factor != 1.0 and self._room(role) <= 0:
            return  # a budget cut: the seat waits until headcount is under the target
        delay = staffing.backfill_delay if staffing.backfill is Backfill.DELAYED else 0.0
        self._open_requisition(role, delay)

    def _open_requisition(self, role: Role, delay: float, level: float | None = None) -> None:
        self.open_requisitions[role] += 1
        self.env.process(self._recruit(role, delay, level))

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

    def _room(self, role: Role) -> int:
        """Seats to fill: the target (after budget cuts) less the staff and open searches."""
        target = round(self.target[role] * self.headcount_factor)
        return target - len(self.staff[role]) - self.open_requisitions[role]

    def employed(self, rep_id: int) -> Rep | None:
        """The employed rep with id ``rep_id``, if any (a search of each role's staff)."""
        for staff in self.staff.values():
            at = bisect_left(staff, rep_id, key=BY_ID)
            if at < len(staff) and staff[at].id == rep_id:
                return staff[at]
        return None

    def start_plan(self, rep: Rep) -> None:
        """Put ``rep`` on a performance plan now (as the performance policy would)."""
        policy = self.scenario.policies.performance
        rep.plan_until = self.env.now + policy.plan_months * DAYS_PER_MONTH - 1
        rep.morale = clip_morale(rep.morale - self.scenario.workforce.morale.plan_shock)
        self.bus.emit(PlanStarted(self.env.now, rep.id, rep.role, rep.manager))

    def _staff_up(self) -> None:
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

    def _recruit(
        self, role: Role, delay: float, level: float | None = None
    ) -> Generator[simpy.Event, None, None]:
        opened = self.env.now
        yield self.env.timeout(delay + self._hire_time[role]())
        spec = self.spec(role)
        hiring = spec.hiring
        self.open_requisitions[role] -= 1
        level = offer(spec) if level is None else level
        ability = self._candidates[role]() * level**hiring.quality_elasticity
        rep = self.organisation.new_rep(role, ability, 1.0, spec)
        rep.ability = ability
        rep.tier = tier_of(rep.ability, self._cuts[role])
        rep.pay = level * spec.market_pay
        rep.experience = self.scenario.workforce.learning.start
        rep.hired_at = self.env.now
        rep.joined_at = self.env.now + hiring.bootcamp
        rep.active = False
        rep.rng = self._private_stream(rep)
        self.managers.assign(rep)
        self.staff[role].append(rep)
        self._refresh(rep)
        self.payroll.enrol(rep)
        now = self.env.now
        self.bus.emit(
            RepHired(now, rep.id, role, rep.manager, rep.tier, rep.pay, hiring.cost, now - opened)
        )
        self._draw_exit(rep)
        yield self.env.timeout(hiring.bootcamp)
        if not self._employs(rep):
            return  # left during the bootcamp
        self._tick_capacity()
        rep.active = True
        self._refresh(rep)
        self.organisation.teams[role].join(rep)
        if role is Role.CSM:
            self.customers.join(rep)
        self._tick_capacity()


def offer(spec: RoleSpec) -> float:
    """Pay as a multiple of market pay: the role's set ``pay`` if any, else the hiring offer."""
    return spec.pay / spec.market_pay if spec.pay is not None else spec.hiring.offer
