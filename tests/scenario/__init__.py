"""Tests of ``salessim.scenario``."""
