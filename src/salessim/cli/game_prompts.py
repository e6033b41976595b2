"""The questions of ``salessim play``: answer parsers and the prompter that asks them.

Every question checks what is typed and asks again, politely, until it makes sense;
Enter alone goes back to the menu. The menu itself is :mod:`salessim.cli.game_menu`,
the commands that record decisions :mod:`salessim.cli.game_commands`. Everything said or
asked goes through :func:`printable_lines`: names from a save or a scenario (plans,
segments) cannot drive the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TypeVar

from rich.console import Console
from rich.text import Text

from salessim.report.format import printable_lines
from salessim.scenario.units import parse_typed_amount

T = TypeVar("T")
Parser = Callable[[str], T]


# ----------------------------------------------------------------------------- answers
def whole(low: int, high: int | None = None) -> Parser[int]:
    """A whole number from ``low`` to ``high`` (no upper bound when ``None``)."""

    def parse(text: str) -> int:
        try:
            value = parse_typed_amount(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
        if not value.is_integer():
            raise ValueError(f"{text!r} is not a whole number")
        if value < low or (high is not None and value > high):
            raise ValueError(_range(low, high))
        return int(value)

    return parse


def amount(low: float, high: float | None = None, *, above: bool = False) -> Parser[float]:
    """A number from ``low`` (or above it, if ``above``) to ``high``; ``10k`` and the like too."""

    def parse(text: str) -> float:
        value = parse_typed_amount(text)
        if value < low or (above and value == low) or (high is not None and value > high):
            if not above:
                raise ValueError(_range(low, high))
            most = "" if high is None else f" and at most {high:g}"
            raise ValueError(f"pick a number above {low:g}{most}")
        return value

    return parse


def multiple(low: float, high: float | None = None, *, above: bool = False) -> Parser[float]:
    """A multiple (of market pay, of a quota) from ``low`` to ``high``: ``1.1`` or ``1.1x``."""
    number = amount(low, high, above=above)

    def parse(text: str) -> float:
        stripped = text.strip()
        return number(stripped[:-1] if stripped[-1:] in ("x", "X") else stripped)

    return parse


def share(high: float) -> Parser[float]:
    """A share from 0 to ``high`` (at most 1): ``15%`` or ``0.15``."""

    def parse(text: str) -> float:
        stripped = text.strip()
        typed_percent = stripped.endswith("%")
        value = parse_typed_amount(stripped.removesuffix("%").strip())
        if typed_percent:
            value /= 100
        elif 1 < value <= 100:
            raise ValueError(f"{text!r} is more than all of the price: did you mean {text}%?")
        if not 0 <= value <= high:
            raise ValueError(f"pick a share from 0% to {high:.0%}")
        return value

    return parse


def one_of(options: Sequence[str]) -> Parser[str]:
    """One of ``options``, or the only one a typed prefix fits."""

    def parse(text: str) -> str:
        if text in options:
            return text
        typed = text.lower()
        fits = [option for option in options if option.lower().startswith(typed)]
        if len(fits) == 1:
            return fits[0]
        raise ValueError(f"{text!r} is not one of {', '.join(options)}")

    return parse


def rep_of(team: Collection[int], taken: Mapping[int, str]) -> Parser[int]:
    """The id of a rep on the team, unless ``taken`` says why that rep cannot be chosen."""
    number = whole(0)

    def parse(text: str) -> int:
        rep = number(text.removeprefix("rep").strip())
        if rep not in team:
            raise ValueError(f"there is no rep {rep} on the team (the roster lists them)")
        if rep in taken:
            raise ValueError(f"rep {rep} {taken[rep]}")
        return rep

    return parse


def rep_or_role(team: Collection[int], roles: Sequence[str]) -> Parser[int | str]:
    """The id of a rep on the team (``12``, ``rep 12``), or one of ``roles`` (or its prefix)."""
    rep, role = rep_of(team, {}), one_of(roles)

    def parse(text: str) -> int | str:
        if text[:1].isdigit() or text.lower().startswith("rep"):
            return rep(text)
        try:
            return role(text)
        except ValueError:
            raise ValueError(
                f"{text!r} is neither a rep id nor a role ({', '.join(roles)})"
            ) from None

    return parse


def training_cadence(text: str) -> float:
    """Months between training sessions: 0 (none) or at least 1, as sessions are monthly."""
    months = amount(0)(text)
    if 0 < months < 1:
        raise ValueError("training is held at month ends: pick 0 or at least 1 month")
    return months


def _range(low: float, high: float | None) -> str:
    return f"pick {low:g} or more" if high is None else f"pick a number from {low:g} to {high:g}"


class Prompter:
    """Asks questions on the console and keeps asking until an answer makes sense."""

    def __init__(self, console: Console, read: Callable[[str], str] | None = None) -> None:
        self.console = console
        self.read = read or (lambda prompt: console.input(Text(prompt)))

    def line(self, prompt: str) -> str:
        """One typed line, trimmed (EOFError or KeyboardInterrupt pass through)."""
        return self.read(printable_lines(prompt)).strip()

    def ask(self, prompt: str, parse: Parser[T], *, empty: T | None = None) -> T | None:
        """The parsed answer, or ``empty`` when the player just presses Enter."""
        while True:
            text = self.line(prompt)
            if not text:
                return empty
            try:
                return parse(text)
            except ValueError as error:
                self.say(f"Sorry, {error}. Please try again (Enter alone goes back).")

    def say(self, text: str) -> None:
        """Print plain text (no markup), a line as one line however wide the terminal."""
        self.console.print(printable_lines(text), markup=False, highlight=False, soft_wrap=True)
