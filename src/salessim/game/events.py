"""The scenario's scripted events as the game tells them, and the budget they leave.

The model runs the events (``salessim.model.script``): dips, surges, a new product, a
budget cut, a star's competing offer. A game holds the offers for the player, who answers
with a pay raise in the next turn's decisions. This observer turns the model's records
into the turn's news and keeps the people budget a budget cut leaves in force.
"""

from __future__ import annotations

from salessim.game.narrative import TurnEvents
from salessim.model.events import Bus, OfferAnswered, OfferMade, ScriptedEventFired
from salessim.report.format import role_label
from salessim.scenario.scripted import EventKind
from salessim.scenario.units import DAYS_PER_MONTH


class Script:
    """Tells the scripted events and follows the budget through budget cuts."""

    def __init__(self, bus: Bus, told: TurnEvents, budget: float | None) -> None:
        self.told = told
        self.budget = budget  # people spend allowed per turn now; None: no limit
        bus.subscribe(ScriptedEventFired, self._fired)
        bus.subscribe(OfferMade, self._offer_made)
        bus.subscribe(OfferAnswered, self._offer_answered)

    def _fired(self, event: ScriptedEventFired) -> None:
        kind, factor = EventKind(event.kind), event.factor
        if kind is EventKind.BUDGET_CUT and self.budget is not None:
            self.budget *= factor
        if kind is EventKind.NEW_PRODUCT:
            self.told.launches.append(factor)
        if kind is EventKind.COMPETING_OFFER:
            if event.headline:  # the offer itself is told with the rep it names
                self.told.news.append(event.headline)
            return
        self.told.news.append(event.headline or _default_headline(event))

    def _offer_made(self, offer: OfferMade) -> None:
        self.told.news.append(
            f"Rep {offer.rep}, one of your best {role_label(offer.role.value)}s, has an offer "
            f"of {offer.offer:g}x market pay from a competitor: match it with a pay raise "
            "this turn or they leave."
        )

    def _offer_answered(self, answer: OfferAnswered) -> None:
        if answer.stayed:
            self.told.news.append(f"Rep {answer.rep} turned the competitor down and stays.")
        else:
            self.told.news.append(f"Rep {answer.rep} took the competitor's offer and left.")
            self.told.took_offers.add(answer.rep)  # the exit is told here, once


def _default_headline(event: ScriptedEventFired) -> str:
    kind, factor = EventKind(event.kind), event.factor
    if kind in (EventKind.MARKET_DIP, EventKind.LEAD_SURGE):
        lasting = (
            f" for {event.lasts_days / DAYS_PER_MONTH:.0f} months." if event.lasts_days else "."
        )
        return f"Demand {'fell' if factor < 1 else 'rose'}: inbound leads x{factor:g}{lasting}"
    if kind is EventKind.NEW_PRODUCT:
        return f"A new product launched: deals convert x{factor:g} as readily."
    return (
        f"Finance cut the people budget to {factor:.0%} of what it was; "
        "seats that empty wait until headcount fits."
    )
