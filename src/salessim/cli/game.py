"""The training game at the terminal: ``salessim play`` and ``salessim replay``.

Plain keyboard input and printed output (no full-screen app), so a game works over SSH.
The save file is the game's decision log, written when the game starts and after every
turn; any stop (q, Ctrl-D, Ctrl-C, a hang-up) saves too. A hang-up is SIGHUP, or the
terminal gone from under a prompt (its reads end, its writes fail): either way the game
saves and exits 129, even when both come, one while the other is being handled.
Rendering lives here, the questions in :mod:`salessim.cli.game_menu`; every name from a
save or a scenario is shown through ``printable``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import math
import shlex
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from salessim import __version__
from salessim.cli.common import (
    SetOption,
    app,
    load_or_exit,
    path_option,
    progress_bar,
    refuse,
    stderr,
)
from salessim.cli.game_menu import Menu, Outcome
from salessim.cli.hang_up import (
    LOST_TERMINAL,
    HangUp,
    hang_ups_noted,
    interrupts_ignored,
    silence_lost_terminal,
    terminal_gone,
)
from salessim.game.along import keep_up
from salessim.game.briefing import (
    LARGE_ROSTER,
    LOWER_IS_BETTER,
    Briefing,
    Indicator,
    is_star,
    risks,
    roster_summary,
)
from salessim.game.save_file import Integrity, read_save
from salessim.game.session import GameSession
from salessim.report.format import (
    MISSING,
    count,
    label,
    money,
    number,
    percent,
    printable,
    printable_lines,
    role_label,
)
from salessim.scenario.limits import MAX_SEED

SAVE_SUFFIX = ".game.json"
INTERRUPTED = 130  # the exit code of a command stopped by Ctrl-C
HUNG_UP = 129  # the exit code of a command stopped by a hang-up (SIGHUP)
ERROR_CHARS = 300  # a load error is shown on one line, cut to this length
EDITED = (
    "this save was edited after salessim wrote it (its checksum does not match its "
    "scenario, scoring weights and decisions)"
)


@app.command()
def play(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file or bundled name (default: the bundled baseline)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=MAX_SEED,
            help="Root random seed (default 0; at most 2^63 - 1).",
            show_default=False,
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Save the game here after every turn (default: <scenario>-seed<N>.game.json "
            "in this directory; with --resume, the resumed file).",
            callback=path_option,
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Carry on a saved game (its scenario and seed).",
            callback=path_option,
        ),
    ] = None,
    overrides: SetOption = None,
) -> None:
    """Play the training game: manage the sales team a quarter at a time, at the keyboard."""
    try:
        session, save_path = _open(scenario, seed, save, resume, overrides)
    except KeyboardInterrupt:
        stderr.print("Stopped before the game began; no file was written.", markup=False)
        raise typer.Exit(INTERRUPTED) from None
    try:
        session.save(save_path)
    except OSError as error:
        raise refuse(f"cannot write the save file {save_path}: {error.strerror or error}") from None
    console = Console()
    marked = " (unverified)" if session.integrity is Integrity.UNVERIFIED else ""
    _say(
        console,
        f"Playing {session.name} (seed {session.seed}){marked}; "
        f"the game is saved to {save_path} after every turn.",
    )
    from salessim.game.scoring import played_ahead

    with played_ahead(session), hang_ups_noted() as hang_up:
        menu = Menu(
            session,
            console,
            lambda: show_briefing(console, session.briefing()),
            read=hang_up.reader(console),
        )
        _play_turns(session, console, menu, save_path, hang_up)


@app.command()
def replay(
    file: Annotated[Path, typer.Argument(help="A game save written by salessim play.")],
    quarter: Annotated[
        int, typer.Option(help="Show the briefing after this many played turns (0: the start).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the briefing as one JSON object.")
    ] = False,
) -> None:
    """Rebuild a saved game after some turns and show that turn's briefing."""
    if quarter < 0:
        raise refuse(f"--quarter must be 0 or more, not {quarter}")
    try:
        session = GameSession.load(file, turns=quarter)
    except ValueError as error:
        raise refuse(_one_line(error)) from None
    _warn_of_integrity(session, file)
    _warn_of_drift(session, file)
    if session.turn < quarter:
        raise refuse(
            f"{file} holds {session.turn} played turns: --quarter must be 0 to {session.turn}"
        )
    if as_json:
        print(json.dumps(briefing_json(session.briefing()), allow_nan=False))
        return
    show_briefing(Console(), session.briefing())


