"""The classroom's web app: teams decide, the instructor runs the rounds, a projector ranks.

=======================  ==============================================================
``GET /join/{token}``    a team's link: the form to join it under a member's name
``POST /join/{token}``   joins: sets the team's cookie, redirects to ``/team``
``GET /team``            the briefing, the round's deadline, proposals, the decision form
``POST /team/draft``     saves the draft as it is typed; answers with its check (htmx)
``POST /team/propose``   shares the form as the member's proposal
``POST /team/submit``    submits it for the team (once; withdraw to change it)
``POST /team/withdraw``  withdraws the team's submission
``GET /instructor``      with ``?key=``: sets the instructor's cookie; else the round's page
``POST /instructor/*``   ``close``, ``extend`` (minutes), ``pause``, ``resume``, ``bot``
``GET /board``           the leaderboard for the projector (``?key=`` sets its cookie)
``GET /events``          server-sent events: ``changed`` whenever anything visible moves
=======================  ==============================================================

Live parts of a page (``/team/live``, ``/instructor/live``, ``/board/live``) fetch
themselves again on ``changed``; a team's page reloads whole when its turn moves on.
The team comes from its cookie only (:mod:`.security`); every call on the classroom
runs in its own thread, one at a time (:mod:`.live`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from salessim.classroom.room import RefusedError
from salessim.classroom.web import views
from salessim.classroom.web.forms import (
    BACKFILLS,
    FOCUSES,
    ROLES,
    ROUTINGS,
    Reading,
    read_form,
    typed_of,
    within,
)
from salessim.classroom.web.live import Hub, Lane, keep_time, stream
from salessim.classroom.web.security import (
    HEADERS,
    Pass,
    Role,
    SecurityHeaders,
    Signer,
    csrf_matches,
    member_name,
    same_origin,
)
from salessim.report.format import MISSING, count, label, money, number, percent, role_label

if TYPE_CHECKING:
    from salessim.classroom.room import Check, Classroom, Status, TeamStatus

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
MAX_BODY_BYTES = 64 * 1024
"""The largest request body: a decision form is a few kilobytes."""
MAX_FORM_FIELDS = 200
MAX_EXTEND_MINUTES = 24 * 60.0
SECRET_BYTES = 32
NOTICES = {
    "proposed": "Your proposal is shared with your team.",
    "submitted": "Submitted for your team. Withdraw it to change it before the deadline.",
    "withdrawn": "The submission is withdrawn: the team's draft stands until someone submits.",
    "closed": "The round is closed: every team's turn is played.",
    "extended": "The deadline is extended.",
    "paused": "The round's clock is paused: no round closes and teams cannot submit.",
    "resumed": "The round's clock runs again.",
    "bot": "The bot is chosen for the teams that do not decide.",
}
DONE = {"propose": "proposed", "submit": "submitted", "withdraw": "withdrawn"}


@dataclass
class Site:
    """The app's parts: the classroom (opened at start), its lane, the hub, the signer."""

    open_room: Callable[[], Classroom]
    signer: Signer
    now: Callable[[], float]
    lane: Lane
    hub: Hub
    templates: Jinja2Templates
    tick_seconds: float
    stream_seconds: float
    heartbeat_seconds: float
    room_: Classroom | None = None

    @property
    def room(self) -> Classroom:
        """The classroom, once the app has started."""
        if self.room_ is None:
            raise RuntimeError("the app has not started: use it as an ASGI app with a lifespan")
        return self.room_

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in the classroom's lane."""
        return await self.lane(function, *args)


