import contextlib
import io
import re

from typer.testing import CliRunner

from salessim.cli import app
from tests.support import ROOT

PAGE = ROOT / "docs" / "classroom.md"


def test_the_python_example_runs_and_prints_what_it_says():
    """docs/classroom.md's example plays a round and prints the comments' values."""
    section = PAGE.read_text().split("## From Python", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, "docs/classroom.md", "exec"), {})
    expected = re.findall(r"print\(.*\)  # (.*)", block)
    assert printed.getvalue().splitlines() == expected


def test_every_classroom_command_is_documented_and_every_documented_option_exists():
    """Each `salessim classroom` command has a section, and each option in a table is real."""
    text = PAGE.read_text()
    helped = CliRunner().invoke(app, ["classroom", "new", "--help"], env={"COLUMNS": "200"})
    for command in ("new", "status", "advance", "export"):
        assert f"### `salessim classroom {command}`" in text
    for option in re.findall(r"^\| `(--[a-z-]+)", text, flags=re.M):
        assert option in helped.output, option