# ----------------------------------------------------------------------------- the game
def _open(
    scenario: str | None,
    seed: int | None,
    save: Path | None,
    resume: Path | None,
    overrides: list[str] | None,
) -> tuple[GameSession, Path]:
    """The session to play and where to save it."""
    if resume is None:
        path, loaded = load_or_exit(scenario, overrides)
        target = save or Path(f"{path.stem}-seed{seed or 0}{SAVE_SUFFIX}")
        _refuse_to_overwrite(target)
        return GameSession(loaded, seed or 0), target
    if scenario is not None or seed is not None or overrides:
        raise refuse(
            "--resume carries on a saved game with its own scenario and seed: "
            "leave out SCENARIO, --seed and --set"
        )
    if save is not None and save != resume:
        _refuse_to_overwrite(save)
    try:
        saved = read_save(resume)
        if saved.integrity is Integrity.TAMPERED:
            raise ValueError(
                f"{resume}: {EDITED}, so it cannot be played on "
                f"(salessim replay shows it, read-only)"
            )
        session = GameSession.from_save(saved, resume)
    except ValueError as error:
        raise refuse(_one_line(error)) from None
    _warn_of_integrity(session, resume)
    _warn_of_drift(session, resume)
    return session, save or resume


def _play_turns(
    session: GameSession, console: Console, menu: Menu, save_path: Path, hang_up: HangUp
) -> None:
    """Play until the game ends or stops; every stop saves, a hang-up exits 129."""
    code = _play_until_stopped(session, console, menu, save_path, hang_up)
    if code == HUNG_UP or hang_up.heard:  # heard while another stop was being handled, too
        _hung_up(session, console, save_path, menu.pending)
        raise typer.Exit(HUNG_UP)
    if code:
        raise typer.Exit(code)


def _play_until_stopped(
    session: GameSession, console: Console, menu: Menu, save_path: Path, hang_up: HangUp
) -> int:
    """Brief, decide and play until the game ends or stops; the exit code.

    Ctrl-D saves and gives 0, Ctrl-C 130. The end of input after SIGHUP or from a
    terminal that has gone, or a write to it failing, is a hang-up: :data:`HUNG_UP`, left
    to the caller to save.
    """
    try:
        while not session.finished:
            show_briefing(console, session.briefing())
            if menu.decide() is Outcome.QUIT:
                break
            _save(session, console, save_path)
            keep_up(session)  # the debrief's replays follow the game
        if session.finished:
            _finish(session, console, save_path)
            return 0
        code, cut_short = 0, False
    except KeyboardInterrupt:
        code, cut_short = INTERRUPTED, True
    except EOFError:
        if hang_up.heard or terminal_gone():
            return HUNG_UP
        code, cut_short = 0, True
    except OSError as error:
        if error.errno not in LOST_TERMINAL:
            raise
        return HUNG_UP
    try:
        with interrupts_ignored():
            if cut_short:
                console.print()  # finish the prompt's line
            _stopped(session, console, save_path, menu.pending)
    except OSError:  # the terminal went away while the game was saying goodbye
        return HUNG_UP
    return code


def _hung_up(session: GameSession, console: Console, save_path: Path, pending: bool) -> None:
    """Save after a hang-up; say so if anyone is left to read it, and never fail for it."""
    with interrupts_ignored(), contextlib.suppress(OSError):
        _stopped(session, console, save_path, pending)
    silence_lost_terminal()


