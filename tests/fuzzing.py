"""The scenario fuzzer's parts: broken scenarios, the command run on them, and the rule.

The rule every input must keep: a correct run (exit 0, every KPI finite or unknown and in
its range) or a clean refusal (exit 2, every line ``file:line: key: message`` or the name
of an option), within seconds, never a traceback. Inputs are the shipped scenarios with one
to three mutations: a key deleted, a value of another type, an extreme or non-finite
number, a unit that does not exist, a broken distribution, an unknown key, text that is
not plain, an ``extends`` that points nowhere, at itself, round a cycle or at a broken
file. ``tests/scenario/test_fuzz.py`` draws them with Hypothesis.

Each input runs ``salessim run FILE --years 0.1 --json`` (one in four without ``--json``)
in a child forked from the test process: the child is the command line as a user starts
it (its own exit code, stdout and stderr, a traceback printed by Python itself), but
starts with the package already imported, so an input costs its run and not an
interpreter's start. A child past its time limit is killed, and its memory is limited, so
a hang or a runaway fails the test instead of stalling it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import math
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from hypothesis import strategies as st

from salessim.metrics.kinds import Unit, unit_of
from salessim.scenario.dists import FAMILIES
from tests.support import ROOT

SHIPPED_DIR = ROOT / "scenarios"
SHIPPED = sorted(p.relative_to(SHIPPED_DIR).as_posix() for p in SHIPPED_DIR.rglob("*.yaml"))
"""Every shipped scenario, by its path below ``scenarios/`` (``comp/capped.yaml``)."""
ORIGINALS: dict[str, dict[str, Any]] = {
    name: yaml.safe_load((SHIPPED_DIR / name).read_text(encoding="utf-8")) for name in SHIPPED
}
YEARS = "0.1"
TIMEOUT_SECONDS = 20.0
MEMORY_BYTES = 2 << 30  # address space a child may add to what it inherits

KeyPath = tuple[str | int, ...]


# ----------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Raw:
    """A file's text as it is, not YAML data to dump (an empty file, a broken one)."""

    text: str


@dataclass
class Case:
    """One input: a shipped scenario to run, and the files of its tree that were changed."""

    scenario: str
    files: dict[str, Any] = field(default_factory=dict)
    mutations: list[str] = field(default_factory=list)
    json: bool = True  # run with --json (else the summary table)

    def __repr__(self) -> str:
        shown = "" if self.json else ", without --json"
        return f"Case({self.scenario!r}{shown}: {'; '.join(self.mutations)})"

    def args(self, scenario: Path) -> list[str]:
        """The command's arguments, to run ``scenario`` (this case written out)."""
        return ["run", str(scenario), "--years", YEARS, *(["--json"] if self.json else [])]

    def write(self, folder: Path) -> Path:
        """Copy the shipped tree into ``folder`` with the changed files; return the one to run."""
        tree = folder / "scenarios"
        shutil.copytree(SHIPPED_DIR, tree)
        for name, data in self.files.items():
            path = tree / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data.text if isinstance(data, Raw) else dump(data), encoding="utf-8")
        return tree / self.scenario


