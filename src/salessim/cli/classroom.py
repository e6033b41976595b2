"""``salessim classroom``: make a class, close its rounds, show where it stands, export it.

The class lives in one SQLite file (``--db``). ``new`` prints the instructor's link and
each team's join link once (they are stored only hashed) and writes them to
``CLASS-links.csv`` beside the database, readable by its owner only. ``serve`` runs the
web app of :mod:`salessim.classroom.web`. Every refusal is one line on stderr, exit 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from salessim.classroom.debrief import debrief_folder
from salessim.classroom.errors import RefusedError
from salessim.classroom.export import write_csv
from salessim.classroom.names import MAX_TEAMS
from salessim.classroom.records import Credentials, Status
from salessim.classroom.room import Classroom
from salessim.cli.common import (
    SchedulerOption,
    app,
    cannot_write,
    fail,
    finite,
    path_option,
    progress_bar,
    refuse,
    stderr,
)
from salessim.report.format import printable
from salessim.scenario.errors import ScenarioError
from salessim.scenario.limits import MAX_LUCK_SEEDS, MAX_SEED

classroom = typer.Typer(
    help="Run an exercise for a class: teams join by link, rounds close on a clock or by hand.",
    no_args_is_help=True,
)
app.add_typer(classroom, name="classroom")

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
NAMES_FILE_BYTES = 1_000_000  # a names file is a few hundred bytes; a wrong file is refused

DbOption = Annotated[
    Path,
    typer.Option(
        "--db", metavar="CLASS.sqlite", help="The class's database file.", callback=path_option
    ),
]


@classroom.command()
def new(
    scenario: Annotated[
        str, typer.Argument(help="The exercise: a scenario file or bundled name (first_team).")
    ],
    db: DbOption,
    teams: Annotated[int | None, typer.Option(help=f"How many teams (1 to {MAX_TEAMS}).")] = None,
    names: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="The teams' names, one a line (instead of Team 1, Team 2...).",
            callback=path_option,
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, max=MAX_SEED, help="The class's seed: every team plays it.")
    ] = 0,
    round_minutes: Annotated[
        float | None,
        typer.Option(
            callback=finite,
            help="Close each round this many minutes after it opens (default: by hand).",
        ),
    ] = None,
    base_url: Annotated[
        str, typer.Option(help="Where the class will be served, for the links.")
    ] = DEFAULT_BASE_URL,
) -> None:
    """Make a class: print the instructor's link and each team's join link."""
    if not base_url.startswith(("http://", "https://")):
        raise refuse(f"--base-url: give an http:// or https:// address, not {base_url!r}")
    chosen: int | list[str]
    if names is not None:
        chosen = _read_names(names)
        if not 1 <= len(chosen) <= MAX_TEAMS:
            raise refuse(
                f"--names: {names} names {len(chosen)} teams; a class has 1 to {MAX_TEAMS}"
            )
        if teams is not None and teams != len(chosen):
            raise refuse(f"--names: {names} names {len(chosen)} teams but --teams is {teams}")
    elif teams is None:
        raise refuse("--teams: say how many teams (or give their names with --names)")
    else:
        chosen = teams
    try:
        room, credentials = Classroom.create(
            db, scenario, teams=chosen, seed=seed, round_minutes=round_minutes, workers=0
        )
    except ScenarioError as error:
        raise fail(error) from None
    except ValueError as error:
        raise refuse(_option_named(str(error), names)) from None
    except OSError as error:
        raise cannot_write("--db", db, error) from None
    with room:
        status = room.status()
    links = _write_links(db, credentials, base_url)
    timer = f"{round_minutes:g}-minute rounds" if round_minutes else "rounds closed by hand"
    print(
        f"Class {status.name}: {status.scenario}, {len(status.teams)} teams, "
        f"{status.turns} rounds, {timer}, seed {seed}."
    )
    instructor, joins = credentials.links(base_url)
    print(f"Instructor: {instructor}")
    for team, link in joins.items():
        print(f"{team}: {link}")
    if links is not None:
        print(f"The links are in {links} (keep it private: each link lets its holder in).")
    print(f"Serve the class with: salessim classroom serve --db {db}")
    if round_minutes:
        print(
            "Round 1's clock waits for you: start it on the instructor's page, or with "
            f"salessim classroom start --db {db}, when the class is ready."
        )


@classroom.command()
def start(db: DbOption) -> None:
    """Start the round's clock (a new class waits for it), or resume it after a pause."""
    with _opened(db) as room:
        try:
            room.resume()
        except RefusedError as error:
            raise refuse(str(error)) from None
        status = room.status()
    print(_round_line(status))


