"""Managers' time: each month a manager's hours go to fixed duties first, coaching last.

A manager has ``hours_per_week`` over the month. In order, admin takes its share, then
the weekly team meeting, interviews for open requisitions, deal support for the deals
the organisation closed (and the price concessions reps asked it to approve), training
delivery, one-to-ones and the month's recognition awards; each takes what it needs from
what is left. Coaching gets the rest, up to the policy's coaching time (a share of the
manager's hours, or hours asked per rep), and the focus policy decides who gets them.
More reps per manager means less time per rep.

The desk keeps the hours each rep had this month, by rep id: attention (one-to-ones and
coaching) and coaching alone. It counts the reps of each manager as reps are given one
and leave, and keeps the managers in a heap of (reps, index) with lazy deletion, so a
new hire's manager costs O(log m), not a count over everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from heapq import heapify, heappop, heappush

from salessim.model.entities import Rep
from salessim.policies.coaching import Coachee, coaching_split
from salessim.scenario.people import MANAGER_ACTIVITIES, Coaching, Recognition
from salessim.scenario.roles import ManagerSpec
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK

RECOGNITION = MANAGER_ACTIVITIES.index("recognition")


class ManagerDesk:
    """The first-line managers, the reps each one has, and where their hours went."""

    def __init__(self, spec: ManagerSpec) -> None:
        self.spec = spec
        self.count = spec.headcount
        self.hours = dict.fromkeys(MANAGER_ACTIVITIES, 0.0)  # cumulative, by activity
        self.available = 0.0  # cumulative hours the managers had
        self.coaching_asked = 0.0  # cumulative coaching hours the policy asked for
        self.coached: dict[int, float] = {}  # this month's coaching hours, by rep id
        self.attention: dict[int, float] = {}  # this month's hours of attention, by rep id
        self.awards: dict[int, int] = {}  # this month's recognition awards, by manager
        self._spans = [0] * self.count  # reps given to each manager and not yet gone
        self._fewest: list[tuple[int, int]] = []  # (reps, manager); stale when reps moved on
        self._reheap()

    def assign(self, rep: Rep) -> None:
        """Give ``rep`` the manager with the fewest reps (lowest index on ties).

        The same manager as ``least_staffed`` over the reps given one so far and still
        here (``release`` takes a leaver off); manager 0 when there are none. O(log m).
        """
        spans, heap = self._spans, self._fewest
        if not spans:
            rep.manager = 0
            return
        while heap[0][0] != spans[heap[0][1]]:
            heappop(heap)
        rep.manager = heap[0][1]
        self._count(rep.manager, 1)

    def release(self, rep: Rep) -> None:
        """``rep``, given a manager by ``assign``, has left."""
        if self._spans:
            self._count(rep.manager, -1)

    def _count(self, manager: int, change: int) -> None:
        spans, heap = self._spans, self._fewest
        spans[manager] += change
        heappush(heap, (spans[manager], manager))
        if len(heap) > 2 * len(spans) + 32:
            self._reheap()

    def _reheap(self) -> None:
        self._fewest = [(reps, manager) for manager, reps in enumerate(self._spans)]
        heapify(self._fewest)

    def least_staffed(self, reps: Sequence[Rep]) -> int:
        """The manager with the fewest reps (lowest index on ties), for a new hire."""
        spans = self.spans(reps)
        return min(range(len(spans)), key=spans.__getitem__) if spans else 0

    def spans(self, reps: Sequence[Rep]) -> list[int]:
        """Reps per manager (empty with no managers)."""
        spans = [0] * self.count
        if not spans:
            return spans
        for rep in reps:
            spans[rep.manager] += 1
        return spans

    def month(
        self,
        reps: Sequence[Rep],
        days: float,
        now: float,
        coaching: Coaching,
        demands: dict[str, float],
        attainment: Callable[[int], float | None],
        recognition: Recognition | None = None,
    ) -> None:
        """Spend one month of every manager's time; set each rep's attention and coaching.

        ``demands`` gives the organisation's hours for hiring, deal support and training
        delivery (per manager for training); they are shared evenly among managers.
        ``attainment`` gives a rep's trailing attainment by id, for the focus policy.
        ``recognition`` asks each manager for its awards' hours; ``awards`` then holds the
        awards each manager had the time to give.
        """
        self.coached, self.attention, self.awards = {}, {}, {}
        recognition = recognition or Recognition(per_team_per_month=0)
        if self.count == 0:
            return
        time = self.spec.time
        months = days / DAYS_PER_MONTH
        weeks = days / DAYS_PER_WEEK
        teams: list[list[Rep]] = [[] for _ in range(self.count)]
        for rep in reps:
            teams[rep.manager].append(rep)
        hours = self.spec.hours_per_week * weeks
        for manager, team in enumerate(teams):
            left = hours
            awards = min(recognition.per_team_per_month, len(team))
            each = recognition.hours_per_award
            wants = {
                "admin": time.admin_share * left,
                "team_meetings": time.team_meeting_hours_per_week * weeks if team else 0.0,
                "hiring": demands.get("hiring", 0.0) / self.count,
                "deal_support": demands.get("deal_support", 0.0) / self.count,
                "training": demands.get("training", 0.0) if team else 0.0,
                "one_to_ones": time.one_to_one_hours_per_rep_per_month * months * len(team),
                "recognition": each * awards,
                "coaching": _coaching_wanted(coaching, hours, months, len(team)),
            }
            self.available += hours
            self.coaching_asked += wants["coaching"]
            if each > 0:  # whole awards only: as many as the duties before leave time for
                served = hours - sum(wants[a] for a in MANAGER_ACTIVITIES[:RECOGNITION])
                awards = min(awards, max(0, int(served / each + 1e-9)))
                wants["recognition"] = each * awards
            self.awards[manager] = awards
            spent = {}
            for activity in MANAGER_ACTIVITIES:
                spent[activity] = min(wants[activity], left)
                left -= spent[activity]
                self.hours[activity] += spent[activity]
            if not team:
                continue
            one_to_one = spent["one_to_ones"] / len(team) / months
            coachees = [Coachee(r.id, r.tier, r.hired_at, attainment(r.id)) for r in team]
            split = coaching_split(coaching.focus, coachees, now, spent["coaching"] / months)
            for rep in team:
                coached = self.coached[rep.id] = split.get(rep.id, 0.0)
                self.attention[rep.id] = one_to_one + coached


def _coaching_wanted(coaching: Coaching, hours: float, months: float, reps: int) -> float:
    """The coaching time a manager of ``reps`` wants from its ``hours`` over ``months``."""
    if reps == 0:
        return 0.0
    if coaching.hours_per_rep_per_month is not None:
        return coaching.hours_per_rep_per_month * months * reps
    return coaching.share_of_time * hours
