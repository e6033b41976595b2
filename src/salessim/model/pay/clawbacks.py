"""Clawbacks: commission on a new logo is taken back if its account churns in time.

When a payee on a plan with a clawback wins a deal, what the deal's new-ARR commission
paid (and what a gate held) is remembered by lead id (``Owed``). If the account churns
within the clawback's window, a negative line is booked against the rep, even one who
has left. A held amount is owed back only if the gate was reached: the periods whose
gate failed (forfeits) are kept here too. Both are forgotten once no churn can reach
them, so memory follows the open windows, not the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import simpy

from salessim.model.calendar import Calendar
from salessim.model.entities import Lead, Rep
from salessim.model.pay.ledger import Ledger
from salessim.model.pay.payee import EPSILON, Payee
from salessim.model.pay.roster import Roster
from salessim.model.pay.terms import Terms
from salessim.policies.compensation import Line
from salessim.scenario.measures import Measure
from salessim.scenario.pay_components import Clawback, ComponentKind
from salessim.scenario.units import DAYS_PER_MONTH


@dataclass(frozen=True)
class Owed:
    """Commission paid on a new logo that a clawback may take back.

    It holds the rep, who may have left by the time the account churns; the payroll
    forgets it once the clawback window has passed, so a leaver is not kept for good.
    """

    rep: Rep
    plan_name: str
    label: str  # the period it was earned in
    paid: float
    held: float  # held by a gate: owed back only if the gate was reached
    spec: Clawback
    won_at: float  # the day the deal was won and its account opened


class Clawbacks:
    """What new logos paid that a churn may take back, and the gates that failed."""

    def __init__(
        self,
        env: simpy.Environment,
        calendar: Calendar,
        *,
        terms: Terms,
        roster: Roster,
        ledger: Ledger,
    ) -> None:
        self.env = env
        self.calendar = calendar
        self.terms = terms
        self.roster = roster
        self.ledger = ledger
        self.owed: dict[int, list[Owed]] = {}  # by lead id: the AE's, the manager's
        self.forfeits: set[tuple[int, str]] = set()  # (rep id, period) whose gate failed

    def won(self, payee: Payee, lead: Lead, lines: list[Line]) -> None:
        """Remember what a new logo paid, if the plan can claw it back."""
        for component in payee.plan.components:
            spec = component.clawback
            if spec is not None:
                deal = [
                    line
                    for line in lines
                    if line.component is ComponentKind.COMMISSION
                    and line.measure == Measure.NEW_ARR.value
                ]
                paid = sum(line.amount for line in deal)
                held = sum(line.held for line in deal)
                owed = Owed(payee.rep, payee.plan_name, payee.label, paid, held, spec, self.env.now)
                self.owed.setdefault(lead.id, []).append(owed)

    def forfeit(self, rep_id: int, label: str) -> None:
        """The rep ``rep_id``'s gate in period ``label`` was not reached: nothing held is owed."""
        self.forfeits.add((rep_id, label))

    def churned(self, lead_id: int, opened_at: float) -> None:
        """An account won from ``lead_id`` churned: claw back its commission if in time."""
        for owed in self.owed.pop(lead_id, []):
            if self.env.now - opened_at <= owed.spec.within + EPSILON:
                forfeited = (owed.rep.id, owed.label) in self.forfeits
                amount = owed.paid + (0.0 if forfeited else owed.held)
                if amount > 0:
                    self._claw_back(owed, lead_id, amount)

    def forget(self, now: float) -> None:
        """Drop what no churn can claw back any more: its window has passed.

        A forfeit is read only for what was owed in its closed period, so it goes too once
        nothing owed from that period is left.
        """
        for lead_id, owed in list(self.owed.items()):
            due = [o for o in owed if now - o.won_at <= o.spec.within + EPSILON]
            if not due:
                del self.owed[lead_id]
            elif len(due) < len(owed):
                self.owed[lead_id] = due
        if self.forfeits:
            self.forfeits &= {(o.rep.id, o.label) for owed in self.owed.values() for o in owed}

    def _claw_back(self, owed: Owed, lead_id: int, paid: float) -> None:
        spec = owed.spec
        on_plan = owed.rep.id in self.roster.payees
        months = self.terms.plans[owed.plan_name].quota.period.months
        label = self.calendar.period(self.env.now, months)[2]
        note = (
            f"account from deal {lead_id} churned within {spec.within / DAYS_PER_MONTH:.0f} months"
        )
        if not on_plan:
            note += "; the rep has left, so it is owed back"
        amount = -spec.share * paid
        line = Line(ComponentKind.CLAWBACK, Measure.NEW_ARR.value, paid, -spec.share, amount, note)
        self.ledger.charge(owed.rep, owed.plan_name, label, line, paid=on_plan)
