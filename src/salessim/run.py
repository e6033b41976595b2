"""One replication: (scenario, seed) -> RunResult, a pure function.

No files, no environment variables, no globals: a ``RunResult`` is plain data that
pickles to any executor and is identical for the same scenario and seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from salessim.metrics.kpis import compute
from salessim.metrics.record import Record
from salessim.model.engine import Progress, Simulation
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_YEAR


@dataclass
class RunResult:
    """What one replication produced."""

    scenario_name: str
    seed: int
    kpis: dict[str, float]
    record: Record
    events: dict[str, list[object]] | None = None

    @property
    def monthly(self) -> list[dict[str, float | str]]:
        """One row per measured month: counts, ARR, pipeline by stage, team figures."""
        return self.record.monthly

    @property
    def weekly_new_arr(self) -> Sequence[float]:
        """New ARR booked in each week of the measured period."""
        return self.record.weekly_new_arr


def simulate(
    scenario: Scenario,
    seed: int = 0,
    *,
    years: float | None = None,
    record_events: bool = False,
    progress: Progress | None = None,
) -> RunResult:
    """Run ``scenario`` with ``seed`` to the end of its horizon (or ``years`` after warm-up).

    Args:
        scenario: the validated scenario.
        seed: the root seed of every random stream.
        years: simulate this long after the warm-up instead of the scenario's horizon.
        record_events: keep the full event log in ``RunResult.events``.
        progress: called with (days done, days to do) about once a simulated week.
    """
    sim = Simulation(scenario, seed, record_events=record_events)
    end = sim.end if years is None else scenario.calendar.warmup + years * DAYS_PER_YEAR
    sim.run_until(end, progress)
    return result_of(sim)


def result_of(sim: Simulation) -> RunResult:
    """The result of a simulation so far (closes its books)."""
    record = sim.finish()
    return RunResult(
        scenario_name=sim.scenario.meta.name,
        seed=sim.seed,
        kpis=compute(record),
        record=record,
        events=sim.event_log.columns if sim.event_log is not None else None,
    )
