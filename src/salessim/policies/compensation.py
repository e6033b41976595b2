"""Payout rules: a plan turns credit into statement lines a rep can check by hand.

``PlanAccount`` follows one rep through one quota period. ``credit`` takes a piece of
credit (a deal's ARR, a meeting) and returns the lines it earns: commission split at
every band boundary and at the threshold, held below a gate, cut at the cap; bonus tiers
reached; spifs on matching deals. Under a ratio quota (retention) attainment is known
only at the period end, so commission and bonus wait for ``settle``. The other rules
(contests, draws, team pay, clawbacks) are small functions of what the period recorded.
Every line says what was credited, at what rate and why; the lines add up to the pay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from salessim.policies.schedule import EPSILON, CommissionTerms, PaySchedule
from salessim.scenario.measures import RATIO_MEASURES, Measure
from salessim.scenario.pay_components import ComponentKind, Contest, Draw, Spif
from salessim.scenario.plans import Plan

COMMISSION = ComponentKind.COMMISSION


class Line(NamedTuple):
    """One statement line."""

    component: ComponentKind
    measure: str  # the measure credited ("" when none)
    credit: float  # credit the line pays on (0 for lump sums)
    rate: float  # pay per unit of credit (0 for lump sums)
    amount: float
    note: str
    held: float = 0.0  # earned but held back by a gate
    forfeited: float = 0.0  # held by a gate that was not reached: never paid


class Deal(NamedTuple):
    """What a spif can ask about the credit: where it came from and when."""

    segment: str
    source: str | None  # inbound, outbound, referral; None for renewals
    technical: bool | None  # needed a specialist; None for renewals
    date: dt.date


@dataclass
class PlanAccount:
    """One rep's running position under ``plan`` in one quota period.

    ``quota`` and ``target_incentive`` are the period's, already prorated and ramp
    adjusted; under a ratio quota, ``quota`` is the target ratio until ``settle``.
    ``share`` is the part of the period on the plan: a bonus tier pays that share.
    """

    plan: Plan
    quota: float
    target_incentive: float
    share: float = 1.0  # of the period on the plan: bonus tiers pay this share
    credited: float = 0.0
    due: float = 0.0
    paid: dict[int, float] = field(default_factory=dict)  # by component index
    held: dict[int, float] = field(default_factory=dict)
    tiers_paid: set[tuple[int, int]] = field(default_factory=set)
    pending: dict[Measure, float] = field(default_factory=dict)
    quota_measure: Measure = field(init=False)
    deferred: bool = field(init=False)  # attainment is only known at the period end
    schedule: PaySchedule = field(init=False)
    spifs: list[Spif] = field(init=False)

    def __post_init__(self) -> None:
        plan = self.plan
        self.quota_measure = measure = plan.quota_measure
        self.deferred = measure in RATIO_MEASURES
        self.schedule = PaySchedule(plan, self.target_incentive, self.share)
        self.spifs = [c.spif for c in plan.components if c.spif is not None]

    @property
    def attainment(self) -> float:
        """Credit so far over the period's quota (0 without a quota)."""
        quota = self.quota * self.due if self.deferred else self.quota
        return self.credited / quota if quota > 0 else 0.0

    def credit(
        self, measure: Measure, amount: float, deal: Deal | None = None, due: float = 0.0
    ) -> list[Line]:
        """Add ``amount`` of credit in ``measure``; return the lines it earns now.

        ``due`` is what came due in a ratio measure (the ARR up for renewal).
        """
        if amount < 0 or due < 0:
            raise ValueError(f"credit must not be negative, got {amount} (due {due})")
        lines: list[Line] = []
        if deal is not None:
            for spif in self.spifs:
                lines += self._spif(spif, measure, amount, deal)
        if self.deferred:
            self.due += due if measure is self.quota_measure else 0.0
            self.pending[measure] = self.pending.get(measure, 0.0) + amount
            return lines
        return lines + self._earn(measure, amount)

    def settle(self) -> list[Line]:
        """The period ends: deferred commission and bonus, then gates held or forfeited."""
        lines: list[Line] = []
        if self.deferred:
            self.quota *= self.due
            self.due = 1.0
            pending, self.pending = self.pending, {}
            quota_measure = self.quota_measure
            lines += self._earn(quota_measure, pending.pop(quota_measure, 0.0))
            for measure in sorted(pending):
                lines += self._earn(measure, pending[measure])
        gates = {}
        for terms in self.schedule.commissions:
            lines += self._release(terms)
            gates[terms.index] = terms.gate
        for index, held in sorted(self.held.items()):
            if held > 0:
                gate = gates[index]
                lines.append(
                    Line(
                        COMMISSION,
                        "",
                        0.0,
                        0.0,
                        0.0,
                        f"gate of {gate:.0%} not reached: {held:,.2f} held is forfeited",
                        forfeited=held,
                    )
                )
        self.held = {}
        return lines

    # ------------------------------------------------------------------ commission and bonus
    def _earn(self, measure: Measure, amount: float) -> list[Line]:
        moves = measure is self.quota_measure
        before = self.credited
        if moves:
            self.credited += amount
        lines: list[Line] = []
        schedule = self.schedule
        for terms in schedule.commissions:
            if terms.measure is not measure:
                continue
            if moves:
                lines += self._commission(terms, measure, before, amount)
            else:
                lines.append(self._segment(terms, measure, before, amount))
        if moves:
            for index, tiers in schedule.bonuses:
                lines += self._bonus(index, tiers)
            for terms in schedule.commissions:  # a gate passed releases what it held
                if terms.gate > 0:
                    lines += self._release(terms)
        return lines

    def _quota_now(self) -> float:
        return self.quota * self.due if self.deferred else self.quota

    def _commission(
        self, terms: CommissionTerms, measure: Measure, before: float, amount: float
    ) -> list[Line]:
        if terms.one_rate:  # no band or threshold to cross
            return [self._segment(terms, measure, before, amount)]
        quota = self._quota_now()
        cuts = [step.start * quota for step in terms.steps]
        lines: list[Line] = []
        start, end = before, before + amount
        while start < end:
            stop = min([cut for cut in cuts if cut > start + EPSILON] + [end])
            lines.append(self._segment(terms, measure, start, stop - start))
            start = stop
        return _merge(lines)

    def _segment(self, terms: CommissionTerms, measure: Measure, at: float, credit: float) -> Line:
        """Pay ``credit`` at the step where quota credit ``at`` puts attainment."""
        steps = terms.steps
        if len(steps) == 1:  # one rate (most plans): no attainment to work out
            step = steps[0]
        else:
            quota = self._quota_now()
            step = terms.step_at(at / quota if quota > 0 else 0.0)
        if step.below_threshold:
            return Line(COMMISSION, measure.value, credit, 0.0, 0.0, step.note)
        index = terms.index
        amount = credit * step.rate
        note = step.note
        if terms.cap is not None:
            room = terms.cap - self.paid.get(index, 0.0)
            if amount > room:
                amount = max(0.0, room)
                note += f", cut at the cap of {terms.cap_multiple:g}x target incentive"
        self.paid[index] = self.paid.get(index, 0.0) + amount
        if terms.gate > 0 and self.attainment < terms.gate - EPSILON:
            self.held[index] = self.held.get(index, 0.0) + amount
            note += f"; {amount:,.2f} held until the {terms.gate:.0%} gate"
            return Line(COMMISSION, measure.value, credit, step.rate, 0.0, note, held=amount)
        return Line(COMMISSION, measure.value, credit, step.rate, amount, note)

    def _release(self, terms: CommissionTerms) -> list[Line]:
        held = self.held.get(terms.index, 0.0)
        if held <= 0 or self.attainment < terms.gate - EPSILON:
            return []
        self.held[terms.index] = 0.0
        note = f"gate of {terms.gate:.0%} reached: held commission released"
        return [Line(COMMISSION, "", 0.0, 0.0, held, note)]

    def _bonus(self, index: int, tiers: tuple[tuple[float, float], ...]) -> list[Line]:
        lines = []
        for tier_index, (at, amount) in enumerate(tiers):
            key = (index, tier_index)
            if self.attainment >= at - EPSILON and key not in self.tiers_paid:
                self.tiers_paid.add(key)
                self.paid[index] = self.paid.get(index, 0.0) + amount
                note = f"reached {at:.0%}"
                if self.share < 1 - EPSILON:
                    note += f" ({self.share:.0%} of the period on the plan)"
                lines.append(Line(ComponentKind.BONUS, "", 0.0, 0.0, amount, note))
        return lines

    def _spif(self, spec: Spif, measure: Measure, amount: float, deal: Deal) -> list[Line]:
        if (spec.measure or self.quota_measure) is not measure or not spif_applies(spec, deal):
            return []
        pay = spec.per_deal + spec.rate * amount
        note = f"spif: {spec.per_deal:,.0f} a deal + {spec.rate:g} x credit"
        return [Line(ComponentKind.SPIF, measure.value, amount, spec.rate, pay, note)]


