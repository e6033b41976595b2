"""What a plan is worth to a rep: expected period pay, its slope, and the best close.

A rep sees the period's incentive as a function of final attainment ``A``: commission
bands (with threshold, gate and cap) and bonus tiers. That function is a sum of steps
and hinges, so its expectation under a normal forecast of ``A`` is exact::

    E[f(A)] = sum(jump * P(A >= t)) + sum(dslope * E[(A - k)+])

with ``E[(A - k)+] = (mu - k) * Phi(d) + sigma * phi(d)``, ``d = (mu - k) / sigma``; and
its slope in ``mu`` is ``sum(jump * phi / sigma) + sum(dslope * Phi(d))``. The behaviour
rules read these: effort follows the slope (the *intensity*, 1 for straight commission),
and a closing deal goes where (and at the price) it adds the most expected pay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from salessim.scenario.pay_components import Band
from salessim.scenario.plans import Plan

SQRT_2PI = math.sqrt(2 * math.pi)
Piece = tuple[float, float]  # (attainment from which, pay per unit of attainment)
MIN_SIGMA = 1e-6


@dataclass(frozen=True)
class PayCurve:
    """A period's incentive by final attainment: ``jumps`` (t, amount) and ``hinges`` (k, ds).

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
        pay = sum(amount for t, amount in self.jumps if attainment >= t)
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


def pay_curve(plan: Plan, quota: float, target_incentive: float) -> PayCurve:
    """The curve of the plan's quota-measure commission and bonus tiers for one period.

    ``quota`` and ``target_incentive`` are the period's. Spifs, contests, team pay and
    commission on other measures are left out: they do not depend on attainment.
    """
    jumps: list[tuple[float, float]] = []
    hinges: list[tuple[float, float]] = []
    for component in plan.components:
        if (bonus := component.bonus) is not None:
            jumps += [(tier.at, tier.amount) for tier in bonus.tiers]
        commission = component.commission
        if commission is None or (commission.measure or plan.quota_measure) is not (
            plan.quota_measure
        ):
            continue
        pieces = _commission_pieces(commission.rates, commission.threshold, quota)
        if commission.cap is not None:
            pieces = _capped(pieces, commission.cap * target_incentive)
        gate = commission.gate
        if gate > 0:
            jumps.append((gate, _integral(pieces, gate)))
            pieces = [(gate, _slope_at(pieces, gate))] + [p for p in pieces if p[0] > gate]
        hinges += _to_hinges(pieces)
    return PayCurve(tuple(jumps), tuple(hinges))


def _commission_pieces(rates: list[Band], threshold: float, quota: float) -> list[Piece]:
    """(start, slope) pieces: pay per unit of attainment from each start on."""
    starts = sorted({band.start for band in rates} | {threshold})

    def rate_at(attainment: float) -> float:
        return max((b for b in rates if b.start <= attainment), key=lambda b: b.start).rate

    return [(k, 0.0 if k < threshold else rate_at(k) * quota) for k in starts]


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


# ---------------------------------------------------------------------- the rules
def effort_level(
    intensity_now: float,
    morale: float,
    elasticity: float,
    morale_weight: float,
    low: float,
    high: float,
) -> float:
    """Effort: ``clip(1 + elasticity * (intensity - 1) + morale_weight * morale, low, high)``."""
    return min(high, max(low, 1 + elasticity * (intensity_now - 1) + morale_weight * morale))


class Forecast(NamedTuple):
    """A rep's forecast of a period's final attainment, without the deal in hand."""

    curve: PayCurve
    quota: float
    mean: float
    sigma: float
    weight: float = 1.0  # what contingent pay (tiers, accelerators) is worth now

    def slope(self) -> float:
        """Expected pay of one more unit of attainment."""
        return self.curve.slope(self.mean, self.sigma)

    def gain(self, credit: float) -> float:
        """Expected pay, valued now, that ``credit`` more adds to the period.

        Straight commission at the plan's first rate counts in full; what depends on
        where attainment ends (bonus tiers, accelerators, caps) counts at ``weight``.
        """
        if self.quota <= 0:
            return 0.0
        shift = credit / self.quota
        more = self.curve.expected(self.mean + shift, self.sigma)
        gain = more - self.curve.expected(self.mean, self.sigma)
        straight = self.curve.first_slope * shift
        return straight + self.weight * (gain - straight)


class Close(NamedTuple):
    """A closing choice: when the deal resolves (days from now) and its discount."""

    delay: float
    discount: float


def best_close(
    value: float,
    odds: float,
    options: list[tuple[float, list[Forecast], float]],
    discounts: list[float],
    win_elasticity: float,
    hurdle: float,
) -> Close:
    """The close with the most expected pay, or the first option if nothing beats it enough.

    ``options`` are (delay, forecasts of the periods it lands in, cost per unit of
    credit) with the deal's natural timing first; each discount ``d`` sells ``value * (1 - d)``
    with win odds ``odds * (1 + win_elasticity * d)``. A change must beat the natural
    close by ``hurdle`` times the natural close's expected pay.
    """

    def worth(forecasts: list[Forecast], cost: float, d: float) -> float:
        o = odds * (1 + win_elasticity * d)
        credit = value * (1 - d)
        gain = sum(forecast.gain(credit) for forecast in forecasts)
        return o / (1 + o) * (gain - cost * credit)

    natural_delay, natural, natural_cost = options[0]
    keep = worth(natural, natural_cost, 0.0)
    best, best_value = Close(natural_delay, 0.0), keep
    for delay, forecast, cost in options:
        for d in discounts:
            candidate = worth(forecast, cost, d)
            if candidate > best_value + 1e-9:
                best, best_value = Close(delay, d), candidate
    if best_value <= keep + hurdle * abs(keep) + 1e-9:
        return Close(natural_delay, 0.0)
    return best
