"""What every page of the app shares: the site's parts, who is asking, and refusals.

A request finds the :class:`Site` on the app; a page is a template drawn with the
hub's version (a live page compares it with the first event it hears). A visitor
without the right cookie, or a POST from elsewhere, is refused with a page that says
why (:class:`Refused`), never a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from salessim.classroom.web import views
from salessim.classroom.web.live import Hub, Lane
from salessim.classroom.web.security import Pass, Role, Signer, csrf_matches, same_origin

if TYPE_CHECKING:
    from salessim.classroom.room import Classroom, Status, TeamStatus

MAX_FORM_FIELDS = 200


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
    loop: asyncio.AbstractEventLoop | None = None  # the app's, once started

    @property
    def room(self) -> Classroom:
        """The classroom, once the app has started."""
        if self.room_ is None:
            raise RuntimeError("the app has not started: use it as an ASGI app with a lifespan")
        return self.room_

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in the classroom's lane."""
        return await self.lane(function, *args)

    def end_streams(self) -> None:
        """End every event stream (the server is stopping); safe from any thread."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.hub.close)


def site_of(request: Request) -> Site:
    """The site the request's app serves."""
    site: Site = request.app.state.site
    return site


def draw(
    request: Request, name: str, context: Mapping[str, Any], status_code: int = 200
) -> Response:
    """The template ``name`` drawn with ``context`` and the classroom's version."""
    site = site_of(request)
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


# ----------------------------------------------------------------------------- who asks
def team_pass(request: Request) -> Pass:
    """The member's pass: the team and the member's name, from the cookie only."""
    granted = site_of(request).signer.of(request, Role.TEAM)
    if granted is None:
        raise NO_TEAM
    return granted


def staff_pass(request: Request, *, board: bool = False) -> Pass:
    """The instructor's pass (or, for the board, the projector's)."""
    signer = site_of(request).signer
    granted = signer.of(request, Role.INSTRUCTOR) or (
        signer.of(request, Role.VIEWER) if board else None
    )
    if granted is None:
        raise NO_INSTRUCTOR
    return granted


async def posted(request: Request, granted: Pass) -> Mapping[str, Any]:
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


def round_context(status: Status, now: float) -> dict[str, Any]:
    """The round as the status panels show it: turn, deadline, time left, pause."""
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
        "deadline_iso": views.iso_time(status.deadline),
        "seconds_left": 0 if status.deadline is None else max(0, int(status.deadline - now)),
        "left": views.time_left(status.deadline, now),
    }


def team_status(status: Status, team_id: int) -> TeamStatus:
    """The team's row of the status; a cookie of a team the class lacks is refused."""
    for team in status.teams:
        if team.id == team_id:
            return team
    raise NO_TEAM  # a cookie of a team this class does not have
