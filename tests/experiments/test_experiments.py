"""Experiments: paired statistics by hand, common random numbers, resume, executors, CLI."""

from __future__ import annotations

import json
import math
import statistics
from concurrent.futures import ProcessPoolExecutor

import pytest
from typer.testing import CliRunner

from salessim.cli import app
from salessim.experiments.grids import labels
from salessim.experiments.runner import Arm, Design, replication_seed, run
from salessim.experiments.stats import (
    chance_best,
    mean_interval,
    paired_difference,
    replications_for,
    t975,
)
from salessim.experiments.store import Store
from tests.support import QUEUE_COMPARE, break_first_replication, same, small_design


# ---------------------------------------------------------------------- statistics
@pytest.mark.parametrize(("df", "expected"), [(1, 12.706), (9, 2.262), (29, 2.045), (30, 2.042)])
def test_t_quantiles_from_the_table(df, expected):
    """Student's t 97.5% quantiles up to 30 degrees of freedom come from the table."""
    assert t975(df) == expected


def test_t_quantiles_beyond_the_table_approach_the_normal():
    """Cornish-Fisher: t(40) = 2.021, t(120) = 1.980 to three decimals; decreasing to 1.96."""
    assert t975(40) == pytest.approx(2.021, abs=1e-3)
    assert t975(120) == pytest.approx(1.980, abs=1e-3)
    assert 1.96 < t975(10_000) < t975(120) < t975(40)


def test_paired_difference_by_hand():
    """Diffs 2, 1, 0, 4 by hand.

    Mean 1.75, sd sqrt(8.75 / 3) = 1.7078, half-width 3.182 x 1.7078 / 2 = 2.7171,
    relative 1.75 / 9.5.
    """
    diff = paired_difference([10, 12, 9, 14], [8, 11, 9, 10])
    assert diff.mean == pytest.approx(1.75)
    assert diff.low == pytest.approx(1.75 - 2.7171, abs=1e-3)
    assert diff.high == pytest.approx(1.75 + 2.7171, abs=1e-3)
    assert diff.relative == pytest.approx(1.75 / 9.5)
    assert diff.n == 4 and not diff.excludes_zero


def test_paired_difference_skips_failed_replications():
    """A NaN (failed replication) drops its pair, not the comparison."""
    diff = paired_difference([1.0, math.nan, 3.0, 4.0], [0.0, 5.0, 1.0, 1.0])
    assert diff.n == 3 and diff.mean == pytest.approx(2.0)


def test_mean_interval_by_hand_skips_unknowns_and_needs_two_values():
    """8, 11, NaN, 9, 10: mean 9.5, sd sqrt(5 / 3) = 1.2910, half-width 3.182 x 1.2910 / 2."""
    interval = mean_interval([8.0, 11.0, math.nan, 9.0, 10.0])
    assert interval is not None
    mean, half_width = interval
    assert mean == pytest.approx(9.5)
    assert half_width == pytest.approx(3.182 * 1.2910 / 2, abs=1e-3)
    assert mean_interval([7.0, math.nan]) is None


def test_chance_best_shares_ties_and_knows_direction():
    """Highest: b, a=b, a, a=b -> a 2/4, b 2/4. Lowest: c, c, b=c, c -> b 0.5/4, c 3.5/4."""
    values = {"a": [1, 5, 3, 2], "b": [2, 5, 1, 2], "c": [0, 1, 1, 1]}
    assert chance_best(values) == pytest.approx({"a": 0.5, "b": 0.5, "c": 0.0})
    assert chance_best(values, lower_is_better=True) == pytest.approx(
        {"a": 0.0, "b": 0.125, "c": 0.875}
    )


def test_replication_advisor_meets_the_half_width():
    """Sd 1, half-width 0.5: 18 replications (t(17) / sqrt(18) = 0.497; 17 give 0.514)."""
    diffs = [-1.0, 1.0] * 10  # sample sd of 1.026: the advisor uses what it sees
    sd = statistics.stdev(diffs)
    n = replications_for(diffs, 0.5 * sd)
    assert n == 18
    assert t975(n - 1) / math.sqrt(n) <= 0.5 < t975(n - 2) / math.sqrt(n - 1)


# ---------------------------------------------------------------------- running
def test_every_arm_meets_the_same_seed_in_a_replication(small_org):
    """Common random numbers: identical arms give identical results.

    Replication by replication; different replications use different seeds.
    """
    design = Design([Arm("a", small_org), Arm("b", small_org)], 3, seed=2, years=0.2)
    results = run(design)
    assert same(results.values["a"], results.values["b"])
    seeds = {replication_seed(2, r) for r in range(3)}
    assert len(seeds) == 3


