"""The organisation: reps of every working role, grouped into teams.

The organisation draws the starting reps of every working role; the funnel and the
customer book each form the teams whose work they handle (``form_team``). The workforce
hires reps through ``new_rep`` and moves them on and off their teams.
A rep's speed is the share of calendar time spent on queued work: work of ``w`` days
at full speed takes ``w / speed`` days of the rep's time.
"""

from __future__ import annotations

import simpy

from salessim.model.entities import Rep
from salessim.model.streams import Streams
from salessim.model.teams import Handler, Team
from salessim.policies.routing import make_routing
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.policies import Ownership
from salessim.scenario.roles import RoleSpec
from salessim.scenario.schema import Scenario
from salessim.scenario.units import HOURS_PER_WEEK


def rep_speed(hours_per_week: float, selling_share: float) -> float:
    """Share of calendar time a rep spends on queued work."""
    return hours_per_week * selling_share / HOURS_PER_WEEK


class Organisation:
    """Every rep, by role, and the team each role works in."""

    def __init__(self, env: simpy.Environment, streams: Streams, scenario: Scenario) -> None:
        self.env = env
        self.streams = streams
        self.scenario = scenario
        self.teams: dict[Role, Team] = {}  # formed by the teams' handlers
        self.last_id = 0
        self._starting: dict[Role, list[Rep]] = {}
        elasticity = scenario.funnel.conversion.skill_elasticity
        for role in WORKING_ROLES:
            spec = scenario.roles.of(role)
            skill = streams.sampler(f"reps/{role.value}/skill", spec.skill)
            reps = []
            for _ in range(spec.headcount):
                ability = skill()
                reps.append(self.new_rep(role, ability, ability**elasticity, spec))
            self._starting[role] = reps

    def form_team(self, role: Role, handler: Handler) -> Team:
        """The team of ``role``'s starting reps, whose work ``handler`` handles."""
        scenario = self.scenario
        routing = make_routing(
            scenario.policies.routing.of(role), self.streams.uniforms(f"routing/{role.value}")
        )
        team = Team(
            self.env,
            self._starting.pop(role),
            routing,
            handler,
            sticky=self._sticky(role, scenario),
        )
        self.teams[role] = team
        return team

    def new_rep(self, role: Role, skill: float, skill_odds: float, spec: RoleSpec) -> Rep:
        """A rep with the next id, not yet on any team."""
        self.last_id += 1
        speed = rep_speed(spec.hours_per_week, spec.selling_share)
        return Rep(self.last_id, role, skill, skill_odds, speed, self.env.now)

    @staticmethod
    def _sticky(role: Role, scenario: Scenario) -> bool:
        if role is Role.AE:
            return scenario.policies.deal_ownership is Ownership.STICKY
        return role is Role.CSM

    def reconfigure(self, scenario: Scenario) -> None:
        """Take new routing policies from ``scenario`` (the workforce sets speeds)."""
        self.scenario = scenario
        for role, team in self.teams.items():
            team.set_routing(
                make_routing(
                    scenario.policies.routing.of(role),
                    self.streams.uniforms(f"routing/{role.value}"),
                )
            )
            team.sticky = self._sticky(role, scenario)
