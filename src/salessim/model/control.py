"""The control surface: typed changes a game, a classroom or a script makes to a simulation.

``Simulation.control(changes)`` checks every change against the organisation as it is
and applies all of them, in order, or none. ``Retune`` brings in new parameters and
policies (a new ``Scenario`` of the same shape, built with typed edits, never parsed from
text); the others act on people. ``Simulation.view()`` is what a controller reads back.
"""

from __future__ import annotations

from typing import NamedTuple

from salessim.scenario.base import Role
from salessim.scenario.schema import Scenario


class Retune(NamedTuple):
    """From now on, the parameters and policies of ``scenario`` (the same shape)."""

    scenario: Scenario


class Hire(NamedTuple):
    """Open ``heads`` searches for ``role`` at ``offer`` x market pay (None: the usual)."""

    role: Role
    heads: int = 1
    offer: float | None = None


class Fire(NamedTuple):
    """Let rep ``rep`` go now, paying ``severance``: an involuntary exit."""

    rep: int
    severance: float = 0.0


class StartPlan(NamedTuple):
    """Put rep ``rep`` on a performance plan now."""

    rep: int


class SetPay(NamedTuple):
    """Pay rep ``rep`` ``pay`` a year from now on."""

    rep: int
    pay: float


class SettleOffers(NamedTuple):
    """Answer every competing offer held for a decision, on the reps' pay as it is now."""


Change = Retune | Hire | Fire | StartPlan | SetPay | SettleOffers
