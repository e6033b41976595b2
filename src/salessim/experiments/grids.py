"""Arms from parameter grids: sweeps and one-at-a-time sensitivity.

A sweep crosses the values of one or two parameters. Sensitivity sets each parameter
to its low and its high value with the others at the base, for a tornado chart.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from salessim.experiments.naming import shortest_tails
from salessim.experiments.runner import Arm, Results
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario

Parameter = tuple[str, list[str]]  # a dotted key and its values, as given


def parse_parameter(text: str) -> Parameter:
    """``roles.ae.headcount=18,20,22`` -> (key, values).

    Raises:
        ValueError: not KEY=VALUE[,VALUE].
    """
    key, _, values = text.partition("=")
    items = [value.strip() for value in values.split(",") if value.strip()]
    if not key or not items:
        raise ValueError(f"{text!r}: expected KEY=VALUE[,VALUE...]")
    return key.strip(), items


BASE = "base"  # the name of the base arm of a sensitivity run


def labels(keys: Sequence[str]) -> dict[str, str]:
    """Names for arms: the shortest tail of each dotted key that no other key ends with.

    ``roles.ae.headcount`` is ``headcount``; with ``roles.sdr.headcount`` too, the two are
    ``ae.headcount`` and ``sdr.headcount``. A tail that would read as the base arm
    (``customers.churn.base``) takes one more part: ``churn.base``.
    """
    tails = shortest_tails([key.split(".") for key in keys], ".", reserved={BASE})
    return dict(zip(keys, tails, strict=True))


def sweep_points(parameters: Sequence[Parameter]) -> list[tuple[str, tuple[str, ...]]]:
    """(arm name, values) for each point of the grid, the first values first."""
    label = labels([key for key, _ in parameters])
    keys = [key for key, _ in parameters]
    return [
        (", ".join(f"{label[k]}={v}" for k, v in zip(keys, point, strict=True)), point)
        for point in itertools.product(*(values for _, values in parameters))
    ]


def sweep_arms(base: Scenario, parameters: Sequence[Parameter]) -> list[Arm]:
    """One arm per point of the grid, the first values first (the reference)."""
    keys = [key for key, _ in parameters]
    return [
        Arm(name, apply_overrides(base, [f"{k}={v}" for k, v in zip(keys, point, strict=True)]))
        for name, point in sweep_points(parameters)
    ]


def sensitivity_arms(base: Scenario, parameters: Sequence[Parameter]) -> list[Arm]:
    """The base, then each parameter at its low and high value, the others at the base."""
    label = labels([key for key, _ in parameters])
    arms = [Arm(BASE, base)]
    for key, values in parameters:
        if len(values) != 2:
            raise ValueError(f"{key}: give a low and a high value, e.g. {key}=LOW,HIGH")
        for side, value in zip(("low", "high"), values, strict=True):
            arms.append(Arm(f"{label[key]} {side}", apply_overrides(base, [f"{key}={value}"])))
    return arms


@dataclass(frozen=True)
class Bar:
    """One bar of a tornado: a parameter's low and high effect on the metric's mean."""

    parameter: str
    low_value: str
    high_value: str
    low: float
    high: float

    @property
    def swing(self) -> float:
        """The bar's length."""
        return abs(self.high - self.low)


def tornado(results: Results, metric: str, parameters: Sequence[Parameter]) -> list[Bar]:
    """Each parameter's effect (mean minus the base's mean), longest bar first."""
    values = results.metric(metric)
    base = statistics.fmean(values[BASE])
    label = labels([key for key, _ in parameters])
    bars = [
        Bar(
            key,
            low,
            high,
            statistics.fmean(values[f"{label[key]} low"]) - base,
            statistics.fmean(values[f"{label[key]} high"]) - base,
        )
        for key, (low, high) in parameters
    ]
    return sorted(bars, key=lambda bar: -bar.swing)
