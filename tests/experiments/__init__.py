"""Tests of ``salessim.experiments``."""
