"""Experiments on a dask.distributed cluster: the numbers of serial and pool runs, resume, CLI.

One local cluster of two worker processes on loopback serves the whole module.
"""

from __future__ import annotations

import json
import math
import re
import socket
import time
from concurrent.futures import ProcessPoolExecutor

import pytest
from typer.testing import CliRunner

from salessim.cli import app
from salessim.experiments.cluster import ClusterError, dask_executor
from salessim.experiments.runner import run
from salessim.experiments.store import Store
from tests.support import DESIGN_METRICS, QUEUE_COMPARE, same, small_design

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (pip install 'salessim[dist]')"
)

CLUSTER_COMPARE = [
    *QUEUE_COMPARE,
    "slower:funnel.stages.0.work.exponential.mean=1.2h",
    "--metric",
    "utilisation_sdr",
    "--json",
]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes and their scheduler, on loopback only."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",  # any free port: never clashes with another cluster
    ) as local:
        yield local


@pytest.fixture(scope="module")
def serial(small_org):
    """The small design run serially in this process: the numbers to match."""
    results = run(small_design(small_org))
    assert not results.failures
    return results


# ---------------------------------------------------------------------- the same numbers
def test_serial_pool_and_dask_give_identical_numbers(small_org, serial, cluster):
    """Serial, process-pool and dask runs of one design give identical numbers."""
    design = small_design(small_org)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = run(design, executor=pool)
    with dask_executor(cluster.scheduler_address, timeout=10) as executor:
        clustered = run(design, executor=executor)
    values = [v for arm in serial.values.values() for m in DESIGN_METRICS for v in arm[m]]
    assert len(values) == 2 * 3 * len(DESIGN_METRICS) and all(math.isfinite(v) for v in values)
    assert set(serial.metric_names) == set(design.kept_metrics or [])  # the verdict's kept too
    assert serial.values["six"] != serial.values["seven"]  # the arms really differ
    assert not pooled.failures and not clustered.failures
    assert same(serial.values, pooled.values)
    assert same(serial.values, clustered.values)


def test_an_interrupted_dask_run_resumes_on_dask(small_org, serial, cluster, tmp_path):
    """Stopped after two replications, a second run on the cluster computes only the four missing.

    It ends with the numbers of an uninterrupted serial run, each replication stored once.
    """
    design = small_design(small_org)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with (
        pytest.raises(KeyboardInterrupt),
        dask_executor(cluster.scheduler_address, timeout=10) as executor,
    ):
        run(
            design,
            executor=executor,
            store=Store(tmp_path, design.manifest()),
            progress=stop_after_two,
        )
    store = Store(tmp_path, design.manifest())
    assert len(store.done()) == 2
    calls: list[tuple[int, int]] = []
    with dask_executor(cluster.scheduler_address, timeout=10) as executor:
        resumed = run(
            design, executor=executor, store=store, progress=lambda d, t: calls.append((d, t))
        )
    assert calls[-1] == (4, 4) and len(calls) == 4
    assert same(resumed.values, serial.values)
    assert len(list(store.rows())) == 2 * 3 * len(design.kept_metrics or [])


# ---------------------------------------------------------------------- the command
def test_compare_on_the_cluster_matches_a_serial_compare(cluster):
    """The same comparison with --workers 1 and --scheduler; the cluster ran all six replications.

    Replications are counted in the scheduler's task stream: those started after the
    command began, so a replication left over from an earlier test is not counted.
    """
    runner = CliRunner()
    serial = runner.invoke(app, [*CLUSTER_COMPARE, "--workers", "1"])
    assert serial.exit_code == 0, serial.output
    with distributed.Client(cluster) as client:
        client.get_task_stream()  # start recording
        began = time.time()
        clustered = runner.invoke(app, [*CLUSTER_COMPARE, "--scheduler", cluster.scheduler_address])
        assert clustered.exit_code == 0, clustered.output
        ran = [
            task
            for task in client.get_task_stream()
            if task["key"].startswith("_attempt") and task["startstops"][0]["start"] >= began
        ]
    expected = json.loads(serial.stdout)["comparison"]
    assert [row["arm"] for row in expected] == ["mmc_l5_m1_c10", "slower"]
    assert all(row["n"] == 3 for row in expected) and expected[1]["difference"] > 0
    assert json.loads(clustered.stdout)["comparison"] == expected
    assert len(ran) == 2 * 3


# ---------------------------------------------------------------------- no cluster
def test_an_unreachable_scheduler_is_named():
    """An unreachable scheduler raises a ClusterError naming it, within the timeout."""
    address = f"tcp://127.0.0.1:{closed_port()}"
    started = time.perf_counter()
    message = f"could not reach the dask scheduler at {re.escape(address)}"
    with pytest.raises(ClusterError, match=message), dask_executor(address, timeout=1):
        pytest.fail("connected to a closed port")
    assert time.perf_counter() - started < 5  # the timeout was honoured


def test_compare_with_an_unreachable_scheduler_refuses_in_one_line(monkeypatch):
    """Exit code 2, one line on stderr naming the address, no traceback.

    The connect timeout is shortened from its default (10 s) to keep the test quick.
    """
    monkeypatch.setattr("salessim.experiments.cluster.CONNECT_SECONDS", 1.0)
    address = f"tcp://127.0.0.1:{closed_port()}"
    result = CliRunner().invoke(app, [*CLUSTER_COMPARE, "--scheduler", address])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and address in lines[0], result.stderr
    assert "Traceback" not in result.output and not result.stdout
