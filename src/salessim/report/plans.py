"""A pay plan on one page: its terms in words, and what it costs at 50%, 100% and 150% of quota.

The terms come from the statement's describer (``statement.describe_plan``), the costs
from the schedule the ledger pays by (``policies.schedule.yearly_pay``), as a comp
calculator shows them: one rep at that attainment in every period of a year, and the
role's whole team at the same attainment.
"""

from __future__ import annotations

from dataclasses import dataclass

from salessim.policies.schedule import yearly_pay
from salessim.report.statement import describe_plan
from salessim.scenario.base import Role
from salessim.scenario.pay_components import ComponentKind
from salessim.scenario.plans import Plan
from salessim.scenario.schema import Scenario

ATTAINMENTS = (0.5, 1.0, 1.5)
"""The attainments a plan is priced at, as fractions of quota."""
NOT_BY_ATTAINMENT = {
    ComponentKind.SPIF: "spifs",
    ComponentKind.CONTEST: "contest prizes",
    ComponentKind.DRAW: "draws",
    ComponentKind.CLAWBACK: "clawbacks",
    ComponentKind.TEAM: "team pay",
}


@dataclass(frozen=True)
class PlanSummary:
    """One role's plan: its terms, and its cost a year at each of ``ATTAINMENTS``."""

    role: str
    name: str
    headcount: int
    terms: list[str]
    pay: list[tuple[float, float]]  # (attainment, one rep's pay a year)
    left_out: list[str]  # what the calculator leaves out (not a function of attainment)

    @property
    def team_pay(self) -> list[tuple[float, float]]:
        """(attainment, the whole team's pay a year)."""
        return [(a, pay * self.headcount) for a, pay in self.pay]


def plan_summaries(scenario: Scenario, *, unlike: Scenario | None = None) -> list[PlanSummary]:
    """The plans assigned in ``scenario``, role by role (those unlike ``unlike``'s, if given)."""
    compensation = scenario.compensation
    found = []
    for role, name in compensation.assign.items():
        plan = compensation.plans[name]
        if unlike is not None:
            theirs = unlike.compensation.assign.get(role)
            if theirs == name and unlike.compensation.plans.get(theirs) == plan:
                continue
        found.append(
            PlanSummary(
                role=role,
                name=name,
                headcount=scenario.roles.of(Role(role)).headcount,
                terms=describe_plan(name, plan),
                pay=[(a, yearly_pay(plan, a)) for a in ATTAINMENTS],
                left_out=left_out(plan),
            )
        )
    return found


def left_out(plan: Plan) -> list[str]:
    """What a calculator at a given attainment cannot price in ``plan``."""
    kinds = [c.kind for c in plan.components]
    missed = [words for kind, words in NOT_BY_ATTAINMENT.items() if kind in kinds]
    measure = plan.quota_measure
    for component in plan.components:
        commission = component.commission
        if commission is None:
            continue
        own = commission.measure or measure
        if own is not measure:
            missed.append(f"commission on {own.value}")
        elif measure.is_ratio:
            missed.append(f"commission on {measure.value} (it depends on the book due)")
    return list(dict.fromkeys(missed))
