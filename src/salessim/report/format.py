"""Human-readable numbers: money, percentages, counts and durations; a KPI by its unit.

Every helper turns an unknown value (``None`` or NaN) into :data:`MISSING`, so callers
never print ``nan``. The one place figures are written for people: a KPI reads by its
unit (``salessim.metrics.kinds``) as ``$53.6M``, ``22.8%`` or ``63.0 days``, a change
in a share in points (``+2.1 pts``), and nothing in scientific notation. JSON keeps the
raw numbers. Text read from a file (a name in a save or a scenario) is shown through
:func:`printable`, so it cannot drive the terminal.
"""

from __future__ import annotations

import math
import re

from salessim.metrics.kinds import Unit, unit_of

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


def plain(value: float | None) -> str:
    """A real number with about three significant digits, never in scientific notation.

    ``1234.5`` -> ``1,234``; ``12.34`` -> ``12.3``; ``0.0000857`` -> ``0.0000857``.
    """
    value = known(value)
    if value is None:
        return MISSING
    return f"{value:,.{_places(value)}f}"


def _places(value: float, digits: int = 3, most: int = 8) -> int:
    """Decimal places that show ``digits`` significant digits of ``value`` (none above 100)."""
    size = abs(value)
    if size >= 10 ** (digits - 1) or size == 0:
        return 0
    return min(most, digits - 1 - math.floor(math.log10(size)))


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


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1: what a terminal obeys


def printable(text: str) -> str:
    r"""``text`` safe to echo to a terminal: each control character written out as ``\x1b``.

    A name from a save or a scenario could otherwise clear the screen, move the cursor or
    retitle the window. Line breaks are control characters too: text of several lines is
    shown a line at a time (:func:`printable_lines`).
    """
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def printable_lines(text: str) -> str:
    """``text`` through :func:`printable` a line at a time, its line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


# ----------------------------------------------------------------------------- KPIs by unit
POINTS = "pts"
"""A change in a share, in percentage points: 22.8% to 24.9% is ``+2.1 pts``."""


def kpi_value(name: str, value: float | None) -> str:
    """A KPI's value as a reader reads it: ``$53.6M``, ``22.8%``, ``1,234``, ``63.0 days``."""
    value = known(value)
    if value is None:
        return MISSING
    unit = unit_of(name)
    if unit is Unit.MONEY:
        return money(value)
    if unit is Unit.SHARE:
        return percent(value, 2 if 0 < abs(value) < 0.01 else 1)
    if unit is Unit.COUNT:
        return count(value) if value == int(value) or abs(value) >= 100 else number(value)
    if unit is Unit.DAYS:
        return duration(value)
    if unit is Unit.MONTHS:
        return f"{number(value)} months"
    if unit is Unit.HOURS:
        return f"{number(value)} h"
    return plain(value)


def kpi_change(name: str, value: float | None, *, scale: float | None = None) -> str:
    """A signed change in a KPI: ``+$5.1M``, ``+2.1 pts`` (a share), ``-3.5 days``.

    Args:
        name: the KPI.
        value: the change.
        scale: the size the decimals are chosen for (the widest figure shown beside it),
            so a change and its interval read alike; ``value`` by default.
    """
    value = known(value)
    if value is None:
        return MISSING
    size = abs(value)
    unit = unit_of(name)
    reference = abs(scale) if scale is not None and math.isfinite(scale) else size
    if unit is Unit.MONEY:
        text = money(size)
    elif unit is Unit.SHARE:
        places = min(4, max(1, _places(reference * 100, digits=2)))
        text = f"{size * 100:.{places}f} {POINTS}"
    elif unit is Unit.DAYS:
        text = duration(size)
    elif unit is Unit.MONTHS:
        text = f"{number(size)} months"
    elif unit is Unit.HOURS:
        text = f"{number(size)} h"
    else:
        text = f"{size:,.{_places(reference)}f}"
    return _signed(value, text)


def _signed(value: float, text: str) -> str:
    """``text`` (a magnitude) with the sign of ``value``; none when it reads as zero."""
    if not any(c in "123456789" for c in text):
        return text
    return ("+" if value > 0 else "-") + text


def kpi_interval(name: str, low: float | None, high: float | None) -> str:
    """A 95% interval of a change: ``[+$4.0M, +$6.2M]``, ``[-0.4 pts, +1.2 pts]``."""
    if known(low) is None or known(high) is None:
        return ""
    assert low is not None and high is not None
    scale = max(abs(low), abs(high))
    return f"[{kpi_change(name, low, scale=scale)}, {kpi_change(name, high, scale=scale)}]"


def kpi_estimate(name: str, change: float | None, low: float | None, high: float | None) -> str:
    """A change and its 95% interval, with the same decimals: ``+2.1 pts [+1.5 pts, +2.7 pts]``."""
    if known(change) is None:
        return MISSING
    assert change is not None
    if known(low) is None or known(high) is None:
        return kpi_change(name, change)
    assert low is not None and high is not None
    scale = max(abs(low), abs(high))
    bounds = f"[{kpi_change(name, low, scale=scale)}, {kpi_change(name, high, scale=scale)}]"
    return f"{kpi_change(name, change, scale=scale)} {bounds}"


def kpi_tick(name: str, value: float) -> str:
    """A KPI's value on a chart axis: short, trailing zeros dropped (``$1.5M``, ``22%``)."""
    unit = unit_of(name)
    if unit is Unit.MONEY:
        return money(value, decimals=1, trim=True)
    if unit is Unit.SHARE:
        text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
        return f"{text}%"
    return plain(value)


def relative(value: float | None) -> str:
    """A relative change as a signed percentage: ``0.087`` -> ``+8.7%``."""
    value = known(value)
    if value is None:
        return MISSING
    return _signed(value, f"{abs(value) * 100:.1f}%")