def spif_applies(spec: Spif, deal: Deal) -> bool:
    """Whether a spif pays on ``deal``: segment, source, specialist need and dates match."""
    return (
        (not spec.segments or deal.segment in spec.segments)
        and (not spec.sources or deal.source in spec.sources)
        and (spec.technical is None or deal.technical is spec.technical)
        and (spec.start is None or deal.date >= spec.start)
        and (spec.until is None or deal.date <= spec.until)
    )


def _merge(lines: list[Line]) -> list[Line]:
    """Join neighbouring lines with the same rate and note."""
    merged: list[Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        if last is not None and last.rate == line.rate and last.note == line.note:
            merged[-1] = Line(
                last.component,
                last.measure,
                last.credit + line.credit,
                last.rate,
                last.amount + line.amount,
                last.note,
                last.held + line.held,
            )
        else:
            merged.append(line)
    return merged


# ---------------------------------------------------------------------- other components
def contest_awards(spec: Contest, credit: Mapping[int, float]) -> list[tuple[int, int, float]]:
    """(rep id, place, prize) for a contest window; ties go to the lower id."""
    ranked = sorted(
        (rep for rep, value in credit.items() if value > 0), key=lambda r: (-credit[r], r)
    )
    return [
        (rep, place + 1, prize)
        for place, (rep, prize) in enumerate(zip(ranked, spec.awards, strict=False))
    ]


@dataclass(frozen=True)
class DrawMonth:
    """What a draw does in one month: a top-up paid, an advance recovered, the balance."""

    top_up: float
    recovered: float
    balance: float


def draw_month(
    spec: Draw, month_on_plan: int, earned: float, balance: float, share: float = 1.0
) -> DrawMonth:
    """Apply a draw to a month in which the rep earned ``earned`` incentive pay.

    ``month_on_plan`` counts from 0; ``share`` is the part of the month on the plan (a
    first partial month gets that share of the draw). In the draw's months, pay is
    topped up to the draw; a recoverable draw adds the top-up to the balance owed, and
    any month's earnings above what the draw guarantees repay it.
    """
    floor = spec.amount * share if month_on_plan < spec.months else 0.0
    if earned < floor:
        top_up = floor - earned
        return DrawMonth(top_up, 0.0, balance + top_up if spec.recoverable else balance)
    recovered = min(balance, earned - floor)
    return DrawMonth(0.0, recovered, balance - recovered)


def team_share(rate: float, team_credit: float, members: int, pooled: bool) -> float:
    """Each member's team pay: the pool divided among members, or the rate on the total."""
    pool = rate * team_credit
    if not pooled:
        return pool
    return pool / members if members else 0.0
