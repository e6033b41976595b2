"""A team: the reps of one role and the queue of work waiting for them.

Work waits first come, first served. In a pooled team any idle rep takes the next item
(M/M/c when work times are exponential); in a team where work stays with its owner, each
item is routed to one rep on arrival and waits for that rep. Items that give up waiting
(leads going cold) are dropped lazily: one alarm per team rings at the earliest deadline
(``Deadlines``, day buckets), marks the item, and takers skip marked items; the queue is
compacted when marked items outnumber live ones. Leaving a queue costs O(1) however long
it is.

The reps and the idle reps are lists sorted by id, searched by bisection (a short idle
list by a scan, quicker at that size). When the routing policy picks by a rank (least
loaded), the team also keeps them ranked (``RankedPool``, built the first time it is
needed), so choosing a rep costs O(log n) in the size of the team, not O(n); a team of
fewer than ``RANKED_FROM`` reps scans them, which is quicker at that size. A rep's rank
reads its ``load`` and ``productivity``: change them through ``add_load`` and
``rerank`` so the team sees it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from functools import partial
from typing import Any, Protocol

import simpy

from salessim.model.entities import Rep
from salessim.model.kernel.deadlines import NO_DEADLINE, Deadlines
from salessim.model.kernel.schedule import schedule
from salessim.model.ranked import RankedPool
from salessim.policies.routing import BY_ID, RoutingPolicy

RANKED_FROM = 12  # reps: from this team size, keeping reps ranked beats a scan per choice
SCAN_BELOW = 32  # idle reps: below this, list.remove (a scan in C) beats a binary search


class Work(Protocol):
    """What a team asks of the work it queues."""

    queued_at: float
    waiting: bool
    deadline: float


class Handler(Protocol):
    """The process a team's work belongs to."""

    def work_days(self, item: Any, rep: Rep) -> float:
        """Work the item needs from ``rep``, in days at full speed."""

    def started(self, item: Any, rep: Rep, wait_days: float) -> None:
        """``rep`` starts on ``item`` after it waited ``wait_days``."""

    def finished(self, item: Any, rep: Rep) -> None:
        """``rep`` finished ``item``."""

    def gave_up(self, item: Any) -> None:
        """``item`` waited longer than its patience."""


