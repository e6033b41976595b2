"""What the benchmark scripts share: a figure against its baseline, a report, its output."""

from __future__ import annotations

import gc
import json
import math
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Figure:
    """One row of the table: a value, the baseline it is compared with, and a target."""

    key: str
    label: str
    unit: str
    value: float | None = None
    baseline: float | None = None
    target: str | None = None  # e.g. ">= 0.6"; None for a figure shown for information
    status: str = "INFO"  # PASS, FAIL, INFO, SKIP or ERROR
    detail: str = ""

    @property
    def ratio(self) -> float | None:
        """``value / baseline`` when both are known."""
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def judge(self) -> Figure:
        """Set PASS or FAIL from the target."""
        ratio = self.ratio
        if self.target is None or ratio is None:
            return self
        op, threshold = self.target.split()
        ok = {
            ">=": ratio >= float(threshold),
            ">": ratio > float(threshold),
            "<=": ratio <= float(threshold),
        }[op]
        self.status = "PASS" if ok else "FAIL"
        return self


@dataclass
class Report:
    """Everything one run measured."""

    mode: str
    settings: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def log(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Wall seconds of ``run()`` after a garbage collection, and what it returned."""
    gc.collect()
    start = time.perf_counter()
    out = run()
    return time.perf_counter() - start, out


def fmt(value: float | None, unit: str = "") -> str:
    """A value for the table: three figures, thousands with commas, rates in k/s."""
    if value is None or not math.isfinite(value):
        return "-"
    if unit == "per s":
        return f"{value / 1e3:,.1f}k/s"
    text = f"{value:.3g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def table(report: Report, baseline: str = "baseline") -> str:
    """The figures as an aligned text table, then each figure's details and the notes."""
    rows = [("figure", "value", baseline, "ratio", "target", "result")]
    for f in report.figures:
        rows.append(
            (
                f.label,
                fmt(f.value, f.unit),
                fmt(f.baseline, f.unit),
                fmt(f.ratio),
                f.target or "-",
                f.status,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines += [f"{f.key}: {f.detail}" for f in report.figures if f.detail]
    lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines)


def as_json(report: Report, **versions: str) -> str:
    """The report as JSON, with the Python version and any other ``versions`` named."""
    figures = {}
    for f in report.figures:
        row = asdict(f)
        row["ratio"] = f.ratio
        figures[f.key] = row
    document = {
        "mode": report.mode,
        "python": platform.python_version(),
        **versions,
        "settings": report.settings,
        "figures": figures,
        "notes": report.notes,
    }
    return json.dumps(document, indent=2)
