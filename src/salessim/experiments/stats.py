"""Statistics of paired replications: differences against a reference arm with t intervals.

Replication ``r`` of every arm runs on the same seed (common random numbers), so arms are
compared replication by replication: the paired differences cancel the noise the arms
share, which is most of it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_T975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
    25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042,
}  # fmt: skip
Z975 = 1.959964


def t975(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom (df >= 1).

    Exact to three decimals from a table up to 30, then the Cornish-Fisher expansion.
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    if df in _T975:
        return _T975[df]
    z = Z975
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def mean_interval(sample: Sequence[float]) -> tuple[float, float] | None:
    """The mean of the finite values and the half-width of its 95% t interval.

    Returns:
        (mean, half-width), or ``None`` with fewer than two finite values.
    """
    finite = [v for v in sample if math.isfinite(v)]
    if len(finite) < 2:
        return None
    half_width = t975(len(finite) - 1) * statistics.stdev(finite) / math.sqrt(len(finite))
    return statistics.fmean(finite), half_width


@dataclass(frozen=True)
class Difference:
    """An arm against the reference on one metric, over paired replications."""

    mean: float  # of arm - reference
    low: float  # 95% CI
    high: float
    relative: float  # mean / the reference's mean (NaN when that is 0)
    n: int

    @property
    def excludes_zero(self) -> bool:
        """Whether the 95% CI says the difference has a sign."""
        return self.low > 0 or self.high < 0


def paired_difference(
    arm: Sequence[float], reference: Sequence[float], *, df: int | None = None
) -> Difference:
    """The mean paired difference ``arm - reference`` with its 95% t interval.

    Args:
        arm: the arm's values by replication (NaN where one failed).
        reference: the reference's values, in the same replication order.
        df: degrees of freedom of the t quantile (at most the pairs less one, which is
            the default). A run stopped by a sequential rule passes its pilot's
            (``experiments.precision``).
    """
    pairs = [
        (a, b) for a, b in zip(arm, reference, strict=True) if math.isfinite(a) and math.isfinite(b)
    ]
    n = len(pairs)
    nan = float("nan")
    if n == 0:
        return Difference(nan, nan, nan, nan, 0)
    diffs = [a - b for a, b in pairs]
    mean = statistics.fmean(diffs)
    quantile = t975(_freedom(df, n))
    half = quantile * statistics.stdev(diffs) / math.sqrt(n) if n > 1 else math.inf
    base = statistics.fmean(b for _, b in pairs)
    relative = mean / base if base else nan
    return Difference(mean, mean - half, mean + half, relative, n)


def _freedom(df: int | None, n: int) -> int:
    """The t quantile's degrees of freedom: ``df`` if given, never more than ``n - 1``."""
    most = max(1, n - 1)
    return most if df is None else max(1, min(df, most))


@dataclass(frozen=True)
class Ratio:
    """A ratio of two mean paired differences with its 95% Fieller interval.

    ``low`` and ``high`` are NaN when the interval is unbounded: the denominator's own
    interval reaches zero, so the data cannot bound the ratio.
    """

    mean: float
    low: float
    high: float
    n: int

    @property
    def bounded(self) -> bool:
        """Whether the data bound the ratio on both sides."""
        return math.isfinite(self.low) and math.isfinite(self.high)


def paired_ratio(
    numerator: Sequence[float], denominator: Sequence[float], *, df: int | None = None
) -> Ratio:
    """``mean(numerator) / mean(denominator)`` of paired differences, with Fieller's interval.

    Each replication gives a pair ``(a, b)`` (say the change in contribution and the change
    in pay). The interval holds every ``theta`` for which ``mean(a - theta b)`` is within
    its own 95% t interval of zero: ``(a_bar - theta b_bar)^2 <= q (s_aa - 2 theta s_ab +
    theta^2 s_bb)`` with ``q = t^2 / n``, a quadratic in ``theta``. It is bounded only
    when ``b_bar`` is itself clear of zero (``b_bar^2 > q s_bb``).
    """
    pairs = [
        (a, b)
        for a, b in zip(numerator, denominator, strict=True)
        if math.isfinite(a) and math.isfinite(b)
    ]
    n = len(pairs)
    nan = float("nan")
    if n < 2:
        return Ratio(nan, nan, nan, n)
    a_bar = statistics.fmean(a for a, _ in pairs)
    b_bar = statistics.fmean(b for _, b in pairs)
    s_aa = sum((a - a_bar) ** 2 for a, _ in pairs) / (n - 1)
    s_bb = sum((b - b_bar) ** 2 for _, b in pairs) / (n - 1)
    s_ab = sum((a - a_bar) * (b - b_bar) for a, b in pairs) / (n - 1)
    q = t975(_freedom(df, n)) ** 2 / n
    mean = a_bar / b_bar if b_bar else nan
    square = b_bar**2 - q * s_bb  # theta^2
    linear = -2 * (a_bar * b_bar - q * s_ab)  # theta
    constant = a_bar**2 - q * s_aa
    discriminant = linear**2 - 4 * square * constant
    if square <= 0 or discriminant < 0:
        return Ratio(mean, nan, nan, n)
    root = math.sqrt(discriminant)
    return Ratio(mean, (-linear - root) / (2 * square), (-linear + root) / (2 * square), n)


def chance_best(
    values: Mapping[str, Sequence[float]], *, lower_is_better: bool = False
) -> dict[str, float]:
    """Per arm, the share of replications in which it is best (ties shared)."""
    names = list(values)
    wins = dict.fromkeys(names, 0.0)
    rounds = list(zip(*(values[name] for name in names), strict=True))
    counted = 0
    for row in rounds:
        if not all(math.isfinite(v) for v in row):
            continue
        counted += 1
        best = min(row) if lower_is_better else max(row)
        winners = [name for name, v in zip(names, row, strict=True) if v == best]
        for name in winners:
            wins[name] += 1 / len(winners)
    return {name: wins[name] / counted if counted else float("nan") for name in names}


def replications_for(differences: Sequence[float], half_width: float) -> int:
    """Replications for a 95% CI of the mean difference of at most ``half_width``.

    Uses the spread of the differences seen so far (at least two).
    """
    if half_width <= 0:
        raise ValueError("the half-width must be positive")
    sd = statistics.stdev(differences)
    n = max(2, math.ceil((Z975 * sd / half_width) ** 2))  # the normal answer, a lower bound
    while t975(n - 1) * sd / math.sqrt(n) > half_width:
        n += 1
    return n


def mser_truncation(series: Sequence[float]) -> int:
    """How many leading points to discard as warm-up, by the MSER rule (White, 1997).

    The cut ``d`` minimises the squared standard error of the mean of what is left,
    ``sum((x_i - mean_d)^2) / (n - d)^2`` over ``i >= d``, for ``d`` up to half the
    series. A cut in the second half is not searched: there the series has no steady
    state to find, and the answer is ``len(series) // 2``.
    """
    n = len(series)
    best, best_d = math.inf, 0
    for d in range(n // 2 + 1):
        rest = series[d:]
        if len(rest) < 2:
            break
        mean = statistics.fmean(rest)
        score = sum((x - mean) ** 2 for x in rest) / len(rest) ** 2
        if score < best:
            best, best_d = score, d
    return best_d
