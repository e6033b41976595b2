"""``python -m salessim``: the ``salessim`` command."""

from salessim.cli import app

app(prog_name="salessim")
