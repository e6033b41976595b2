"""The exit hazard: how likely a rep is to leave, voluntarily or not, per day.

With base annual rates ``v`` (voluntary) and ``i`` (involuntary) turned into hazards
``-ln(1 - rate) / 365.25``, attainment ``a`` (trailing, ramp-adjusted), ``h`` hours of
manager attention a month and ``h_c`` of them coaching::

    voluntary   = v0 * (outside_pay / max(pay, 1)) ** pay_elasticity
                  * U(a) * exp(-morale_weight * morale)
                  * (max(h, ref / 4) / ref) ** -attention_elasticity
                  * exp(-retention[tier] * min(h_c, 4))
                  * N(tenure)
                  * (1 + contagion * min(1, recent departures / team size))
                  * (1 + spread_weight * max(0, sd of the team's attainment - spread_reference))
    involuntary = i0 * exp(involuntary_slope * max(0, involuntary_below - a)) * N(tenure)

    U(a) = low + (high - low) * exp(-((a - peak) / width) ** 2)      (1 when a is unknown)
    N(t) = 1 + new_hire_boost * exp(-t / new_hire_months)
    promotion   = p0 once tenure >= promotion_after, else 0

A promotion takes the rep out of its role (to one outside the model, such as an SDR
made AE elsewhere): the seat empties as for an exit, but it is not attrition.

``outside_pay`` is market pay, or with sorting on what the rep's ability earns elsewhere
(``sorting.outside_option``). U is the inverted U: reps near target quit most, strong
attainers least, and weak attainers leave mostly involuntarily. With every response at
zero (``U`` flat at 1, no boosts, no contagion, no spread) the hazard is constant and
tenure exponential. The share of the
team that left is capped at 1: with instant backfill, the recent leavers can outnumber the
team, and an uncapped share would feed the hazard that makes more of them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from salessim.model.entities import Rep
from salessim.scenario.limits import MIN_PAY
from salessim.scenario.people import Attrition, QuitHazard, Workforce
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_YEAR

FAR = 1e100  # standard widths from the peak past which the bump is 0 (its square overflows)


def annual_to_daily(rate: float) -> float:
    """The constant daily hazard under which a share ``rate`` leaves within a year."""
    return -math.log1p(-min(rate, 1 - 1e-12)) / DAYS_PER_YEAR


def attainment_curve(attainment: float | None, hazard: QuitHazard) -> float:
    """U(a), the inverted U of voluntary quitting in attainment."""
    if attainment is None:
        return 1.0
    distance = (attainment - hazard.attainment_peak) / hazard.attainment_width
    bump = math.exp(-(distance**2)) if abs(distance) < FAR else 0.0  # a tiny quota: no overflow
    return hazard.attainment_low + (hazard.attainment_high - hazard.attainment_low) * bump


class HazardInputs(NamedTuple):
    """What the hazard reads of a rep besides its role's parameters, gathered from its owners."""

    attainment: float | None  # trailing (the payroll's standing)
    attention_hours: float  # last month's (the managers' desk)
    coached_hours: float  # last month's (the managers' desk)
    spread: float = 0.0  # sd of trailing attainment on the rep's team, at the last month end


def exit_hazards(
    rep: Rep,
    inputs: HazardInputs,
    now: float,
    base: Attrition,
    outside_pay: float,
    workforce: Workforce,
    recent_departure_share: float,
) -> tuple[float, float]:
    """Voluntary and involuntary hazards per day for ``rep`` over the coming month."""
    hazard = workforce.hazard
    attainment = inputs.attainment
    tenure = rep.tenure(now)
    tenure_months = tenure / DAYS_PER_MONTH
    new_hire = 1 + hazard.new_hire_boost * math.exp(-tenure_months / hazard.new_hire_months)

    ref = hazard.attention_reference_hours
    assert rep.tier is not None
    voluntary = (
        annual_to_daily(base.voluntary)
        * (outside_pay / max(rep.pay, MIN_PAY)) ** hazard.pay_elasticity
        * attainment_curve(attainment, hazard)
        * math.exp(-hazard.morale_weight * rep.morale)
        * (max(inputs.attention_hours, ref / 4) / ref) ** -hazard.attention_elasticity
        * math.exp(-workforce.coaching.retention.of(rep.tier) * min(inputs.coached_hours, 4.0))
        * new_hire
        * (1 + hazard.contagion * min(1.0, recent_departure_share))
        * (1 + hazard.spread_weight * max(0.0, inputs.spread - hazard.spread_reference))
    )
    shortfall = 0.0 if attainment is None else max(0.0, hazard.involuntary_below - attainment)
    involuntary = (
        annual_to_daily(base.involuntary)
        * math.exp(hazard.involuntary_slope * shortfall)
        * new_hire
    )
    return voluntary, involuntary


def promotion_hazard(rep: Rep, now: float, base: Attrition) -> float:
    """The hazard per day that ``rep`` is promoted out of its role now."""
    if base.promotion <= 0 or rep.tenure(now) < base.promotion_after:
        return 0.0
    return annual_to_daily(base.promotion)
