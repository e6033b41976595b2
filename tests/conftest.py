"""Shared test fixtures: the repository root and a small organisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from salessim.experiments.runner import Arm, Design
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]


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


DESIGN_METRICS = ["bookings_new_arr", "deals_won", "utilisation_ae"]


def small_design(small_org: Scenario, replications: int = 3, **extra: object) -> Design:
    """Six AEs against seven, a quarter each, on the small organisation."""
    bigger = apply_overrides(small_org, {"roles.ae.headcount": 7})
    arms = [Arm("six", small_org), Arm("seven", bigger)]
    return Design(arms, replications, seed=5, years=0.25, metrics=DESIGN_METRICS, **extra)


def same(a: dict, b: dict) -> bool:
    """Equal value by value, NaN (unknown) equal to NaN, arms and metrics in the same order."""
    return repr(a) == repr(b)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites the golden figures instead of only checking them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write tests/golden/*.json from this run (commit them with the reason)",
    )
