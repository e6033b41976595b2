"""Hostile files get a clean refusal: exit 2 naming the file, in seconds and bounded memory.

YAML that expands exponentially through aliases, nests thousands deep, is huge, holds
NUL bytes or has a name the file system cannot take; JSON game saves nested 100,000
deep or too large: ``validate``, ``run``, experiment files and game saves all refuse
them the same way. Each process runs under a memory limit, so a loader that expanded
what it read would fail with a traceback instead of passing by luck.
"""

from __future__ import annotations

import resource
import subprocess

import pytest
import yaml

from salessim.scenario.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_SAVE_BYTES, MAX_VALUES
from salessim.scenario.reading import LimitExceeded, load_yaml
from tests.cli_process import assert_refused, cli
from tests.support import ROOT

MEMORY = 1 << 30  # bytes a process may map: a billion laughs expanded needs far more
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def limited_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``salessim ARGS`` with at most ``MEMORY`` bytes of address space."""
    return cli(*args, preexec_fn=_limit_memory)


def laughs(levels: int = 9) -> str:
    """A billion laughs: ten aliases of the level below at each level, 10**levels in all."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


HOSTILE_YAML = {
    "billion laughs": (laughs(), f"holds more than {MAX_VALUES:,} values"),
    "merge-key laughs": (
        "b0: &b0 {x0: 1, x1: 1, x2: 1, x3: 1, x4: 1, x5: 1, x6: 1, x7: 1, x8: 1, x9: 1}\n"
        + "".join(
            f"b{i}: &b{i} {{{', '.join(f'k{j}: *b{i - 1}' for j in range(10))}}}\n"
            for i in range(1, 9)
        ),
        f"holds more than {MAX_VALUES:,} values",
    ),
    "10,000 nested lists": ("meta: " + "[" * 10_000 + "]" * 10_000 + "\n", "nested deeper than"),
    "200 nested mappings": (
        "".join("  " * i + f"k{i}:\n" for i in range(200)),
        f"nested deeper than {MAX_DEPTH} levels",
    ),
    "aliases nesting one level each": (
        "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 100)),
        "nested deeper than 64 levels with its aliases expanded",
    ),
    "a huge file": ("# padding\n" * (MAX_FILE_BYTES // 10 + 1), "larger than 1 MiB"),
    "a NUL byte": ("meta:\n  name: a\0b\n", "character #x0000 is not allowed"),
}


@pytest.mark.parametrize("case", HOSTILE_YAML.values(), ids=list(HOSTILE_YAML))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_hostile_yaml_is_refused(tmp_path, command, case):
    """``validate`` and ``run`` refuse the file with its name and why."""
    text, message = case
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    assert_refused(limited_cli(command, str(path)), str(path), message)


@pytest.mark.parametrize("case", HOSTILE_YAML.values(), ids=list(HOSTILE_YAML))
def test_hostile_experiment_files_are_refused(tmp_path, case):
    """An experiment file is read like a scenario: the same limits, the same refusal."""
    text, message = case
    path = tmp_path / "experiment.yaml"
    path.write_text(text)
    assert_refused(limited_cli("experiment", str(path)), str(path), message)


def test_an_experiment_naming_a_hostile_scenario_is_refused(tmp_path):
    """The experiment's base scenario is read within the limits too, and named."""
    (tmp_path / "laughs.yaml").write_text(laughs())
    path = tmp_path / "experiment.yaml"
    path.write_text("scenario: laughs.yaml\narms: {a: {}}\n")
    proc = limited_cli("experiment", str(path))
    assert_refused(proc, "laughs.yaml", f"holds more than {MAX_VALUES:,} values")


def test_a_name_too_long_for_the_file_system_is_refused(tmp_path):
    """A file name past the system's limit is a problem with the file, not a crash."""
    name = str(tmp_path / ("x" * 300 + ".yaml"))
    for command in ("validate", "run", "experiment"):
        assert_refused(cli(command, name), "the file name is too long for the file system")


def test_extending_a_name_with_a_nul_byte_is_refused(tmp_path):
    """A NUL byte cannot come through the command line, but a file can name one."""
    path = tmp_path / "s.yaml"
    path.write_text('extends: "base\\0line.yaml"\n')
    assert_refused(cli("validate", str(path)), f"{path}:1: extends:", "NUL character")


def test_extending_a_name_too_long_is_refused(tmp_path):
    """A name longer than the file system allows, met in ``extends``, is refused by name."""
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: {'x' * 300}.yaml\n")
    assert_refused(
        cli("validate", str(path)), f"{path}:1: extends:", "too long for the file system"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[" * 20_000 + "]" * 20_000, "nested deeper than"),
        ("9" * 5_000, "Exceeds the limit"),
        ("&a [*a, *a]", "roles.ae.headcount"),
    ],
    ids=["deep", "5000 digits", "recursive alias"],
)
def test_hostile_set_values_are_refused(value, message):
    """``--set`` values are read with the same limits as files."""
    proc = limited_cli("validate", "baseline", "--set", f"roles.ae.headcount={value}")
    assert_refused(proc, "--set: roles.ae.headcount", message)


@pytest.mark.parametrize(
    "args",
    [
        ("run", "queue/mm1_l0.7_m1", "--years", "0.05", "--out"),
        ("compare", "queue/mm1_l0.7_m1", "-n", "2", "--years", "0.05", "--out"),
        ("schema", "--out"),
        ("play", "baseline", "--save"),
    ],
    ids=lambda args: f"{args[0]} {args[-1]}",
)
def test_an_output_path_too_long_is_refused_naming_the_option(tmp_path, args):
    """Where results go is input too: a path too long is refused before any work."""
    proc = cli(*args, str(tmp_path / ("x" * 300)), stdin=subprocess.DEVNULL)
    assert_refused(proc, f"'{args[-1]}'", "too long for the file system")


# ----------------------------------------------------------------------------- game saves
def _deep_save(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE_SAVES = {
    "100,000 nested lists": (_deep_save(100_000), f"nested deeper than {MAX_DEPTH} levels"),
    "a scenario nested 70 deep": (
        '{"scenario": ' + _deep_save(70) + ', "decisions": [], "seed": 0}',
        f"nested deeper than {MAX_DEPTH} levels",
    ),
    "a huge save": (" " * (MAX_SAVE_BYTES + 1), "larger than 16 MiB"),
    "a NUL byte": ('{"seed": 0,\0 "decisions": []}', "invalid JSON"),
    "an infinite seed": ('{"scenario": {}, "decisions": [], "seed": 1e400}', "not a salessim"),
    "a seed past 2^63": (
        '{"scenario": {}, "decisions": [], "seed": ' + str(2**64) + "}",
        "not from 0 to",
    ),
    "5,000 digits": ('{"seed": ' + "9" * 5_000 + "}", "invalid JSON"),
}


@pytest.mark.parametrize("case", HOSTILE_SAVES.values(), ids=list(HOSTILE_SAVES))
@pytest.mark.parametrize("command", ["replay", "play"])
def test_hostile_game_saves_are_refused(tmp_path, command, case):
    """``replay`` and ``play --resume`` refuse the save with its name and why."""
    text, message = case
    path = tmp_path / "hostile.game.json"
    path.write_text(text)
    args = ["--quarter", "0"] if command == "replay" else []
    flag = [str(path)] if command == "replay" else ["--resume", str(path)]
    proc = limited_cli(command, *flag, *args)
    assert_refused(proc, str(path), message)


def test_a_save_name_too_long_is_refused(tmp_path):
    """A game save whose name is too long for the file system is refused, not a traceback."""
    name = str(tmp_path / ("x" * 300 + ".game.json"))
    assert_refused(cli("replay", name, "--quarter", "0"), "too long for the file system")


# ----------------------------------------------------------------------------- the loader
def test_the_loader_measures_before_it_expands():
    """Ten levels of laughs (10**10 values) are refused at once, without expanding."""
    with pytest.raises(LimitExceeded, match="more than"):
        load_yaml(laughs(10))


def test_the_loader_takes_what_a_scenario_needs():
    """Aliases within the limits load as usual, shared values and merge keys included."""
    text = "base: &b {x: 1, y: [1, 2]}\nother:\n  <<: *b\n  z: *b\n"
    assert load_yaml(text) == {
        "base": {"x": 1, "y": [1, 2]},
        "other": {"x": 1, "y": [1, 2], "z": {"x": 1, "y": [1, 2]}},
    }
    assert yaml.safe_load(text) == load_yaml(text)
