"""Figures without pyplot: bare ``Figure`` objects, saved as PNG files or inlined as SVG.

Nothing here touches matplotlib's global figure manager or backend, so charts are safe
in libraries, threads and headless servers.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import TYPE_CHECKING

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from pathlib import Path

PNG_DPI = 120
WIDE_INCHES = (10.0, 5.5)


def png_figure(size_inches: tuple[float, float] = WIDE_INCHES) -> Figure:
    """An empty figure to save as PNG, on its own Agg canvas."""
    fig = Figure(figsize=size_inches, dpi=PNG_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_png(fig: Figure, path: Path) -> None:
    """Write ``fig`` to ``path`` as a PNG image."""
    fig.savefig(path, dpi=PNG_DPI)


def svg_figure(width_inches: float, height_inches: float) -> Figure:
    """An empty figure to inline as SVG (see :func:`to_svg`)."""
    return Figure(figsize=(width_inches, height_inches), layout="constrained")


def to_svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element to inline in HTML.

    Text stays text (searchable, small) and ids are salted the same way every time, so a
    page is stable from run to run. matplotlib names elements alike in every figure
    (``figure_1``, ``axes_1``...); the ids get a prefix from the chart's own content, so
    they are unique on a page.
    """
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "salessim"}):
        FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    prefix = "c" + hashlib.sha256(text.encode()).hexdigest()[:8] + "-"
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    return re.sub(r'(href="#|url\(#)([^")]+)', rf"\g<1>{prefix}\2", text)
