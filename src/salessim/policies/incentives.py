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


class Option(NamedTuple):
    """When a closing deal can resolve, and what that timing costs."""

    delay: float  # days from now
    forecasts: list[Forecast]  # of the periods its credit lands in
    cost: float = 0.0  # ratchet cost per unit of credit
    concession: float = 0.0  # share of the list price the buyer takes for the timing
    cooling: float = 0.0  # chance the deal cools and is lost before it closes
    approval: float = 1.0  # chance the manager signs the concession off
    most_discount: float = 1.0  # the deepest discount the rep can add on top


class Close(NamedTuple):
    """A closing choice: when the deal resolves (days from now), its price and its risks."""

    delay: float
    discount: float
    concession: float = 0.0
    cooling: float = 0.0
    approval: float = 1.0  # below 1: the concession waits on the manager


def best_close(
    value: float,
    odds: float,
    options: list[Option],
    discounts: list[float],
    win_elasticity: float,
    hurdle: float,
) -> Close:
    """The close with the most expected pay, or the first option if nothing beats it enough.

    ``options`` start with the deal's natural timing. A discount ``d`` sells at
    ``value * (1 - d - concession)`` with win odds ``odds * (1 + win_elasticity * d)``,
    times ``1 - cooling``; a concession the manager may refuse is worth its approval
    chance of the option and the rest of the natural timing at the same discount. A
    change must beat the natural close by ``hurdle`` times the natural close's expected pay.
    """

    def worth(option: Option, d: float) -> float:
        o = odds * (1 + win_elasticity * d)
        credit = value * (1 - d - option.concession)
        gain = sum(forecast.gain(credit) for forecast in option.forecasts)
        return o / (1 + o) * (1 - option.cooling) * (gain - option.cost * credit)

    natural = options[0]
    keep = worth(natural, 0.0)
    best, best_value = Close(natural.delay, 0.0), keep
    for option in options:
        for d in discounts:
            if d > option.most_discount + 1e-12:
                continue
            candidate = worth(option, d)
            if option.approval < 1:
                candidate = option.approval * candidate + (1 - option.approval) * worth(natural, d)
            if candidate > best_value + 1e-9:
                best = Close(option.delay, d, option.concession, option.cooling, option.approval)
                best_value = candidate
    if best_value <= keep + hurdle * abs(keep) + 1e-9:
        return Close(natural.delay, 0.0)
    return best


def booking_discount(odds: float, discounts: list[float], win_elasticity: float) -> float:
    """The discount with the most expected ARR booked, for a rep paid on no plan.

    A discount ``d`` books ``1 - d`` of the list price with win odds ``odds * (1 +
    win_elasticity * d)``; ties go to the smaller discount. Churn is not the rep's to
    weigh.
    """
    best, best_value = 0.0, -1.0
    for d in sorted(discounts):
        o = odds * (1 + win_elasticity * d)
        value = o / (1 + o) * (1 - d)
        if value > best_value + 1e-12:
            best, best_value = d, value
    return best
