"""The experiment report in a real browser: offline, free of errors, every chart drawn.

One small comparison is run through the CLI with ``--report``; its ``report.html`` is
opened in headless Chromium (Debian's, through Playwright). Skipped only when Playwright
cannot be imported or no Chromium executable is found.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from salessim.cli import app
from tests.support import ROOT, chromium

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="playwright cannot be imported (pip install -e '.[dev]')",
    exc_type=ImportError,
)


CHROMIUM = chromium()
if CHROMIUM is None:
    pytest.skip(
        "no chromium executable (not on PATH, no /usr/bin/chromium): apt-get install chromium; "
        "Playwright's own browser download is not used",
        allow_module_level=True,
    )

SCENARIO = ROOT / "scenarios" / "comp" / "linear_50_50.yaml"
CAP = "compensation.plans.ae_linear.components.0.commission.cap"
REFERENCE, VARIANT = "linear_50_50", "capped"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HEADINGS = [
    "Arms",
    f"Differences against {REFERENCE}",  # the comparison table
    "Forest plot",
    "Distributions over replications",
    "New ARR by week",  # bookings by week
    "Attainment",
    "Warm-up check",
    "Provenance",
]
CHARTS = 5  # forest plot, distributions, new ARR by week, attainment, warm-up check


@dataclass
class Loaded:
    """The report open in a page, with everything the page did while loading."""

    url: str
    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A two-arm comparison with its report, through the CLI (a few seconds)."""
    out = tmp_path_factory.mktemp("browser") / "cap"
    args = ["compare", str(SCENARIO), "--arm", f"{VARIANT}:{CAP}=1.5", "-n", "3",
            "--years", "0.5", "--workers", "1", "--out", str(out), "--report"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = out / "report.html"
    assert html.is_file(), result.output
    return html


@pytest.fixture(scope="module")
def loaded(report: Path) -> Iterator[Loaded]:
    """The report loaded in headless Chromium; anything not local is recorded and aborted."""
    seen = Loaded(url=report.as_uri(), page=None)

    def local_only(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            seen.blocked.append(url)
            route.abort()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            context = browser.new_context()
            context.set_default_timeout(15_000)
            context.on("request", lambda request: seen.requests.append(request.url))
            context.route("**/*", local_only)
            page = context.new_page()
            page.on("console", lambda message: seen.console.append((message.type, message.text)))
            page.on("pageerror", lambda error: seen.errors.append(str(error)))
            page.goto(seen.url, wait_until="load")
            page.wait_for_load_state("networkidle")  # anything late would be caught too
            seen.page = page
            yield seen
        finally:
            browser.close()


def test_no_console_errors_or_warnings_and_no_page_errors(loaded):
    """Loading the report logs no console error or warning and raises no page error."""
    noisy = [(kind, text) for kind, text in loaded.console if kind in ("error", "warning")]
    assert noisy == []
    assert loaded.errors == []


def test_nothing_is_fetched_but_the_report_itself(loaded):
    """The page fetches nothing but itself and data URLs, and holds no script."""
    assert loaded.url in loaded.requests  # the listener saw the page load
    foreign = [url for url in loaded.requests if url != loaded.url and not url.startswith("data:")]
    assert foreign == []
    assert loaded.blocked == []
    assert loaded.page.locator("script").count() == 0


def test_visible_text_names_the_arms_and_every_section(loaded):
    """The page's title and text name both arms, and every section heading is shown."""
    text = loaded.page.locator("body").inner_text()
    assert f"{REFERENCE} (reference)" in text
    assert VARIANT in text
    assert loaded.page.locator("h1").inner_text() == f"Comparison of {REFERENCE}, {VARIANT}"
    shown = [h.strip() for h in loaded.page.locator("h2 >> visible=true").all_inner_texts()]
    missing = [heading for heading in HEADINGS if heading not in shown or heading not in text]
    assert missing == [], f"headings shown: {shown}"


def test_every_inline_svg_renders_with_a_size(loaded):
    """Every chart is an inline SVG in a figure, laid out and drawn at a non-zero size."""
    page = loaded.page
    svgs = page.locator("svg").all()
    assert len(svgs) >= CHARTS
    assert page.locator("figure").count() == page.locator("figure > svg").count() == len(svgs)
    for index, svg in enumerate(svgs):
        box = svg.bounding_box()
        assert box is not None, f"svg {index} is not rendered"
        assert box["width"] > 0 and box["height"] > 0, f"svg {index}: {box}"
        drawn = svg.evaluate("(element) => [element.getBBox().width, element.getBBox().height]")
        assert drawn[0] > 0 and drawn[1] > 0, f"svg {index} draws nothing: {drawn}"
