"""The plans in force: which plan each role is on today, and whether anyone is paid.

``compensation.assign`` puts roles on plans from the start; ``compensation.changes``
moves them from a date. A scenario change mid-run replaces the terms (``configure``).
"""

from __future__ import annotations

import simpy

from salessim.model.calendar import Calendar
from salessim.scenario.base import Role
from salessim.scenario.compensation import Compensation
from salessim.scenario.plans import Plan


class Terms:
    """The scenario's plans by name and the role assignments in force."""

    def __init__(
        self, calendar: Calendar, env: simpy.Environment, compensation: Compensation
    ) -> None:
        self.calendar = calendar
        self.env = env
        self.configure(compensation)

    def configure(self, compensation: Compensation) -> None:
        """Take the plans and assignments of ``compensation``."""
        self.compensation = compensation
        self.plans: dict[str, Plan] = compensation.plans
        self.active = bool(compensation.assign) or bool(compensation.changes)  # anyone, ever

    def uses(self, role: Role) -> bool:
        """Whether ``role`` is ever on a plan."""
        pay = self.compensation
        return role.value in pay.assign or any(role.value in c.assign for c in pay.changes)

    def plan_name_for(self, role: Role) -> str | None:
        """The plan ``role`` should be on today (the last change in force, else assign)."""
        today = self.calendar.date(self.env.now)
        name = self.compensation.assign.get(role.value)
        for change in self.compensation.changes:
            if change.at <= today and role.value in change.assign:
                name = change.assign[role.value]
        return name
