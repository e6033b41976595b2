"""The class debrief from the instructor's page: made in its own process, then shown safely."""

from __future__ import annotations

import time

import pytest

from salessim.classroom.web.debriefing import Debriefing, make
from salessim.classroom.web.security import REPORT_POLICY
from tests.classroom.sites import instructor, join, new_site, served

WAIT_SECONDS = 120


def finished(boss) -> str:
    """The debrief page once no debrief is being made (it follows the process)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        page = boss.get("/instructor/debrief").text
        if "Being made" not in page:
            return page
        time.sleep(0.2)
    raise AssertionError("the class debrief was still being made after two minutes")


def test_before_any_turn_there_is_nothing_to_debrief(tmp_path):
    """The button is offered; pressed before a close it is refused, and no page exists."""
    room, links, clock = new_site(tmp_path, ["Red", "Blue"])
    with served(room, clock) as client:
        boss = instructor(client, links)
        assert "Make the class debrief" in boss.get("/instructor/debrief").text
        refused = boss.post("/instructor/debrief")
        assert refused.status_code == 422 and "no team has played a turn yet" in refused.text
        assert boss.get("/instructor/debrief/page").status_code == 409
        assert not (tmp_path / "class-debrief" / "debrief.html").exists()


def test_the_instructor_makes_the_debrief_and_opens_it(tmp_path):
    """After the rounds, the debrief is made beside the class and shown with no script allowed."""
    room, links, clock = new_site(tmp_path, ["Red", "Blue"])
    with served(room, clock) as client:
        red = join(client, links.teams["Red"], "Ann")
        boss = instructor(client, links)
        room.submit(1, "Ann", {"coaching": {"hours_per_rep_per_month": 4}})
        for _ in range(4):
            room.close_round()
        assert boss.post("/instructor/debrief").status_code == 303
        page = finished(boss)
        assert "Open the class debrief" in page and "Make it again" in page
        shown = boss.get("/instructor/debrief/page")
        assert shown.status_code == 200
        assert shown.headers["content-security-policy"] == REPORT_POLICY
        assert "script-src" not in REPORT_POLICY and "<script" not in shown.text
        assert "Red" in shown.text and "Blue" in shown.text
        folder = tmp_path / "class-debrief"
        assert {p.name for p in folder.iterdir()} == {
            "debrief.html",
            "debrief.md",
            "debrief.json",
        }
        assert red.get("/instructor/debrief/page").status_code == 403


def test_a_debrief_that_fails_says_why(tmp_path):
    """A debrief whose class cannot be read leaves its reason for the instructor's page."""
    db = tmp_path / "gone.sqlite"
    folder = tmp_path / "gone-debrief"
    folder.mkdir()
    with pytest.raises(SystemExit):
        make(str(db), str(folder), 1)
    said = Debriefing(db).progress()
    assert not said.running and said.made_at is None
    assert said.failed is not None and "gone.sqlite" in said.failed