class Team:
    """The reps of one role, their queues and the time-weighted counts a queue needs."""

    def __init__(
        self,
        env: simpy.Environment,
        reps: list[Rep],
        routing: RoutingPolicy,
        handler: Handler,
        *,
        sticky: bool,
    ) -> None:
        self.env = env
        self.reps = reps
        self.routing = routing
        self.sticky = sticky
        self.handler = handler
        self.shared: deque[Any] = deque()
        self.idle: list[Rep] = list(reps)
        self.waiting = 0
        self.busy = 0
        self.waiting_area = 0.0
        self.busy_area = 0.0
        self.staffed_area = 0.0
        self._last_change = env.now
        self._deadlines = Deadlines()
        self._alarm: float | None = None
        self._ranked: RankedPool[Rep] | None = None  # the reps, by the policy's rank
        self._ranked_idle: RankedPool[Rep] | None = None  # the idle reps, likewise

    # ------------------------------------------------------------------ bookkeeping
    def _tick(self, now: float) -> None:
        """Bring the time integrals up to ``now`` (the clock's now, read once by the caller)."""
        elapsed = now - self._last_change
        if elapsed:
            self.waiting_area += self.waiting * elapsed
            self.busy_area += self.busy * elapsed
            self.staffed_area += len(self.reps) * elapsed
            self._last_change = now

    def areas(self) -> tuple[float, float, float]:
        """Time integrals of the numbers waiting, busy and on the team, up to now."""
        self._tick(self.env.now)
        return self.waiting_area, self.busy_area, self.staffed_area

    # ------------------------------------------------------------------ people
    def join(self, rep: Rep) -> None:
        """``rep`` starts taking work, beginning with the oldest shared item if one waits."""
        now = self.env.now
        self._tick(now)
        rep.active = True
        insort(self.reps, rep, key=BY_ID)
        if self._ranked is not None:
            self._ranked.add(rep)
        self._make_idle(rep)
        item = self._next_for(rep, now)
        if item is not None:
            self._start(rep, item, now)

    def leave(self, rep: Rep) -> list[Any]:
        """``rep`` takes no more work and finishes what it holds; return its waiting items.

        The items keep their place in time (``queued_at``) and any deadline, so handing
        them to a teammate with ``requeue`` neither restarts their wait nor their patience.
        """
        self._tick(self.env.now)
        rep.active = False
        _remove(self.reps, rep)
        if self._ranked is not None:
            self._ranked.discard(rep)
        if not rep.busy:
            _remove(self.idle, rep)
            if self._ranked_idle is not None:
                self._ranked_idle.discard(rep)
        items = [item for item in rep.queue if item.waiting]
        rep.queue.clear()
        for item in items:
            item.waiting = False
        self.waiting -= len(items)
        return items

    def withdraw(self, item: Work) -> None:
        """Take ``item`` out of the queue if it waits (takers skip it from now on)."""
        if item.waiting:
            self._tick(self.env.now)
            item.waiting = False
            self.waiting -= 1

    def requeue(self, item: Work, owner: Rep | None) -> None:
        """Queue ``item`` again, for ``owner`` (or anyone), as of when it was first queued."""
        queued_at, deadline = item.queued_at, item.deadline
        self.push(item, owner)
        item.queued_at, item.deadline = queued_at, deadline

    # ------------------------------------------------------------------ flow
    def assign(self, item: Any) -> Rep | None:
        """The rep new owned work goes to, chosen by the routing policy; None if nobody is on."""
        reps = self.reps
        if not reps:
            return None
        rank = self.routing.rank
        if rank is None or len(reps) < RANKED_FROM:
            self._ranked = None  # no upkeep while a scan is quicker
            return self.routing(reps)
        if self._ranked is None:
            self._ranked = RankedPool(rank, reps)
        return self._ranked.first()

    def push(
        self, item: Work, owner: Rep | None = None, patience_days: float | None = None
    ) -> None:
        """Queue ``item`` for ``owner`` (or for anyone), starting it at once if possible."""
        now = item.queued_at = self.env.now
        item.deadline = NO_DEADLINE
        if owner is None:
            idle = self.idle
            if idle:
                rep = self._pick_idle() if len(idle) > 1 else idle[0]
                self._start(rep, item, now)
                return
            queue = self.shared
        else:
            if not owner.busy:
                self._start(owner, item, now)
                return
            queue = owner.queue
        self._tick(now)
        self.waiting += 1
        item.waiting = True
        queue.append(item)
        if patience_days is not None:
            self._watch(item, now + patience_days)

    def _watch(self, item: Work, deadline: float) -> None:
        item.deadline = deadline
        self._deadlines.add(item)
        if self._alarm is None or deadline < self._alarm:
            self._set_alarm(deadline)

    def _set_alarm(self, deadline: float) -> None:
        self._alarm = deadline
        schedule(self.env, deadline - self.env.now, self._ring)

    def _ring(self, _event: simpy.Event) -> None:
        """Items past their deadline that are still waiting give up."""
        now = self.env.now
        for item in self._deadlines.due(now):
            self._tick(now)
            item.waiting = False
            self.waiting -= 1
            self.handler.gave_up(item)
        if len(self.shared) > 2 * self.waiting + 64:
            self.shared = deque(item for item in self.shared if item.waiting)
        if self._alarm is not None and self._alarm <= now:
            self._alarm = None
        upcoming = self._deadlines.next_deadline()
        if upcoming is not None and (self._alarm is None or upcoming < self._alarm):
            self._set_alarm(upcoming)

    def _start(self, rep: Rep, item: Any, now: float) -> None:
        if rep.busy is False:  # (a busy rep's next item ticked the clock as it was taken)
            self._tick(now)
            rep.busy = True
            self.busy += 1
            idle = self.idle
            if len(idle) < SCAN_BELOW:
                idle.remove(rep)
            else:
                at = bisect_left(idle, rep.id, key=BY_ID)
                assert idle[at] is rep
                del idle[at]
            if self._ranked_idle is not None:
                self._ranked_idle.discard(rep)
        handler = self.handler
        handler.started(item, rep, now - item.queued_at)
        elapsed = handler.work_days(item, rep) / rep.speed
        rep.busy_days += elapsed
        # schedule(), inlined; a partial calls back without a Python frame of its own
        done = self.env.timeout(elapsed)
        done.callbacks.append(partial(self._finish, rep, item))  # type: ignore[union-attr]

    def _finish(self, rep: Rep, item: Any, _event: simpy.Event | None = None) -> None:
        self.handler.finished(item, rep)
        now = self.env.now
        if rep.active:
            nxt = self._next_for(rep, now)
            if nxt is not None:
                self._start(rep, nxt, now)
                return
        self._tick(now)
        rep.busy = False
        self.busy -= 1
        if rep.active:
            self._make_idle(rep)

    def _make_idle(self, rep: Rep) -> None:
        insort(self.idle, rep, key=BY_ID)
        if self._ranked_idle is not None:
            self._ranked_idle.add(rep)

    def _pick_idle(self) -> Rep:
        """The idle rep the routing policy chooses (there are at least two)."""
        rank = self.routing.rank
        if rank is None or len(self.reps) < RANKED_FROM:
            self._ranked_idle = None
            return self.routing(self.idle)
        if self._ranked_idle is None:
            self._ranked_idle = RankedPool(rank, self.idle)
        chosen = self._ranked_idle.first()
        assert chosen is not None
        return chosen

    def add_load(self, rep: Rep, change: int) -> None:
        """``rep`` owns ``change`` more open items (deals, accounts), or fewer if negative."""
        rep.load += change
        if self._ranked is not None or self._ranked_idle is not None:
            self.rerank(rep)

    def rerank(self, rep: Rep) -> None:
        """``rep``'s productivity (or load) changed: move it in the ranked pools, if any.

        Nothing happens for a rep who is not on the team.
        """
        if self._ranked is not None:
            self._ranked.update(rep)
        if self._ranked_idle is not None:
            self._ranked_idle.update(rep)

    def _next_for(self, rep: Rep, now: float) -> Any:
        """The oldest live item ``rep`` may take: its own or the shared queue's."""
        own, shared = rep.queue, self.shared
        while own and not own[0].waiting:
            own.popleft()
        while shared and not shared[0].waiting:
            shared.popleft()
        if own and (not shared or own[0].queued_at <= shared[0].queued_at):
            queue = own
        elif shared:
            queue = shared
        else:
            return None
        item = queue.popleft()
        self._tick(now)
        item.waiting = False
        self.waiting -= 1
        return item

    def set_routing(self, routing: RoutingPolicy) -> None:
        """Use another routing policy from now on."""
        self.routing = routing
        self._ranked = self._ranked_idle = None

    def __repr__(self) -> str:
        return f"Team({len(self.reps)} reps, waiting={self.waiting}, routing={self.routing!r})"


def index_of(reps: list[Rep], rep: Rep) -> int | None:
    """Where ``rep`` is in ``reps``, a list sorted by id; None if absent. O(log n)."""
    at = bisect_left(reps, rep.id, key=BY_ID)
    return at if at < len(reps) and reps[at] is rep else None


def _remove(reps: list[Rep], rep: Rep) -> None:
    """Take ``rep`` out of ``reps``, a list sorted by id."""
    at = index_of(reps, rep)
    if at is None:
        raise ValueError(f"{rep!r} is not in the list")
    del reps[at]
