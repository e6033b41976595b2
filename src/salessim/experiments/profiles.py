"""Series across replications, summed as they are read: what a report draws over time.

Each replication keeps new ARR by week, open leads by month and each role's quota-period
attainments (``Store.series``). An :class:`ArmProfile` holds running sums and a fixed
histogram, so summarising a thousand replications takes the memory of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from salessim.experiments.store import Store

ATTAINMENT_EDGES = np.round(np.arange(0.0, 3.01, 0.1), 10)
"""Histogram edges of attainment, 0 to 300% of quota by 10%; above 300% counts in the last bin."""


@dataclass
class RunningMean:
    """The mean of series point by point, over series of any length, and its standard error."""

    total: np.ndarray = field(default_factory=lambda: np.zeros(0))
    count: np.ndarray = field(default_factory=lambda: np.zeros(0))
    squares: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def add(self, values: Sequence[float]) -> None:
        """Add one series."""
        n = len(values)
        if n > len(self.total):
            grow = (0, n - len(self.total))
            self.total = np.pad(self.total, grow)
            self.count = np.pad(self.count, grow)
            self.squares = np.pad(self.squares, grow)
        self.total[:n] += values
        self.count[:n] += 1
        self.squares[:n] += np.square(values)

    @property
    def mean(self) -> np.ndarray:
        """The mean at each point (NaN where no series reaches)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.total / self.count

    @property
    def standard_error(self) -> np.ndarray:
        """The standard error of each point's mean (NaN with fewer than two series)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            variance = (self.squares - self.count * self.mean**2) / (self.count - 1)
            return np.sqrt(np.maximum(variance, 0.0) / self.count)


@dataclass
class ArmProfile:
    """One arm's series summed over its replications."""

    replications: int = 0
    weekly_new_arr: RunningMean = field(default_factory=RunningMean)
    monthly_open_leads: RunningMean = field(default_factory=RunningMean)
    attainment: dict[str, np.ndarray] = field(default_factory=dict)
    """Counts per ``ATTAINMENT_EDGES`` bin, by role."""

    def add(self, series: dict[str, list[float]]) -> None:
        """Add one replication's series."""
        self.replications += 1
        self.weekly_new_arr.add(series.get("weekly_new_arr", []))
        self.monthly_open_leads.add(series.get("monthly_open_leads", []))
        for name, values in series.items():
            if name.startswith("attainment_"):
                role = name.removeprefix("attainment_")
                clipped = np.clip(values, 0.0, ATTAINMENT_EDGES[-1] - 1e-9)
                counts, _ = np.histogram(clipped, bins=ATTAINMENT_EDGES)
                self.attainment[role] = self.attainment.get(role, 0) + counts


def profiles(store: Store, arms: Sequence[str]) -> dict[str, ArmProfile]:
    """Each arm's profile from the series kept in ``store``."""
    found = {arm: ArmProfile() for arm in arms}
    for arm, _replication, series in store.series():
        if arm in found:
            found[arm].add(series)
    return found
