"""Load scenario files: YAML with line numbers, ``extends``, ``--set`` overrides, clear errors.

Every problem found is reported at once as ``file:line: key.path: message``; a scenario
either loads completely or raises :class:`ScenarioError`, never a traceback. The rooms
below this one: :mod:`~salessim.scenario.yaml_lines` reads a file with the line of every
key, :mod:`~salessim.scenario.extends` follows ``extends``, and
:mod:`~salessim.scenario.overrides` reads and applies ``--set`` overrides.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from salessim.scenario.errors import Problem, ScenarioError, problems_from
from salessim.scenario.extends import read_tree
from salessim.scenario.keys import SET, Origin, Origins
from salessim.scenario.overrides import Override, apply_to_data, blame_overrides
from salessim.scenario.schema import WRITTEN, Scenario
from salessim.scenario.yaml_lines import read_with_lines

M = TypeVar("M", bound=BaseModel)


def _validate(
    data: dict[str, Any],
    origins: Origins,
    problems: list[Problem],
    files: list[str],
    overridden: tuple[dict[str, Any], list[Override]] | None = None,
    *,
    written: bool = False,
) -> Scenario:
    """Validate ``data``; raise every problem found, sorted by file and line.

    ``overridden`` is the data before the overrides and the overrides applied to it: a
    problem only they brought about is reported at the override (``blame_overrides``).
    ``written``: the data is a scenario as written, so a game's exercise is judged whole
    (``schema.WRITTEN``), not only as a game's edits leave it.
    """
    try:
        scenario = Scenario.model_validate(data, context=WRITTEN if written else None)
    except ValidationError as exc:
        found = problems_from(exc, data, origins)
        if overridden is not None:
            found = blame_overrides(found, *overridden)
        problems = problems + found
    if problems:
        rank = {file: i for i, file in enumerate([*files, SET])}
        raise ScenarioError(
            sorted(problems, key=lambda p: (rank.get(p.file, len(rank)), p.line or 0))
        )
    return scenario


def load_scenario(path: str | Path, overrides: Sequence[str] = ()) -> Scenario:
    """Load and validate a scenario file, following ``extends`` and applying ``--set`` overrides.

    Args:
        path: The YAML file, as the user gave it (errors name it the same way).
        overrides: ``dotted.key=value`` strings, the value read as YAML, applied last.

    Raises:
        ScenarioError: Listing every problem found, each with its file and line.
    """
    data, origins, problems, files = read_tree(Path(path), str(path))
    before = copy.deepcopy(data) if overrides else {}
    failed, applied = apply_to_data(data, origins, overrides)
    return _validate(data, origins, problems + failed, files, (before, applied), written=True)


def load_document(
    path: str | Path, model: type[M], noun: str = "a document", keys: str = "key: value"
) -> M:
    """Load one YAML file (no ``extends``) into ``model``, with the scenario's error report.

    ``noun`` and ``keys`` name what the file is and some of its keys, for the error when
    it is not a mapping (``"an experiment file"``, ``"scenario, arms"``).

    Raises:
        ScenarioError: Listing every problem found, each with its file and line.
    """
    file = str(path)
    data, origins, problems = read_with_lines(Path(path), file, noun, keys)
    try:
        document = model.model_validate(data)
    except ValidationError as exc:
        problems = problems + problems_from(exc, data, origins, model)
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: p.line or 0))
    return document


def apply_overrides(
    scenario: Scenario, overrides: Mapping[str, object] | Sequence[str]
) -> Scenario:
    """Return a new validated scenario with dotted-path overrides applied.

    Args:
        scenario: The scenario to start from; it is not changed.
        overrides: ``{"roles.ae.headcount": 12}``, or strings such as
            ``"roles.ae.headcount=12"`` whose values are read as YAML.

    Raises:
        ScenarioError: When a key path is unknown or the result is not a valid scenario.
    """
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    origins: Origins = {(): Origin(SET, None)}
    before = copy.deepcopy(data)
    problems, applied = apply_to_data(data, origins, overrides)
    return _validate(data, origins, problems, [], (before, applied))


def revalidate(scenario: Scenario) -> Scenario:
    """``scenario`` checked as a whole again, after typed edits made with ``model_copy``.

    Raises:
        ScenarioError: every problem the edits made, each with its key.
    """
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    return _validate(data, {(): Origin(SET, None)}, [], [])
