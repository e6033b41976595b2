"""Run arms over replications on any executor, streaming finished replications to a store.

Replication ``r`` of every arm uses the same seed, derived from the root seed and ``r``
alone, so every arm meets the same exogenous draws (common random numbers). A replication
is a pure function of (scenario, seed, years), so serial and parallel runs give identical
numbers. A replication that raises is recorded with its error; the others go on.
"""

from __future__ import annotations

import hashlib
import math
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from salessim import __version__
from salessim.experiments.store import Store
from salessim.run import simulate
from salessim.scenario.schema import Scenario

Progress = Callable[[int, int], None]
"""Called with (replications finished, replications to run) as they finish."""


@dataclass(frozen=True)
class Arm:
    """A named scenario to run."""

    name: str
    scenario: Scenario

    @property
    def digest(self) -> str:
        """A short hash of the validated scenario, for provenance and resume checks."""
        text = self.scenario.model_dump_json(by_alias=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Design:
    """What to run: arms (the first is the reference), replications, seed, horizon."""

    arms: Sequence[Arm]
    replications: int
    seed: int = 0
    years: float | None = None  # after the warm-up; None: each scenario's horizon
    metrics: Sequence[str] | None = None  # None: every KPI

    def __post_init__(self) -> None:
        names = [arm.name for arm in self.arms]
        if len(set(names)) != len(names):
            raise ValueError(f"arm names must differ: {names}")
        if not self.arms or self.replications < 1:
            raise ValueError("an experiment needs at least one arm and one replication")

    def manifest(self) -> dict[str, object]:
        """What identifies the experiment (``design``) and how it was made."""
        return {
            "design": {
                "arms": [{"name": a.name, "scenario": a.digest} for a in self.arms],
                "seed": self.seed,
                "years": self.years,
                "metrics": list(self.metrics) if self.metrics is not None else None,
            },
            "replications": self.replications,
            "salessim": __version__,
        }


def replication_seed(root: int, replication: int) -> int:
    """The seed of replication ``replication``: the same for every arm."""
    return int(np.random.SeedSequence([root, replication]).generate_state(1)[0])


def replicate(
    scenario: Scenario, seed: int, years: float | None, metrics: Sequence[str] | None
) -> dict[str, float]:
    """One replication's KPIs (the chosen ones)."""
    kpis = simulate(scenario, seed, years=years).kpis
    chosen = kpis if metrics is None else {name: kpis[name] for name in metrics}
    return {name: float(value) for name, value in chosen.items()}


@dataclass
class Results:
    """Per arm and metric, values by replication (NaN where a replication failed)."""

    design: Design
    values: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)

    def metric(self, name: str) -> dict[str, list[float]]:
        """Values of one metric by arm, replication order."""
        return {arm.name: self.values[arm.name].get(name, []) for arm in self.design.arms}

    def rows(self) -> list[dict[str, object]]:
        """Tidy long rows: arm, replication, seed, metric, value (NaN where it failed)."""
        return [
            {
                "arm": arm,
                "replication": r,
                "seed": replication_seed(self.design.seed, r),
                "metric": metric,
                "value": value,
            }
            for arm, metrics in self.values.items()
            for metric, values in metrics.items()
            for r, value in enumerate(values)
        ]

    def to_pandas(self) -> Any:
        """The tidy rows as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as error:
            raise ImportError("to_pandas() needs pandas: pip install pandas") from error
        return pd.DataFrame(self.rows())

    @property
    def metric_names(self) -> list[str]:
        """Metrics present, in the order the first arm reports them."""
        first = self.values.get(self.design.arms[0].name, {})
        return list(first)


def run(
    design: Design,
    *,
    executor: Executor | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
) -> Results:
    """Run every (arm, replication) not yet in ``store`` and return all the results.

    Without an executor, replications run one by one in this process.
    """
    done = store.done() if store is not None else set()
    todo = [
        (arm, r)
        for r in range(design.replications)
        for arm in design.arms
        if (arm.name, r) not in done
    ]
    finished: dict[tuple[str, int], dict[str, float] | str] = {}
    total = len(todo)

    def record(arm: Arm, r: int, outcome: dict[str, float] | str) -> None:
        finished[(arm.name, r)] = outcome
        seed = replication_seed(design.seed, r)
        if store is not None:
            if isinstance(outcome, str):
                store.add_failure(arm.name, r, seed, outcome)
            else:
                store.add(arm.name, r, seed, outcome)
        if progress is not None:
            progress(len(finished), total)

    args = [(arm, r, replication_seed(design.seed, r)) for arm, r in todo]
    if executor is None:
        for arm, r, seed in args:
            record(arm, r, _attempt(arm.scenario, seed, design.years, design.metrics))
    else:
        futures: dict[Future[dict[str, float] | str], tuple[Arm, int]] = {
            executor.submit(_attempt, arm.scenario, seed, design.years, design.metrics): (arm, r)
            for arm, r, seed in args
        }
        for future in as_completed(futures):
            arm, r = futures[future]
            record(arm, r, future.result())
    return _collect(design, finished, store)


def _attempt(
    scenario: Scenario, seed: int, years: float | None, metrics: Sequence[str] | None
) -> dict[str, float] | str:
    """A replication's metrics, or its error as text (a failure is a result too)."""
    try:
        return replicate(scenario, seed, years, metrics)
    except Exception as error:  # a failed replication is recorded, not lost
        last = traceback.format_exception_only(error)[-1].strip()
        return last


def _collect(
    design: Design,
    finished: Mapping[tuple[str, int], dict[str, float] | str],
    store: Store | None,
) -> Results:
    results = Results(design)
    outcomes: dict[tuple[str, int], dict[str, float]] = {}
    if store is not None:
        for row in store.rows():
            key = (row["arm"], int(row["replication"]))
            outcomes.setdefault(key, {})[row["metric"]] = float(row["value"])
        results.failures = list(store.failed())
    for key, outcome in finished.items():
        if isinstance(outcome, str):
            if store is None:
                arm, r = key
                seed = replication_seed(design.seed, r)
                results.failures.append(
                    {"arm": arm, "replication": str(r), "seed": str(seed), "error": outcome}
                )
        else:
            outcomes[key] = outcome
    names: list[str] = []
    for outcome in outcomes.values():
        names = list(outcome)
        break
    for arm in design.arms:
        results.values[arm.name] = {
            name: [
                outcomes.get((arm.name, r), {}).get(name, math.nan)
                for r in range(design.replications)
            ]
            for name in names
        }
    return results
