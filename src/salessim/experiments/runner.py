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
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from salessim import __version__
from salessim.experiments.manifest import arm_name_problem
from salessim.experiments.seeds import replication_seed
from salessim.experiments.store import Store
from salessim.metrics.kpis import ROLES, STAGE_CONVERSION, kpi_names, period_attainments
from salessim.run import RunResult, check_years, simulate
from salessim.scenario.errors import Problem, ScenarioError
from salessim.scenario.limits import MAX_REPLICATIONS, MAX_SAVE_BYTES
from salessim.scenario.reading import exists, read_text
from salessim.scenario.schema import Scenario

IN_FLIGHT = 64  # replications queued on an executor at once
VERDICT_METRICS = ("bookings_new_arr", "comp_cost", "ending_arr", "contribution")
"""The KPIs the verdict reads (``experiments.verdict``): every replication keeps them."""
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
    """What to run: arms (the first is the reference), replications, seed, horizon.

    ``kind`` and ``parameters`` say how the arms were made (a comparison, a sweep over a
    grid, a one-at-a-time sensitivity run), so a report can draw the right charts.
    """

    arms: Sequence[Arm]
    replications: int
    seed: int = 0
    years: float | None = None  # after the warm-up; None: each scenario's horizon
    metrics: Sequence[str] | None = None  # None: every KPI
    kind: str = "compare"
    parameters: Sequence[tuple[str, list[str]]] = ()

    def __post_init__(self) -> None:
        names = [arm.name for arm in self.arms]
        if len(set(names)) != len(names):
            raise ValueError(f"arm names must differ: {names}")
        for name in names:
            if (problem := arm_name_problem(name)) is not None:
                raise ValueError(problem)
        if not self.arms or self.replications < 1:
            raise ValueError("an experiment needs at least one arm and one replication")
        if self.replications > MAX_REPLICATIONS:
            raise ValueError(f"at most {MAX_REPLICATIONS:,} replications an arm")
        check_years(self.years)
        if self.metrics is not None:
            for arm in self.arms:
                _check_metrics(self.metrics, arm)

    @property
    def kept_metrics(self) -> list[str] | None:
        """The KPIs each replication keeps: the chosen ones and the verdict's (None: every KPI).

        The verdict needs new ARR, pay, ending ARR and contribution whatever the comparison
        shows; keeping them costs no replication.
        """
        if self.metrics is None:
            return None
        return [*self.metrics, *(m for m in VERDICT_METRICS if m not in self.metrics)]

    def manifest(self) -> dict[str, object]:
        """What identifies the experiment (``design``) and how it was made."""
        return {
            "design": {
                "arms": [{"name": a.name, "scenario": a.digest} for a in self.arms],
                "seed": self.seed,
                "years": self.years,
                "metrics": list(self.metrics) if self.metrics is not None else None,
                "kind": self.kind,
                "parameters": [[key, list(values)] for key, values in self.parameters],
            },
            "replications": self.replications,
            "salessim": __version__,
        }


class Replication(NamedTuple):
    """What one replication keeps: its KPIs and the series a report draws."""

    metrics: dict[str, float]
    series: dict[str, list[float]]


class UnknownMetricError(ValueError):
    """A design asks for a metric that an arm's runs do not report."""


def _check_metrics(metrics: Sequence[str], arm: Arm) -> None:
    """Refuse a metric that ``arm``'s runs do not report (every replication would fail).

    Raises:
        UnknownMetricError: naming the metrics, and the arm's stages for a stage's conversion.
    """
    stages = [stage.name for stage in arm.scenario.funnel.stages]
    known = set(kpi_names(stages))
    unknown = [m for m in metrics if m not in known]
    if not unknown:
        return
    if all(m.startswith(STAGE_CONVERSION) for m in unknown):
        raise UnknownMetricError(
            f"unknown metric(s) {', '.join(unknown)}: arm {arm.name} has no such funnel "
            f"stage (its stages: {', '.join(stages)})"
        )
    raise UnknownMetricError(
        f"unknown metric(s) {', '.join(unknown)}; see docs/model.md for the KPI names"
    )


def replicate(
    scenario: Scenario, seed: int, years: float | None, metrics: Sequence[str] | None
) -> Replication:
    """One replication's KPIs (the chosen ones) and series."""
    result = simulate(scenario, seed, years=years)
    kpis = result.kpis
    chosen = kpis if metrics is None else {name: kpis[name] for name in metrics}
    return Replication({name: float(v) for name, v in chosen.items()}, series_of(result))


