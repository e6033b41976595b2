"""A design run from the command line: where results go, its lock, workers, interrupts."""

from __future__ import annotations

import hashlib
import json
import shlex
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from pydantic_core import PydanticSerializationError
from rich.console import Console

from salessim.cli.common import cannot_write, fail, progress_bar, refuse, stderr
from salessim.experiments.runner import Design, Results
from salessim.scenario.load import ScenarioError

if TYPE_CHECKING:
    from salessim.experiments.precision import Precision
    from salessim.experiments.store import Store


def write_report_to(
    results: Results, out: Path, metrics: Sequence[str] | None, as_json: bool = False
) -> None:
    """Write the report; say where on stdout (on stderr when stdout carries JSON)."""
    from salessim.experiments.report import write_report

    try:
        written = write_report(results, out, list(metrics) if metrics else None, command_line())
    except OSError as error:
        raise cannot_write("report", out, error) from None
    console = stderr if as_json else Console(soft_wrap=True)  # a path stays on one line
    console.print(f"report in {written.html} (summary {written.markdown.name})", highlight=False)


def command_line() -> str:
    """The command as typed, for the manifest and the lock."""
    return shlex.join(["salessim", *sys.argv[1:]])


def results_dir_for(design: Design, out: Path | None, report: bool) -> Path | None:
    """Where results go: ``out``, or for a report without it a directory named by the design."""
    if out is None and report:
        digest = hashlib.sha256(json.dumps(design.manifest()["design"]).encode()).hexdigest()
        return Path("results") / f"{design.kind}-{digest[:8]}"
    return out


@contextmanager
def locked(out: Path | None) -> Iterator[None]:
    """Hold ``out``'s lock (made if missing) while a command writes it; refuse if held."""
    if out is None:
        yield
        return
    from salessim.experiments.lock import DirectoryLock, LockHeldError

    lock = DirectoryLock(out, command_line())
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except LockHeldError as error:
        raise refuse(str(error)) from None
    except OSError as error:
        raise cannot_write("--out", out, error) from None
    try:
        if lock.stale is not None:
            stderr.print(f"{out}: {lock.stale.stale_note()}", markup=False, highlight=False)
        yield
    finally:
        lock.release()


def _interrupted(out: Path | None) -> NoReturn:
    """Say what an interrupted run kept, and exit 130."""
    kept = (
        f"finished replications are kept in {out}; run the same command again to resume"
        if out is not None
        else "nothing was kept (--out DIR keeps results as they finish)"
    )
    stderr.print(f"interrupted: {kept}", markup=False, highlight=False)
    raise typer.Exit(code=130) from None


def run_replications(
    design: Design,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    precision: Precision | None = None,
) -> Results:
    """Run a design, keeping results in ``out`` (whose lock the caller holds).

    Under a precision rule the replications run in batches until the rule is met; without
    ``out`` they are kept in a temporary directory meanwhile, so no batch runs twice.
    """
    import tempfile

    from salessim.experiments.runner import run as run_design

    rule = precision.record(None, False, None) if precision is not None else None
    manifest = design.manifest() | {"commands": [command_line()], "precision": rule}
    scratch = tempfile.TemporaryDirectory() if out is None and precision is not None else None
    where = out if scratch is None else Path(scratch.name)
    try:
        store = _open_store(where, manifest, out)
        with _executor(workers, scheduler) as executor, progress_bar("Replications") as progress:
            if precision is None or store is None:
                results = run_design(design, executor=executor, store=store, progress=progress)
            else:
                results = _to_precision(design, precision, executor, store, progress)
        if store is not None and scratch is None:
            store.write_parquet()
    except KeyboardInterrupt:
        _interrupted(out)
    except OSError as error:  # the directory went read-only, full or away during the run
        raise cannot_write("--out", where, error) from None
    except PydanticSerializationError as error:
        if "KeyboardInterrupt" not in str(error):
            raise
        _interrupted(out)  # Ctrl-C while pydantic's compiled code was writing JSON
    finally:
        if scratch is not None:
            scratch.cleanup()
    for failure in results.failures:
        stderr.print(
            f"replication {failure['replication']} of {failure['arm']} failed: {failure['error']}",
            markup=False,
        )
    if results.failures and not results.metric_names:
        raise refuse("every replication failed; there is nothing to compare")
    return results


def _open_store(where: Path | None, manifest: dict[str, Any], out: Path | None) -> Store | None:
    """The store in ``where`` (None: no store), its torn rows cut and reported."""
    from salessim.experiments.store import Store

    if where is None:
        return None
    try:
        store = Store(where, manifest)
        notes = store.repair().notes(where, store.seed_of, resuming=True)
    except ScenarioError as error:
        raise fail(error) from None
    except ValueError as error:
        raise refuse(str(error)) from None
    except OSError as error:
        raise cannot_write("--out", out, error) from None
    for line in notes:
        stderr.print(line, markup=False, highlight=False)
    return store


def _to_precision(
    design: Design, precision: Precision, executor: Any, store: Any, progress: Any
) -> Results:
    """Run look by look until the precision rule is met; the store keeps what each look ran."""
    from dataclasses import replace

    from salessim.experiments.precision import run_to_precision
    from salessim.experiments.runner import run as run_design

    finished = 0

    def counted(done: int, total: int) -> None:
        progress(finished + done, finished + total)

    def upto(n: int) -> Results:
        nonlocal finished
        store.note(replications=n)
        results = run_design(
            replace(design, replications=n), executor=executor, store=store, progress=counted
        )
        finished = len(store.completed())
        return results

    results = run_to_precision(precision, upto)
    store.note(replications=results.design.replications, precision=results.precision)
    return results


@contextmanager
def _executor(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A dask cluster's executor, a process pool over ``workers`` cores, or None (serial)."""
    if scheduler is not None:
        from salessim.experiments.cluster import ClusterError, dask_executor

        try:
            with dask_executor(scheduler) as executor:
                yield executor
        except ClusterError as error:
            raise refuse(str(error)) from None
        return
    if workers == 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_parent)
    try:
        yield pool
    except BaseException:  # interrupted or failed: drop the queued replications at once
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _leave_interrupts_to_parent() -> None:
    """In a pool worker: Ctrl-C is handled by the command, not by each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
