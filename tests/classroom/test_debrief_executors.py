"""Where a class debrief's replays play: forked, on an executor, a process pool or dask.

Wherever they play, the debrief is the same, and progress counts every replay as it ends.
"""

from __future__ import annotations

import os

import pytest

from salessim.classroom.debrief import class_debrief
from salessim.game.forking import NO_FORK
from salessim.game.played import PLAYED
from tests.classroom.debrief_teams import (
    CLASS_SEED,
    FIRST_TEAM,
    LUCK_SEEDS,
    InProcess,
    class_result,
    logs,
)


@pytest.fixture(autouse=True)
def forget_autopilots():
    """Each debrief plays its autopilots afresh (none is taken from an earlier test)."""
    PLAYED.clear()
    yield
    PLAYED.clear()


def test_an_executor_gives_the_forked_debrief_and_counts_progress():
    """On an executor each replay plays from the start, with the numbers of forked replays."""
    seen: list[tuple[int, int]] = []
    found = class_debrief(
        FIRST_TEAM,
        CLASS_SEED,
        logs(),
        seeds=LUCK_SEEDS,
        executor=InProcess(),
        progress=lambda *step: seen.append(step),
    )
    assert found.to_json() == class_result().to_json()
    total = found.replays
    assert total > 3 * (1 + 2 * LUCK_SEEDS)  # the games, luck seeds and left-out decisions
    assert seen == [(done, total) for done in range(1, total + 1)]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_replays_count_progress_to_the_end(monkeypatch):
    """Forked from snapshots, progress ends at every replay done."""
    monkeypatch.delenv(NO_FORK, raising=False)
    seen: list[tuple[int, int]] = []
    found = class_debrief(
        FIRST_TEAM, CLASS_SEED, logs(), seeds=1, progress=lambda *step: seen.append(step)
    )
    assert seen[-1] == (found.replays, found.replays)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_without_fork_a_process_pool_plays_them(monkeypatch):
    """Where fork is not allowed, a process pool plays the replays, with the same numbers."""
    monkeypatch.setenv(NO_FORK, "1")
    teams = {"Sensible": logs()["Sensible"], "Autopilot": logs()["Autopilot"]}
    pooled = class_debrief(FIRST_TEAM, CLASS_SEED, teams, seeds=1)
    here = class_debrief(FIRST_TEAM, CLASS_SEED, teams, seeds=1, executor=InProcess())
    assert pooled.to_json() == here.to_json()


def test_a_dask_cluster_gives_the_same_debrief():
    """Given a dask scheduler, the replays play on its workers, with the same numbers."""
    distributed = pytest.importorskip("distributed")
    teams = {"Sensible": logs()["Sensible"], "Big spenders": logs()["Big spenders"]}
    here = class_debrief(FIRST_TEAM, CLASS_SEED, teams, seeds=1, executor=InProcess())
    PLAYED.clear()
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as cluster:
        seen: list[tuple[int, int]] = []
        clustered = class_debrief(
            FIRST_TEAM,
            CLASS_SEED,
            teams,
            seeds=1,
            scheduler=cluster.scheduler_address,
            progress=lambda *step: seen.append(step),
        )
    assert clustered.to_json() == here.to_json()
    assert seen[-1] == (clustered.replays, clustered.replays)
