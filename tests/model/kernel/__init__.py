"""Tests of ``salessim.model.kernel``."""
