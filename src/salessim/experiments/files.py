"""Experiment files: a base scenario, arms as overrides, replications, metrics, horizon.

```yaml
name: Does a cap cost bookings?
scenario: ../scenarios/comp/linear_50_50.yaml   # relative to this file
replications: 30
years: 1                                          # after the warm-up; default: the horizon
warmup: 4mo                                       # default: the scenario's
metrics: [bookings_new_arr, comp_cost]
arms:                                             # the first arm is the reference
  linear: {}
  capped: {compensation.plans.ae_linear.components.0.commission.cap: 1.5}
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from salessim.experiments.runner import Arm, Design, UnknownMetricError
from salessim.scenario.base import Days, Frozen, Seed
from salessim.scenario.errors import Problem, ScenarioError
from salessim.scenario.limits import MAX_REPLICATIONS, MAX_YEARS
from salessim.scenario.load import apply_overrides, load_document, load_scenario


class ExperimentFile(Frozen):
    """An experiment as written in YAML."""

    name: str = "Untitled experiment"
    scenario: str = Field(description="The base scenario file, relative to this file.")
    replications: int = Field(default=30, ge=2, le=MAX_REPLICATIONS)
    seed: Seed = 0
    years: float | None = Field(default=None, gt=0, le=MAX_YEARS)
    warmup: Days | None = None
    metrics: list[str] | None = None
    arms: dict[str, dict[str, Any]] = Field(min_length=1)


def load_experiment(path: str | Path) -> tuple[ExperimentFile, Design]:
    """Read an experiment file and build its design.

    Raises:
        ScenarioError: a problem in the experiment file, the base scenario or an arm.
    """
    spec = load_document(path, ExperimentFile, "an experiment file", "scenario, arms")
    base = load_scenario(Path(path).parent / spec.scenario)
    if spec.warmup is not None:
        base = apply_overrides(base, {"calendar.warmup": spec.warmup})
    arms, problems = [], []
    for name, overrides in spec.arms.items():
        try:
            arms.append(Arm(name, apply_overrides(base, overrides) if overrides else base))
        except ScenarioError as error:  # name the experiment file and the arm
            problems += [
                Problem(str(path), None, f"arms.{name}.{p.key}", p.message) for p in error.problems
            ]
    if problems:
        raise ScenarioError(problems)
    try:
        return spec, Design(arms, spec.replications, spec.seed, spec.years, spec.metrics)
    except UnknownMetricError as error:
        raise ScenarioError([Problem(str(path), None, "metrics", str(error))]) from None
    except ValueError as error:  # an arm's name holding a line break
        raise ScenarioError([Problem(str(path), None, "arms", str(error))]) from None
