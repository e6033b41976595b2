"""The engine: reproducible runs, advancing in steps, and changes between advances."""

from __future__ import annotations

import itertools
import math
import pickle

import pytest

from salessim import Simulation, simulate
from salessim.run import Recording
from salessim.scenario.load import ScenarioError
from salessim.scenario.schema import Scenario


def same(a: dict[str, float], b: dict[str, float]) -> bool:
    """Bit-identical KPIs, treating NaN as equal to NaN."""
    return a.keys() == b.keys() and all(
        (math.isnan(a[k]) and math.isnan(b[k])) or a[k] == b[k] for k in a
    )


def same_rows(a: list[dict[str, float | str]], b: list[dict[str, float | str]]) -> bool:
    """Bit-identical monthly rows, treating NaN (a month with nobody on a team) as equal."""
    return len(a) == len(b) and all(
        x.keys() == y.keys() and all(x[k] == y[k] or (x[k] != x[k] and y[k] != y[k]) for k in x)
        for x, y in zip(a, b, strict=True)
    )


def test_same_scenario_and_seed_give_identical_results(small_org: Scenario):
    """The same scenario and seed give bit-identical KPIs, monthly rows and weekly bookings."""
    first, second = simulate(small_org, 3), simulate(small_org, 3)
    assert same(first.kpis, second.kpis)
    assert same_rows(first.monthly, second.monthly)
    assert first.record.weekly_new_arr == second.record.weekly_new_arr


def test_different_seeds_differ(small_org: Scenario):
    """Different seeds give different KPIs."""
    assert not same(simulate(small_org, 1).kpis, simulate(small_org, 2).kpis)


def test_advancing_in_steps_equals_one_run(small_org: Scenario):
    """Advancing in several steps ends with the KPIs of one uninterrupted run."""
    sim = Simulation(small_org, 5)
    recording = Recording(sim)
    for day in (10.5, 91.0, 200.0, sim.end):
        sim.run_until(day)
    assert same(recording.result().kpis, simulate(small_org, 5).kpis)


def test_result_pickles_for_any_executor(small_org: Scenario):
    """A run's result survives pickling, so any executor can send it back."""
    result = simulate(small_org, 1, years=0.25)
    assert same(pickle.loads(pickle.dumps(result)).kpis, result.kpis)


def test_a_change_between_advances_takes_effect(small_org: Scenario):
    """Halving every stage's conversion mid-run lowers wins against the unchanged run."""
    half = {
        f"funnel.stages.{i}.convert": s.convert / 2 for i, s in enumerate(small_org.funnel.stages)
    }
    changed, unchanged = Simulation(small_org, 9), Simulation(small_org, 9)
    records = {sim: Recording(sim) for sim in (changed, unchanged)}
    for sim in (changed, unchanged):
        sim.run_until(120)
    changed.change(half)
    for sim in (changed, unchanged):
        sim.run_until(sim.end)
    assert changed.scenario.funnel.stages[1].convert == small_org.funnel.stages[1].convert / 2
    won = {sim: records[sim].result().kpis["deals_won"] for sim in records}
    assert won[changed] < won[unchanged]


def test_a_policy_change_between_advances_is_applied(small_org: Scenario):
    """A routing policy changed mid-run replaces the team's routing."""
    sim = Simulation(small_org, 2)
    sim.run_until(30)
    sim.change(["policies.routing.sdr=least_loaded"])
    assert "LeastLoaded" in repr(sim.organisation.teams[next(iter(sim.organisation.teams))])


def test_shape_changes_are_refused_mid_run(small_org: Scenario):
    """A headcount change mid-run is refused as a change of shape."""
    sim = Simulation(small_org, 2)
    sim.run_until(30)
    with pytest.raises(ValueError, match="shape"):
        sim.change({"roles.ae.headcount": 12})


def test_bad_changes_are_refused_with_the_key(small_org: Scenario):
    """A change with a misspelt key is refused, naming the key."""
    sim = Simulation(small_org, 2)
    with pytest.raises(ScenarioError, match="headcont"):
        sim.change({"roles.ae.headcont": 12})


def test_time_only_moves_forward(small_org: Scenario):
    """Advancing to a time before now is refused."""
    sim = Simulation(small_org, 2)
    sim.run_until(50)
    with pytest.raises(ValueError, match="back in time"):
        sim.run_until(10)


def test_warmup_excludes_its_leads(small_org: Scenario):
    """After a warm-up, measuring covers the horizon from the book the warm-up left."""
    warm = small_org.model_copy(
        update={"calendar": small_org.calendar.model_copy(update={"warmup": 100.0})}
    )
    result = simulate(warm, 4)
    assert result.kpis["measured_days"] == pytest.approx(small_org.calendar.horizon)
    assert result.kpis["customers_start"] != small_org.customers.initial.accounts


def test_progress_reports_reach_the_end(small_org: Scenario):
    """Progress reports never go backwards, and the last one reaches the total."""
    seen: list[tuple[float, float]] = []
    simulate(small_org, 1, years=0.5, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == pytest.approx(seen[-1][1])
    assert all(b >= a for (a, _), (b, _) in itertools.pairwise(seen))


def test_event_log_is_opt_in_and_complete(small_org: Scenario):
    """The event log is kept only when asked for; it then holds every lead, columns aligned."""
    assert simulate(small_org, 1, years=0.1).events is None
    result = simulate(small_org, 1, years=0.1, record_events=True)
    events = result.events
    assert events is not None
    assert len(events["lead_created"]["lead"]) == result.kpis["leads_created"]
    for table in events.values():
        assert len({len(column) for column in table.values()}) == 1


def test_lead_ids_stay_unique_across_a_change(small_org: Scenario):
    """Lead ids stay unique across a change made mid-run."""
    sim = Simulation(small_org, 3)
    recording = Recording(sim, events=True)
    sim.run_until(60)
    sim.change({"policies.routing.sdr": "least_loaded"})
    sim.run_until(120)
    assert recording.event_log is not None
    created = recording.event_log.tables()["lead_created"]["lead"]
    assert len(created) == len(set(created)) > 100


def test_advancing_to_now_is_a_no_op(small_org: Scenario):
    """``run_until(now)`` leaves the clock where it is, at the start as later."""
    sim = Simulation(small_org, 1)
    sim.run_until(0)
    sim.run_until(30)
    sim.run_until(30)
    assert sim.now == 30
    with pytest.raises(ValueError, match="back in time"):
        sim.run_until(29)
