"""Scripted events on the calendar: shocks to the market, the product, the budget and a star.

They are part of the scenario (``events:``), so a run, an experiment and a game all meet
them on the same dates; an experiment can also lay the same shock over every arm.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from salessim.scenario.base import Date, Days, Frozen, Multiple, Positive, Role

MAX_FACTOR = 20.0  # a shock at most twenty-fold: runs stay finite and fast
MAX_OFFER = 5.0  # times market pay


class EventKind(StrEnum):
    """What a scripted event does."""

    COMPETING_OFFER = "competing_offer"  # the best rep of a role is offered a job elsewhere
    MARKET_DIP = "market_dip"  # inbound demand falls by ``factor`` for ``lasts``
    LEAD_SURGE = "lead_surge"  # inbound demand rises by ``factor`` for ``lasts``
    NEW_PRODUCT = "new_product"  # new deals convert ``factor`` times as readily from then on
    BUDGET_CUT = "budget_cut"  # headcount targets (and a game's budget) times ``factor``


class ScriptedEvent(Frozen):
    """Something that happens to the organisation on a date."""

    at: Date
    kind: EventKind
    factor: Annotated[Positive, Field(le=MAX_FACTOR)] = Field(
        default=1.0,
        description=f"The size of the change (a multiple, at most {MAX_FACTOR:g}).",
    )
    lasts: Days | None = Field(default=None, description="For dips and surges; none: for good.")
    role: Role = Field(default=Role.AE, description="Whose best rep gets an offer.")
    offer: Annotated[Positive, Field(le=MAX_OFFER)] = Field(
        default=1.25,
        description=f"A competing offer, as a multiple of market pay (at most {MAX_OFFER:g}).",
    )
    headline: str = Field(default="", description="What the game's briefing says (or a default).")

    @model_validator(mode="after")
    def _a_cut_cuts(self) -> ScriptedEvent:
        if self.kind is EventKind.BUDGET_CUT and self.factor > 1:
            raise ValueError(
                f"factor: a budget cut keeps at most 1 (all of it), not {self.factor:g}"
            )
        return self


class CounterOffers(Frozen):
    """How the company answers a competitor's offer to one of its reps.

    The rep decides ``answer_days`` after the offer: it stays if its pay already matches,
    or if the company matches offers up to ``match_up_to`` (a multiple of market pay) and
    raises its pay to the offer; otherwise it leaves. In a game the player answers instead.
    """

    match_up_to: Multiple | None = Field(
        default=None, description="Match offers up to this multiple of market pay; none: never."
    )
    answer_days: Days = Field(default=14.0, description="Days from the offer to the answer.")
