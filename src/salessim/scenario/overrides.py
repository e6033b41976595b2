"""Which ``--set`` override brought a problem about, so the error points at it.

A problem at a key an override set is the override's already. Others, such as a check
that spans keys (``roles.ae.headcount: no ae reps (headcount 0) to work stages
'qualification'`` after ``--set funnel.stages.0.role=ae`` on a file without AEs), would
otherwise be reported where the file holds the key the check names. Such a problem is
looked for again with only the first overrides applied: if the file alone has it, it
stays the file's; otherwise the override after which it appears takes it, found by
bisection, so a long command line costs a few checks (a check is about a millisecond).

Overrides are read here too: ``key.path=value`` strings, each value read as YAML, or a
mapping of key paths to values, applied in order to a scenario's data.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from pydantic import ValidationError

from salessim.scenario.errors import Problem, problems_from, quoted
from salessim.scenario.keys import SET, Origin, Origins, dotted, set_path
from salessim.scenario.reading import load_yaml
from salessim.scenario.schema import Scenario

Override = tuple[list[str], Any]
"""An override as applied: its key path as written, split at the dots, and its value."""


def _parse_override(text: str) -> tuple[list[str], Any] | Problem:
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        message = f"cannot read {text!r}: expected key.path=value, e.g. roles.ae.headcount=12"
        return Problem(SET, None, "", message)
    try:
        value = load_yaml(raw) if raw.strip() else None
    except (yaml.YAMLError, ValueError) as exc:
        problem = getattr(exc, "problem", None) or exc
        return Problem(SET, None, key, f"cannot read the value {quoted(raw)}: {problem}")
    return key.split("."), value


def apply_to_data(
    data: dict[str, Any], origins: Origins, overrides: Mapping[str, object] | Sequence[str]
) -> tuple[list[Problem], list[Override]]:
    """Apply overrides to ``data`` in order: the problems found, and the overrides applied."""
    if isinstance(overrides, str):
        overrides = [overrides]
    items: list[tuple[list[str], Any] | Problem]
    if isinstance(overrides, Mapping):
        items = [(str(k).split("."), copy.deepcopy(v)) for k, v in overrides.items()]
    else:
        items = [_parse_override(text) for text in overrides]
    problems: list[Problem] = []
    applied: list[Override] = []
    for item in items:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        parts, value = item
        kept = copy.deepcopy(value)  # a later override may change the value in place
        if "" in parts:
            problems.append(Problem(SET, None, ".".join(parts), "empty part in the key path"))
        elif failed := set_path(data, parts, value, origins, Origin(SET, None)):
            problems.append(Problem(SET, None, dotted(failed[0]), failed[1]))
        else:
            applied.append((parts, kept))
    return problems, applied


def blame_overrides(
    problems: Sequence[Problem], before: dict[str, Any], applied: Sequence[Override]
) -> list[Problem]:
    """``problems``, each one that only the overrides brought about moved to ``--set KEY``.

    Args:
        problems: what validating the scenario with every override found.
        before: the scenario's data before any override; it is not changed.
        applied: the overrides, in the order they were applied.
    """
    keys = [".".join(parts) for parts, _ in applied]
    found: dict[int, set[tuple[str, str]]] = {}

    def found_after(count: int) -> set[tuple[str, str]]:
        """The problems, as (key, message), with the first ``count`` overrides applied."""
        if count not in found:
            found[count] = _problems(before, applied[:count])
        return found[count]

    moved = []
    for problem in problems:
        sign = (problem.key, problem.message)
        own = any(problem.key == key or problem.key.startswith(f"{key}.") for key in keys)
        if own or not applied or sign in found_after(0):
            moved.append(problem)
            continue
        absent, present = 0, len(applied)  # absent after `absent` overrides, present after all
        while present - absent > 1:
            middle = (absent + present) // 2
            if sign in found_after(middle):
                present = middle
            else:
                absent = middle
        moved.append(Problem(SET, None, keys[present - 1], problem.message))
    return moved


def _problems(before: dict[str, Any], overrides: Sequence[Override]) -> set[tuple[str, str]]:
    data = copy.deepcopy(before)
    for parts, value in overrides:
        set_path(data, parts, copy.deepcopy(value), {}, Origin(SET, None))
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        return {(p.key, p.message) for p in problems_from(exc, data, {})}
    return set()
