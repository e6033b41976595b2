"""The instructor's page and buttons, the projector's leaderboard, and the event stream."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from salessim.classroom.room import RefusedError
from salessim.classroom.web.forms import within
from salessim.classroom.web.live import stream
from salessim.classroom.web.security import Role
from salessim.classroom.web.site import (
    NO_TEAM,
    Refused,
    Site,
    draw,
    posted,
    round_context,
    site_of,
    staff_pass,
)

if TYPE_CHECKING:
    from salessim.classroom.room import Classroom, Status

MAX_EXTEND_MINUTES = 24 * 60.0
NOTICES = {
    "closed": "The round is closed: every team's turn is played.",
    "extended": "The deadline is extended.",
    "paused": "The round's clock is paused: no round closes and teams cannot submit.",
    "resumed": "The round's clock runs.",
    "bot": "The bot is chosen for the teams that do not decide.",
}


def _instructor_context(status: Status, now: float) -> dict[str, Any]:
    return {
        **round_context(status, now),
        "bot": status.bot,
        "bots": status.bots,
        "teams": status.teams,
        "submitted": sum(team.submitted_by is not None for team in status.teams),
    }


async def instructor_page(request: Request) -> Response:
    """With ``?key=``: the instructor's cookie, then here without the key. Else the page."""
    site = site_of(request)
    key = request.query_params.get("key")
    if key is not None:
        return await _signed_in(request, site, key, "/instructor", Role.INSTRUCTOR)
    granted = staff_pass(request)
    status = await site.call(site.room.status)
    context = {
        **_instructor_context(status, site.now()),
        "live": True,
        "csrf": granted.csrf,
        "notice": NOTICES.get(request.query_params.get("done", "")),
        "problems": [],
    }
    return draw(request, "instructor.html", context)


async def _signed_in(request: Request, site: Site, key: str, page: str, role: Role) -> Response:
    """The instructor's ``key`` checked: ``role``'s cookie set, and on to ``page`` without it."""
    if len(key) > 200 or not await site.call(site.room.is_instructor, key):
        raise Refused(403, "Not the instructor's link", "This key is not this class's.")
    response = RedirectResponse(page, status_code=303)
    site.signer.grant(response, request, site.signer.issue(role))
    return response


async def instructor_live(request: Request) -> Response:
    """Who submitted, the deadline: the instructor's live status.

    A page drawn for another round, or before the clock started, paused or resumed, is
    told to reload, so its buttons act on the round and the clock as they are.
    """
    site = site_of(request)
    staff_pass(request)
    status = await site.call(site.room.status)
    clock = f"{status.paused}-{status.started}"
    drawn = (request.query_params.get("turn"), request.query_params.get("clock"))
    if "turn" in request.query_params and drawn != (str(status.round), clock):
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    return draw(request, "_instructor_status.html", _instructor_context(status, site.now()))


def _close(room: Classroom, round_: str) -> int:
    """Close the round the page showed, not the one after it (a second click, the timer)."""
    status = room.status()
    if round_ != str(status.round):
        if status.over:
            raise RefusedError("the game is over: every round is closed")
        raise RefusedError(
            f"that round is closed already (round {status.round} is open now); "
            "press the button again to close this one"
        )
    return room.close_round()


async def instructor_action(request: Request) -> Response:
    """Close the round, extend the deadline, pause, resume or choose the bot."""
    site = site_of(request)
    granted = staff_pass(request)
    action = request.path_params["action"]
    if action not in {"close", "extend", "pause", "resume", "bot"}:
        raise HTTPException(404)
    form = await posted(request, granted)
    room = site.room
    try:
        if action == "close":
            await site.call(_close, room, str(form.get("round", "")))
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
        return draw(request, "instructor.html", context, status_code=422)
    done = {"close": "closed", "extend": "extended", "pause": "paused", "resume": "resumed"}
    return RedirectResponse(f"/instructor?done={done.get(action, action)}", status_code=303)


# ----------------------------------------------------------------------------- the debrief
async def debrief_page(request: Request) -> Response:
    """Where the class debrief stands, a button to make it, and a link to it once made."""
    site = site_of(request)
    granted = staff_pass(request)
    return await _debrief_page(request, site, granted.csrf, [])


async def _debrief_page(
    request: Request, site: Site, csrf: str, problems: list[str], status_code: int = 200
) -> Response:
    status = await site.call(site.room.status)
    context = {
        "class_name": status.name,
        "turn": status.round,
        "turns": status.turns,
        "over": status.over,
        "played": max((team.turn for team in status.teams), default=0),
        "progress": site.debriefing.progress(),
        "csrf": csrf,
        "problems": problems,
    }
    return draw(request, "debrief.html", context, status_code=status_code)


async def debrief_start(request: Request) -> Response:
    """Start making the class debrief (in a process of its own); back to its page."""
    site = site_of(request)
    granted = staff_pass(request)
    await posted(request, granted)
    status = await site.call(site.room.status)
    if not any(team.turn for team in status.teams):
        problem = "Not done: no team has played a turn yet: close a round first."
        return await _debrief_page(request, site, granted.csrf, [problem], status_code=422)
    await asyncio.to_thread(site.debriefing.start)
    return RedirectResponse("/instructor/debrief", status_code=303)


async def debrief_view(request: Request) -> Response:
    """The class debrief's page, as made (a self-contained report; no script runs in it)."""
    site = site_of(request)
    staff_pass(request)
    page = await asyncio.to_thread(site.debriefing.page)
    if page is None:
        raise Refused(409, "No class debrief yet", "Make it from the class debrief page first.")
    return HTMLResponse(page)


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
    site = site_of(request)
    key = request.query_params.get("key")
    if key is not None:
        return await _signed_in(request, site, key, "/board", Role.VIEWER)
    staff_pass(request, board=True)
    return draw(request, "board.html", {**await _board_context(site), "live": True})


async def board_live(request: Request) -> Response:
    """The leaderboard's table, live."""
    site = site_of(request)
    staff_pass(request, board=True)
    return draw(request, "_board_table.html", await _board_context(site))


# ----------------------------------------------------------------------------- live
async def events(request: Request) -> Response:
    """Server-sent events for any member, the instructor or the projector."""
    site = site_of(request)
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
