"""Tests of ``salessim.report``."""