@classroom.command()
def advance(db: DbOption) -> None:
    """Close the round open now: every team's turn is played (bots for those with none)."""
    with _opened(db) as room:
        try:
            closed = room.close_round()
        except RefusedError as error:
            raise refuse(str(error)) from None
        status = room.status()
        played = {team.id: room.history(team.id) for team in status.teams}
    turns = {
        team: records[closed - 1] for team, records in played.items() if len(records) >= closed
    }
    kinds = Counter(record.source for record in turns.values())
    bots = Counter(record.bot for record in turns.values() if record.bot)
    used = ", ".join(f"{bot} {count}" for bot, count in sorted(bots.items()))
    print(
        f"Round {closed} closed: {len(turns)} teams played "
        f"({kinds['submission']} submitted, {kinds['draft']} from drafts, "
        f"{kinds['bot']} by bots{': ' + used if used else ''})."
    )
    for team in status.teams:
        record = turns.get(team.id)
        if record is not None:
            who = f"by {record.author}" if record.author else f"({record.bot})"
            print(f"  {team.name}: {record.source} {who}")
    print(_round_line(status))


@classroom.command()
def status(db: DbOption) -> None:
    """Show the round, its deadline and which teams have submitted."""
    with _opened(db) as room:
        now = room.status()
    print(f"Class {now.name}: {now.scenario}; bot for missing turns: {now.bot}.")
    print(_round_line(now))
    width = max(len(team.name) for team in now.teams)
    for team in now.teams:
        if team.finished:
            said = "finished"
        elif team.submitted_by:
            said = f"submitted by {team.submitted_by}"
        elif team.draft_by:
            said = f"draft by {team.draft_by}, not submitted"
        else:
            said = "nothing yet"
        print(f"  {team.name:<{width}}  {team.turn} turns played  {said}")


@classroom.command()
def export(
    db: DbOption,
    out: Annotated[
        Path,
        typer.Option(
            metavar="DIR", help="Write the export into this directory.", callback=path_option
        ),
    ],
) -> None:
    """Write decisions.csv, scores.csv and a save file per team (salessim replay rebuilds it)."""
    with _opened(db) as room:
        try:
            files = room.export(out)
        except OSError as error:
            raise cannot_write("--out", out, error) from None
    print(f"Wrote {len(files)} files to {out}: decisions.csv, scores.csv, saves/ (one per team).")


@classroom.command()
def debrief(
    db: DbOption,
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Write debrief.html, debrief.md and debrief.json here "
            "(default: CLASS-debrief beside the database).",
            callback=path_option,
        ),
    ] = None,
    seeds: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=MAX_LUCK_SEEDS,
            help="Replay each team's decisions on this many other seeds "
            "(default: the exercise's luck_seeds).",
        ),
    ] = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Debrief the class: scores, luck against skill, key decisions, what the best teams did."""
    from salessim.experiments.cluster import ClusterError
    from salessim.game.forking import ReplayError

    folder = out or debrief_folder(db)
    with _opened(db, workers=0) as room, progress_bar("Class debrief") as progress:
        try:
            found = room.debrief(seeds=seeds, scheduler=scheduler, progress=progress)
        except RefusedError as error:
            raise refuse(str(error)) from None
        except ClusterError as error:
            raise refuse(f"--scheduler: {error}") from None
        except ReplayError as error:  # not the input's fault: exit 1, with what failed
            stderr.print(printable(f"the class debrief stopped: {error}"), markup=False)
            raise typer.Exit(code=1) from None
    try:
        found.write(folder)
    except OSError as error:
        raise cannot_write("--out", folder, error) from None
    print("\n".join(printable(line) for line in found.lines()))
    print(f"\nWrote debrief.html, debrief.md and debrief.json to {printable(str(folder))}.")


@classroom.command()
def serve(
    db: DbOption,
    host: Annotated[str, typer.Option(help="Listen on this address (this machine only).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Listen on this port.")] = 8000,
) -> None:
    """Serve the class's web pages: the teams', the instructor's and the leaderboard."""
    with _opened(db, workers=0):
        pass  # a class database, with any close a crash left half-way finished
    try:
        from salessim.classroom.web.app import serve as serve_class
    except ImportError as error:
        raise refuse(
            f"the classroom web app cannot start ({error}); "
            "install the extra: pip install 'salessim[classroom]'"
        ) from None
    serve_class(db, host, port)


