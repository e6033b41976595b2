"""Ctrl-C that lands inside pydantic's compiled JSON writer is still an interrupt (exit 130)."""

from __future__ import annotations

import pytest
import typer
from pydantic_core import PydanticSerializationError

from salessim.cli import replications
from salessim.experiments import runner
from tests.support import small_design


def wrapped_interrupt(*_args, **_kwargs):
    """What pydantic raises when KeyboardInterrupt strikes while it writes JSON."""
    raise PydanticSerializationError("Error serializing to JSON: KeyboardInterrupt: ")


def test_an_interrupt_wrapped_by_pydantic_exits_130_and_says_what_was_kept(
    monkeypatch, tmp_path, small_org
):
    """The run stops as after any Ctrl-C: exit 130."""
    monkeypatch.setattr(runner, "run", wrapped_interrupt)
    with pytest.raises(typer.Exit) as stopped:
        replications.run_replications(
            small_design(small_org), tmp_path / "out", workers=1, scheduler=None
        )
    assert stopped.value.exit_code == 130


def test_another_serialization_error_is_not_taken_for_an_interrupt(
    monkeypatch, tmp_path, small_org
):
    """A JSON error that is not an interrupt goes on up."""

    def broken(*_args, **_kwargs):
        raise PydanticSerializationError("Error serializing to JSON: ValueError: nope")

    monkeypatch.setattr(runner, "run", broken)
    with pytest.raises(PydanticSerializationError):
        replications.run_replications(
            small_design(small_org), tmp_path / "out", workers=1, scheduler=None
        )
