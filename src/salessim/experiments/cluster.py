"""Replications on an existing dask.distributed cluster, through its Executor.

Workers run the same pure replication function as a local pool, so results are the
same numbers. Every worker needs the same salessim version installed; that is checked
before anything is submitted.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

from salessim import __version__

CONNECT_SECONDS = 10.0


class ClusterError(Exception):
    """The cluster cannot be used: dask missing, scheduler unreachable, workers unfit."""


@contextmanager
def dask_executor(address: str, timeout: float | None = None) -> Iterator[Executor]:
    """An Executor on the dask scheduler at ``address`` (e.g. ``tcp://10.0.0.5:8786``).

    ``timeout`` is how long to try to connect, ``CONNECT_SECONDS`` by default.

    Raises:
        ClusterError: dask.distributed is not installed, the scheduler does not answer,
            it has no workers, or a worker lacks this salessim version.
    """
    try:
        from distributed import Client
    except ImportError as error:
        raise ClusterError(
            "--scheduler needs dask.distributed: pip install 'salessim[dist]'"
        ) from error
    try:
        wait = CONNECT_SECONDS if timeout is None else timeout
        client = Client(address, timeout=wait)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"could not reach the dask scheduler at {address}: {error}") from error
    try:
        _check_workers(client, address)
        executor = client.get_executor(pure=False)  # replications are never deduplicated
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)
    finally:
        client.close()


def _check_workers(client: object, address: str) -> None:
    versions = client.run(  # type: ignore[attr-defined]
        importlib.metadata.version, "salessim", on_error="return"
    )
    if not versions:
        raise ClusterError(f"the dask scheduler at {address} has no workers")
    unfit = {
        worker: "not installed" if isinstance(found, Exception) else found
        for worker, found in versions.items()
        if found != __version__
    }
    if unfit:
        listed = ", ".join(f"{worker} ({found})" for worker, found in sorted(unfit.items()))
        raise ClusterError(f"workers need salessim {__version__}; these differ: {listed}")
