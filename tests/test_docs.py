"""The docs describe the model as it is: every KPI documented, README commands present."""

from __future__ import annotations

import contextlib
import io
import re

from salessim.metrics.eventlog import event_name
from salessim.metrics.kinds import Better, better
from salessim.metrics.kpis import KPI_DEFINITIONS, ROLES
from salessim.model.events import EVENT_TYPES
from salessim.report.plots.run import PLOTS
from tests.support import ROOT

GENERIC = {
    f"{prefix}_{role}": f"{prefix}_<role>"
    for role in ROLES
    for prefix in ("utilisation", "mean_wait_days", "queue_length_mean")
}


def test_every_kpi_is_documented_in_the_model_page():
    """The KPI table of docs/model.md lists exactly the KPIs defined, per-role ones once.

    Each row's "better" column says the direction ``metrics.kinds`` gives the KPI.
    """
    text = (ROOT / "docs" / "model.md").read_text()
    table = text.split("<!-- kpis: the table below")[1].split("\n\n")[0]
    rows = dict(re.findall(r"^\| `([a-z0-9_<>]+)` \| ([a-z–]+) \|", table, flags=re.M))
    expected = {GENERIC.get(name, name) for name in KPI_DEFINITIONS} | {"stage_conversion_<stage>"}
    assert expected == set(rows)
    words = {Better.HIGHER: "higher", Better.LOWER: "lower", Better.NEITHER: "–"}
    for name, said in rows.items():
        probe = name.replace("<role>", "ae").replace("<stage>", "discovery")
        assert said == words[better(probe)], name


def test_every_event_kind_and_its_columns_are_documented_in_the_model_page():
    """The event table lists each kind in order with exactly its record's fields."""
    text = (ROOT / "docs" / "model.md").read_text()
    table = text.split("<!-- events: the table below")[1].split("\n\n")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    documented = [
        (row.split("|")[1].strip(" `"), re.findall(r"`(\w+)`", row.split("|")[2])) for row in rows
    ]
    assert documented == [(event_name(kind), list(kind._fields)) for kind in EVENT_TYPES]


def test_model_page_examples_run():
    """Every Python example in docs/model.md runs and prints the count it says it prints.

    Each example ends in ``print(<count>, "<what>")``: its output is a whole number and that text.
    """
    blocks = _blocks((ROOT / "docs" / "model.md").read_text(), "python")
    assert len(blocks) >= 2  # the control example and the events example
    for block in blocks:
        (said,) = re.findall(r'^print\(.+, "([^"]+)"\)$', block, flags=re.M)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, "docs/model.md", "exec"), {})
        assert re.fullmatch(rf"\d+ {re.escape(said)}\n", printed.getvalue()), printed.getvalue()


def test_every_plot_is_described_in_the_model_page():
    """docs/model.md describes exactly the plots a run writes."""
    text = (ROOT / "docs" / "model.md").read_text()
    described = set(re.findall(r"^\| `([a-z_]+\.png)` \|", text, flags=re.M))
    assert described == set(PLOTS)


def test_readme_gives_the_two_commands():
    """The README gives the run and test commands, and CI runs the same test command."""
    text = (ROOT / "README.md").read_text()
    assert "salessim run" in text
    assert "pytest" in text
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in ci and "python -m pytest" in text


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_readme_python_example_runs():
    """Every Python example in the README runs."""
    for block in _blocks((ROOT / "README.md").read_text(), "python"):
        exec(compile(block, "README.md", "exec"), {})


def test_readme_yaml_example_loads(tmp_path):
    """The README's YAML example loads, taking the keys it leaves out from the baseline."""
    from salessim.scenario.load import load_scenario

    (block,) = _blocks((ROOT / "README.md").read_text(), "yaml")
    path = tmp_path / "my_scenario.yaml"
    path.write_text(block)
    scenario = load_scenario(path)
    assert scenario.roles.ae.headcount == 22
    assert scenario.roles.sdr.headcount == 8  # the rest comes from the bundled baseline


def test_compensation_examples_run():
    """The worked statement and every Python example on the pay page run and check out."""
    blocks = _blocks((ROOT / "docs" / "compensation.md").read_text(), "python")
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/compensation.md", "exec"), {})


def test_experiments_examples_run():
    """The Python examples on the experiments page run, in order, in one namespace.

    The cluster example needs a running scheduler; tests/experiments/test_cluster.py runs
    the same calls on a local cluster.
    """
    blocks = _blocks((ROOT / "docs" / "experiments.md").read_text(), "python")
    runnable = [block for block in blocks if "tcp://HOST" not in block]
    assert len(blocks) == 4 and len(runnable) == 3
    namespace: dict[str, object] = {}
    for block in runnable:
        exec(compile(block, "docs/experiments.md", "exec"), namespace)


def test_game_example_runs():
    """The scripted player on the game page plays a game to its debrief."""
    blocks = _blocks((ROOT / "docs" / "game.md").read_text(), "python")
    assert len(blocks) == 1
    exec(compile(blocks[0], "docs/game.md", "exec"), {})
