"""Compensation plans as data: pay, quota and the components that turn credit into payouts.

A plan pays a ``base`` salary and a ``target_incentive`` at 100% of quota. Quota has an
amount per year, a period (month, quarter, half or year) and a measure. Components:

- ``commission``: pay per unit of credit, by attainment band within the quota period
  (``rates``, each band starting at an attainment); a deal that crosses a band is split.
  ``threshold`` pays nothing on credit below that attainment; ``cap`` limits the
  component's payout in a period to that multiple of the period's target incentive.
- ``bonus``: lump sums paid once in a period when attainment reaches each tier.
"""

from __future__ import annotations

import itertools
from enum import StrEnum

from pydantic import Field, model_validator

from salessim.scenario.base import Frozen, Money, NonNegative


class Period(StrEnum):
    """A quota or payout period."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def per_year(self) -> int:
        """Periods in a year."""
        return {"month": 12, "quarter": 4, "half": 2, "year": 1}[self.value]


class Quota(Frozen):
    """What a rep is asked to deliver: ``amount`` a year, measured per ``period``."""

    amount: Money = Field(description="Annual quota in the plan's measure.")
    period: Period = Period.YEAR

    @property
    def per_period(self) -> float:
        """Quota of one period."""
        return self.amount / self.period.per_year


class Band(Frozen):
    """From attainment ``start`` on, each unit of credit pays ``rate``."""

    start: NonNegative = Field(alias="from")
    rate: NonNegative

    model_config = Frozen.model_config | {"populate_by_name": True}


class Commission(Frozen):
    """Pay per unit of credit by attainment band, with an optional threshold and cap."""

    rates: list[Band] = Field(min_length=1)
    threshold: NonNegative = Field(
        default=0.0, description="Attainment below which credit pays nothing."
    )
    cap: NonNegative | None = Field(
        default=None, description="Most the component pays in a period, x period target incentive."
    )

    @model_validator(mode="after")
    def _bands_in_order(self) -> Commission:
        starts = [band.start for band in self.rates]
        if starts[0] != 0:
            raise ValueError("the first rate band must start from 0")
        if any(b <= a for a, b in itertools.pairwise(starts)):
            raise ValueError("rate bands must start at increasing attainments")
        return self


class Tier(Frozen):
    """A bonus of ``amount`` once attainment reaches ``at``."""

    at: NonNegative
    amount: Money


class Bonus(Frozen):
    """Lump sums at attainment tiers, each paid at most once a period."""

    tiers: list[Tier] = Field(min_length=1)


class Component(Frozen):
    """One pay component: give exactly one of the forms."""

    commission: Commission | None = None
    bonus: Bonus | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Component:
        given = [name for name in ("commission", "bonus") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of commission or bonus")
        return self


class Plan(Frozen):
    """Base pay, target incentive, quota and the components that pay the incentive."""

    base: Money
    target_incentive: Money
    quota: Quota
    components: list[Component] = Field(default_factory=list)

    @property
    def on_target_earnings(self) -> float:
        """Base plus target incentive."""
        return self.base + self.target_incentive
