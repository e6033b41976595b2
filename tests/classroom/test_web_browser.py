"""A round in a real browser: an instructor and two teams, each in a browser context of its own.

The app runs under uvicorn on 127.0.0.1 (a free port) on a fake clock; Debian's Chromium
drives it through Playwright. The instructor's page and the projector's leaderboard
update live (server-sent events, htmx) without a reload, nothing breaks the page's CSP,
and nothing is fetched from anywhere but the app. Skipped only when Playwright cannot
be imported or no Chromium executable is found. With ``SALESSIM_SCREENSHOTS=DIR`` it
also saves the team's page, its decision form, the instructor's page and the board
there (``docs/img`` has them).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from salessim.classroom.web.app import create_app
from tests.classroom.sites import SECRET, new_site
from tests.support import chromium

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="playwright cannot be imported (pip install -e '.[dev]')",
    exc_type=ImportError,
)
uvicorn = pytest.importorskip("uvicorn")


CHROMIUM = chromium()
if CHROMIUM is None:
    pytest.skip(
        "no chromium executable (not on PATH, no /usr/bin/chromium): apt-get install chromium",
        allow_module_level=True,
    )
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update"]  # fmt: skip
WAIT_MS = 20_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[str, Any]]:
    """The app on a class of Red and Blue, under uvicorn on 127.0.0.1; its base URL and links."""
    room, links, clock = new_site(tmp_path, ["Red", "Blue"], round_minutes=20)
    app = create_app(lambda: room, secret=SECRET, now=clock.now, tick_seconds=0.2, poll_seconds=0.2)
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    ends = time.monotonic() + 20
    while not served.started:
        assert time.monotonic() < ends and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", links
    finally:
        served.should_exit = True
        thread.join(10)


def test_a_round_with_an_instructor_and_two_teams_updates_every_page_live(server, tmp_path):
    """Teams join, draft and submit; the instructor sees it live, closes, the board ranks."""
    base, links = server
    instructor_url, team_urls = links.links(base)
    troubles: list[str] = []
    foreign: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:

            def page_of(who: str) -> Any:
                context = browser.new_context(viewport={"width": 1280, "height": 1000})
                context.set_default_timeout(WAIT_MS)
                context.on(
                    "request",
                    lambda r: None if r.url.startswith(base) else foreign.append(r.url),
                )
                page = context.new_page()
                page.on(
                    "console",
                    lambda m: (
                        troubles.append(f"{who}: {m.text}")
                        if m.type in ("error", "warning")
                        else None
                    ),
                )
                page.on("pageerror", lambda error: troubles.append(f"{who}: {error}"))
                return page

            boss, red, blue = page_of("instructor"), page_of("red"), page_of("blue")
            boss.goto(instructor_url)
            assert boss.url == f"{base}/instructor"
            board = boss.context.new_page()
            board.goto(f"{base}/board")
            board.wait_for_selector("#board >> text=before the first round")

            for page, team, member in [(red, "Red", "Ann"), (blue, "Blue", "Bo")]:
                page.goto(team_urls[team])
                page.fill("input[name=member]", member)
                page.click(f"text=Join as {team}")
                page.wait_for_url(f"{base}/team")
                page.wait_for_selector(f"text=Team {team} · {member}")

            deadline = red.locator("#status time[data-epoch]")
            sync_api.expect(deadline).not_to_contain_text("UTC")  # in the browser's own time
            red.wait_for_selector("#status >> text=19 min 5")  # the countdown ticks

            red.fill("input[name=recognition]", "2")
            red.press("input[name=recognition]", "Tab")
            red.wait_for_selector("#check >> text=The game accepts this draft")
            shots = os.environ.get("SALESSIM_SCREENSHOTS")
            if shots:
                red.locator("section.decide").evaluate("section => section.scrollIntoView()")
                red.screenshot(path=str(Path(shots) / "classroom_decisions.png"))
            blue.fill("input[name='hire.ae.count']", "lots")
            blue.press("input[name='hire.ae.count']", "Tab")
            blue.wait_for_selector("#check >> text='lots' is not a whole number")

            boss.wait_for_selector("#status >> text=Ann", timeout=WAIT_MS)  # the draft, live
            red.click("text=Submit for the team")
            red.wait_for_selector("text=Submitted for your team")
            boss.wait_for_selector("text=1 of 2 teams submitted")  # live, no reload
            if shots:
                red.screenshot(path=str(Path(shots) / "classroom_team.png"))
                boss.screenshot(path=str(Path(shots) / "classroom_instructor.png"))

            boss.click("text=Close the round now")
            boss.wait_for_url(f"{base}/instructor?done=closed")
            board.wait_for_selector("#board >> text=after round 1")  # live, no reload
            ranked = board.locator("table.standings tbody tr")
            assert ranked.count() == 2
            assert sorted(ranked.nth(i).locator("td").nth(1).inner_text() for i in range(2)) == [
                "Blue",
                "Red",
            ]
            if shots:
                board.screenshot(path=str(Path(shots) / "classroom_board.png"))
            blue.wait_for_selector("text=Turn 2 of 4 · after")  # the page reloads itself
            assert "played by the bot autopilot" in blue.inner_text(".history")
            red.wait_for_selector(".history >> text=submitted by Ann")
            red.screenshot(path=str(tmp_path / "after.png"))
        finally:
            browser.close()
    assert troubles == []
    assert foreign == []
    assert (tmp_path / "after.png").stat().st_size > 10_000
