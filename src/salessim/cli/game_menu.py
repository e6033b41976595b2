"""The menu of ``salessim play``: one-key commands that build a turn, then play it.

The turn's decisions are a plain mapping in the shape of
:class:`salessim.game.decisions.Decisions`, checked by the session when the turn ends.
The commands that record decisions live in :mod:`salessim.cli.game_commands`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from rich.console import Console

from salessim.cli import game_commands as commands
from salessim.cli.game_prompts import Parser, Prompter, T
from salessim.game import wording
from salessim.game.decisions import DecisionError
from salessim.game.session import GameSession
from salessim.game.wording import ROLE_RAISES
from salessim.report.format import money
from salessim.scenario.errors import ScenarioError
from salessim.scenario.schema import Scenario


class Outcome(Enum):
    """How a turn's menu ends."""

    PLAYED = "played"  # the turn was played
    QUIT = "quit"  # the player chose to save and stop


# ----------------------------------------------------------------------------- the menu
@dataclass(frozen=True)
class Command:
    """A menu entry: its key, its name (also accepted when typed in full) and what it does."""

    key: str
    word: str
    summary: str
    run: Callable[[Menu], Outcome | None]  # None: back to the menu


class Menu:
    """Builds one turn's decisions from the player's commands, then plays the turn."""

    def __init__(
        self,
        session: GameSession,
        console: Console,
        show_briefing: Callable[[], None],
        read: Callable[[str], str] | None = None,
    ) -> None:
        self.session = session
        self.prompter = Prompter(console, read)
        self.show_briefing = show_briefing
        self.draft: dict[str, Any] = {}
        self._undo: list[dict[str, Any]] = []
        self._turn = session.turn

    @property
    def pending(self) -> bool:
        """Decisions were made this turn and the turn has not been played."""
        return bool(self.draft) and self.session.turn == self._turn

    def decide(self) -> Outcome:
        """Take commands until this turn is played or the player quits.

        Raises:
            EOFError: input ended.
            KeyboardInterrupt: the player pressed Ctrl-C.
        """
        self.draft, self._undo, self._turn = {}, [], self.session.turn
        self.say(menu_line())
        briefing = self.session.briefing()
        while True:
            typed = self.prompter.line(f"Turn {briefing.turn} of {briefing.turns} > ")
            if not typed:
                self.say(menu_line())
                continue
            command = BY_NAME.get(typed.lower())
            if command is None:
                self.say(f"Sorry, {typed!r} is not a command; type ? to see them all.")
                continue
            outcome = command.run(self)
            if outcome is not None:
                return outcome

    # -------------------------------------------------------------- helpers for commands
    def say(self, text: str) -> None:
        """Print plain text."""
        self.prompter.say(text)

    def ask(self, prompt: str, parse: Parser[T], *, empty: T | None = None) -> T | None:
        """Ask until the answer parses; ``empty`` when the player presses Enter."""
        return self.prompter.ask(prompt, parse, empty=empty)

    def record(self, key: str, value: Any) -> None:
        """Set one decision (undoable) and say what is now decided."""
        before = copy.deepcopy(self.draft)
        self._undo.append(before)
        self.draft[key] = value
        added, _ = wording.changes(before, self.draft)
        again = [f"{line} (as decided before)" for line in decision_lines({key: value})]
        for line in added or again:
            self.say(f"Noted: {line}")

    def undo(self) -> str | None:
        """Go back to the decisions before the last change; what that undid, in words.

        None when there is nothing to undo.
        """
        if not self._undo:
            return None
        before, self.draft = self.draft, self._undo.pop()
        restored, undone = wording.changes(before, self.draft)
        if undone and restored:
            return f"Undone: {wording.joined(undone)}; back to: {wording.joined(restored)}."
        if restored:
            return f"Undone: the clear; back to: {wording.joined(restored)}."
        if undone:
            return f"Undone: {wording.joined(undone)}."
        return "Undone: a decision that changed nothing."

    def decisions(self) -> dict[str, Any]:
        """The draft as the session takes it: raises given to a role become per-rep raises.

        A rep's own raise wins over their role's, and reps being let go get none.
        """
        decisions = {key: value for key, value in self.draft.items() if key != ROLE_RAISES}
        leaving = set(self.draft.get("fire", []))
        raises = {
            rep: group["level"]
            for group in self.draft.get(ROLE_RAISES, [])
            for rep in group["reps"]
            if rep not in leaving
        }
        raises.update(self.draft.get("pay_raise", {}))
        if raises:
            decisions["pay_raise"] = raises
        return decisions

    def clear(self) -> None:
        """Forget this turn's decisions (undoable)."""
        self._undo.append(copy.deepcopy(self.draft))
        self.draft = {}

    def now(self) -> Scenario:
        """The policies in force (after every decision applied so far)."""
        return self.session.sim.scenario


