"""``python -m salessim.cli``."""

from salessim.cli import app

app()
