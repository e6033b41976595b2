"""Statistics shared by the validation tests: agreement with theory, paired CIs, binomial bounds."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = REPO_ROOT / "scenarios"

SE_MULTIPLIER = 4.0
"""A correct simulator's replication mean lies within 4 standard errors of the truth:
with 12 replications the studentised mean has 11 degrees of freedom and
P(|t_11| > 4) is about 0.002 (0.003 with 10 replications), so a sound model fails a
given check about twice in 1000."""

RELATIVE_FLOOR = 0.01
"""Never demand agreement closer than 1% of the analytic value (the analytic reference's
own agreement floor). It covers biases that do not shrink with more replications: the
warm-up transient and the leads still in the queue when a run stops, both of order
(mean time in system * arrival rate) / arrivals, about 1e-4 here; and it matters only
for quantities such as utilisation whose standard error is far below 1%."""

_T975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    24: 2.064,
    29: 2.045,
    39: 2.023,
    49: 2.010,
}


@dataclass(frozen=True)
class Agreement:
    """How a replication mean compares with an analytic value."""

    metric: str
    analytic: float
    mean: float
    se: float
    tolerance: float
    replications: int

    @property
    def ok(self) -> bool:
        """Whether the mean lies within the tolerance of the analytic value."""
        return abs(self.mean - self.analytic) <= self.tolerance

    def __str__(self) -> str:
        verdict = "within" if self.ok else "OUTSIDE"
        return (
            f"{self.metric}: simulated {self.mean:.6g} (se {self.se:.2g} over "
            f"{self.replications} replications) vs analytic {self.analytic:.6g}: "
            f"|diff| {abs(self.mean - self.analytic):.3g} {verdict} tolerance {self.tolerance:.3g}"
        )


def agreement(
    metric: str,
    values: Sequence[float],
    analytic: float,
    *,
    k: float = SE_MULTIPLIER,
    relative_floor: float = RELATIVE_FLOOR,
) -> Agreement:
    """Compare the mean of independent replications with an analytic value.

    The tolerance is ``max(k * standard error, relative_floor * |analytic|)``, the
    standard error being the sample sd over replications divided by sqrt(replications).
    """
    n = len(values)
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(n) if n > 1 else math.inf
    tolerance = max(k * se, relative_floor * abs(analytic))
    return Agreement(metric, analytic, mean, se, tolerance, n)


def t975(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom (df >= 1)."""
    if df in _T975:
        return _T975[df]
    below = max(d for d in _T975 if d <= df)
    return _T975[below] if df < 60 else 1.96 + 2.4 / df


def paired_ci(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """The 95% t confidence interval of the mean paired difference ``a - b``.

    Degrees of freedom below the table entry round down, which only widens the interval.
    """
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    n = len(diffs)
    mean = statistics.fmean(diffs)
    half = t975(n - 1) * statistics.stdev(diffs) / math.sqrt(n)
    return mean - half, mean + half


def _log_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def binomial_interval(n: int, p: float, coverage: float = 0.999) -> tuple[int, int]:
    """The central interval [lo, hi] holding a Binomial(n, p) count with at least ``coverage``.

    lo is the largest k with P(X < k) <= (1 - coverage) / 2, hi the smallest k with
    P(X > hi) <= (1 - coverage) / 2, from the exact probability mass function.
    """
    if p <= 0.0:
        return 0, 0
    if p >= 1.0:
        return n, n
    tail = (1.0 - coverage) / 2
    pmf = [math.exp(_log_pmf(k, n, p)) for k in range(n + 1)]
    lo, below = 0, 0.0
    while below + pmf[lo] <= tail:
        below += pmf[lo]
        lo += 1
    hi, above = n, 0.0
    while above + pmf[hi] <= tail:
        above += pmf[hi]
        hi -= 1
    return lo, hi
