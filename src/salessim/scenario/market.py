"""The market: segments with their inbound lead sources and seasonality, and outbound."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from salessim.scenario.base import (
    Frozen,
    Multiple,
    NonNegative,
    Positive,
    PositiveDays,
    Probability,
    RatePerDay,
)
from salessim.scenario.dists import Dist, PositiveDist, non_negative
from salessim.scenario.limits import MAX_LEADS_PER_HOUR, MAX_MULTIPLE


class Inbound(Frozen):
    """Inbound leads: a Poisson process with monthly seasonality."""

    rate: RatePerDay = Field(default=0.0, description="Mean arrivals, e.g. 400/mo.")
    seasonality: list[Annotated[Positive, Field(le=MAX_MULTIPLE)]] = Field(
        default_factory=lambda: [1.0] * 12,
        min_length=12,
        max_length=12,
        description="Rate multipliers for January to December.",
    )


class Segment(Frozen):
    """A market segment: how many leads it sends, what its deals are worth and how they behave."""

    inbound: Inbound = Inbound()
    outbound_weight: NonNegative = Field(
        default=1.0, description="Relative share of outbound leads prospected in this segment."
    )
    deal_value: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": 40_000, "cv": 0.5}}),
        description="Annual contract value (ARR) of a deal.",
    )
    fit: Annotated[Dist, AfterValidator(non_negative)] = Field(
        default_factory=lambda: Dist.model_validate({"beta": {"mean": 0.6, "sd": 0.15}}),
        description="Lead fit on [0, 1]; better-fit leads convert more and churn less.",
    )
    needs_specialist: Probability = Field(
        default=0.3, description="Chance a deal needs a specialist."
    )
    conversion_odds: Multiple = Field(
        default=1.0, description="Multiplier on every stage's conversion odds."
    )
    contract_term: Annotated[PositiveDays, Field(ge=1.0)] = Field(
        default=365.25, description="Length of a contract (at least a day)."
    )

    @model_validator(mode="after")
    def _fit_has_a_mean(self) -> Segment:
        if self.fit.mean <= 0:
            raise ValueError("fit: the mean fit must be more than 0 (fit is judged against it)")
        return self


class Outbound(Frozen):
    """Outbound leads, in proportion to SDR prospecting time."""

    leads_per_prospecting_hour: Annotated[NonNegative, Field(le=MAX_LEADS_PER_HOUR)] = 0.0


class Market(Frozen):
    """Segments and lead sources."""

    segments: dict[str, Segment] = Field(
        default_factory=lambda: {"mid_market": Segment(inbound=Inbound(rate=300 / 30.4375))},
        min_length=1,
    )
    outbound: Outbound = Outbound()

    @model_validator(mode="after")
    def _outbound_has_a_segment(self) -> Market:
        if self.outbound.leads_per_prospecting_hour > 0 and not any(
            s.outbound_weight > 0 for s in self.segments.values()
        ):
            raise ValueError("outbound prospecting needs a segment with outbound_weight > 0")
        return self
