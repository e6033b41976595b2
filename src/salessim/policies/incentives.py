"""What a plan is worth to a rep: expected period pay, its slope, and the best close.

A rep values a period's pay as the curve of its ``PaySchedule`` (the same schedule the
ledger pays by) under a normal forecast of final attainment. The behaviour rules read
these: effort follows the *intensity* (the money more output earns against the rep's
pay), and a closing deal goes where (and at the price) it adds the most expected pay.
"""

from __future__ import annotations

from typing import NamedTuple

from salessim.policies.schedule import PayCurve


# ---------------------------------------------------------------------- the rules
def intensity(money: float, pay_per_year: float, reference_mix: float) -> float:
    """Pay-for-performance intensity: what more output earns, in money, against pay.

    ``money`` is what a year of 100% more output would earn (a plan's expected pay per
    unit of credit times the credit it is designed around, ``design_credit``, plus the
    pull of its contests), ``pay_per_year`` the on-target pay. Intensity is ``money``
    over ``reference_mix * pay_per_year``: 1 for straight commission with
    ``reference_mix`` of the pay variable. More variable pay at the same on-target pay
    raises it; a higher quota at the same rates does not (1 without pay or a reference
    to weigh it against).
    """
    if pay_per_year <= 0 or reference_mix <= 0:
        return 1.0
    return money / (reference_mix * pay_per_year)


def design_credit(quota: float, target: float, pay_at_quota: float) -> float:
    """The credit a year a plan's target incentive is designed around.

    The quota, or less when the plan pays more than its ``target`` incentive for a year at
    quota (``pay_at_quota``): a quota raised without lowering the rates is not more output.
    """
    if pay_at_quota > target:
        return quota * target / pay_at_quota
    return quota


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
