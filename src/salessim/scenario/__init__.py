"""Scenarios: frozen, validated descriptions of a sales organisation and its market."""

from salessim.scenario.bundled import bundled_scenarios, resolve_scenario
from salessim.scenario.dists import Dist
from salessim.scenario.errors import Problem, ScenarioError
from salessim.scenario.json_schema import scenario_json_schema
from salessim.scenario.load import apply_overrides, load_scenario
from salessim.scenario.schema import Scenario

__all__ = [
    "Dist",
    "Problem",
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "bundled_scenarios",
    "load_scenario",
    "resolve_scenario",
    "scenario_json_schema",
]
