"""Fixtures for the validation suite: scenario files, the analytic reference, a process pool."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from salessim.scenario.schema import Scenario

from .support import REPO_ROOT

REFERENCE = REPO_ROOT.parent / "shared" / "reference"
ANALYTIC_JSON = REFERENCE / "analytic.json"
REFERENCE_SCRIPT = REFERENCE / "queue_reference.py"
WORKERS = 2


def load_scenario_file(path: str | Path) -> Scenario:
    """Load and validate a scenario file with the project's loader when it exists."""
    try:
        from salessim.scenario.load import load_scenario
    except ImportError:
        with open(path, encoding="utf-8") as file:
            return Scenario.model_validate(yaml.safe_load(file))
    return load_scenario(path)


def override_scenario(scenario: Scenario, overrides: Mapping[str, object]) -> Scenario:
    """A new validated scenario with dotted-path overrides, e.g. ``{"roles.ae.headcount": 8}``."""
    try:
        from salessim.scenario.load import apply_overrides
    except ImportError:
        data: dict[str, Any] = scenario.model_dump(by_alias=True, exclude_none=True)
        for dotted, value in overrides.items():
            *parents, leaf = dotted.split(".")
            node = data
            for key in parents:
                node = node.setdefault(key, {})
            node[leaf] = value
        return Scenario.model_validate(data)
    return apply_overrides(scenario, overrides)


def _analytic_values() -> dict[str, dict[str, Any]]:
    """Analytic values by configuration name (times in hours), or skip if no reference."""
    if ANALYTIC_JSON.exists():
        document = json.loads(ANALYTIC_JSON.read_text(encoding="utf-8"))
        return {entry["name"]: entry["analytic"] for entry in document["configs"]}
    if REFERENCE_SCRIPT.exists():
        spec = importlib.util.spec_from_file_location("queue_reference", REFERENCE_SCRIPT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return {cfg["name"]: module.analytic(cfg) for cfg in module.CONFIGS}
    pytest.skip(f"no analytic reference: neither {ANALYTIC_JSON} nor {REFERENCE_SCRIPT} exists")


@pytest.fixture(scope="session")
def analytic() -> dict[str, dict[str, Any]]:
    """The analytic reference values by configuration name, times in hours."""
    return _analytic_values()


@pytest.fixture(scope="session")
def pool() -> Iterator[ProcessPoolExecutor]:
    """Two worker processes for independent replications (runs are pure functions)."""
    with ProcessPoolExecutor(max_workers=WORKERS) as executor:
        yield executor


@pytest.fixture(scope="session")
def load() -> Callable[[str | Path], Scenario]:
    """The scenario-file loader, as a fixture for tests that take their inputs from files."""
    return load_scenario_file


@pytest.fixture(scope="session")
def with_overrides() -> Callable[[Scenario, Mapping[str, object]], Scenario]:
    """``override_scenario`` as a fixture."""
    return override_scenario