def series_of(result: RunResult) -> dict[str, list[float]]:
    """New ARR by complete week, open leads by month, and each role's quota-period attainments.

    A last, partial week is left out: its bookings would read as a slump.
    """
    record = result.record
    series = {
        "weekly_new_arr": list(record.weekly_new_arr[: int(record.measured_days // 7)]),
        "monthly_open_leads": [float(row["open_leads"]) for row in record.monthly],
    }
    for role in ROLES:
        attained = period_attainments(record.pay, role)
        if attained:
            series[f"attainment_{role}"] = attained
    return series


@dataclass
class Results:
    """Per arm and metric, values by replication (NaN where a replication failed)."""

    design: Design
    values: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    precision: dict[str, Any] | None = None
    """How a ``--precision`` run stopped (``experiments.precision``); None for a fixed run."""

    @property
    def interval_df(self) -> int | None:
        """Degrees of freedom of every interval's t quantile (None: replications less one).

        A run stopped by the sequential rule before its maximum uses its pilot's, the
        correction that keeps its intervals at 95% (``experiments.precision``).
        """
        if self.precision is None or not self.precision.get("met"):
            return None
        return int(self.precision["pilot"]) - 1

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
    done = set()
    if store is not None:
        done = store.done()
        for arm in design.arms:  # a report can then be made from the directory alone
            store.keep_scenario(arm.digest, arm.scenario.model_dump_json(by_alias=True))

    def todo() -> Iterator[tuple[Arm, int, int]]:
        for r in range(design.replications):
            seed = replication_seed(design.seed, r)
            for arm in design.arms:
                if (arm.name, r) not in done:
                    yield arm, r, seed

    total = sum(1 for _ in todo())
    finished: dict[tuple[str, int], dict[str, float] | str] = {}
    count = 0

    def record(arm: Arm, r: int, seed: int, outcome: Replication | str) -> None:
        nonlocal count
        count += 1
        if store is None:  # with a store, the disk holds it
            finished[(arm.name, r)] = outcome if isinstance(outcome, str) else outcome.metrics
        elif isinstance(outcome, str):
            store.add_failure(arm.name, r, seed, outcome)
        else:
            store.add(arm.name, r, seed, outcome.metrics, outcome.series)
        if progress is not None:
            progress(count, total)

    if executor is None:
        for arm, r, seed in todo():
            record(arm, r, seed, _attempt(arm.scenario, seed, design.years, design.kept_metrics))
        return _collect(design, finished, store)
    tasks = todo()
    pending: dict[Future[Replication | str], tuple[Arm, int, int]] = {}

    def submit_next() -> None:
        for arm, r, seed in tasks:
            future = executor.submit(
                _attempt, arm.scenario, seed, design.years, design.kept_metrics
            )
            pending[future] = (arm, r, seed)
            return

    for _ in range(IN_FLIGHT):  # a bounded window: a long run never queues everything
        submit_next()
    while pending:
        ready, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in ready:
            arm, r, seed = pending.pop(future)
            record(arm, r, seed, future.result())
            submit_next()
    return _collect(design, finished, store)


def _attempt(
    scenario: Scenario, seed: int, years: float | None, metrics: Sequence[str] | None
) -> Replication | str:
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
    """Values by arm and metric, filled replication by replication (NaN where missing)."""
    results = Results(design, {arm.name: {} for arm in design.arms})  # in the design's order
    n = design.replications
    index = {arm.name: i for i, arm in enumerate(design.arms)}

    def fill(arm: str, replication: int, metrics: Mapping[str, float]) -> None:
        if arm not in index or replication >= n:
            return
        table = results.values.setdefault(arm, {})
        for name, value in metrics.items():
            table.setdefault(name, [math.nan] * n)[replication] = value

    if store is not None:
        for arm, replication, _seed, metrics in store.replications():
            fill(arm, replication, metrics)
        results.failures = [f for f in store.failed() if int(f["replication"]) < n]
        results.precision = store.manifest.get("precision")
    for (arm, replication), outcome in finished.items():
        if isinstance(outcome, str):
            seed = replication_seed(design.seed, replication)
            results.failures.append(
                {"arm": arm, "replication": str(replication), "seed": str(seed), "error": outcome}
            )
        else:
            fill(arm, replication, outcome)
    names = next((list(table) for table in results.values.values() if table), [])
    for each in design.arms:  # every arm gets every metric, in the same order
        table = results.values[each.name]
        results.values[each.name] = {name: table.get(name, [math.nan] * n) for name in names}
    return results


def open_results(directory: Path) -> Results:
    """The results kept in ``directory`` by an earlier run (finished replications only).

    Raises:
        ValueError: the directory holds no experiment, or lacks an arm's scenario.
    """
    store = Store.open(directory)
    spec = store.manifest["design"]
    arms = []
    for arm in spec["arms"]:
        kept = Store.scenario_file(directory, arm["scenario"])
        if not exists(kept):
            raise ValueError(f"{directory}: the scenario of arm {arm['name']!r} is missing")
        arms.append(Arm(arm["name"], _kept_scenario(kept)))
    parameters = [(key, values) for key, values in spec.get("parameters", [])]
    design = Design(
        arms,
        store.manifest["replications"],
        spec["seed"],
        spec["years"],
        spec["metrics"],
        spec.get("kind", "compare"),
        parameters,
    )
    return _collect(design, {}, store)


def _kept_scenario(path: Path) -> Scenario:
    """A scenario kept under ``scenarios/``, read within limits and validated again.

    Raises:
        ScenarioError: the file is unreadable, too large or not a valid scenario.
    """
    text = read_text(path, str(path), MAX_SAVE_BYTES)
    try:
        return Scenario.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        message = f"not a valid scenario ({error.error_count()} problems; first: {first['msg']})"
        raise ScenarioError([Problem(str(path), None, key, message)]) from None
