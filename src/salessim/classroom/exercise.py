"""Which exercise a class plays: a scenario file or bundled name that has game rules.

Names resolve as ``salessim play`` resolves them (a file, or a bundled name such as
``game/first_team``), and a bundled exercise may also be named without its folder
(``first_team``). A scenario without a ``game:`` section is no exercise: it is refused.
"""

from __future__ import annotations

import json
from pathlib import Path

from salessim.scenario.bundled import bundled_scenarios, resolve_scenario
from salessim.scenario.errors import ScenarioError
from salessim.scenario.load import load_scenario
from salessim.scenario.schema import Scenario

EXERCISES = "game/"  # the bundled folder of exercises


def exercises() -> list[str]:
    """The bundled exercises' names."""
    return [name for name in bundled_scenarios() if name.startswith(EXERCISES)]


def load_exercise(scenario: Path | str) -> Scenario:
    """The exercise a file or name holds, loaded and validated.

    Raises:
        ScenarioError: it cannot be found or loaded (``file:line: key: message``).
        ValueError: it is a scenario but not a game (no ``game:`` section).
    """
    path = _resolve(scenario)
    loaded = load_scenario(path)
    if "game" not in loaded.model_fields_set:
        raise ValueError(
            f"{scenario}: not a game scenario (it has no game: section); "
            f"bundled exercises: {', '.join(exercises())}"
        )
    return loaded


def _resolve(scenario: Path | str) -> Path:
    if isinstance(scenario, Path):
        return resolve_scenario(str(scenario))
    try:
        return resolve_scenario(scenario)
    except ScenarioError:
        if f"{EXERCISES}{scenario.removesuffix('.yaml')}" not in exercises():
            raise
        return resolve_scenario(EXERCISES + scenario)


def scenario_text(scenario: Scenario) -> str:
    """The scenario as stored: its validated JSON, as a save file holds it."""
    return json.dumps(scenario.model_dump(mode="json", by_alias=True), allow_nan=False)


def scenario_of(text: str) -> Scenario:
    """The scenario stored as ``text`` by :func:`scenario_text`."""
    return Scenario.model_validate(json.loads(text))
