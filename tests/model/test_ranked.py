"""Routing in O(log n) picks exactly the rep the O(n) policies pick.

``RankedPool`` and the team's ranked reps are checked against ``min`` over the
candidates, and the binary-search round robin against the linear scan it replaced,
on random sequences of joins, leaves, load and ramp changes and work.
"""

from __future__ import annotations

from typing import Any

import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from salessim.model.entities import Rep
from salessim.model.ranked import SLACK, RankedPool
from salessim.model.teams import RANKED_FROM, SCAN_BELOW, Team
from salessim.policies.routing import LeastLoaded, RoundRobin
from salessim.scenario.base import Role

IDS = st.integers(1, 8)
LOADS = st.integers(0, 3)  # few values, so that ranks tie often
PRODUCTIVITY = st.sampled_from([0.0, 0.04, 0.5, 1.0])
POOL_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), IDS),
        st.tuples(st.just("discard"), IDS),
        st.tuples(st.just("load"), IDS, LOADS),
        st.tuples(st.just("productivity"), IDS, PRODUCTIVITY),
    ),
    max_size=80,
)


def naive_least_loaded(members: list[Rep]) -> Rep | None:
    """The O(n) policy over the members sorted by id."""
    ordered = sorted(members, key=lambda rep: rep.id)
    return LeastLoaded(lambda: 0.0)(ordered) if ordered else None


@settings(max_examples=300, deadline=None)
@given(POOL_STEPS)
def test_ranked_pool_first_is_the_least_loaded_member_lowest_id_on_ties(steps):
    """``first`` is the member the least-loaded policy would choose from all of them.

    After any sequence of joins, leaves and rank changes; the heap stays within 2n + 32.
    """
    reps = {i: Rep(i, Role.AE, 1.0, 1.0, 1.0, 0.0) for i in range(1, 9)}
    pool: RankedPool[Rep] = RankedPool(LeastLoaded.rank)
    members: dict[int, Rep] = {}
    for step in steps:
        rep = reps[step[1]]
        if step[0] == "add" and rep.id not in members:
            members[rep.id] = rep
            pool.add(rep)
        elif step[0] == "discard":
            members.pop(rep.id, None)
            pool.discard(rep)
        elif step[0] == "load":
            rep.load = step[2]
            pool.update(rep)
        elif step[0] == "productivity":
            rep.productivity = step[2]
            pool.update(rep)
        assert pool.first() is naive_least_loaded(list(members.values()))
        assert len(pool) == len(members)
        assert len(pool._heap) <= 2 * len(members) + SLACK + 1


class Job:
    def __init__(self, work: float) -> None:
        self.work, self.queued_at, self.waiting, self.deadline = work, 0.0, False, -1.0


class Starts:
    """A handler that notes which rep started each job."""

    def __init__(self) -> None:
        self.by: list[int] = []

    def work_days(self, job: Job, rep: Rep) -> float:
        """A job takes its own work, whoever does it."""
        return job.work

    def started(self, job: Job, rep: Rep, wait_days: float) -> None:
        """Note the rep who started the job."""
        self.by.append(rep.id)

    def finished(self, job: Job, rep: Rep) -> None:
        """Nothing to note when a job is done."""
        pass

    def gave_up(self, job: Job) -> None:
        """Nothing to note when a job goes cold."""
        pass


TEAM_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("push"), st.sampled_from([0.5, 1.0, 3.0])),
        st.tuples(st.just("wait"), st.sampled_from([0.25, 1.0])),
        st.tuples(st.just("join"), st.just(0)),
        st.tuples(st.just("leave"), st.integers(0, 30)),
        st.tuples(st.just("load"), st.integers(0, 30), LOADS),
        st.tuples(st.just("productivity"), st.integers(0, 30), PRODUCTIVITY),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.integers(RANKED_FROM - 3, RANKED_FROM + 3), st.integers(SCAN_BELOW, SCAN_BELOW + 8)
    ),
    TEAM_STEPS,
)
def test_a_least_loaded_team_routes_as_the_policy_over_its_candidates(size, steps):
    """A team that keeps its reps ranked routes work to the rep the policy would pick.

    Owned work (``assign``) goes to the rep the policy picks from all its reps, shared
    work starts on the rep it picks from the idle reps, through joins, leaves, load and
    ramp changes and work done, on either side of the sizes from which the team ranks
    and bisects rather than scans.
    """
    env = simpy.Environment()
    policy = LeastLoaded(lambda: 0.0)
    reps = [Rep(i, Role.AE, 1.0, 1.0, 1.0, 0.0) for i in range(1, size + 1)]
    handler = Starts()
    team = Team(env, reps, policy, handler, sticky=False)
    next_id = size + 1
    for step in steps:
        kind = step[0]
        if kind == "push":
            expected: Any = None
            if len(team.idle) > 1:
                expected = policy(team.idle).id
            elif team.idle:
                expected = team.idle[0].id
            before = len(handler.by)
            team.push(Job(step[1]))
            if expected is not None:
                assert handler.by[before:] == [expected]
        elif kind == "wait":
            env.run(until=env.now + step[1])
        elif kind == "join":
            team.join(Rep(next_id, Role.AE, 1.0, 1.0, 1.0, 0.0))
            next_id += 1
        elif team.reps:
            rep = team.reps[step[1] % len(team.reps)]
            if kind == "leave":
                team.leave(rep)
            elif kind == "load":
                team.add_load(rep, step[2] - rep.load)
            else:
                rep.productivity = step[2]
                team.rerank(rep)
        chosen = team.assign(None)
        assert chosen is (policy(team.reps) if team.reps else None)


class LinearRoundRobin:
    """The round robin as it was: a scan for the first candidate after the last choice."""

    def __init__(self) -> None:
        self._last = -1

    def __call__(self, candidates: list[Rep]) -> Rep:
        """The first candidate with an id after the last choice, else the first one."""
        chosen = candidates[0]
        for rep in candidates:
            if rep.id > self._last:
                chosen = rep
                break
        self._last = chosen.id
        return chosen


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sets(st.integers(1, 40), min_size=1), max_size=40))
def test_round_robin_by_binary_search_takes_the_same_turns_as_a_scan(rounds):
    """Over any sequence of candidate sets (sorted by id), both choose the same reps.

    Sets of up to 40 candidates: short ones are scanned, long ones bisected.
    """
    reps = {i: Rep(i, Role.SDR, 1.0, 1.0, 1.0, 0.0) for i in range(1, 41)}
    fast, slow = RoundRobin(lambda: 0.0), LinearRoundRobin()
    for ids in rounds:
        candidates = [reps[i] for i in sorted(ids)]
        assert fast(candidates) is slow(candidates)
