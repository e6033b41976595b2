"""The roster: every employed rep by role, its growth, ramp and speed, and their capacity.

A rep is on the roster from its hire date (bootcamp included) until it leaves. Staff lists
are sorted by id (reps are appended as they are hired), so finding a rep in them is a
binary search. Each month a rep's productivity is read off its ramp at the month's
middle, and its speed and skill follow. Ramped capacity is summed again, in roster order,
only for the roles whose reps changed since the last sum; its time integral and that of
headcount are kept per role.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import simpy

from salessim.model.behaviour import Incentives
from salessim.model.development import MIN_PRODUCTIVITY, Growth, refresh_skill
from salessim.model.entities import Rep
from salessim.model.organisation import Organisation, rep_speed
from salessim.model.sorting import relative_ability
from salessim.model.teams import BY_ID, index_of
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.roles import RoleSpec
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK


class Roster:
    """The employed reps of each working role, their speed for the month, and capacity."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        organisation: Organisation,
        incentives: Incentives,
    ) -> None:
        """The roster of ``organisation``'s reps; ``incentives`` sets their effort and care."""
        self.env = env
        self.organisation = organisation
        self.incentives = incentives
        self.staff: dict[Role, list[Rep]] = {role: [] for role in WORKING_ROLES}
        self.growth: dict[int, Growth] = {}  # each employed rep's, by id
        self.ramped_area = dict.fromkeys(WORKING_ROLES, 0.0)  # capacity-days since day 0
        self.headcount_area = dict.fromkeys(WORKING_ROLES, 0.0)  # rep-days since day 0
        self._capacity = dict.fromkeys(WORKING_ROLES, 0.0)
        self._headcount = dict.fromkeys(WORKING_ROLES, 0)
        self._stale: set[Role] = set(WORKING_ROLES)  # roles whose capacity needs a new sum
        self._capacity_since = env.now
        self.configure(scenario)

    def configure(self, scenario: Scenario) -> None:
        """Take pay, working time and ramps from ``scenario`` from now on."""
        self.scenario = scenario
        self.enabled = scenario.workforce.enabled
        for role in WORKING_ROLES:
            pay = scenario.roles.of(role).pay
            for rep in self.staff[role]:
                if pay is not None:
                    rep.pay = pay
                self.refresh(rep)

    # ------------------------------------------------------------------ who is employed
    def add(self, rep: Rep, growth: Growth) -> None:
        """``rep``, of ``growth``, is employed from now on (it has the highest id yet)."""
        self.staff[rep.role].append(rep)
        self.growth[rep.id] = growth
        self.refresh(rep)

    def remove(self, rep: Rep) -> None:
        """``rep`` is employed no more.

        Raises:
            ValueError: ``rep`` is not employed.
        """
        staff = self.staff[rep.role]
        at = index_of(staff, rep)
        if at is None:
            raise ValueError(f"{rep!r} is not employed")
        del staff[at]
        del self.growth[rep.id]
        self._stale.add(rep.role)

    def relative_ability(self, rep: Rep) -> float:
        """``rep``'s latent ability over its role's mean (1: a typical rep)."""
        return relative_ability(self.growth[rep.id].ability, self.scenario.roles.of(rep.role))

    def ability_mean(self) -> float:
        """The mean relative ability of everyone employed (NaN: nobody)."""
        staff = self.everyone()
        return sum(map(self.relative_ability, staff)) / len(staff) if staff else math.nan

    def everyone(self) -> list[Rep]:
        """Every employed rep, role by role, by id."""
        return [rep for role in WORKING_ROLES for rep in self.staff[role]]

    def employs(self, rep: Rep) -> bool:
        """Whether ``rep`` is employed now."""
        return index_of(self.staff[rep.role], rep) is not None

    def employed(self, rep_id: int) -> Rep | None:
        """The employed rep with id ``rep_id``, if any (a search of each role's staff)."""
        for staff in self.staff.values():
            at = bisect_left(staff, rep_id, key=BY_ID)
            if at < len(staff) and staff[at].id == rep_id:
                return staff[at]
        return None

    # ------------------------------------------------------------------ capacity
    def headcount(self) -> dict[str, int]:
        """Employed reps per role, bootcamp included."""
        return {role.value: len(self.staff[role]) for role in WORKING_ROLES}

    def ramped_capacity(self) -> dict[str, float]:
        """Time integral of the sum of reps' productivity, per role, up to now (a pure read)."""
        elapsed = self.env.now - self._capacity_since
        return {
            role.value: area + self._capacity[role] * elapsed
            for role, area in self.ramped_area.items()
        }

    def headcount_areas(self) -> dict[str, float]:
        """Time integral of employed reps, per role, up to now (a pure read)."""
        elapsed = self.env.now - self._capacity_since
        return {
            role.value: area + self._headcount[role] * elapsed
            for role, area in self.headcount_area.items()
        }

    def capacity(self, role: Role) -> float:
        """Ramped capacity now: the sum of productivity over the role's reps on the team."""
        return self._capacity[role]

    def tick(self) -> None:
        """Bring the capacity and headcount integrals up to now, then re-sum what changed."""
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

    # ------------------------------------------------------------------ ramp and speed
    def refresh_all(self, training_hours: float = 0.0) -> None:
        """Refresh every employed rep for the coming month (see ``refresh``)."""
        for role in WORKING_ROLES:
            for rep in self.staff[role]:
                self.refresh(rep, training_hours)

    def refresh(self, rep: Rep, training_hours: float = 0.0) -> None:
        """Productivity for the coming month (its midpoint), then speed and skill.

        ``training_hours`` is the time the rep spends in training this month.
        """
        spec = self.scenario.roles.of(rep.role)
        self._stale.add(rep.role)
        before = rep.productivity
        if self.enabled:
            ramped = self.env.now - rep.joined_at + self.growth[rep.id].ramp_bonus
            since_join = ramped + DAYS_PER_MONTH / 2
            rep.productivity = spec.ramp.productivity(max(0.0, since_join)) if rep.active else 0.0
        else:
            rep.productivity = 1.0
        if rep.productivity != before:
            self.organisation.teams[rep.role].rerank(rep)  # routing ranks by productivity
        rep.full_speed = rep_speed(spec.hours_per_week, spec.selling_share)
        rep.speed = rep.full_speed * max(MIN_PRODUCTIVITY, rep.productivity)
        if self.enabled:
            rep.speed *= self._time_left_share(spec, training_hours)
        elasticity = self.scenario.funnel.conversion.skill_elasticity
        refresh_skill(rep, self.growth[rep.id], spec.ramp, elasticity)
        drive = self.incentives.drive(rep.id)
        if drive.effort != 1.0 or drive.care_share:
            effort = self.scenario.behaviour.effort
            rep.speed *= drive.effort**effort.speed_elasticity * (1 - drive.care_share)
            rep.skill_odds *= drive.effort**effort.odds_elasticity

    def _time_left_share(self, spec: RoleSpec, training_hours: float) -> float:
        """Share of working time left after team meetings, one-to-ones and training."""
        time = self.scenario.roles.manager.time
        weekly = (
            time.team_meeting_hours_per_week
            + time.one_to_one_hours_per_rep_per_month * DAYS_PER_WEEK / DAYS_PER_MONTH
            + training_hours * DAYS_PER_WEEK / DAYS_PER_MONTH
        )
        return max(0.0, 1 - weekly / spec.hours_per_week)
