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
Here the app is put together and served; the pages are in :mod:`.joining`,
:mod:`.team` and :mod:`.staff`. The team comes from its cookie only
(:mod:`.security`); every call on the classroom runs in its own thread, one at a time
(:mod:`.live`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from salessim.classroom.web import joining, staff, team, views
from salessim.classroom.web.live import Hub, Lane, keep_time
from salessim.classroom.web.security import HEADERS, SecurityHeaders, Signer
from salessim.classroom.web.site import Refused, Site, draw
from salessim.report.format import MISSING, count, label, money, number, percent, role_label

if TYPE_CHECKING:
    from salessim.classroom.room import Classroom

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
MAX_BODY_BYTES = 64 * 1024
"""The largest request body: a decision form is a few kilobytes."""
SECRET_BYTES = 32


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
        site.loop = asyncio.get_running_loop()
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
        Route("/", joining.index),
        Route("/join/{token}", joining.join_page),
        Route("/join/{token}", joining.join, methods=["POST"]),
        Route("/team", team.page),
        Route("/team/live", team.live),
        Route("/team/draft", team.draft, methods=["POST"]),
        Route("/team/propose", team.propose, methods=["POST"]),
        Route("/team/submit", team.submit, methods=["POST"]),
        Route("/team/withdraw", team.withdraw, methods=["POST"]),
        Route("/instructor", staff.instructor_page),
        Route("/instructor/live", staff.instructor_live),
        Route("/instructor/{action}", staff.instructor_action, methods=["POST"]),
        Route("/board", staff.board_page),
        Route("/board/live", staff.board_live),
        Route("/events", staff.events),
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
    return draw(
        request,
        "error.html",
        {"heading": heading, "message": message, "back": "/"},
        status_code=error.status_code,
    )


async def _server_error(request: Request, error: Exception) -> Response:
    log.exception("a request failed", exc_info=error)
    response = draw(
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
    """Serve the class in ``db`` with uvicorn, one worker, until interrupted.

    On Ctrl-C (or SIGTERM) the event streams end first, so the browsers' open streams
    do not hold the stop up; the classroom closes with the app.
    """
    import uvicorn

    from salessim.classroom.room import Classroom

    db = Path(db)
    if not db.is_file():
        raise FileNotFoundError(f"{db}: no such class (create one with salessim classroom new)")
    app = create_app(lambda: Classroom.open(db), secret=secret_of(db))
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        workers=1,
        proxy_headers=False,
        server_header=False,
        access_log=False,  # its lines would hold the join tokens and the instructor's key
        timeout_graceful_shutdown=3,
    )
    site: Site = app.state.site

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            site.end_streams()
            super().handle_exit(sig, frame)

    with suppress(KeyboardInterrupt):  # Ctrl-C is how a server stops: not an error
        Server(config).run()
