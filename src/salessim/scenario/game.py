"""The rules of the training game: turn length, budget, targets and what a player may change."""

from __future__ import annotations

from pydantic import Field, model_validator

from salessim.scenario.base import Frozen, Money, Positive, PositiveDays
from salessim.scenario.units import DAYS_PER_MONTH


class OfferRange(Frozen):
    """The offers a player may make, as multiples of the role's market pay."""

    low: Positive = 0.85
    high: Positive = 1.3

    @model_validator(mode="after")
    def _ordered(self) -> OfferRange:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class GameRules(Frozen):
    """How a game on this scenario is played (``salessim play``)."""

    turn: PositiveDays = Field(default=3 * DAYS_PER_MONTH, description="Simulated time per turn.")
    budget: Money | None = Field(
        default=None,
        description="People spend allowed per turn (pay, hiring, training, severance); "
        "none: no limit.",
    )
    targets: dict[str, float] = Field(
        default_factory=dict,
        description="Per turn, targets by indicator (e.g. bookings_new_arr: 4M), shown in "
        "the briefing.",
    )
    offers: OfferRange = OfferRange()
    max_hires_per_turn: int = Field(default=10, ge=0, description="Per role.")
    coaching_hours_max: Positive = Field(
        default=8.0, description="Most coaching hours per rep per month a player may set."
    )
    severance_months: float = Field(
        default=3.0, ge=0.0, description="Severance paid to a fired rep, in months of pay."
    )
