"""Who is on the payroll: the employed reps and managers, their standings, and the payees.

Besides the payees by rep id, the roster counts them by plan and by plan and manager as
they come and go, so team pay asks for its members in O(1) instead of counting them.
"""

from __future__ import annotations

from salessim.model.entities import Rep
from salessim.model.pay.payee import Payee
from salessim.model.pay.standing import Standing


class Roster:
    """The reps and managers employed, the payees among them, and their head counts."""

    def __init__(self) -> None:
        self.everyone: dict[int, Rep] = {}  # employed reps and managers, by id (not leavers)
        self.standings: dict[int, Standing] = {}  # theirs, by id
        self.managers: list[Rep] = []  # by index: a rep's ``manager``
        self.payees: dict[int, Payee] = {}  # on a plan now, by rep id
        self.plan_heads: dict[str, int] = {}  # payees by plan
        self.team_heads: dict[tuple[str, int], int] = {}  # payees by plan and manager

    def hire(self, rep: Rep) -> None:
        """``rep`` is employed (again, for a manager put on a plan): it has a standing."""
        self.everyone[rep.id] = rep
        if rep.id not in self.standings:
            self.standings[rep.id] = Standing()

    def add_manager(self, manager: Rep) -> None:
        """``manager`` is employed, as the manager of index ``manager.manager``."""
        self.managers.append(manager)
        self.hire(manager)

    def let_go(self, rep_id: int) -> None:
        """The rep ``rep_id`` is no longer employed."""
        self.everyone.pop(rep_id, None)
        self.standings.pop(rep_id, None)

    def add(self, payee: Payee) -> None:
        """Put ``payee`` on the payroll and count it."""
        self.payees[payee.rep.id] = payee
        self.count(payee, 1)

    def remove(self, rep_id: int) -> Payee | None:
        """Take the rep ``rep_id`` off the payroll: its payee, or None if it had none."""
        payee = self.payees.pop(rep_id, None)
        if payee is not None:
            self.count(payee, -1)
        return payee

    def count(self, payee: Payee, change: int) -> None:
        """Count ``payee`` in (1) or out of (-1) the heads of its plan and team."""
        name, team = payee.plan_name, (payee.plan_name, payee.rep.manager)
        self.plan_heads[name] = self.plan_heads.get(name, 0) + change
        self.team_heads[team] = self.team_heads.get(team, 0) + change

    def members(self, payee: Payee, scope: str) -> int:
        """Payees of ``payee``'s plan in ``scope`` (company or manager), a leaver included."""
        heads = (
            self.plan_heads.get(payee.plan_name, 0)
            if scope == "company"
            else self.team_heads.get((payee.plan_name, payee.rep.manager), 0)
        )
        return heads + (0 if payee.rep.id in self.payees else 1)

    def manager_of(self, rep: Rep) -> Payee | None:
        """The payee of ``rep``'s manager, if managers are kept and its manager is on a plan."""
        if not self.managers:
            return None
        return self.payees.get(self.managers[rep.manager].id)

    def sorted(self) -> list[Payee]:
        """Everyone on a plan, by rep id."""
        return [self.payees[rep_id] for rep_id in sorted(self.payees)]
