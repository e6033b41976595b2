"""Fixtures for the validation suite: scenario files, the analytic reference, a process pool."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from salessim.scenario.load import apply_overrides, load_scenario
from salessim.scenario.schema import Scenario

from .analytic import CONFIGS

ANALYTIC_REFERENCE = Path(__file__).with_name("analytic_reference.json")
"""The shared reference's analytic values (``queue_reference.py --analytic-only``), shipped."""
WORKERS = 2


def load_scenario_file(path: str | Path) -> Scenario:
    """Load and validate a scenario file."""
    return load_scenario(path)


def override_scenario(scenario: Scenario, overrides: Mapping[str, object]) -> Scenario:
    """A new validated scenario with dotted-path overrides, e.g. ``{"roles.ae.headcount": 8}``."""
    return apply_overrides(scenario, overrides)


def shared_reference() -> dict[str, dict[str, Any]]:
    """The shared analytic reference's values by configuration name, times in hours."""
    document = json.loads(ANALYTIC_REFERENCE.read_text(encoding="utf-8"))
    return {entry["name"]: entry["analytic"] for entry in document["configs"]}


@pytest.fixture(scope="session")
def analytic() -> dict[str, dict[str, Any]]:
    """The analytic values by configuration name, times in hours."""
    return CONFIGS


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


FIGURES: dict[str, object] = {}
"""Figures the validation tests measured, by label (for docs/validation.md)."""


@pytest.fixture
def figure() -> Callable[[str, object], None]:
    """Keep a figure a test measured; written to ``$SALESSIM_FIGURES`` when the run ends."""
    return FIGURES.__setitem__


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the figures kept to the JSON file ``$SALESSIM_FIGURES`` names, if any."""
    path = os.environ.get("SALESSIM_FIGURES")
    if path and FIGURES:
        Path(path).write_text(json.dumps(FIGURES, indent=1, default=float) + "\n")
