"""Every help text reaches the terminal as written: no bracket swallowed as markup.

The help is drawn with rich, which reads ``[word]`` as a style tag and drops it, so
``pip install 'salessim[dist]'`` once printed as ``pip install 'salessim'``. These tests
walk every command, argument and option and look for each text, whole, in ``--help``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from salessim.cli import app
from tests.cli_process import cli

ROOT_COMMAND = get_command(app)
BOX = re.compile(r"[\s│╭╮╰╯─]+")  # wrapping and the panels' borders


def _squashed(text: str) -> str:
    """``text`` without whitespace or panel borders, so wrapping cannot hide a match."""
    return BOX.sub("", text)


def _shown(text: str) -> str:
    """What a help text should print: as written, with each escaped bracket as a bracket."""
    return text.replace("\\[", "[")


def _commands() -> list[tuple[list[str], Any]]:
    """Every command with the words that reach it, the root first."""
    found: list[tuple[list[str], Any]] = [([], ROOT_COMMAND)]
    found += [([name], command) for name, command in ROOT_COMMAND.commands.items()]
    return found


def _texts(command: Any) -> list[str]:
    """The texts a command's help must show: its own, and each parameter's help and metavar."""
    texts = [command.help or ""]
    for param in command.params:
        texts.append(getattr(param, "help", None) or "")
        if param.metavar:
            texts.append(param.metavar)
    return [text for text in texts if text]


@pytest.mark.parametrize(
    ("words", "command"), _commands(), ids=[" ".join(words) or "root" for words, _ in _commands()]
)
def test_every_help_text_is_shown_whole(words, command):
    """Each help text and metavar appears in --help exactly as written, brackets and all."""
    shown = CliRunner().invoke(app, [*words, "--help"], env={"COLUMNS": "120"})
    assert shown.exit_code == 0, shown.output
    page = _squashed(shown.output)
    for text in _texts(command):
        assert _squashed(_shown(text)) in page, f"{text!r} not in {words}:\n{shown.output}"


def test_the_help_texts_with_brackets_are_checked():
    """The walk meets the texts that hold brackets, so the test above checks something."""
    bracketed = [_shown(t) for _, command in _commands() for t in _texts(command) if "[" in t]
    assert any("salessim[dist]" in text for text in bracketed)
    assert any("NAME:KEY=VALUE[,KEY=VALUE]" in text for text in bracketed)


def test_compare_help_says_what_to_install():
    """``salessim compare --help`` names the extra to install: ``salessim[dist]``."""
    proc = cli("compare", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "pip install 'salessim[dist]'" in _squashed_keep_spaces(proc.stdout)


def _squashed_keep_spaces(text: str) -> str:
    """``text`` with each run of whitespace and borders read as one space."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", text))
