"""The training game at the terminal: ``salessim play`` and its turn loop.

Plain keyboard input and printed output (no full-screen app), so a game works over SSH.
The save file is the game's decision log, written when the game starts and after every
turn; any stop (q, Ctrl-D, Ctrl-C, a hang-up) saves too. A hang-up is SIGHUP, or the
terminal gone from under a prompt (its reads end, its writes fail): either way the game
saves and exits 129, even when both come, one while the other is being handled.
The briefing is drawn by :mod:`salessim.cli.game`, the questions asked by
:mod:`salessim.cli.game_menu`, and the end of the game by :mod:`salessim.cli.game_end`.
"""

from __future__ import annotations

import contextlib
import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from salessim.cli.common import SetOption, app, load_or_exit, path_option, refuse, stderr
from salessim.cli.game import say, show_briefing
from salessim.cli.game_end import finish
from salessim.cli.game_menu import Menu, Outcome
from salessim.cli.game_saves import EDITED, one_line, warn_of_drift, warn_of_integrity
from salessim.cli.hang_up import (
    LOST_TERMINAL,
    HangUp,
    hang_ups_noted,
    interrupts_ignored,
    silence_lost_terminal,
    terminal_gone,
)
from salessim.game.along import keep_up
from salessim.game.save_file import Integrity, read_save
from salessim.game.session import GameSession
from salessim.scenario.limits import MAX_SEED

SAVE_SUFFIX = ".game.json"
INTERRUPTED = 130  # the exit code of a command stopped by Ctrl-C
HUNG_UP = 129  # the exit code of a command stopped by a hang-up (SIGHUP)


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
    say(
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
        raise refuse(one_line(error)) from None
    warn_of_integrity(session, resume)
    warn_of_drift(session, resume)
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
            finish(session, console, save_path)
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
        say(console, f"Could not save to {save_path}: {error.strerror or error}")
        return False
    return True


def _stopped(session: GameSession, console: Console, save_path: Path, pending: bool) -> None:
    """Save the game and say how to carry on (the log holds whole turns, so any stop is safe)."""
    if not _save(session, console, save_path):
        return
    note = " This turn's decisions were not played, so they are not in the save." if pending else ""
    say(console, f"Saved after {session.turn} of {session.turns} turns to {save_path}.{note}")
    say(console, f"Carry on with: salessim play --resume {shlex.quote(str(save_path))}")
