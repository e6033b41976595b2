"""Tests of ``salessim.model.pay``."""
