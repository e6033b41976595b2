"""The classroom load benchmark runs a tiny class end to end; its timing targets are not tested."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from tests.support import ROOT

SCRIPT = str(ROOT / "benchmarks" / "bench_classroom.py")
KINDS = ("page", "draft", "submit", "briefing", "live")


def bench(*options: str) -> subprocess.CompletedProcess[str]:
    """The script run with ``options``, with this checkout's salessim."""
    return subprocess.run(
        [sys.executable, SCRIPT, *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
    )


@pytest.mark.slow
def test_a_tiny_class_is_served_played_through_and_debriefed_with_no_error():
    """``--quick --live --json`` with 3 teams exits 0, measures every figure, counts 0 errors.

    Every kind of request was made and timed (the open pages' live panels too), every
    round was closed and its briefings seen, the class debrief ran, and the server
    stopped on Ctrl-C.
    """
    run = bench("--quick", "--live", "--json", "--teams", "3", "--clients", "2")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    figures = report["figures"]
    assert figures["errors"]["value"] == 0, figures["errors"]["detail"]
    assert figures["errors"]["status"] == "PASS"
    for kind in KINDS:
        for name in ("p50", "p95"):
            value = figures[f"{kind}_{name}"]["value"]
            assert isinstance(value, float) and math.isfinite(value) and value > 0, (kind, name)
    for key, budget in (("round_close", 15.0), ("class_debrief", 120.0)):
        figure = figures[key]
        assert figure["status"] in ("PASS", "FAIL"), figure["detail"]
        assert figure["value"] > 0 and figure["baseline"] == budget
    assert "rounds: " in figures["round_close"]["detail"]
    assert report["settings"] == {
        "exercise": "first_team",
        "teams": 3,
        "clients": 2,
        "live": True,
        "debrief": True,
        "luck_seeds": 2,
    }
    assert any("stopped on Ctrl-C with exit code 0" in note for note in report["notes"])
    assert any("load average" in note for note in report["notes"])


def test_the_benchmark_serves_on_localhost_only():
    """Any other --host is refused (exit 2, the option named) before a class is made."""
    run = bench("--host", "0.0.0.0")
    assert run.returncode == 2
    assert "--host" in run.stderr and "127.0.0.1 only" in run.stderr
    assert "making a class" not in run.stderr
