"""Stress tests: one scripted event laid over every arm, read from the command line.

``--shock market_dip:2027-04-01:6mo:0.7`` is the scenario event ``{at: 2027-04-01, kind:
market_dip, lasts: 6mo, factor: 0.7}`` (``scenario.scripted``), added to every arm's own
``events:`` so each meets the same shock on the same date. After the kind and the date,
each field is read by its form: a duration (``6mo``, ``90d``) is how long it lasts, a role
(``ae``) whose best rep gets an offer, and a number the factor (the offer, for a
competing offer); ``key=value`` names a field outright (``factor=0.7``).
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import ValidationError

from salessim.scenario.base import Role
from salessim.scenario.errors import ScenarioError
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario
from salessim.scenario.scripted import EventKind, ScriptedEvent
from salessim.scenario.units import DAYS_PER_MONTH, DURATION_UNITS

FORM = "KIND:DATE[:DURATION][:FACTOR]"
EXAMPLE = "market_dip:2027-04-01:6mo:0.7"
NEEDS_FACTOR = frozenset(
    {EventKind.MARKET_DIP, EventKind.LEAD_SURGE, EventKind.NEW_PRODUCT, EventKind.BUDGET_CUT}
)
FIELDS = ("factor", "lasts", "role", "offer", "headline")
_DURATION = re.compile(rf"^\d+(?:\.\d+)?(?:{'|'.join(u for u in DURATION_UNITS if u)})$")


class ShockError(ValueError):
    """A ``--shock`` that cannot be read or does not fit the scenario."""


def parse_shock(text: str) -> ScriptedEvent:
    """The scripted event a ``--shock`` names.

    Raises:
        ShockError: the text is not ``KIND:DATE[:FIELD]...`` or names a bad value.
    """
    kind_text, _, rest = text.partition(":")
    date_text, _, rest = rest.partition(":")
    kinds = ", ".join(k.value for k in EventKind)
    if kind_text not in EventKind.__members__.values():
        raise ShockError(f"unknown kind {kind_text!r} (use one of {kinds}); e.g. {EXAMPLE}")
    kind = EventKind(kind_text)
    try:
        at = dt.date.fromisoformat(date_text)
    except ValueError:
        raise ShockError(f"{date_text!r} is not a date (YYYY-MM-DD); e.g. {EXAMPLE}") from None
    fields: dict[str, object] = {"at": at, "kind": kind}
    for part in [p for p in rest.split(":") if p]:
        key, value = _field(part, kind)
        if key in fields:
            raise ShockError(f"{key} is given twice")
        fields[key] = value
    if kind in NEEDS_FACTOR and "factor" not in fields:
        raise ShockError(f"a {kind.value} needs a factor, e.g. {EXAMPLE}")
    try:
        return ScriptedEvent.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ShockError(f"{where}: {message}" if where else message) from None


def _field(part: str, kind: EventKind) -> tuple[str, object]:
    """One field after the date: ``key=value``, or known by its form."""
    if "=" in part:
        key, _, value = part.partition("=")
        if key not in FIELDS:
            raise ShockError(f"unknown field {key!r} (use {', '.join(FIELDS)})")
        return key, value
    if part in Role.__members__.values():
        return "role", part
    if _DURATION.match(part):
        return "lasts", part
    try:
        number = float(part)
    except ValueError:
        raise ShockError(
            f"cannot read {part!r}: a duration (6mo), a role (ae) or a number (0.7)"
        ) from None
    return ("offer" if kind is EventKind.COMPETING_OFFER else "factor"), number


def with_shock(scenario: Scenario, shock: ScriptedEvent, end: dt.date) -> Scenario:
    """``scenario`` with ``shock`` among its events, in date order.

    Raises:
        ShockError: the shock falls outside the run (which ends before ``end``), or the
            scenario does not take it.
    """
    start = scenario.calendar.start_date
    if not start <= shock.at < end:
        last = end - dt.timedelta(days=1)
        raise ShockError(f"{shock.at} is outside the run ({start} to {last})")
    events = sorted([*scenario.events, shock], key=lambda event: event.at)
    try:
        return apply_overrides(
            scenario, {"events": [e.model_dump(mode="json", exclude_none=True) for e in events]}
        )
    except ScenarioError as error:
        raise ShockError("; ".join(p.message for p in error.problems)) from None


def describe_event(event: ScriptedEvent) -> str:
    """A scripted event in words: ``market_dip on 2027-04-01: inbound x0.7 for 6 months``."""
    lasting = " for good"
    if event.lasts is not None:
        lasting = f" for {event.lasts / DAYS_PER_MONTH:.3g} months"
    what = {
        EventKind.MARKET_DIP: f"inbound demand x{event.factor:g}{lasting}",
        EventKind.LEAD_SURGE: f"inbound demand x{event.factor:g}{lasting}",
        EventKind.NEW_PRODUCT: f"new deals convert x{event.factor:g} as readily",
        EventKind.BUDGET_CUT: f"headcount targets x{event.factor:g}",
        EventKind.COMPETING_OFFER: (
            f"the best {event.role.value.upper()} is offered {event.offer:g}x market pay"
        ),
    }[event.kind]
    return f"{event.kind.value} on {event.at}: {what}"
