"""Precision on demand: the looks, the honest intervals of a run stopped early, the command."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from salessim.cli import app
from salessim.experiments.precision import BATCH, PILOT, Precision, run_to_precision
from salessim.experiments.runner import Arm, Design, Results
from salessim.experiments.stats import paired_difference
from salessim.experiments.store import Store

TRIALS = 3000
COVERAGE_TOLERANCE = 0.012  # about 3.5 standard errors of a coverage over TRIALS trials


def test_the_looks_are_fixed_before_any_data():
    """A pilot of 10, then every 10 more, and the maximum last; a small maximum is one look."""
    assert (PILOT, BATCH) == (10, 10)
    assert Precision(0.02, ("m",), 45).looks() == [10, 20, 30, 40, 45]
    assert Precision(0.02, ("m",), 30).looks() == [10, 20, 30]
    assert Precision(0.02, ("m",), 6).looks() == [6]
    with pytest.raises(ValueError, match="share"):
        Precision(2.0, ("m",), 30)


def stopped_intervals(small_org, spread: float, share: float, seed: int) -> tuple[float, float]:
    """Coverage of the true difference (1.0) by the intervals the rule reports, and mean n.

    Each trial draws paired normal data: the reference around 100, the arm 1.0 higher with
    differences of sd ``spread``; the rule looks at 10, 20, ... up to 200 replications.
    """
    rng = np.random.default_rng(seed)
    design = Design([Arm("reference", small_org), Arm("arm", small_org)], 200)
    rule = Precision(share, ("m",), 200)
    covered, sizes = 0, []
    for _ in range(TRIALS):
        reference = 100 + rng.normal(0, 5, 200)
        arm = reference + 1.0 + rng.normal(0, spread, 200)

        def upto(n: int, reference=reference, arm=arm) -> Results:
            values = {"reference": {"m": list(reference[:n])}, "arm": {"m": list(arm[:n])}}
            return Results(Design(design.arms, n), values)

        results = run_to_precision(rule, upto)
        found = paired_difference(
            results.values["arm"]["m"], results.values["reference"]["m"], df=results.interval_df
        )
        covered += found.low <= 1.0 <= found.high
        sizes.append(found.n)
    return covered / TRIALS, float(np.mean(sizes))


@pytest.mark.parametrize(
    ("spread", "share"),
    [(6.0, 0.045), (6.0, 0.025), (6.0, 0.015)],
    ids=["stops at the pilot or soon after", "stops after a few looks", "needs many looks"],
)
def test_intervals_of_a_run_stopped_by_the_rule_cover_the_truth_95_percent(
    small_org, spread, share
):
    """Normal paired data, the rule stopping at 10 to about 80 replications: coverage near 95%.

    Over 3,000 trials per case, the reported intervals (Student's t on the pilot's 9 degrees
    of freedom) hold the true difference at least 95% less 0.012 of the time, and never
    very much more (at most 98%; the correction errs wide when the rule looks many times).
    """
    coverage, mean_n = stopped_intervals(small_org, spread, share, seed=int(share * 1000))
    assert 0.95 - COVERAGE_TOLERANCE <= coverage <= 0.98, (coverage, mean_n)
    assert PILOT <= mean_n < 200


def test_a_run_that_reaches_the_maximum_keeps_plain_intervals(small_org):
    """Not met by -n: the record says so, and the intervals use n - 1 degrees of freedom."""
    design = Design([Arm("reference", small_org), Arm("arm", small_org)], 12)
    rng = np.random.default_rng(1)
    reference = list(100 + rng.normal(0, 5, 12))
    arm = [v + rng.normal(1, 30) for v in reference]

    def upto(n: int) -> Results:
        return Results(Design(design.arms, n), {"reference": {"m": reference[:n]},
                                                "arm": {"m": arm[:n]}})  # fmt: skip

    results = run_to_precision(Precision(0.001, ("m",), 12), upto)
    assert results.precision is not None
    assert results.precision["met"] is False and results.precision["replications"] == 12
    assert results.interval_df is None


SMALL_COMPARE = ["compare", "scenarios/comp/linear_50_50.yaml", "scenarios/comp/accelerated.yaml",
                 "--set", "roles.ae.headcount=6", "--set", "roles.sdr.headcount=3",
                 "--years", "0.25", "--workers", "1", "-m", "ending_arr"]  # fmt: skip


def test_compare_stops_when_precise_enough_says_so_and_resumes_without_rerunning(tmp_path):
    """A loose target stops at the pilot; the report says how many were needed; a rerun runs none.

    A target too tight for -n runs to -n and says it was not met.
    """
    out = tmp_path / "precise"
    args = [*SMALL_COMPARE, "-n", "40", "--precision", "0.2", "--out", str(out)]
    first = CliRunner().invoke(app, [*args, "--json", "--report"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["precision"]["met"] is True and data["precision"]["replications"] == PILOT
    assert data["manifest"]["replications"] == PILOT
    store = Store.open(out)
    assert len(store.completed()) == 2 * PILOT  # two arms, the pilot only
    assert "replications were needed" in (out / "report.md").read_text()
    again = CliRunner().invoke(app, [*args, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["comparison"] == data["comparison"]
    assert len(Store.open(out).completed()) == 2 * PILOT  # nothing ran twice
    tight = CliRunner().invoke(app, [*SMALL_COMPARE, "-n", "12", "--precision", "0.0001"])
    assert tight.exit_code == 0, tight.output
    assert "not met by the most replications allowed, 12" in " ".join(tight.output.split())


def test_a_bad_precision_is_refused_politely():
    """A share outside (0, 1) exits 2 naming the option, with no traceback."""
    result = CliRunner().invoke(app, [*SMALL_COMPARE, "-n", "4", "--precision", "2"])
    assert result.exit_code == 2
    assert "--precision 2" in result.output and "Traceback" not in result.output
