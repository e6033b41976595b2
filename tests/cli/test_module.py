"""``python -m salessim`` is the ``salessim`` command."""

from __future__ import annotations

import subprocess
import sys


def test_python_dash_m_salessim_runs_the_command():
    """The package runs as a module, with the command's own name in its help."""
    done = subprocess.run(
        [sys.executable, "-m", "salessim", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: salessim" in done.stdout
