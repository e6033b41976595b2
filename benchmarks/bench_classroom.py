"""How a served class holds up: every team of a class through every round, over HTTP.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_classroom.py             # 60 teams, 20 clients
    PYTHONPATH=src python benchmarks/bench_classroom.py --quick     # 10 teams, 2 luck seeds
    PYTHONPATH=src python benchmarks/bench_classroom.py --json      # machine-readable
    PYTHONPATH=src python benchmarks/bench_classroom.py --check     # exit 1 if a target fails

In a temporary folder the script makes a class of ``--teams`` teams of ``--exercise``
(``first_team``) with ``salessim classroom new`` (no round clock: the instructor closes
each round), serves it with ``salessim classroom serve`` on 127.0.0.1 (never another
address) and drives it with ``--clients`` concurrent HTTP clients at most (20), one
client per team with its own cookies: every team joins, and each round every team loads
its page and, by turns, saves two drafts and submits, saves one draft and submits, saves
a draft only, or does nothing (the bot plays); then the instructor closes the round, as
the page's button does. At the end every team's page must list each turn as played
from what the team left: its submission, its draft, or the bot. Figures
(``benchmarks/README.md`` explains them):

1. ``page``, ``draft``, ``submit`` and ``briefing`` (a team's page polled after a
   close): request latency, p50 and p95. With ``--live`` every team also keeps its page
   open, listening to the event stream and fetching its live panel on every change as a
   browser does (``live``), beyond the bound on clients.
2. ``round_close``: from the instructor's close request until every team's page shows
   the next turn's briefing (each team's page polled), the longest over the rounds.
   Target: 15 seconds.
3. ``class_debrief``: ``salessim classroom debrief`` of the class, run as a command
   (the exercise's luck seeds; 2 with ``--quick``). Target: 2 minutes.
4. ``errors``: responses other than 2xx or 3xx, exceptions, pages that did not say what
   they should (a turn played from elsewhere too), errors in the server's log, a command
   that failed, a server that did not stop on Ctrl-C. Target: 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import importlib.util
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("salessim") is None:  # a checkout that is not installed
    sys.path.insert(0, str(ROOT / "src"))

from figures import Figure, Report, as_json, log, table  # noqa: E402

import salessim  # noqa: E402
from salessim.classroom.web.forms import FOCUSES  # noqa: E402

HOST = "127.0.0.1"
EXERCISE = "first_team"
TEAMS = 60
QUICK_TEAMS = 10
CLIENTS = 20
QUICK_LUCK_SEEDS = 2
CLOSE_BUDGET_SECONDS = 15.0
DEBRIEF_BUDGET_SECONDS = 120.0
START_SECONDS = 60.0  # the server must answer within this
STOP_SECONDS = 30.0  # and stop within this after Ctrl-C
REQUEST_SECONDS = 120.0  # a request that takes longer is an error
CLOSE_REQUEST_SECONDS = 600.0
READY_SECONDS = 120.0  # a briefing not ready this long after a close is an error
POLL_SECONDS = 0.2
DEBRIEF_SECONDS = 1800.0
KINDS = ("page", "draft", "submit", "briefing", "live")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
TURNS = re.compile(r"<h2>Turn (\d+) of (\d+)</h2>")
ACCEPTED = "The game accepts this draft."
SAVED = "Saved as your team's draft"
OVER = "The game is over"
BOT, DRAFT, SUBMITTED = "played by the bot", "the last draft", "submitted"
PLAYED = re.compile(
    r'<li value="(\d+)">(?:<span class="bot">)?(played by the bot|the last draft|submitted)'
)


# ----------------------------------------------------------------------------- tallies
@dataclass
class Tally:
    """Every request's latency by kind, and every error in words."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    refused_drafts: int = 0  # drafts the game would refuse (a hire over budget): not errors

    def error(self, text: str) -> None:
        """Count an error (and say it on stderr as it happens)."""
        self.errors.append(text)
        log(f"error: {text}")


