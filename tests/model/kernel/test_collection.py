"""The collector's thresholds while the model runs, and after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from salessim.model.engine import Simulation
from salessim.model.kernel.collection import FULL_AFTER, sparing_collections
from salessim.scenario.schema import Scenario


@pytest.fixture
def own_thresholds() -> Iterator[tuple[int, int, int]]:
    """The process's thresholds set to odd values for the test, then put back."""
    before = gc.get_threshold()
    gc.set_threshold(555, 7, 3)
    yield (555, 7, 3)
    gc.set_threshold(*before)


def test_full_collections_are_spared_inside_and_restored_after(own_thresholds) -> None:
    """Inside the block only the oldest generation's threshold rises; after it, all as before."""
    with sparing_collections():
        assert gc.get_threshold() == (555, 7, FULL_AFTER)
    assert gc.get_threshold() == own_thresholds


def test_a_higher_threshold_of_the_process_is_kept(own_thresholds) -> None:
    """A process that already spares full collections more is not made to collect more."""
    gc.set_threshold(555, 7, 5 * FULL_AFTER)
    with sparing_collections():
        assert gc.get_threshold() == (555, 7, 5 * FULL_AFTER)


def test_restored_when_the_run_raises(own_thresholds) -> None:
    """An error inside the block still puts the process's thresholds back."""
    with pytest.raises(RuntimeError), sparing_collections():
        raise RuntimeError("stop")
    assert gc.get_threshold() == own_thresholds


def test_a_run_spares_during_it_and_restores_after(small_org: Scenario, own_thresholds) -> None:
    """``run_until`` runs under the spared thresholds and hands the process its own back."""
    seen: list[tuple[int, int, int]] = []
    sim = Simulation(small_org, 0)
    sim.env.process(_watch(sim, seen))
    sim.run_until(30)
    assert seen and set(seen) == {(555, 7, FULL_AFTER)}
    assert gc.get_threshold() == own_thresholds


def _watch(sim: Simulation, seen: list[tuple[int, int, int]]):  # type: ignore[no-untyped-def]
    while True:
        seen.append(gc.get_threshold())
        yield sim.env.timeout(7)
