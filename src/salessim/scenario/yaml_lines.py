"""YAML read with the line of every key, so each problem can say where it is.

One file becomes plain data and the origin (file and line) of every key path; a file
that is not YAML, or not a mapping, raises :class:`ScenarioError` at the line of the fault.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import yaml

from salessim.scenario.errors import Problem, fail
from salessim.scenario.keys import KeyPath, Origin, Origins, dotted
from salessim.scenario.reading import LimitedLoader, LimitExceeded, read_text

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _LineLoader(LimitedLoader):
    """A safe loader that turns one document into plain data and the line of every key.

    Keys are kept as written (``no:`` stays the text ``"no"``); values are built by the
    safe constructor, so ``2027-01-01`` becomes a ``datetime.date``. The document is
    measured as it is composed (``LimitedLoader``), so expanding it here stays cheap.
    """

    def __init__(self, text: str, file: str) -> None:
        super().__init__(text)
        self.file = file
        self.origins: Origins = {}
        self.problems: list[Problem] = []
        self._explicit: dict[int, set[int]] = {}
        self._open: set[int] = set()

    def located(self, node: yaml.Node, path: KeyPath) -> Any:
        """Return the plain value of ``node``, recording the line of every key below it."""
        line = node.start_mark.line + 1
        if id(node) in self._open:
            self.problems.append(Problem(self.file, line, dotted(path), "recursive alias"))
            return None
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            self._open.add(id(node))
            try:
                if isinstance(node, yaml.MappingNode):
                    return self._mapping(node, path)
                return [self._child((*path, i), item, item) for i, item in enumerate(node.value)]
            finally:
                self._open.discard(id(node))
        try:
            return self.construct_object(node, deep=True)
        except ValueError:  # e.g. the date 2027-13-45: validation says what is wrong
            return node.value
        except yaml.YAMLError as exc:
            message = f"cannot read {node.value!r}: {getattr(exc, 'problem', None) or exc}"
            self.problems.append(Problem(self.file, line, dotted(path), message))
            return node.value

    def _child(self, path: KeyPath, written_at: yaml.Node, node: yaml.Node) -> Any:
        """The value of ``node``, recording ``path`` at the line of ``written_at``."""
        self.origins[path] = Origin(self.file, written_at.start_mark.line + 1)
        return self.located(node, path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        if id(node) not in self._explicit:  # an aliased mapping is flattened only once
            self._explicit[id(node)] = {id(k) for k, _ in node.value if k.tag != _MERGE_TAG}
            try:
                self.flatten_mapping(node)
            except yaml.YAMLError as exc:
                line = node.start_mark.line + 1
                self.problems.append(Problem(self.file, line, dotted(path), str(exc)))
        explicit = self._explicit[id(node)]
        data: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(self.file, line, dotted(path), "a key must be a name, not a list")
                )
                continue
            key = key_node.value
            if key in first_line and id(key_node) in explicit:
                message = f"duplicate key {key!r} (first given at line {first_line[key]})"
                self.problems.append(Problem(self.file, line, dotted((*path, key)), message))
            if id(key_node) in explicit:
                first_line.setdefault(key, line)
            data[key] = self._child((*path, key), key_node, value_node)
        return data


def _yaml_failure(file: str, text: str, exc: yaml.YAMLError) -> NoReturn:
    if isinstance(exc, yaml.reader.ReaderError):
        at = text[: exc.position].count("\n") + 1
        fail(file, f"invalid YAML: character #x{exc.character:04x} is not allowed", at)
    if not isinstance(exc, yaml.MarkedYAMLError):
        fail(file, f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    # The end of the stream, after a last newline, is on the last line, not one past it.
    line = None if mark is None else min(mark.line + 1, len(text.splitlines()) or 1)
    if isinstance(exc, LimitExceeded):
        fail(file, f"the file {exc.problem}", line)
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    fail(file, message, line)


def read_with_lines(
    path: Path, file: str, noun: str = "a scenario", keys: str = "meta, funnel"
) -> tuple[dict[str, Any], Origins, list[Problem]]:
    """Read one YAML file into data, the origin of every key, and duplicate-key problems.

    ``noun`` and ``keys`` say what the file should be when it is not a mapping.
    """
    text = read_text(path, file)
    try:
        loader = _LineLoader(text, file)
    except yaml.YAMLError as exc:
        _yaml_failure(file, text, exc)
    try:
        node = loader.get_single_node()
        if node is None:
            fail(file, f"the file is empty; {noun} is a mapping of keys such as {keys}")
        if not isinstance(node, yaml.MappingNode):
            what = "a list" if isinstance(node, yaml.SequenceNode) else repr(node.value)
            fail(file, f"{noun} must be a mapping of keys (key: value), not {what}", 1)
        data = loader.located(node, ())
    except yaml.YAMLError as exc:
        _yaml_failure(file, text, exc)
    finally:
        loader.dispose()
    loader.origins[()] = Origin(file, node.start_mark.line + 1)
    return data, loader.origins, loader.problems
