"""Golden figures: each shipped scenario's headline KPIs for seed 0 over one year.

The figures are stored in ``tests/golden/<scenario>.json``. Any change to the model that
moves them fails this test; a change meant to move them is recorded on purpose with
``python -m pytest tests/test_golden.py --update-golden`` and committed with its reason.
The comparison allows a relative 1e-9 so that a different maths library's last bit does
not count as a change.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from salessim import simulate
from salessim.scenario.load import load_scenario
from tests.support import ROOT

GOLDEN = Path(__file__).parent / "golden"
SHIPPED = sorted(ROOT.glob("scenarios/**/*.yaml"))
HEADLINES = (
    "leads_created",
    "leads_gone_cold",
    "opportunities_created",
    "deals_won",
    "win_rate",
    "sales_cycle_days_median",
    "bookings_new_arr",
    "bookings_expansion_arr",
    "churned_arr",
    "ending_arr",
    "grr",
    "nrr",
    "utilisation_sdr",
    "utilisation_ae",
    "hires",
    "exits",
    "morale_mean",
    "comp_cost",
)


def golden_path(scenario: Path) -> Path:
    """The golden file of a shipped scenario: its path under scenarios/, / as __."""
    name = str(scenario.relative_to(ROOT / "scenarios").with_suffix(""))
    return GOLDEN / f"{name.replace('/', '__')}.json"


def headline_figures(scenario: Path) -> dict[str, float | None]:
    """The headline KPIs of a year on seed 0, unknown as None."""
    kpis = simulate(load_scenario(scenario), seed=0, years=1).kpis
    return {name: None if math.isnan(kpis[name]) else kpis[name] for name in HEADLINES}


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: str(p.relative_to(ROOT / "scenarios")))
def test_headline_figures_are_unchanged(scenario: Path, request: pytest.FixtureRequest):
    """Seed 0, one year: the headline KPIs equal the stored ones (unknown stays unknown)."""
    figures = headline_figures(scenario)
    path = golden_path(scenario)
    if request.config.getoption("--update-golden"):
        path.write_text(json.dumps(figures, indent=1) + "\n")
    assert path.exists(), f"no golden figures for {scenario.name}: run with --update-golden"
    stored = json.loads(path.read_text())
    assert list(stored) == list(figures)
    for name, value in figures.items():
        if value is None or stored[name] is None:
            assert value == stored[name], f"{name}: {stored[name]} -> {value}"
        else:
            assert value == pytest.approx(stored[name], rel=1e-9, abs=1e-12), name


def test_every_golden_file_belongs_to_a_shipped_scenario():
    """A golden file outlives no scenario: renaming or removing one removes its figures."""
    assert {p.name for p in GOLDEN.glob("*.json")} == {golden_path(s).name for s in SHIPPED}
