"""People spend in a game: the on-target pay of each month played, and the next turn's forecast.

A turn's people spend is the on-target pay of every month that closed in it (everyone
employed at the month end, and the managers) plus its one-off costs (hires, severance,
training), which the turn's events count. Before a turn, ``projected`` estimates the next
turn's spend if a set of decisions applied: a month's pay now times the turn's months,
less the pay of those let go plus their severance, pay raises, hires (cost and, on
average, half a turn of pay), contest prizes, training sessions and recognition awards.
"""

from __future__ import annotations

from collections.abc import Sequence

from salessim.game.decisions import Decisions
from salessim.model.engine import Simulation
from salessim.model.events import MonthEnded
from salessim.model.view import RepView
from salessim.scenario.base import WORKING_ROLES
from salessim.scenario.units import DAYS_PER_MONTH


class PeopleSpend:
    """Counts the pay of the months that close, and forecasts a turn's spend."""

    def __init__(self, sim: Simulation, months_per_turn: int) -> None:
        """Follow ``sim``'s month ends; a turn lasts ``months_per_turn`` months."""
        self.sim = sim
        self.months_per_turn = months_per_turn
        self.paid = 0.0  # on-target pay of the months closed since the last reset
        sim.bus.subscribe(MonthEnded, self._month_paid)

    def reset(self) -> None:
        """Start counting again (a turn begins)."""
        self.paid = 0.0

    def _month_paid(self, _event: MonthEnded) -> None:
        self.paid += self.monthly()

    def monthly(self) -> float:
        """On-target pay for a month: every employed rep and the managers."""
        return self.sim.view().monthly_pay

    def projected(self, decisions: Decisions, employed: Sequence[RepView]) -> float:
        """Next turn's people spend if ``decisions`` apply (on-target pay, one-off costs)."""
        scenario, months = self.sim.scenario, self.months_per_turn
        by_id = {rep.id: rep for rep in employed}
        spend = self.monthly() * months
        for rep_id in decisions.fire:
            if rep_id in by_id:
                pay = by_id[rep_id].pay
                spend += pay * scenario.game.severance_months / 12 - pay * months / 12
        for rep_id, level in decisions.pay_raise.items():
            if rep_id in by_id:
                rep = by_id[rep_id]
                market = scenario.roles.of(rep.role).market_pay
                spend += (level * market - rep.pay) * months / 12
        for hire in decisions.hire:
            if hire.role not in WORKING_ROLES:
                continue
            spec = scenario.roles.of(hire.role)
            level = hire.offer if hire.offer is not None else spec.hiring.offer
            spend += hire.count * (spec.hiring.cost + level * spec.market_pay * months / 24)
        if decisions.contest is not None:
            spend += sum(decisions.contest.prizes)
        training = scenario.policies.training
        every = (
            decisions.training_every_months * DAYS_PER_MONTH
            if decisions.training_every_months is not None
            else training.every
        )
        if every > 0:
            sessions = max(1, round(months * DAYS_PER_MONTH / every))
            spend += sessions * len(employed) * training.cost_per_rep
        return spend + self._recognition(decisions, employed) * months

    def _recognition(self, decisions: Decisions, employed: Sequence[RepView]) -> float:
        """A month's recognition awards at their cost: up to the count for each manager's team."""
        policy = self.sim.scenario.policies.recognition
        count = (
            decisions.recognition
            if decisions.recognition is not None
            else policy.per_team_per_month
        )
        teams: dict[int, int] = {}
        for rep in employed:
            teams[rep.team] = teams.get(rep.team, 0) + 1
        return sum(min(count, size) for size in teams.values()) * policy.cost_per_award
