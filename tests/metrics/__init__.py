"""Tests of ``salessim.metrics``."""
