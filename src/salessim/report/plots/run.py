"""The charts of one run by the file each is saved under, and writing them all as PNG.

Every chart takes a ``RunResult`` and returns a ``Figure``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from salessim.report.plots.canvas import save_png
from salessim.report.plots.funnel import funnel, pipeline_over_time
from salessim.report.plots.people import attrition, headcount, tenure, utilisation
from salessim.report.plots.revenue import arr_over_time, bookings_by_week

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from salessim.run import RunResult

PLOTS: dict[str, Callable[[RunResult], Figure]] = {
    "funnel.png": funnel,
    "pipeline.png": pipeline_over_time,
    "bookings_by_week.png": bookings_by_week,
    "utilisation.png": utilisation,
    "arr.png": arr_over_time,
    "headcount.png": headcount,
    "attrition.png": attrition,
    "tenure.png": tenure,
}


def write_plots(result: RunResult, directory: Path) -> list[Path]:
    """Save every plot of ``result`` as a PNG in ``directory`` (created if needed).

    Returns:
        The paths written, in the order of :data:`PLOTS`.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, plot in PLOTS.items():
        path = directory / name
        save_png(plot(result), path)
        written.append(path)
    return written
