"""Human-readable numbers: money, percentages, counts and durations.

Every helper turns an unknown value (``None`` or NaN) into :data:`MISSING`, so callers
never print ``nan``.
"""

from __future__ import annotations

import math

MISSING = "–"
_MONEY_UNITS = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def known(value: float | None) -> float | None:
    """``value`` as a float, or ``None`` when it is unknown."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def money(value: float | None, *, decimals: int = 1, trim: bool = False) -> str:
    """Dollars, abbreviated: ``$12.3M``, ``$450k``, ``$999``.

    Amounts under 100 of a unit get ``decimals`` places; 100 or more get none.

    Args:
        value: an amount in dollars.
        decimals: places shown below 100 of a unit.
        trim: drop trailing zeros (``$2M`` rather than ``$2.0M``), for axis ticks.
    """
    value = known(value)
    if value is None:
        return MISSING
    sign = "-" if value < 0 else ""
    size = abs(value)
    for unit, suffix in _MONEY_UNITS:
        scaled = size / unit
        places = 0 if round(scaled, decimals) >= 100 else decimals
        if round(scaled, places) >= 1:
            text = f"{scaled:.{places}f}"
            if trim and "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{sign}${text}{suffix}"
    text = f"{size:,.0f}"
    return f"{'' if text == '0' else sign}${text}"


def percent(value: float | None, decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.1234`` -> ``12.3%``."""
    value = known(value)
    if value is None:
        return MISSING
    return f"{value * 100:.{decimals}f}%"


def count(value: float | None) -> str:
    """A whole number with thousands separators: ``12345`` -> ``12,345``."""
    value = known(value)
    if value is None:
        return MISSING
    return f"{value:,.0f}"


def number(value: float | None, decimals: int = 1) -> str:
    """A real number with thousands separators and ``decimals`` places."""
    value = known(value)
    if value is None:
        return MISSING
    return f"{value:,.{decimals}f}"


def days(value: float | None) -> str:
    """A duration in days with one decimal: ``47.83`` -> ``47.8 days``."""
    value = known(value)
    if value is None:
        return MISSING
    return f"{value:,.1f} days"


def duration(value_days: float | None) -> str:
    """A duration given in days, shown in hours when under a day: ``0.5`` -> ``12.0 h``."""
    value_days = known(value_days)
    if value_days is None:
        return MISSING
    if abs(value_days) < 1:
        return f"{value_days * 24:.1f} h"
    return days(value_days)


ACRONYMS = frozenset({"arr", "grr", "nrr", "sdr", "ae", "csm", "sql", "sqls", "kpi"})


def label(name: str) -> str:
    """A snake_case name as a label: ``technical_validation`` -> ``Technical validation``.

    Acronyms are capitalised: ``bookings_new_arr`` -> ``Bookings new ARR``.
    """
    words = [w.upper() if w in ACRONYMS else w for w in name.replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def role_label(role: str) -> str:
    """A role's display name: ``sdr`` -> ``SDR``, ``specialist`` -> ``Specialist``."""
    return role.upper() if len(role) <= 3 else label(role)
