"""Results on disk: tidy rows appended as replications finish, so a run can resume.

An experiment directory holds ``experiment.json`` (what is being run: arms with their
scenario hashes, seeds, metrics, and the commands that ran it), ``scenarios/`` (each
arm's validated scenario, by hash), ``results.csv`` (arm, replication, seed, metric,
value), ``series.jsonl`` (one line per replication: bookings by week, open leads by
month, attainments) and ``failures.csv`` (arm, replication, seed, error). Rows are
flushed as each replication finishes; running the same experiment again reads them and
computes only what is missing.

Nothing read here is trusted. The manifest is checked (``manifest``); every row must
end its line, name a known arm, carry its replication's seed (``seeds``) and a number,
and a replication counts only once its completion row follows its metrics. A row cut
short (a write interrupted by a crash or a full disk) or spoiled is torn: it is dropped,
with its replication, which then runs again. A line longer than any row salessim writes
is torn too, so a hostile file costs what it weighs, never its length in memory. What
is found torn is told by :mod:`salessim.experiments.damage`; the lines are read and
written by :mod:`salessim.experiments.result_files`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from salessim.experiments.damage import Damage, Key
from salessim.experiments.manifest import MANIFEST, read_manifest
from salessim.experiments.result_files import (
    MAX_ROW_BYTES,
    csv_fields,
    cut_torn_tail,
    is_header,
    is_number,
    read_lines,
    write_atomically,
)
from salessim.experiments.seeds import replication_seed
from salessim.scenario.limits import MAX_REPLICATIONS, MAX_SAVE_BYTES
from salessim.scenario.reading import exists

RESULT_FIELDS = ("arm", "replication", "seed", "metric", "value")
COMPLETE = "_complete"  # the last row of a replication: an interrupted write leaves none
FAILURE_FIELDS = ("arm", "replication", "seed", "error")
MAX_ERROR_CHARS = 2_000
"""A failed replication's error is kept to this many characters, on one line."""
MAX_METRICS = 10_000
"""The most metric rows one replication may have (salessim's KPIs are about 100)."""
MAX_SERIES_LINE_BYTES = MAX_SAVE_BYTES
"""The longest ``series.jsonl`` line read (a century of weekly bookings is ~100 KB)."""