class Browser:
    """One HTTP client with its own cookies; every request timed, every failure counted."""

    def __init__(self, base: str, name: str, tally: Tally, timeout: float = REQUEST_SECONDS):
        self.name = name
        self.base = base
        self.tally = tally
        self.csrf: str | None = None
        self.turn = 0  # the turn of the team page it saw last
        self.sources: dict[int, str] = {}  # where each turn should come from, as the page says
        self.client = httpx.AsyncClient(base_url=base, timeout=timeout, follow_redirects=False)

    async def call(
        self, kind: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> httpx.Response | None:
        """A request timed under ``kind``; None (and an error) unless it answers 2xx or 3xx."""
        shown = path.split("?")[0] if path.startswith("/instructor") else path
        shown = "/join/..." if path.startswith("/join/") else shown  # no tokens in the output
        if method == "POST":
            form = {**(form or {}), "csrf": self.csrf or ""}
        headers = {"origin": self.base} if method == "POST" else None
        started = time.perf_counter()
        try:
            response = await self.client.request(method, path, data=form, headers=headers)
        except Exception as error:  # every exception is an error, whatever it is
            self.tally.error(f"{self.name}: {method} {shown}: {type(error).__name__}: {error}")
            return None
        self.tally.seconds[kind].append(time.perf_counter() - started)
        if not 200 <= response.status_code < 400:
            self.tally.error(f"{self.name}: {method} {shown}: HTTP {response.status_code}")
            return None
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        turn = TURNS.search(response.text) if path.startswith("/team") else None
        if turn:
            self.turn = int(turn.group(1))
        return response

    def expect(self, response: httpx.Response | None, text: str, what: str) -> bool:
        """Whether ``response`` holds ``text``; an error if it came but does not."""
        if response is None:
            return False
        if text in response.text:
            return True
        self.tally.error(f"{self.name}: {what}: the page does not say {text!r}")
        return False


# ----------------------------------------------------------------------------- the teams
def decisions(team: int, turn: int, *, hire: bool) -> dict[str, str]:
    """A team's form for a turn: coaching, awards, training now and then, an AE hire if asked."""
    form = {
        "coaching.hours": str(1 + (team + turn) % 5),
        "coaching.focus": FOCUSES[(team + 2 * turn) % len(FOCUSES)],
        "recognition": str((team * turn) % 3),
    }
    if (team + turn) % 3 == 0:
        form["training_every_months"] = str(2 + team % 4)
    if hire:
        form["hire.ae.count"] = "1"
        if team % 2:
            form["hire.ae.offer"] = "1.1x"
    return form


async def join(browser: Browser, token: str, member: str) -> bool:
    """Open the team's link and join it under ``member``; on to the team's page."""
    if await browser.call("join", "GET", f"/join/{token}") is None:
        return False
    joined = await browser.call("join", "POST", f"/join/{token}", {"member": member})
    if joined is None or joined.headers.get("location") != "/team":
        if joined is not None:
            browser.tally.error(f"{browser.name}: joining did not lead to /team")
        return False
    return await browser.call("page", "GET", "/team") is not None


async def save_draft(browser: Browser, turn: int, form: dict[str, str]) -> bool:
    """Save ``form`` as the team's draft; whether the game accepts it."""
    saved = await browser.call("draft", "POST", "/team/draft", {"turn": str(turn), **form})
    if not browser.expect(saved, SAVED, f"draft of turn {turn}"):
        return False
    assert saved is not None
    if ACCEPTED in saved.text:
        return True
    browser.tally.refused_drafts += 1
    return False


async def play_round(browser: Browser, team: int, turn: int) -> None:
    """A team's round: its page; two drafts and a submission, one and one, a draft, or nothing.

    The team's plan turns with the round, so every team does each in turn. A draft the
    game refuses (a hire the budget cannot take) is followed by one without the hire;
    only a draft the game accepts is submitted.
    """
    page = await browser.call("page", "GET", "/team")
    if not browser.expect(page, f"<h2>Turn {turn} of", f"page of turn {turn}"):
        return
    plan = (team + turn) % 4
    browser.sources[turn] = BOT
    if plan == 3:
        return  # nothing: the bot plays for the team
    form = decisions(team, turn, hire=plan == 0)
    accepted = await save_draft(browser, turn, form)
    if plan == 0:
        form = decisions(team, turn + 1, hire=accepted)  # a second thought
        accepted = await save_draft(browser, turn, form)
    if not accepted:
        return  # refused: the bot plays
    browser.sources[turn] = DRAFT
    if plan == 2:
        return  # the draft stands
    submitted = await browser.call("submit", "POST", "/team/submit", {"turn": str(turn), **form})
    if submitted is None:
        return
    if submitted.headers.get("location") != "/team?done=submitted":
        browser.tally.error(f"{browser.name}: the submission of turn {turn} was not taken")
        return
    browser.sources[turn] = SUBMITTED
    await browser.call("page", "GET", "/team?done=submitted")


def check_history(browser: Browser, page: httpx.Response | None) -> None:
    """Every turn on the team's page was played from what the team left: an error if not."""
    if page is None:
        return
    played = {int(turn): source for turn, source in PLAYED.findall(page.text)}
    for turn, source in browser.sources.items():
        if played.get(turn) != source:
            browser.tally.error(
                f"{browser.name}: turn {turn} was played from {played.get(turn)!r}, not {source!r}"
            )


async def briefing_ready(
    browser: Browser, marker: str, started: float, clients: asyncio.Semaphore
) -> float:
    """Seconds from ``started`` until the team's page shows ``marker`` (polled)."""
    while True:
        async with clients:
            page = await browser.call("briefing", "GET", "/team")
        if page is not None and marker in page.text:
            return time.perf_counter() - started
        if time.perf_counter() - started > READY_SECONDS:
            browser.tally.error(
                f"{browser.name}: no {marker!r} {READY_SECONDS:g} s after the close"
            )
            return time.perf_counter() - started
        await asyncio.sleep(POLL_SECONDS)


async def listen(browser: Browser) -> None:
    """An open team page: its event stream, its live panel fetched on every change.

    As the page's script does: on each ``changed`` with a version it has not seen, it
    fetches ``/team/live`` for the turn it shows, and reloads the page when told to
    (the turn moved on). It listens again when the stream ends, until cancelled.
    """
    seen = None
    while True:
        try:
            async with browser.client.stream("GET", "/events", timeout=None) as stream:
                if stream.status_code != 200:
                    browser.tally.error(f"{browser.name}: GET /events: HTTP {stream.status_code}")
                    return
                async for line in stream.aiter_lines():
                    if not line.startswith("data: ") or line[6:] == seen:
                        continue
                    seen = line[6:]
                    live = await browser.call("live", "GET", f"/team/live?turn={browser.turn}")
                    if live is not None and live.headers.get("hx-refresh") == "true":
                        await browser.call("page", "GET", "/team")
        except asyncio.CancelledError:
            raise
        except Exception as error:  # every exception is an error, whatever it is
            browser.tally.error(f"{browser.name}: GET /events: {type(error).__name__}: {error}")
            return


# ----------------------------------------------------------------------------- the class
@dataclass
class Rounds:
    """What the rounds measured: each close's request and the wait for every briefing."""

    close_seconds: list[float] = field(default_factory=list)
    ready_seconds: list[float] = field(default_factory=list)
    join_seconds: float = 0.0
    turns: int = 0
    sources: Counter[str] = field(default_factory=Counter)  # turns by where they came from


async def drive(
    base: str,
    links: dict[str, str],
    key: str,
    clients: int,
    live: bool,
    tally: Tally,
    rounds: Rounds,
) -> None:
    """Every team joins, then plays every round; the instructor closes each (into ``rounds``).

    With ``live``, every team also keeps its page open (:func:`listen`) from joining to
    the end, outside the bound on concurrent clients.
    """
    gate = asyncio.Semaphore(clients)
    listeners: list[asyncio.Task[None]] = []
    teams = [Browser(base, name, tally) for name in links]
    instructor = Browser(base, "instructor", tally, timeout=CLOSE_REQUEST_SECONDS)
    try:

        async def joined(browser: Browser, token: str, n: int) -> None:
            async with gate:
                await join(browser, token, f"Member {n + 1}")

        started = time.perf_counter()
        await asyncio.gather(
            *(
                joined(b, token, n)
                for n, (b, token) in enumerate(zip(teams, links.values(), strict=True))
            )
        )
        rounds.join_seconds = time.perf_counter() - started
        if live:
            listeners = [asyncio.create_task(listen(browser)) for browser in teams]
        await instructor.call("instructor", "GET", f"/instructor?key={key}")
        first = await instructor.call("instructor", "GET", "/instructor")
        page = await teams[0].call("page", "GET", "/team")
        shown = TURNS.search(page.text) if page is not None else None
        if first is None or shown is None:
            raise RuntimeError("the instructor's or the first team's page did not load")
        rounds.turns = int(shown.group(2))
        for turn in range(1, rounds.turns + 1):
            log(f"round {turn} of {rounds.turns}: {len(teams)} teams decide ...")

            async def played(browser: Browser, team: int, turn: int = turn) -> None:
                async with gate:
                    await play_round(browser, team, turn)

            await asyncio.gather(*(played(b, n) for n, b in enumerate(teams)))
            marker = f"<h2>Turn {turn + 1} of" if turn < rounds.turns else OVER
            page = await instructor.call("instructor", "GET", "/instructor")
            instructor.expect(page, f'name="round" value="{turn}"', f"instructor, round {turn}")
            started = time.perf_counter()
            closed = await instructor.call(
                "close", "POST", "/instructor/close", {"round": str(turn)}
            )
            rounds.close_seconds.append(time.perf_counter() - started)
            if closed is not None and closed.headers.get("location") != "/instructor?done=closed":
                tally.error(f"instructor: round {turn} was not closed")
            waits = await asyncio.gather(*(briefing_ready(b, marker, started, gate) for b in teams))
            rounds.ready_seconds.append(max(waits))
            log(f"round {turn} closed and every briefing ready in {max(waits):.1f} s")

        async def checked(browser: Browser) -> None:
            async with gate:
                check_history(browser, await browser.call("page", "GET", "/team"))

        await asyncio.gather(*(checked(browser) for browser in teams))
        for browser in teams:
            rounds.sources.update(browser.sources.values())
    finally:
        for listener in listeners:
            listener.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
        for browser in [*teams, instructor]:
            await browser.client.aclose()


# ----------------------------------------------------------------------------- processes
def command(*arguments: str) -> list[str]:
    """``salessim ARGUMENTS`` run by this Python."""
    return [sys.executable, "-m", "salessim", *arguments]


def environment() -> dict[str, str]:
    """This environment, with the salessim this script imported first on the path."""
    source = str(Path(salessim.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def free_port() -> int:
    """A port nobody listens on at 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def new_class(
    folder: Path, exercise: str, teams: int, base: str
) -> tuple[Path, dict[str, str], str]:
    """``salessim classroom new``: the database, each team's join token, the instructor's key."""
    db = folder / "class.sqlite"
    made = subprocess.run(
        command("classroom", "new", exercise, "--teams", str(teams), "--db", str(db),
                "--base-url", base),
        capture_output=True, text=True, env=environment(), timeout=600, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        raise RuntimeError(f"classroom new failed: {made.stderr.strip() or made.stdout.strip()}")
    links: dict[str, str] = {}
    key = ""
    with (folder / "class-links.csv").open(newline="") as rows:
        for row in csv.DictReader(rows):
            if row["role"] == "team":
                links[row["team"]] = row["link"].rsplit("/join/", 1)[1]
            else:
                key = row["link"].rsplit("key=", 1)[1]
    return db, links, key


@contextlib.contextmanager
def served(db: Path, port: int, tally: Tally, notes: list[str]) -> Iterator[str]:
    """``salessim classroom serve`` on 127.0.0.1 until the block ends, then Ctrl-C.

    The server's output goes to a file; a traceback or an ERROR in it is an error, and
    so is a server that does not stop within :data:`STOP_SECONDS` of Ctrl-C (it is
    killed).
    """
    output = db.with_name("server.log")
    base = f"http://{HOST}:{port}"
    with output.open("w") as sink:
        server = subprocess.Popen(
            command("classroom", "serve", "--db", str(db), "--host", HOST, "--port", str(port)),
            stdout=sink, stderr=subprocess.STDOUT, env=environment(),
        )  # fmt: skip
    try:
        wait_until_up(base, server, output)
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            tally.error(f"the server did not stop within {STOP_SECONDS:g} s of Ctrl-C: killed")
        else:
            notes.append(f"the server stopped on Ctrl-C with exit code {code}")
            if code != 0:
                tally.error(f"the server stopped with exit code {code}")
        logged = output.read_text(errors="replace")
        if "Traceback" in logged or "ERROR" in logged:
            tally.error(f"the server logged errors:\n{logged[-3000:]}")


def wait_until_up(base: str, server: subprocess.Popen[bytes], output: Path) -> None:
    """Until the server answers at ``base``; it must within :data:`START_SECONDS`."""
    ends = time.monotonic() + START_SECONDS
    while time.monotonic() < ends:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at once:\n{output.read_text()[-3000:]}")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(base + "/", timeout=2)
            return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {START_SECONDS:g} s")


def debrief(db: Path, seeds: int | None, tally: Tally) -> float | None:
    """Wall seconds of ``salessim classroom debrief`` of the class; None if it failed."""
    options = [] if seeds is None else ["--seeds", str(seeds)]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command("classroom", "debrief", "--db", str(db), "--out", str(db.parent / "debrief"),
                    *options),
            capture_output=True, text=True, env=environment(), timeout=DEBRIEF_SECONDS,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        tally.error(f"classroom debrief ran past {DEBRIEF_SECONDS:g} s: stopped")
        return None
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        log(done.stderr[-4000:])
        said = done.stderr.strip().splitlines() or ["no message"]
        tally.error(f"classroom debrief failed (exit {done.returncode}): {said[-1]}")
        return None
    return seconds


# ----------------------------------------------------------------------------- the figures
def percentile(values: list[float], share: float) -> float | None:
    """The ``share`` quantile of ``values`` (inclusive method); None when there are none."""
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def figures(report: Report, tally: Tally, rounds: Rounds, debriefed: float | None) -> None:
    """The report's rows from what was measured."""
    for kind in KINDS:
        if kind == "live" and not report.settings["live"]:
            continue
        ms = [seconds * 1e3 for seconds in tally.seconds.get(kind, [])]
        for name, share in (("p50", 0.5), ("p95", 0.95)):
            report.figures.append(
                Figure(
                    f"{kind}_{name}",
                    f"{kind} {name}",
                    "ms",
                    percentile(ms, share),
                    detail=f"{len(ms)} requests" if name == "p50" else "",
                )
            )
    ready = max(rounds.ready_seconds, default=None)
    close = Figure(
        "round_close",
        "round close + briefings",
        "s",
        ready,
        CLOSE_BUDGET_SECONDS,
        "<= 1",
        detail="close request until every team's page shows the next briefing (each page "
        "polled), the longest of the rounds; rounds: "
        + ", ".join(f"{s:.1f}" for s in rounds.ready_seconds)
        + " s; the close request alone: "
        + ", ".join(f"{s:.1f}" for s in rounds.close_seconds)
        + " s",
    )
    report.figures.append(close.judge() if ready is not None else close)
    if ready is None:
        close.status = "ERROR"
    seeds = report.settings["luck_seeds"]
    done = Figure(
        "class_debrief",
        "class debrief",
        "s",
        debriefed,
        DEBRIEF_BUDGET_SECONDS,
        "<= 1",
        detail=f"classroom debrief of {report.settings['teams']} teams, {seeds} luck seeds",
    )
    report.figures.append(done.judge() if debriefed is not None else done)
    if not report.settings["debrief"]:
        done.status, done.detail = "SKIP", "--no-debrief"
    elif debriefed is None:
        done.status = "ERROR"
    errors = Figure("errors", "errors", "", float(len(tally.errors)), target="= 0")
    errors.status = "PASS" if not tally.errors else "FAIL"
    errors.detail = "; ".join(tally.errors[:10]) + (" ..." if len(tally.errors) > 10 else "")
    report.figures.append(errors)


def busy() -> str:
    """How busy the machine is: its cores and load averages."""
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} {five:.2f} {fifteen:.2f}"


def measure(args: argparse.Namespace, seeds: int | None, report: Report) -> None:
    """Make the class, serve it, drive it, debrief it; the figures into ``report``."""
    tally = Tally()
    rounds = Rounds()
    debriefed = None
    port = args.port or free_port()
    with tempfile.TemporaryDirectory(prefix="bench-classroom-") as folder:
        log(f"making a class of {args.teams} teams of {args.exercise} ...")
        try:
            db, links, key = new_class(
                Path(folder), args.exercise, args.teams, f"http://{HOST}:{port}"
            )
            with served(db, port, tally, report.notes) as base:
                log(f"served at {base}; {args.teams} teams join with {args.clients} clients ...")
                asyncio.run(drive(base, links, key, args.clients, args.live, tally, rounds))
                if not args.no_debrief:
                    log("the class debrief ...")
                    debriefed = debrief(db, seeds, tally)
        except Exception as error:  # the run stopped: say why, as an error
            tally.error(f"{type(error).__name__}: {error}")
    report.notes.append(
        f"{args.teams} teams joined in {rounds.join_seconds:.1f} s; {rounds.turns} rounds; "
        f"{tally.refused_drafts} drafts the game would refuse (a hire over budget); turns "
        f"played: {rounds.sources[SUBMITTED]} submitted, {rounds.sources[DRAFT]} from a draft, "
        f"{rounds.sources[BOT]} by the bot, each as the team's page says"
    )
    figures(report, tally, rounds, debriefed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--teams", type=int, help=f"teams in the class ({TEAMS}; {QUICK_TEAMS} quick)"
    )
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent clients at most")
    parser.add_argument("--exercise", default=EXERCISE, help="the exercise the class plays")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LUCK_SEEDS} luck seeds")
    parser.add_argument("--no-debrief", action="store_true", help="skip the class debrief")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    parser.add_argument(
        "--live", action="store_true", help="every team's page also listens for changes"
    )
    parser.add_argument("--host", default=HOST, help=f"where to serve: {HOST} only")
    parser.add_argument("--port", type=int, help="the server's port (default: a free one)")
    args = parser.parse_args(argv)
    if args.host != HOST:
        parser.error(f"--host: the benchmark serves on {HOST} only, not {args.host!r}")
    if args.teams is None:
        args.teams = QUICK_TEAMS if args.quick else TEAMS
    if not 1 <= args.teams <= 200:
        parser.error(f"--teams: a class has 1 to 200 teams, not {args.teams}")
    if args.clients < 1:
        parser.error(f"--clients: at least 1, not {args.clients}")
    seeds = QUICK_LUCK_SEEDS if args.quick else None
    settings = {
        "exercise": args.exercise,
        "teams": args.teams,
        "clients": args.clients,
        "live": args.live,
        "debrief": not args.no_debrief,
        "luck_seeds": seeds if seeds is not None else "the exercise's",
    }
    report = Report("quick" if args.quick else "full", settings)
    report.notes.append(f"at the start: {busy()}")
    started = time.perf_counter()
    measure(args, seeds, report)
    report.notes.append(f"at the end: {busy()}")
    report.notes.append(f"{report.mode} run took {time.perf_counter() - started:.0f} s")
    print(as_json(report, salessim=salessim.__version__) if args.json else table(report, "budget"))
    failed = [f.key for f in report.figures if f.status in ("FAIL", "ERROR")]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
