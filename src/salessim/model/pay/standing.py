"""A rep's standing against quota: the quota, its measure, and the credit month by month.

The payroll keeps one ``Standing`` per employed rep, by id: crediting adds to the month,
the month end closes it into the trailing year, and the workforce and the behaviour rules
read attainment from it.
"""

from __future__ import annotations

from collections import deque

from salessim.scenario.measures import Measure

MIN_ATTAINMENT_MONTHS = 6
TRAILING_MONTHS = 12


class Standing:
    """One rep's quota and the credit and quota base of each of its last twelve months."""

    __slots__ = (
        "_attainment",
        "bases",
        "credits",
        "measure",
        "month_base",
        "month_credit",
        "month_standard_base",
        "quota",
        "standard_bases",
    )

    def __init__(self) -> None:
        self.quota = 0.0  # a year, in ``measure`` (a target ratio for retention)
        self.measure: Measure | None = None
        self.month_credit = 0.0
        self.month_base = 0.0
        self.credits: deque[float] = deque(maxlen=TRAILING_MONTHS)
        self.bases: deque[float] = deque(maxlen=TRAILING_MONTHS)
        self.month_standard_base = 0.0  # the quota base at the company's standard quota
        self.standard_bases: deque[float] = deque(maxlen=TRAILING_MONTHS)
        self._attainment: float | None = None  # as of the last closed month

    def close_month(self) -> None:
        """Push the month's credit and quota base into the trailing year; start a new month."""
        self.credits.append(self.month_credit)
        self.bases.append(self.month_base)
        self.standard_bases.append(self.month_standard_base)
        self.month_credit = self.month_base = self.month_standard_base = 0.0
        known = sum(1 for base in self.bases if base > 0) >= MIN_ATTAINMENT_MONTHS
        self._attainment = sum(self.credits) / sum(self.bases) if known else None

    def attainment(self) -> float | None:
        """Credit against quota over the last twelve months (ramp-adjusted).

        None (unknown) until at least ``MIN_ATTAINMENT_MONTHS`` months carry a quota: a
        month or two of a deal cycle says little about a rep. Worked out when a month
        closes, the only time it changes.
        """
        return self._attainment

    def standard_attainment(self) -> float | None:
        """Credit over the last twelve months against the company's standard quota.

        Like ``attainment`` but judged against the quota the scenario set for the role,
        whatever quota the rep carries now (ratcheted, or changed in a game). None when
        the rep's measure is not the standard's, or as ``attainment`` is None.
        """
        if sum(1 for base in self.standard_bases if base > 0) < MIN_ATTAINMENT_MONTHS:
            return None
        return sum(self.credits) / sum(self.standard_bases)

    def recent_attainment(self, months: int) -> float | None:
        """Credit against quota over the last ``months`` closed months; None without a quota."""
        base = sum(list(self.bases)[-months:])
        return sum(list(self.credits)[-months:]) / base if base > 0 else None

    def last_month(self) -> float | None:
        """Credit against quota in the last closed month; None without a quota or credit."""
        if not self.bases or self.bases[-1] <= 0 or self.credits[-1] <= 0:
            return None
        return self.credits[-1] / self.bases[-1]
