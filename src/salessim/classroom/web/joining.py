"""Joining a team: the form of a team's link, and the signed cookie that joining sets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from salessim.classroom.web.security import Pass, Role, member_name
from salessim.classroom.web.site import FOREIGN, Refused, draw, posted, site_of, team_status

if TYPE_CHECKING:
    from salessim.classroom.room import Status


async def index(request: Request) -> Response:
    """Home: on to the team's or the instructor's page, or how to join."""
    signer = site_of(request).signer
    if signer.of(request, Role.TEAM) is not None:
        return RedirectResponse("/team", status_code=303)
    if signer.of(request, Role.INSTRUCTOR) is not None:
        return RedirectResponse("/instructor", status_code=303)
    return draw(request, "index.html", {})


async def _team_of_token(request: Request) -> tuple[int, str]:
    site = site_of(request)
    token = request.path_params["token"]
    team_id = await site.call(site.room.team_by_token, token) if len(token) < 200 else None
    if team_id is None:
        raise Refused(404, "Not a team's link", "This link is not a team's link of this class.")
    status = await site.call(site.room.status)
    return team_id, team_status(status, team_id).name


async def join_page(request: Request) -> Response:
    """The join form; its CSRF token is held in a cookie until the member joins."""
    site = site_of(request)
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
    return draw(request, "join.html", context, status_code=422 if problem else 200)


async def join(request: Request) -> Response:
    """Join a team: the member's name in a signed team cookie, then to ``/team``."""
    site = site_of(request)
    joining = site.signer.of(request, Role.JOINING)
    if joining is None:
        raise FOREIGN
    form = await posted(request, joining)
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
