"""Coaching focus policies: which of a manager's reps get the coaching hours.

A policy is called with the manager's reps (sorted by id, each as a ``Coachee``) and the
time now, and returns the reps to coach; the hours are then split evenly among them.
When a policy picks nobody (no stars on the team, say), the hours go to everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from salessim.scenario.people import CoachingFocus, Tier
from salessim.scenario.units import DAYS_PER_YEAR


class Coachee(NamedTuple):
    """What a focus policy knows of a rep."""

    id: int
    tier: Tier | None
    hired_at: float
    attainment: float | None = None  # trailing; None if unknown


FocusPolicy = Callable[[Sequence[Coachee], float], list[Coachee]]


def even(reps: Sequence[Coachee], now: float) -> list[Coachee]:
    """Everyone alike."""
    return list(reps)


def _tier(tier: Tier) -> FocusPolicy:
    def pick(reps: Sequence[Coachee], now: float) -> list[Coachee]:
        return [rep for rep in reps if rep.tier is tier]

    pick.__doc__ = f"The {tier.value} tier."
    return pick


def new_hires(reps: Sequence[Coachee], now: float) -> list[Coachee]:
    """Reps in their first year."""
    return [rep for rep in reps if now - rep.hired_at < DAYS_PER_YEAR]


def lowest_attainment(reps: Sequence[Coachee], now: float) -> list[Coachee]:
    """The bottom third by trailing attainment (unknown attainment counts as on target)."""
    ranked = sorted(reps, key=lambda rep: (_or_target(rep.attainment), rep.id))
    return ranked[: max(1, len(ranked) // 3)] if ranked else []


def _or_target(attainment: float | None) -> float:
    return 1.0 if attainment is None else attainment


FOCUS_POLICIES: dict[CoachingFocus, FocusPolicy] = {
    CoachingFocus.EVEN: even,
    CoachingFocus.STARS: _tier(Tier.STAR),
    CoachingFocus.CORE: _tier(Tier.CORE),
    CoachingFocus.LAGGARDS: _tier(Tier.LAGGARD),
    CoachingFocus.NEW_HIRES: new_hires,
    CoachingFocus.LOWEST_ATTAINMENT: lowest_attainment,
}


def coaching_split(
    focus: CoachingFocus, reps: Sequence[Coachee], now: float, hours: float
) -> dict[int, float]:
    """Hours per rep id: ``hours`` split evenly over the reps ``focus`` picks."""
    chosen = FOCUS_POLICIES[focus](reps, now) or list(reps)
    if not chosen:
        return {}
    share = hours / len(chosen)
    return {rep.id: share for rep in chosen}
