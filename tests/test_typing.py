"""The package type-checks: types live in annotations, and mypy agrees with them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import ROOT


def test_mypy_finds_no_type_error_in_the_package(tmp_path):
    """``mypy src`` with the project's settings (pyproject.toml) reports no error."""
    pytest.importorskip("mypy")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "src"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