def dump(data: Any) -> str:
    """``data`` as YAML text, keys in their order."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def parent_of(name: str) -> str | None:
    """The shipped file ``name`` extends, as a path below ``scenarios/`` (None: none)."""
    data = ORIGINALS.get(name)
    if not isinstance(data, dict) or not isinstance(data.get("extends"), str):
        return None
    joined = os.path.normpath(PurePosixPath(name).parent / data["extends"]).replace(os.sep, "/")
    return joined if joined in SHIPPED else None


def chain_of(name: str) -> list[str]:
    """``name`` and the shipped files it extends, nearest first."""
    chain = [name]
    while (parent := parent_of(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    return chain


def relative(target: str, start: str) -> str:
    """``target`` as an ``extends`` in ``start`` names it (relative to ``start``'s folder)."""
    return os.path.relpath(target, PurePosixPath(start).parent.as_posix() or ".")


def paths(data: Any, where: KeyPath = ()) -> Iterator[KeyPath]:
    """Every key path below ``data`` (mapping keys and list indices), parents first."""
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        yield (*where, key)
        yield from paths(value, (*where, key))


def get(data: Any, path: KeyPath) -> Any:
    """The value at ``path``."""
    for key in path:
        data = data[key]
    return data


def put(data: Any, path: KeyPath, value: Any) -> None:
    """Set the value at ``path``."""
    get(data, path[:-1])[path[-1]] = value


def shown(path: KeyPath) -> str:
    """A key path as a dotted name."""
    return ".".join(str(key) for key in path) or "<top>"


HUGE = 10**400
EXTREME_NUMBERS: list[Any] = [
    0,
    -1,
    1e300,
    -1e300,
    math.nan,
    math.inf,
    -math.inf,
    HUGE,
    -HUGE,
    2**64,
    5e-324,
    1e-12,
]
"""Numbers past every bound: zero and negatives, the float range's ends, non-finite values,
integers no float holds, and the smallest positive ones."""
EXTREME_TEXTS = ["1e300", "-1", "0", "1e-300", "1e999", "-1e999", "9" * 400]
"""Extreme numbers written before a unit (``1e300/mo``)."""
BAD_UNITS = [
    "3 parsecs",
    "5/fortnight",
    "10m",
    "2 mo ago",
    "-3d",
    "45kk",
    "$-5M",
    "1,2,3",
    "",
    "h",
    "/mo",
    "3/0",
    "nan d",
    "inf/h",
    "0x1Fd",
    "\u0661\u0662d",
    "5e5000y",
    "3mo3",
    "\u221e",
    "1e-320h",
]
"""Unit strings no unit parser takes, or takes to a value past its bounds."""
BAD_DISTS: list[Any] = [
    {"lognormal": {"mean": -1, "cv": 0.5}},
    {"lognormal": {"mean": "1e300", "cv": 100}},
    {"gamma": {"mean": 1, "cv": 0}},
    {"gamma": {"mean": "5e-324d", "cv": 1e-7}},
    {"beta": {"mean": 1.5, "sd": 0.1}},
    {"beta": {"mean": 0.5, "sd": 0.5}},
    {"beta": {"a": 1}},
    {"beta": {"a": 1e-300, "b": 1e-300}},
    {"uniform": {"low": 5, "high": 1}},
    {"uniform": {"low": -1e300, "high": 1e300}},
    {"triangular": {"low": 1, "mode": 0, "high": 2}},
    {"triangular": {"low": 1, "mode": 1, "high": 1}},
    {"normal": {"mean": 1, "sd": -1}},
    {"normal": {"mean": 0, "sd": 1}},
    {"empirical": []},
    {"empirical": {"values": [1], "weights": [0]}},
    {"empirical": {"values": [1, 2], "weights": [1]}},
    {"empirical": {"values": [1e300, 1e-300], "weights": [1e300, 1e300]}},
    {"poisson": {"mean": 3}},
    {"exponential": {"mean": "1h"}, "gamma": {"mean": 1, "cv": 1}},
    {},
    {"exponential": 5},
    {"exponential": {"mean": 1e300}},
    {"exponential": {"mean": "2 parsecs"}},
    {"constant": "nan"},
    {"constant": None},
    {"lognormal": {"mean": 1}},
    ["exponential", 1],
]
"""Distribution specs that are wrong, or valid but extreme."""
HOSTILE_TEXTS = [
    "[/x] closes a tag never opened",
    "[bold]:100: [link=x]",
    "\x1b[31mred\x1b[0m",
    "%s {0} {name} $HOME",
    "\u202eright to left",
    "two\nlines",
    "x" * 5000,
]
"""Text a terminal library might read as markup, emoji codes or escapes, or that is long."""
OTHER_TYPES: list[Any] = [
    "text",
    7,
    2.5,
    True,
    None,
    [1, 2],
    {"x": 1},
    dt.date(2027, 1, 1),
]
"""Values of each YAML type, to put where a value of another type belongs."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_UNIT_TEXT = re.compile(r"^\s*\$?[-+]?[\d.][\d.,eE+-]*\s*(/\s*)?([A-Za-z]*)\s*$")


def _is_dist(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in FAMILIES


Mutation = Callable[[st.DrawFn, Case, str, dict[str, Any]], str]


def _pick(
    draw: st.DrawFn, data: Any, wanted: Callable[[Any], bool] | None = None
) -> KeyPath | None:
    """A key path in ``data`` whose value is ``wanted`` (any when none is); None if empty."""
    every = list(paths(data))
    chosen = [p for p in every if wanted(get(data, p))] if wanted else []
    pool = chosen or every
    return draw(st.sampled_from(pool)) if pool else None


def delete_key(draw: st.DrawFn, case: Case, name: str, data: dict[str, Any]) -> str:
    """Delete a key of a mapping, or an item of a list."""
    path = _pick(draw, data)
    if path is None:
        return "nothing to delete"
    del get(data, path[:-1])[path[-1]]
    return f"{name}: deleted {shown(path)}"


def swap_type(draw: st.DrawFn, case: Case, name: str, data: dict[str, Any]) -> str:
    """Put a value of another type where a value is."""
    path = _pick(draw, data)
    if path is None:
        return "nothing to swap"
    old = get(data, path)
    value = draw(st.sampled_from([v for v in OTHER_TYPES if type(v) is not type(old)]))
    put(data, path, copy.deepcopy(value))
    return f"{name}: {shown(path)} = {value!r}"


def extreme_number(draw: st.DrawFn, case: Case, name: str, data: dict[str, Any]) -> str:
    """Replace a number, or the number of a quantity with a unit, by an extreme one."""
    is_quantity = lambda v: isinstance(v, str) and _UNIT_TEXT.match(v) is not None  # noqa: E731
    path = _pick(draw, data, lambda v: _is_number(v) or is_quantity(v))
    if path is None:
        return "no number"
    old = get(data, path)
    if is_quantity(old):
        match = _UNIT_TEXT.match(old)
        assert match is not None
        rate = "/" if match.group(1) else ""
        value: Any = f"{draw(st.sampled_from(EXTREME_TEXTS))}{rate}{match.group(2)}"
    else:
        value = draw(st.sampled_from(EXTREME_NUMBERS))
    put(data, path, value)
    return f"{name}: {shown(path)} = {value!r}"[:200]


def bad_unit(draw: st.DrawFn, case: Case, name: str, data: dict[str, Any]) -> str:
    """Replace a number or a text by a unit string that does not parse (or not in bounds)."""
    path = _pick(draw, data, lambda v: _is_number(v) or isinstance(v, str))
    if path is None:
        return "no quantity"
    value = draw(st.sampled_from(BAD_UNITS))
    put(data, path, value)
    return f"{name}: {shown(path)} = {value!r}"


def bad_dist(draw: st.DrawFn, case: Case, name: str, data: dict[str, Any]) -> str:
    """Replace a distribution spec (or, in a file with none, any value) by a broken one."""
    path = _pick(draw, data, _is_dist)
    if path is None:
        return "no distribution"
    value = copy.deepcopy(draw(st.sampled_from(BAD_DISTS)))
    put(data, path, value)
    return f"{name}: {shown(path)} = {value!r}"


def add_unknown_key(draw: st.DrawFn, case: Case, name: str, data: dict[str, Any]) -> str:
    """Add a key no model knows to a mapping."""
    path = _pick(draw, data, lambda v: isinstance(v, dict))
    where = data if path is None or not isinstance(get(data, path), dict) else get(data, path)
    key = draw(st.sampled_from(["colour", "headcont", "extends", "0", "on"]))
    where[key] = 1
    return f"{name}: {shown(path or ())}.{key} = 1"


def hostile_text(draw: st.DrawFn, case: Case, name: str, data: dict[str, Any]) -> str:
    """Name the scenario (or replace another text) with text that is not plain."""
    value = draw(st.sampled_from(HOSTILE_TEXTS))
    if draw(st.booleans()) and isinstance(data.get("meta", {}), dict):
        data.setdefault("meta", {})["name"] = value
        return f"{name}: meta.name = {value[:40]!r}"
    path = _pick(draw, data, lambda v: isinstance(v, str))
    if path is None:
        return "no text"
    put(data, path, value)
    return f"{name}: {shown(path)} = {value[:40]!r}"


def _broken_parent(draw: st.DrawFn, case: Case, name: str) -> str:
    """A sibling file that cannot be extended: empty, not a mapping, or not YAML."""
    text = draw(st.sampled_from(["", "- a\n- b\n", "a: [1,\n", "just text\n", "{}\n"]))
    sibling = (PurePosixPath(name).parent / "broken_parent.yaml").as_posix()
    case.files[sibling] = Raw(text)
    return f"broken_parent.yaml ({text!r})"


def bad_extends(draw: st.DrawFn, case: Case, name: str, data: dict[str, Any]) -> str:
    """Point ``extends`` nowhere, at the file itself, round a cycle, or at a broken file."""
    kind = draw(st.sampled_from(["missing", "itself", "cycle", "broken", "not a name", "a folder"]))
    if kind == "missing":
        value: Any = draw(st.sampled_from(["missing.yaml", "../../nowhere/missing.yaml", "nope"]))
    elif kind == "itself":
        value = PurePosixPath(name).name
    elif kind == "cycle":
        # The file extends the scenario run, which (through its ancestors) extends it back;
        # a file without ancestors extends a sibling that extends it.
        if name != case.scenario:
            value = relative(case.scenario, name)
        else:
            partner = (PurePosixPath(name).parent / "cycle_partner.yaml").as_posix()
            case.files[partner] = {"extends": PurePosixPath(name).name}
            value = "cycle_partner.yaml"
    elif kind == "broken":
        value = "broken_parent.yaml"
        kind = _broken_parent(draw, case, name)
    elif kind == "not a name":
        value = draw(st.sampled_from(["", 5, ["baseline.yaml"], None, {"file": "x"}, True]))
    else:
        value = draw(st.sampled_from([".", "..", "/", "comp"]))
    data["extends"] = value
    return f"{name}: extends = {value!r} ({kind})"


MUTATIONS: list[Mutation] = [
    delete_key,
    swap_type,
    extreme_number,
    bad_unit,
    bad_dist,
    add_unknown_key,
    hostile_text,
    bad_extends,
]


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> Case:
    """A shipped scenario with one to three mutations, each in it or a file it extends.

    One case in four is run without ``--json``, to print the summary table.
    """
    case = Case(draw(st.sampled_from(SHIPPED)), json=draw(st.integers(0, 3)) > 0)
    chain = chain_of(case.scenario)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(chain))
        data = case.files.setdefault(name, copy.deepcopy(ORIGINALS[name]))
        if not isinstance(data, dict):
            continue  # replaced by a broken file already
        mutate = draw(st.sampled_from(MUTATIONS))
        case.mutations.append(mutate(draw, case, name, data))
    return case


# ----------------------------------------------------------------------------- running
@dataclass(frozen=True)
class Outcome:
    """What the command did: exit code (negative: killed by that signal), output, time."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False


def _vm_bytes() -> int | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmSize:\s+(\d+) kB", status, flags=re.M)
    return int(match.group(1)) * 1024 if match else None


def _exit_code(code: object) -> int:
    """The exit status Python gives ``SystemExit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _child(args: list[str], out: int, err: int, memory: int | None) -> None:  # pragma: no cover
    """Run ``salessim ARGS`` as a fresh process would, then exit; never returns."""
    code = 1
    try:
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        sys.argv = ["salessim", *args]
        from salessim.cli import entry

        try:
            entry()
            code = 0
        except SystemExit as exit_:
            code = _exit_code(exit_.code)
        except BaseException:
            traceback.print_exc()  # as Python prints an uncaught exception
            code = 1
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)


def run_forked(args: list[str], timeout: float = TIMEOUT_SECONDS) -> Outcome:
    """``salessim ARGS`` in a forked child, killed after ``timeout`` seconds."""
    import salessim.cli  # noqa: F401  (imported once here, not in every child)

    vm = _vm_bytes()
    memory = None if vm is None else vm + MEMORY_BYTES
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # pragma: no cover
            _child(args, out.fileno(), err.fileno(), memory)
        timed_out = False
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() - started > timeout:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                timed_out = True
                break
            time.sleep(0.005)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Outcome(
            os.waitstatus_to_exitcode(status),
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            timed_out,
        )


def run_case(case: Case, folder: Path) -> tuple[Outcome, Path]:
    """Write ``case`` below ``folder`` and run it; return what happened and the tree."""
    scenario = case.write(folder)
    return run_forked(case.args(scenario)), folder / "scenarios"


# ----------------------------------------------------------------------------- the rule
RUN, REFUSED, OTHER = "correct run", "clean refusal", "anything else"
REFUSAL_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): .+: .+")
OPTION = re.compile(r"'--?[a-z][a-z-]*'")

PROPORTIONS = (
    "win_rate",
    "expansion_share",
    "grr",
    "logo_churn_rate",
    "utilisation_",
    "stage_conversion_",
    "share_at_quota_ramped_",
    "period_share_at_quota_",
    "manager_hours_share_",
)
"""KPIs that are shares of a whole: in [0, 1]."""
NOT_NEGATIVE = (
    "attrition_",
    "nrr",
    "attainment_median_",
    "period_attainment_",
    "open_leads_mean",
    "lead_arrival_rate_per_day",
    "queue_length_mean_",
    "headcount_mean_",
    "ramped_capacity_",
    "coaching_hours_per_rep_month",
    "bookings_",
    "churned_arr",
    "contraction_arr",
    "starting_arr",
    "ending_arr",
    "pipeline_value_end",
    "hiring_cost",
    "exit_cost",
    "training_cost",
    "replacement_cost_per_exit",
    "revenue",
)
"""KPIs that cannot be negative, besides counts and durations."""
DURATIONS = (Unit.DAYS, Unit.MONTHS, Unit.HOURS)
ARR_TOLERANCE = 1e-9  # relative to the largest ARR figure


def kpi_problems(kpis: dict[str, Any], measured_days: float) -> list[str]:
    """What is impossible about a run's KPIs (an empty list: nothing)."""
    problems = []
    for name, value in kpis.items():
        if value is None:
            continue
        if not _is_number(value) or not math.isfinite(value):
            problems.append(f"{name} = {value!r} is not a finite number or null")
            continue
        unit = unit_of(name)
        if unit is Unit.COUNT and (value != int(value) or value < 0):
            problems.append(f"{name} = {value!r} is not a count")
        elif name.startswith(PROPORTIONS) and not 0 <= value <= 1:
            problems.append(f"{name} = {value!r} is a share outside [0, 1]")
        elif (unit in DURATIONS or name.startswith(NOT_NEGATIVE)) and value < 0:
            problems.append(f"{name} = {value!r} is negative")
        elif name == "morale_mean" and not -1 <= value <= 1:
            problems.append(f"morale_mean = {value!r} is outside [-1, 1]")
    if not math.isclose(kpis.get("measured_days", math.nan), measured_days, rel_tol=1e-9):
        problems.append(f"measured_days = {kpis.get('measured_days')!r}, not {measured_days}")
    arr = ("starting_arr", "bookings_new_arr", "bookings_expansion_arr", "churned_arr")
    terms = [kpis.get(name) for name in (*arr, "contraction_arr", "ending_arr")]
    if all(_is_number(term) for term in terms):
        start, new, expansion, churned, contraction, end = terms  # type: ignore[misc]
        scale = max(abs(term) for term in terms)  # type: ignore[arg-type]
        if abs(start + new + expansion - churned - contraction - end) > ARR_TOLERANCE * scale:
            problems.append("starting ARR + bookings - churn - contraction != ending ARR")
    return problems


def _refusal_problems(stderr: str, tree: Path | None) -> list[str]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    if not lines:
        return ["exit 2 with nothing on stderr"]
    if OPTION.search(stderr):
        return []
    problems = []
    for line in lines:
        match = REFUSAL_LINE.match(line)
        if match is None:
            problems.append(f"not file:line: key: message: {line!r}")
            continue
        file, number = match.group("file"), int(match.group("line"))
        if file.startswith("<bundled>/"):
            continue
        path = Path(file)
        if tree is not None and not path.is_file():
            problems.append(f"names a file that is not there: {line!r}")
        elif tree is not None and number > len(path.read_text(encoding="utf-8").splitlines()):
            problems.append(f"names a line past the file's end: {line!r}")
    return problems


def verdict(
    outcome: Outcome, tree: Path | None = None, *, as_json: bool = True
) -> tuple[str, list[str]]:
    """Which way the command went: ``RUN``, ``REFUSED`` or ``OTHER``, and what broke the rule.

    ``tree`` is the folder of the files the input was written to: a refusal must name a
    file there (or a bundled one) and a line it has. Without ``as_json`` a run prints its
    summary table, whose numbers are not checked.
    """
    if outcome.timed_out:
        return OTHER, [f"no answer in {outcome.seconds:.0f} s"]
    if "Traceback" in outcome.stdout + outcome.stderr:
        return OTHER, ["a traceback: " + outcome.stderr[-3000:]]
    if outcome.returncode == 2:
        problems = _refusal_problems(outcome.stderr, tree)
        return (OTHER, problems) if problems else (REFUSED, [])
    if outcome.returncode != 0:
        return OTHER, [f"exit {outcome.returncode}: {outcome.stderr[-3000:]}"]
    if not as_json:
        return (RUN, []) if "Metric" in outcome.stdout else (OTHER, ["no summary table"])
    try:
        document = json.loads(outcome.stdout)
        kpis = document["kpis"]
    except (ValueError, KeyError, TypeError):
        return OTHER, [f"exit 0 without a JSON object of KPIs: {outcome.stdout[:500]!r}"]
    if not isinstance(kpis, dict):
        return OTHER, ["kpis is not a mapping"]
    problems = kpi_problems(kpis, float(YEARS) * 365.25)
    return (OTHER, problems) if problems else (RUN, [])
