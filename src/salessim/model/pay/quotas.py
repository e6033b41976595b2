"""Annual quotas: next year's for every payee, and a new hire's standard quota by plan.

At the start of the run and at each fiscal year end, each plan's payees get next year's
quota from their role's quota setting (``policies.quotas.set_quotas``). A hire joining a
plan mid-year gets the plan's standard quota: the plan's amount under a ratchet, else the
largest quota set that year; it moves with the plan's amount when the scenario changes.
"""

from __future__ import annotations

import simpy

from salessim.model.pay.payee import Payee
from salessim.model.pay.periods import Periods
from salessim.model.pay.roster import Roster
from salessim.policies.quotas import QuotaYear, set_quotas
from salessim.scenario.measures import RATIO_MEASURES
from salessim.scenario.plans import Plan
from salessim.scenario.policies import QuotaMethod, QuotaSetting
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH


class Quotas:
    """Sets payees' annual quotas and keeps each plan's standard quota for a hire."""

    def __init__(
        self, env: simpy.Environment, scenario: Scenario, *, roster: Roster, periods: Periods
    ) -> None:
        self.env = env
        self.roster = roster
        self.periods = periods
        self.standard: dict[str, float] = {}  # by plan: a new hire's annual quota
        self._plans: dict[str, Plan] = scenario.compensation.plans
        self._settings: dict[str, QuotaSetting] = scenario.policies.quota

    def configure(self, scenario: Scenario) -> None:
        """Take the plans and quota settings of ``scenario``; standard quotas follow the plans."""
        before, self._plans = self._plans, scenario.compensation.plans
        self._settings = scenario.policies.quota
        for name in self.standard:
            old, new = before[name].quota.amount, self._plans[name].quota.amount
            if old > 0 and new != old:  # a new hire's quota moves with its plan's
                self.standard[name] *= new / old

    def for_hire(self, name: str) -> float:
        """The annual quota of a rep joining plan ``name`` now."""
        return self.standard.get(name, self._plans[name].quota.amount)

    def set_year(self, *, first_year: bool) -> None:
        """Next year's annual quota for every payee, by plan, from the role's setting."""
        by_plan: dict[str, list[Payee]] = {}
        for payee in self.roster.sorted():
            by_plan.setdefault(payee.pending or payee.plan_name, []).append(payee)
        for name, payees in by_plan.items():
            plan = self._plans[name]
            setting = self._settings.get(plan.role.value, QuotaSetting())
            if plan.quota_measure in RATIO_MEASURES:
                setting = QuotaSetting()  # a target ratio stays the plan's
            years = [
                QuotaYear(
                    p.rep.id,
                    p.standing.quota,
                    0.0 if first_year else p.year_credit,
                    0.0 if first_year else p.year_carried,
                    self._expected(p),
                )
                for p in payees
            ]
            quotas = set_quotas(setting, plan.quota.amount, years)
            for payee in payees:
                payee.standing.quota = quotas[payee.rep.id]
                payee.year_credit = payee.year_carried = 0.0
            self.standard[name] = (
                plan.quota.amount
                if setting.method is QuotaMethod.RATCHET
                else max(quotas.values(), default=plan.quota.amount)
            )

    def _expected(self, payee: Payee) -> float:
        now = self.env.now
        return self.periods.ramp_share(payee, now, now + 12 * DAYS_PER_MONTH)
