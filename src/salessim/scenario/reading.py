"""Reading the files a user hands in, within limits: name, size, nesting and values.

A scenario, an experiment file or a game save may come from anywhere, so each is read
within the bounds of ``limits``: a name the file system cannot take (too long, a NUL
byte) is refused like a missing file; at most ``MAX_FILE_BYTES`` of YAML
(``MAX_SAVE_BYTES`` of JSON) are read; lists and mappings nest at most ``MAX_DEPTH``
deep; and a YAML document holds at most ``MAX_VALUES`` values once its aliases are
expanded, counted while it is composed, before anything is expanded (so "billion laughs"
costs what the file weighs). Each refusal is a :class:`ScenarioError` naming the file:
the command line exits with 2 in seconds and bounded memory whatever the file holds.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import yaml

from salessim.scenario.errors import fail
from salessim.scenario.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_SAVE_BYTES,
    MAX_VALUES,
)


def _size(limit: int) -> str:
    return f"{limit / (1 << 20):g} MiB" if limit >= 1 << 20 else f"{limit:,} bytes"


def name_problem(path: Path) -> str | None:
    """Why ``path`` cannot name a file on this system, or None (missing files are fine)."""
    if "\0" in str(path):
        return "the file name holds a NUL character"
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return "the file name is too long for the file system"
        return f"cannot read the file: {exc.strerror or exc}"
    except ValueError as exc:
        return f"cannot use the file name: {exc}"
    return None


def exists(path: Path) -> bool:
    """Whether ``path`` names an existing file or directory (False for impossible names)."""
    return name_problem(path) is None and path.exists()


def read_text(path: Path, file: str, limit: int = MAX_FILE_BYTES) -> str:
    """The text of ``path`` (shown as ``file`` in errors), refused past ``limit`` bytes.

    Raises:
        ScenarioError: the name is impossible, the file is missing, a directory, too
            large or not UTF-8.
    """
    problem = name_problem(path)
    if problem is not None:
        fail(file, problem)
    if path.is_dir():
        fail(file, "is a directory, not a scenario file")
    if not path.exists():
        fail(file, "no such file")
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        fail(file, f"cannot read the file: {exc.strerror or exc}")
    if len(data) > limit:
        fail(file, f"the file is larger than {_size(limit)}, the most salessim reads")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(file, f"cannot read the file: {exc}")


# ----------------------------------------------------------------------------- YAML
class LimitExceeded(yaml.MarkedYAMLError):
    """A document nested too deep or holding too many values: refused before expanding."""


class LimitedLoader(yaml.SafeLoader):
    """A safe loader that measures each node as it is composed and refuses the excessive.

    A node's size is the number of values it stands for with every alias expanded, and
    its height how deep those values nest; both are summed from the children's, which
    were measured first, so measuring costs one step per node written.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (size, height)

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        """Compose one node, refusing it when the document passes a limit."""
        if self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        mark = self.peek_event().start_mark
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitExceeded(
                problem=f"is nested deeper than {MAX_DEPTH} levels", problem_mark=mark
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._measure(node)
        return node

    def _measure(self, node: yaml.Node) -> None:
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        size, height = 1, 0
        for child in children:
            # a recursive alias names a node still being composed: the loader reports it
            child_size, child_height = self._measured.get(id(child), (1, 0))
            size += child_size
            height = max(height, child_height)
        if isinstance(node, yaml.CollectionNode):
            height += 1
        self._measured[id(node)] = (size, height)
        if size > MAX_VALUES:
            raise LimitExceeded(
                problem=f"holds more than {MAX_VALUES:,} values with its aliases expanded",
                problem_mark=node.start_mark,
            )
        if height > MAX_DEPTH:
            raise LimitExceeded(
                problem=f"is nested deeper than {MAX_DEPTH} levels with its aliases expanded",
                problem_mark=node.start_mark,
            )


def load_yaml(text: str) -> Any:
    """One YAML document as plain data, within the limits (``--set`` values use this).

    Raises:
        yaml.YAMLError: the text is not YAML, or passes a limit (``LimitExceeded``).
        ValueError: a value the safe constructor cannot build (an integer too long).
    """
    loader = LimitedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


# ----------------------------------------------------------------------------- JSON
def read_json(path: Path, file: str, limit: int = MAX_SAVE_BYTES) -> Any:
    """The JSON document in ``path``, refused past ``limit`` bytes or ``MAX_DEPTH`` levels.

    Raises:
        ScenarioError: the file cannot be read, is not JSON or passes a limit.
    """
    text = read_text(path, file, limit)
    try:
        data = json.loads(text)
    except RecursionError:
        fail(file, f"the file is nested deeper than {MAX_DEPTH} levels")
    except ValueError as exc:  # JSONDecodeError, or an integer too long to read
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        fail(file, f"invalid JSON: {message}", line)
    if _depth(data) > MAX_DEPTH:
        fail(file, f"the file is nested deeper than {MAX_DEPTH} levels")
    return data


def _depth(data: Any) -> int:
    """How deep lists and mappings nest in ``data`` (0 for a plain value), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_DEPTH:
                return deepest
            items = node.values() if isinstance(node, dict) else node
            stack.extend((item, depth + 1) for item in items)
    return deepest