def _warn_of_integrity(session: GameSession, path: Path) -> None:
    """Say so when a save is not verified as salessim wrote it (its checksum)."""
    if session.integrity is Integrity.TAMPERED:
        note = f"Warning: {path}: {EDITED}; what it shows is not necessarily the game as played."
    elif session.integrity is Integrity.UNVERIFIED:
        note = (
            f"Note: {path} carries no checksum (written by salessim {session.saved_with}, or "
            "carried on from such a save), so it cannot be verified as unedited; its later "
            "saves stay marked unverified."
        )
    else:
        return
    stderr.print(printable(note), markup=False, highlight=False, soft_wrap=True)


def _warn_of_drift(session: GameSession, path: Path) -> None:
    """Say so when a saved game replays differently from what its player saw."""
    if session.drift_from is None:
        return
    stderr.print(
        printable(
            f"Note: {path} was saved by salessim {session.saved_with}. Replayed by salessim "
            f"{__version__}, turn {session.drift_from} comes out differently, so the figures "
            f"from turn {session.drift_from} on are not the ones the player saw."
        ),
        markup=False,
        highlight=False,
    )


def _refuse_to_overwrite(target: Path) -> None:
    if target.exists():
        raise refuse(
            f"{target} already holds a game: carry on with salessim play --resume "
            f"{shlex.quote(str(target))}, or choose another file with --save"
        )


def _save(session: GameSession, console: Console, save_path: Path) -> bool:
    """Write the save file; on failure say so and go on (the game is still in memory)."""
    try:
        session.save(save_path)
    except OSError as error:
        _say(console, f"Could not save to {save_path}: {error.strerror or error}")
        return False
    return True


def _stopped(session: GameSession, console: Console, save_path: Path, pending: bool) -> None:
    """Save the game and say how to carry on (the log holds whole turns, so any stop is safe)."""
    if not _save(session, console, save_path):
        return
    note = " This turn's decisions were not played, so they are not in the save." if pending else ""
    _say(console, f"Saved after {session.turn} of {session.turns} turns to {save_path}.{note}")
    _say(console, f"Carry on with: salessim play --resume {shlex.quote(str(save_path))}")


def _finish(session: GameSession, console: Console, save_path: Path) -> None:
    """The end of the game: the final briefing, the debrief, and where the save is.

    The debrief's replays fork from snapshots of the game where the system allows; the
    pool of processes only runs them where it does not (its workers start on first use).
    """
    from concurrent.futures import ProcessPoolExecutor

    from salessim.game.scoring import debrief

    show_briefing(console, session.briefing())
    _say(
        console,
        "Scoring: the autopilot on your seed, your game with each decision left out, and "
        f"your decisions on {session.scenario.game.luck_seeds} other seeds...",
    )
    with ProcessPoolExecutor() as pool, progress_bar("Debrief") as progress:
        found = debrief(session, executor=pool, progress=progress)
    lines = "\n".join(printable(line) for line in found.lines())
    console.print(Panel(lines, title="Debrief", expand=False), markup=False, highlight=False)
    _say(
        console,
        f"Game over after {session.turns} turns. The whole game is saved in {save_path}; "
        f"salessim replay {shlex.quote(str(save_path))} --quarter N shows any turn again.",
    )


def _say(console: Console, text: str) -> None:
    """Print plain text, names from files and paths in it escaped (``printable``)."""
    console.print(printable_lines(text), markup=False, highlight=False)


def _one_line(error: Exception) -> str:
    """The error on one line; a long one loses its middle, so the file and the reason stay."""
    text = " ".join(str(error).split())
    if len(text) <= ERROR_CHARS:
        return text
    half = (ERROR_CHARS - 1) // 2
    return text[:half] + "…" + text[-half:]


