"""Replaying variants of a game for the debrief, each from the turn where it departs.

A variant is a seed and a decision log (one entry per turn), replayed leniently: what
cannot apply on that seed is dropped (:func:`lenient`), and an empty entry is the
autopilot's turn. Its result is a measure of the finished game (``measure``), or of the
game after its first ``turns`` (a class that stopped early), and, when asked for, each
turn's figures.

A SimPy run cannot be copied, so a snapshot of a run at a turn boundary is a forked
process. Per seed, one process plays the first variant's turns; where another variant
departs from them it forks a child that plays that variant's own turns from there
(:mod:`salessim.game.forking` has the slots, the pipe and the reaping). At most
``os.cpu_count()`` play at once. Where fork is unavailable every variant is replayed from
the start instead, with identical results.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import pickle
import signal
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, as_completed
from typing import Any, NoReturn

from salessim.game.decisions import Decisions, parse
from salessim.game.forking import (
    Inbox,
    Progress,
    ReplayError,
    Slots,
    ended_badly,
    forking_allowed,
    in_background,
    reap,
    reason,
    run_child,
    send_message,
    stop_group,
)
from salessim.game.played import PLAYED, Measure, Result, Variant
from salessim.game.session import GameSession
from salessim.scenario.schema import Scenario

QUARTER_FIGURES = ("bookings_new_arr", "churned_arr", "people_spend", "ending_arr")


OWN_GAME_ONLY = ("forecast",)  # decisions about this game's own future, meaningless on another seed


def elsewhere(log: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    """``log`` as replayed on another seed: without what only the player's game could know.

    A forecast was made for this seed's pipeline; on a luck seed the guide stands in, as it
    does for a player who commits none.
    """
    return tuple({k: v for k, v in entry.items() if k not in OWN_GAME_ONLY} for entry in log)


def lenient(session: GameSession, decisions: Mapping[str, Any]) -> Decisions:
    """``decisions`` less what cannot apply in ``session`` now.

    Reps who are not on this team are not fired or put on a plan; if the rest still
    cannot apply (over budget, say), the hires go too, and failing that everything.
    """
    chosen = parse(decisions)
    employed = {rep.id for rep in session.employed()}
    kept = chosen.model_copy(
        update={
            "fire": [r for r in chosen.fire if r in employed],
            "plan": [r for r in chosen.plan if r in employed and r not in chosen.fire],
        }
    )
    if session.check(kept):
        kept = kept.model_copy(update={"hire": []})
    return Decisions() if session.check(kept) else kept


def replay_all(
    scenario: Scenario,
    variants: Sequence[Variant],
    measure: Measure,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    fork: bool = True,
) -> list[Result]:
    """Every variant's result, in order.

    Forked from snapshots where :func:`forking_allowed` (and ``fork``); otherwise each
    variant is replayed from the start, on ``executor`` if given (a process pool, a dask
    cluster), progress counted as each comes back.

    Raises:
        ReplayError: a replay failed or its process died; the message names the variant.
    """
    known = {
        index: result
        for index, variant in enumerate(variants)
        if (result := PLAYED.get(scenario, variant, measure)) is not None
        and (result.quarters or not variant.quarterly)
    }
    todo = [
        dataclasses.replace(variant, quarterly=True) if _autopilot(variant) else variant
        for index, variant in enumerate(variants)
        if index not in known
    ]
    counted = _counting(progress, len(known), len(variants))
    if fork and forking_allowed():
        found = _forked(scenario, todo, measure, counted)
    else:
        jobs = [(scenario, variant, measure) for variant in todo]
        found = _from_starts(jobs, executor, counted)
    for variant, result in zip(todo, found, strict=True):
        if _autopilot(variant):
            PLAYED.keep(scenario, variant, measure, result)
    computed = iter(found)
    results = [known[i] if i in known else next(computed) for i in range(len(variants))]
    return [
        result if variant.quarterly else Result(result.outcome)
        for variant, result in zip(variants, results, strict=True)
    ]


def play_ahead(
    scenario: Scenario, seeds: Sequence[int], measure: Measure, slots: Slots | None = None
) -> None:
    """Start playing the autopilot on ``seeds`` in the background, at a low priority.

    A forked process plays them (as :func:`replay_all` would, in ``slots`` if given)
    while the game goes on; :data:`PLAYED` takes its results when they are asked for, and
    ``PLAYED.cancel()`` stops it. Without fork, nothing.
    """
    variants = [
        Variant(seed, (), f"the autopilot on seed {seed}", quarterly=True)
        for seed in dict.fromkeys(seeds)
        if not PLAYED.known(scenario, Variant(seed, (), ""), measure)
    ]
    if variants and forking_allowed():
        PLAYED.expect(_Ahead(scenario, variants, measure, slots))


class _Ahead:
    """Autopilots played in the background by a forked process, results on a pipe."""

    def __init__(
        self,
        scenario: Scenario,
        variants: list[Variant],
        measure: Measure,
        slots: Slots | None,
    ) -> None:
        self.scenario, self.variants, self.measure = scenario, variants, measure
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            _play_ahead(scenario, variants, measure, slots, read_end, write_end)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        os.close(write_end)
        self.pid, self.fd = pid, read_end

    def collect(self) -> list[tuple[Scenario, Variant, Measure, Result]]:
        """Wait for the autopilots (a failure gives none)."""
        with os.fdopen(self.fd, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(self.pid, 0)
        if ended_badly(status):
            return []
        results = pickle.loads(data)
        return [
            (self.scenario, variant, self.measure, result)
            for variant, result in zip(self.variants, results, strict=True)
        ]

    def cancel(self) -> None:
        """Stop the process (it stops its own children) and wait for it."""
        stop_group(self.pid, signal.SIGTERM)
        os.close(self.fd)


def _play_ahead(
    scenario: Scenario,
    variants: list[Variant],
    measure: Measure,
    slots: Slots | None,
    unused: int,
    fd: int,
) -> NoReturn:
    """In a forked child: play ``variants`` and write their results to ``fd``."""
    code = 1
    try:
        os.close(unused)
        in_background(stop=True)
        data = pickle.dumps(_forked(scenario, variants, measure, None, slots))
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        code = 0
    except BaseException:  # the debrief plays them itself
        code = 1
    finally:
        os._exit(code)


def _autopilot(variant: Variant) -> bool:
    return not any(variant.log)


def _counting(progress: Progress | None, known: int, total: int) -> Progress | None:
    """``progress`` over every variant, the ``known`` ones counted as done already."""
    if progress is None:
        return None
    if known:
        progress(known, total)
    return lambda done, _: progress(known + done, total)


# ----------------------------------------------------------------------- playing
def _from_start(job: tuple[Scenario, Variant, Measure]) -> Result:
    """One variant replayed from the start of its game."""
    scenario, variant, measure = job
    try:
        session = GameSession(scenario, variant.seed)
        quarters = _play(session, variant, 0, variant.turns)
        return Result(measure(session), quarters)
    except Exception as error:
        raise ReplayError(f"the replay of {variant.name} failed ({reason(error)})") from error


def _from_starts(
    jobs: list[tuple[Scenario, Variant, Measure]],
    executor: Executor | None,
    progress: Progress | None,
) -> list[Result]:
    """Each job's :func:`_from_start`, in order: on ``executor`` as they finish, else here."""
    if executor is None:
        found = []
        for done, job in enumerate(jobs, start=1):
            found.append(_from_start(job))
            if progress is not None:
                progress(done, len(jobs))
        return found
    futures = {executor.submit(_from_start, job): index for index, job in enumerate(jobs)}
    results: dict[int, Result] = {}
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(jobs))
    finally:
        for future in futures:  # a replay failed or progress raised: the rest are not wanted
            future.cancel()
    return [results[index] for index in range(len(jobs))]


