"""Quota setting: each fiscal year, every rep's annual quota from last year's results.

A quota here is what a fully ramped rep is asked for in a year; a plan with
``ramp_adjusted`` quotas scales each period down for a ramping rep. Each method is one
function registered by name; ``set_quotas`` applies the role's setting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from salessim.scenario.policies import QuotaMethod, QuotaSetting


@dataclass(frozen=True)
class QuotaYear:
    """One rep's year, as quota setting sees it.

    ``carried`` is the share of a full year's quota the rep carried (after proration
    and ramp): a ramped rep-year is 1. ``expected`` is the rep's expected productivity
    over the coming year (1 when ramped).
    """

    rep_id: int
    quota: float
    credit: float
    carried: float
    expected: float

    @property
    def attainment(self) -> float | None:
        """Credit over the quota carried; None when no quota was carried."""
        asked = self.quota * self.carried
        return self.credit / asked if asked > 0 else None


Method = Callable[[QuotaSetting, float, Sequence[QuotaYear]], dict[int, float]]
METHODS: dict[QuotaMethod, Method] = {}


def method(name: QuotaMethod) -> Callable[[Method], Method]:
    """Register a quota-setting method."""

    def register(fn: Method) -> Method:
        METHODS[name] = fn
        return fn

    return register


def set_quotas(
    setting: QuotaSetting, amount: float, years: Sequence[QuotaYear]
) -> dict[int, float]:
    """Next year's annual quota per rep id; ``amount`` is the plan's quota."""
    return METHODS[setting.method](setting, amount, years)


@method(QuotaMethod.FIXED)
def fixed(setting: QuotaSetting, amount: float, years: Sequence[QuotaYear]) -> dict[int, float]:
    """Everyone gets the plan's amount."""
    return {year.rep_id: amount for year in years}


@method(QuotaMethod.TOP_DOWN)
def top_down(setting: QuotaSetting, amount: float, years: Sequence[QuotaYear]) -> dict[int, float]:
    """The role's target, over-assigned, shared by expected ramped capacity."""
    history = sum(year.carried for year in years) > 0
    if setting.target is not None:
        target = setting.target
    elif history:
        target = sum(year.credit for year in years) * (1 + setting.growth)
    else:
        return fixed(setting, amount, years)
    capacity = sum(year.expected for year in years)
    per_rep = target * setting.over_assignment / capacity if capacity > 0 else amount
    return {year.rep_id: per_rep for year in years}


@method(QuotaMethod.CAPACITY)
def capacity(setting: QuotaSetting, amount: float, years: Sequence[QuotaYear]) -> dict[int, float]:
    """Last year's credit per ramped rep-year, grown by ``growth``."""
    carried = sum(year.carried for year in years)
    if carried <= 0:
        return fixed(setting, amount, years)
    per_rep = sum(year.credit for year in years) / carried * (1 + setting.growth)
    return {year.rep_id: per_rep for year in years}


@method(QuotaMethod.RATCHET)
def ratchet(setting: QuotaSetting, amount: float, years: Sequence[QuotaYear]) -> dict[int, float]:
    """Each rep's quota follows their own attainment, more up than down."""
    quotas = {}
    for year in years:
        attainment = year.attainment
        if attainment is None:
            quotas[year.rep_id] = amount
            continue
        if attainment >= 1:
            factor = 1 + setting.up * (attainment - 1)
        else:
            factor = 1 - setting.down * (1 - attainment)
        low, high = setting.floor * amount, setting.ceiling * amount
        quotas[year.rep_id] = min(high, max(low, year.quota * factor))
    return quotas