# ----------------------------------------------------------------------------- rendering
def show_briefing(console: Console, briefing: Briefing) -> None:
    """Print a briefing."""
    console.print(briefing_view(briefing))


def briefing_view(briefing: Briefing) -> Group:
    """Everything a briefing says, ready to print: figures, story, team, pipeline, money.

    Every text in it (plan, segment and stage names come from the scenario) is shown
    through ``printable``.
    """
    briefing = _printable(briefing)
    return Group(
        _header(briefing),
        *([opening_panel(briefing)] if briefing.exercise is not None else []),
        indicator_table(briefing),
        _story(briefing),
        roster_table(briefing),
        _requisitions(briefing),
        pipeline_table(briefing),
        _budget(briefing),
        forecast_view(briefing),
        _pay_plans(briefing),
        _policies(briefing),
    )


def _header(briefing: Briefing) -> Rule:
    if briefing.finished:
        title = f"Game over · {briefing.turns} turns played · {briefing.period}"
    elif briefing.period == "start":
        title = f"Turn {briefing.turn} of {briefing.turns} · the start"
    else:
        title = f"Turn {briefing.turn} of {briefing.turns} · after {briefing.period}"
    return Rule(Text(f"{title} · {briefing.date}", style="bold"))


def opening_panel(briefing: Briefing) -> Panel:
    """The exercise: its situation, the player's goals and what it teaches."""
    exercise = briefing.exercise
    assert exercise is not None, "an opening briefing"
    parts: list[RenderableType] = [Text(exercise.situation)] if exercise.situation else []
    for title, items in (
        ("Your goals", exercise.goals),
        ("What this exercise teaches", exercise.learning_goals),
    ):
        if items:
            bullets = Table.grid(padding=(0, 1))
            bullets.add_column(width=3, justify="right")
            bullets.add_column()
            for item in items:
                bullets.add_row("•", item)
            parts += [Text(), Text(title, style="bold"), bullets]
    return Panel(Group(*parts), title=Text(exercise.name, style="bold"), title_align="left")


def figure(name: str, value: float | None) -> str:
    """An indicator's value as text: money, a rate, a count or a number."""
    if value is None or not math.isfinite(value):
        return MISSING
    if name.endswith(("_arr", "_spend")):
        return money(value)
    if name.endswith("_rate") or name.startswith("price_"):
        return percent(value)
    return count(value) if float(value).is_integer() else number(value)


HEADCOUNT = "headcount_"  # indicators of headcount by role, shown on one line


def indicator_table(briefing: Briefing) -> Table:
    """The indicators: value, last turn, change, target and whether it is met."""
    table = Table(title="Figures", box=box.SIMPLE, show_edge=False, title_justify="left")
    table.add_column("Indicator")
    for heading in ("Value", "Last turn", "Change", "Target"):
        table.add_column(heading, justify="right")
    table.add_column("Met")
    heads = [row for row in briefing.indicators if row.name.startswith(HEADCOUNT)]
    if heads:  # one line: the team table below has the detail
        before = all(row.previous is not None for row in heads)
        table.caption = f"Headcount{' (last turn)' if before else ''}: " + ", ".join(
            f"{role_label(row.name.removeprefix(HEADCOUNT))} {figure(row.name, row.value)}"
            + (f" ({figure(row.name, row.previous)})" if before else "")
            for row in heads
        )
        table.caption_justify = "left"
    for row in briefing.indicators:
        if row in heads:
            continue
        met = {None: MISSING, True: "yes", False: "no"}[row.on_target]
        table.add_row(
            label(row.name),
            figure(row.name, row.value),
            figure(row.name, row.previous),
            _change(row),
            figure(row.name, row.target),
            met,
        )
    return table


def _change(row: Indicator) -> Text:
    change = row.change
    if change is None:
        return Text(MISSING)
    better = (change > 0) != (row.name in LOWER_IS_BETTER)
    style = "" if change == 0 else "green" if better else "red"
    return Text(f"{change:+.1%}", style=style)


