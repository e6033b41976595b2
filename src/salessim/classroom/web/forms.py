"""The decision form: its fields, read into a turn's decisions, and decisions back into fields.

One section per kind of decision (:class:`salessim.game.decisions.Decisions`). Fields
read amounts as the game's prompts do (``12``, ``1.5``, ``10k``, ``1.5M``, ``$10,000``,
``1.1x``; shares as ``15%`` or ``0.15``); a blank field decides nothing. Whatever
cannot be read is refused with the field named and the reason, never guessed: words,
``nan``, ``1e308``, negative counts, roles and choices the game does not have. What can
be read is checked against the game by the classroom (reps that exist, bounds, budget).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from salessim.report.format import role_label
from salessim.scenario.base import WORKING_ROLES
from salessim.scenario.limits import MAX_COUNT, MAX_MONEY, MAX_MULTIPLE, MAX_NUMBER
from salessim.scenario.people import Backfill, CoachingFocus
from salessim.scenario.policies import Routing
from salessim.scenario.units import TYPED_THOUSANDS, parse_typed_amount

ROLES = [role.value for role in WORKING_ROLES]
FOCUSES = [focus.value for focus in CoachingFocus]
ROUTINGS = [routing.value for routing in Routing]
BACKFILLS = [backfill.value for backfill in Backfill]
MAX_REP_ID = 10**9
MAX_HOURS_PER_MONTH = 744.0  # every hour of a month
MAX_MONTHS = 1200.0
MAX_FIELD_CHARACTERS = 2000
MAX_PRIZES = 5
PAIR = re.compile(r"^\s*([^=:]+?)\s*[=:]\s*(.+?)\s*$")
NOT_FIELDS = frozenset({"csrf", "turn"})
"""Posted with the form but not decisions: the CSRF token and the turn it was drawn for."""

Reader = Callable[[str], Any]


# ----------------------------------------------------------------------------- readers
def within(low: float, high: float, *, above: bool = False, suffix: str = "") -> Reader:
    """A number from ``low`` (above it, if ``above``) to ``high``; ``suffix`` may end it."""

    def read(text: str) -> float:
        typed = text.strip()
        if suffix and typed.lower().endswith(suffix):
            typed = typed[: -len(suffix)]
        value = parse_typed_amount(typed)
        if value < low or (above and value == low) or value > high:
            bounds = f"above {low:g} and at most" if above else f"from {low:g} to"
            raise ValueError(f"{text.strip()!r} is out of range: pick a number {bounds} {high:g}")
        return value

    return read


def whole(low: int, high: int) -> Reader:
    """A whole number from ``low`` to ``high``."""

    def read(text: str) -> int:
        try:
            value = parse_typed_amount(text)
        except ValueError:
            raise ValueError(f"{text.strip()!r} is not a whole number") from None
        if not value.is_integer():
            raise ValueError(f"{text.strip()!r} is not a whole number")
        if not low <= value <= high:
            raise ValueError(f"{text.strip()!r} is out of range: pick {low} to {high}")
        return int(value)

    return read


def share(text: str) -> float:
    """A share of the list price: ``15%`` or ``0.15`` (a bare ``15`` is refused)."""
    typed = text.strip()
    if typed.endswith("%"):
        value = parse_typed_amount(typed[:-1]) / 100
    else:
        value = parse_typed_amount(typed)
        if value > 1:
            raise ValueError(f"{typed!r}: type {typed}% or {value / 100:g} for {value:g}%")
    if not 0 <= value <= 1:
        raise ValueError(f"{typed!r} is out of range: a share from 0% to 100%")
    return value


def one_of(choices: list[str]) -> Reader:
    """One of ``choices``, exactly."""

    def read(text: str) -> str:
        if text not in choices:
            raise ValueError(f"no choice {text!r} (choices: {', '.join(choices)})")
        return text

    return read


def free_text(text: str) -> str:
    """A name (of a plan): printable, at most 100 characters."""
    name = text.strip()
    if len(name) > 100 or not name.isprintable():
        raise ValueError("a name of at most 100 printable characters")
    return name


def rep_ids(text: str) -> list[int]:
    """Rep ids separated by commas or spaces: ``3, 7 12``."""
    ids = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        value = whole(0, MAX_REP_ID)(part.removeprefix("rep").removeprefix("#"))
        if value not in ids:
            ids.append(value)
    return ids


def pairs(key: Reader, value: Reader) -> Reader:
    """``name = value`` pairs, one a line (``:`` works as ``=``)."""

    def read(text: str) -> dict[Any, Any]:
        found: dict[Any, Any] = {}
        for line in re.split(r"[\n;]+", text):
            if not line.strip():
                continue
            match = PAIR.match(line)
            if match is None:
                raise ValueError(f"{line.strip()!r}: write one 'name = value' a line")
            found[key(match.group(1))] = value(match.group(2))
        return found

    return read


def amounts(text: str) -> list[float]:
    """Amounts separated by semicolons or spaces: ``10k 5k``, ``10,000; 5,000``."""
    parts = re.split(r"[\s;]+", text.strip())
    if "," in text and not any(TYPED_THOUSANDS.match(p) for p in parts):
        parts = re.split(r"[\s,;]+", text.strip())
    found = [within(0, MAX_MONEY)(p) for p in parts if p]
    if not 1 <= len(found) <= MAX_PRIZES:
        raise ValueError(f"from 1 to {MAX_PRIZES} prizes, first place first")
    return found


# ----------------------------------------------------------------------------- fields
@dataclass(frozen=True)
class Field:
    """One input of the form: its name, its label and how it is read."""

    name: str
    label: str
    read: Reader


def _fields() -> dict[str, Field]:
    multiple = within(0, MAX_MULTIPLE, above=True, suffix="x")
    found: list[Field] = []
    for role in ROLES:
        name = role_label(role)
        found += [
            Field(f"hire.{role}.count", f"Hire {name}s", whole(0, MAX_COUNT)),
            Field(f"hire.{role}.offer", f"Offer to {name} hires", multiple),
            Field(f"routing.{role}", f"{name} routing", one_of(ROUTINGS)),
            Field(f"pay_plans.{role}", f"{name} pay plan", free_text),
            Field(f"quota.{role}", f"{name} quota", multiple),
            Field(f"pricing.authority.{role}", f"{name} discount authority", share),
        ]
    found += [
        Field("fire", "Let go", rep_ids),
        Field("plan", "Performance plan", rep_ids),
        Field("pay_raise", "Pay raises", pairs(whole(0, MAX_REP_ID), multiple)),
        Field("coaching.hours", "Coaching hours", within(0, MAX_HOURS_PER_MONTH)),
        Field("coaching.focus", "Coaching focus", one_of(FOCUSES)),
        Field("training_every_months", "Training", within(0, MAX_MONTHS)),
        Field("recognition", "Recognition", whole(0, MAX_COUNT)),
        Field("backfill", "Backfill", one_of(BACKFILLS)),
        Field("plan_terms", "Plan terms", pairs(free_text, within(-MAX_NUMBER, MAX_NUMBER))),
        Field("segment_focus", "Segment focus", pairs(free_text, within(0, MAX_NUMBER))),
        Field("pricing.approve_up_to", "Deepest discount approved", share),
        Field("contest.role", "Contest role", one_of(ROLES)),
        Field("contest.prizes", "Contest prizes", amounts),
        Field("forecast.new_arr", "Forecast new ARR", within(0, MAX_MONEY)),
        Field("forecast.churn", "Forecast churn", within(0, MAX_MONEY)),
    ]
    return {f.name: f for f in found}


FIELDS = _fields()


@dataclass
class Reading:
    """A form read: the decisions it makes, what was refused, and what was typed."""

    decisions: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    typed: dict[str, str] = field(default_factory=dict)


def read_form(form: Mapping[str, str]) -> Reading:
    """The decisions a posted form makes; every field that cannot be read is named."""
    reading = Reading()
    values: dict[str, Any] = {}
    for name, raw in form.items():
        if name in NOT_FIELDS:
            continue
        if name not in FIELDS:
            reading.problems.append(f"{name!r}: the form has no such field")
            continue
        if not isinstance(raw, str):
            reading.problems.append(f"{FIELDS[name].label}: expected text")
            continue
        text = raw.strip()
        reading.typed[name] = text
        if not text:
            continue
        if len(text) > MAX_FIELD_CHARACTERS:
            reading.problems.append(f"{FIELDS[name].label}: too long")
            continue
        try:
            values[name] = FIELDS[name].read(text)
        except ValueError as error:
            reading.problems.append(f"{FIELDS[name].label}: {error}")
    reading.decisions = _decisions(values, reading.problems)
    return reading


def _decisions(values: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """Assemble the read values into the shape of :class:`Decisions`."""
    found: dict[str, Any] = {}
    hires = []
    for role in ROLES:
        count, offer = values.get(f"hire.{role}.count"), values.get(f"hire.{role}.offer")
        if count:
            hires.append({"role": role, "count": count} | ({"offer": offer} if offer else {}))
        elif offer is not None:
            problems.append(f"Offer to {role_label(role)} hires: say how many to hire too")
    if hires:
        found["hire"] = hires
    for key in ("fire", "plan", "pay_raise", "training_every_months", "recognition", "backfill"):
        if values.get(key) not in (None, [], {}):
            found[key] = values[key]
    if "coaching.hours" in values:
        focus = values.get("coaching.focus", CoachingFocus.EVEN.value)
        found["coaching"] = {"hours_per_rep_per_month": values["coaching.hours"], "focus": focus}
    for key in ("routing", "pay_plans", "quota"):
        by_role = {role: values[f"{key}.{role}"] for role in ROLES if f"{key}.{role}" in values}
        if by_role:
            found[key] = by_role
    for key in ("plan_terms", "segment_focus"):
        if values.get(key):
            found[key] = values[key]
    authority = {
        role: values[f"pricing.authority.{role}"]
        for role in ROLES
        if f"pricing.authority.{role}" in values
    }
    if authority or "pricing.approve_up_to" in values:
        found["pricing"] = ({"authority": authority} if authority else {}) | (
            {"approve_up_to": values["pricing.approve_up_to"]}
            if "pricing.approve_up_to" in values
            else {}
        )
    rival, prizes = values.get("contest.role"), values.get("contest.prizes")
    if rival and prizes:
        found["contest"] = {"role": rival, "prizes": prizes}
    elif prizes:
        problems.append("Contest: choose the role whose reps compete")
    new_arr, churn = values.get("forecast.new_arr"), values.get("forecast.churn")
    if new_arr is not None and churn is not None:
        found["forecast"] = {"new_arr": new_arr, "churn": churn}
    elif new_arr is not None or churn is not None:
        problems.append("Forecast: give both new ARR and churn, or neither to take the guide")
    return found


# ----------------------------------------------------------------------------- back to fields
def typed_of(decisions: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields filled in with ``decisions`` (a saved draft), as a member types them."""
    typed: dict[str, str] = {}
    for hire in decisions.get("hire", []):
        role = str(hire["role"])
        typed[f"hire.{role}.count"] = str(hire.get("count", 1))
        if hire.get("offer") is not None:
            typed[f"hire.{role}.offer"] = f"{_plain(hire['offer'])}x"
    for key in ("fire", "plan"):
        if decisions.get(key):
            typed[key] = ", ".join(str(rep) for rep in decisions[key])
    if decisions.get("pay_raise"):
        typed["pay_raise"] = "\n".join(
            f"{rep} = {_plain(level)}x" for rep, level in decisions["pay_raise"].items()
        )
    coaching = decisions.get("coaching")
    if coaching is not None:
        typed["coaching.hours"] = _plain(coaching["hours_per_rep_per_month"])
        typed["coaching.focus"] = str(coaching.get("focus", CoachingFocus.EVEN.value))
    if decisions.get("training_every_months") is not None:
        typed["training_every_months"] = _plain(decisions["training_every_months"])
    if decisions.get("recognition") is not None:
        typed["recognition"] = str(decisions["recognition"])
    if decisions.get("backfill") is not None:
        typed["backfill"] = str(decisions["backfill"])
    for key in ("routing", "pay_plans"):
        for role, value in decisions.get(key, {}).items():
            typed[f"{key}.{role}"] = str(value)
    for role, factor in decisions.get("quota", {}).items():
        typed[f"quota.{role}"] = f"{_plain(factor)}x"
    for key in ("plan_terms", "segment_focus"):
        if decisions.get(key):
            typed[key] = "\n".join(f"{k} = {_plain(v)}" for k, v in decisions[key].items())
    pricing = decisions.get("pricing")
    if pricing is not None:
        for role, authority in pricing.get("authority", {}).items():
            typed[f"pricing.authority.{role}"] = _percent(authority)
        if pricing.get("approve_up_to") is not None:
            typed["pricing.approve_up_to"] = _percent(pricing["approve_up_to"])
    contest = decisions.get("contest")
    if contest is not None:
        typed["contest.role"] = str(contest["role"])
        typed["contest.prizes"] = "; ".join(_amount(prize) for prize in contest["prizes"])
    forecast = decisions.get("forecast")
    if forecast is not None:
        typed["forecast.new_arr"] = _amount(forecast["new_arr"])
        typed["forecast.churn"] = _amount(forecast["churn"])
    return typed


def _plain(value: float) -> str:
    """A number as typed back, exactly: ``1.1``, ``12``, ``1e-05``."""
    text = repr(float(value))
    return text.removesuffix(".0")


def _amount(value: float) -> str:
    """An amount as typed back: ``4M``, ``850k``, ``1234.5`` (whichever reads back exactly)."""
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if value >= size:
            text = f"{_plain(round(value / size, 6))}{unit}"
            if parse_typed_amount(text) == value:
                return text
    return _plain(value)


def _percent(value: float) -> str:
    """A share as typed back: ``15%`` (or ``0.153`` if a percentage would not read back exactly)."""
    text = f"{_plain(round(value * 100, 8))}%"
    return text if share(text) == value else _plain(value)
