"""``salessim replay``: a saved game rebuilt after some turns, and that turn's briefing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from salessim.cli.common import app, refuse
from salessim.cli.game import briefing_json, show_briefing
from salessim.cli.game_saves import one_line, warn_of_drift, warn_of_integrity
from salessim.game.session import GameSession


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
        raise refuse(one_line(error)) from None
    warn_of_integrity(session, file)
    warn_of_drift(session, file)
    if session.turn < quarter:
        raise refuse(
            f"{file} holds {session.turn} played turns: --quarter must be 0 to {session.turn}"
        )
    if as_json:
        print(json.dumps(briefing_json(session.briefing()), allow_nan=False))
        return
    show_briefing(Console(), session.briefing())
