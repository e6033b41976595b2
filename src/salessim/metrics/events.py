"""The typed events the model emits, the bus recorders subscribe to, and their vocabulary.

Behaviour code calls ``bus.emit(Event.X, ...)`` and never touches a collector; recorders
subscribe to the events they need. Each event's arguments are fixed and listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any


class Event(IntEnum):
    """Event kinds and their arguments (after the time, always first)."""

    LEAD_CREATED = 0  # (t, lead)
    WORK_STARTED = 1  # (t, role, rep, item, wait_days)
    LEAD_WENT_COLD = 2  # (t, lead)
    STAGE_DONE = 3  # (t, lead, stage_index, converted)
    OPPORTUNITY_CREATED = 4  # (t, lead)
    LEAD_CLOSED = 5  # (t, lead)  status says how
    ACCOUNT_OPENED = 6  # (t, account_id, lead_id or None for the initial book, arr)
    ACCOUNT_RENEWED = 7  # (t, account_id, opened_at, arr_before, arr_after)
    ACCOUNT_CHURNED = 8  # (t, account_id, opened_at, arr_lost)
    MONTH_END = 9  # (t, month_index)
    QUARTER_END = 10  # (t, label)
    YEAR_END = 11  # (t, label)
    REP_HIRED = 12  # (t, rep, hiring_cost, days_to_fill)
    REP_LEFT = 13  # (t, rep, involuntary, regretted, exit_cost)
    PLAN_STARTED = 14  # (t, rep)
    PLAN_ENDED = 15  # (t, rep, restored)
    TRAINING_HELD = 16  # (t, reps_trained, cost)
    PAY_LINE = 17  # (t, rep, plan_name, period_label, line)
    PAY_PERIOD_CLOSED = 18  # (t, rep, plan_name, period_label, quota, credit, complete)
    CONTEST_HELD = 19  # (t, winners, entrants)


class Source(IntEnum):
    """Where a lead came from."""

    INBOUND = 0
    OUTBOUND = 1
    REFERRAL = 2


class LeadStatus(IntEnum):
    """Where a lead is in its life."""

    OPEN = 0
    WON = 1
    LOST = 2
    GONE_COLD = 3
    DISQUALIFIED = 4


Handler = Callable[..., Any]


class Bus:
    """Delivers each emitted event to the handlers subscribed to its kind, in order."""

    def __init__(self) -> None:
        self._handlers: list[list[Handler]] = [[] for _ in Event]

    def subscribe(self, kind: Event, handler: Handler) -> None:
        """Call ``handler(*args)`` whenever ``kind`` is emitted."""
        self._handlers[kind].append(handler)

    def emit(self, kind: Event, *args: Any) -> None:
        """Deliver an event to its subscribers."""
        for handler in self._handlers[kind]:
            handler(*args)

    def wants(self, kind: Event) -> bool:
        """Whether anyone listens to ``kind`` (lets hot paths skip building arguments)."""
        return bool(self._handlers[kind])
