"""The verdict: for each arm against the reference, the money, and whether to adopt it.

Four paired differences with their 95% intervals (new ARR, pay, ending ARR and
contribution, the ``contribution`` KPI: revenue less people spend plus the book and
pipeline left at the end), and the return on the extra pay: the change in contribution
per dollar of change in pay, with Fieller's interval (``stats.paired_ratio``). The call
follows the contribution alone, the one figure that nets the others: **adopt** when its
interval is above zero, **reject** when below, **unclear** when it straddles zero. The
verdict reads the replications the comparison ran; it runs none of its own.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from salessim.experiments.runner import VERDICT_METRICS, Results
from salessim.experiments.stats import (
    Difference,
    Ratio,
    paired_difference,
    paired_ratio,
    replications_for,
)
from salessim.report.format import kpi_estimate

NEW_ARR, PAY, ENDING_ARR, CONTRIBUTION = VERDICT_METRICS
HEADINGS = {
    NEW_ARR: "New ARR",
    PAY: "Pay",
    ENDING_ARR: "Ending ARR",
    CONTRIBUTION: "Contribution",
}
RETURN_HEADING = "Contribution per extra $1 of pay"
MOST_TO_SETTLE = 1000  # beyond this many replications an unclear change is no difference


class Call(StrEnum):
    """What the verdict recommends for an arm."""

    ADOPT = "adopt"  # contribution higher, the 95% interval above zero
    REJECT = "reject"  # contribution lower, the 95% interval below zero
    UNCLEAR = "unclear"  # the interval straddles zero


@dataclass(frozen=True)
class ArmVerdict:
    """One arm against the reference: four changes, the return on pay, and the call."""

    arm: str
    reference: str
    changes: dict[str, Difference]  # by metric, in VERDICT_METRICS order
    return_on_pay: Ratio  # change in contribution per dollar of change in pay
    call: Call
    settle: int | None  # when unclear: replications that would settle the sign, if known

    @property
    def n(self) -> int:
        """Paired replications behind the contribution's interval."""
        return self.changes[CONTRIBUTION].n

    def cell(self, metric: str) -> str:
        """One change with its interval: ``+$5.1M [+$4.0M, +$6.2M]``."""
        d = self.changes[metric]
        return kpi_estimate(metric, d.mean, d.low, d.high)

    def return_cell(self) -> str:
        """The return on extra pay: ``$2.30 [$1.10, $3.40]`` of contribution per $1 of pay."""
        r = self.return_on_pay
        if not math.isfinite(r.mean):
            return "–"
        if not r.bounded:
            return f"{_dollars(r.mean)} [unbounded]"
        return f"{_dollars(r.mean)} [{_dollars(r.low)}, {_dollars(r.high)}]"

    @property
    def identical(self) -> bool:
        """The arm did exactly what the reference did in every replication."""
        return all(d.n > 0 and d.low == d.high == 0 for d in self.changes.values())

    def sentence(self) -> str:
        """The verdict in one plain sentence, with its confidence and the call."""
        if self.identical:
            return (
                f"{self.arm}: the same as {self.reference} in every one of {self.n} "
                "replications: nothing to choose between them."
            )
        parts = [
            f"{self.arm}: {self.cell(NEW_ARR)} new ARR for {self.cell(PAY)} pay",
            f"ending ARR {self.cell(ENDING_ARR)}",
            f"contribution {self.cell(CONTRIBUTION)}",
        ]
        said = "; ".join(parts) + self._return_words() + ". "
        if self.call is Call.ADOPT:
            return said + "Adopt: contribution is higher, with 95% confidence."
        if self.call is Call.REJECT:
            return said + "Reject: contribution is lower, with 95% confidence."
        more = ""
        if self.settle is not None and self.settle <= MOST_TO_SETTLE:
            more = (
                f"; about {self.settle:,} paired replications would settle its sign "
                "if the change is as estimated"
            )
        elif self.settle is not None:
            more = (
                f"; more than {MOST_TO_SETTLE:,} paired replications would be needed to "
                "settle its sign: in practice, no difference"
            )
        return said + f"Unclear: at {self.n} replications contribution could move either way{more}."

    def _return_words(self) -> str:
        """How much contribution each dollar of pay buys (or each dollar saved costs)."""
        r, pay = self.return_on_pay, self.changes[PAY].mean
        if not math.isfinite(r.mean) or pay == 0:
            return ""
        if not r.bounded:
            return ", the change in pay too small to put a return on it"
        if pay > 0:
            return (
                f", {_dollars(r.mean)} of contribution per extra $1 of pay "
                f"[{_dollars(r.low)}, {_dollars(r.high)}]"
            )
        if r.mean >= 0:
            return (
                f", {_dollars(r.mean)} of contribution lost per $1 of pay saved "
                f"[{_dollars(r.low)}, {_dollars(r.high)}]"
            )
        return (
            f", {_dollars(-r.mean)} of contribution gained per $1 of pay saved "
            f"[{_dollars(-r.high)}, {_dollars(-r.low)}]"
        )

    def as_json(self) -> dict[str, Any]:
        """Raw numbers for ``--json``: each change and the return, with their intervals."""
        changes = {
            metric: {"difference": _raw(d.mean), "ci_low": _raw(d.low), "ci_high": _raw(d.high)}
            for metric, d in self.changes.items()
        }
        r = self.return_on_pay
        return {
            "arm": self.arm,
            "reference": self.reference,
            "n": self.n,
            "changes": changes,
            "return_on_pay": {
                "ratio": _raw(r.mean),
                "ci_low": _raw(r.low),
                "ci_high": _raw(r.high),
            },
            "call": self.call.value,
            "replications_to_settle": self.settle,
            "sentence": self.sentence(),
        }


