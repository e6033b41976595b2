"""The keyboard side of ``salessim play``: a menu of one-key commands that builds a turn.

Every question checks what is typed and asks again, politely, until it makes sense;
Enter alone goes back to the menu. The turn's decisions are a plain mapping in the shape
of :class:`salessim.game.decisions.Decisions`, checked by the session when the turn ends.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from rich.console import Console
from rich.text import Text

from salessim.game.decisions import DecisionError
from salessim.game.session import GameSession
from salessim.report.format import money, role_label
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.compensation import term_at
from salessim.scenario.errors import ScenarioError
from salessim.scenario.people import Backfill, CoachingFocus
from salessim.scenario.schema import Routing, Scenario
from salessim.scenario.units import DAYS_PER_MONTH

T = TypeVar("T")
Parser = Callable[[str], T]
WORKING = [role.value for role in WORKING_ROLES]


class Outcome(Enum):
    """How a turn's menu ends."""

    PLAYED = "played"  # the turn was played
    QUIT = "quit"  # the player chose to save and stop


# ----------------------------------------------------------------------------- answers
def whole(low: int, high: int | None = None) -> Parser[int]:
    """A whole number from ``low`` to ``high`` (no upper bound when ``None``)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            raise ValueError(_range(low, high))
        return value

    return parse


def amount(low: float, high: float | None = None, *, above: bool = False) -> Parser[float]:
    """A number from ``low`` (or above it, if ``above``) to ``high``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a number")
        if value < low or (above and value == low) or (high is not None and value > high):
            raise ValueError(f"pick a number above {low:g}" if above else _range(low, high))
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
        return self.read(prompt).strip()

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
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)


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
        self._undo.append(copy.deepcopy(self.draft))
        self.draft[key] = value
        for line in decision_lines({key: value}):
            self.say(f"Noted: {line}")

    def undo(self) -> bool:
        """Go back to the decisions before the last change; False when there is none."""
        if not self._undo:
            return False
        self.draft = self._undo.pop()
        return True

    def clear(self) -> None:
        """Forget this turn's decisions (undoable)."""
        self._undo.append(copy.deepcopy(self.draft))
        self.draft = {}

    def now(self) -> Scenario:
        """The policies in force (after every decision applied so far)."""
        return self.session.sim.scenario


# ----------------------------------------------------------------------------- commands
def _hire(menu: Menu) -> None:
    rules = menu.session.scenario.game
    if rules.max_hires_per_turn == 0:
        menu.say("This game allows no hiring.")
        return
    role = menu.ask(f"Role to hire ({', '.join(WORKING)}): ", one_of(WORKING))
    if role is None:
        return
    limit = rules.max_hires_per_turn
    count = menu.ask(f"How many {role_label(role)}s (1 to {limit}): ", whole(1, limit))
    if count is None:
        return
    usual = menu.now().roles.of(Role(role)).hiring.offer
    low, high = rules.offers.low, rules.offers.high
    offer = menu.ask(
        f"Offer as a multiple of market pay ({low:g} to {high:g}; Enter: the usual {usual:g}): ",
        amount(low, high),
    )
    hire: dict[str, Any] = {"role": role, "count": count}
    if offer is not None:
        hire["offer"] = offer
    others = [h for h in menu.draft.get("hire", []) if h["role"] != role]
    if len(others) < len(menu.draft.get("hire", [])):
        menu.say(f"This replaces the {role_label(role)} hiring decided before.")
    menu.record("hire", [*others, hire])


def _rep_decision(menu: Menu, key: str, prompt: str) -> None:
    roster = menu.session.briefing().roster
    taken = {rep: "is already on the list" for rep in menu.draft.get(key, [])}
    if key == "plan":
        taken.update({row.rep: "is already on a plan" for row in roster if row.on_plan})
    rep = menu.ask(prompt, rep_of({row.rep for row in roster}, taken))
    if rep is not None:
        menu.record(key, [*menu.draft.get(key, []), rep])


def _fire(menu: Menu) -> None:
    _rep_decision(menu, "fire", "Rep id to let go: ")


def _plan(menu: Menu) -> None:
    _rep_decision(menu, "plan", "Rep id to put on a performance plan: ")


def _coaching(menu: Menu) -> None:
    limit = menu.session.scenario.game.coaching_hours_max
    current = menu.now().policies.coaching
    hours = menu.ask(
        f"Coaching hours per rep a month (0 to {limit:g}; now "
        f"{current.hours_per_rep_per_month:g}): ",
        amount(0, limit),
    )
    if hours is None:
        return
    focuses = [focus.value for focus in CoachingFocus]
    focus = menu.ask(
        f"Coach whom first ({', '.join(focuses)}; Enter: {current.focus.value}): ",
        one_of(focuses),
        empty=current.focus.value,
    )
    menu.record("coaching", {"hours_per_rep_per_month": hours, "focus": focus})