def _story(briefing: Briefing) -> RenderableType:
    if not briefing.story:
        quiet = "You take over today: no turn played yet." if briefing.period == "start" else ""
        return Text(f"\n{quiet or 'A quiet quarter: nothing of note.'}\n")
    lines = [Text("What happened", style="bold")]
    lines += [Text(f"  • {line}") for line in briefing.story]
    return Group(*lines, Text())


def roster_table(briefing: Briefing) -> RenderableType:
    """The team as a manager sees it (rumours are noisy); a large team summarised by role."""
    if len(briefing.roster) > LARGE_ROSTER:
        return roster_summary_view(briefing)
    table = Table(
        title=f"Team ({len(briefing.roster)} reps)",
        caption="Pay/mkt: pay over market pay · ! rumoured to be looking (can be wrong)",
        box=box.SIMPLE,
        show_edge=False,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("Rep", justify="right")
    table.add_column("Role")
    for heading in ("Months", "Ramp", "Attainment", "Pay/mkt"):
        table.add_column(heading, justify="right")
    for heading in ("Morale", "Plan", "!"):
        table.add_column(heading)
    for row in briefing.roster:
        table.add_row(
            str(row.rep),
            role_label(row.role.value),
            number(row.tenure_months),
            percent(row.ramp, 0),
            percent(row.attainment, 0),
            _multiple(row.pay_vs_market),
            row.morale,
            "on plan" if row.on_plan else "",
            "!" if row.rumour else "",
        )
    return table


NOTABLE_SHOWN = 6  # reps listed under a summarised roster


def roster_summary_view(briefing: Briefing) -> Group:
    """A large team: one line per role, then the reps at risk and the stars, at risk first."""
    roles, notable = roster_summary(briefing)
    table = Table(
        title=f"Team ({len(briefing.roster)} reps, by role)",
        box=box.SIMPLE,
        show_edge=False,
        title_justify="left",
    )
    table.add_column("Role")
    for heading in ("Reps", "Ramping", "Attainment", "Pay/mkt", "Low morale", "Plan", "!"):
        table.add_column(heading, justify="right", no_wrap=True)
    for role in roles:
        table.add_row(
            role_label(role.role.value),
            count(role.reps),
            count(role.ramping),
            percent(role.attainment, 0),
            _multiple(role.pay_vs_market),
            count(role.low_morale),
            count(role.on_plan),
            count(role.rumours),
        )
    if not notable:
        return Group(table, Text("No rep at risk, and no star above 120% of quota.\n"))
    reps = Table(
        title="At risk and stars, at risk first",
        box=box.SIMPLE,
        show_edge=False,
        show_header=False,
        title_justify="left",
        caption=f"and {len(notable) - NOTABLE_SHOWN} more"
        if len(notable) > NOTABLE_SHOWN
        else None,
        caption_justify="left",
    )
    for heading in ("Rep", "Role", "Attainment", "Pay/mkt"):
        reps.add_column(heading, justify="right" if heading != "Role" else "left", no_wrap=True)
    reps.add_column("Why", overflow="ellipsis", no_wrap=True)
    for row in notable[:NOTABLE_SHOWN]:
        why = risks(row, briefing.offers)
        reps.add_row(
            f"rep {row.rep}",
            role_label(row.role.value),
            percent(row.attainment, 0),
            _multiple(row.pay_vs_market),
            ", ".join((["star"] if is_star(row) else []) + why),
        )
    return Group(table, reps, Text())


def _multiple(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}x"


def _requisitions(briefing: Briefing) -> Text:
    open_ = [f"{n} {role_label(role)}" for role, n in briefing.open_requisitions.items() if n]
    cold = (
        ""
        if briefing.leads_gone_cold is None
        else f" · leads gone cold in {briefing.period}: {count(briefing.leads_gone_cold)}"
    )
    return Text(f"Open requisitions: {', '.join(open_) or 'none'}{cold}\n")


def pipeline_table(briefing: Briefing) -> Table:
    """Open deals and their value by stage."""
    table = Table(
        title="Pipeline", box=box.SIMPLE, show_edge=False, title_justify="left", show_footer=True
    )
    table.add_column("Stage", footer="Total")
    deals = sum(n for n, _ in briefing.pipeline.values())
    value = sum(v for _, v in briefing.pipeline.values())
    table.add_column("Deals", justify="right", footer=count(deals))
    table.add_column("Value", justify="right", footer=money(value))
    for stage, (n, stage_value) in briefing.pipeline.items():
        table.add_row(label(stage), count(n), money(stage_value))
    return table


def _budget(briefing: Briefing) -> Text:
    budget = briefing.budget
    limit = "no limit" if budget.limit is None else f"limit {money(budget.limit)} a turn"
    spent = MISSING if briefing.period == "start" else money(budget.spent)
    line = Text(
        f"People spend: {limit} · last turn {spent} · next turn, if nothing changes, "
        f"{money(budget.projected)}"
    )
    if budget.overspent > 0:
        line.append(f" · last turn OVER BUDGET by {money(budget.overspent)}", style="bold red")
    return line


def forecast_view(briefing: Briefing) -> Text:
    """The guide to next quarter's forecast, and last quarter's forecast against what happened."""
    lines = []
    last = briefing.forecast_last
    if last is not None and last.actual is not None:
        whose = "you forecast" if last.own else "the forecast (the guide's) was"
        new_arr = _against(last.committed.new_arr, last.actual.new_arr, "new ARR", "booked")
        churn = _against(last.committed.churn, last.actual.churn, "churn", "lost")
        lines.append(f"Last quarter {whose} {new_arr} and {churn}")
    guide = briefing.forecast_guide
    if guide is not None:
        lines.append(
            f"Guide for next quarter (pipeline forecast): {money(guide.new_arr)} new ARR, "
            f"{money(guide.churn)} churn"
        )
    return Text("\n".join(lines) + "\n") if lines else Text("")


def _against(forecast: float, actual: float, what: str, verb: str) -> str:
    """``$3.0M new ARR (booked $3.4M, 12% under)``: a forecast against what happened."""
    said = f"{money(forecast)} {what} ({verb} {money(actual)}"
    if actual > 0 and forecast != actual:
        miss = forecast / actual - 1
        return f"{said}, {abs(miss):.0%} {'over' if miss > 0 else 'under'})"
    return said + ")"


def _pay_plans(briefing: Briefing) -> Text:
    if not briefing.plan_choices:
        return Text("Pay plans: none in this scenario\n")
    lines = [
        f"  {role_label(role)}: {briefing.pay_plans.get(role, 'none')}"
        + (f", quota {briefing.quotas[role]}" if role in briefing.quotas else "")
        + f" (choices: {', '.join(plans)})"
        for role, plans in briefing.plan_choices.items()
    ]
    return Text("Pay plans\n" + "\n".join(lines) + "\n")


def _policies(briefing: Briefing) -> Text:
    lines = [f"  {name.capitalize()}: {words}" for name, words in briefing.policies.items()]
    return Text("Policies in force\n" + "\n".join(lines) + "\n")


def _printable(value: Any) -> Any:
    """``value`` with every text in it, keys included, through ``printable``."""
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return printable(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [field.name for field in dataclasses.fields(value) if field.init]
        return dataclasses.replace(value, **{n: _printable(getattr(value, n)) for n in names})
    if isinstance(value, dict):
        return {_printable(key): _printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_printable(item) for item in value)
    return value


def briefing_json(briefing: Briefing) -> dict[str, Any]:
    """The briefing as plain JSON data (enums as their values, unknown numbers as null)."""
    return _plain(dataclasses.asdict(briefing))


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(_plain(key)): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
