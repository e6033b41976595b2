"""The pay recorder: every payout line and every closed quota period, into ``record.pay``.

The ledger is kept from the first day, warm-up included, so a statement can be printed
for any period; KPIs read only what falls in the measured period.
"""

from __future__ import annotations

from typing import Any

from salessim.metrics.events import Bus, Event
from salessim.metrics.record import PayRecord


class PayRecorder:
    """Fills a ``PayRecord`` from ``PAY_LINE`` and ``PAY_PERIOD_CLOSED``."""

    def __init__(self, bus: Bus, record: PayRecord) -> None:
        self.record = record
        bus.subscribe(Event.PAY_LINE, self._line)
        bus.subscribe(Event.PAY_PERIOD_CLOSED, self._period)

    def _line(self, now: float, rep: Any, plan: str, period: str, line: Any) -> None:
        rec = self.record
        rec.line_day.append(now)
        rec.line_rep.append(rep.id)
        rec.line_role.append(rep.role.value)
        rec.line_plan.append(plan)
        rec.line_period.append(period)
        rec.line_component.append(line.component)
        rec.line_measure.append(line.measure)
        rec.line_credit.append(line.credit)
        rec.line_rate.append(line.rate)
        rec.line_amount.append(line.amount)
        rec.line_note.append(line.note)

    def _period(
        self,
        now: float,
        rep: Any,
        plan: str,
        label: str,
        quota: float,
        credit: float,
        complete: bool,
    ) -> None:
        rec = self.record
        rec.period_day.append(now)
        rec.period_rep.append(rep.id)
        rec.period_role.append(rep.role.value)
        rec.period_plan.append(plan)
        rec.period_label.append(label)
        rec.period_quota.append(quota)
        rec.period_credit.append(credit)
        rec.period_complete.append(complete)