def _play(
    session: GameSession, variant: Variant, start: int, stop: int | None = None
) -> list[dict[str, float]]:
    """Play ``variant``'s turns ``start`` to ``stop`` (the end); each turn's figures if kept."""
    quarters = []
    for turn in range(start, session.turns if stop is None else stop):
        briefing = session.advance(lenient(session, _entry(variant, turn)))
        if variant.quarterly:
            shown = {row.name: row.value for row in briefing.indicators}
            quarters.append({name: float(shown[name]) for name in QUARTER_FIGURES})
    return quarters


def _entry(variant: Variant, turn: int) -> Mapping[str, Any]:
    return variant.log[turn] if turn < len(variant.log) else {}


# ----------------------------------------------------------------------- forking
def _forked(
    scenario: Scenario,
    variants: list[Variant],
    measure: Measure,
    progress: Progress | None,
    shared: Slots | None = None,
) -> list[Result]:
    """Every variant's result: a process per seed, forking a child where a variant departs.

    The processes play in ``shared`` slots if given, in slots of their own otherwise.
    """
    by_seed: dict[tuple[int, int | None], list[int]] = {}
    for index, variant in enumerate(variants):
        by_seed.setdefault((variant.seed, variant.turns), []).append(index)
    inbox = Inbox([variant.name for variant in variants], progress)
    read_end, write_end = os.pipe()
    slots = shared or Slots(os.cpu_count() or 1)
    spines: dict[int, list[int]] = {}
    try:
        for members in by_seed.values():
            slots.take(lambda: inbox.read(read_end, 0))  # reading what arrives meanwhile
            pid = os.fork()
            if pid == 0:

                def spine(members: list[int] = members) -> None:
                    os.close(read_end)
                    os.setpgid(0, 0)  # the seed's processes, to be stopped together
                    _spine(scenario, variants, members, measure, write_end, slots)

                run_child(spine, write_end, slots, members[0])
            with contextlib.suppress(OSError):
                os.setpgid(pid, pid)  # set on both sides, whichever runs first
            slots.passed()
            spines[pid] = members
        os.close(write_end)
        write_end = -1
        while inbox.read(read_end, None):
            pass
        for pid, members in list(spines.items()):
            _, status = os.waitpid(pid, 0)
            del spines[pid]
            inbox.died(members, status)
    finally:
        for pid in spines:  # left early (an error, Ctrl-C): stop each seed's processes
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)
        if shared is None:
            slots.close()
    return inbox.results()


