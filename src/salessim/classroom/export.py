"""A class's export: every decision, the scores, and one save file per team.

``decisions.csv`` has one row per team, turn and decision (a turn with no decision has
one row with the decision left blank), with where the turn came from (submission, draft
or bot), the bot's name and the member who wrote it; each value is JSON.
``scores.csv`` is the leaderboard, one column per indicator's points. ``saves/`` holds
one save per team, written by the game itself, that ``salessim replay`` rebuilds exactly.

Text cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are written with a leading ``'``; team and member
names come from the class, so they are never trusted.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from salessim.classroom.records import Standing
from salessim.classroom.runner import Runner
from salessim.classroom.store import Store

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DECISION_COLUMNS = ["team", "turn", "source", "bot", "author", "decision", "value"]
SAVE_SUFFIX = ".json"


def cell(value: Any) -> Any:
    """A CSV cell: text a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write a CSV file of ``rows`` under ``header``, every text cell made formula-safe."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow([cell(name) for name in header])
        writer.writerows([cell(value) for value in row] for row in rows)
    return path


def export(
    store: Store, runner: Runner, standings: list[Standing], weights: Sequence[str], out: Path
) -> list[Path]:
    """Write the class's decisions, scores and saves into ``out``; the files written."""
    saves = out / "saves"
    saves.mkdir(parents=True, exist_ok=True)
    teams = store.teams()
    names = {team.id: team.name for team in teams}
    decisions = []
    for row in store.turns():
        common = [names[row.team], row.turn, row.source.value, row.bot or "", row.author or ""]
        if not row.decisions:
            decisions.append([*common, "", ""])
        for decision, value in row.decisions.items():
            decisions.append([*common, decision, json.dumps(value, sort_keys=True)])
    written = [write_csv(out / "decisions.csv", DECISION_COLUMNS, decisions)]
    header = ["rank", "team", "score", "turns", "bot_turns", "penalty", *weights]
    scores = [
        [
            rank,
            standing.team,
            round(standing.score, 3),
            standing.turns,
            standing.bot_turns,
            round(standing.penalty, 3),
            *(round(standing.points.get(name, 0.0), 3) for name in weights),
        ]
        for rank, standing in enumerate(standings, start=1)
    ]
    written.append(write_csv(out / "scores.csv", header, scores))
    files = save_names([team.name for team in teams])
    for team, file in zip(teams, files, strict=True):
        path = (saves / file).resolve()
        written.append(runner.call(team.id, "save", store.log(team.id), path, team.name))
    return written


def save_names(names: Sequence[str]) -> list[str]:
    """A file name per team: its name's letters, digits, ``-`` and ``_``; never two alike."""
    files: list[str] = []
    taken: set[str] = set()
    for number, name in enumerate(names, start=1):
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-_")[:60] or f"team-{number}"
        while stem.casefold() in taken:
            stem = f"{stem}-{number}"
        taken.add(stem.casefold())
        files.append(stem + SAVE_SUFFIX)
    return files