# ----------------------------------------------------------------------------- turn commands
def _show(menu: Menu) -> None:
    lines = decision_lines(menu.draft)
    if not lines:
        menu.say("Nothing decided yet: ending the turn now keeps everything as it is.")
    for line in lines:
        menu.say(f"  - {line}")
    spend = menu.session.projected_spend(menu.decisions())
    limit = menu.session.script.budget
    if spend is not None:
        budget = f" (budget {money(limit)})" if limit is not None else ""
        menu.say(f"Next turn's people spend with these decisions: {money(spend)}{budget}.")


def _clear(menu: Menu) -> None:
    menu.clear()
    menu.say("Cleared: nothing is decided for this turn (u brings the decisions back).")


def _undo(menu: Menu) -> None:
    menu.say(menu.undo() or "Nothing to undo.")


def _view(menu: Menu) -> None:
    menu.show_briefing()


def _help(menu: Menu) -> None:
    for command in COMMANDS:
        menu.say(f"  {command.key}  {command.word:<12} {command.summary}")
    menu.say(
        "Enter alone at a question goes back to the menu. Ctrl-D or Ctrl-C saves the game "
        "and stops; salessim play --resume FILE carries on."
    )


def _end(menu: Menu) -> Outcome | None:
    decisions = menu.decisions()
    problems = menu.session.check(decisions)
    if not problems:
        menu.say("Playing the turn...")
        try:
            menu.session.advance(decisions)
            return Outcome.PLAYED
        except DecisionError as error:
            problems = error.problems
        except ScenarioError as error:
            problems = [problem.message for problem in error.problems]
    menu.say("These decisions cannot apply yet:")
    for problem in problems:
        menu.say(f"  - {problem}")
    menu.say("Change them (x clears, u undoes the last) and end the turn again.")
    return None


def _quit(menu: Menu) -> Outcome:
    return Outcome.QUIT


COMMANDS = [
    Command("h", "hire", "open requisitions: role, how many, offer", commands.hire),
    Command("f", "fire", "let a rep go now (severance is paid)", commands.fire),
    Command("p", "plan", "put a rep on a performance plan", commands.plan),
    Command("c", "coaching", "coaching hours per rep and whom to coach first", commands.coaching),
    Command("t", "training", "a training session every N months (0 stops it)", commands.training),
    Command("r", "recognition", "recognition awards per team a month", commands.recognition),
    Command("o", "routing", "how a team's new work picks a rep", commands.routing),
    Command("b", "backfill", "what happens when a rep leaves", commands.backfill),
    Command("$", "pay", "a role's pay plan from the next pay period", commands.pay),
    Command("%", "quota", "raise or lower a role's quota", commands.quota),
    Command("s", "segments", "outbound prospecting weight of a segment", commands.segments),
    Command(
        "a",
        "pricing",
        "discount authority per role, and how deep the manager approves",
        commands.pricing,
    ),
    Command("k", "contest", "a contest over the next quarter with prizes", commands.contest),
    Command(
        "+",
        "raise",
        "a rep's pay, or a role's, as a multiple of market pay (answers an offer)",
        commands.pay_raise,
    ),
    Command(
        "=", "terms", "edit a plan term the scenario allows, from the next period", commands.terms
    ),
    Command(
        "#",
        "forecast",
        "commit next quarter's new ARR and churn (without one, the guide's)",
        commands.forecast,
    ),
    Command("d", "decisions", "show this turn's decisions so far", _show),
    Command("u", "undo", "undo the last decision", _undo),
    Command("x", "clear", "clear this turn's decisions", _clear),
    Command("v", "view", "show the briefing again", _view),
    Command("?", "help", "what each command does", _help),
    Command("e", "end", "end the turn: check the decisions and play the quarter", _end),
    Command("q", "quit", "save the game and stop", _quit),
]
BY_NAME = {name: command for command in COMMANDS for name in (command.key, command.word)}


def menu_line() -> str:
    """The commands on four short lines: people, policies, pay and forecast, the turn."""
    entries = [f"{command.key} {command.word}" for command in COMMANDS]
    lines = ((0, 6), (6, 12), (12, 16), (16, None))
    return "\n".join(" · ".join(entries[a:b]) for a, b in lines)


# ----------------------------------------------------------------------------- describing
def decision_lines(draft: Mapping[str, Any]) -> list[str]:
    """The decisions in words, one line each (:func:`salessim.game.wording.decision_lines`)."""
    return wording.decision_lines(draft)
