"""Crediting: the funnel and the customer book credit reps for their work as it happens.

Each credit counts toward the rep's quota attainment (which the workforce reads) and,
for a rep on a plan, goes to the plan's account for the open period and windows; the
lines it earns are booked at once (count lines totted up for the month). A manager on a
plan is credited with its team's credit. When team pay or contests need them, the
running tallies are kept too. Work per credit is O(1).
"""

from __future__ import annotations

from collections.abc import Sequence

import simpy

from salessim.model.calendar import Calendar
from salessim.model.entities import Lead, Rep
from salessim.model.events import Source
from salessim.model.pay.clawbacks import Clawbacks
from salessim.model.pay.ledger import Ledger
from salessim.model.pay.payee import Payee
from salessim.model.pay.roster import Roster
from salessim.model.pay.tallies import Tallies
from salessim.model.pay.terms import Terms
from salessim.policies.compensation import Deal
from salessim.scenario.measures import COUNT_MEASURES, RATIO_MEASURES, Measure

SOURCE_NAMES = {source: source.name.lower() for source in Source}


class Crediting:
    """Credits reps and their managers, and pays what the credit earns."""

    def __init__(
        self,
        env: simpy.Environment,
        calendar: Calendar,
        segment_names: Sequence[str],
        *,
        terms: Terms,
        roster: Roster,
        tallies: Tallies,
        ledger: Ledger,
        clawbacks: Clawbacks,
    ) -> None:
        self.env = env
        self.calendar = calendar
        self.segment_names = list(segment_names)
        self.terms = terms
        self.roster = roster
        self.tallies = tallies
        self.ledger = ledger
        self.clawbacks = clawbacks

    def credit(
        self,
        rep: Rep,
        measure: Measure,
        amount: float,
        *,
        lead: Lead | None = None,
        segment: int = -1,
        due: float = 0.0,
    ) -> None:
        """Credit ``rep`` with ``amount`` in ``measure`` (``due``: what came due, for ratios).

        A rep who has left (a deal it qualified closes later) has no standing to add to.
        """
        standing = self.roster.standings.get(rep.id)
        if standing is not None and measure is standing.measure:
            standing.month_credit += amount
            if due:
                standing.month_base += due * standing.quota
        if not self.terms.active:
            return
        if self.tallies.running:
            self.tallies.add(rep.id, rep.manager, measure, amount)
        payee = self.roster.payees.get(rep.id)
        if payee is not None and measure in payee.measures:
            self._credit_payee(payee, measure, amount, lead, segment, due)
        if measure not in RATIO_MEASURES:
            manager = self.roster.manager_of(rep)
            if manager is not None and measure in manager.measures:
                self._credit_manager(manager, measure, amount, lead, segment)

    def wanted(self, rep: Rep) -> frozenset[Measure] | None:
        """The measures crediting ``rep`` can pay or count (None: every measure)."""
        if self.tallies.running:
            return None
        standing = self.roster.standings.get(rep.id)
        wanted = {standing.measure} if standing and standing.measure is not None else set()
        payee = self.roster.payees.get(rep.id)
        if payee is not None:
            wanted |= payee.measures
        manager = self.roster.manager_of(rep)
        if manager is not None:
            wanted |= manager.measures
        return frozenset(wanted)

    def _credit_manager(
        self, manager: Payee, measure: Measure, amount: float, lead: Lead | None, segment: int
    ) -> None:
        """A manager on a plan is credited with the team's credit."""
        if self.tallies.running:
            self.tallies.add(manager.rep.id, -1, measure, amount)
        self._credit_payee(manager, measure, amount, lead, segment, 0.0)

    def _credit_payee(
        self,
        payee: Payee,
        measure: Measure,
        amount: float,
        lead: Lead | None,
        segment: int,
        due: float,
    ) -> None:
        if measure is payee.standing.measure:
            payee.year_credit += amount
        deal = self._deal(lead, segment) if payee.has_spif else None
        lines = payee.account.credit(measure, amount, deal, due)
        if measure in COUNT_MEASURES:
            self.ledger.tot_up(payee, lines)  # one line a month per rate, not one per meeting
        else:
            self.ledger.book(payee, lines)
        for window in payee.windows:
            more = window.account.credit(measure, amount, None, due)
            self.ledger.book(payee, more, window.label)
            lines += more
        if payee.has_clawback and measure is Measure.NEW_ARR and lead is not None:
            self.clawbacks.won(payee, lead, lines)

    def _deal(self, lead: Lead | None, segment: int) -> Deal:
        date = self.calendar.date(self.env.now)
        if lead is not None:
            return Deal(
                self.segment_names[lead.segment],
                SOURCE_NAMES[lead.source],
                lead.needs_specialist,
                date,
            )
        return Deal(self.segment_names[segment] if segment >= 0 else "", None, None, date)
