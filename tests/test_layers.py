"""Imports point down the layers: a module may import only its own layer and those below."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.support import ROOT

PACKAGE = ROOT / "src" / "salessim"

# Each layer and the layers it may import from (its own included).
LAYERS: dict[str, set[str]] = {
    "scenario": {"scenario"},
    "model": {"scenario", "model", "policies"},
    "policies": {"scenario", "policies"},
    "metrics": {"scenario", "model", "metrics"},
    "run": {"scenario", "model", "policies", "metrics", "run"},
    "report": {"scenario", "model", "policies", "metrics", "run", "report", "__init__"},
    "experiments": {
        "scenario",
        "model",
        "policies",
        "metrics",
        "run",
        "report",
        "experiments",
        "__init__",
    },
    "game": {"scenario", "model", "policies", "metrics", "run", "report", "game", "__init__"},
    "classroom": {
        "scenario",
        "model",
        "policies",
        "metrics",
        "run",
        "report",
        "experiments",
        "game",
        "classroom",
        "__init__",
    },
    "cli": {
        "scenario",
        "model",
        "policies",
        "metrics",
        "run",
        "report",
        "experiments",
        "game",
        "classroom",
        "cli",
        "__init__",
    },
    "__init__": {"scenario", "model", "policies", "metrics", "run", "__init__"},
    "__main__": {"cli"},  # ``python -m salessim``: the command, nothing else
}


def layer_of(path: Path) -> str:
    """The layer a module belongs to: its first folder, or its own name at the top."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def salessim_imports(path: Path) -> list[tuple[int, str]]:
    """Each import of the package in a module: its line and the layer it imports."""
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "salessim":
                found.append((node.lineno, parts[1] if len(parts) > 1 else "__init__"))
    return found


def test_every_module_has_a_layer():
    """Every module of the package belongs to a known layer."""
    unknown = {layer_of(p) for p in PACKAGE.rglob("*.py")} - set(LAYERS)
    assert not unknown, f"modules outside the known layers: {unknown}"


def test_imports_point_down():
    """No module imports from a layer above its own."""
    upward = [
        f"{path.relative_to(PACKAGE)}:{line} imports salessim.{target}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, target in salessim_imports(path)
        if target not in LAYERS[layer_of(path)]
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def module_name(path: Path) -> str:
    """A module's dotted name, a package by its folder."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, typing-only imports included.

    ``from salessim.cli import game_menu`` imports the module ``salessim.cli.game_menu``.
    """
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            found |= submodules or {node.module}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found & modules


@pytest.mark.parametrize("layer", ["cli", "report", "experiments", "model", "game"])
def test_modules_of_a_layer_import_one_another_one_way(layer):
    """No import circle among a layer's modules (``game_menu`` uses ``game_commands``, not back).

    ``model/pay`` too: its rooms are wired one way, from the ledger up to the payroll.
    """
    paths = {module_name(path): path for path in (PACKAGE / layer).rglob("*.py")}
    imports = {name: module_imports(path, set(paths)) - {name} for name, path in paths.items()}
    circles = []
    for start in sorted(imports):
        seen, frontier = set(), set(imports[start])
        while frontier:
            seen |= frontier
            frontier = {n for m in frontier for n in imports[m]} - seen
        if start in seen:
            circles.append(start)
    assert not circles, f"modules in an import circle: {circles}"


def test_scenario_layer_needs_no_simulation_library():
    """The scenario layer imports neither SimPy nor matplotlib."""
    heavy = [
        f"{path.name} imports {name}"
        for path in (PACKAGE / "scenario").glob("*.py")
        for name in ("simpy", "matplotlib")
        if f"import {name}" in path.read_text()
    ]
    assert not heavy


def test_no_global_random_state_in_the_package():
    """No module uses the random module or NumPy's global random state."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "import random" in path.read_text()
        or "np.random.seed" in path.read_text()
        or "np.random.rand" in path.read_text()
    ]
    assert not offenders


def test_the_model_never_imports_its_observers():
    """The model owns its events: nothing under model/ imports metrics/ or a layer above."""
    observers = {"metrics", "run", "report", "experiments", "game", "cli", "classroom"}
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line} imports salessim.{target}"
        for path in sorted((PACKAGE / "model").rglob("*.py"))
        for line, target in salessim_imports(path)
        if target in observers
    ]
    assert not offenders, "\n".join(offenders)


def test_the_game_steers_the_model_only_through_its_control_surface():
    """game/ and the game's CLI read ``view()`` and act with ``control()``, never the insides."""
    insides = re.compile(
        r"\bsim\.(workforce|funnel|customers|payroll|organisation|incentives|env|streams"
        r"|offers|leads|script|change)\b"
    )
    places = [*(PACKAGE / "game").glob("*.py"), *(PACKAGE / "cli").glob("game*.py")]
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in places
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if insides.search(line)
    ]
    assert not offenders, "\n".join(offenders)
