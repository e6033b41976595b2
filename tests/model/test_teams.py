"""Teams and routing: FIFO service, ownership, lazy abandonment and the routing policies."""

from __future__ import annotations

from typing import Any

import simpy

from salessim.model.entities import Rep
from salessim.model.teams import Team
from salessim.policies.routing import LeastLoaded, RoundRobin, SkillWeighted
from salessim.scenario.base import Role


class Item:
    def __init__(self, name: str, work: float) -> None:
        self.name, self.work, self.queued_at, self.waiting = name, work, 0.0, False


class Log:
    """A handler that records who did what when."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env, self.events = env, []

    def work_days(self, item: Item, rep: Rep) -> float:
        """An item takes its own work, whoever does it."""
        return item.work

    def started(self, item: Item, rep: Rep, wait: float) -> None:
        """Record the start: item, rep, day and the wait before it."""
        self.events.append(("start", item.name, rep.id, self.env.now, wait))

    def finished(self, item: Item, rep: Rep) -> None:
        """Record the finish: item, rep and day."""
        self.events.append(("done", item.name, rep.id, self.env.now))

    def gave_up(self, item: Item) -> None:
        """Record an item gone cold and the day."""
        self.events.append(("cold", item.name, self.env.now))


def team(n: int, routing: Any = None, sticky: bool = False, speed: float = 1.0) -> tuple:
    """A team of ``n`` SDRs (skills 1, 2, ...) with a logging handler: env, team and log."""
    env = simpy.Environment()
    reps = [Rep(i + 1, Role.SDR, 1.0 + i, 1.0, speed, 0.0) for i in range(n)]
    log = Log(env)
    t = Team(env, reps, routing or RoundRobin(lambda: 0.5), log, sticky=sticky)
    return env, t, log


def test_items_are_served_first_come_first_served():
    """One rep serves items in arrival order, each finishing after its work."""
    env, t, log = team(1)
    for name in "abc":
        t.push(Item(name, 1.0))
    env.run()
    assert [e[1] for e in log.events if e[0] == "start"] == ["a", "b", "c"]
    assert [e[3] for e in log.events if e[0] == "done"] == [1.0, 2.0, 3.0]


def test_speed_stretches_work_into_calendar_time():
    """A rep at a quarter of full speed takes four days for a day's work."""
    env, t, log = team(1, speed=0.25)
    t.push(Item("a", 1.0))
    env.run()
    assert log.events[-1] == ("done", "a", 1, 4.0)


def test_impatient_items_leave_and_are_skipped():
    """An item that waits past its patience goes cold and is skipped; the next one is served."""
    env, t, log = team(1)
    t.push(Item("a", 2.0))
    t.push(Item("b", 1.0), patience_days=1.0)
    t.push(Item("c", 1.0))
    env.run()
    assert ("cold", "b", 1.0) in log.events
    starts = [(e[1], e[3]) for e in log.events if e[0] == "start"]
    assert starts == [("a", 0.0), ("c", 2.0)]
    assert t.waiting == 0


def test_queue_integrals_match_a_hand_computed_schedule():
    """Two items on one rep: the second waits 1 day; the rep is busy 3 days of 3, on 3."""
    env, t, _ = team(1)
    t.push(Item("a", 1.0))
    t.push(Item("b", 2.0))
    env.run()
    assert t.areas() == (1.0, 3.0, 3.0)


def test_a_joining_rep_takes_the_oldest_waiting_item_at_once():
    """A rep who joins starts at once on the oldest waiting item."""
    env, t, log = team(1)
    for name in "abc":
        t.push(Item(name, 2.0))
    env.run(until=1.0)
    newcomer = Rep(9, Role.SDR, 1.0, 1.0, 1.0, 1.0)
    t.join(newcomer)
    assert ("start", "b", 9, 1.0, 1.0) in log.events
    assert t.reps[-1] is newcomer and t.waiting == 1


def test_a_leaver_finishes_its_item_and_hands_back_what_waits():
    """The leaver's queue comes back; its current item still finishes; it takes nothing new."""
    env, t, log = team(2, sticky=True)
    leaver, stayer = t.reps
    t.push(Item("a", 2.0), leaver)
    t.push(Item("b", 1.0), leaver)
    t.push(Item("c", 5.0), t.reps[1])
    env.run(until=1.0)
    handed = t.leave(leaver)
    assert [item.name for item in handed] == ["b"] and t.waiting == 0
    t.requeue(handed[0], stayer)
    assert handed[0].queued_at == 0.0 and t.waiting == 1
    env.run()
    assert ("done", "a", 1, 2.0) in log.events
    assert ("start", "b", 2, 5.0, 5.0) in log.events
    assert leaver not in t.reps and leaver not in t.idle and not leaver.busy


def test_a_requeued_item_keeps_its_deadline():
    """Patience runs from the first queueing: a hand-over does not restart it."""
    env, t, log = team(2, sticky=True)
    leaver, stayer = t.reps
    t.push(Item("busy", 10.0), leaver)
    t.push(Item("other", 10.0), stayer)
    t.push(Item("a", 1.0), leaver, patience_days=3.0)
    env.run(until=2.0)
    t.requeue(t.leave(leaver)[0], stayer)
    env.run()
    assert ("cold", "a", 3.0) in log.events


def test_a_withdrawn_item_is_skipped():
    """A withdrawn item is never started and leaves the queue."""
    env, t, log = team(1)
    t.push(Item("a", 1.0))
    gone = Item("b", 1.0)
    t.push(gone)
    t.withdraw(gone)
    env.run()
    assert [e[1] for e in log.events if e[0] == "start"] == ["a"] and t.waiting == 0


def test_owned_work_waits_for_its_owner_even_when_others_are_idle():
    """With sticky ownership, an owner's items wait for it even while a teammate is idle."""
    env, t, log = team(2, sticky=True)
    owner = t.reps[0]
    t.push(Item("a", 1.0), owner)
    t.push(Item("b", 1.0), owner)
    env.run()
    assert {e[2] for e in log.events if e[0] == "start"} == {1}
    assert log.events[-1][3] == 2.0


def test_round_robin_takes_turns():
    """Round robin takes reps in id order, wrapping round, from the last one it chose."""
    policy = RoundRobin(lambda: 0.0)
    reps = [Rep(i, Role.AE, 1.0, 1.0, 1.0, 0.0) for i in (1, 2, 3)]
    assert [policy(reps).id for _ in range(4)] == [1, 2, 3, 1]
    assert policy([reps[0], reps[2]]).id == 3


def test_least_loaded_picks_the_smallest_book_then_the_lowest_id():
    """Least loaded picks the rep with the smallest load, the lowest id on ties."""
    reps = [Rep(i, Role.AE, 1.0, 1.0, 1.0, 0.0) for i in (1, 2, 3)]
    reps[0].load, reps[1].load, reps[2].load = 4, 2, 2
    assert LeastLoaded(lambda: 0.0)(reps).id == 2


def test_skill_weighted_chooses_in_proportion_to_skill():
    """Skill-weighted routing picks in proportion to skill: 1 against 3 splits draws at 1/4."""
    reps = [Rep(1, Role.AE, 1.0, 1.0, 1.0, 0.0), Rep(2, Role.AE, 3.0, 1.0, 1.0, 0.0)]
    assert SkillWeighted(lambda: 0.2)(reps).id == 1
    assert SkillWeighted(lambda: 0.3)(reps).id == 2
