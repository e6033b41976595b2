"""The compensation section: the pay plans and who is on them.

Plans (``plans``) are defined by name; ``compensation.assign`` puts each role on a plan;
``compensation.changes`` moves roles to other plans from a date, effective at the next
boundary of the plan's period. Measures are in ``measures``, the plan and its quota in
``plans``, the components that pay in ``pay_components``.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from salessim.scenario.base import Date, Frozen, Role
from salessim.scenario.plans import Plan


class PlanChange(Frozen):
    """From ``at``, move roles to other plans (each at its next period boundary)."""

    at: Date
    assign: dict[str, str] = Field(min_length=1)


class Compensation(Frozen):
    """The plans and who is on them."""

    plans: dict[str, Plan] = Field(default_factory=dict)
    assign: dict[str, str] = Field(
        default_factory=dict, description="Plan name per role (sdr, ae, specialist, csm, manager)."
    )
    changes: list[PlanChange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _assignments_exist(self) -> Compensation:
        problems = []
        for where, assign in [("assign", self.assign)] + [
            (f"changes[{i}].assign", change.assign) for i, change in enumerate(self.changes)
        ]:
            for role, name in assign.items():
                if role not in Role.__members__.values():
                    problems.append(
                        f"{where}: {role!r} is not a role ({', '.join(r.value for r in Role)})"
                    )
                elif name not in self.plans:
                    known = ", ".join(sorted(self.plans)) or "none defined"
                    problems.append(f"{where}.{role}: no plan named {name!r} ({known})")
                elif (plan_role := self.plans[name].role.value) != role:
                    problems.append(f"{where}.{role}: plan {name!r} is for the {plan_role} role")
        dates = [change.at for change in self.changes]
        if dates != sorted(dates):
            problems.append("changes must be in date order")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def plan_of(self, role: Role) -> Plan | None:
        """The plan ``role`` starts on, if any."""
        name = self.assign.get(role.value)
        return self.plans[name] if name is not None else None
