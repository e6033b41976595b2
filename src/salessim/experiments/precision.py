"""Precision on demand: replications in batches until every interval is narrow enough.

The rule (``compare --precision SHARE``), fixed before any data is seen: run a pilot of
``PILOT`` replications, then look again after every ``BATCH`` more (10, 20, 30, ... and
last the maximum, ``-n``); stop at the first look where, for every chosen metric and every
arm, the 95% interval of the paired difference reaches no further than ``SHARE`` times the
reference's mean on either side of its centre. A metric whose reference mean is zero or
unknown cannot be judged relatively and is left out of the rule (and said so).

Why the intervals stay honest. Stopping as soon as the intervals look narrow favours
moments when the spread happens to be small, and a plain t interval computed then covers
the truth less often than it says (about 93.5% instead of 95% when the rule stops soon
after the pilot). A run the rule stopped therefore reports every interval with Student's
t on the pilot's degrees of freedom (``PILOT - 1``) instead of ``n - 1``: Stein's (1945)
two-stage quantile, which holds 95% when the stopping point depends only on the pilot and
errs wide when later looks are taken. The same quantile decides the stop, so the rule
stops when the intervals it will report are narrow enough. A run that reaches ``-n``
without meeting the target reports plain intervals: nothing stopped it early.
``tests/experiments/test_precision.py`` checks the coverage by simulation.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from salessim.experiments.runner import Results
from salessim.experiments.stats import paired_difference
from salessim.report.format import label, percent

PILOT = 10  # replications before the first look
BATCH = 10  # replications between looks


@dataclass(frozen=True)
class Widest:
    """The widest interval at a look, as a share of its reference mean, and whose it is."""

    share: float  # half-width / |reference mean|; infinite when nothing could be judged
    metric: str | None
    arm: str | None
    left_out: tuple[str, ...]  # metrics with no reference mean to be relative to


@dataclass(frozen=True)
class Precision:
    """The target: every interval within ``share`` of the reference mean, by ``maximum``."""

    share: float
    metrics: tuple[str, ...]
    maximum: int

    def __post_init__(self) -> None:
        if not 0 < self.share < 1:
            raise ValueError(f"the precision is a share of the reference mean, got {self.share}")

    def looks(self) -> list[int]:
        """The replications after which the rule looks: the pilot, every batch, the maximum."""
        first = min(PILOT, self.maximum)
        return sorted({*range(first, self.maximum, BATCH), self.maximum})

    def record(self, replications: int | None, met: bool, widest: Widest | None) -> dict[str, Any]:
        """What the manifest keeps of a run under this rule."""
        return {
            "share": self.share,
            "metrics": list(self.metrics),
            "pilot": PILOT,
            "batch": BATCH,
            "maximum": self.maximum,
            "replications": replications,
            "met": met,
            "widest": None
            if widest is None
            else {"share": _finite(widest.share), "metric": widest.metric, "arm": widest.arm},
            "left_out": [] if widest is None else list(widest.left_out),
        }


def widest(results: Results, metrics: Sequence[str], df: int | None) -> Widest:
    """The widest paired-difference interval over arms and metrics, relative to the reference."""
    reference = results.design.arms[0].name
    share, left_out = 0.0, []
    where: tuple[str | None, str | None] = (None, None)
    judged = False
    for metric in metrics:
        by_arm = results.metric(metric)
        base = [v for v in by_arm.get(reference, []) if math.isfinite(v)]
        mean = statistics.fmean(base) if base else 0.0
        if not mean:
            left_out.append(metric)
            continue
        for arm, values in by_arm.items():
            if arm == reference:
                continue
            diff = paired_difference(values, by_arm[reference], df=df)
            half = (diff.high - diff.low) / 2 if diff.n > 1 else math.inf
            relative = half / abs(mean) if math.isfinite(half) else math.inf
            judged = True
            if relative >= share:
                share, where = relative, (metric, arm)
    return Widest(share if judged else math.inf, *where, tuple(left_out))


def run_to_precision(precision: Precision, run_upto: Callable[[int], Results]) -> Results:
    """Run to each look in turn (``run_upto(n)``: the first ``n`` replications) until met.

    Returns:
        The results at the look that stopped the run, with ``results.precision`` saying
        how many replications were needed and whether the target was met.
    """
    results: Results | None = None
    found: Widest | None = None
    for n in precision.looks():
        results = run_upto(n)
        found = widest(results, precision.metrics, PILOT - 1)
        if found.share <= precision.share:
            results.precision = precision.record(n, True, found)
            return results
    assert results is not None  # there is always a look, at the maximum
    results.precision = precision.record(precision.maximum, False, found)
    return results


def describe(record: dict[str, Any]) -> str:
    """How many replications a ``--precision`` run needed (or that it ran out), in words."""
    names = ", ".join(label(m) for m in record["metrics"])
    target = f"within {percent(record['share'])} of the reference's mean"
    widest = record.get("widest") or {}
    if record["met"]:
        said = (
            f"Precision: {record['replications']} paired replications were needed for every 95% "
            f"interval of {names} to be {target} (looks after a pilot of {record['pilot']} and "
            f"every {record['batch']} more; the intervals use the pilot's "
            f"{record['pilot'] - 1} degrees of freedom)."
        )
    else:
        reached = ""
        if widest.get("share") is not None:
            reached = (
                f" (the widest, {label(widest['metric'])} for {widest['arm']}, reaches "
                f"{percent(widest['share'])})"
            )
        said = (
            f"Precision: not met by the most replications allowed, {record['maximum']}: the "
            f"intervals of {names} are not all {target}{reached}. Raise -n to go on."
        )
    if record.get("left_out"):
        missing = ", ".join(label(m) for m in record["left_out"])
        said += f" Left out of the rule (no reference mean to be relative to): {missing}."
    return said


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
