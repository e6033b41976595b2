"""Reading a scenario file's YAML: the line of every key, of every fault, of a duplicate."""

from __future__ import annotations

from pathlib import Path

import pytest

from salessim.scenario import load_scenario
from tests.scenario.scenario_files import (
    in_tmp,  # noqa: F401  (autouse: runs each test in a temporary directory)
    problems,
    write,
)


def test_anchors_and_merge_keys_work_without_false_duplicates() -> None:
    """YAML anchors and ``<<`` merge keys are plain YAML; a merged key may be overridden."""
    write(
        "s.yaml",
        """
        roles:
          ae: &rep {headcount: 5, hours_per_week: 38}
          csm:
            <<: *rep
            headcount: 2
        """,
    )
    roles = load_scenario("s.yaml").roles
    assert (roles.ae.headcount, roles.ae.hours_per_week) == (5, 38)
    assert (roles.csm.headcount, roles.csm.hours_per_week) == (2, 38)


# ----------------------------------------------------------------------------- file errors
def test_missing_file() -> None:
    """A missing file is one problem naming the path as given."""
    assert problems("nope/missing.yaml") == ["nope/missing.yaml: no such file"]


def test_directory() -> None:
    """A directory is refused clearly."""
    Path("somedir").mkdir()
    assert problems("somedir") == ["somedir: is a directory, not a scenario file"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    """A file with no document says it is empty."""
    write("empty.yaml", text)
    (line,) = problems("empty.yaml")
    assert line.startswith("empty.yaml: the file is empty")


def test_invalid_yaml_reports_the_line_of_the_mark() -> None:
    """A syntax error is one problem at the line YAML reports."""
    write(
        "bad.yaml",
        """
        meta:
          name: ok
        roles:
          ae: {headcount: 3
          sdr: {headcount: 2}
        """,
    )
    (line,) = problems("bad.yaml")
    assert line.startswith("bad.yaml:5: invalid YAML: ")


def test_tab_indentation_is_a_syntax_error_with_its_line() -> None:
    """Tabs cannot indent YAML; the problem points at the tab."""
    write("tab.yaml", "meta:\n\tname: x\n")
    (line,) = problems("tab.yaml")
    assert line.startswith("tab.yaml:2: invalid YAML: ")


@pytest.mark.parametrize(
    ("text", "what"), [("- a\n- b\n", "not a list"), ("just text\n", "not 'just text'")]
)
def test_document_that_is_not_a_mapping(text: str, what: str) -> None:
    """The top of a scenario must be a mapping."""
    write("list.yaml", text)
    assert problems("list.yaml") == [
        f"list.yaml:1: a scenario must be a mapping of keys (key: value), {what}"
    ]


def test_unreadable_values_are_problems_not_tracebacks() -> None:
    """An impossible date, an unknown tag and a control character are reported by line."""
    write("s.yaml", "meta:\n  name: !secret x\ncalendar:\n  start_date: 2027-13-45\n")
    assert problems("s.yaml") == [
        "s.yaml:2: meta.name: cannot read 'x': could not determine a constructor for the tag "
        "'!secret'",
        "s.yaml:4: calendar.start_date: expected a date such as 2027-01-01, got '2027-13-45' "
        "(month value is outside expected range of 1-12)",
    ]
    write("c.yaml", "meta:\n  name: 'a\x01b'\n")
    assert problems("c.yaml") == ["c.yaml:2: invalid YAML: character #x0001 is not allowed"]


def test_multiple_documents_are_refused() -> None:
    """A scenario file holds one YAML document."""
    write("s.yaml", "meta: {name: a}\n---\nmeta: {name: b}\n")
    (line,) = problems("s.yaml")
    assert line.startswith("s.yaml:2: invalid YAML: but found another document")


def test_duplicate_keys_name_both_lines() -> None:
    """A key given twice in one mapping is an error naming both lines, at any depth."""
    write(
        "s.yaml",
        """
        roles:
          ae:
            headcount: 3
            hours_per_week: 40
            headcount: 4
        meta: {name: a}
        meta: {name: b}
        """,
    )
    assert problems("s.yaml") == [
        "s.yaml:5: roles.ae.headcount: duplicate key 'headcount' (first given at line 3)",
        "s.yaml:7: meta: duplicate key 'meta' (first given at line 6)",
    ]
