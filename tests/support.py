"""Helpers shared by the tests: the repository root, a small experiment and a game's player.

Import them as ``from tests.support import ROOT``; fixtures (``small_org``) live in
``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from salessim.experiments import runner
from salessim.experiments.runner import Arm, Design, replication_seed
from salessim.scenario.load import apply_overrides, load_scenario
from salessim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
"""The repository root: ``docs/``, ``scenarios/``, ``benchmarks/`` and ``src/`` are below it."""


def chromium() -> str | None:
    """Debian's chromium for the browser tests: on the PATH, else at /usr/bin/chromium."""
    found = shutil.which("chromium")
    if found:
        return found
    fallback = Path("/usr/bin/chromium")
    return str(fallback) if os.access(fallback, os.X_OK) else None


# ---------------------------------------------------------------------- experiments
DESIGN_METRICS = ["bookings_new_arr", "deals_won", "utilisation_ae"]


def small_design(small_org: Scenario, replications: int = 3, **extra: object) -> Design:
    """Six AEs against seven, a quarter each, on the small organisation."""
    bigger = apply_overrides(small_org, {"roles.ae.headcount": 7})
    arms = [Arm("six", small_org), Arm("seven", bigger)]
    return Design(arms, replications, seed=5, years=0.25, metrics=DESIGN_METRICS, **extra)


def same(a: dict, b: dict) -> bool:
    """Equal value by value, NaN (unknown) equal to NaN, arms and metrics in the same order."""
    return repr(a) == repr(b)


# ---------------------------------------------------------------------- the game
PAID = load_scenario(
    ROOT / "scenarios" / "comp" / "linear_50_50.yaml",
    ["calendar.horizon=1y", "calendar.warmup=0"],
)
"""A year's game without warm-up on the linear 50/50 pay plans."""


def busy_player(briefing):
    """A manager who changes something every turn, differently each time."""
    turn = briefing.turn
    laggards = [r.rep for r in briefing.roster if r.attainment is not None and r.attainment < 0.6]
    decisions = {
        1: {
            "hire": [{"role": "ae", "count": 2, "offer": 1.15}],
            "coaching": {"hours_per_rep_per_month": 4, "focus": "laggards"},
            "routing": {"ae": "round_robin"},
        },
        2: {"fire": laggards[:1], "training_every_months": 2, "recognition": 2},
        3: {"segment_focus": {"mid_market": 2.0}, "backfill": "delayed", "quota": {"ae": 1.1}},
    }
    return decisions.get(turn, {})


# A small compare on an M/M/c queue; the caller names an arm with its overrides next.
QUEUE_COMPARE = [
    "compare",
    "scenarios/queue/mmc_l5_m1_c10.yaml",
    "-n",
    "3",
    "--years",
    "0.05",
    "--arm",
]


def break_first_replication(monkeypatch) -> None:
    """Make the first replication of a design seeded 1 raise; the others run as usual."""
    real = runner.replicate

    def broken_first(scenario, seed, years, metrics):
        if seed == replication_seed(1, 0):
            raise RuntimeError("the model broke")
        return real(scenario, seed, years, metrics)

    monkeypatch.setattr(runner, "replicate", broken_first)
