"""Every shipped scenario loads, says what it shows, and runs a short horizon."""

from __future__ import annotations

import math

import pytest

from salessim import simulate
from salessim.scenario.bundled import bundled_scenarios, resolve_scenario
from salessim.scenario.load import load_scenario
from tests.support import ROOT

SHIPPED = sorted(ROOT.glob("scenarios/**/*.yaml"))


def test_there_are_shipped_scenarios_and_all_are_bundled():
    """The shipped scenarios include the baseline and are exactly the bundled ones."""
    names = {str(p.relative_to(ROOT / "scenarios").with_suffix("")) for p in SHIPPED}
    assert "baseline" in names
    assert names == set(bundled_scenarios())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT / "scenarios")))
def test_shipped_scenario_opens_with_a_comment_and_runs(path):
    """A shipped scenario opens with a comment and runs, creating leads in a short horizon."""
    assert path.read_text().startswith("#"), (
        "each scenario opens with a comment saying what it shows"
    )
    result = simulate(load_scenario(path), seed=1, years=0.1)
    assert result.kpis["leads_created"] > 0
    assert not math.isnan(result.kpis["measured_days"])


def test_default_scenario_is_the_baseline():
    """With no scenario named, the baseline is used."""
    assert resolve_scenario(None).name == "baseline.yaml"
