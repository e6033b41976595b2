"""The bundled scenarios: resolved by name or file, listed, and each loads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from salessim.scenario import ScenarioError, bundled_scenarios, load_scenario, resolve_scenario
from tests.scenario.scenario_files import (
    in_tmp,  # noqa: F401  (autouse: runs each test in a temporary directory)
    write,
)
from tests.support import ROOT


def test_resolve_scenario() -> None:
    """Existing paths come back as given; bundled names resolve inside the package."""
    write("mine.yaml", "meta: {name: x}\n")
    assert resolve_scenario("mine.yaml") == Path("mine.yaml")
    names = bundled_scenarios()
    assert names == sorted(names)
    assert not any(name.endswith(".yaml") for name in names)
    for name in names:
        assert resolve_scenario(name).is_file()
        assert resolve_scenario(f"{name}.yaml") == resolve_scenario(name)
    if "baseline" in names:
        assert resolve_scenario(None) == resolve_scenario("baseline")


def test_resolve_unknown_scenario_lists_the_bundled_ones() -> None:
    """An unknown name is one problem listing what is bundled."""
    with pytest.raises(ScenarioError) as caught:
        resolve_scenario("no_such_scenario")
    (problem,) = caught.value.problems
    assert problem.file == "no_such_scenario"
    assert problem.message.endswith(", ".join(bundled_scenarios()) or "none")


def test_bundled_scenarios_load() -> None:
    """Every shipped scenario file is bundled and loads as the scenario its file names."""
    shipped = ROOT / "scenarios"
    files = sorted(
        path.relative_to(shipped).with_suffix("").as_posix() for path in shipped.rglob("*.yaml")
    )
    assert files and bundled_scenarios() == files
    for name in files:
        said = yaml.safe_load((shipped / f"{name}.yaml").read_text(encoding="utf-8"))
        assert load_scenario(resolve_scenario(name)).meta.name == said["meta"]["name"], name
