"""Charts that carry the verdict: good or bad news in colour, quarter ends, no text collides."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text

from salessim import simulate
from salessim.report.plots import comparison as charts
from salessim.report.plots.run import PLOTS
from salessim.report.plots.style import BAD, GOOD, SIGNIFICANT, UNCLEAR, change_colour
from salessim.scenario.load import apply_overrides
from tests.support import PAID


def drawn(fig: Figure) -> Figure:
    """``fig`` laid out and drawn, so its texts have their final places."""
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig


def collisions(texts: list[Text]) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts whose boxes overlap (by more than half a pixel)."""
    shown = [t for t in texts if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent().expanded(1.0, 1.0).padded(-0.5)) for t in shown]
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
            if box_a.overlaps(box_b)]  # fmt: skip


def titles(fig: Figure) -> list[Text]:
    """The figure's title, every axes' left, centre and right titles, and the run's line."""
    found = [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        found += [ax._left_title, ax.title, ax._right_title]
        found += [text for text in ax.texts if "days measured" in text.get_text()]
    return found


@pytest.fixture(scope="module")
def paid_run():
    """Half a year of the linear 50/50 plans under a long name, as a run's line can be."""
    named = apply_overrides(PAID, {"meta.name": "Mid-market SaaS baseline on linear 50/50 plans"})
    return simulate(named, seed=2, years=0.5)


@pytest.mark.parametrize("plot", list(PLOTS), ids=list(PLOTS))
def test_titles_and_panel_titles_never_overlap(plot, paid_run):
    """In every chart of a run, the figure title, panel titles and the run's line never overlap.

    ``arr.png`` once put a long panel title and the run's line side by side on one axes.
    """
    fig = drawn(PLOTS[plot](paid_run))
    assert collisions(titles(fig)) == []


def test_box_plot_tick_labels_never_collide():
    """Six metrics of three arms on narrow panels: no tick label runs into its neighbour."""
    rng = np.random.default_rng(4)
    arms = ("linear", "accelerated", "capped")
    centres = {
        "contribution": (3.06e8, 4e6),
        "bookings_new_arr": (5.2e7, 2.5e6),
        "ending_arr": (1.09e8, 3e6),
        "win_rate": (0.225, 0.01),
        "comp_cost": (1.63e7, 4e5),
        "attrition_rate_ae": (0.29, 0.05),
    }
    values = {
        metric: {arm: list(rng.normal(centre, spread, 30)) for arm in arms}
        for metric, (centre, spread) in centres.items()
    }
    fig = drawn(charts.distributions_figure(values))
    for ax in fig.axes:
        assert collisions(ax.get_xticklabels()) == [], ax.get_title()
        assert collisions(ax.get_yticklabels()) == [], ax.get_title()
    assert collisions(titles(fig)) == []


def row(metric: str, arm: str, mean: float, low: float | None = None, high: float | None = None):
    """A comparison row: the reference's has no difference."""
    found = {"metric": metric, "arm": arm, "mean": mean}
    if low is not None and high is not None:
        found |= {"difference": (low + high) / 2, "ci_low": low, "ci_high": high}
    return found


def test_forest_colours_a_change_by_whether_it_is_good_news():
    """More bookings is green, more pay red, a change in utilisation navy, an unclear one grey."""
    assert change_colour("bookings_new_arr", 1.0, 2.0) == GOOD
    assert change_colour("comp_cost", 1.0, 2.0) == BAD
    assert change_colour("churned_arr", -2.0, -1.0) == GOOD
    assert change_colour("utilisation_ae", 0.01, 0.02) == SIGNIFICANT
    assert change_colour("bookings_new_arr", -1.0, 2.0) == UNCLEAR
    rows = [
        row("bookings_new_arr", "ref", 100.0), row("bookings_new_arr", "b", 110.0, 5.0, 15.0),
        row("comp_cost", "ref", 50.0), row("comp_cost", "b", 55.0, 2.0, 8.0),
        row("grr", "ref", 0.9), row("grr", "b", 0.9, -0.01, 0.01),
    ]  # fmt: skip
    fig = drawn(charts.forest_figure(rows, "ref"))
    (ax,) = fig.axes
    markers = {to_hex(line.get_color()) for line in ax.lines if line.get_marker() == "o"}
    assert markers == {to_hex(GOOD), to_hex(BAD), to_hex(UNCLEAR)}
    assert collisions(ax.get_yticklabels()) == []


def test_weekly_bookings_mark_each_quarter_end():
    """Every quarter end within the weeks shown is a dashed line, labelled at the top."""
    weekly = {"a": np.full(26, 1e5), "b": np.full(26, 1.2e5)}
    ends = [(59.25, "2027Q2"), (151.25, "2027Q3"), (243.25, "2027Q4")]  # the last is past week 26
    fig = drawn(charts.weekly_bookings_figure(weekly, ends))
    (ax,) = fig.axes
    dashed = [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--"]
    assert dashed == pytest.approx([59.25 / 7, 151.25 / 7])
    assert {"2027Q2", "2027Q3"} <= {text.get_text() for text in ax.texts}


def test_a_heat_map_of_a_cost_is_brightest_where_it_is_lowest():
    """The colours run the metric's better way: the lowest cost gets the brightest colour."""
    grid = [[1.0e6, 2.0e6], [3.0e6, 4.0e6]]
    fig = drawn(charts.heat_map_figure(grid, ["a", "b"], ["c", "d"], ["x", "y"], "comp_cost"))
    image = fig.axes[0].images[0]
    assert image.get_cmap().name == "viridis_r"
    higher = drawn(charts.heat_map_figure(grid, ["a", "b"], ["c", "d"], ["x", "y"], "contribution"))
    assert higher.axes[0].images[0].get_cmap().name == "viridis"
    texts = {text.get_text() for text in fig.axes[0].texts}
    assert texts == {"$1.0M", "$2.0M", "$3.0M", "$4.0M"}
