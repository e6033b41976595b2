"""Units in scenario files: durations, rates and money, all parsed to plain floats.

The model's time unit is the calendar day. Durations accept a number (days) or a
string such as ``90d``, ``6w``, ``3mo``, ``2y``, ``8h`` or ``30min``. Rates accept a
number (per day) or ``400/mo``, ``9/h``, ``20/d``, ``100/w``, ``5000/y``. Money accepts
a number or a string with a ``k`` (thousands) or ``M`` (millions) suffix.
"""

from __future__ import annotations

import math
import re

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
DAYS_PER_WEEK = 7.0
HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = HOURS_PER_DAY * DAYS_PER_WEEK  # a calendar week's hours

DURATION_UNITS: dict[str, float] = {
    "min": 1 / (HOURS_PER_DAY * 60),
    "h": 1 / HOURS_PER_DAY,
    "d": 1.0,
    "w": DAYS_PER_WEEK,
    "mo": DAYS_PER_MONTH,
    "y": DAYS_PER_YEAR,
}
MONEY_UNITS: dict[str, float] = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6}

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY = re.compile(rf"^\s*({_NUMBER})\s*([A-Za-z]*)\s*$")
_RATE = re.compile(rf"^\s*({_NUMBER})\s*/\s*([A-Za-z]+)\s*$")


SHOWN_DIGITS = 30
"""A longer integer is shown in messages by its number of digits (printing has a limit)."""


def digits(value: int) -> int:
    """How many decimal digits ``value`` has, without printing it (printing has a limit)."""
    value = abs(value)
    count = int(math.log10(value)) + 1 if value else 1
    if value >= 10**count:
        return count + 1
    return count - 1 if count > 1 and value < 10 ** (count - 1) else count


def _float(value: int | float) -> float:
    """``value`` as a float; an integer past the float range is an error, not a crash."""
    if isinstance(value, float):
        return value
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"a {digits(value)}-digit number is too large") from None


def _split(text: str, pattern: re.Pattern[str], what: str, example: str) -> tuple[float, str]:
    match = pattern.match(text)
    if match is None:
        raise ValueError(f"cannot read {text!r} as {what} (e.g. {example})")
    return float(match.group(1)), match.group(2)


def _unit_error(unit: str, known: dict[str, float], what: str) -> ValueError:
    hint = ""
    if unit == "m":
        hint = "; 'm' is ambiguous: use 'min' for minutes, 'mo' for months or 'M' for millions"
    names = ", ".join(repr(u) for u in known if u)
    return ValueError(f"unknown {what} unit {unit!r} (use one of {names}){hint}")


def parse_duration(value: object) -> float:
    """Return a duration in days from a number (days) or a string like ``6w``."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 90d, 6w, 3mo or 2y, got a boolean")
    if isinstance(value, int | float):
        return _float(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a duration such as 90d, 6w or 3mo, got {value!r}")
    number, unit = _split(value, _QUANTITY, "a duration", "90d, 6w, 3mo, 2y, 8h")
    if unit == "":
        return number
    if unit not in DURATION_UNITS:
        raise _unit_error(unit, DURATION_UNITS, "duration")
    return number * DURATION_UNITS[unit]


def parse_rate(value: object) -> float:
    """Return a rate per day from a number (per day) or a string like ``400/mo``."""
    if isinstance(value, bool):
        raise ValueError("expected a rate such as 400/mo or 9/h, got a boolean")
    if isinstance(value, int | float):
        return _float(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a rate such as 400/mo or 9/h, got {value!r}")
    number, unit = _split(value, _RATE, "a rate", "400/mo, 9/h, 20/d")
    if unit not in DURATION_UNITS:
        raise _unit_error(unit, DURATION_UNITS, "rate")
    return number / DURATION_UNITS[unit]


def parse_money(value: object) -> float:
    """Return an amount from a number or a string like ``45k`` or ``1.2M``."""
    if isinstance(value, bool):
        raise ValueError("expected an amount such as 45000 or 45k, got a boolean")
    if isinstance(value, int | float):
        return _float(value)
    if not isinstance(value, str):
        raise ValueError(f"expected an amount such as 45000 or 45k, got {value!r}")
    number, unit = _split(value.replace(",", "").lstrip("$"), _QUANTITY, "an amount", "45k")
    if unit not in MONEY_UNITS:
        raise _unit_error(unit, MONEY_UNITS, "money")
    return number * MONEY_UNITS[unit]


TYPED_THOUSANDS = re.compile(r"^\s*\$?\d{1,3}(,\d{3})+(\.\d*)?\s*[A-Za-z]*\s*$")  # $1,500.5k


def parse_typed_amount(text: str) -> float:
    """A finite amount as a person types it: ``12``, ``1.5``, ``10k``, ``1.5M``, ``$10,000``.

    Read by :func:`parse_money`, with a comma taken only as a thousands separator.

    Raises:
        ValueError: a polite reason, naming what was typed.
    """
    if "," in text and not TYPED_THOUSANDS.match(text):
        raise ValueError(
            f"{text!r} is not a number (a comma only groups thousands, as in $10,000; "
            "decimals take a point, as in 1.5)"
        )
    try:
        value = parse_money(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a number (amounts like 12, 1.5, 10k, 1.5M or $10,000 are fine)"
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a number that can be used: it is too large")
    return value


def parse_number(value: object) -> float:
    """Return a number from a plain number or any duration or money string.

    Distribution parameters use this: a work-time spec reads ``2h`` as days, a
    deal-value spec reads ``45k`` as 45,000.
    """
    if isinstance(value, str):
        _number, unit = _split(value.replace(",", "").lstrip("$"), _QUANTITY, "a number", "2h")
        if unit in MONEY_UNITS and unit:
            return parse_money(value)
        return parse_duration(value)
    return parse_duration(value)
