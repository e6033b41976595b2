"""What happened in a turn, told in a few sentences: people moves, big deals, churn, why.

A :class:`TurnEvents` listens to the model's events for one turn; :func:`tell` turns them
and the turn's figures into plain sentences a manager would write in a weekly note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from salessim.model.events import (
    AccountChurned,
    Bus,
    ContestHeld,
    ExitKind,
    LeadClosed,
    LeadStatus,
    PlanEnded,
    PlanStarted,
    RepHired,
    RepLeft,
    TrainingHeld,
)
from salessim.report.format import money, role_label


@dataclass
class Exit:
    """A rep who left in the turn."""

    rep: int
    role: str
    involuntary: bool
    regretted: bool
    attainment: float | None
    promoted: bool = False


@dataclass
class TurnEvents:
    """The events of one turn that make its story."""

    hires: list[tuple[int, str, float]] = field(default_factory=list)  # rep, role, offer pay
    exits: list[Exit] = field(default_factory=list)
    plans_started: list[tuple[int, str]] = field(default_factory=list)
    plans_ended: list[tuple[int, str, bool]] = field(default_factory=list)
    trainings: list[tuple[int, float]] = field(default_factory=list)  # reps, cost
    biggest_win: tuple[float, int | None] | None = None  # ARR, AE id
    churned: list[float] = field(default_factory=list)
    news: list[str] = field(default_factory=list)  # scripted events, as they happened
    contests: list[tuple[list[int], int]] = field(default_factory=list)  # winners, entrants
    fired_by_player: set[int] = field(default_factory=set)  # the turn's decisions, by rep id
    planned_by_player: set[int] = field(default_factory=set)
    took_offers: set[int] = field(default_factory=set)  # left for a competitor (told as news)
    won_value: float = 0.0  # list value of the deals won
    discount_given: float = 0.0  # the part of it given away to win them
    launches: list[float] = field(default_factory=list)  # new products' conversion factors

    def listen(self, bus: Bus) -> None:
        """Subscribe to ``bus`` (for the rest of the game; reset with :meth:`clear`)."""
        bus.subscribe(RepHired, self._hired)
        bus.subscribe(RepLeft, self._left)
        bus.subscribe(PlanStarted, self._plan_started)
        bus.subscribe(PlanEnded, self._plan_ended)
        bus.subscribe(TrainingHeld, self._trained)
        bus.subscribe(LeadClosed, self._closed)
        bus.subscribe(AccountChurned, self._churned)
        bus.subscribe(ContestHeld, self._contest)

    def decided(self, fire: Iterable[int], plan: Iterable[int]) -> None:
        """The player's own firings and plans this turn; the rest are the company's policy."""
        self.fired_by_player.update(fire)
        self.planned_by_player.update(plan)

    def clear(self) -> None:
        """Forget the last turn."""
        fresh = TurnEvents()
        for name in fresh.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))

    def _hired(self, event: RepHired) -> None:
        self.hires.append((event.rep, event.role.value, event.pay))

    def _left(self, event: RepLeft) -> None:
        involuntary = event.exit is ExitKind.INVOLUNTARY
        promoted = event.exit is ExitKind.PROMOTED
        self.exits.append(
            Exit(
                event.rep,
                event.role.value,
                involuntary,
                event.regretted,
                event.attainment,
                promoted,
            )
        )

    def _plan_started(self, event: PlanStarted) -> None:
        self.plans_started.append((event.rep, event.role.value))

    def _plan_ended(self, event: PlanEnded) -> None:
        self.plans_ended.append((event.rep, event.role.value, event.restored))

    def _trained(self, event: TrainingHeld) -> None:
        self.trainings.append((event.reps, event.cost))

    def _closed(self, event: LeadClosed) -> None:
        if event.status is not LeadStatus.WON:
            return
        self.won_value += event.value
        self.discount_given += event.value * event.discount
        if self.biggest_win is None or event.arr > self.biggest_win[0]:
            self.biggest_win = (event.arr, event.owner)

    def _contest(self, event: ContestHeld) -> None:
        self.contests.append((list(event.winners), len(event.entrants)))

    def _churned(self, event: AccountChurned) -> None:
        self.churned.append(event.arr_lost)


def tell(
    events: TurnEvents,
    changes: dict[str, tuple[float, float]],
    backfill: Callable[[list[str]], str] | None = None,
    causes: list[str] | None = None,
) -> list[str]:
    """The turn's story: what moved and the people news behind it.

    ``changes`` maps an indicator to (last turn, this turn); ``backfill`` says, for the
    roles that lost reps, what happens to their seats; ``causes`` (from ``causes.explain``), why
    the figures moved, told instead of the bare moves of ``changes``.
    """
    lines = list(events.news)
    lines += _figures(changes) if causes is None else causes
    lines += _people(events)
    if backfill is not None and events.exits:
        lines.append(backfill(sorted({exit.role for exit in events.exits})))
    if events.biggest_win is not None:
        value, rep = events.biggest_win
        who = f" (rep {rep})" if rep is not None else ""
        lines.append(f"Biggest win of the quarter: {money(value)} ARR{who}.")
    if events.churned:
        total = sum(events.churned)
        lines.append(
            f"{_count(len(events.churned), 'customer')} left, taking {money(total)} ARR with them."
        )
    return lines


def _figures(changes: dict[str, tuple[float, float]]) -> list[str]:
    lines = []
    before, now = changes.get("bookings_new_arr", (0.0, 0.0))
    if before > 0:
        move = now / before - 1
        if abs(move) < 0.005:
            lines.append(f"New ARR held at {money(now)}.")
        else:
            verb = "rose" if move > 0 else "fell"
            lines.append(f"New ARR {verb} {abs(move):.0%} to {money(now)}.")
        capacity = changes.get("ae_capacity")
        if capacity and capacity[0] > 0 and abs(capacity[1] / capacity[0] - 1) >= 0.05:
            shift = capacity[1] / capacity[0] - 1
            lines[-1] += (
                f" Selling capacity of the AEs was {abs(shift):.0%} "
                f"{'higher' if shift > 0 else 'lower'} (vacancies and ramping reps count)."
            )
    return lines


def _people(events: TurnEvents) -> list[str]:
    lines = []
    voluntary = [
        e
        for e in events.exits
        if not e.involuntary and not e.promoted and e.rep not in events.took_offers
    ]
    if voluntary:
        missed = [e for e in voluntary if e.attainment is not None and e.attainment < 1]
        regretted = [e for e in voluntary if e.regretted]
        line = f"{_count(len(voluntary), 'rep')} resigned: {_reps_with_roles(voluntary)}"
        if missed:
            line += f"; {len(missed)} had been missing quota"
        if regretted:
            line += f"; the team will miss {_reps([e.rep for e in regretted])}"
        lines.append(line + ".")
    promoted = [e for e in events.exits if e.promoted]
    if promoted:
        lines.append(f"Promoted out of the team: {_reps_with_roles(promoted)}.")
    failed_plans = {rep for rep, _, restored in events.plans_ended if not restored}
    let_go = [e for e in events.exits if e.involuntary and e.rep not in failed_plans]
    yours = [e for e in let_go if e.rep in events.fired_by_player]
    if yours:
        lines.append(f"You let go {_reps_with_roles(yours)}.")
    theirs = [e for e in let_go if e.rep not in events.fired_by_player]
    if theirs:
        lines.append(f"The company let go {_reps_with_roles(theirs)}.")
    if events.hires:
        roles = _roles_of(role for _, role, _ in events.hires)
        lines.append(
            f"{_count(len(events.hires), 'new rep')} joined ({roles}): bootcamp first, "
            "then months of ramp."
        )
    for rep, role, restored in events.plans_ended:
        if restored:
            lines.append(
                f"Rep {rep} ({role_label(role)}) finished a performance plan and kept the job."
            )
    failed = [(rep, role) for rep, role, restored in events.plans_ended if not restored]
    if failed:
        who = _reps_of(failed)
        lines.append(
            f"{who[0].upper()}{who[1:]} did not recover on a performance plan: the company "
            "let them go under its performance policy."
        )
    by_player = [r for r, _ in events.plans_started if r in events.planned_by_player]
    if by_player:
        lines.append(f"You put {_reps(by_player)} on a performance plan.")
    by_policy = [(r, role) for r, role in events.plans_started if r not in events.planned_by_player]
    if by_policy:
        lines.append(
            f"The company put {_reps_of(by_policy)} on a performance plan under its "
            "performance policy."
        )
    for winners, entrants in events.contests:
        if winners:
            lines.append(f"A contest among {entrants} reps was won by {_reps(winners)}.")
    for reps, cost in events.trainings:
        lines.append(f"A training session reached {reps} reps ({money(cost)}).")
    return lines


def _reps(ids: list[int]) -> str:
    """``rep 4``, ``reps 4 and 9``, ``reps 4, 9 and 12``."""
    if len(ids) == 1:
        return f"rep {ids[0]}"
    return "reps " + ", ".join(str(i) for i in ids[:-1]) + f" and {ids[-1]}"


def _reps_with_roles(exits: list[Exit]) -> str:
    """``rep 4 (AE)``, ``reps 4 (AE) and 9 (SDR)``."""
    return _reps_of([(e.rep, e.role) for e in exits])


def _reps_of(reps: list[tuple[int, str]]) -> str:
    """Reps with their roles, by role: ``rep 4 (AE)``, ``reps 4, 7, 12 (AE) and 9 (SDR)``."""
    by_role: dict[str, list[int]] = {}
    for rep, role in reps:
        by_role.setdefault(role, []).append(rep)
    groups = [
        f"{', '.join(str(rep) for rep in sorted(ids))} ({role_label(role)})"
        for role, ids in by_role.items()
    ]
    noun = "rep" if len(reps) == 1 else "reps"
    if len(groups) == 1:
        return f"{noun} {groups[0]}"
    return f"{noun} " + ", ".join(groups[:-1]) + f" and {groups[-1]}"


def _roles(exits: list[Exit]) -> str:
    return _roles_of(e.role for e in exits)


def _roles_of(roles: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    for role in roles:
        counts[role] = counts.get(role, 0) + 1
    return ", ".join(f"{n} {role_label(role)}" for role, n in sorted(counts.items()))


def _count(n: int, noun: str) -> str:
    words = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}
    return f"{words.get(n, str(n))} {noun}{'' if n == 1 else 's'}"