def verdicts(results: Results) -> list[ArmVerdict]:
    """The verdict of every arm against the reference (none without pay, so no contribution)."""
    names = results.metric_names
    if not all(metric in names for metric in VERDICT_METRICS):
        return []
    reference = results.design.arms[0].name
    values = {metric: results.metric(metric) for metric in VERDICT_METRICS}
    if not any(math.isfinite(v) for v in values[CONTRIBUTION][reference]):
        return []
    df = results.interval_df
    found = []
    for arm in (a.name for a in results.design.arms[1:]):
        changes = {
            metric: paired_difference(by_arm[arm], by_arm[reference], df=df)
            for metric, by_arm in values.items()
        }
        ratio = paired_ratio(
            _diffs(values[CONTRIBUTION], arm, reference),
            _diffs(values[PAY], arm, reference),
            df=df,
        )
        contribution = changes[CONTRIBUTION]
        call = (
            Call.ADOPT
            if contribution.low > 0
            else Call.REJECT
            if contribution.high < 0
            else Call.UNCLEAR
        )
        settle = None
        if call is Call.UNCLEAR:
            settle = _to_settle(_diffs(values[CONTRIBUTION], arm, reference), contribution.mean)
        found.append(ArmVerdict(arm, reference, changes, ratio, call, settle))
    return found


def _diffs(by_arm: dict[str, list[float]], arm: str, reference: str) -> list[float]:
    """Paired differences by replication (NaN where either failed)."""
    return [a - b for a, b in zip(by_arm[arm], by_arm[reference], strict=True)]


def _to_settle(differences: list[float], mean: float) -> int | None:
    """Replications for an interval no wider than the mean's distance from zero."""
    finite = [d for d in differences if math.isfinite(d)]
    if len(finite) < 2 or not mean or not math.isfinite(mean) or statistics.stdev(finite) == 0:
        return None
    return replications_for(finite, abs(mean))


def _dollars(value: float) -> str:
    """Dollars and cents per dollar: ``$2.30``, ``-$0.45``."""
    return f"{'-' if value < 0 else ''}${abs(value):,.2f}"


def _raw(value: float) -> float | None:
    return value if math.isfinite(value) else None
