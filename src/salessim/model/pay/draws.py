"""The month's fixed pay: base salary for the days on the payroll, and draws.

Base is ``base / 12`` times the share of the month on the payroll. A draw tops the
month's incentive pay up to a floor in a payee's first months on its plan; a recoverable
draw's advances are owed and recovered from later months. The advances owed are kept
here, one float a payee with a draw, and written off when the rep leaves.
"""

from __future__ import annotations

from salessim.model.calendar import Calendar
from salessim.model.pay.ledger import Ledger
from salessim.model.pay.payee import EPSILON, Payee
from salessim.policies.compensation import Line, draw_month
from salessim.scenario.pay_components import ComponentKind


class Draws:
    """Pays base and draws, and keeps each payee's draw advances owed."""

    def __init__(self, calendar: Calendar, ledger: Ledger) -> None:
        self.calendar = calendar
        self.ledger = ledger
        self.owed: dict[int, float] = {}  # by rep id: draw advances still owed

    def pay_base(self, payee: Payee, month_start: float, month_end: float, until: float) -> None:
        """Base for the part of the month from ``month_start`` to ``until`` on the payroll."""
        days = until - max(month_start, payee.since)
        if days <= EPSILON or payee.plan.base == 0:
            return
        share = days / (month_end - month_start) if month_end > month_start else 0.0
        amount = payee.plan.base / 12 * share
        note = f"base salary, {self.calendar.date(until - EPSILON):%B %Y}"
        if share < 1 - EPSILON:
            note += f" ({share:.0%} of the month)"
        self.ledger.book(payee, [Line(ComponentKind.BASE, "", 0.0, 0.0, amount, note)])

    def pay_draw(self, payee: Payee, share: float) -> None:
        """Top up or recover the month's draw (``share``: of the month on the plan)."""
        rep_id = payee.rep.id
        for component in payee.plan.components:
            spec = component.draw
            if spec is None:
                continue
            earned = self.ledger.month_incentive(rep_id)
            month = draw_month(
                spec, payee.months_on_plan, earned, self.owed.get(rep_id, 0.0), share
            )
            self.owed[rep_id] = month.balance
            kind = "recoverable" if spec.recoverable else "non-recoverable"
            if month.top_up > 0:
                floor = month.top_up + earned
                note = f"{kind} draw: earned {earned:,.2f} of {floor:,.2f}"
                self.ledger.book(
                    payee, [Line(ComponentKind.DRAW, "", 0.0, 0.0, month.top_up, note)]
                )
            if month.recovered > 0:
                note = f"draw advance recovered; {month.balance:,.2f} still owed"
                self.ledger.book(
                    payee, [Line(ComponentKind.DRAW, "", 0.0, 0.0, -month.recovered, note)]
                )

    def write_off(self, payee: Payee) -> None:
        """A leaver's advances still owed are written off (a zero line says how much)."""
        owed = self.owed.pop(payee.rep.id, 0.0)
        if owed > 0:
            note = f"left owing {owed:,.2f} of draw advances: written off"
            self.ledger.book(payee, [Line(ComponentKind.DRAW, "", 0.0, 0.0, 0.0, note)])
