"""The class debrief's section of docs/classroom.md: its example runs."""

from __future__ import annotations

import contextlib
import io
import re

from tests.support import ROOT


def test_the_class_debrief_example_runs():
    """The example plays two teams, debriefs them and writes the page, printing what it says."""
    text = (ROOT / "docs" / "classroom.md").read_text()
    section = text.split("## Class debrief", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, "docs/classroom.md", "exec"), {})
    said = printed.getvalue()
    assert said.startswith("Class debrief: Exercise 1: your first team, class seed 7, 2 teams")
    assert "Falcons" in said and "Owls" in said and "Questions for discussion" in said
    assert said.rstrip().endswith("True page written")
