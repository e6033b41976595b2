"""Scenario files written for a test, and the problems loading them reports."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from salessim.scenario import Scenario, ScenarioError, load_scenario


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in a temporary directory so that files are named as the user would name them."""
    monkeypatch.chdir(tmp_path)


def write(name: str, text: str) -> str:
    """Write a YAML file (dedented; line 1 is the first line of ``text``) and return its name."""
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return name


def problems(name: str, overrides: list[str] | None = None) -> list[str]:
    """The problem lines of loading ``name``, which must fail."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name, overrides or [])
    return str(caught.value).splitlines()


def dump(scenario: Scenario) -> str:
    """``scenario`` as YAML, keys by their aliases, unset ones left out."""
    return yaml.safe_dump(scenario.model_dump(mode="json", by_alias=True, exclude_none=True))
