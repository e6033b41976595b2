"""The warm-up check: does the measured period start after the organisation has filled up?

A run starts with an empty pipeline; the check reads the reference arm's open leads at
each measured month end (the mean over replications) and asks whether the first measured
months are still short of where the series settles.

Two readings, by what the series can carry:

- **Year over year** (16 measured months or more). Each of the first months is compared
  with the same calendar month a year later, so the seasons and the organisation's growth
  cancel: ``r_i = x[i + 12] / x[i]``. The typical ratio is the median over the first
  measured year (the year's growth); a month is still in the start-up while its ratio
  differs from that by more than ``SETTLED_SHARE`` plus twice its standard error.
- **Level** (fewer months, no seasonality). MSER (White, 1997) finds where the series
  settles; the start-up ends at the first month within ``SETTLED_SHARE`` (plus twice its
  standard error) of the settled level. A series still moving through its first half
  has no settled level (growth), and the check says so.

A seasonal scenario with fewer than 16 measured months cannot be checked: a month's
distance from the mean level is mostly its season. The level reading was once applied
to every series; on the shipped pay plans (seasonal inbound, a growing book) its advice
moved with the season measuring started in (it passed a start in September and asked
for four to six more months after one in March or April): it read the seasons as a
start-up. Read year over year, their start-up is real but of another size: open leads
come within noise of the next year's only after about eight months, so the pay plans
now warm up for a year (docs/experiments.md gives the figures).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from salessim.experiments.stats import mser_truncation

SETTLED_SHARE = 0.02  # within 2% (plus the noise) counts as settled
YEAR = 12  # months
YEAR_OVER_YEAR_MONTHS = YEAR + 4  # at least four year-over-year ratios
NOISE = 2.0  # standard errors of noise allowed on top of SETTLED_SHARE
MIN_MONTHS = 4


class Reading(StrEnum):
    """How the check read the series."""

    YEAR_OVER_YEAR = "year over year"
    LEVEL = "level"
    NONE = "none"


@dataclass(frozen=True)
class WarmupCheck:
    """Whether the measured period starts settled, judged on the reference's mean open leads.

    ``settles`` is the first measured month that is settled (0: the first already is);
    ``drift`` how far the first month is from settled, relatively.
    """

    months: int
    reading: Reading
    settles: int
    drift: float
    seasonal: bool = False

    @property
    def trending(self) -> bool:
        """No settled level reached in the first half of the horizon (level reading only)."""
        return self.reading is Reading.LEVEL and self.settles >= self.months // 2

    @property
    def passed(self) -> bool:
        """The warm-up was long enough."""
        return self.reading is not Reading.NONE and not self.trending and self.settles == 0

    @property
    def verdict(self) -> str:
        """One sentence for the reader."""
        if self.months < MIN_MONTHS:
            return "Too few measured months to check the warm-up."
        if self.reading is Reading.NONE:
            return (
                f"Inbound demand is seasonal and {self.months} measured months cannot tell a "
                f"start-up from a season: the check needs {YEAR_OVER_YEAR_MONTHS} or more "
                "(a longer --years)."
            )
        if self.trending:
            return (
                "Open leads keep changing through the horizon (growth, or a long transient): "
                "there is no settled level to judge the warm-up by."
            )
        against = (
            "the same month a year later, net of the year's growth"
            if self.reading is Reading.YEAR_OVER_YEAR
            else "the settled level"
        )
        if self.settles == 0:
            return (
                "The warm-up looks long enough: from the first measured month, open leads "
                f"match {against}."
            )
        return (
            f"Open leads settle only after {self.settles} measured month(s) (the first month is "
            f"{self.drift:+.0%} off {against}): lengthen the warm-up by about "
            f"{self.settles} month(s) with --warmup."
        )


def warmup_check(
    series: Sequence[float],
    errors: Sequence[float] | None = None,
    *,
    seasonal: bool = False,
) -> WarmupCheck:
    """The warm-up check of one monthly series.

    Args:
        series: mean open leads at each measured month end.
        errors: the standard error of each mean (over replications); none: no noise.
        seasonal: the scenario's inbound demand changes with the month of the year.
    """
    n = len(series)
    noise = list(errors) if errors is not None else [0.0] * n
    noise = [e if math.isfinite(e) else 0.0 for e in noise]
    if n < MIN_MONTHS:
        return WarmupCheck(n, Reading.NONE, 0, 0.0, seasonal)
    if n >= YEAR_OVER_YEAR_MONTHS and all(v > 0 for v in series):
        return _year_over_year(series, noise, seasonal)
    if seasonal:
        return WarmupCheck(n, Reading.NONE, 0, 0.0, seasonal)
    return _level(series, noise)


def _year_over_year(series: Sequence[float], noise: Sequence[float], seasonal: bool) -> WarmupCheck:
    """Each month against the same month a year later, net of the year's growth."""
    pairs = range(len(series) - YEAR)
    ratios = [series[i + YEAR] / series[i] for i in pairs]
    spread = [
        ratios[i] * math.hypot(noise[i] / series[i], noise[i + YEAR] / series[i + YEAR])
        for i in pairs
    ]
    growth = statistics.median(ratios[:YEAR])
    half = len(ratios) // 2

    def settled(i: int) -> bool:
        return abs(ratios[i] - growth) <= growth * SETTLED_SHARE + NOISE * spread[i]

    settles = next((i for i in range(half + 1) if settled(i)), half)
    drift = growth / ratios[0] - 1  # the first month against its month a year on, net of growth
    return WarmupCheck(len(series), Reading.YEAR_OVER_YEAR, settles, drift, seasonal)


def _level(series: Sequence[float], noise: Sequence[float]) -> WarmupCheck:
    """MSER's settled level, and the first month within the band of it."""
    cut = mser_truncation(series)
    level = statistics.fmean(series[cut:])
    band = SETTLED_SHARE * abs(level)
    settles = next(
        (i for i, v in enumerate(series[: cut + 1]) if abs(v - level) <= band + NOISE * noise[i]),
        cut,
    )
    drift = (series[0] - level) / level if level else 0.0
    return WarmupCheck(len(series), Reading.LEVEL, settles, drift)
