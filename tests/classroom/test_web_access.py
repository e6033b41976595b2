"""Who may use which route: a table of every route against every kind of visitor.

Visitors: nobody (no cookie), a member of team Red, the instructor, the projector (the
board's read-only cookie) and a forger (a team cookie signed with another secret). A
route a visitor may not use answers 403 (or 404 for a link that is no link) with a
page that says why, never a traceback, and changes nothing.
"""

from __future__ import annotations

import pytest

from salessim.classroom.web.security import Role, Signer
from tests.classroom.sites import SECRET, Visitor, instructor, join, new_site, served

MEMBER, BOSS, PROJECTOR, NOBODY, FORGER = "member", "instructor", "projector", "nobody", "forger"
VISITORS = [MEMBER, BOSS, PROJECTOR, NOBODY, FORGER]

# (method, path, form) -> the visitors who may use it
ROUTES: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("GET", "/team", {}, {MEMBER}),
    ("GET", "/team/live?turn=1", {}, {MEMBER}),
    ("POST", "/team/draft", {"turn": "1", "recognition": "2"}, {MEMBER}),
    ("POST", "/team/propose", {"turn": "1", "recognition": "2"}, {MEMBER}),
    ("POST", "/team/submit", {"turn": "1", "recognition": "2"}, {MEMBER}),
    ("POST", "/team/withdraw", {"turn": "1"}, {MEMBER}),
    ("GET", "/instructor", {}, {BOSS}),
    ("GET", "/instructor/live", {}, {BOSS}),
    ("POST", "/instructor/extend", {"minutes": "5"}, {BOSS}),
    ("POST", "/instructor/pause", {}, {BOSS}),
    ("POST", "/instructor/resume", {}, {BOSS}),
    ("POST", "/instructor/bot", {"bot": "autopilot"}, {BOSS}),
    ("POST", "/instructor/close", {"round": "1"}, {BOSS}),
    ("GET", "/board", {}, {BOSS, PROJECTOR}),
    ("GET", "/board/live", {}, {BOSS, PROJECTOR}),
    ("GET", "/events", {}, {MEMBER, BOSS, PROJECTOR}),
]
CASES = [
    pytest.param(visitor, method, path, form, visitor in allowed, id=f"{visitor}-{method}-{path}")
    for method, path, form, allowed in ROUTES
    for visitor in VISITORS
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One class served to every kind of visitor (the instructor's POSTs run last)."""
    room, links, clock = new_site(
        tmp_path_factory.mktemp("access"), ["Red", "Blue"], round_minutes=30
    )
    with served(room, clock) as client:
        red = join(client, links.teams["Red"], "Ann")
        boss = instructor(client, links)
        projector = Visitor(client)
        assert projector.get(f"/board?key={links.instructor}").status_code == 303
        nobody = Visitor(client)
        forger = Visitor(client)
        forged = Signer(b"not the class's secret")
        forger.cookies.set(
            Role.TEAM.cookie, forged.sign(forged.issue(Role.TEAM, team=1, member="Eve"))
        )
        forger.csrf = "guessed"
        visitors = {MEMBER: red, BOSS: boss, PROJECTOR: projector, NOBODY: nobody, FORGER: forger}
        yield visitors, links


@pytest.mark.parametrize(("visitor", "method", "path", "form", "allowed"), CASES)
def test_every_route_is_open_only_to_its_visitors(site, visitor, method, path, form, allowed):
    """Allowed: the route answers (a page, a redirect or a polite refusal); else 403."""
    visitors, _ = site
    who = visitors[visitor]
    if method == "POST" and not allowed:
        # the strongest attempt: this site's origin, and the visitor's own CSRF token if any
        response = who.post(path, form)
    elif method == "POST":
        who.get("/team" if path.startswith("/team") else "/instructor")
        response = who.post(path, form)
    else:
        response = who.get(path)
    if allowed:
        assert response.status_code in {200, 303, 409, 422}, response.text[:500]
    else:
        assert response.status_code == 403
        assert "text/html" in response.headers["content-type"]
        assert "Traceback" not in response.text
        assert "<h1>" in response.text


def test_the_instructors_and_the_boards_keys_are_checked(site):
    """A wrong key, a team's token as the key, or no key: refused, no cookie set."""
    visitors, links = site
    for url in [
        "/instructor?key=wrong",
        f"/instructor?key={links.teams['Red']}",
        "/board?key=wrong",
        f"/board?key={'x' * 5000}",
    ]:
        refused = visitors[NOBODY].get(url)
        assert refused.status_code == 403 and "Not the instructor" in refused.text
        assert "set-cookie" not in refused.headers


def test_a_link_that_is_no_teams_link_is_not_found(site):
    """A made-up, an instructor's or an overlong token on /join: 404, said politely."""
    visitors, links = site
    for token in ["made-up", links.instructor, "x" * 5000]:
        page = visitors[NOBODY].get(f"/join/{token}")
        assert page.status_code == 404 and "not a team&#39;s link" in page.text
    posted = visitors[NOBODY].post("/join/made-up", {"member": "Eve"})
    assert posted.status_code == 403


def test_the_projectors_cookie_opens_the_board_only(site):
    """The board's cookie is read only: the instructor's page and buttons stay shut."""
    visitors, _ = site
    projector = visitors[PROJECTOR]
    assert projector.get("/board").status_code == 200
    assert projector.get("/instructor").status_code == 403
    own = Signer(SECRET).read(Role.VIEWER, projector.cookies.get(Role.VIEWER.cookie))
    assert own is not None
    assert projector.post("/instructor/close", {"round": "1"}, csrf=own.csrf).status_code == 403


def test_a_cookie_of_one_role_is_no_cookie_of_another(site):
    """A member's signed cookie copied under the instructor's name opens nothing."""
    visitors, _ = site
    thief = Visitor(visitors[MEMBER].client)
    thief.cookies.set(Role.INSTRUCTOR.cookie, visitors[MEMBER].cookies.get(Role.TEAM.cookie))
    thief.cookies.set(Role.TEAM.cookie, visitors[BOSS].cookies.get(Role.INSTRUCTOR.cookie))
    assert thief.get("/instructor").status_code == 403
    assert thief.get("/team").status_code == 403
