"""Who is asking and whether they may: signed cookies, CSRF tokens, origins and headers.

A team member, the instructor and the projector each hold one signed, HttpOnly,
SameSite=Strict cookie; the team comes from its cookie only, never from a URL or a
form. Every POST carries the cookie's CSRF token (a hidden field, or the
``X-CSRF-Token`` header) and must not come from another site (:func:`same_origin`).
Every response carries the headers of :data:`HEADERS`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_DAYS = 30
"""How long a cookie holds: longer than any class, shorter than forever."""
SECONDS_PER_DAY = 86_400
JOINING_SECONDS = 60 * 60
"""How long a join form stays good."""
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
MEMBER_CHARACTERS = 40
"""The longest member name."""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
"""Sent with every response; pages (not static files) are also ``no-store``."""


class Role(StrEnum):
    """Who holds a cookie, each its own cookie (a browser may hold several)."""

    TEAM = "team"
    INSTRUCTOR = "instructor"
    VIEWER = "viewer"  # the projector: the leaderboard, read only
    JOINING = "joining"  # a join form's CSRF token, before the member has a team

    @property
    def cookie(self) -> str:
        """The cookie's name."""
        return f"salessim_{self.value}"


@dataclass(frozen=True)
class Pass:
    """What a valid cookie says: its holder's role, CSRF token, and a member's team."""

    role: Role
    csrf: str
    team: int | None = None  # a team member's team id
    member: str | None = None  # a team member's name


class Signer:
    """Signs and reads cookies with the class's secret; each role under its own salt."""

    def __init__(self, secret: bytes) -> None:
        self._serializers = {
            role: URLSafeTimedSerializer(secret, salt=f"salessim-classroom-{role.value}")
            for role in Role
        }

    def issue(self, role: Role, *, team: int | None = None, member: str | None = None) -> Pass:
        """A new pass with a fresh CSRF token."""
        return Pass(role, secrets.token_urlsafe(24), team, member)

    def sign(self, granted: Pass) -> str:
        """The cookie's value for ``granted``."""
        data: dict[str, Any] = {"csrf": granted.csrf}
        if granted.team is not None:
            data |= {"team": granted.team, "member": granted.member}
        return str(self._serializers[granted.role].dumps(data))

    def read(self, role: Role, value: str | None) -> Pass | None:
        """The pass in a cookie of ``role``; None when missing, forged, expired or malformed."""
        if not value:
            return None
        try:
            data = self._serializers[role].loads(value, max_age=_lifetime_seconds(role))
        except BadSignature:  # expiry included
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        if role is not Role.TEAM:
            return Pass(role, data["csrf"])
        team, member = data.get("team"), data.get("member")
        if type(team) is not int or not isinstance(member, str):
            return None
        return Pass(role, data["csrf"], team, member)

    def of(self, request: Request, role: Role) -> Pass | None:
        """The pass of ``role`` the request's cookies hold, if any."""
        return self.read(role, request.cookies.get(role.cookie))

    def grant(self, response: Response, request: Request, granted: Pass) -> None:
        """Set ``granted``'s cookie on ``response`` (Secure when served over HTTPS)."""
        response.set_cookie(
            granted.role.cookie,
            self.sign(granted),
            max_age=_lifetime_seconds(granted.role),
            path="/",
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )


def _lifetime_seconds(role: Role) -> int:
    return JOINING_SECONDS if role is Role.JOINING else COOKIE_DAYS * SECONDS_PER_DAY


def same_origin(request: Request) -> bool:
    """Whether a POST comes from a page of this site, as far as its headers tell.

    Refused: ``Sec-Fetch-Site`` other than ``same-origin``; an ``Origin`` naming another
    site; neither header (every browser sends ``Origin`` with a POST). ``Origin: null``
    is allowed unless ``Sec-Fetch-Site`` says otherwise: under ``Referrer-Policy:
    no-referrer`` a browser sends it for this site's own forms, and over plain HTTP to
    a machine other than localhost it sends no ``Sec-Fetch-Site`` to vouch for them, so
    there the CSRF token alone tells this site's forms from others'.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return site == "same-origin"
    if origin == "null":
        return True
    own = f"{request.url.scheme}://{request.url.netloc}"
    return hmac.compare_digest(origin.lower(), own.lower())


def csrf_matches(request: Request, form: Mapping[str, Any], granted: Pass) -> bool:
    """Whether the request carries ``granted``'s CSRF token (form field or header)."""
    sent = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
    return isinstance(sent, str) and hmac.compare_digest(sent, granted.csrf)


def member_name(text: str) -> str:
    """A member's name as typed, stripped.

    Raises:
        ValueError: empty, too long, or with control characters; the reason in words.
    """
    name = " ".join(text.split())
    if not name:
        raise ValueError("type your name, so your team sees who proposed what")
    if len(name) > MEMBER_CHARACTERS:
        raise ValueError(f"a name of at most {MEMBER_CHARACTERS} characters, please")
    if not name.isprintable():
        raise ValueError("a name of letters, digits and punctuation, please")
    return name


class SecurityHeaders:
    """ASGI middleware: :data:`HEADERS` on every response, ``no-store`` on every page."""

    def __init__(self, app: ASGIApp, static_prefix: str = "/static/") -> None:
        self.app = app
        self.static_prefix = static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(self.static_prefix)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                replaced = HEADERS.keys() | ({"cache-control"} if not static else set())
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.decode("latin-1").lower() not in replaced
                ]
                headers += [(name.encode(), value.encode()) for name, value in HEADERS.items()]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
