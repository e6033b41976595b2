"""The design of a command over many replications, from its options: arms, metrics, grids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from salessim.cli.common import fail, refuse
from salessim.experiments.runner import Arm, Design
from salessim.scenario.load import ScenarioError, apply_overrides
from salessim.scenario.schema import Scenario


def warmed(arms: list[Arm], warmup: str | None) -> list[Arm]:
    """The arms with their warm-up set to ``warmup`` (unchanged when None)."""
    if warmup is None:
        return arms
    try:
        return [Arm(a.name, apply_overrides(a.scenario, {"calendar.warmup": warmup})) for a in arms]
    except ScenarioError as error:
        raise refuse(f"--warmup {warmup}: {error.problems[0].message}") from None


def checked_design(
    arms: list[Arm],
    replications: int,
    seed: int,
    years: float | None,
    metric: Sequence[str] | None,
    kind: str = "compare",
    parameters: Sequence[tuple[str, list[str]]] = (),
) -> Design:
    """The design the options describe; a metric or a setting that is not allowed exits 2."""
    check_metrics(metric)
    try:
        return Design(arms, replications, seed, years, metric, kind, parameters)
    except ValueError as error:
        raise refuse(str(error)) from None


def parsed_parameters(texts: list[str]) -> list[tuple[str, list[str]]]:
    """Each ``--param KEY=VALUE,VALUE`` as its key and values; a bad one exits 2."""
    from salessim.experiments.grids import parse_parameter

    try:
        return [parse_parameter(text) for text in texts]
    except ValueError as error:
        raise refuse(f"--param {error}") from None


def grid_arms(make: Any, base: Scenario, parameters: list[Any]) -> list[Arm]:
    """The arms ``make`` builds from ``base`` and the parameters; their problems exit 2."""
    try:
        return list(make(base, parameters))
    except ScenarioError as error:
        raise fail(error) from None
    except ValueError as error:
        raise refuse(str(error)) from None


def check_metrics(metrics: Sequence[str] | None) -> None:
    """Refuse a name that is no KPI; a stage's conversion is checked against each arm later."""
    from salessim.metrics.kpis import KPI_DEFINITIONS, STAGE_CONVERSION

    unknown = [
        m for m in metrics or [] if m not in KPI_DEFINITIONS and not m.startswith(STAGE_CONVERSION)
    ]
    if unknown:
        raise refuse(f"unknown metric(s) {', '.join(unknown)}; see docs/model.md for the KPI names")