def _training(menu: Menu) -> None:
    every = menu.now().policies.training.every / DAYS_PER_MONTH
    now = f"every {every:g} months" if every else "none"
    months = menu.ask(
        f"A training session every how many months (0 stops training; now {now}): ",
        training_cadence,
    )
    if months is not None:
        menu.record("training_every_months", months)


def _recognition(menu: Menu) -> None:
    current = menu.now().policies.recognition.per_team_per_month
    awards = menu.ask(f"Recognition awards per team a month (now {current}): ", whole(0))
    if awards is not None:
        menu.record("recognition", awards)


def _routing(menu: Menu) -> None:
    role = menu.ask(f"Route work to which team ({', '.join(WORKING)}): ", one_of(WORKING))
    if role is None:
        return
    policies = [policy.value for policy in Routing]
    current = menu.now().policies.routing.of(Role(role)).value
    policy = menu.ask(f"Routing ({', '.join(policies)}; now {current}): ", one_of(policies))
    if policy is not None:
        menu.record("routing", {**menu.draft.get("routing", {}), role: policy})


def _backfill(menu: Menu) -> None:
    choices = [policy.value for policy in Backfill]
    current = menu.now().policies.staffing.backfill.value
    policy = menu.ask(f"Backfill leavers ({', '.join(choices)}; now {current}): ", one_of(choices))
    if policy is not None:
        menu.record("backfill", policy)


def _pay(menu: Menu) -> None:
    choices = menu.session.briefing().plan_choices
    if not choices:
        menu.say("This scenario has no pay plans to choose from.")
        return
    roles = list(choices)
    role = menu.ask(f"Pay plan for which role ({', '.join(roles)}): ", one_of(roles))
    if role is None:
        return
    current = menu.session.briefing().pay_plans.get(role, "none")
    plans = choices[role]
    plan = menu.ask(
        f"Plan from the next pay period ({', '.join(plans)}; now {current}): ", one_of(plans)
    )
    if plan is not None:
        menu.record("pay_plans", {**menu.draft.get("pay_plans", {}), role: plan})


def _quota(menu: Menu) -> None:
    assigned = {**menu.session.briefing().pay_plans, **menu.draft.get("pay_plans", {})}
    if not assigned:
        menu.say("No role is on a pay plan, so there is no quota to change.")
        return
    roles = list(assigned)
    role = menu.ask(f"Quota of which role ({', '.join(roles)}): ", one_of(roles))
    if role is None:
        return
    plans = menu.now().compensation.plans
    now = money(plans[assigned[role]].quota.amount) if assigned[role] in plans else "unknown"
    factor = menu.ask(
        f"Multiply the {role_label(role)} quota (now {now}) by (e.g. 1.1 for 10% more): ",
        amount(0, above=True),
    )
    if factor is not None:
        menu.record("quota", {**menu.draft.get("quota", {}), role: factor})


def _raise(menu: Menu) -> None:
    briefing = menu.session.briefing()
    offers = briefing.offers
    if offers:
        menu.say(
            "Competing offers to match: "
            + ", ".join(f"rep {rep} at {level:g}x market pay" for rep, level in offers.items())
        )
    rep = menu.ask("Rep id to give a raise: ", rep_of({row.rep for row in briefing.roster}, {}))
    if rep is None:
        return
    bounds = menu.session.scenario.game.offers
    level = menu.ask(
        f"New pay as a multiple of market pay ({bounds.low:g} to {bounds.high:g}"
        + (f"; the offer is {offers[rep]:g}" if rep in offers else "")
        + "): ",
        amount(bounds.low, bounds.high),
    )
    if level is not None:
        menu.record("pay_raise", {**menu.draft.get("pay_raise", {}), rep: level})


def _terms(menu: Menu) -> None:
    bounds = menu.now().game.plan_bounds
    if not bounds:
        menu.say("This scenario lets no plan terms be edited; pick among its plans with $.")
        return
    paths = list(bounds)
    for index, path in enumerate(paths, start=1):
        low, high = bounds[path]
        menu.say(f"  {index}. {path} ({low:g} to {high:g}; now {_term(menu.now(), path):g})")
    choice = menu.ask(f"Which term (1 to {len(paths)}): ", whole(1, len(paths)))
    if choice is None:
        return
    path = paths[choice - 1]
    low, high = bounds[path]
    value = menu.ask(f"New value of {path} ({low:g} to {high:g}): ", amount(low, high))
    if value is not None:
        menu.record("plan_terms", {**menu.draft.get("plan_terms", {}), path: value})


def _term(scenario: Scenario, path: str) -> float:
    """The value of a plan term now (``path`` under compensation.plans)."""
    return float(term_at(scenario.compensation.plans, path))  # type: ignore[arg-type]


