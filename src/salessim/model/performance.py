"""Performance plans: reps falling short go on a plan, and are restored or let go at its end.

At each month end (``policies.performance``), a rep with at least ``min_tenure`` whose
attainment is under ``threshold`` both over the trailing year and over the last
``plan_months`` goes on a plan for ``plan_months`` (morale takes ``plan_shock``). When
the plan ends, a rep reaching ``restore_at`` over the plan's months is restored; the
others are let go, an involuntary exit costing ``exit_cost``.
"""

from __future__ import annotations

from collections.abc import Mapping

import simpy

from salessim.model.development import clip_morale
from salessim.model.entities import Rep
from salessim.model.events import Bus, ExitKind, PlanEnded, PlanStarted
from salessim.model.exits import Leave
from salessim.model.pay.standing import Standing
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH

END_TOLERANCE_DAYS = 1e-9  # a plan due this close to now has ended


class PerformancePlans:
    """Starts and ends performance plans; a failed plan goes through ``leave``."""

    def __init__(
        self,
        env: simpy.Environment,
        bus: Bus,
        scenario: Scenario,
        standings: Mapping[int, Standing],
        leave: Leave,
    ) -> None:
        """Plans judged on ``standings`` (the payroll's, by rep id)."""
        self.env = env
        self.bus = bus
        self.standings = standings
        self._leave = leave
        self.until: dict[int, float] = {}  # the day each rep's plan ends, by rep id
        self.configure(scenario)

    def configure(self, scenario: Scenario) -> None:
        """Take the performance policy from ``scenario`` from now on."""
        self.scenario = scenario

    def review(self, everyone: list[Rep]) -> None:
        """End the plans that are due and start the ones the policy calls for."""
        policy = self.scenario.policies.performance
        if not policy.enabled:
            return
        now = self.env.now
        for rep in everyone:
            standing = self.standings[rep.id]
            attainment = standing.attainment()
            until = self.until.get(rep.id)
            if until is not None:
                if until <= now + END_TOLERANCE_DAYS:
                    during = standing.recent_attainment(policy.plan_months)
                    restored = during is None or during >= policy.restore_at
                    del self.until[rep.id]
                    self.bus.emit(PlanEnded(now, rep.id, rep.role, rep.manager, restored))
                    if not restored:
                        self._leave(rep, ExitKind.INVOLUNTARY, cost=policy.exit_cost)
            elif (
                attainment is not None
                and attainment < policy.threshold
                and (standing.recent_attainment(policy.plan_months) or 0.0) < policy.threshold
                and rep.tenure(now) >= policy.min_tenure
            ):
                self.start(rep)

    def on_plan(self, rep_id: int) -> bool:
        """Whether the rep ``rep_id`` is on a performance plan now."""
        return rep_id in self.until

    def forget(self, rep_id: int) -> None:
        """The rep ``rep_id`` has left: any plan of its ends with it."""
        self.until.pop(rep_id, None)

    def start(self, rep: Rep) -> None:
        """Put ``rep`` on a performance plan now (as the performance policy would)."""
        policy = self.scenario.policies.performance
        self.until[rep.id] = self.env.now + policy.plan_months * DAYS_PER_MONTH - 1
        rep.morale = clip_morale(rep.morale - self.scenario.workforce.morale.plan_shock)
        self.bus.emit(PlanStarted(self.env.now, rep.id, rep.role, rep.manager))
