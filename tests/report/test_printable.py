"""Text from files shown on a terminal: control characters written out, everything else kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from salessim.report.format import printable, printable_lines


def test_control_characters_are_written_out():
    r"""Escape sequences, bells, carriage returns and C1 controls show as \xNN."""
    assert printable("evil\x1b[2J\x07\r\x9b31m\x00\x7f") == (
        "evil\\x1b[2J\\x07\\x0d\\x9b31m\\x00\\x7f"
    )
    assert printable("two\nlines\tand a tab") == "two\\x0alines\\x09and a tab"


def test_ordinary_text_is_kept_as_it_is():
    """Letters of any script, punctuation and symbols pass unchanged."""
    text = "Ünïcode café · 日本語 – $1.2M (50%) ✓"
    assert printable(text) == text


def test_lines_keep_their_breaks():
    """printable_lines escapes each line and keeps the line breaks between them."""
    assert printable_lines("a\x1b[1m\nb\r\n") == "a\\x1b[1m\nb\\x0d\n"


@given(st.text())
def test_nothing_a_terminal_obeys_is_left(text):
    """No C0, DEL or C1 character survives, and escaping twice changes nothing."""
    shown = printable(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert printable(shown) == shown
