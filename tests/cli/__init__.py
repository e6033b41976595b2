"""Tests of ``salessim.cli``."""
