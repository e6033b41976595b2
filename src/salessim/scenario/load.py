"""Load scenario files: YAML with line numbers, ``extends``, ``--set`` overrides, clear errors.

Every problem found is reported at once as ``file:line: key.path: message``; a scenario
either loads completely or raises :class:`ScenarioError`, never a traceback.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema

from salessim.scenario.errors import Problem, ScenarioError, problems_from, quoted
from salessim.scenario.keys import (
    SET,
    KeyPath,
    Origin,
    Origins,
    close_match,
    dist_data,
    dotted,
    is_dist,
    schema_at,
    set_path,
)
from salessim.scenario.overrides import Override, blame_overrides
from salessim.scenario.reading import (
    LimitedLoader,
    LimitExceeded,
    exists,
    load_yaml,
    name_problem,
    read_text,
)
from salessim.scenario.schema import WRITTEN, Scenario
from salessim.scenario.units import parse_duration, parse_money, parse_number, parse_rate

M = TypeVar("M", bound=BaseModel)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "Problem",
    "ScenarioError",
    "apply_overrides",
    "bundled_scenarios",
    "load_scenario",
    "resolve_scenario",
    "scenario_json_schema",
]

DEFAULT_SCENARIO = "baseline"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _fail(file: str, message: str, line: int | None = None, key: str = "") -> NoReturn:
    raise ScenarioError([Problem(file, line, key, message)])


# ----------------------------------------------------------------------------- YAML with lines
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
        _fail(file, f"invalid YAML: character #x{exc.character:04x} is not allowed", at)
    if not isinstance(exc, yaml.MarkedYAMLError):
        _fail(file, f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    # The end of the stream, after a last newline, is on the last line, not one past it.
    line = None if mark is None else min(mark.line + 1, len(text.splitlines()) or 1)
    if isinstance(exc, LimitExceeded):
        _fail(file, f"the file {exc.problem}", line)
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    _fail(file, message, line)


def _read(
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
            _fail(file, f"the file is empty; {noun} is a mapping of keys such as {keys}")
        if not isinstance(node, yaml.MappingNode):
            what = "a list" if isinstance(node, yaml.SequenceNode) else repr(node.value)
            _fail(file, f"{noun} must be a mapping of keys (key: value), not {what}", 1)
        data = loader.located(node, ())
    except yaml.YAMLError as exc:
        _yaml_failure(file, text, exc)
    finally:
        loader.dispose()
    loader.origins[()] = Origin(file, node.start_mark.line + 1)
    return data, loader.origins, loader.problems


# ----------------------------------------------------------------------------- extends
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


def _read_tree(
    path: Path, file: str, chain: tuple[tuple[Path, str], ...] = ()
) -> tuple[dict[str, Any], Origins, list[Problem], list[str]]:
    """Read a file and, through ``extends``, its ancestors; return merged data and origins."""
    data, origins, problems = _read(path, file)
    if "extends" not in data:
        return data, origins, problems, [file]
    parent_name = data.pop("extends")
    line = origins.pop(("extends",)).line
    if not isinstance(parent_name, str) or not parent_name:
        _fail(file, "expected the path of the scenario file to extend", line, "extends")
    parent = path.parent / parent_name
    if problem := name_problem(parent):
        _fail(file, f"cannot extend {quoted(parent_name)}: {problem}", line, "extends")
    parent_file = os.path.normpath(os.path.join(os.path.dirname(file), parent_name))
    seen = [*chain, (path.resolve(), file)]
    if parent.resolve() in [real for real, _ in seen]:
        cycle = " -> ".join([*(shown for _, shown in seen), parent_file])
        _fail(file, f"extends files in a cycle: {cycle}", line, "extends")
    if not exists(parent):
        bundled = _bundled_root() / f"{parent_name.removesuffix('.yaml')}.yaml"
        if not bundled.is_file():
            _fail(
                file,
                f"cannot find {parent_name!r} (looked for {parent_file} and a bundled scenario)",
                line,
                "extends",
            )
        parent, parent_file = Path(str(bundled)), f"<bundled>/{parent_name}"
    try:
        base, base_origins, base_problems, files = _read_tree(parent, parent_file, tuple(seen))
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


# ----------------------------------------------------------------------------- overrides
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


def _apply(
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


# ----------------------------------------------------------------------------- validation
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
    data, origins, problems, files = _read_tree(Path(path), str(path))
    before = copy.deepcopy(data) if overrides else {}
    failed, applied = _apply(data, origins, overrides)
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
    data, origins, problems = _read(Path(path), file, noun, keys)
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
    problems, applied = _apply(data, origins, overrides)
    return _validate(data, origins, problems, [], (before, applied))


def revalidate(scenario: Scenario) -> Scenario:
    """``scenario`` checked as a whole again, after typed edits made with ``model_copy``.

    Raises:
        ScenarioError: every problem the edits made, each with its key.
    """
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    return _validate(data, {(): Origin(SET, None)}, [], [])


# ----------------------------------------------------------------------------- bundled files
def _bundled_root() -> Traversable:
    return resources.files("salessim") / "scenarios"


def bundled_scenarios() -> list[str]:
    """The bundled scenario names, such as ``baseline`` or ``queue/mmc_l9_m1_c10``, sorted."""
    names: list[str] = []
    stack: list[tuple[Traversable, str]] = [(_bundled_root(), "")]
    while stack:
        folder, prefix = stack.pop()
        if not folder.is_dir():
            continue
        for child in folder.iterdir():
            if child.is_dir():
                stack.append((child, f"{prefix}{child.name}/"))
            elif child.name.endswith(".yaml"):
                names.append(prefix + child.name.removesuffix(".yaml"))
    return sorted(names)


def resolve_scenario(name_or_path: str | None) -> Path:
    """Return the file of a scenario given by path or by bundled name (``None``: the default).

    Raises:
        ScenarioError: When it is neither an existing file nor a bundled scenario.
    """
    if name_or_path is not None and (problem := name_problem(Path(name_or_path))):
        _fail(name_or_path, problem)
    if name_or_path is not None and Path(name_or_path).exists():
        return Path(name_or_path)
    name = DEFAULT_SCENARIO if name_or_path is None else name_or_path
    candidate = _bundled_root()
    for part in f"{name.removesuffix('.yaml')}.yaml".split("/"):
        candidate = candidate / part
    if candidate.is_file():
        return Path(str(candidate))
    names = bundled_scenarios()
    guess = close_match(name.removesuffix(".yaml"), names)
    hint = f"did you mean {guess!r}? " if guess else ""
    listing = ", ".join(names) if names else "none"
    _fail(name, f"no such file or bundled scenario; {hint}bundled scenarios: {listing}")


# ----------------------------------------------------------------------------- JSON schema
_UNIT_PARSERS = (parse_duration, parse_rate, parse_money, parse_number)
_BOUND_KEYWORDS = {
    "gt": "exclusiveMinimum",
    "ge": "minimum",
    "lt": "exclusiveMaximum",
    "le": "maximum",
}


class _InputSchema(GenerateJsonSchema):
    """Describe what a file may say: quantities with units are numbers or strings."""

    def function_before_schema(self, schema: Any) -> dict[str, Any]:
        inner = super().function_before_schema(schema)
        if schema["function"].get("function") in _UNIT_PARSERS:
            return {"anyOf": [inner, {"type": "string"}]}
        return inner


def _standard_bounds(node: Any) -> Any:
    """Rename pydantic's leftover ``gt``/``ge``/``lt``/``le`` keys to JSON Schema keywords."""
    if isinstance(node, list):
        return [_standard_bounds(item) for item in node]
    if not isinstance(node, dict):
        return node
    renamed = {}
    for key, value in node.items():
        is_bound = key in _BOUND_KEYWORDS and isinstance(value, int | float)
        renamed[_BOUND_KEYWORDS[key] if is_bound else key] = _standard_bounds(value)
    return renamed


def scenario_json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of scenario files, for editor completion and checks."""
    schema = Scenario.model_json_schema(by_alias=True, schema_generator=_InputSchema)
    schema = _standard_bounds(schema)
    dist = schema["$defs"]["Dist"]
    families = dist["properties"]
    families["constant"]["anyOf"].insert(0, {"type": ["number", "string"]})
    families["empirical"]["anyOf"].insert(
        0, {"type": "array", "items": {"type": ["number", "string"]}}
    )
    dist.update(minProperties=1, maxProperties=1)
    schema["$defs"]["Dist"] = {
        "description": dist.pop("description"),
        "anyOf": [{"type": ["number", "string"]}, dist],
    }
    schema["properties"]["extends"] = {
        "type": "string",
        "description": "Another scenario file (relative to this one) that this file changes.",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "salessim scenario",
    }
