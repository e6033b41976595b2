"""Payout rules: a plan turns each piece of credit into statement lines a rep can check.

``PlanAccount`` follows one rep in one quota period. ``credit`` takes a piece of credit
(a deal's ARR, a meeting) and returns the lines it earns: commission split at every band
boundary and at the threshold, cut at the cap, and any bonus tier the credit reaches.
Every line says what was credited, at what rate and why, so the sum of the lines is the
payout and each can be recomputed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from salessim.scenario.compensation import Bonus, Commission, Plan

EPSILON = 1e-12


@dataclass(frozen=True)
class Line:
    """One statement line."""

    component: str  # e.g. "commission", "bonus"
    credit: float  # credit this line pays on (0 for a bonus)
    rate: float  # pay per unit of credit (0 for a bonus)
    amount: float
    note: str


@dataclass
class PlanAccount:
    """One rep's running position under ``plan`` in one quota period."""

    plan: Plan
    credited: float = 0.0
    paid: dict[int, float] = field(default_factory=dict)  # by component index
    tiers_paid: set[tuple[int, int]] = field(default_factory=set)

    @property
    def period_quota(self) -> float:
        """Quota of the period."""
        return self.plan.quota.per_period

    @property
    def period_target_incentive(self) -> float:
        """Target incentive of the period."""
        return self.plan.target_incentive / self.plan.quota.period.per_year

    @property
    def attainment(self) -> float:
        """Credit so far over the period's quota."""
        return self.credited / self.period_quota if self.period_quota else 0.0

    def credit(self, amount: float) -> list[Line]:
        """Add ``amount`` of credit; return the lines it earns, in component order."""
        if amount < 0:
            raise ValueError(f"credit must not be negative, got {amount}")
        before = self.credited
        self.credited += amount
        lines: list[Line] = []
        for index, component in enumerate(self.plan.components):
            if component.commission is not None:
                lines += self._commission(index, component.commission, before, amount)
            elif component.bonus is not None:
                lines += self._bonus(index, component.bonus)
        return lines

    def _commission(self, index: int, spec: Commission, before: float, amount: float) -> list[Line]:
        quota = self.period_quota
        cuts = sorted({band.start * quota for band in spec.rates} | {spec.threshold * quota})
        lines: list[Line] = []
        start, end = before, before + amount
        while start < end - EPSILON:
            stop = min([cut for cut in cuts if cut > start + EPSILON] + [end])
            lines.append(self._segment(index, spec, start, stop))
            start = stop
        return _merge(lines)

    def _segment(self, index: int, spec: Commission, start: float, stop: float) -> Line:
        quota = self.period_quota
        attainment = start / quota if quota else 0.0
        credit = stop - start
        if attainment < spec.threshold - EPSILON:
            return Line("commission", credit, 0.0, 0.0, f"below the {spec.threshold:.0%} threshold")
        band = max(
            (b for b in spec.rates if b.start <= attainment + EPSILON), key=lambda b: b.start
        )
        amount = credit * band.rate
        note = f"band from {band.start:.0%}"
        if spec.cap is not None:
            room = spec.cap * self.period_target_incentive - self.paid.get(index, 0.0)
            if amount > room:
                amount = max(0.0, room)
                note += f", cut at the cap of {spec.cap:g}x target incentive"
        self.paid[index] = self.paid.get(index, 0.0) + amount
        return Line("commission", credit, band.rate, amount, note)

    def _bonus(self, index: int, spec: Bonus) -> list[Line]:
        quota = self.period_quota
        lines = []
        for tier_index, tier in enumerate(spec.tiers):
            key = (index, tier_index)
            reached = self.credited >= tier.at * quota - EPSILON
            if reached and key not in self.tiers_paid:
                self.tiers_paid.add(key)
                self.paid[index] = self.paid.get(index, 0.0) + tier.amount
                lines.append(Line("bonus", 0.0, 0.0, tier.amount, f"reached {tier.at:.0%}"))
        return lines


def _merge(lines: list[Line]) -> list[Line]:
    """Join neighbouring lines with the same rate and note."""
    merged: list[Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        if last is not None and last.rate == line.rate and last.note == line.note:
            merged[-1] = Line(
                last.component,
                last.credit + line.credit,
                last.rate,
                last.amount + line.amount,
                last.note,
            )
        else:
            merged.append(line)
    return merged
