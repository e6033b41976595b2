"""The ``salessim`` command line: parse input, call the library, print or write results.

No model logic lives here. Scenario problems print as ``file:line: key: message`` lines
on stderr with exit code 2, never a traceback.
"""

# Each module registers its commands; the order here is the order of the help.
from salessim.cli import runs  # noqa: I001, F401
from salessim.cli import compare, sweep, sensitivity, reporting  # noqa: F401
from salessim.cli import game_play, game_replay  # noqa: F401
from salessim.cli import classroom  # noqa: F401
from salessim.cli.common import app


def entry() -> None:
    """Console entry point."""
    app()


__all__ = ["app", "entry"]
