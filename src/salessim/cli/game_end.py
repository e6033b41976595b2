"""The end of a game at the terminal: the final briefing, the debrief and where the save is."""

from __future__ import annotations

import shlex
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from salessim.cli.common import progress_bar
from salessim.cli.game import say, show_briefing
from salessim.game.session import GameSession
from salessim.report.format import printable


def finish(session: GameSession, console: Console, save_path: Path) -> None:
    """The end of the game: the final briefing, the debrief, and where the save is.

    The debrief's replays fork from snapshots of the game where the system allows; the
    pool of processes only runs them where it does not (its workers start on first use).
    """
    from concurrent.futures import ProcessPoolExecutor

    from salessim.game.scoring import debrief

    show_briefing(console, session.briefing())
    say(
        console,
        "Scoring: the autopilot on your seed, your game with each decision left out, and "
        f"your decisions on {session.scenario.game.luck_seeds} other seeds...",
    )
    with ProcessPoolExecutor() as pool, progress_bar("Debrief") as progress:
        found = debrief(session, executor=pool, progress=progress)
    lines = "\n".join(printable(line) for line in found.lines())
    console.print(Panel(lines, title="Debrief", expand=False), markup=False, highlight=False)
    say(
        console,
        f"Game over after {session.turns} turns. The whole game is saved in {save_path}; "
        f"salessim replay {shlex.quote(str(save_path))} --quarter N shows any turn again.",
    )