class Store:
    """An experiment directory.

    ``Store(directory, manifest)`` opens it for writing (made if missing; refused if it
    holds another experiment); :meth:`open` reads one an earlier run wrote.
    """

    def __init__(
        self, directory: Path, manifest: Mapping[str, Any], *, writing: bool = True
    ) -> None:
        self.directory = directory
        self.path = directory / MANIFEST
        self.results = directory / "results.csv"
        self.failures = directory / "failures.csv"
        self.series_path = directory / "series.jsonl"
        if writing:
            directory.mkdir(parents=True, exist_ok=True)
            manifest = self._merged(manifest)
        self.manifest = dict(manifest)
        design = self.manifest["design"]
        self._arms = {arm["name"] for arm in design["arms"]}
        self._root_seed = int(design["seed"])
        self._seeds: dict[int, int] = {}
        self._last_key: tuple[tuple[str, str, str], int | None] = (("", "", ""), None)
        if writing:
            self._write_manifest()

    def _merged(self, manifest: Mapping[str, Any]) -> Mapping[str, Any]:
        """``manifest`` joined to the one already in the directory, if any.

        Raises:
            ValueError: the directory holds another experiment.
            ScenarioError: its manifest is unreadable or spoiled.
        """
        if not exists(self.path):
            return manifest
        found = read_manifest(self.path)
        if found["design"] != manifest.get("design"):
            raise ValueError(
                f"{self.directory} holds results of another experiment; "
                "use a new directory or delete it"
            )
        commands = found["commands"] + [
            c for c in manifest.get("commands", []) if c not in found["commands"]
        ]
        return found | {
            "replications": manifest["replications"],
            "commands": commands,
            "precision": manifest.get("precision"),  # a run with a fixed -n has none
        }

    def _write_manifest(self) -> None:
        write_atomically(self.path, json.dumps(self.manifest, indent=2, sort_keys=True) + "\n")

    def note(self, **fields: Any) -> None:
        """Record ``fields`` in ``experiment.json`` (replications run, how a run stopped)."""
        self.manifest |= fields
        self._write_manifest()

    @classmethod
    def open(cls, directory: Path) -> Store:
        """The experiment directory an earlier run wrote, to read (nothing is written).

        Raises:
            ValueError: ``directory`` holds no experiment.
            ScenarioError: its manifest is unreadable or spoiled.
        """
        path = directory / MANIFEST
        if not exists(path):
            raise ValueError(f"{directory}: no {MANIFEST}; not a results directory")
        return cls(directory, read_manifest(path), writing=False)

    @staticmethod
    def scenario_file(directory: Path, digest: str) -> Path:
        """Where the scenario with hash ``digest`` is kept."""
        return directory / "scenarios" / f"{digest}.json"

    def keep_scenario(self, digest: str, text: str) -> None:
        """Keep a scenario's validated JSON under its hash (once)."""
        path = self.scenario_file(self.directory, digest)
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            write_atomically(path, text)

    def seed_of(self, replication: int) -> int:
        """The seed of ``replication`` under this experiment's root seed."""
        seed = self._seeds.get(replication)
        if seed is None:
            seed = self._seeds[replication] = replication_seed(self._root_seed, replication)
        return seed

    # ------------------------------------------------------------------ integrity
    def check(self) -> Damage:
        """What is torn in the directory's files (nothing is changed)."""
        damage = Damage()
        done = {(arm, r) for arm, r, _, _ in self._walk(damage)}
        done |= {key for key, _ in self._failure_rows(damage)}
        for _ in self._series(damage):
            pass
        damage.lost -= done
        return damage

    def repair(self) -> Damage:
        """Drop what is torn, so that rows appended next start clean; return what was found.

        ``results.csv`` is rewritten with its sound replications only when it holds rows
        that do not count (a torn row would otherwise spoil the next replication written).
        In the other files each line stands alone: a torn last line is cut, and torn lines
        earlier are skipped whenever the file is read. A command about to append calls
        this under the directory's lock.
        """
        damage = self.check()
        if damage.stray_results:
            self._rewrite_results()
        for path in (self.failures, self.series_path):
            cut_torn_tail(path)
        return damage

    def _rewrite_results(self) -> None:
        """``results.csv`` again with its sound replications only, once each, in order."""
        seen: set[Key] = set()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(RESULT_FIELDS)
        temporary = self.results.with_name(f".{self.results.name}.{os.getpid()}.tmp")
        try:
            with temporary.open("w", newline="") as handle:
                for arm, replication, seed, metrics in self._walk(Damage()):
                    if (arm, replication) in seen:
                        continue
                    seen.add((arm, replication))
                    rows = [(arm, replication, seed, m, repr(v)) for m, v in metrics.items()]
                    writer.writerows([*rows, (arm, replication, seed, COMPLETE, "1")])
                    handle.write(buffer.getvalue())
                    buffer.seek(0)
                    buffer.truncate()
                handle.write(buffer.getvalue())
            os.replace(temporary, self.results)
        finally:
            temporary.unlink(missing_ok=True)

    # ------------------------------------------------------------------ reading
    def completed(self) -> set[tuple[str, int]]:
        """(arm, replication) pairs whose results are all written."""
        return {(arm, r) for arm, r, _, _ in self._walk(Damage())}

    def done(self) -> set[tuple[str, int]]:
        """(arm, replication) pairs already finished, failed ones included."""
        failed = {key for key, _ in self._failure_rows(Damage())}
        return self.completed() | failed

    def replications(self) -> Iterator[tuple[str, int, int, dict[str, float]]]:
        """(arm, replication, seed, metrics) of every finished replication, one at a time.

        A replication's rows are written together, so only one is held at a time; torn
        rows, and the replication they belong to, are left out.
        """
        return self._walk(Damage())

    def _walk(self, damage: Damage) -> Iterator[tuple[str, int, int, dict[str, float]]]:
        """Every sound replication in ``results.csv``; what is torn goes into ``damage``.

        A torn row spoils the rows up to the next completion row: an old resume appended
        to a torn line, which then swallowed the first row of the next replication.
        """
        key: Key | None = None
        metrics: dict[str, float] = {}
        spoiled = False
        for line in read_lines(self.results, MAX_ROW_BYTES):
            row = self._result_row(line)
            if row is None:
                if not is_header(line, RESULT_FIELDS):
                    damage.torn["results.csv"] = damage.torn.get("results.csv", 0) + 1
                    damage.stray_results = spoiled = True
                    if (where := self._key_of(line)) is not None:
                        damage.lost.add(where)
                continue
            arm, replication, seed, metric, value = row
            here = (arm, replication)
            if here != key:
                if key is not None:  # rows with no completion row: a write cut short
                    damage.lost.add(key)
                    damage.stray_results = True
                key, metrics = here, {}
            if metric != COMPLETE:
                metrics[metric] = value
                if len(metrics) > MAX_METRICS:
                    spoiled = True
                continue
            if spoiled:
                damage.lost.add(here)
                damage.stray_results = True
            else:
                yield arm, replication, seed, metrics
            key, metrics, spoiled = None, {}, False
        if key is not None:
            damage.lost.add(key)
            damage.stray_results = True
        if spoiled:  # a torn row last: whatever is appended next would be spoiled
            damage.stray_results = True

    def _result_row(self, line: bytes) -> tuple[str, int, int, str, float] | None:
        """A sound results row, or None (cut short, or any field wrong)."""
        fields = csv_fields(line, len(RESULT_FIELDS))
        if fields is None:
            return None
        arm, replication, seed, metric, value = fields
        if (arm, replication, seed) != self._last_key[0]:  # rows come a replication at a time
            self._last_key = ((arm, replication, seed), self._replication(arm, replication, seed))
        found = self._last_key[1]
        if found is None or not metric or (metric == COMPLETE and value != "1"):
            return None
        try:
            number = float(value)
        except ValueError:
            return None
        return arm, found, int(seed), metric, number

    def _replication(self, arm: str, replication: str, seed: str) -> int | None:
        """The replication number when arm, replication and seed agree with the design."""
        if arm not in self._arms:
            return None
        try:
            r, s = int(replication), int(seed)
        except ValueError:
            return None
        if not 0 <= r < MAX_REPLICATIONS or s != self.seed_of(r):
            return None
        return r

    def _key_of(self, line: bytes) -> Key | None:
        """The replication a torn row began, when its first fields survive."""
        text = line.decode("utf-8", errors="replace")
        arm, _, rest = text.partition(",")
        replication = rest.partition(",")[0]
        if arm in self._arms and replication.isdigit() and len(replication) < 6:
            return arm, int(replication)
        return None

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
        """Every sound failure row."""
        for _, row in self._failure_rows(Damage()):
            yield row

    def _failure_rows(self, damage: Damage) -> Iterator[tuple[Key, dict[str, str]]]:
        for line in read_lines(self.failures, MAX_ROW_BYTES):
            fields = csv_fields(line, len(FAILURE_FIELDS))
            found = None if fields is None else self._replication(*fields[:3])
            if fields is None or found is None:
                if not is_header(line, FAILURE_FIELDS):
                    damage.torn["failures.csv"] = damage.torn.get("failures.csv", 0) + 1
                    if (where := self._key_of(line)) is not None:
                        damage.lost.add(where)
                continue
            yield (fields[0], found), dict(zip(FAILURE_FIELDS, fields, strict=True))

    def series(self) -> Iterator[tuple[str, int, dict[str, list[float]]]]:
        """(arm, replication, series) of every replication, once each, one at a time.

        A torn or spoiled line is skipped; a replication run again after one wrote the
        same line twice, and only the first is read.
        """
        return self._series(Damage())

    def _series(self, damage: Damage) -> Iterator[tuple[str, int, dict[str, list[float]]]]:
        seen: set[Key] = set()
        for line in read_lines(self.series_path, MAX_SERIES_LINE_BYTES):
            entry = self._series_entry(line)
            if entry is None:
                damage.torn["series.jsonl"] = damage.torn.get("series.jsonl", 0) + 1
                continue
            arm, replication, series = entry
            if (arm, replication) not in seen:
                seen.add((arm, replication))
                yield arm, replication, series

    def _series_entry(self, line: bytes) -> tuple[str, int, dict[str, list[float]]] | None:
        """A sound series line: a known arm, a replication and lists of numbers."""
        if not line.endswith(b"\n"):
            return None
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.keys() != {"arm", "replication", "series"}:
            return None
        arm, replication, series = entry["arm"], entry["replication"], entry["series"]
        if arm not in self._arms or type(replication) is not int:
            return None
        if not 0 <= replication < MAX_REPLICATIONS or not isinstance(series, dict):
            return None
        for values in series.values():
            if not isinstance(values, list) or not all(is_number(v) for v in values):
                return None
        return arm, replication, series

    # ------------------------------------------------------------------ writing
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
        """Append one failed replication (its error on one line, at most 2,000 characters)."""
        text = " ".join(error.split())[:MAX_ERROR_CHARS]
        self._append(self.failures, FAILURE_FIELDS, [(arm, replication, seed, text)])

    @staticmethod
    def _append(path: Path, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if not path.exists() or path.stat().st_size == 0:
            writer.writerow(fields)
        writer.writerows(rows)
        with path.open("a", newline="") as handle:
            handle.write(buffer.getvalue())  # one write: a replication lands whole or not
            handle.flush()
