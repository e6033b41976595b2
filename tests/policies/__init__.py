"""Tests of ``salessim.policies``."""
