"""Running credit totals for team pay and contests: the company's, each team's, each rep's.

They are kept only when some plan has team pay or a contest (``running``); then every
credit adds to three totals by measure, O(1). A rep's totals go when the rep leaves.
"""

from __future__ import annotations

from salessim.model.entities import Rep
from salessim.scenario.compensation import Compensation
from salessim.scenario.measures import Measure


class Tallies:
    """Credit so far by measure: the company's, by manager's team, and by employed rep."""

    def __init__(self) -> None:
        self.running = False  # whether any plan reads the totals
        self.totals: dict[Measure, float] = dict.fromkeys(Measure, 0.0)
        self.team_totals: dict[tuple[int, Measure], float] = {}  # by manager index
        self.rep_totals: dict[int, dict[Measure, float]] = {}  # by rep id, of everyone

    def configure(self, compensation: Compensation) -> None:
        """Keep the totals if a plan of ``compensation`` has team pay or a contest."""
        self.running = any(
            component.team is not None or component.contest is not None
            for plan in compensation.plans.values()
            for component in plan.components
        )

    def join(self, rep_id: int) -> None:
        """Start the totals of a rep who joins."""
        self.rep_totals[rep_id] = {}

    def drop(self, rep_id: int) -> None:
        """Forget the totals of a rep who leaves."""
        self.rep_totals.pop(rep_id, None)

    def add(self, rep_id: int, manager: int, measure: Measure, amount: float) -> None:
        """Add a credit to the rep's totals and (``manager`` >= 0) the company's and team's."""
        if manager >= 0:
            self.totals[measure] += amount
            key = (manager, measure)
            self.team_totals[key] = self.team_totals.get(key, 0.0) + amount
        totals = self.rep_totals.get(rep_id)
        if totals is not None:  # None: a leaver credited for a lead it once qualified
            totals[measure] = totals.get(measure, 0.0) + amount

    def team_credit(self, rep: Rep, measure: Measure, scope: str) -> float:
        """Credit so far in ``measure`` of ``rep``'s team: the company's or its manager's."""
        if scope == "company":
            return self.totals[measure]
        return self.team_totals.get((rep.manager, measure), 0.0)

    def of(self, rep_id: int) -> dict[Measure, float]:
        """The rep ``rep_id``'s totals by measure."""
        return self.rep_totals[rep_id]

    def snapshot(self, measure: Measure) -> dict[int, float]:
        """Every employed rep's credit so far in ``measure``, by rep id."""
        return {rep_id: totals.get(measure, 0.0) for rep_id, totals in self.rep_totals.items()}
