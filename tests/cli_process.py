"""The command line as a real process, for tests of what a user sees: exit code and stderr.

A real process shows what a user gets (no traceback swallowed by a test runner), and its
timeout turns a hang into a failure instead of a stuck test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from tests.support import ROOT

TIMEOUT = 60  # seconds: a refusal takes about one; a hang would take forever


def cli(*args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """``salessim ARGS`` as a real process running this tree, with a wide terminal.

    ``options`` go to ``subprocess.run`` (e.g. ``preexec_fn``).
    """
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "COLUMNS": "250",
    }
    return subprocess.run(
        [sys.executable, "-m", "salessim.cli", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        **options,
    )


def assert_refused(proc: subprocess.CompletedProcess[str], *expected: str) -> None:
    """Exit code 2, each expected text on stderr, and no traceback anywhere."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    for text in expected:
        assert text in proc.stderr, proc.stderr
