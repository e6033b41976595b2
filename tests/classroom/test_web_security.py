"""The web app's defences: headers, CSRF tokens, origins, cookies, and errors without traces."""

from __future__ import annotations

import re

import pytest

from salessim.classroom.web.app import HERE
from salessim.classroom.web.security import Role, Signer
from tests.classroom.sites import (
    ORIGIN,
    SECRET,
    TestClient,
    Visitor,
    instructor,
    join,
    new_site,
    served,
)


@pytest.fixture
def site(tmp_path):
    """A class of Red and Blue, served; Ann of Red and Zebedee of Blue have joined."""
    room, links, clock = new_site(tmp_path, ["Red", "Blue"], round_minutes=30)
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        bo = join(client, links.teams["Blue"], "Zebedee")
        yield client, links, ann, bo, room


def test_every_response_carries_the_security_headers(site):
    """Pages, fragments, static files, errors and events: CSP, no referrer, nosniff."""
    client, links, ann, _, _ = site
    responses = [
        ann.get("/team"),
        ann.get("/team/live?turn=1"),
        ann.get("/static/htmx.min.js"),
        ann.get("/no/such/page"),
        Visitor(client).get("/team"),
        Visitor(client).get(f"/join/{links.teams['Red']}"),
        ann.get("/events"),
        ann.post("/team/draft", {"turn": "1"}, origin="https://evil.example"),
    ]
    for response in responses:
        headers = response.headers
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe" not in policy
        assert "frame-ancestors 'none'" in policy
    assert responses[0].headers["cache-control"] == "no-store"


def test_no_template_has_inline_script_styles_or_handlers():
    """Everything the CSP forbids is absent: script only from static files, no on* or style."""
    for template in (HERE / "templates").glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\son[a-z]+=", text), template.name
        assert "style=" not in text and "<style" not in text, template.name
        assert "hx-on" not in text and "js:" not in text, template.name
        assert not re.search(r"(src|href|action)=\"(https?:)?//", text), template.name


def test_htmx_is_vendored_pinned_and_licensed():
    """The package serves htmx at the version the base template names, with its licence."""
    static = HERE / "static"
    assert 'version:"2.0.11"' in (static / "htmx.min.js").read_text()
    assert "htmx 2.0.11" in (HERE / "templates" / "base.html").read_text()
    assert "Zero-Clause BSD" in (static / "htmx.LICENSE").read_text()


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"origin": "http://testserver"}, True),
        ({"origin": "null", "sec-fetch-site": "same-origin"}, True),
        ({"sec-fetch-site": "same-origin"}, True),
        ({"origin": "https://evil.example"}, False),
        ({"origin": "http://testserver.evil.example"}, False),
        ({"origin": "null"}, True),  # plain HTTP to a LAN address: no Sec-Fetch-Site
        ({"origin": "null", "sec-fetch-site": "cross-site"}, False),
        ({}, False),
        ({"origin": "http://testserver", "sec-fetch-site": "cross-site"}, False),
        ({"origin": "http://testserver", "sec-fetch-site": "same-site"}, False),
    ],
)
def test_a_post_must_come_from_this_site(site, headers, allowed):
    """Another site's Origin or Sec-Fetch-Site is refused, and so is a POST with neither.

    ``Origin: null`` is what Chromium sends for this site's own forms under
    ``Referrer-Policy: no-referrer``, with ``Sec-Fetch-Site`` only on HTTPS or localhost.
    """
    _, _, ann, _, _ = site
    response = ann.post(
        "/team/draft", {"turn": "1", "recognition": "2"}, origin=None, headers=headers
    )
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert response.status_code == 403 and "did not come from the class" in response.text


def test_a_post_needs_the_cookies_own_csrf_token(site):
    """No token, a made-up one or another member's: refused; the page's, or its header: saved."""
    _, _, ann, bo, _ = site
    form = {"turn": "1", "recognition": "2"}
    assert ann.post("/team/draft", form, csrf=None).status_code == 403
    assert ann.post("/team/draft", form, csrf="made-up").status_code == 403
    assert ann.post("/team/draft", form, csrf=bo.csrf).status_code == 403
    assert ann.post("/team/draft", form).status_code == 200
    by_header = ann.post("/team/draft", form, csrf=None, headers={"x-csrf-token": ann.csrf})
    assert by_header.status_code == 200
    assert ann.post("/team/submit", form, csrf=None).status_code == 403
    assert "Submitted by" not in ann.get("/team/live?turn=1").text


def test_joining_needs_the_join_pages_token(site):
    """A join posted without opening the link first (no join cookie) is refused."""
    client, links, _, _, _ = site
    eve = Visitor(client)
    refused = eve.post(f"/join/{links.teams['Red']}", {"member": "Eve"}, csrf="guess")
    assert refused.status_code == 403 and "salessim_team" not in refused.headers.get(
        "set-cookie", ""
    )


