"""Scripted events from the scenario's calendar.

Market dips and surges, a new product, a budget cut, a star's competing offer. Each event
fires at its date inside a turn (a SimPy timeout), so a replay meets it at the same
moment. A competing offer waits for the player: the rep leaves when the next turn's
decisions are applied unless they include a raise to at least the offer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from salessim.game.narrative import TurnEvents
from salessim.model.engine import Simulation
from salessim.model.entities import Rep
from salessim.report.format import role_label
from salessim.scenario.game import EventKind, ScriptedEvent


class Script:
    """The scripted events of one game, and the competing offers awaiting an answer."""

    def __init__(self, sim: Simulation, told: TurnEvents) -> None:
        self.sim = sim
        self.told = told
        self.offers: dict[int, float] = {}  # rep id -> offer, a multiple of market pay

    def start(self) -> None:
        """Schedule every event dated from now on (earlier ones belong to the warm-up)."""
        start = self.sim.scenario.calendar.start_date
        for event in self.sim.scenario.game.events:
            day = float((event.at - start).days)
            if day >= self.sim.now:
                self._at(day, partial(self._happen, event))

    def settle(self) -> None:
        """Answer the pending offers: reps paid less than their offer leave now."""
        staff = {rep.id: rep for reps in self.sim.workforce.staff.values() for rep in reps}
        for rep_id, level in sorted(self.offers.items()):
            rep = staff.get(rep_id)
            if rep is None:
                continue
            market = self.sim.scenario.roles.of(rep.role).market_pay
            if rep.pay < level * market - 1e-6:
                self.sim.workforce.leave(rep, involuntary=False)
                self.told.news.append(f"Rep {rep_id} took the competitor's offer and left.")
            else:
                self.told.news.append(f"Rep {rep_id} turned the competitor down and stays.")
        self.offers.clear()

    def _at(self, day: float, action: Callable[[], None]) -> None:
        timeout = self.sim.env.timeout(day - self.sim.now)
        timeout.callbacks.append(lambda _event: action())  # type: ignore[union-attr]

    def _happen(self, event: ScriptedEvent) -> None:
        scenario = self.sim.scenario
        kind, factor = event.kind, event.factor
        if kind in (EventKind.MARKET_DIP, EventKind.LEAD_SURGE):
            self._scale_demand(factor)
            if event.lasts is not None:
                self._at(self.sim.now + event.lasts, lambda: self._scale_demand(1 / factor))
            default = f"Demand {'fell' if factor < 1 else 'rose'}: inbound leads x{factor:g}" + (
                f" for {event.lasts / 30.4375:.0f} months." if event.lasts else "."
            )
        elif kind is EventKind.NEW_PRODUCT:
            self.sim.change(
                {
                    f"market.segments.{name}.conversion_odds": segment.conversion_odds * factor
                    for name, segment in scenario.market.segments.items()
                }
            )
            default = f"A new product launched: deals convert x{factor:g} as readily."
        elif kind is EventKind.BUDGET_CUT:
            if scenario.game.budget is not None:
                self.sim.change({"game.budget": scenario.game.budget * factor})
            default = f"Finance cut the people budget to {factor:.0%} of what it was."
        else:
            default = self._offer(event)
        self.told.news.append(event.headline.strip() or default)

    def _scale_demand(self, factor: float) -> None:
        segments = self.sim.scenario.market.segments
        self.sim.change(
            {
                f"market.segments.{name}.inbound.rate": segment.inbound.rate * factor
                for name, segment in segments.items()
            }
        )

    def _offer(self, event: ScriptedEvent) -> str:
        reps = [rep for rep in self.sim.workforce.staff[event.role] if rep.active]
        if not reps:
            return f"A competitor went looking for {role_label(event.role.value)}s, found none."
        star = max(reps, key=_standing)
        self.offers[star.id] = event.offer
        return (
            f"Rep {star.id}, one of your best {role_label(event.role.value)}s, has an offer of "
            f"{event.offer:g}x market pay from a competitor: match it with a pay raise this "
            "turn or they leave."
        )


def _standing(rep: Rep) -> tuple[float, int]:
    """Best first: trailing attainment (unknown counts as 0), then the lowest id."""
    attainment = rep.attainment()
    return (attainment if attainment is not None else 0.0, -rep.id)
