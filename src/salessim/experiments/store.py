"""Results on disk: tidy rows appended as replications finish, so a run can resume.

An experiment directory holds ``experiment.json`` (what is being run: arms with their
scenario hashes, seeds, metrics, and the commands that ran it), ``scenarios/`` (each
arm's validated scenario, by hash), ``results.csv`` (arm, replication, seed, metric,
value), ``series.jsonl`` (one line per replication: bookings by week, open leads by
month, attainments) and ``failures.csv`` (arm, replication, seed, error). Rows are
flushed as each replication finishes; running the same experiment again reads them and
computes only what is missing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

RESULT_FIELDS = ("arm", "replication", "seed", "metric", "value")
COMPLETE = "_complete"  # the last row of a replication: an interrupted write leaves none
FAILURE_FIELDS = ("arm", "replication", "seed", "error")


class Store:
    """An experiment directory."""

    def __init__(self, directory: Path, manifest: Mapping[str, Any]) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "experiment.json"
        if path.exists():
            found = json.loads(path.read_text())
            if found.get("design") != manifest.get("design"):
                raise ValueError(
                    f"{directory} holds results of another experiment; "
                    "use a new directory or delete it"
                )
            commands = found.get("commands", []) + [
                c for c in manifest.get("commands", []) if c not in found.get("commands", [])
            ]
            manifest = found | {
                "replications": manifest["replications"],
                "commands": commands,
                "precision": manifest.get("precision"),  # a run with a fixed -n has none
            }
        self.path = path
        self.manifest = dict(manifest)
        self._write_manifest()
        self.results = directory / "results.csv"
        self.failures = directory / "failures.csv"
        self.series_path = directory / "series.jsonl"

    def _write_manifest(self) -> None:
        self.path.write_text(json.dumps(self.manifest, indent=2, sort_keys=True) + "\n")

    def note(self, **fields: Any) -> None:
        """Record ``fields`` in ``experiment.json`` (replications run, how a run stopped)."""
        self.manifest |= fields
        self._write_manifest()

    @classmethod
    def open(cls, directory: Path) -> Store:
        """The experiment directory an earlier run wrote.

        Raises:
            ValueError: ``directory`` holds no experiment.
        """
        path = directory / "experiment.json"
        if not path.exists():
            raise ValueError(f"{directory}: no experiment.json; not a results directory")
        return cls(directory, json.loads(path.read_text()))

    @staticmethod
    def scenario_file(directory: Path, digest: str) -> Path:
        """Where the scenario with hash ``digest`` is kept."""
        return directory / "scenarios" / f"{digest}.json"

    def keep_scenario(self, digest: str, text: str) -> None:
        """Keep a scenario's validated JSON under its hash (once)."""
        path = self.scenario_file(self.directory, digest)
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)

    def completed(self) -> set[tuple[str, int]]:
        """(arm, replication) pairs whose results are all written."""
        return {
            (row["arm"], int(row["replication"]))
            for row in self._read(self.results)
            if row["metric"] == COMPLETE
        }

    def done(self) -> set[tuple[str, int]]:
        """(arm, replication) pairs already finished, failed ones included."""
        failed = {(row["arm"], int(row["replication"])) for row in self._read(self.failures)}
        return self.completed() | failed

    def replications(self) -> Iterator[tuple[str, int, int, dict[str, float]]]:
        """(arm, replication, seed, metrics) of every finished replication, one at a time.

        A replication's rows are written together, so only one is held at a time; rows
        not followed by their completion mark (a write cut short) are dropped.
        """
        key: tuple[str, int] | None = None
        metrics: dict[str, float] = {}
        for row in self._read(self.results):
            here = (row["arm"], int(row["replication"]))
            if here != key:
                key, metrics = here, {}
            if row["metric"] == COMPLETE:
                yield here[0], here[1], int(row["seed"]), metrics
                key, metrics = None, {}
            else:
                metrics[row["metric"]] = float(row["value"])

    def rows(self) -> Iterator[dict[str, object]]:
        """The tidy rows of every finished replication."""
        for arm, replication, seed, metrics in self.replications():
            for metric, value in metrics.items():
                yield {
                    "arm": arm,
                    "replication": replication,
                    "seed": seed,
                    "metric": metric,
                    "value": value,
                }

    def failed(self) -> Iterator[dict[str, str]]:
        """Every failure row."""
        return self._read(self.failures)

    def series(self) -> Iterator[tuple[str, int, dict[str, list[float]]]]:
        """(arm, replication, series) of every replication, once each, one at a time.

        A line cut short by an interruption is skipped; a replication run again after one
        wrote the same line twice, and only the first is read.
        """
        if not self.series_path.exists():
            return
        seen: set[tuple[str, int]] = set()
        with self.series_path.open() as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                key = (entry["arm"], entry["replication"])
                if key not in seen:
                    seen.add(key)
                    yield key[0], key[1], entry["series"]

    def add(
        self,
        arm: str,
        replication: int,
        seed: int,
        metrics: Mapping[str, float],
        series: Mapping[str, list[float]] | None = None,
    ) -> None:
        """Append one finished replication (its series first: the results mark it done)."""
        if series is not None:
            entry = {"arm": arm, "replication": replication, "series": series}
            with self.series_path.open("a") as handle:
                handle.write(json.dumps(entry, allow_nan=True) + "\n")
        rows = [(arm, replication, seed, name, repr(value)) for name, value in metrics.items()]
        rows.append((arm, replication, seed, COMPLETE, "1"))
        self._append(self.results, RESULT_FIELDS, rows)

    def write_parquet(self) -> Path | None:
        """Also write the results as ``results.parquet`` when pyarrow is installed."""
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            return None
        rows = list(self.rows())
        table = pa.table({name: [row[name] for row in rows] for name in RESULT_FIELDS})
        path = self.directory / "results.parquet"
        pq.write_table(table, path)
        return path

    def add_failure(self, arm: str, replication: int, seed: int, error: str) -> None:
        """Append one failed replication."""
        self._append(self.failures, FAILURE_FIELDS, [(arm, replication, seed, error)])

    @staticmethod
    def _append(path: Path, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if not path.exists():
            writer.writerow(fields)
        writer.writerows(rows)
        with path.open("a", newline="") as handle:
            handle.write(buffer.getvalue())  # one write: a replication lands whole or not
            handle.flush()

    @staticmethod
    def _read(path: Path) -> Iterator[dict[str, str]]:
        """Rows one at a time: a long experiment is never held in memory whole."""
        if not path.exists():
            return
        with path.open(newline="") as handle:
            yield from csv.DictReader(handle)
