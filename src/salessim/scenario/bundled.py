"""The scenarios bundled with salessim, and a scenario named by file or bundled name."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from salessim.scenario.errors import fail
from salessim.scenario.keys import close_match
from salessim.scenario.reading import name_problem

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DEFAULT_SCENARIO = "baseline"


def bundled_root() -> Traversable:
    """The folder of the bundled scenarios, inside the installed package."""
    return resources.files("salessim") / "scenarios"


def bundled_scenarios() -> list[str]:
    """The bundled scenario names, such as ``baseline`` or ``queue/mmc_l9_m1_c10``, sorted."""
    names: list[str] = []
    stack: list[tuple[Traversable, str]] = [(bundled_root(), "")]
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
        fail(name_or_path, problem)
    if name_or_path is not None and Path(name_or_path).exists():
        return Path(name_or_path)
    name = DEFAULT_SCENARIO if name_or_path is None else name_or_path
    candidate = bundled_root()
    for part in f"{name.removesuffix('.yaml')}.yaml".split("/"):
        candidate = candidate / part
    if candidate.is_file():
        return Path(str(candidate))
    names = bundled_scenarios()
    guess = close_match(name.removesuffix(".yaml"), names)
    hint = f"did you mean {guess!r}? " if guess else ""
    listing = ", ".join(names) if names else "none"
    fail(name, f"no such file or bundled scenario; {hint}bundled scenarios: {listing}")
