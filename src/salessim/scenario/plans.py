"""A pay plan: base salary, target incentive, quota and the components that pay.

A plan pays a ``base`` salary and a ``target_incentive`` at 100% of quota. The quota has
an amount a year (a ratio for the retention measures), a period (month, quarter, half or
year) and a measure. The components are in ``pay_components``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, model_validator

from salessim.scenario.base import Frozen, Money, Role
from salessim.scenario.measures import DEFAULT_MEASURE, ROLE_MEASURES, Measure, Period
from salessim.scenario.pay_components import Component, ComponentKind


class Quota(Frozen):
    """What a rep is asked to deliver: ``amount`` a year in ``measure``, per ``period``."""

    amount: Money = Field(description="Annual quota; for a ratio measure, the target ratio.")
    period: Period = Period.YEAR
    measure: Measure | None = Field(default=None, description="Defaults to the role's measure.")
    ramp_adjusted: bool = Field(
        default=True, description="Scale a ramping rep's period quota by the ramp."
    )


class Plan(Frozen):
    """Base pay, target incentive, quota and the components that pay the incentive."""

    role: Role
    base: Money
    target_incentive: Money
    quota: Quota
    components: list[Component] = Field(default_factory=list)

    @model_validator(mode="after")
    def _measures_fit_the_role(self) -> Plan:
        allowed = ROLE_MEASURES[self.role]
        problems = []
        for measure in self.measures_named():
            if measure not in allowed and self.role is not Role.MANAGER:
                problems.append(
                    f"a {self.role.value} is not credited with {measure.value} "
                    f"(use {', '.join(sorted(m.value for m in allowed))})"
                )
        for component in self.components:
            period = getattr(component.form, "period", None)
            if period is not None and period.months < self.quota.period.months:
                problems.append(
                    f"a {component.kind} period ({period.value}) cannot be shorter than the "
                    f"quota's ({self.quota.period.value})"
                )
        kinds = [component.kind for component in self.components]
        for single in (ComponentKind.CLAWBACK, ComponentKind.DRAW):
            if kinds.count(single) > 1:
                problems.append(f"a plan takes at most one {single}")
        for component in self.components:
            form = component.form
            counted = getattr(form, "measure", None)
            if (
                component.kind is not ComponentKind.TEAM
                and counted is not None
                and counted.is_ratio
            ):
                problems.append(
                    f"{component.kind} on {counted.value}: a ratio measure "
                    "counts only as the quota's measure"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def measures_named(self) -> list[Measure]:
        """Measures the plan names for its own credit (team measures are others')."""
        named = [self.quota_measure]
        for component in self.components:
            measure = getattr(component.form, "measure", None)
            if measure is not None and component.kind is not ComponentKind.TEAM:
                named.append(measure)
        return named

    def by_period(self) -> list[Plan]:
        """The plan split by the period each component is judged over, the quota's first.

        Each part keeps the plan's quota and target incentive a year, so a part's period
        quota and target are the year's share.
        """
        groups: dict[Period, list[Component]] = {self.quota.period: []}
        for component in self.components:
            period = getattr(component.form, "period", None) or self.quota.period
            groups.setdefault(period, []).append(component)
        return [
            self.model_copy(
                update={
                    "quota": self.quota.model_copy(update={"period": period}),
                    "components": components,
                }
            )
            for period, components in groups.items()
        ]

    @property
    def quota_measure(self) -> Measure:
        """The measure the quota counts."""
        return self.quota.measure or DEFAULT_MEASURE[self.role]

    @property
    def on_target_earnings(self) -> float:
        """Base plus target incentive."""
        return self.base + self.target_incentive

    @property
    def pay_mix(self) -> float:
        """Share of on-target earnings that is base salary."""
        ote = self.on_target_earnings
        return self.base / ote if ote else 1.0


def term_at(plans: Mapping[str, Plan], path: str) -> object | None:
    """The value at ``path`` under the plans, e.g. ``ae.components.0.commission.cap``.

    None when there is nothing at that path.
    """
    found: object = plans
    for part in path.split("."):
        if isinstance(found, Mapping):
            found = found.get(part)
        elif isinstance(found, list):
            found = found[int(part)] if part.isdigit() and int(part) < len(found) else None
        else:
            found = getattr(found, part, None)
    return found


def with_term(plans: Mapping[str, Plan], path: str, value: object) -> dict[str, Plan]:
    """The plans with the term at ``path`` (as for ``term_at``) set to ``value``.

    A typed copy, not validated: check the scenario it goes into as a whole.
    """
    name, *rest = path.split(".")
    return {**plans, name: _replaced(plans[name], rest, value)}


def _replaced(node: Any, parts: list[str], value: object) -> Any:
    if not parts:
        return value
    head, *tail = parts
    if isinstance(node, list):
        index = int(head)
        return [*node[:index], _replaced(node[index], tail, value), *node[index + 1 :]]
    if isinstance(node, Mapping):
        return {**node, head: _replaced(node[head], tail, value)}
    return node.model_copy(update={head: _replaced(getattr(node, head), tail, value)})
