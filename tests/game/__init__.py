"""Tests of ``salessim.game``."""