def test_serial_and_pool_give_identical_numbers(small_org):
    """A serial run and a process-pool run give identical numbers."""
    design = small_design(small_org)
    serial = run(design)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = run(design, executor=pool)
    assert same(serial.values, parallel.values)
    assert all(len(v) == 3 for arm in serial.values.values() for v in arm.values())


def test_an_interrupted_run_resumes_without_recomputing(small_org, tmp_path):
    """Stopped after two replications, a second run computes only the four missing.

    It ends with the numbers of an uninterrupted run.
    """
    design = small_design(small_org)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(design, store=Store(tmp_path, design.manifest()), progress=stop_after_two)
    store = Store(tmp_path, design.manifest())
    assert len(store.done()) == 2
    calls: list[tuple[int, int]] = []
    resumed = run(design, store=store, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (4, 4)
    assert same(resumed.values, run(design).values)
    rows = list(store.rows())
    assert len(rows) == 2 * 3 * len(design.kept_metrics)  # the verdict's kept too
    assert {row["arm"] for row in rows} == {"six", "seven"}


def test_a_half_written_replication_is_run_again(small_org, tmp_path):
    """Rows without their completion mark (a write cut short) do not count as done."""
    design = small_design(small_org, replications=1)
    store = Store(tmp_path, design.manifest())
    run(design, store=store)
    lines = (tmp_path / "results.csv").read_text().splitlines()
    (tmp_path / "results.csv").write_text("\n".join(lines[:-2]) + "\n")  # lose a mark
    assert len(Store(tmp_path, design.manifest()).done()) == 1
    calls: list[int] = []
    run(design, store=Store(tmp_path, design.manifest()), progress=lambda d, t: calls.append(t))
    assert calls == [1]


def test_a_directory_of_another_experiment_is_refused(small_org, tmp_path):
    """A results directory is refused to an experiment other than its own."""
    Store(tmp_path, small_design(small_org).manifest())
    other = Design([Arm("x", small_org)], 2, seed=9, years=0.25)
    with pytest.raises(ValueError, match="another experiment"):
        Store(tmp_path, other.manifest())


def test_a_failed_replication_is_recorded_and_the_rest_go_on(small_org, tmp_path, monkeypatch):
    """A replication that raises is recorded with its error; the next one still runs."""
    break_first_replication(monkeypatch)
    design = Design([Arm("a", small_org)], 2, seed=1, years=0.1, metrics=["deals_won"])
    results = run(design, store=Store(tmp_path, design.manifest()))
    assert [f["replication"] for f in results.failures] == ["0"]
    assert "the model broke" in results.failures[0]["error"]
    won = results.values["a"]["deals_won"]
    assert math.isnan(won[0]) and math.isfinite(won[1])


# ---------------------------------------------------------------------- the command
def test_compare_prints_every_arm_as_json(tmp_path):
    """Two arms of the queue scenario: every arm and metric appears once.

    The reference has no difference; the variant has its CI.
    """
    result = CliRunner().invoke(
        app,
        [
            *QUEUE_COMPARE,
            "slower:funnel.stages.0.work.exponential.mean=1.2h",
            "--metric",
            "deals_won",
            "--workers",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["comparison"]
    assert [(row["arm"], row["metric"]) for row in rows] == [
        ("mmc_l5_m1_c10", "deals_won"),
        ("slower", "deals_won"),
    ]
    assert "difference" not in rows[0] and rows[1]["ci_low"] <= rows[1]["ci_high"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--arm", "nocolon"], "NAME:KEY=VALUE"),
        (["--metric", "bookings"], "unknown metric"),
        (["--arm", "x:roles.ae.headcont=3"], "headcont"),
    ],
)
def test_compare_refuses_bad_input_politely(extra, message):
    """``compare`` exits 2 on a bad arm, metric or key, with a message and no traceback."""
    result = CliRunner().invoke(
        app, ["compare", "scenarios/queue/mmc_l5_m1_c10.yaml", "-n", "2", *extra]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------- files and grids
def test_shipped_experiment_files_load():
    """Every experiments/*.yaml names a scenario and arms that validate."""
    from salessim.experiments.files import load_experiment
    from tests.support import ROOT

    files = sorted((ROOT / "experiments").glob("*.yaml"))
    assert files
    for path in files:
        spec, design = load_experiment(path)
        assert [arm.name for arm in design.arms] == list(spec.arms)


def test_an_experiment_file_with_errors_names_file_line_and_arm(tmp_path):
    """All problems at once: the file's own keys with lines, an arm's bad override by arm."""
    from salessim.experiments.files import load_experiment
    from salessim.scenario.errors import ScenarioError

    (tmp_path / "base.yaml").write_text("calendar: {horizon: 1y}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenario: base.yaml\nreplications: 1\nbogus: 2\narms: {a: {roles.ae.headcont: 3}}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_experiment(bad)
    text = str(caught.value)
    assert f"{bad}:2: replications" in text and f"{bad}:3: bogus" in text
    good = tmp_path / "good.yaml"
    good.write_text("scenario: base.yaml\nwarmup: 1mo\narms: {a: {roles.ae.headcont: 3}}\n")
    with pytest.raises(ScenarioError, match=r"arms\.a\.roles\.ae\.headcont.*did you mean"):
        load_experiment(good)


def test_sweep_crosses_two_parameters(small_org):
    """Two values by three: six arms, the first values first, each scenario overridden."""
    from salessim.experiments.grids import sweep_arms

    arms = sweep_arms(
        small_org, [("roles.ae.headcount", ["5", "6"]), ("roles.sdr.headcount", ["2", "3", "4"])]
    )
    assert [arm.name for arm in arms][:2] == [
        "ae.headcount=5, sdr.headcount=2",
        "ae.headcount=5, sdr.headcount=3",
    ]
    assert len(arms) == 6
    assert [(a.scenario.roles.ae.headcount, a.scenario.roles.sdr.headcount) for a in arms][-1] == (
        6,
        4,
    )


def test_tornado_orders_parameters_by_swing(small_org):
    """Bars are mean changes from the base, longest first.

    Fewer AEs make AEs busier; CSMs hardly touch AE utilisation.
    """
    from salessim.experiments.grids import sensitivity_arms, tornado

    parameters = [("roles.ae.headcount", ["5", "8"]), ("roles.csm.headcount", ["1", "3"])]
    design = Design(
        sensitivity_arms(small_org, parameters), 2, seed=3, years=0.25, metrics=["utilisation_ae"]
    )
    bars = tornado(run(design), "utilisation_ae", parameters)
    assert bars[0].parameter == "roles.ae.headcount"  # CSMs hardly touch AE utilisation
    assert bars[0].low > 0 > bars[0].high  # fewer AEs, busier AEs
    assert bars[0].swing >= bars[1].swing


def test_sweep_and_sensitivity_commands_report(tmp_path):
    """``sweep`` and ``sensitivity`` print JSON results; a parameter without values exits 2."""
    base = ["scenarios/queue/mmc_l5_m1_c10.yaml", "-n", "2", "--years", "0.05", "--workers", "1"]
    swept = CliRunner().invoke(
        app, ["sweep", *base, "-p", "roles.sdr.headcount=10,12", "-m", "utilisation_sdr", "--json"]
    )
    assert swept.exit_code == 0, swept.output
    rows = json.loads(swept.stdout)["comparison"]
    assert [row["arm"] for row in rows] == ["headcount=10", "headcount=12"]
    assert rows[1]["difference"] < 0  # more SDRs, less busy
    bars = CliRunner().invoke(
        app,
        ["sensitivity", *base, "-p", "roles.sdr.headcount=9,12", "-m", "utilisation_sdr", "--json"],
    )
    assert bars.exit_code == 0, bars.output
    (bar,) = json.loads(bars.stdout)
    assert bar["low"] > 0 > bar["high"]
    refused = CliRunner().invoke(app, ["sweep", *base, "-p", "roles.sdr.headcount"])
    assert refused.exit_code == 2 and "KEY=VALUE" in refused.output


def test_results_as_tidy_rows_and_frames(small_org, tmp_path):
    """One row per arm, replication and metric.

    The same through pandas and Parquet when they are installed; a clear message when
    pandas is not.
    """
    design = small_design(small_org, replications=2)
    store = Store(tmp_path, design.manifest())
    results = run(design, store=store)
    rows = results.rows()
    assert len(rows) == 2 * 2 * len(design.kept_metrics)
    assert {row["seed"] for row in rows} == {replication_seed(5, 0), replication_seed(5, 1)}
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            results.to_pandas()
    else:
        assert results.to_pandas().shape == (len(rows), 5)
    written = store.write_parquet()
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert written is None
    else:
        assert written is not None and written.exists()


def test_compare_advises_replications():
    """``compare --advise`` says how many replications reach the half-width asked for."""
    result = CliRunner().invoke(
        app,
        [
            *QUEUE_COMPARE,
            "slower:funnel.stages.0.work.exponential.mean=1.1h",
            "-m",
            "utilisation_sdr",
            "--workers",
            "1",
            "--advise",
            "0.001",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "replications for +-0.1% of the reference's mean" in result.output


def test_arm_labels_are_the_shortest_unambiguous_tails():
    """Two headcounts keep their role; a key ending in 'base' never reads as the base arm."""
    found = labels(["roles.ae.headcount", "roles.sdr.headcount", "customers.churn.base"])
    assert found == {
        "roles.ae.headcount": "ae.headcount",
        "roles.sdr.headcount": "sdr.headcount",
        "customers.churn.base": "churn.base",
    }
    assert labels(["roles.ae.headcount"]) == {"roles.ae.headcount": "headcount"}
