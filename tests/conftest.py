"""Shared test fixtures: a small organisation, and the ``--update-golden`` option.

Helpers that tests import (the repository root, a small experiment) are in ``tests/support.py``.
"""

from __future__ import annotations

import pytest

from salessim.scenario.schema import Scenario


@pytest.fixture(scope="session")
def small_org() -> Scenario:
    """The default organisation, shrunk: a year's run takes a fraction of a second.

    Shared by every test: a scenario is frozen, so none can change it.
    """
    return Scenario.model_validate(
        {
            "calendar": {"horizon": "1y"},
            "market": {
                "segments": {"mid_market": {"inbound": {"rate": "120/mo"}}},
                "outbound": {"leads_per_prospecting_hour": 0.3},
            },
            "roles": {
                "sdr": {"headcount": 3, "selling_share": 0.5, "prospecting_share": 0.3},
                "ae": {"headcount": 6},
                "specialist": {"headcount": 1},
                "csm": {"headcount": 2},
                "manager": {"headcount": 1},
            },
            "customers": {"initial": {"accounts": 150}},
        }
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites the golden figures instead of only checking them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write tests/golden/*.json from this run (commit them with the reason)",
    )
