"""Shared test helpers: small scenarios built from dicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from salessim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
NO_OTHER_ROLES = {
    "ae": {"headcount": 0},
    "specialist": {"headcount": 0},
    "csm": {"headcount": 0},
    "manager": {"headcount": 0},
}


def one_queue(
    rate: str = "9/h", work: str = "1h", servers: int = 10, horizon: str = "30d", **extra: Any
) -> Scenario:
    """An M/M/c-style scenario: one SDR stage working in real time."""
    stage: dict[str, Any] = {
        "name": "qualification",
        "role": "sdr",
        "work": {"exponential": {"mean": work}},
        "convert": 0,
        "on_fail": "disqualified",
        **extra.pop("stage", {}),
    }
    data: dict[str, Any] = {
        "calendar": {"horizon": horizon},
        "market": {"segments": {"all": {"inbound": {"rate": rate}}}},
        "customers": {"referrals_per_account_per_year": 0},
        "funnel": {"stages": [stage], "conversion": {"skill_elasticity": 0, "fit_elasticity": 0}},
        "roles": {
            "sdr": {
                "headcount": servers,
                "hours_per_week": 168,
                "selling_share": 1,
                "prospecting_share": 0,
            },
            **NO_OTHER_ROLES,
        },
        **extra,
    }
    return Scenario.model_validate(data)


@pytest.fixture
def small_org() -> Scenario:
    """The default organisation, shrunk: a year's run takes a fraction of a second."""
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