def _contest(menu: Menu) -> None:
    assigned = {**menu.session.briefing().pay_plans, **menu.draft.get("pay_plans", {})}
    roles = [role for role in assigned if role in WORKING]
    if not roles:
        menu.say("No selling role is on a pay plan, so there is no one to pay prizes to.")
        return
    role = menu.ask(f"Contest for which role ({', '.join(roles)}): ", one_of(roles))
    if role is None:
        return
    prizes: list[float] = []
    while len(prizes) < 5:
        place = len(prizes) + 1
        prize = menu.ask(
            f"Prize for place {place} (Enter when done): " if prizes else "Prize for first place: ",
            amount(0, above=True),
        )
        if prize is None:
            break
        prizes.append(prize)
    if prizes:
        menu.record("contest", {"role": role, "prizes": prizes})


def _segments(menu: Menu) -> None:
    segments = list(menu.now().market.segments)
    segment = menu.ask(f"Segment ({', '.join(segments)}): ", one_of(segments))
    if segment is None:
        return
    current = menu.now().market.segments[segment].outbound_weight
    weight = menu.ask(f"Outbound prospecting weight (0 or more; now {current:g}): ", amount(0))
    if weight is not None:
        menu.record("segment_focus", {**menu.draft.get("segment_focus", {}), segment: weight})


def _show(menu: Menu) -> None:
    lines = decision_lines(menu.draft)
    if not lines:
        menu.say("Nothing decided yet: ending the turn now keeps everything as it is.")
    for line in lines:
        menu.say(f"  - {line}")
    spend = menu.session.projected_spend(menu.draft)
    limit = menu.session.sim.scenario.game.budget
    if spend is not None:
        budget = f" (budget {money(limit)})" if limit is not None else ""
        menu.say(f"Next turn's people spend with these decisions: {money(spend)}{budget}.")


def _clear(menu: Menu) -> None:
    menu.clear()
    menu.say("Cleared: nothing is decided for this turn (u brings the decisions back).")


def _undo(menu: Menu) -> None:
    menu.say("Undone." if menu.undo() else "Nothing to undo.")


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
    problems = menu.session.check(menu.draft)
    if not problems:
        menu.say("Playing the turn...")
        try:
            menu.session.advance(menu.draft)
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
    Command("h", "hire", "open requisitions: role, how many, offer", _hire),
    Command("f", "fire", "let a rep go now (severance is paid)", _fire),
    Command("p", "plan", "put a rep on a performance plan", _plan),
    Command("c", "coaching", "coaching hours per rep and whom to coach first", _coaching),
    Command("t", "training", "a training session every N months (0 stops it)", _training),
    Command("r", "recognition", "recognition awards per team a month", _recognition),
    Command("o", "routing", "how a team's new work picks a rep", _routing),
    Command("b", "backfill", "what happens when a rep leaves", _backfill),
    Command("$", "pay", "a role's pay plan from the next pay period", _pay),
    Command("%", "quota", "raise or lower a role's quota", _quota),
    Command("s", "segments", "outbound prospecting weight of a segment", _segments),
    Command("k", "contest", "a contest over the next quarter with prizes", _contest),
    Command("+", "raise", "a rep's pay as a multiple of market pay (answers an offer)", _raise),
    Command("=", "terms", "edit a plan term the scenario allows, from the next period", _terms),
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
    """The commands on three short lines: people, policies, the turn."""
    entries = [f"{command.key} {command.word}" for command in COMMANDS]
    return "\n".join(" · ".join(entries[a:b]) for a, b in ((0, 6), (6, 11), (11, None)))


# ----------------------------------------------------------------------------- describing
def decision_lines(draft: Mapping[str, Any]) -> list[str]:
    """The decisions in words, one line each."""
    lines = []
    for hire in draft.get("hire", []):
        offer = hire.get("offer")
        pay = "the usual offer" if offer is None else f"{offer:g} times market pay"
        plural = "" if hire["count"] == 1 else "s"
        lines.append(f"hire {hire['count']} {role_label(hire['role'])}{plural} at {pay}")
    for rep in draft.get("fire", []):
        lines.append(f"let rep {rep} go")
    for rep in draft.get("plan", []):
        lines.append(f"put rep {rep} on a performance plan")
    if "coaching" in draft:
        coaching = draft["coaching"]
        lines.append(
            f"coach {coaching['hours_per_rep_per_month']:g} hours per rep a month, "
            f"focus {coaching['focus']}"
        )
    if "training_every_months" in draft:
        months = draft["training_every_months"]
        lines.append(f"train every {months:g} months" if months else "stop training")
    if "recognition" in draft:
        lines.append(f"{draft['recognition']} recognition awards per team a month")
    for role, policy in draft.get("routing", {}).items():
        lines.append(f"route {role_label(role)} work by {policy}")
    if "backfill" in draft:
        lines.append(f"backfill leavers: {draft['backfill']}")
    for role, plan in draft.get("pay_plans", {}).items():
        lines.append(f"{role_label(role)}s move to pay plan {plan} from the next period")
    for role, factor in draft.get("quota", {}).items():
        lines.append(f"{role_label(role)} quota times {factor:g} ({factor - 1:+.0%})")
    for segment, weight in draft.get("segment_focus", {}).items():
        lines.append(f"outbound weight of {segment}: {weight:g}")
    return lines
