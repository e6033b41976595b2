"""What the best teams did differently: each kind of decision, how often and how much.

A team's decision log is read as typed decisions (``salessim.game.decisions``). Per kind
of decision, *how often* is the share of a team's turns that held one, and *how much* is
what the kind amounts to over the game (reps hired, the coaching hours set): a count
sums over the turns, a level is the mean of the levels set (unknown, NaN, for a team that
never set one). A group's figure is the mean over its teams.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salessim.game.decisions import Decisions, parse
from salessim.report.format import money, number, percent

Amount = Callable[[Decisions], float | None]  # what one turn's decision amounts to; None: none


@dataclass(frozen=True)
class Kind:
    """A kind of decision: its name, what its amount is in, and how to read it from a turn."""

    name: str
    unit: str  # what "how much" counts or measures
    amount: Amount
    level: bool  # a level set (averaged over the turns that set it), not a count (summed)
    show: Callable[[float | None], str] = number  # "how much" in words


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _authority(chosen: Decisions) -> float | None:
    pricing = chosen.pricing
    if pricing is None:
        return None
    levels = [*pricing.authority.values()]
    return max(levels) if levels else pricing.approve_up_to


KINDS: tuple[Kind, ...] = (
    Kind("hire", "reps hired", lambda d: sum(h.count for h in d.hire) or None, level=False),
    Kind("fire", "reps let go", lambda d: len(d.fire) or None, level=False),
    Kind("pay raises", "reps raised", lambda d: len(d.pay_raise) or None, level=False),
    Kind(
        "coaching hours",
        "hours per rep a month",
        lambda d: d.coaching.hours_per_rep_per_month if d.coaching else None,
        level=True,
    ),
    Kind("training", "months between sessions", lambda d: d.training_every_months, level=True),
    Kind(
        "recognition",
        "awards per team a month",
        lambda d: None if d.recognition is None else float(d.recognition),
        level=True,
    ),
    Kind("quotas", "quota times the plan's", lambda d: _mean([*d.quota.values()]), level=True),
    Kind("plans", "reps put on a plan", lambda d: len(d.plan) or None, level=False),
    Kind(
        "pay plans",
        "plans and terms changed",
        lambda d: len(d.pay_plans) + len(d.plan_terms) or None,
        level=False,
    ),
    Kind(
        "contests",
        "prize money",
        lambda d: sum(d.contest.prizes) if d.contest else None,
        level=False,
        show=money,
    ),
    Kind("pricing", "largest discount authority", _authority, level=True, show=percent),
    Kind(
        "forecasts",
        "new ARR forecast",
        lambda d: d.forecast.new_arr if d.forecast else None,
        level=True,
        show=money,
    ),
    Kind(
        "routing, backfill, focus",
        "settings changed",
        lambda d: len(d.routing) + (d.backfill is not None) + len(d.segment_focus) or None,
        level=False,
    ),
)
"""Every kind of decision the comparison counts, in the order it shows them."""


@dataclass(frozen=True)
class Habit:
    """One team's use of one kind of decision over its game."""

    often: float  # share of its turns that held one
    much: float  # the count over the game, or the mean level set (NaN: never set)


def habits(log: Sequence[Mapping[str, Any]]) -> dict[str, Habit]:
    """Per kind of decision, how often a team decided it and how much, over its ``log``."""
    turns = [parse(entry) for entry in log]
    found = {}
    for kind in KINDS:
        amounts = [a for a in (kind.amount(chosen) for chosen in turns) if a is not None]
        often = len(amounts) / len(turns) if turns else math.nan
        if kind.level:
            much = statistics.fmean(amounts) if amounts else math.nan
        else:
            much = float(sum(amounts))
        found[kind.name] = Habit(often, much)
    return found


@dataclass(frozen=True)
class Side:
    """A group's mean habit for one kind: how often and how much (NaN where none is known)."""

    often: float
    much: float


@dataclass(frozen=True)
class KindRow:
    """One kind of decision, the best teams against the rest."""

    kind: Kind
    best: Side
    rest: Side


def compare_habits(
    best: Sequence[Sequence[Mapping[str, Any]]], rest: Sequence[Sequence[Mapping[str, Any]]]
) -> list[KindRow]:
    """Per kind of decision, the mean habit of the ``best`` teams' logs and of the ``rest``."""
    best_habits = [habits(log) for log in best]
    rest_habits = [habits(log) for log in rest]
    return [
        KindRow(kind, _side(best_habits, kind.name), _side(rest_habits, kind.name))
        for kind in KINDS
    ]


def _side(teams: Sequence[Mapping[str, Habit]], kind: str) -> Side:
    often = [team[kind].often for team in teams if math.isfinite(team[kind].often)]
    much = [team[kind].much for team in teams if math.isfinite(team[kind].much)]
    return Side(
        statistics.fmean(often) if often else math.nan,
        statistics.fmean(much) if much else math.nan,
    )
