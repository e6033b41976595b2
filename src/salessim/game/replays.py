"""Replaying variants of a game for the debrief, each from the turn where it departs.

A variant is a seed and a decision log (one entry per turn), replayed leniently: what
cannot apply on that seed is dropped (:func:`lenient`), and an empty entry is the
autopilot's turn. Its result is a measure of the finished game (``measure``), or of the
game after its first ``turns`` (a class that stopped early), and, when asked for, each
turn's figures.

A SimPy run cannot be copied, so a snapshot of a run at a turn boundary is a forked
process. Per seed, one process plays the first variant's turns; where another variant
departs from them it forks a child that plays that variant's own turns from there. The
variants' results come back over one pipe, a small message each (written whole, so they
never interleave). A slot pipe holds one byte per core: a process plays only while it
holds a byte, so at most ``os.cpu_count()`` play at once, and none waits while holding
one. Where fork is unavailable (not POSIX, ``SALESSIM_NO_FORK`` set, or under a debugger)
every variant is replayed from the start instead, with identical results.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import pickle
import select
import signal
import struct
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol

from salessim.game.decisions import Decisions, parse
from salessim.game.session import GameSession
from salessim.scenario.schema import Scenario

NO_FORK = "SALESSIM_NO_FORK"  # set (not empty) to replay every variant from the start
QUARTER_FIGURES = ("bookings_new_arr", "churned_arr", "people_spend", "ending_arr")
FRAME = struct.Struct("!I")  # a message's length, before its pickle
MESSAGE_BYTES = getattr(select, "PIPE_BUF", 512)  # a write this long is never interleaved
POLL_SECONDS = 0.1  # how often a waiting process looks for children that died
CANCEL_SECONDS = 5.0  # how long autopilots played ahead have to stop before being killed
AHEAD_NICENESS = 5  # replays in the background give way to the game being played

Measure = Callable[[GameSession], dict[str, float]]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Variant:
    """A game to replay: a seed, one decision entry per turn, a name for errors."""

    seed: int
    log: tuple[Mapping[str, Any], ...]
    name: str
    quarterly: bool = False  # also keep each turn's figures (:data:`QUARTER_FIGURES`)
    turns: int | None = None  # measured after this many turns; None: the whole game


@dataclass(frozen=True)
class Result:
    """A replayed variant: its measure at the end and, if asked for, each turn's figures."""

    outcome: dict[str, float]
    quarters: list[dict[str, float]] = field(default_factory=list)


class ReplayError(RuntimeError):
    """A replay failed or its process died."""


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


def forking_allowed() -> bool:
    """Whether variants may be forked from snapshots (POSIX, not disabled, no debugger)."""
    if not hasattr(os, "fork") or os.environ.get(NO_FORK):
        return False
    return not _debugger_attached()


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


class Pending(Protocol):
    """Replays under way in the background, whose results a :class:`Played` will take."""

    def collect(self) -> list[tuple[Scenario, Variant, Measure, Result]]:
        """Wait for the replays and return what they played (nothing if they failed)."""
        ...

    def cancel(self) -> None:
        """Stop the replays and wait for their processes to end."""
        ...


class Played:
    """Results of replays already played in this process, per scenario, seed, log and measure.

    The autopilot plays no decisions, so its game depends on nothing the player does:
    every debrief of a scenario and seed (and every player's luck seeds) shares it, and
    :func:`replay_all` keeps it here. Replays played in the background while the game is
    played (:meth:`expect`) are kept too. The oldest go beyond ``size`` entries.
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._results: dict[tuple[str, int, str, str, int | None], Result] = {}
        self._pending: list[Pending] = []

    def get(self, scenario: Scenario, variant: Variant, measure: Measure) -> Result | None:
        """``variant``'s result if it has been played; replays under way are waited for."""
        while self._pending:
            for played in self._pending.pop().collect():
                self.keep(*played)
        return self._results.get(_key(scenario, variant, measure))

    def known(self, scenario: Scenario, variant: Variant, measure: Measure) -> bool:
        """Whether ``variant``'s result is here already (without waiting for any)."""
        return _key(scenario, variant, measure) in self._results

    def keep(self, scenario: Scenario, variant: Variant, measure: Measure, result: Result) -> None:
        """Remember a result."""
        self._results[_key(scenario, variant, measure)] = result
        while len(self._results) > self.size:
            del self._results[next(iter(self._results))]

    def under_way(self) -> list[Pending]:
        """The replays under way in the background."""
        return list(self._pending)

    def expect(self, pending: Pending) -> None:
        """Take the results of ``pending`` when they are next asked for."""
        self._pending.append(pending)

    def play_ahead(
        self,
        scenario: Scenario,
        seeds: Sequence[int],
        measure: Measure,
        slots: Slots | None = None,
    ) -> None:
        """Start playing the autopilot on ``seeds`` in the background, at a low priority.

        A forked process plays them (as :func:`replay_all` would, in ``slots`` if given)
        while the game goes on; :meth:`get` takes its results, :meth:`cancel` stops it.
        Without fork, nothing.
        """
        variants = [
            Variant(seed, (), f"the autopilot on seed {seed}", quarterly=True)
            for seed in dict.fromkeys(seeds)
            if not self.known(scenario, Variant(seed, (), ""), measure)
        ]
        if variants and forking_allowed():
            self.expect(_Ahead(scenario, variants, measure, slots))

    def cancel(self) -> None:
        """Stop every replay under way in the background."""
        while self._pending:
            self._pending.pop().cancel()

    def clear(self) -> None:
        """Forget every result (and stop what is under way)."""
        self.cancel()
        self._results.clear()


