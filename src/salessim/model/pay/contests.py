"""Contests: prizes for a plan's reps with the most credit over each contest window.

Each contest marks every rep's running total at the window's start (and a joiner's at
its joining), so a rep's credit in the window is its total less its mark. At the
window's end the plan's payees are ranked, prizes are booked and ``ContestHeld`` goes
out. The marks are kept here, by plan and component: one float per employed rep.
"""

from __future__ import annotations

from salessim.model.calendar import Calendar
from salessim.model.events import Bus, ContestHeld
from salessim.model.pay.ledger import Ledger
from salessim.model.pay.payee import EPSILON, Payee
from salessim.model.pay.roster import Roster
from salessim.model.pay.tallies import Tallies
from salessim.model.pay.terms import Terms
from salessim.policies.compensation import Line, contest_awards
from salessim.scenario.pay_components import ComponentKind


class Contests:
    """Runs the plans' contests and keeps each rep's mark at the window's start."""

    def __init__(
        self,
        bus: Bus,
        calendar: Calendar,
        *,
        terms: Terms,
        roster: Roster,
        tallies: Tallies,
        ledger: Ledger,
    ) -> None:
        self.bus = bus
        self.calendar = calendar
        self.terms = terms
        self.roster = roster
        self.tallies = tallies
        self.ledger = ledger
        self.marks: dict[tuple[str, int], dict[int, float]] = {}  # by (plan, component)

    def enter(self, payee: Payee) -> None:
        """A rep joining a plan enters its running contests with its credit so far."""
        totals = self.tallies.of(payee.rep.id)
        for index, component in enumerate(payee.plan.components):
            if component.contest is not None:
                measure = component.contest.measure or payee.plan.quota_measure
                marks = self.marks.setdefault((payee.plan_name, index), {})
                marks[payee.rep.id] = totals.get(measure, 0.0)

    def run(self, now: float) -> list[ContestHeld]:
        """Hold the contests whose window ends at ``now``; returns them, in plan order."""
        held: list[ContestHeld] = []
        names = sorted({payee.plan_name for payee in self.roster.payees.values()})
        for name in names:
            plan = self.terms.plans[name]
            for index, component in enumerate(plan.components):
                spec = component.contest
                if spec is None:
                    continue
                start, end, label = self.calendar.period(now - EPSILON, spec.every.months)
                if end > now + EPSILON:
                    continue
                measure = spec.measure or plan.quota_measure
                marks = self.marks.get((name, index), {})
                members = [p for p in self.roster.sorted() if p.plan_name == name]
                credit = {
                    p.rep.id: self.tallies.of(p.rep.id).get(measure, 0.0) - marks.get(p.rep.id, 0.0)
                    for p in members
                }
                self.marks[(name, index)] = self.tallies.snapshot(measure)
                first, last = self.calendar.date(start), self.calendar.date(end - 1)
                if (spec.start and first < spec.start) or (spec.until and last > spec.until):
                    continue
                awards = contest_awards(spec, credit)
                for rep_id, place, prize in awards:
                    note = f"contest {label}: place {place} on {measure.value} "
                    note += f"({credit[rep_id]:,.0f})"
                    line = Line(
                        ComponentKind.CONTEST, measure.value, credit[rep_id], 0.0, prize, note
                    )
                    self.ledger.book(self.roster.payees[rep_id], [line])
                winners = tuple(rep_id for rep_id, _, _ in awards)
                entrants = tuple(p.rep.id for p in members)
                contest = ContestHeld(now, name, label, measure.value, winners, entrants)
                self.bus.emit(contest)
                held.append(contest)
        return held
