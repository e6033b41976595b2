"""One replication: (scenario, seed) -> RunResult, a pure function.

No files, no environment variables, no globals: a ``RunResult`` is plain data that
pickles to any executor and is identical for the same scenario and seed. ``Recording``
is the one place where observers attach to a simulation: the recorder, the opt-in event
log, the switch that ends the warm-up and the ends of the measured (cohort) years.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from salessim.metrics.eventlog import EventLog
from salessim.metrics.forecast import by_quarter
from salessim.metrics.forecast import priors as forecast_priors
from salessim.metrics.kpis import ability_by_year, compute, price_by_week
from salessim.metrics.record import Record
from salessim.metrics.recorder import Recorder
from salessim.model.engine import Progress, Simulation
from salessim.scenario.limits import MAX_YEARS
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_YEAR


@dataclass
class RunResult:
    """What one replication produced."""

    scenario_name: str
    seed: int
    kpis: dict[str, float]
    record: Record
    events: dict[str, dict[str, list[object]]] | None = None
    """The event log, when kept: one table (column name -> values) per event kind."""

    @property
    def monthly(self) -> list[dict[str, float | str]]:
        """One row per measured month: counts, ARR, pipeline by stage, team figures."""
        return self.record.monthly

    @property
    def weekly_new_arr(self) -> Sequence[float]:
        """New ARR booked in each week of the measured period."""
        return self.record.weekly_new_arr

    @property
    def forecast_by_quarter(self) -> list[dict[str, float | str]]:
        """The pipeline forecast of each whole quarter measured, made at its start, and actual.

        Rows: ``quarter``, ``new_arr_forecast``, ``new_arr_actual``, ``churn_forecast``,
        ``churn_actual`` (``salessim.metrics.forecast``).
        """
        return by_quarter(self.record)

    @property
    def ability_by_year(self) -> list[dict[str, float]]:
        """Mean latent ability (over the role's mean) by measured year.

        Of the reps employed at the year's end, of those hired and of those who left in it.
        """
        return ability_by_year(self.record)

    @property
    def price_by_quarter_week(self) -> list[float]:
        """Realised price against list of the deals won in each week of a fiscal quarter.

        Week 13 takes the quarter's last day or two; NaN for a week without a win.
        """
        return price_by_week(self.record)


class Recording:
    """A simulation with its recorders attached: what it does becomes a ``Record``.

    Attach before the simulation's first advance. Measuring starts when the warm-up ends.

    Raises:
        ValueError: the simulation has already advanced.
    """

    def __init__(self, sim: Simulation, *, events: bool = False) -> None:
        if sim.started:
            raise ValueError("attach the recorders before the simulation's first advance")
        self.sim = sim
        stages = sim.scenario.funnel.stages
        self.recorder = Recorder(
            sim.bus,
            sim.snapshot,
            sim.book,
            [s.name for s in stages],
            [s.role.value for s in stages],
            lambda day: sim.calendar.period(day, 3)[0],
            quarter_of=lambda day: sim.calendar.period(day, 3),
            renewals_due=sim.renewals_due,
            priors=forecast_priors(sim.scenario),
        )
        segments = list(sim.scenario.market.segments)
        self.event_log = EventLog(sim.bus, segments) if events else None
        sim.at(sim.measure_from, self._start_measuring)

    def _start_measuring(self) -> None:
        self.recorder.start()
        self.sim.at(self.recorder.year_ends_at, self._year_ended)

    def _year_ended(self) -> None:
        self.recorder.close_year(self.sim.now)
        self.sim.at(self.recorder.year_ends_at, self._year_ended)

    @property
    def record(self) -> Record:
        """The record so far (months close as they end)."""
        return self.recorder.record

    def result(self) -> RunResult:
        """Close the books now and return the result of the measured period.

        Raises:
            ValueError: the warm-up has not ended yet.
        """
        sim = self.sim
        if not self.recorder.measuring:
            raise ValueError(f"nothing measured yet: the warm-up ends on day {sim.measure_from:g}")
        record = self.recorder.finish()
        return RunResult(
            scenario_name=sim.scenario.meta.name,
            seed=sim.seed,
            kpis=compute(record, book_years=sim.scenario.game.book_years),
            record=record,
            events=self.event_log.tables() if self.event_log is not None else None,
        )


def check_years(years: float | None) -> None:
    """Refuse a length of run that is not a number of years from just above 0 to the limit.

    Raises:
        ValueError: ``years`` is not more than 0 and at most ``MAX_YEARS`` (NaN neither).
    """
    if years is not None and not 0 < years <= MAX_YEARS:
        raise ValueError(f"years must be more than 0 and at most {MAX_YEARS:g}, not {years}")


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

    Raises:
        ValueError: ``years`` is not more than 0 and at most ``MAX_YEARS``.
    """
    check_years(years)
    sim = Simulation(scenario, seed)
    recording = Recording(sim, events=record_events)
    end = sim.end if years is None else scenario.calendar.warmup + years * DAYS_PER_YEAR
    sim.run_until(end, progress)
    return recording.result()