def _key(
    scenario: Scenario, variant: Variant, measure: Measure
) -> tuple[str, int, str, str, int | None]:
    digest = hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()
    log = list(variant.log)
    while log and not log[-1]:
        log.pop()  # an empty turn at the end is the autopilot's turn
    decided = json.dumps(log, sort_keys=True)
    named = f"{measure.__module__}.{measure.__qualname__}"
    return digest, variant.seed, decided, named, variant.turns


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


def stop_group(pid: int, how: signal.Signals) -> None:
    """Signal ``pid``'s process group; wait for ``pid``, killing the group if it lingers."""
    with contextlib.suppress(OSError):
        os.killpg(pid, how)
    with contextlib.suppress(ChildProcessError):  # reaped already
        for _ in range(int(CANCEL_SECONDS / POLL_SECONDS)):
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
            select.select([], [], [], POLL_SECONDS)
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


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


def in_background(*, stop: bool) -> None:
    """In a forked child: its own process group, a low priority, the default signals.

    Away from the terminal's signals and the game's handlers, stopped as a group; with
    ``stop``, SIGTERM unwinds (so that the child stops its own children).
    """
    os.setpgid(0, 0)
    os.nice(AHEAD_NICENESS)  # the game being played comes first
    for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    if stop:
        signal.signal(signal.SIGTERM, _stop)


def _stop(number: int, frame: object) -> None:
    raise SystemExit(1)  # unwinds through _forked, which stops its own children


PLAYED = Played()  # results of pure functions: the same in every process


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
        raise ReplayError(f"the replay of {variant.name} failed ({_reason(error)})") from error


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
    inbox = _Inbox(variants, progress)
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
                            _finish, session, variants[index], index, turn, measure, channel
                        ),
                        channel,
                        slots,
                        index,
                    )
                children[pid] = index
                slots.passed()
                slots.take(lambda: _reap(children, channel, slots, block=False))
            quarters += _play(session, main, turn, turn + 1)
        result = Result(measure(session), quarters)
        for index in [first, *same]:
            send_message(channel, ("done", index, result))
    finally:
        slots.give()  # done playing: wait for the children without a slot
        _reap(children, channel, slots, block=True)


def _finish(
    session: GameSession, variant: Variant, index: int, turn: int, measure: Measure, channel: int
) -> None:
    """In a forked child: play ``variant`` from ``turn`` to the end and send its result."""
    quarters = _play(session, variant, turn, variant.turns)
    send_message(channel, ("done", index, Result(measure(session), quarters)))


def _differ(variant: Variant, main: Variant, turn: int) -> bool:
    return _entry(variant, turn) != _entry(main, turn)


def run_child(work: Callable[[], None], channel: int, slots: Slots, index: int) -> NoReturn:
    """Run ``work`` in a forked child, report a failure, and leave without cleaning up."""
    code = 1
    try:
        work()
        code = 0
    except BaseException as error:  # any failure is the parent's to report
        with contextlib.suppress(BaseException):
            send_message(channel, ("failed", index, _reason(error)))
    finally:
        with contextlib.suppress(BaseException):
            slots.give_all()
        os._exit(code)


def _reap(children: dict[int, int], channel: int, slots: Slots, *, block: bool) -> None:
    """Wait for children that ended (all of them if ``block``); report those that died."""
    for pid, index in list(children.items()):
        done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
        if not done:
            continue
        del children[pid]
        if os.WIFSIGNALED(status):
            slots.put_back()  # it died holding its slot
        if ended_badly(status):
            send_message(channel, ("died", index, how_it_ended(status)))


