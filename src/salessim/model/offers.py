"""Competing offers: a competitor goes after a role's best rep, and the rep decides.

The rep offered is the active one with the best trailing attainment (unknown counts as
0; the lower id on ties). The offer waits for an answer: after the scenario's
``policies.counter_offers.answer_days`` the rep stays if its pay already reaches the
offer, or if the company matches offers that high (``match_up_to``) and raises its pay;
otherwise it leaves, a voluntary exit. A game holds offers for the player instead, who
answers with a pay raise before ``settle`` is called at the turn.
"""

from __future__ import annotations

import simpy

from salessim.model.entities import Rep
from salessim.model.events import Bus, ExitKind, OfferAnswered, OfferMade
from salessim.model.kernel.schedule import schedule
from salessim.model.workforce import Workforce
from salessim.scenario.base import Role
from salessim.scenario.schema import Scenario

PAY_TOLERANCE = 1e-6  # pay this close to the offer matches it


class CompetingOffers:
    """The offers awaiting an answer, by rep id (the offer as a multiple of market pay)."""

    def __init__(
        self, env: simpy.Environment, bus: Bus, workforce: Workforce, *, held: bool
    ) -> None:
        self.env = env
        self.bus = bus
        self.workforce = workforce
        self.held = held
        self.pending: dict[int, float] = {}

    def make(self, role: Role, offer: float, scenario: Scenario) -> Rep | None:
        """A competitor offers the role's best active rep ``offer`` x market pay (None: nobody)."""
        reps = [rep for rep in self.workforce.staff[role] if rep.active]
        if not reps:
            return None
        attainment = self.workforce.payroll.attainment
        rep = max(reps, key=lambda rep: _best_first(attainment(rep.id), rep.id))
        self.pending[rep.id] = offer
        self.bus.emit(OfferMade(self.env.now, rep.id, role, rep.manager, offer))
        if not self.held:
            wait = scenario.policies.counter_offers.answer_days
            match_up_to = scenario.policies.counter_offers.match_up_to
            schedule(self.env, wait, lambda _event: self._answer(rep.id, match_up_to))
        return rep

    def settle(self) -> None:
        """Answer every pending offer now on the reps' current pay (a game's turn)."""
        for rep_id in sorted(self.pending):
            self._answer(rep_id, None)

    def _answer(self, rep_id: int, match_up_to: float | None) -> None:
        offer = self.pending.pop(rep_id, None)
        rep = self.workforce.employed(rep_id)
        if offer is None or rep is None:
            return  # answered already, or the rep has left
        market = self.workforce.spec(rep.role).market_pay
        matched = False
        stayed = rep.pay >= offer * market - PAY_TOLERANCE
        if not stayed and match_up_to is not None and offer <= match_up_to:
            rep.pay = offer * market
            stayed = matched = True
        now = self.env.now
        self.bus.emit(OfferAnswered(now, rep.id, rep.role, rep.manager, offer, stayed, matched))
        if not stayed:
            self.workforce.leave(rep, ExitKind.VOLUNTARY)


def _best_first(attainment: float | None, rep_id: int) -> tuple[float, int]:
    """Best first: trailing attainment (unknown counts as 0), then the lowest id."""
    return (attainment if attainment is not None else 0.0, -rep_id)
