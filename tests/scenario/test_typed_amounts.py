"""Amounts as a person types them, read alike at the game's prompts and in the classroom's form."""

from __future__ import annotations

import re

import pytest

from salessim.scenario.units import parse_typed_amount


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12", 12.0), ("1.5", 1.5), ("10k", 10_000.0), ("1.5M", 1_500_000.0), ("$10,000", 10_000.0)],
)
def test_the_usual_ways_of_writing_an_amount_are_read(typed, value):
    """Plain numbers, k and M, a dollar sign and thousands separators."""
    assert parse_typed_amount(typed) == value


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1,5", "a comma only groups thousands"),
        ("lots", "is not a number (amounts like"),
        ("1e999", "too large"),
        ("inf", "is not a number"),
    ],
)
def test_what_cannot_be_read_is_refused_with_the_reason(typed, reason):
    """A decimal comma, a word or a number too large: refused, naming what was typed."""
    with pytest.raises(ValueError, match=re.escape(reason)) as refused:
        parse_typed_amount(typed)
    assert repr(typed) in str(refused.value)
