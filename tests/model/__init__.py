"""Tests of ``salessim.model``."""