def test_the_team_comes_from_the_cookie_only(site):
    """Naming another team in the form or the URL changes nothing of it; forged cookies fail."""
    client, _, ann, bo, _ = site
    bo.post("/team/draft", {"turn": "1", "recognition": "7"})
    bo.post("/team/propose", {"turn": "1", "training_every_months": "5"})
    crafted = ann.post("/team/draft?team=2", {"turn": "1", "team": "2", "recognition": "1"})
    assert "&#39;team&#39;: the form has no such field" in crafted.text
    red_page = ann.get("/team?team=2").text
    assert "Team <strong>Red</strong>" in red_page
    assert 'value="7"' not in red_page and "Zebedee" not in red_page
    assert "5 months" not in red_page
    blue_page = bo.get("/team").text
    assert 'name="recognition" value="7"' in blue_page
    forged = Signer(b"another secret")
    eve = Visitor(client)
    eve.cookies.set(Role.TEAM.cookie, forged.sign(forged.issue(Role.TEAM, team=2, member="Eve")))
    assert eve.get("/team").status_code == 403
    tampered = ann.cookies.get(Role.TEAM.cookie)
    eve.cookies.set(
        Role.TEAM.cookie, tampered[:-3] + ("AAA" if not tampered.endswith("AAA") else "BBB")
    )
    assert eve.get("/team").status_code == 403


def test_a_signed_cookie_of_a_team_the_class_lacks_is_refused(site):
    """A cookie for team 99 (signed with the class's secret, say from a deleted class): 403."""
    client, _, _, _, _ = site
    signer = Signer(SECRET)
    ghost = Visitor(client)
    ghost.cookies.set(Role.TEAM.cookie, signer.sign(signer.issue(Role.TEAM, team=99, member="G")))
    page = ghost.get("/team")
    assert page.status_code == 403 and "Join your team first" in page.text


def test_errors_are_pages_without_a_trace(site, monkeypatch):
    """Not found, a wrong method, a failure inside: a page that says so, and no traceback."""
    client, _, ann, _, room = site
    missing = ann.get("/nowhere")
    assert missing.status_code == 404 and "There is no such page" in missing.text
    wrong = ann.request("DELETE", "/team")
    assert wrong.status_code == 405 and "Traceback" not in wrong.text

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(room, "proposals", broken)
    quiet = TestClient(client.app, base_url=ORIGIN, raise_server_exceptions=False)
    quiet.cookies = ann.cookies
    failed = quiet.get("/team")
    assert failed.status_code == 500
    assert "Something went wrong" in failed.text
    assert "secret internals" not in failed.text and "Traceback" not in failed.text
    assert failed.headers["referrer-policy"] == "no-referrer"


def test_a_body_too_large_is_refused(site):
    """A form far beyond any decision form's size is refused before it is read."""
    _, _, ann, _, _ = site
    response = ann.post("/team/draft", {"turn": "1", "plan_terms": "a = 1\n" * 20_000})
    assert response.status_code == 413


def test_bad_numbers_through_the_form_are_named_and_not_saved(site):
    """NaN, 1e308 and negative counts posted: each refused by name; the last draft stands."""
    _, _, ann, _, _ = site
    assert (
        "Saved as your team"
        in ann.post("/team/draft", {"turn": "1", "training_every_months": "3"}).text
    )
    answer = ann.post(
        "/team/draft",
        {
            "turn": "1",
            "coaching.hours": "nan",
            "recognition": "1e308",
            "hire.ae.count": "-1",
            "training_every_months": "4",
            "routing.ae": "chaos",
        },
    )
    assert answer.status_code == 200
    for named in [
        "Coaching hours: &#39;nan&#39;",
        "Recognition: &#39;1e308&#39; is out of range",
        "Hire AEs: &#39;-1&#39; is out of range",
        "AE routing: no choice &#39;chaos&#39;",
    ]:
        assert named in answer.text
    assert "draft until every field reads: the last draft saved stands" in answer.text
    page = ann.get("/team").text
    assert 'name="training_every_months" value="3"' in page
    assert 'value="nan"' not in page and 'value="4"' not in page


def test_the_instructors_link_sets_a_cookie_and_drops_the_key(site):
    """/instructor?key= redirects to /instructor; the key is in no cookie or page."""
    client, links, _, _, _ = site
    boss = Visitor(client)
    first = boss.get(f"/instructor?key={links.instructor}")
    assert first.status_code == 303 and first.headers["location"] == "/instructor"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and links.instructor not in cookie
    page = boss.get("/instructor")
    assert page.status_code == 200 and links.instructor not in page.text
    assert instructor(client, links).get("/board").status_code == 200


def test_names_are_shown_as_text_never_as_markup(site):
    """A member named like a script is escaped on every page that shows the name."""
    client, links, _, _, _ = site
    name = '<script>alert("x")</script>'
    mallory = join(client, links.teams["Red"], name)
    mallory.post("/team/propose", {"turn": "1", "recognition": "2"})
    boss = instructor(client, links)
    for page in [mallory.get("/team").text, mallory.get("/team/live?turn=1").text,
                 boss.get("/instructor").text]:  # fmt: skip
        assert name not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in mallory.get("/team").text
