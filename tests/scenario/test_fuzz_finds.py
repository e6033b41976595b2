"""What the scenario fuzzer found: each refusal names its file, line and key, as written.

Extending a folder or an empty file was refused naming the extended file without a line;
YAML cut short was refused at a line past the file's end; checks across sections (a stage
whose role has no reps, an event outside the run) were told at the top of the file without
a key; a line break in a name that ``extends`` gave split a problem over two lines; a
problem on line 100 or 1234 printed an emoji (``:100:``) instead of its line; and a
scenario named with text that reads as markup (``[/x]``) crashed ``salessim run``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from salessim.scenario.load import ScenarioError, load_scenario
from tests.cli_process import assert_refused, cli


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in a temporary directory so that files are named as the user would name them."""
    monkeypatch.chdir(tmp_path)


def refusal(name: str, text: str) -> list[str]:
    """The problems loading ``name`` reports, after writing ``text`` (dedented) to it."""
    Path(name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name)
    return str(caught.value).splitlines()


def test_extending_a_folder_is_refused_at_the_extends_line():
    """The folder is named where ``extends`` names it: the line and the key."""
    Path("sub").mkdir()
    assert refusal("s.yaml", "meta: {name: s}\nextends: sub\n") == [
        "s.yaml:2: extends: cannot extend 'sub': is a directory, not a scenario file"
    ]


def test_extending_an_empty_file_is_refused_at_the_extends_line():
    """An empty parent has no line of its own; the ``extends`` that brought it in has one."""
    Path("empty.yaml").write_text("")
    (line,) = refusal("s.yaml", "extends: empty.yaml\n")
    assert line.startswith("s.yaml:1: extends: cannot extend 'empty.yaml': the file is empty")


def test_a_broken_grandparent_is_told_at_its_childs_extends():
    """Each file answers for the file it extends: the parent's line, not the grandchild's."""
    Path("sub").mkdir()
    Path("parent.yaml").write_text("meta: {name: p}\nextends: sub\n")
    assert refusal("s.yaml", "extends: parent.yaml\n") == [
        "parent.yaml:2: extends: cannot extend 'sub': is a directory, not a scenario file"
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: [1,\n", 1), ("a: [1,", 1), ("meta:\n  name: [x\n\n\n", 4), ("a: 'open\n", 1)],
    ids=["newline at the end", "no newline", "blank lines after", "an open quote"],
)
def test_yaml_cut_short_is_refused_on_a_line_the_file_has(text, line):
    """The end of the text is on the file's last line, not one past it."""
    (found,) = refusal("s.yaml", text)
    assert found.startswith(f"s.yaml:{line}: invalid YAML:")


def test_checks_across_sections_are_told_at_the_keys_they_concern():
    """Each problem a check across sections finds is on its own line, with its key."""
    assert refusal(
        "s.yaml",
        """
        # a team without account executives, and a misplaced event
        roles:
          ae:
            headcount: 0
        customers:
          initial: {segment: enterprise}
        events:
          - {at: 2020-01-01, kind: new_product}
        """,
    ) == [
        "s.yaml:4: roles.ae.headcount: no ae reps (headcount 0) to work stages 'discovery', "
        "'demo', 'proposal', 'negotiation'",
        "s.yaml:6: customers.initial.segment: 'enterprise' is not a market segment",
        "s.yaml:8: events.0.at: 2020-01-01 is outside the run (2027-01-01 to 2029-12-30)",
    ]


def test_a_check_across_sections_names_a_key_the_file_leaves_out():
    """A key left to its default is named in full, at the line of its nearest written parent."""
    (line,) = refusal("s.yaml", "meta: {name: s}\nroles:\n  csm: {selling_share: 0}\n")
    assert line == (
        "s.yaml:3: roles.csm.selling_share: csms work the accounts, but their selling_share is 0"
    )
    lines = refusal(
        "t.yaml", "meta: {name: t}\nroles:\n  manager: {time: {team_meeting_hours_per_week: 45}}\n"
    )
    assert lines[0] == (
        "t.yaml:2: roles.sdr.hours_per_week: team meetings, one-to-ones and training take "
        "45.5 hours a week, all of the sdr reps' 40"
    )
    assert [line.split(": ")[1] for line in lines] == [
        f"roles.{role}.hours_per_week" for role in ("sdr", "ae", "specialist", "csm")
    ]


@pytest.mark.parametrize("name", ["two\nlines", "a\rb", "a\u2028b", "a\x1cb"])
def test_a_problem_is_one_line_whatever_the_names_in_it_hold(name):
    """A line break in a name ``extends`` gives is shown escaped: one problem, one line."""
    (line,) = refusal("s.yaml", f"extends: {name!r}\n".replace("'", '"'))
    assert line.startswith("s.yaml:1: extends: cannot find")
    assert repr(name)[1:-1] in line


@pytest.mark.parametrize("line", [100, 1234])
def test_a_problem_on_a_line_that_reads_as_an_emoji_code_shows_its_number(line):
    """``s.yaml:100:`` is printed as it is, not as the emoji ``:100:`` stands for."""
    Path("s.yaml").write_text("#\n" * (line - 1) + "roles: {ae: {headcount: -1}}\n")
    proc = cli("validate", "s.yaml")
    assert_refused(proc, f"s.yaml:{line}: roles.ae.headcount: must not be negative, got -1")


def test_a_name_that_reads_as_markup_is_printed_as_written():
    """``salessim run`` shows a scenario's name and file as text, whatever brackets they hold."""
    Path("odd[").mkdir()
    Path("odd[/x].yaml").write_text(
        'extends: baseline.yaml\nmeta: {name: "[/x] closes [bold]nothing"}\n'
    )
    proc = cli("run", "odd[/x].yaml", "--years", "0.02")
    assert proc.returncode == 0, proc.stderr
    assert "[/x] closes [bold]nothing" in proc.stdout
    assert "odd[/x].yaml" in proc.stdout
