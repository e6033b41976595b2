"""Scenario problems: where each one is and what it says, translated from pydantic's errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from salessim.scenario.base import InconsistentError
from salessim.scenario.keys import (
    SET,
    KeyPath,
    Origin,
    Origins,
    child_type,
    close_match,
    dotted,
    enum_of,
    field_at,
    model_of,
    schema_at,
    unknown_key,
)
from salessim.scenario.schema import Scenario
from salessim.scenario.units import SHOWN_DIGITS, digits


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where (file and line, or ``--set``) and what."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        return text.translate(_LINE_BREAKS)  # one problem, one line, whatever a name holds


_LINE_BREAKS = str.maketrans({c: repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"})
"""Every character ``str.splitlines`` breaks a line at, as its escape (``\\n``)."""


class ScenarioError(Exception):
    """A scenario that cannot be loaded; ``problems`` lists everything found wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def fail(file: str, message: str, line: int | None = None, key: str = "") -> NoReturn:
    """Raise a :class:`ScenarioError` with one problem: in ``file`` at ``line``, ``key``."""
    raise ScenarioError([Problem(file, line, key, message)])


_EXPECTED = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "date_type": "a date such as 2027-01-01",
    "date_parsing": "a date such as 2027-01-01",
    "date_from_datetime_parsing": "a date such as 2027-01-01",
    "date_from_datetime_inexact": "a date without a time of day",
}
_BOUNDS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}
_PREFIXES = ("Value error, ", "Assertion failed, ")
SHOWN_CHARS = 60  # a longer text is shown with its middle cut out


def quoted(text: str) -> str:
    """``text`` quoted for a message, its middle cut out when it is long."""
    if len(text) <= SHOWN_CHARS:
        return repr(text)
    half = (SHOWN_CHARS - 3) // 2
    return repr(text[:half] + "..." + text[-half:])


def _show(value: Any) -> str:
    """A short rendering of a value as the user wrote it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, int) and abs(value) >= 10**SHOWN_DIGITS:
        return f"a {digits(value)}-digit number"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    try:
        text = yaml.safe_dump(value, default_flow_style=True, width=1000).strip()
    except yaml.YAMLError:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _yaml_path(loc: tuple[str | int, ...], *, extra: bool = False, root: Any = Scenario) -> KeyPath:
    """Pydantic's error location as the YAML key path (aliases; no union or key tags).

    With ``extra`` the last item is a key as written in the file, kept as it is.
    """
    tp: Any = root
    path: list[str | int] = []
    for i, item in enumerate(loc):
        model = model_of(tp)
        as_written = extra and i == len(loc) - 1
        found = None if model is None or as_written else field_at(model, item)
        key = (found[1].alias or found[0]) if found else item
        child = child_type(tp, key)
        if (child is None and i < len(loc) - 1) or item == "[key]":
            continue  # a tag such as 'function-after[...]', not a key
        path.append(key)
        tp = child
    return tuple(path)


def _existing(data: Any, path: KeyPath) -> KeyPath:
    """The longest start of ``path`` that is present in ``data``."""
    for depth, key in enumerate(path):
        in_list = isinstance(data, list) and isinstance(key, int) and key < len(data)
        if not (in_list or (isinstance(data, dict) and key in data)):
            return path[:depth]
        data = data[key]
    return path


def _value_at(data: Any, path: KeyPath) -> Any:
    for key in path:
        data = data[key]
    return data


def _origin(origins: Origins, path: KeyPath) -> Origin:
    for depth in range(len(path), -1, -1):
        if path[:depth] in origins:
            return origins[path[:depth]]
    return Origin(SET, None)


def _message(error: ErrorDetails, path: KeyPath, value: Any, root: Any = Scenario) -> str:
    """Plain English for one pydantic error about ``value`` at ``path``."""
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        model = model_of(schema_at(path[:-1], root))
        return unknown_key(str(path[-1]), model) if model else f"unknown key {path[-1]!r}"
    if kind == "finite_number":
        return f"must be a finite number, got {_show(value)}"
    if kind in ("float_type", "float_parsing") and isinstance(value, int):
        return f"a {digits(value)}-digit number is too large"
    if kind == "int_type" and isinstance(value, float):  # a strict whole number: 2.0 is not
        return f"expected a whole number, got {value!r}"
    if kind in _BOUNDS:
        bound_name, op = _BOUNDS[kind]
        bound = ctx[bound_name]
        if kind == "greater_than_equal" and bound == 0:
            return f"must not be negative, got {_show(value)}"
        return f"must be {op} {_number(bound)}, got {_show(value)}"
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        side = "at least" if kind == "too_short" else "at most"
        return f"needs {side} {limit} items, got {ctx.get('actual_length')}"
    if kind == "enum":
        return _enum_message(path, value, ctx.get("expected", ""))
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx['pattern']}, got {_show(value)}"
    if kind in _EXPECTED:
        reason = f" ({ctx['error']})" if "error" in ctx else ""
        return f"expected {_EXPECTED[kind]}, got {_show(value)}{reason}"
    text = error["msg"]
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    if kind in ("value_error", "assertion_error"):
        return text
    return f"{text[:1].lower()}{text[1:]}, got {_show(value)}"


def _enum_message(path: KeyPath, value: Any, expected: str) -> str:
    enum = enum_of(schema_at(path))
    choices = [str(member.value) for member in enum] if enum else []
    text = f"expected one of {', '.join(choices) or expected}, got {_show(value)}"
    guess = close_match(value, choices) if isinstance(value, str) else None
    return f"{text}; did you mean {guess!r}?" if guess else text


def problems_from(
    exc: ValidationError, data: dict[str, Any], origins: Origins, root: Any = Scenario
) -> list[Problem]:
    """Every pydantic error as a problem located at the key path and line it concerns.

    ``root`` is the model the file describes (a scenario unless said otherwise).
    """
    problems = []
    for error in exc.errors(include_url=False):
        path = _yaml_path(error["loc"], extra=error["type"] == "extra_forbidden", root=root)
        found = error.get("ctx", {}).get("error")
        if isinstance(found, InconsistentError):  # several problems, each at its own key
            for below, message in found.problems:
                file, line = _origin(origins, (*path, *below))
                problems.append(Problem(file, line, dotted((*path, *below)), message))
            continue
        if error["type"] not in ("missing", "extra_forbidden"):
            path = _existing(data, path)  # e.g. `work: 2h`, not `work.constant.value`
        exact = _existing(data, path) == path
        value = _value_at(data, path) if exact else error["input"]
        file, line = _origin(origins, path)
        problems.append(Problem(file, line, dotted(path), _message(error, path, value, root)))
    return problems
