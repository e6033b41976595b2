"""Key paths into scenario data: what the schema allows where, and setting a value by path.

A key path is a tuple such as ``("funnel", "stages", 2, "work")``: mapping keys as the
YAML spells them (aliases, e.g. ``mean``), list positions as ints.
"""

from __future__ import annotations

import difflib
import types
from enum import Enum
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from salessim.scenario.dists import FAMILIES, Dist
from salessim.scenario.schema import Scenario

KeyPath = tuple[str | int, ...]
SET = "--set"
"""The file name of problems that come from overrides rather than a file."""


class Origin(NamedTuple):
    """Where a key was written: a file and line, or ``--set`` with no line."""

    file: str
    line: int | None


Origins = dict[KeyPath, Origin]


def dotted(path: KeyPath) -> str:
    """``("funnel", "stages", 2)`` as ``funnel.stages.2``."""
    return ".".join(str(part) for part in path)


def close_match(word: str, choices: list[str]) -> str | None:
    """The choice most like ``word``, if any is close (swapped letters count as close)."""
    found = difflib.get_close_matches(word, choices, n=1)
    if not found:
        found = [c for c in choices if sorted(c.lower()) == sorted(word.lower())]
    return found[0] if found else None


# ----------------------------------------------------------------------------- schema types
def unwrap(tp: Any) -> Any:
    """Strip ``Annotated[...]`` and ``... | None`` from a type."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def model_of(tp: Any) -> type[BaseModel] | None:
    """The pydantic model a (possibly wrapped) type stands for, if any."""
    tp = unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def is_dist(tp: Any) -> bool:
    """Whether values of this type are distribution specs."""
    return model_of(tp) is Dist


def enum_of(tp: Any) -> type[Enum] | None:
    """The enum a (possibly wrapped) type stands for, if any."""
    tp = unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, Enum) else None


def yaml_keys(model: type[BaseModel]) -> list[str]:
    """The keys a model accepts, as written in YAML (aliases)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def field_at(model: type[BaseModel], key: str | int) -> tuple[str, FieldInfo] | None:
    """The field a YAML key (alias) or a field name refers to, if any."""
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name, info
    return None


def child_type(tp: Any, key: str | int) -> Any | None:
    """The type found under ``key`` in a value of type ``tp``; None when nothing is allowed."""
    tp = unwrap(tp)
    model = model_of(tp)
    if model is not None:
        found = field_at(model, key)
        return None if found is None else found[1].annotation
    origin = get_origin(tp)
    if origin is dict and isinstance(key, str):
        return get_args(tp)[1]
    if origin is list and isinstance(key, int):
        return get_args(tp)[0]
    return None


def schema_at(path: KeyPath, root: Any = Scenario) -> Any | None:
    """The type of the value at ``path`` of a scenario (or ``root``), None if not allowed."""
    tp: Any = root
    for key in path:
        tp = child_type(tp, key)
        if tp is None:
            return None
    return tp


def unknown_key(key: str, model: type[BaseModel]) -> str:
    """Say that ``key`` is not allowed in ``model``, suggesting the nearest allowed key."""
    allowed = yaml_keys(model)
    guess = close_match(key, allowed)
    if guess is not None:
        return f"unknown key {key!r}; did you mean {guess!r}?"
    return f"unknown key {key!r}; allowed keys: {', '.join(allowed)}"


def dist_data(data: Any) -> dict[str, Any]:
    """A distribution written in any shorthand, as ``{family: {parameter: value}}``."""
    if not isinstance(data, dict):
        return {} if data is None else {"constant": {"value": data}}
    data = dict(data)
    if "constant" in data and not isinstance(data["constant"], dict):
        data["constant"] = {"value": data["constant"]}
    if isinstance(data.get("empirical"), list):
        data["empirical"] = {"values": data["empirical"]}
    return data


# ----------------------------------------------------------------------------- setting by path
def _as_data(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, exclude_none=True)
    if isinstance(value, list):
        return [_as_data(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_data(item) for key, item in value.items()}
    return value


def _container(value: Any, tp: Any) -> Any:
    """``value`` made into the container ``tp`` needs, so that a key can be set inside it."""
    if is_dist(tp):
        return dist_data(value)
    if model_of(tp) is not None or get_origin(unwrap(tp)) is dict:
        return value if isinstance(value, dict) else {}
    if get_origin(unwrap(tp)) is list:
        return value if isinstance(value, list) else []
    return value


def _step(tp: Any, node: Any, path: KeyPath, part: str) -> tuple[str | int, Any] | str:
    """The key and type ``part`` selects inside ``node`` of type ``tp``, or why it cannot."""
    kind = unwrap(tp)
    model = model_of(kind)
    if model is not None:
        found = field_at(model, part)
        if found is None or (found[1].alias is not None and part != found[1].alias):
            return unknown_key(part, model)
        if model is Dist:  # naming another family replaces the distribution
            for family in [f for f in node if f in FAMILIES and f != part]:
                del node[family]
        return part, found[1].annotation
    if get_origin(kind) is dict:
        return part, get_args(kind)[1]
    if get_origin(kind) is list:
        if not part.isdigit():
            return f"expected a list position (0, 1, ...), got {part!r}"
        if int(part) >= len(node):
            return f"position {part} is past the end of a list of {len(node)}"
        return int(part), get_args(kind)[0]
    return f"unknown key {part!r}: {dotted(path)} takes a single value, not keys"


def _default(tp: Any, key: str | int) -> Any:
    """The data of a field's default, so that setting one key keeps the others' defaults."""
    model = model_of(tp)
    found = None if model is None else field_at(model, key)
    if found is None or found[1].is_required():
        return None
    return _as_data(found[1].get_default(call_default_factory=True))


def set_path(
    data: dict[str, Any], parts: list[str], value: Any, origins: Origins, origin: Origin
) -> tuple[KeyPath, str] | None:
    """Set ``value`` at the dotted ``parts`` of scenario ``data`` in place.

    Missing mappings on the way are filled with their defaults, so that only the named
    key changes; the set key and everything created are recorded in ``origins``.

    Returns:
        None, or the key path reached and why the value cannot be set there.
    """
    node: Any = data
    tp: Any = Scenario
    path: KeyPath = ()
    for depth, part in enumerate(parts):
        step = _step(tp, node, path, part)
        if isinstance(step, str):
            return (*path, part), step
        key, child_tp = step
        parent_tp, path = tp, (*path, key)
        if depth == len(parts) - 1:
            node[key] = value
            for known in [p for p in origins if p[: len(path)] == path]:
                del origins[known]
            origins[path] = origin
            return None
        present = isinstance(key, int) or key in node
        child = node[key] if present else _default(parent_tp, key)
        node[key] = _container(child, child_tp)
        origins.setdefault(path, origin)
        node, tp = node[key], child_tp
    return None