# ----------------------------------------------------------------------------- helpers
OPTIONS = {"teams:": "--teams:", "seed:": "--seed:", "round minutes:": "--round-minutes:"}


def _option_named(message: str, names: Path | None) -> str:
    """A refusal of ``Classroom.create`` as the option that caused it."""
    for start, option in OPTIONS.items():
        if message.startswith(start):
            return option + message.removeprefix(start)
    if message.startswith("team name") and names is not None:
        return f"--names: {names}: {message}"
    if "exists already" in message:
        return f"--db: {message}"
    return message


@contextlib.contextmanager
def _opened(db: Path, workers: int | None = None) -> Iterator[Classroom]:
    try:
        room = Classroom.open(db, workers=workers)
    except ValueError as error:
        raise refuse(f"--db: {error}") from None
    with room:
        yield room


def _read_names(path: Path) -> list[str]:
    """The team names in a file, one a line, blank lines skipped."""
    try:
        with path.open("rb") as stream:
            data = stream.read(NAMES_FILE_BYTES + 1)  # a device or a huge file: only so much
        if len(data) > NAMES_FILE_BYTES:
            raise refuse(f"--names: {path} is too big for a list of names")
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse(f"--names: {path} is not UTF-8 text") from None
    except OSError as error:
        raise refuse(f"--names: cannot read {path}: {error.strerror or error}") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _write_links(db: Path, credentials: Credentials, base_url: str) -> Path | None:
    """Write CLASS-links.csv beside the database, readable by its owner only; None if it fails."""
    target = db.with_name(f"{db.stem}-links.csv")
    instructor, joins = credentials.links(base_url)
    rows = [["instructor", "", instructor], *(["team", team, link] for team, link in joins.items())]
    try:
        target.unlink(missing_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(descriptor)
        return write_csv(target, ["role", "team", "link"], rows)
    except OSError as error:
        print(f"Could not write the links to {target} ({error.strerror or error}); copy them now.")
        return None


def _round_line(status: Status) -> str:
    """The round open now and its clock, in words."""
    if status.over:
        return f"All {status.turns} rounds are played: the game is over."
    opened = f"Round {status.round} of {status.turns} is open"
    submitted = sum(1 for team in status.teams if team.submitted_by)
    count = f"{submitted} of {len(status.teams)} teams submitted"
    if status.paused or status.waiting_to_start:
        left = "" if status.remaining is None else f", {status.remaining / 60:.0f} min left"
        said = "waiting for its clock to start" if status.waiting_to_start else "paused"
        return f"{opened} but {said}{left} (salessim classroom start); {count}."
    if status.deadline is None:
        return f"{opened} until closed by hand; {count}."
    when = dt.datetime.fromtimestamp(status.deadline).strftime("%Y-%m-%d %H:%M:%S")
    minutes = (status.deadline - dt.datetime.now().timestamp()) / 60
    remaining = f"{minutes:.0f} min left" if minutes > 0 else "past it: it closes on the next tick"
    return f"{opened} until {when} ({remaining}); {count}."
