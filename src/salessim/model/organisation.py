"""The organisation: reps of every working role, grouped into teams.

Headcount is fixed for now; hiring and attrition will add and remove reps here.
A rep's speed is the share of calendar time spent on queued work: work of ``w`` days
at full speed takes ``w / speed`` days of the rep's time.
"""

from __future__ import annotations

import simpy

from salessim.model.entities import Rep
from salessim.model.streams import Streams
from salessim.model.teams import Team
from salessim.policies.routing import make_routing
from salessim.scenario.schema import WORKING_ROLES, Ownership, Role, Scenario

HOURS_PER_WEEK = 168.0


def rep_speed(hours_per_week: float, selling_share: float) -> float:
    """Share of calendar time a rep spends on queued work."""
    return hours_per_week * selling_share / HOURS_PER_WEEK


class Organisation:
    """Every rep, by role, and the team each role works in."""

    def __init__(self, env: simpy.Environment, streams: Streams, scenario: Scenario) -> None:
        self.env = env
        self.streams = streams
        self.teams: dict[Role, Team] = {}
        next_id = 0
        elasticity = scenario.funnel.conversion.skill_elasticity
        for role in WORKING_ROLES:
            spec = scenario.roles.of(role)
            skill = streams.sampler(f"reps/{role.value}/skill", spec.skill)
            speed = rep_speed(spec.hours_per_week, spec.selling_share)
            reps = []
            for _ in range(spec.headcount):
                next_id += 1
                ability = skill()
                reps.append(Rep(next_id, role, ability, ability**elasticity, speed, env.now))
            routing = make_routing(
                scenario.policies.routing.of(role),
                streams.uniforms(f"routing/{role.value}"),
            )
            self.teams[role] = Team(env, reps, routing, sticky=self._sticky(role, scenario))

    @staticmethod
    def _sticky(role: Role, scenario: Scenario) -> bool:
        if role is Role.AE:
            return scenario.policies.deal_ownership is Ownership.STICKY
        return role is Role.CSM

    def headcount(self) -> dict[str, int]:
        """Reps per working role."""
        return {role.value: len(team.reps) for role, team in self.teams.items()}

    def reconfigure(self, scenario: Scenario) -> None:
        """Take new routing policies and working time from ``scenario``."""
        for role, team in self.teams.items():
            team.set_routing(
                make_routing(
                    scenario.policies.routing.of(role),
                    self.streams.uniforms(f"routing/{role.value}"),
                )
            )
            team.sticky = self._sticky(role, scenario)
            spec = scenario.roles.of(role)
            for rep in team.reps:
                rep.speed = rep_speed(spec.hours_per_week, spec.selling_share)
