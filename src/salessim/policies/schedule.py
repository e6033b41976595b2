"""A plan's pay as a function of credit over one period: the one description of it.

``PaySchedule`` reads a plan's commission and bonus components once for a period: for
each commission, the rate every unit of credit pays from each attainment on (its bands,
with credit below the threshold paying nothing), its cap in money and its gate; for each
bonus, its tiers' amounts for the share of the period on the plan. The ledger
(``compensation.PlanAccount``) pays credit by these steps as it comes; a rep's forecast
(``incentives``) values the same schedule as a curve of final attainment::

    E[f(A)] = sum(jump * P(A >= t)) + sum(dslope * E[(A - k)+])

with ``E[(A - k)+] = (mu - k) * Phi(d) + sigma * phi(d)``, ``d = (mu - k) / sigma``. A
property test holds the two to each other: what the curve values at the final attainment
is what the ledger pays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from salessim.scenario.measures import Measure
from salessim.scenario.pay_components import Commission
from salessim.scenario.plans import Plan

EPSILON = 1e-9  # attainments this close count as reached
SQRT_2PI = math.sqrt(2 * math.pi)
MIN_SIGMA = 1e-6
BAND_NOTES = {0.0: "band from 0%", 1.0: "band from 100%"}
Piece = tuple[float, float]  # (attainment from which, pay per unit of attainment)


class Step(NamedTuple):
    """From attainment ``start`` on, each unit of credit pays ``rate`` (``note`` says why)."""

    start: float
    rate: float
    note: str
    below_threshold: bool


@dataclass(frozen=True)
class CommissionTerms:
    """One commission component over one period."""

    index: int  # in the plan's components
    measure: Measure  # the credit it pays on
    steps: tuple[Step, ...]  # by start, the first from 0
    cap: float | None  # the most it pays in the period, in money
    cap_multiple: float | None  # the cap as a multiple of the period's target incentive
    gate: float  # attainment before which its pay is held (0: none)

    @property
    def one_rate(self) -> bool:
        """One rate from the first unit: no band or threshold to cross."""
        return len(self.steps) == 1

    def step_at(self, attainment: float) -> Step:
        """The step credit at ``attainment`` pays by."""
        step = self.steps[0]
        for later in self.steps[1:]:
            if later.start <= attainment + EPSILON:
                step = later
        return step


def commission_steps(spec: Commission) -> tuple[Step, ...]:
    """The rate from each band start and from the threshold on (0 below the threshold)."""
    steps = []
    for start in sorted({band.start for band in spec.rates} | {spec.threshold}):
        if start < spec.threshold - EPSILON:
            steps.append(Step(start, 0.0, f"below the {spec.threshold:.0%} threshold", True))
            continue
        band = spec.rates[0]
        for later in spec.rates[1:]:  # bands are in order of their starts
            if later.start <= start + EPSILON:
                band = later
        note = BAND_NOTES.get(band.start) or f"band from {band.start:.0%}"
        steps.append(Step(start, band.rate, note, False))
    return tuple(steps)


class PaySchedule:
    """The commission and bonus terms of a plan (one period's part) for one period.

    ``target_incentive`` is the period's; ``share`` is the part of the period on the plan,
    and a bonus tier pays that share of its amount.
    """

    def __init__(self, plan: Plan, target_incentive: float, share: float = 1.0) -> None:
        self.quota_measure = plan.quota_measure
        self.share = share
        self._curves: dict[float, PayCurve] = {}  # by quota: a period's curve, built once
        self.commissions: list[CommissionTerms] = []
        self.bonuses: list[tuple[int, tuple[tuple[float, float], ...]]] = []
        for index, component in enumerate(plan.components):
            if (spec := component.commission) is not None:
                cap = None if spec.cap is None else spec.cap * target_incentive
                measure = spec.measure or plan.quota_measure
                steps = commission_steps(spec)
                terms = CommissionTerms(index, measure, steps, cap, spec.cap, spec.gate)
                self.commissions.append(terms)
            if (bonus := component.bonus) is not None:
                tiers = tuple((tier.at, tier.amount * share) for tier in bonus.tiers)
                self.bonuses.append((index, tiers))

    def curve(self, quota: float) -> PayCurve:
        """The period's pay on its quota measure by final attainment, for a period ``quota``.

        Spifs, contests, team pay and commission on other measures are left out: they do
        not depend on attainment.
        """
        curve = self._curves.get(quota)
        if curve is None:
            curve = self._curves[quota] = self._curve(quota)
        return curve

    def _curve(self, quota: float) -> PayCurve:
        jumps: list[tuple[float, float]] = []
        hinges: list[Piece] = []
        bonuses = dict(self.bonuses)
        commissions = {terms.index: terms for terms in self.commissions}
        for index in sorted(bonuses.keys() | commissions.keys()):
            jumps += bonuses.get(index, ())
            terms = commissions.get(index)
            if terms is None or terms.measure is not self.quota_measure:
                continue
            pieces = [(step.start, step.rate * quota) for step in terms.steps]
            if terms.cap is not None:
                pieces = _capped(pieces, terms.cap)
            if terms.gate > 0:
                jumps.append((terms.gate, _integral(pieces, terms.gate)))
                pieces = [(terms.gate, _slope_at(pieces, terms.gate))] + [
                    p for p in pieces if p[0] > terms.gate
                ]
            hinges += _to_hinges(pieces)
        return PayCurve(tuple(jumps), tuple(hinges))


@dataclass(frozen=True)
class PayCurve:
    """A period's pay by final attainment: ``jumps`` (t, amount) and ``hinges`` (k, ds).

    Slopes are pay per unit of attainment.
    """

    jumps: tuple[tuple[float, float], ...]
    hinges: tuple[tuple[float, float], ...]

    @property
    def first_slope(self) -> float:
        """Pay per unit of attainment from the first unit (0 below a threshold)."""
        return sum(ds for k, ds in self.hinges if k <= 0)

    def at(self, attainment: float) -> float:
        """Pay at a final attainment."""
        pay = sum(amount for t, amount in self.jumps if attainment >= t - EPSILON)
        return pay + sum(ds * max(0.0, attainment - k) for k, ds in self.hinges)

    def expected(self, mean: float, sigma: float) -> float:
        """E[pay] when final attainment is normal(mean, sigma)."""
        if sigma < MIN_SIGMA:
            return self.at(mean)
        pay = sum(amount * (1 - _cdf((t - mean) / sigma)) for t, amount in self.jumps)
        for k, ds in self.hinges:
            d = (mean - k) / sigma
            pay += ds * ((mean - k) * _cdf(d) + sigma * _pdf(d))
        return pay

    def slope(self, mean: float, sigma: float) -> float:
        """The expected pay of one more unit of attainment (the derivative in ``mean``)."""
        if sigma < MIN_SIGMA:
            sigma = MIN_SIGMA
        pay = sum(amount * _pdf((t - mean) / sigma) / sigma for t, amount in self.jumps)
        return pay + sum(ds * _cdf((mean - k) / sigma) for k, ds in self.hinges)


def _slope_at(pieces: list[Piece], at: float) -> float:
    return max((p for p in pieces if p[0] <= at), key=lambda p: p[0])[1]


def _integral(pieces: list[Piece], upto: float) -> float:
    """Pay accumulated from 0 to attainment ``upto``."""
    total = 0.0
    for (k, s), (k_next, _) in zip(pieces, [*pieces[1:], (math.inf, 0.0)], strict=True):
        if k >= upto:
            break
        total += s * (min(k_next, upto) - k)
    return total


def _capped(pieces: list[Piece], cap: float) -> list[Piece]:
    """Flatten the curve where the accumulated pay reaches ``cap``."""
    total = 0.0
    out: list[Piece] = []
    for (k, s), (k_next, _) in zip(pieces, [*pieces[1:], (math.inf, 0.0)], strict=True):
        room = cap - total
        if s > 0 and s * (k_next - k) >= room:
            out += [(k, s), (k + room / s, 0.0)]
            return out
        out.append((k, s))
        total += s * (k_next - k) if math.isfinite(k_next) else 0.0
    return out


def _to_hinges(pieces: list[Piece]) -> list[Piece]:
    hinges, slope = [], 0.0
    for k, s in pieces:
        if s != slope:
            hinges.append((k, s - slope))
            slope = s
    return hinges


def _cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / SQRT_2PI


def yearly_pay(plan: Plan, attainment: float) -> float:
    """One rep's pay over a year on ``plan`` at ``attainment`` in every period, as a calculator.

    The base plus, for each part of the plan judged over its own period (``by_period``),
    that period's pay curve at ``attainment`` times the periods in a year: the schedule the
    ledger pays by. Left out, as in ``PaySchedule.curve``: what does not follow attainment
    (spifs, contests, draws, clawbacks, team pay, commission on other measures), and
    commission under a ratio quota (retention), whose credit depends on the book due.
    """
    total = plan.base
    for part in plan.by_period():
        per_year = part.quota.period.per_year
        if part.quota_measure.is_ratio:
            kept = [c for c in part.components if c.commission is None]
            part = part.model_copy(update={"components": kept})
        schedule = PaySchedule(part, plan.target_incentive / per_year)
        total += per_year * schedule.curve(plan.quota.amount / per_year).at(attainment)
    return total
