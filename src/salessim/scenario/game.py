"""The rules of the training game: turn length, budget, targets and what a player may change."""

from __future__ import annotations

import datetime as dt
import math

from pydantic import Field, model_validator

from salessim.scenario.base import (
    Count,
    Frozen,
    Money,
    Multiple,
    NonNegative,
    Number,
    Positive,
    PositiveDays,
    Probability,
)
from salessim.scenario.limits import MAX_LUCK_SEEDS, MAX_MONTHS, MAX_YEARS
from salessim.scenario.units import DAYS_PER_MONTH


class OfferRange(Frozen):
    """The offers a player may make, as multiples of the role's market pay."""

    low: Multiple = 0.85
    high: Multiple = 1.3

    @model_validator(mode="after")
    def _ordered(self) -> OfferRange:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class PricingBounds(Frozen):
    """How far a player may set the price policy (``pricing``)."""

    most_authority: Probability = Field(
        default=0.3, description="The largest discount authority a role may be given."
    )
    most_approved: Probability = Field(
        default=0.5, description="The deepest discount a manager may be told to approve."
    )


class ExerciseBriefing(Frozen):
    """What the opening screen tells the player about the exercise, in the instructor's words."""

    situation: str = Field(
        default="", description="The organisation the player takes over and what it faces."
    )
    goals: list[str] = Field(
        default_factory=list, description="What the player is asked to achieve."
    )
    learning_goals: list[str] = Field(
        default_factory=list,
        description="What the exercise teaches; none: the scenario's meta.learning_goals.",
    )
    questions: list[str] = Field(
        default_factory=list,
        description="Questions for the class to discuss after the game (the class debrief "
        "ends with them).",
    )


HIGHER_IS_BETTER = frozenset(
    {"profit", "ending_arr", "nrr", "team_health", "forecast_accuracy", "revenue",
     "bookings_new_arr", "bookings_expansion_arr"}
)  # fmt: skip
LOWER_IS_BETTER = frozenset({"regretted_attrition", "people_spend", "churned_arr"})
SCORABLE = HIGHER_IS_BETTER | LOWER_IS_BETTER
TARGETED = frozenset(
    {"bookings_new_arr", "bookings_expansion_arr", "churned_arr", "deals_won", "win_rate",
     "ending_arr", "customers", "people_spend", "regretted_exits"}
    | {f"headcount_{role}" for role in ("sdr", "ae", "specialist", "csm")}
)  # fmt: skip


def _default_weights() -> dict[str, float]:
    return {
        "profit": 0.35,
        "ending_arr": 0.25,
        "nrr": 0.15,
        "regretted_attrition": 0.15,
        "team_health": 0.10,
        "forecast_accuracy": 0.10,  # a share of 1/11: the others keep their ratios
    }


class GameRules(Frozen):
    """How a game on this scenario is played (``salessim play``)."""

    turn: PositiveDays = Field(default=3 * DAYS_PER_MONTH, description="Simulated time per turn.")
    budget: Money | None = Field(
        default=None,
        description="People spend allowed per turn (pay, hiring, training, severance); "
        "none: no limit.",
    )
    targets: dict[str, Number] = Field(
        default_factory=dict,
        description="Per turn, targets by indicator (e.g. bookings_new_arr: 4M), shown in "
        "the briefing.",
    )
    briefing: ExerciseBriefing = Field(
        default_factory=ExerciseBriefing,
        description="The opening screen's situation, goals and learning goals.",
    )
    offers: OfferRange = OfferRange()
    max_hires_per_turn: Count = Field(default=10, description="Per role.")
    pricing: PricingBounds = PricingBounds()
    coaching_hours_max: Positive = Field(
        default=8.0, description="Most coaching hours per rep per month a player may set."
    )
    severance_months: float = Field(
        default=3.0,
        ge=0.0,
        le=MAX_MONTHS,
        description="Severance paid to a fired rep, in months of pay.",
    )
    scoring: dict[str, NonNegative] = Field(
        default_factory=_default_weights,
        description="Weight per scored indicator: profit, ending_arr, nrr, "
        "regretted_attrition, team_health, forecast_accuracy, or a game total such as "
        "bookings_new_arr.",
    )
    book_years: float = Field(
        default=1.0,
        ge=0.0,
        le=MAX_YEARS,
        description="At the end, the customer book is worth this many years of its ARR "
        "(and the open pipeline its expected wins): no end-game exploit.",
    )
    plan_bounds: dict[str, tuple[Number, Number]] = Field(
        default_factory=dict,
        description="Plan terms a player may edit, as a path under compensation.plans "
        "(e.g. ae_linear.components.0.commission.rates.0.rate) and its [low, high].",
    )
    luck_seeds: int = Field(
        default=20,
        ge=0,
        le=MAX_LUCK_SEEDS,
        description="Other seeds the player's decisions are replayed on.",
    )

    @model_validator(mode="before")
    @classmethod
    def _events_moved(cls, data: object) -> object:
        if isinstance(data, dict) and "events" in data:
            raise ValueError(
                "events: scripted events are the scenario's own now: move the list from "
                "game.events to a top-level events: section"
            )
        return data

    @model_validator(mode="after")
    def _scored(self) -> GameRules:
        untargeted = sorted(set(self.targets) - TARGETED)
        if untargeted:
            raise ValueError(
                f"targets: unknown indicator(s) {', '.join(untargeted)} "
                f"(known: {', '.join(sorted(TARGETED))})"
            )
        unknown = sorted(set(self.scoring) - SCORABLE)
        if unknown:
            raise ValueError(
                f"scoring: unknown indicator(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(SCORABLE))})"
            )
        if sum(self.scoring.values()) <= 0:
            raise ValueError("scoring: the weights must not all be zero")
        for path, (low, high) in self.plan_bounds.items():
            if low > high:
                raise ValueError(f"plan_bounds.{path}: low ({low:g}) exceeds high ({high:g})")
        return self


def first_of_month(start: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``start``'s month."""
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def game_window(
    start: dt.date, fiscal_year_start_month: int, warmup: float, horizon: float, turn: float
) -> tuple[dt.date, dt.date]:
    """The first day of a game's first turn and the day after its last turn ends.

    The game opens on the first month start after ``warmup`` (whole months) on which a
    turn lines up with the fiscal periods, and plays whole turns within ``horizon`` from
    there, as ``GameSession`` does.
    """
    months_per_turn = max(1, round(turn / DAYS_PER_MONTH))
    first = math.ceil(warmup / DAYS_PER_MONTH - 0.05)
    while (first_of_month(start, first).month - fiscal_year_start_month) % months_per_turn:
        first += 1
    opening = max(start, first_of_month(start, first))
    last_day = start + dt.timedelta(days=int((opening - start).days + horizon - 1e-9))
    last = (last_day.year - start.year) * 12 + last_day.month - start.month + 1
    turns = max(1, (last - first) // months_per_turn)
    return opening, first_of_month(start, first + turns * months_per_turn)
