"""``extends: other.yaml``: a scenario file read with its ancestors, merged.

Mappings merge and anything else is replaced; each key keeps the file and line it was
last written at, so a problem is told in the file that has it. A parent not found next
to the file is looked for among the bundled scenarios.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from salessim.scenario.bundled import bundled_root
from salessim.scenario.errors import Problem, ScenarioError, fail, quoted
from salessim.scenario.keys import KeyPath, Origins, dist_data, is_dist, schema_at
from salessim.scenario.reading import exists, name_problem
from salessim.scenario.yaml_lines import read_with_lines


def _merge(base: Any, over: Any, path: KeyPath, replaced: list[KeyPath]) -> Any:
    """Deep-merge ``over`` onto ``base``: mappings merge, anything else is replaced.

    A distribution of a different family replaces the parent's distribution as a whole.
    """
    if not (isinstance(base, dict) and isinstance(over, dict)):
        replaced.append(path)
        return over
    if is_dist(schema_at(path)):
        base, over = dist_data(base), dist_data(over)
        if set(base) != set(over):
            replaced.append(path)
            return over
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merge(base[key], value, (*path, key), replaced) if key in base else value
    return merged


def read_tree(
    path: Path, file: str, chain: tuple[tuple[Path, str], ...] = ()
) -> tuple[dict[str, Any], Origins, list[Problem], list[str]]:
    """Read a file and, through ``extends``, its ancestors; return merged data and origins."""
    data, origins, problems = read_with_lines(path, file)
    if "extends" not in data:
        return data, origins, problems, [file]
    parent_name = data.pop("extends")
    line = origins.pop(("extends",)).line
    if not isinstance(parent_name, str) or not parent_name:
        fail(file, "expected the path of the scenario file to extend", line, "extends")
    parent = path.parent / parent_name
    if problem := name_problem(parent):
        fail(file, f"cannot extend {quoted(parent_name)}: {problem}", line, "extends")
    parent_file = os.path.normpath(os.path.join(os.path.dirname(file), parent_name))
    seen = [*chain, (path.resolve(), file)]
    if parent.resolve() in [real for real, _ in seen]:
        cycle = " -> ".join([*(shown for _, shown in seen), parent_file])
        fail(file, f"extends files in a cycle: {cycle}", line, "extends")
    if not exists(parent):
        bundled = bundled_root() / f"{parent_name.removesuffix('.yaml')}.yaml"
        if not bundled.is_file():
            fail(
                file,
                f"cannot find {parent_name!r} (looked for {parent_file} and a bundled scenario)",
                line,
                "extends",
            )
        parent, parent_file = Path(str(bundled)), f"<bundled>/{parent_name}"
    try:
        base, base_origins, base_problems, files = read_tree(parent, parent_file, tuple(seen))
    except ScenarioError as error:
        raise ScenarioError(
            [_at_extends(p, parent_file, file, line, parent_name) for p in error.problems]
        ) from None
    replaced: list[KeyPath] = []
    merged = _merge(base, data, (), replaced)
    kept = {p: o for p, o in base_origins.items() if not any(p[: len(r)] == r for r in replaced)}
    return merged, {**kept, **origins}, base_problems + problems, [file, *files]


def _at_extends(
    problem: Problem, parent_file: str, file: str, line: int | None, name: str
) -> Problem:
    """A problem with the extended file as a whole (empty, a folder) told at the ``extends``.

    Such a problem has no line of its own; the line that brought the file in has one.
    """
    if problem.file != parent_file or problem.line is not None:
        return problem
    return Problem(file, line, "extends", f"cannot extend {quoted(name)}: {problem.message}")
