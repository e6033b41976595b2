"""The pay recorder: every payout line and every closed quota period, into ``record.pay``.

The ledger is kept from the first day, warm-up included, so a statement can be printed
for any period; KPIs read only what falls in the measured period.
"""

from __future__ import annotations

from salessim.metrics.record import PayRecord
from salessim.model.events import Bus, PayLine, PayPeriodClosed


class PayRecorder:
    """Fills a ``PayRecord`` from ``PAY_LINE`` and ``PAY_PERIOD_CLOSED``."""

    def __init__(self, bus: Bus, record: PayRecord) -> None:
        self.record = record
        bus.subscribe(PayLine, self._line)
        bus.subscribe(PayPeriodClosed, self._period)

    def _line(self, line: PayLine) -> None:
        rec = self.record
        rec.line_day.append(line.day)
        rec.line_rep.append(line.rep)
        rec.line_role.append(line.role.value)
        rec.line_plan.append(line.plan)
        rec.line_period.append(line.period)
        rec.line_component.append(line.component.value)
        rec.line_measure.append(line.measure)
        rec.line_credit.append(line.credit)
        rec.line_rate.append(line.rate)
        rec.line_amount.append(line.amount)
        rec.line_note.append(line.note)

    def _period(self, period: PayPeriodClosed) -> None:
        rec = self.record
        rec.period_day.append(period.day)
        rec.period_rep.append(period.rep)
        rec.period_role.append(period.role.value)
        rec.period_plan.append(period.plan)
        rec.period_label.append(period.period)
        rec.period_quota.append(period.quota)
        rec.period_credit.append(period.credit)
        rec.period_complete.append(period.complete)
