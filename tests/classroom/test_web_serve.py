"""``salessim classroom serve``: the app under uvicorn, its cookie secret, a stop and a restart."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import httpx
import pytest

from salessim.classroom.room import Classroom
from salessim.classroom.web.app import secret_of, serve
from tests.support import ROOT

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def test_the_secret_is_made_once_readable_by_its_owner_only(tmp_path):
    """The first call writes a random secret (mode 0600); later calls read the same one."""
    db = tmp_path / "class.sqlite"
    first = secret_of(db)
    path = tmp_path / "class.sqlite.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == 32 and secret_of(db) == first
    assert secret_of(tmp_path / "other.sqlite") != first


def test_serving_a_missing_class_is_refused_before_anything_is_written(tmp_path):
    """No database: a clear error, and no secret file beside the missing class."""
    with pytest.raises(FileNotFoundError, match="no such class"):
        serve(tmp_path / "missing.sqlite", port=1)
    assert list(tmp_path.iterdir()) == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(db, port) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = ["-m", "salessim.cli", "classroom", "serve", "--db", str(db), "--port", str(port)]
    return subprocess.Popen(
        [sys.executable, *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_until_up(base: str, process: subprocess.Popen[str]) -> None:
    ends = time.monotonic() + 60
    while time.monotonic() < ends:
        assert process.poll() is None, process.communicate()[0]
        try:
            httpx.get(base + "/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start within a minute")


def _listen(base: str, cookies: dict[str, str], heard: list[str]) -> None:
    """Hold an event stream open as a browser does, noting every line, until it ends."""
    with (
        httpx.Client(base_url=base, cookies=cookies, timeout=None) as browser,
        browser.stream("GET", "/events") as stream,
    ):
        heard.extend(stream.iter_lines())


def _wait_for(condition, seconds: float = 30.0) -> None:
    ends = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < ends
        time.sleep(0.05)


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    return output


def test_serve_runs_the_app_stops_on_ctrl_c_and_restarts_with_members_and_drafts(tmp_path):
    """Ctrl-C stops at once, open event streams and all; a restart keeps members and drafts.

    A member joins and saves a draft, then holds an event stream open as the server is
    stopped; after a restart the member is still joined and the draft is there.
    """
    db = tmp_path / "class.sqlite"
    room, links = Classroom.create(db, "first_team", teams=["Red"], workers=0)
    room.close()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    origin = {"origin": base}
    server = _start(db, port)
    try:
        _wait_until_up(base, server)
        with httpx.Client(base_url=base, timeout=30) as ann:
            page = ann.get(f"/join/{links.teams['Red']}")
            csrf = CSRF.search(page.text).group(1)
            joined = ann.post(
                f"/join/{links.teams['Red']}", data={"csrf": csrf, "member": "Ann"}, headers=origin
            )
            assert joined.status_code == 303
            team = ann.get("/team")
            csrf = CSRF.search(team.text).group(1)
            saved = ann.post(
                "/team/draft", data={"csrf": csrf, "turn": "1", "recognition": "2"}, headers=origin
            )
            assert "Saved as your team" in saved.text
            cookies = dict(ann.cookies)
        heard: list[str] = []
        listener = threading.Thread(target=_listen, args=(base, cookies, heard), daemon=True)
        listener.start()
        _wait_for(lambda: any(line.startswith("event: changed") for line in heard))
    finally:
        output = _stop(server)
    assert "graceful shutdown exceeded" not in output  # the open stream did not hold it up
    listener.join(5)
    assert not listener.is_alive()
    assert "Traceback" not in output and "ERROR" not in output, output
    assert links.teams["Red"] not in output  # no access log holding the tokens
    server = _start(db, port)
    try:
        _wait_until_up(base, server)
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as ann:
            page = ann.get("/team")
            assert page.status_code == 200
            assert 'name="recognition" value="2"' in page.text
    finally:
        _stop(server)
