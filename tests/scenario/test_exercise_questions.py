"""Each exercise's discussion questions: scenario data, the same in docs/game.md."""

from __future__ import annotations

import re

import pytest

from salessim.scenario.errors import ScenarioError
from salessim.scenario.load import load_scenario
from tests.support import ROOT

EXERCISES = sorted((ROOT / "scenarios" / "game").glob("*.yaml"))


def documented_questions() -> dict[str, list[str]]:
    """Per exercise file named in docs/game.md's "The exercises", its listed questions."""
    text = (ROOT / "docs" / "game.md").read_text()
    part = text.split("## The exercises", 1)[1]
    found: dict[str, list[str]] = {}
    for section in re.split(r"^### ", part, flags=re.M)[1:]:
        (name,) = re.findall(r"\(`([a-z_]+\.yaml)`\)", section.splitlines()[0])
        listed = section.split("*Discussion questions*", 1)[1].split("\n\n", 2)[1]
        found[name] = [" ".join(item.split()) for item in re.split(r"^- ", listed, flags=re.M)[1:]]
    return found


def test_every_exercise_has_discussion_questions():
    """Every shipped exercise asks at least two questions, each a question."""
    assert len(EXERCISES) == 3
    for path in EXERCISES:
        questions = load_scenario(path).game.briefing.questions
        assert len(questions) >= 2, path.name
        assert all(q.strip().endswith("?") for q in questions), path.name


def test_docs_list_the_same_questions_as_the_scenarios():
    """docs/game.md lists each exercise's questions exactly as its scenario file holds them."""
    documented = documented_questions()
    assert set(documented) == {path.name for path in EXERCISES}
    for path in EXERCISES:
        assert documented[path.name] == load_scenario(path).game.briefing.questions, path.name


def test_questions_are_text_and_default_to_none(tmp_path):
    """A scenario without questions has none; questions that are not text are refused."""
    plain = tmp_path / "plain.yaml"
    plain.write_text(f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}\n")
    assert load_scenario(plain).game.briefing.questions == []
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}\n"
        "game:\n  briefing:\n    questions: {first: why?}\n"
    )
    with pytest.raises(ScenarioError, match="questions"):
        load_scenario(wrong)
