"""The ledger: every pay line goes out as a ``PayLine`` record, and the month's pay is tallied.

``book`` pays lines and emits them at once. ``tot_up`` pays count lines (a meeting, a
technical win) at once but keeps them back, one running line per kind, rate and note,
until ``enter_counted`` enters them at the month end: one line a month per rate, not one
per meeting. What each payee's month has paid, in all and in incentives (read by the
draws and by the pay history), is kept until ``end_month``: two floats a payee.
"""

from __future__ import annotations

from dataclasses import dataclass

import simpy

from salessim.model.entities import Rep
from salessim.model.events import Bus, PayLine
from salessim.model.pay.payee import Payee
from salessim.policies.compensation import Line
from salessim.scenario.pay_components import INCENTIVE_KINDS, ComponentKind

CountKey = tuple[ComponentKind, str, float, str]  # component, measure, rate, note


@dataclass(slots=True)
class MonthPay:
    """What a payee's month has paid so far: every line, and the incentive lines."""

    pay: float = 0.0
    incentive: float = 0.0


class Ledger:
    """Books pay lines to payees and emits them."""

    def __init__(self, bus: Bus, env: simpy.Environment) -> None:
        self.bus = bus
        self.env = env
        self._months: dict[int, MonthPay] = {}  # by rep id
        self._counted: dict[int, dict[CountKey, list[float]]] = {}  # by rep id: credit, paid, held

    def book(self, payee: Payee, lines: list[Line], label: str | None = None) -> None:
        """Pay ``lines`` to ``payee`` and enter them in period ``label`` (default: the quota's)."""
        if not lines:
            return
        month = self._month(payee.rep.id)
        for line in lines:
            month.pay += line.amount
            if line.component in INCENTIVE_KINDS:
                month.incentive += line.amount
            self._emit(payee.rep, payee.plan_name, label or payee.label, line)

    def tot_up(self, payee: Payee, lines: list[Line]) -> None:
        """Pay count lines now but enter them in the ledger as one line a month per kind."""
        if not lines:
            return
        month = self._month(payee.rep.id)
        counted = self._counted.setdefault(payee.rep.id, {})
        for line in lines:
            month.pay += line.amount
            month.incentive += line.amount
            key = (line.component, line.measure, line.rate, line.note)
            total = counted.get(key)
            if total is None:
                counted[key] = [line.credit, line.amount, line.held]
            else:
                total[0] += line.credit
                total[1] += line.amount
                total[2] += line.held

    def enter_counted(self, payee: Payee) -> None:
        """Enter the month's totted-up count lines in the ledger."""
        counted = self._counted.pop(payee.rep.id, None)
        if counted is None:
            return
        for (component, measure, rate, note), (credit, amount, held) in counted.items():
            line = Line(component, measure, credit, rate, amount, note, held)
            self._emit(payee.rep, payee.plan_name, payee.label, line)

    def charge(self, rep: Rep, plan_name: str, label: str, line: Line, *, paid: bool) -> None:
        """Enter ``line`` against ``rep``, who may have left (``paid``: still on a plan).

        A rep still on a plan has the line counted in its month's pay; a leaver's is
        only entered (owed back).
        """
        self._emit(rep, plan_name, label, line)
        if paid:
            self._month(rep.id).pay += line.amount

    def month_incentive(self, rep_id: int) -> float:
        """Incentive pay booked to the rep ``rep_id`` this month."""
        month = self._months.get(rep_id)
        return month.incentive if month is not None else 0.0

    def end_month(self, rep_id: int) -> float:
        """Close the rep ``rep_id``'s month: what it paid in all, and a new month begins."""
        month = self._months.pop(rep_id, None)
        return month.pay if month is not None else 0.0

    def _month(self, rep_id: int) -> MonthPay:
        month = self._months.get(rep_id)
        if month is None:
            month = self._months[rep_id] = MonthPay()
        return month

    def _emit(self, rep: Rep, plan_name: str, label: str, line: Line) -> None:
        self.bus.emit(
            PayLine(
                self.env.now,
                rep.id,
                rep.role,
                plan_name,
                label,
                line.component,
                line.measure,
                line.credit,
                line.rate,
                line.amount,
                line.held,
                line.forfeited,
                line.note,
            )
        )
