"""The generated scenario key reference and the committed docs/scenarios.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from salessim.scenario import load_scenario
from salessim.scenario.base import Frozen
from salessim.scenario.dists import FAMILIES
from salessim.scenario.reference import MARKER, main, render_reference, splice
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DURATION_UNITS
from tests.support import ROOT

DOCS = ROOT / "docs" / "scenarios.md"
FIX = "python -m salessim.scenario.reference --write docs/scenarios.md"


PACKAGE = "salessim.scenario."  # other layers' frozen models (game decisions) are not keys


def _models() -> list[type[BaseModel]]:
    """The scenario's models, as pydantic's JSON schema lists them, without distributions."""
    names = set(Scenario.model_json_schema()["$defs"]) - {
        "Dist",
        *(m.__name__ for m in FAMILIES.values()),
    }
    scenario_models = (m for m in Frozen.__subclasses__() if m.__module__.startswith(PACKAGE))
    return [Scenario, *(m for m in scenario_models if m.__name__ in names)]


def test_docs_match_the_generated_reference() -> None:
    """docs/scenarios.md below the marker is exactly what the schema generates."""
    text = DOCS.read_text(encoding="utf-8")
    assert MARKER in text, f"docs/scenarios.md lacks the marker line; run {FIX}"
    generated = text.split(MARKER, 1)[1].removeprefix("\n\n")
    assert generated == render_reference(), f"docs/scenarios.md is stale; run {FIX}"


def test_every_key_of_every_model_is_documented() -> None:
    """Each scenario model has a section whose table lists every one of its keys."""
    reference = render_reference()
    models = _models()
    assert len(models) > 15
    for model in models:
        section = reference.split(f"\n### {model.__name__}\n", 1)[1].split("\n### ", 1)[0]
        for name, info in model.model_fields.items():
            assert f"| `{info.alias or name}` |" in section, (model.__name__, name)


def test_units_and_every_distribution_family_are_explained() -> None:
    """Every duration unit and every family with its parameters appears."""
    reference = render_reference()
    for unit in DURATION_UNITS:
        assert f"| `{unit}` |" in reference
    for family, model in FAMILIES.items():
        row = next(line for line in reference.splitlines() if line.startswith(f"| `{family}` |"))
        for name, info in model.model_fields.items():
            assert f"`{info.alias or name}`" in row


def test_docs_yaml_examples_load(tmp_path: Path) -> None:
    """The scenario examples in the hand-written part of the docs are valid."""
    intro = DOCS.read_text(encoding="utf-8").split(MARKER, 1)[0]
    examples = re.findall(r"```yaml\n(.*?)```", intro, flags=re.DOTALL)
    assert examples
    for i, example in enumerate(examples):
        path = tmp_path / f"example{i}.yaml"
        path.write_text(example, encoding="utf-8")
        load_scenario(path)


def test_splice_keeps_the_hand_written_part() -> None:
    """Rewriting replaces only what follows the marker, and is idempotent."""
    once = splice(f"# Title\n\nIntro.\n\n{MARKER}\n\nold\n", "new\n")
    assert once == f"# Title\n\nIntro.\n\n{MARKER}\n\nnew\n"
    assert splice(once, "new\n") == once
    assert splice("# Only an intro\n", "new\n") == f"# Only an intro\n\n{MARKER}\n\nnew\n"


def test_main_prints_or_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The module prints the reference, or writes it into a file below the marker."""
    main([])
    assert capsys.readouterr().out == render_reference()
    target = tmp_path / "scenarios.md"
    target.write_text("# Mine\n", encoding="utf-8")
    main(["--write", str(target)])
    assert target.read_text(encoding="utf-8") == splice("# Mine\n", render_reference())