def create_app(
    open_room: Callable[[], Classroom],
    *,
    secret: bytes,
    now: Callable[[], float] = time.time,
    tick_seconds: float = 1.0,
    poll_seconds: float = 0.5,
    stream_seconds: float = 300.0,
    heartbeat_seconds: float = 15.0,
) -> Starlette:
    """The app for the classroom ``open_room`` opens (in the app's lane, when it starts).

    Args:
        open_room: opens the classroom; it is closed when the app stops.
        secret: signs the cookies; the same secret keeps members joined over a restart.
        now: the classroom's clock (for the time left to a deadline).
        tick_seconds: how often the round timer asks whether the deadline passed.
        poll_seconds: how often the classroom's version is read for the event streams.
        stream_seconds: how long an event stream lasts before the browser reconnects.
        heartbeat_seconds: how long a quiet event stream waits before a keep-alive.
    """
    lane = Lane()
    site = Site(
        open_room=open_room,
        signer=Signer(secret),
        now=now,
        lane=lane,
        hub=Hub(lambda: lane(site.room.version), poll_seconds),
        templates=_templates(),
        tick_seconds=tick_seconds,
        stream_seconds=stream_seconds,
        heartbeat_seconds=heartbeat_seconds,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        site.room_ = await lane(open_room)
        await site.hub.poll()
        tasks = [
            asyncio.create_task(keep_time(lambda: lane(site.room.tick), tick_seconds)),
            asyncio.create_task(site.hub.run()),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await lane(site.room.close)
            lane.close()

    app = Starlette(
        routes=_routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(RequestBodyLimitMiddleware, max_body_size=MAX_BODY_BYTES),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.site = site
    return app


def _routes() -> list[Route | Mount]:
    return [
        Route("/", index),
        Route("/join/{token}", join_page),
        Route("/join/{token}", join, methods=["POST"]),
        Route("/team", team_page),
        Route("/team/live", team_live),
        Route("/team/draft", team_draft, methods=["POST"]),
        Route("/team/propose", team_propose, methods=["POST"]),
        Route("/team/submit", team_submit, methods=["POST"]),
        Route("/team/withdraw", team_withdraw, methods=["POST"]),
        Route("/instructor", instructor_page),
        Route("/instructor/live", instructor_live),
        Route("/instructor/{action}", instructor_action, methods=["POST"]),
        Route("/board", board_page),
        Route("/board/live", board_live),
        Route("/events", events),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters.update(
        money=money,
        percent0=lambda value: percent(value, 0),
        number=number,
        count=count,
        label=label,
        role=role_label,
        multiple=views.multiple,
        points=lambda value: MISSING if value is None else f"{value:.1f}",
        clock=views.clock_time,
        words=lambda value: str(value).replace("_", " "),
    )
    return templates


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _page(
    request: Request, name: str, context: Mapping[str, Any], status_code: int = 200
) -> Response:
    site = _site(request)
    full = {"live": False, "version": site.hub.version, **context}
    return site.templates.TemplateResponse(request, name, full, status_code=status_code)


# ----------------------------------------------------------------------------- errors
class Refused(HTTPException):
    """A page that says why not, with its status (403, 404...)."""

    def __init__(self, status_code: int, heading: str, message: str) -> None:
        super().__init__(status_code, detail=message)
        self.heading = heading


NO_TEAM = Refused(
    403, "Join your team first", "Open the link your instructor gave your team, and join it."
)
NO_INSTRUCTOR = Refused(
    403, "Instructors only", "Open the instructor link printed when the class was created."
)
FOREIGN = Refused(
    403,
    "Refused",
    "This form did not come from the class's own pages (or it expired): reload the page "
    "and try again.",
)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if isinstance(error, Refused):
        heading, message = error.heading, str(error.detail)
    elif error.status_code == 404:
        heading, message = "Not found", "There is no such page."
    elif error.status_code == 405:
        heading, message = "Not allowed", "This page cannot be used that way."
    else:
        heading, message = "Refused", str(error.detail)
    return _page(
        request,
        "error.html",
        {"heading": heading, "message": message, "back": "/"},
        status_code=error.status_code,
    )


async def _server_error(request: Request, error: Exception) -> Response:
    log.exception("a request failed", exc_info=error)
    response = _page(
        request,
        "error.html",
        {
            "heading": "Something went wrong",
            "message": "The server could not do this. Everything saved so far is kept: "
            "reload the page, and tell your instructor if it happens again.",
        },
        status_code=500,
    )
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


# ----------------------------------------------------------------------------- who asks
def _team_pass(request: Request) -> Pass:
    granted = _site(request).signer.of(request, Role.TEAM)
    if granted is None:
        raise NO_TEAM
    return granted


def _staff_pass(request: Request, *, board: bool = False) -> Pass:
    """The instructor's pass (or, for the board, the projector's)."""
    signer = _site(request).signer
    granted = signer.of(request, Role.INSTRUCTOR) or (
        signer.of(request, Role.VIEWER) if board else None
    )
    if granted is None:
        raise NO_INSTRUCTOR
    return granted


async def _posted(request: Request, granted: Pass) -> Mapping[str, Any]:
    """The form of a POST that came from this site with ``granted``'s CSRF token."""
    if not same_origin(request):
        raise FOREIGN
    try:
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    except HTTPException:
        raise
    except Exception:  # a body that is no form at all
        raise Refused(400, "Refused", "The request was not a form.") from None
    if not csrf_matches(request, form, granted):
        raise FOREIGN
    return form


# ----------------------------------------------------------------------------- joining
async def index(request: Request) -> Response:
    """Home: on to the team's or the instructor's page, or how to join."""
    signer = _site(request).signer
    if signer.of(request, Role.TEAM) is not None:
        return RedirectResponse("/team", status_code=303)
    if signer.of(request, Role.INSTRUCTOR) is not None:
        return RedirectResponse("/instructor", status_code=303)
    return _page(request, "index.html", {})


async def _team_of_token(request: Request) -> tuple[int, str]:
    site = _site(request)
    token = request.path_params["token"]
    team_id = await site.call(site.room.team_by_token, token) if len(token) < 200 else None
    if team_id is None:
        raise Refused(404, "Not a team's link", "This link is not a team's link of this class.")
    status = await site.call(site.room.status)
    return team_id, _team_status(status, team_id).name


async def join_page(request: Request) -> Response:
    """The join form; its CSRF token is held in a cookie until the member joins."""
    site = _site(request)
    _, team = await _team_of_token(request)
    status = await site.call(site.room.status)
    joining = site.signer.issue(Role.JOINING)
    response = _join_form(request, status, team, joining)
    site.signer.grant(response, request, joining)
    return response


def _join_form(
    request: Request,
    status: Status,
    team: str,
    joining: Pass,
    member: str = "",
    problem: str = "",
) -> Response:
    context = {
        "class_name": status.name,
        "team": team,
        "token": request.path_params["token"],
        "csrf": joining.csrf,
        "member": member,
        "problem": problem,
    }
    return _page(request, "join.html", context, status_code=422 if problem else 200)


async def join(request: Request) -> Response:
    """Join a team: the member's name in a signed team cookie, then to ``/team``."""
    site = _site(request)
    joining = site.signer.of(request, Role.JOINING)
    if joining is None:
        raise FOREIGN
    form = await _posted(request, joining)
    team_id, team = await _team_of_token(request)
    typed = form.get("member")
    try:
        member = member_name(typed if isinstance(typed, str) else "")
    except ValueError as error:
        status = await site.call(site.room.status)
        return _join_form(request, status, team, joining, str(typed or ""), str(error))
    response = RedirectResponse("/team", status_code=303)
    site.signer.grant(response, request, site.signer.issue(Role.TEAM, team=team_id, member=member))
    response.delete_cookie(Role.JOINING.cookie, path="/")
    return response


# ----------------------------------------------------------------------------- a team
@dataclass(frozen=True)
class TeamView:
    """What a team's page shows, read from the classroom in one go."""

    status: Status
    me: TeamStatus
    briefing: Any
    proposals: list[Any]
    draft: Any
    check: Check | None
    history: list[Any]


def _team_status(status: Status, team_id: int) -> TeamStatus:
    for team in status.teams:
        if team.id == team_id:
            return team
    raise NO_TEAM  # a cookie of a team this class does not have


def _team_view(room: Classroom, team_id: int) -> TeamView:
    """Everything a team's page shows: its own data only."""
    status = room.status()
    me = _team_status(status, team_id)
    draft = room.draft(team_id)
    check = None
    if draft is not None and not status.over and not me.finished:
        check = room.check(team_id, draft.decisions)
    return TeamView(
        status=status,
        me=me,
        briefing=room.briefing(team_id),
        proposals=room.proposals(team_id),
        draft=draft,
        check=check,
        history=room.history(team_id),
    )


@dataclass(frozen=True)
class CheckView:
    """A draft's check as the page shows it: what the form could not read comes first."""

    problems: list[str]
    projected_spend: float | None
    budget: float | None


def _round_context(status: Status, now: float) -> dict[str, Any]:
    return {
        "class_name": status.name,
        "scenario": status.scenario,
        "turn": status.round,
        "turns": status.turns,
        "over": status.over,
        "paused": status.paused,
        "closing": status.closing,
        "remaining": None if status.remaining is None else views.time_left(status.remaining, 0),
        "deadline": status.deadline,
        "deadline_at": views.clock_time(status.deadline),
        "seconds_left": 0 if status.deadline is None else max(0, int(status.deadline - now)),
        "left": views.time_left(status.deadline, now),
    }


def _status_context(view: TeamView, granted: Pass, now: float) -> dict[str, Any]:
    return {
        **_round_context(view.status, now),
        "team": view.me.name,
        "member": granted.member,
        "me": view.me,
        "proposals": [(p, views.words(p.decisions)) for p in view.proposals],
    }


def _team_context(
    view: TeamView,
    granted: Pass,
    now: float,
    *,
    reading: Reading | None = None,
    problems: list[str] | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    briefing = view.briefing
    roles, notable, more = views.roster_view(briefing)
    typed = (
        reading.typed
        if reading is not None
        else (typed_of(view.draft.decisions) if view.draft is not None else {})
    )
    check = None
    if view.check is not None:
        check = CheckView(view.check.problems, view.check.projected_spend, view.check.budget)
    return {
        **_status_context(view, granted, now),
        "live": True,
        "csrf": granted.csrf,
        "open": not view.status.over and not view.me.finished,
        "notice": notice,
        "problems": problems or [],
        "briefing": briefing,
        "briefing_title": views.title(briefing),
        "figures": views.figure_rows(briefing),
        "headcount": views.headcount_line(briefing),
        "roles": roles,
        "notable": notable,
        "more": more,
        "requisitions": ", ".join(
            f"{n} {role_label(role)}" for role, n in briefing.open_requisitions.items() if n
        ),
        "pipeline_total": views.pipeline_total(briefing),
        "budget_line": views.budget_line(briefing),
        "forecast_lines": views.forecast_lines(briefing),
        "typed": typed,
        "check": check,
        "refused": None,
        "saved_by": view.draft.member if view.draft is not None else None,
        "history": [(record, views.words(record.decisions)) for record in view.history],
        "roles_all": ROLES,
        "focuses": FOCUSES,
        "routings": ROUTINGS,
        "backfills": BACKFILLS,
    }


async def team_page(request: Request) -> Response:
    """A team's page: status, briefing, decision form, turns played."""
    site = _site(request)
    granted = _team_pass(request)
    assert granted.team is not None
    view = await site.call(_team_view, site.room, granted.team)
    notice = NOTICES.get(request.query_params.get("done", ""))
    return _page(request, "team.html", _team_context(view, granted, site.now(), notice=notice))


async def team_live(request: Request) -> Response:
    """The team's round status; a page drawn for an earlier turn is told to reload."""
    site = _site(request)
    granted = _team_pass(request)
    assert granted.team is not None
    status = await site.call(site.room.status)
    me = _team_status(status, granted.team)
    if request.query_params.get("turn") != str(status.round):
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    proposals = await site.call(site.room.proposals, granted.team)
    context = {
        **_round_context(status, site.now()),
        "team": me.name,
        "member": granted.member,
        "me": me,
        "proposals": [(p, views.words(p.decisions)) for p in proposals],
    }
    return _page(request, "_team_status.html", context)


def _turn_of(form: Mapping[str, Any]) -> int | None:
    turn = form.get("turn")
    return int(turn) if isinstance(turn, str) and turn.isdigit() and len(turn) < 6 else None


def _same_round(room: Classroom, turn: int | None) -> None:
    """Refuse a form drawn for a round that has closed since."""
    status = room.status()
    if status.over:
        raise RefusedError("the game is over: every turn has been played")
    if turn != status.round:
        raise RefusedError(
            "the round you were deciding has closed: this is the next turn's briefing "
            "(your last draft that checked clean was played, if nobody submitted)"
        )


def _save_draft(
    room: Classroom, team: int, member: str, turn: int | None, reading: Reading
) -> tuple[Check, bool]:
    """Save the form as the team's draft if every field reads; its check, and whether saved.

    A form with a field that cannot be read is only checked: saving the rest would
    let the close play a draft the team never meant (hires typed as "lots", dropped).
    """
    _same_round(room, turn)
    if reading.problems:
        return room.check(team, reading.decisions), False
    return room.save_draft(team, member, reading.decisions), True


async def team_draft(request: Request) -> Response:
    """Save the form as the team's draft; answer with its check (an htmx fragment)."""
    site = _site(request)
    granted = _team_pass(request)
    form = await _posted(request, granted)
    reading = read_form(form)
    context: dict[str, Any] = {"check": None, "refused": None, "saved_by": None}
    try:
        check, saved = await site.call(
            _save_draft, site.room, granted.team, granted.member, _turn_of(form), reading
        )
    except RefusedError as error:
        context["refused"] = f"Not saved: {error}."
    else:
        context["check"] = CheckView(
            reading.problems + list(check.problems), check.projected_spend, check.budget
        )
        context["saved_by"] = granted.member if saved else None
        context["unsaved"] = not saved
    return _page(request, "_check.html", context)


def _act(
    room: Classroom,
    action: str,
    team: int,
    member: str,
    turn: int | None,
    decisions: dict | None,
) -> Check | None:
    """Propose, submit or withdraw, for the round the form was drawn for."""
    _same_round(room, turn)
    if action == "withdraw":
        me = _team_status(room.status(), team)
        if me.submitted_by is None:
            raise RefusedError("there is no submission to withdraw")
        room.withdraw(team, member)
        return None
    assert decisions is not None
    if action == "submit":
        me = _team_status(room.status(), team)
        if me.submitted_by is not None:
            raise RefusedError(
                f"{me.submitted_by} already submitted this turn: withdraw it first to change it"
            )
        return room.submit(team, member, decisions)
    return room.propose(team, member, decisions)


async def _team_action(request: Request, action: str) -> Response:
    site = _site(request)
    granted = _team_pass(request)
    assert granted.team is not None and granted.member is not None
    form = await _posted(request, granted)
    reading = read_form(form) if action != "withdraw" else Reading()
    problems = list(reading.problems)
    if not problems:
        try:
            check = await site.call(
                _act,
                site.room,
                action,
                granted.team,
                granted.member,
                _turn_of(form),
                reading.decisions if action != "withdraw" else None,
            )
        except RefusedError as error:
            problems = (
                ["the game would refuse these decisions", *error.problems]
                if error.problems
                else [str(error)]
            )
        else:
            if check is None or not check.problems:
                return RedirectResponse(f"/team?done={DONE[action]}", status_code=303)
            problems = list(check.problems)
    view = await site.call(_team_view, site.room, granted.team)
    stale = _turn_of(form) != view.status.round
    context = _team_context(
        view,
        granted,
        site.now(),
        reading=None if stale or action == "withdraw" else reading,
        problems=[f"Not {DONE[action]}: {problems[0]}", *problems[1:]],
    )
    return _page(request, "team.html", context, status_code=409 if stale else 422)


async def team_propose(request: Request) -> Response:
    """Share the form with the team as this member's proposal."""
    return await _team_action(request, "propose")


async def team_submit(request: Request) -> Response:
    """Submit the form for the team: it must check clean, and only once a turn."""
    return await _team_action(request, "submit")


async def team_withdraw(request: Request) -> Response:
    """Withdraw the team's submission, so it can change before the deadline."""
    return await _team_action(request, "withdraw")


# ----------------------------------------------------------------------------- the instructor
def _instructor_context(status: Status, now: float) -> dict[str, Any]:
    return {
        **_round_context(status, now),
        "bot": status.bot,
        "bots": status.bots,
        "teams": status.teams,
        "submitted": sum(team.submitted_by is not None for team in status.teams),
    }


async def instructor_page(request: Request) -> Response:
    """With ``?key=``: the instructor's cookie, then here without the key. Else the page."""
    site = _site(request)
    key = request.query_params.get("key")
    if key is not None:
        if len(key) > 200 or not await site.call(site.room.is_instructor, key):
            raise Refused(403, "Not the instructor's link", "This key is not this class's.")
        response = RedirectResponse("/instructor", status_code=303)
        site.signer.grant(response, request, site.signer.issue(Role.INSTRUCTOR))
        return response
    granted = _staff_pass(request)
    status = await site.call(site.room.status)
    context = {
        **_instructor_context(status, site.now()),
        "live": True,
        "csrf": granted.csrf,
        "notice": NOTICES.get(request.query_params.get("done", "")),
        "problems": [],
    }
    return _page(request, "instructor.html", context)


async def instructor_live(request: Request) -> Response:
    """Who submitted, the deadline: the instructor's live status."""
    site = _site(request)
    _staff_pass(request)
    status = await site.call(site.room.status)
    return _page(request, "_instructor_status.html", _instructor_context(status, site.now()))


async def instructor_action(request: Request) -> Response:
    """Close the round, extend the deadline, pause, resume or choose the bot."""
    site = _site(request)
    granted = _staff_pass(request)
    action = request.path_params["action"]
    if action not in {"close", "extend", "pause", "resume", "bot"}:
        raise HTTPException(404)
    form = await _posted(request, granted)
    room = site.room
    try:
        if action == "close":
            await site.call(room.close_round)
        elif action == "extend":
            minutes = within(0, MAX_EXTEND_MINUTES, above=True)(str(form.get("minutes", "")))
            await site.call(room.extend, minutes)
        elif action == "bot":
            await site.call(room.choose_bot, str(form.get("bot", "")))
        else:
            await site.call(getattr(room, action))
    except (RefusedError, ValueError) as error:
        status = await site.call(room.status)
        context = {
            **_instructor_context(status, site.now()),
            "live": True,
            "csrf": granted.csrf,
            "notice": None,
            "problems": [f"Not done: {error}"],
        }
        return _page(request, "instructor.html", context, status_code=422)
    done = {"close": "closed", "extend": "extended", "pause": "paused", "resume": "resumed"}
    return RedirectResponse(f"/instructor?done={done.get(action, action)}", status_code=303)


# ----------------------------------------------------------------------------- the board
async def _board_context(site: Site) -> dict[str, Any]:
    status, standings = await site.call(_board_data, site.room)
    indicators: list[str] = []
    for row in standings:
        indicators += [name for name in row.points if name not in indicators]
    return {
        "class_name": status.name,
        "turn": status.round,
        "over": status.over,
        "standings": standings,
        "indicators": indicators,
        "penalised": any(getattr(row, "penalty", 0) for row in standings),
    }


def _board_data(room: Classroom) -> tuple[Status, list[Any]]:
    return room.status(), room.leaderboard()


async def board_page(request: Request) -> Response:
    """The leaderboard; ``?key=`` (the instructor's) sets the projector's read-only cookie."""
    site = _site(request)
    key = request.query_params.get("key")
    if key is not None:
        if len(key) > 200 or not await site.call(site.room.is_instructor, key):
            raise Refused(403, "Not the instructor's link", "This key is not this class's.")
        response = RedirectResponse("/board", status_code=303)
        site.signer.grant(response, request, site.signer.issue(Role.VIEWER))
        return response
    _staff_pass(request, board=True)
    return _page(request, "board.html", {**await _board_context(site), "live": True})


async def board_live(request: Request) -> Response:
    """The leaderboard's table, live."""
    site = _site(request)
    _staff_pass(request, board=True)
    return _page(request, "_board_table.html", await _board_context(site))


# ----------------------------------------------------------------------------- live
async def events(request: Request) -> Response:
    """Server-sent events for any member, the instructor or the projector."""
    site = _site(request)
    signer = site.signer
    if not any(signer.of(request, role) for role in (Role.TEAM, Role.INSTRUCTOR, Role.VIEWER)):
        raise NO_TEAM
    return StreamingResponse(
        stream(
            site.hub,
            lifetime_seconds=site.stream_seconds,
            heartbeat_seconds=site.heartbeat_seconds,
        ),
        media_type="text/event-stream",
        headers={"x-accel-buffering": "no"},
    )


# ----------------------------------------------------------------------------- serving
def secret_of(db: Path) -> bytes:
    """The class's cookie secret, kept beside its database (created, owner-only, at first)."""
    path = db.with_name(db.name + ".secret")
    with suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(SECRET_BYTES))
    return bytes.fromhex(path.read_text().strip())


def serve(db: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the class in ``db`` with uvicorn, one worker, until interrupted."""
    import uvicorn

    from salessim.classroom.room import Classroom

    db = Path(db)
    if not db.is_file():
        raise FileNotFoundError(f"{db}: no such class (create one with salessim classroom new)")
    app = create_app(lambda: Classroom.open(db), secret=secret_of(db))
    uvicorn.run(
        app,
        host=host,
        port=port,
        workers=1,
        proxy_headers=False,
        server_header=False,
        access_log=False,  # its lines would hold the join tokens and the instructor's key
        timeout_graceful_shutdown=3,
    )