def send_message(channel: int, message: tuple[str, Any, Any]) -> None:
    """Write one message whole (short enough never to interleave with another)."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    framed = FRAME.pack(len(payload)) + payload
    if len(framed) > MESSAGE_BYTES:
        raise ReplayError(f"a replay's result takes {len(framed)} bytes, over {MESSAGE_BYTES}")
    os.write(channel, framed)


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def ended_badly(status: int) -> bool:
    """Whether a child's wait status is anything but a clean exit."""
    return not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)


def how_it_ended(status: int) -> str:
    """A child's wait status in words: the signal that killed it or its exit code."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(number).name}"
        return f"killed by signal {number}"
    return f"exit code {os.WEXITSTATUS(status)}"


def _debugger_attached() -> bool:
    if any(name in sys.modules for name in ("pydevd", "debugpy")):
        return True
    trace = sys.gettrace()
    owner = getattr(trace, "__self__", None)
    return owner is not None and type(owner).__module__ in ("bdb", "pdb")


class Slots:
    """One byte per core in a pipe: a process takes one to play and gives it back when done.

    ``held`` counts the slots this process holds; a forked child inherits its parent's.
    """

    def __init__(self, count: int) -> None:
        self._read, self._write = os.pipe()
        os.write(self._write, b"x" * count)
        os.set_blocking(self._read, False)  # shared by every process: never toggled
        self.held = 0

    def take(self, waiting: Callable[[], object]) -> None:
        """Take a slot, calling ``waiting`` every so often until one is free."""
        while True:
            ready, _, _ = select.select([self._read], [], [], POLL_SECONDS)
            if ready:
                try:
                    os.read(self._read, 1)
                except BlockingIOError:  # another process took it first
                    pass
                else:
                    self.held += 1
                    return
            waiting()

    def passed(self) -> None:
        """The slot just taken went to a forked child."""
        self.held -= 1

    def give(self) -> None:
        """Give a slot back."""
        if self.held > 0:
            self.held -= 1
            self.put_back()

    def give_all(self) -> None:
        """Give back every slot this process holds."""
        while self.held > 0:
            self.give()

    def put_back(self) -> None:
        """Return a slot that a dead process held."""
        os.write(self._write, b"x")

    def close(self) -> None:
        """Close both ends."""
        os.close(self._read)
        os.close(self._write)


class _Inbox:
    """The results as they arrive, with progress, failures and deaths."""

    def __init__(self, variants: list[Variant], progress: Progress | None) -> None:
        self._variants = variants
        self._progress = progress
        self._results: dict[int, Result] = {}
        self._problems: dict[int, str] = {}
        self._buffer = b""

    def read(self, fd: int, timeout: float | None) -> bool:
        """Read what has arrived (waiting up to ``timeout``); False at the end of input."""
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return True
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return False
        self._buffer += chunk
        for message in self._messages():
            self._take(message)
        return True

    def _messages(self) -> Iterator[tuple[str, int, Any]]:
        while len(self._buffer) >= FRAME.size:
            (length,) = FRAME.unpack_from(self._buffer)
            if len(self._buffer) < FRAME.size + length:
                return
            payload = self._buffer[FRAME.size : FRAME.size + length]
            self._buffer = self._buffer[FRAME.size + length :]
            yield pickle.loads(payload)

    def _take(self, message: tuple[str, int, Any]) -> None:
        kind, index, body = message
        if kind == "done":
            self._results[index] = body
            if self._progress is not None:
                self._progress(len(self._results), len(self._variants))
        else:
            self._problems.setdefault(index, f"{kind} ({body})")

    def died(self, members: list[int], status: int) -> None:
        """A seed's process ended: if it died, its unfinished variants are lost."""
        if ended_badly(status):
            for index in members:
                if index not in self._results:
                    self._problems.setdefault(index, f"died ({how_it_ended(status)})")

    def results(self) -> list[Result]:
        """Every variant's result, in order.

        Raises:
            ReplayError: a variant failed, died or never reported.
        """
        for index, variant in enumerate(self._variants):
            if index in self._problems:
                raise ReplayError(f"the replay of {variant.name} {self._problems[index]}")
            if index not in self._results:
                raise ReplayError(f"the replay of {variant.name} ended without a result")
        return [self._results[i] for i in range(len(self._variants))]