def _spine(
    scenario: Scenario,
    variants: list[Variant],
    members: list[int],
    measure: Measure,
    channel: int,
    slots: Slots,
) -> None:
    """Play the first member's turns, forking a child for each member where it departs."""
    first, main = members[0], variants[members[0]]
    session = GameSession(scenario, main.seed)
    turns = session.turns if main.turns is None else main.turns  # the same for every member
    along = [i for i in members[1:] if any(_differ(variants[i], main, t) for t in range(turns))]
    same = [i for i in members[1:] if i not in along]  # the main's turns exactly
    if any(variants[i].quarterly for i in same):
        main = dataclasses.replace(main, quarterly=True)
    figures = dataclasses.replace(main, quarterly=True)  # a child departing later needs them
    children: dict[int, int] = {}
    try:
        quarters: list[dict[str, float]] = []
        for turn in range(turns):
            for index in [i for i in along if _differ(variants[i], main, turn)]:
                along.remove(index)
                pid = os.fork()  # the child plays in this process's slot
                if pid == 0:
                    run_child(
                        functools.partial(
                            _finish,
                            session,
                            variants[index],
                            index,
                            turn,
                            measure,
                            channel,
                            list(quarters),
                        ),
                        channel,
                        slots,
                        index,
                    )
                children[pid] = index
                slots.passed()
                slots.take(lambda: reap(children, channel, slots, block=False))
            quarters += _play(session, figures, turn, turn + 1)
        result = Result(measure(session), quarters if main.quarterly else [])
        for index in [first, *same]:
            send_message(channel, ("done", index, result))
    finally:
        slots.give()  # done playing: wait for the children without a slot
        reap(children, channel, slots, block=True)


def _finish(
    session: GameSession,
    variant: Variant,
    index: int,
    turn: int,
    measure: Measure,
    channel: int,
    before: list[dict[str, float]],
) -> None:
    """In a forked child: play ``variant`` from ``turn`` to the end and send its result.

    ``before`` holds the figures of the turns it shared with its spine, which it keeps
    if it wants each turn's figures.
    """
    quarters = (before if variant.quarterly else []) + _play(session, variant, turn, variant.turns)
    send_message(channel, ("done", index, Result(measure(session), quarters)))


def _differ(variant: Variant, main: Variant, turn: int) -> bool:
    return _entry(variant, turn) != _entry(main, turn)
