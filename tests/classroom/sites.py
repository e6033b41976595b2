"""Helpers for the web app's tests: a class served through Starlette's test client.

Every member, the instructor and the projector is a :class:`Visitor` with cookies of
its own, sharing one client (one app, one lifespan: one round timer).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

with warnings.catch_warnings():  # Starlette would rather have httpx2, which the extra lacks
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from salessim.classroom.clock import FakeClock
from salessim.classroom.room import Classroom, Credentials
from salessim.classroom.web.app import create_app
from tests.classroom.classes import new_class

SECRET = b"a test secret that signs the cookies"
ORIGIN = "http://testserver"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Visitor:
    """One browser: its own cookies, the CSRF token of the page it saw last."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.cookies = httpx.Cookies()
        self.csrf: str | None = None

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        """A request with this visitor's cookies; the cookies it sets are kept."""
        client = self.client
        client.cookies = self.cookies
        try:
            response = client.request(method, url, follow_redirects=False, **options)
        finally:
            self.cookies = client.cookies
            client.cookies = httpx.Cookies()
        found = (
            CSRF.search(response.text)
            if "text/html" in response.headers.get("content-type", "")
            else None
        )
        if found:
            self.csrf = found.group(1)
        return response

    def get(self, url: str, **options: Any) -> httpx.Response:
        """GET ``url``."""
        return self.request("GET", url, **options)

    def post(
        self,
        url: str,
        data: dict[str, str] | None = None,
        *,
        origin: str | None = ORIGIN,
        csrf: str | None = "page",
        **options: Any,
    ) -> httpx.Response:
        """POST a form from this site (``origin``) with the page's CSRF token (``csrf``)."""
        headers = dict(options.pop("headers", {}))
        if origin is not None:
            headers["origin"] = origin
        form = dict(data or {})
        if csrf == "page":
            csrf = self.csrf
        if csrf is not None:
            form["csrf"] = csrf
        return self.request("POST", url, data=form, headers=headers, **options)


def join(client: TestClient, token: str, member: str) -> Visitor:
    """A member who opened the team's link and joined under ``member``, on the team page."""
    visitor = Visitor(client)
    assert visitor.get(f"/join/{token}").status_code == 200
    joined = visitor.post(f"/join/{token}", {"member": member})
    assert joined.status_code == 303 and joined.headers["location"] == "/team"
    assert visitor.get("/team").status_code == 200
    return visitor


def instructor(client: TestClient, credentials: Credentials) -> Visitor:
    """The instructor, on the instructor's page."""
    visitor = Visitor(client)
    assert visitor.get(f"/instructor?key={credentials.instructor}").status_code == 303
    assert visitor.get("/instructor").status_code == 200
    return visitor


@contextmanager
def served(room: Classroom, clock: FakeClock, **options: Any) -> Iterator[TestClient]:
    """The app on ``room`` (closed when it stops), its timer ticking every 20 ms."""
    options = {"tick_seconds": 0.02, "poll_seconds": 0.02, "stream_seconds": 0.3} | options
    app = create_app(lambda: room, secret=SECRET, now=clock.now, **options)
    with TestClient(app, base_url=ORIGIN) as client:
        yield client


def new_site(tmp_path: Path, teams: int | list[str] = 2, **options: Any):
    """A new class of first_team on a fake clock: the room, its links and the clock."""
    return new_class(tmp_path, teams, **options)


def reopened(tmp_path: Path, clock: FakeClock) -> Classroom:
    """The class in ``tmp_path`` opened again (a restarted server)."""
    return Classroom.open(tmp_path / "class.sqlite", clock=clock, workers=0)
