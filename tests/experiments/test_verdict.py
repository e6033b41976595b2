"""The verdict: four paired changes, the return on extra pay and the call, checked by hand."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from salessim.cli import app
from salessim.experiments.runner import Arm, Design, Results
from salessim.experiments.stats import paired_ratio, t975
from salessim.experiments.verdict import Call, verdicts

T3 = 3.182  # t(0.975) with 3 degrees of freedom
REFERENCE = {
    "bookings_new_arr": [10.0, 12.0, 11.0, 13.0],
    "comp_cost": [5.0, 5.0, 5.0, 5.0],
    "ending_arr": [100.0, 101.0, 102.0, 103.0],
    "contribution": [50.0, 52.0, 51.0, 53.0],
}


M = 1e6  # the values are in millions of dollars


def results_of(small_org, arm: dict[str, list[float]]) -> Results:
    """Two arms of four paired replications, values in $M (the scenarios are unused)."""
    design = Design([Arm("reference", small_org), Arm("plan", small_org)], 4)

    def dollars(values: dict[str, list[float]]) -> dict[str, list[float]]:
        return {name: [v * M for v in by_replication] for name, by_replication in values.items()}

    return Results(design, {"reference": dollars(REFERENCE), "plan": dollars(arm)})


def test_the_verdict_by_hand(small_org):
    """Differences ($M) 2, 3, 2, 3 in new ARR; 1, 0.5, 1.5, 1 in pay; 3, 2, 4, 3 in contribution.

    New ARR: mean 2.5, sd sqrt(1/3), half-width 3.182 x 0.5774 / 2 = 0.9186. Pay: mean 1,
    sd sqrt(1/6), half-width 0.6495. Contribution: mean 3, sd sqrt(2/3), half-width 1.2990,
    so [1.7010, 4.2990], above zero: adopt. Return on pay: 3 / 1 with Fieller's interval,
    the roots of (1 - q/6) t^2 - 2 (3 - q/3) t + (9 - 2q/3) with q = 3.182^2 / 4: [2.6062,
    4.8533].
    """
    plan = {
        "bookings_new_arr": [12.0, 15.0, 13.0, 16.0],
        "comp_cost": [6.0, 5.5, 6.5, 6.0],
        "ending_arr": [101.0, 101.0, 104.0, 104.0],
        "contribution": [53.0, 54.0, 55.0, 56.0],
    }
    (verdict,) = verdicts(results_of(small_org, plan))
    new_arr = verdict.changes["bookings_new_arr"]
    assert (new_arr.mean, new_arr.low, new_arr.high) == pytest.approx(
        (2.5 * M, (2.5 - 0.918566) * M, (2.5 + 0.918566) * M), rel=1e-5
    )
    pay = verdict.changes["comp_cost"]
    assert (pay.low, pay.high) == pytest.approx(((1 - 0.649524) * M, (1 + 0.649524) * M), rel=1e-5)
    ending = verdict.changes["ending_arr"]
    assert ending.mean == pytest.approx(1.0 * M)  # 1, 0, 2, 1
    contribution = verdict.changes["contribution"]
    assert (contribution.mean, contribution.low, contribution.high) == pytest.approx(
        (3.0 * M, 1.700953 * M, 4.299047 * M), rel=1e-5
    )
    assert verdict.call is Call.ADOPT
    ratio = verdict.return_on_pay
    assert (ratio.mean, ratio.low, ratio.high) == pytest.approx((3.0, 2.606204, 4.853281), rel=1e-4)
    assert verdict.sentence() == (
        "plan: +$2.5M [+$1.6M, +$3.4M] new ARR for +$1.0M [+$350k, +$1.6M] pay; "
        "ending ARR +$1.0M [-$299k, +$2.3M]; contribution +$3.0M [+$1.7M, +$4.3M], "
        "$3.00 of contribution per extra $1 of pay [$2.61, $4.85]. "
        "Adopt: contribution is higher, with 95% confidence."
    )


def test_fieller_interval_by_hand_and_unbounded_when_pay_is_unclear():
    """The ratio's interval solves the quadratic; a denominator not clear of zero leaves it open."""
    a, b = [3.0, 2.0, 4.0, 3.0], [1.0, 0.5, 1.5, 1.0]
    q = t975(3) ** 2 / 4
    square, linear, constant = 1 - q / 6, -2 * (3 - q / 3), 9 - 2 * q / 3
    root = math.sqrt(linear**2 - 4 * square * constant)
    ratio = paired_ratio(a, b)
    assert ratio.low == pytest.approx((-linear - root) / (2 * square))
    assert ratio.high == pytest.approx((-linear + root) / (2 * square))
    open_ended = paired_ratio(a, [1.0, -1.0, 0.5, -0.4])  # pay changes either way
    assert not open_ended.bounded and math.isnan(open_ended.low)


def test_reject_unclear_and_the_words_for_pay_saved(small_org):
    """Lower contribution clear of zero is rejected; pay saved at a cost is said as such.

    A contribution change that straddles zero is unclear, with the replications that
    would settle its sign.
    """
    saving = {
        "bookings_new_arr": [9.0, 11.0, 10.0, 12.0],
        "comp_cost": [4.0, 4.5, 3.5, 4.0],  # pay down by 1
        "ending_arr": [99.0, 100.0, 101.0, 102.0],
        "contribution": [47.0, 50.0, 47.0, 50.0],  # down by 3, 2, 4, 3
    }
    (rejected,) = verdicts(results_of(small_org, saving))
    assert rejected.call is Call.REJECT
    assert "of contribution lost per $1 of pay saved" in rejected.sentence()
    assert rejected.sentence().endswith("Reject: contribution is lower, with 95% confidence.")
    mixed = dict(saving, contribution=[51.0, 51.0, 52.0, 54.0])  # +1, -1, +1, +1
    (unclear,) = verdicts(results_of(small_org, mixed))
    assert unclear.call is Call.UNCLEAR and unclear.settle is not None and unclear.settle > 4
    assert f"about {unclear.settle} paired replications would settle its sign" in (
        unclear.sentence()
    )


def test_no_verdict_without_pay(small_org):
    """Without pay plans contribution is unknown: there is no verdict to give."""
    unknown = {name: [math.nan] * 4 for name in REFERENCE}
    results = results_of(small_org, unknown)
    results.values["reference"] = dict(unknown)
    assert verdicts(results) == []


def test_compare_prints_the_verdict_first_and_as_raw_numbers_in_json():
    """``compare`` opens with the verdict; ``--json`` carries it as raw numbers and a call."""
    base = ["compare", "scenarios/comp/linear_50_50.yaml", "scenarios/comp/accelerated.yaml",
            "--set", "roles.ae.headcount=6", "--set", "roles.sdr.headcount=3", "-n", "3",
            "--years", "0.5", "--workers", "1", "-m", "win_rate"]  # fmt: skip
    shown = CliRunner().invoke(app, base)
    assert shown.exit_code == 0, shown.output
    assert shown.output.index("Verdict against linear_50_50") < shown.output.index("Win rate")
    data = json.loads(CliRunner().invoke(app, [*base, "--json"]).stdout)
    (verdict,) = data["verdict"]
    assert verdict["arm"] == "accelerated" and verdict["call"] in {"adopt", "reject", "unclear"}
    change = verdict["changes"]["contribution"]
    assert change["ci_low"] <= change["difference"] <= change["ci_high"]
    assert isinstance(change["difference"], float)


def test_an_arm_identical_to_the_reference_says_so(small_org):
    """The same values in every replication: no interval to speak of, nothing to choose."""
    (same,) = verdicts(results_of(small_org, dict(REFERENCE)))
    assert same.identical and same.call is Call.UNCLEAR
    assert same.sentence() == (
        "plan: the same as reference in every one of 4 replications: nothing to choose "
        "between them."
    )


def test_the_terminal_verdict_shows_an_unbounded_return_as_text(small_org):
    """An interval that cannot be bounded reads as such in the table, not as a markup tag."""
    from rich.console import Console

    from salessim.experiments.summary import verdict_table

    unclear_pay = {
        "bookings_new_arr": [11.0, 12.0, 12.0, 13.0],
        "comp_cost": [6.0, 4.0, 5.5, 4.6],  # pay up and down
        "ending_arr": [100.0, 101.0, 102.0, 103.0],
        "contribution": [51.0, 53.0, 52.0, 55.0],
    }
    console = Console(width=200, record=True)
    console.print(verdict_table(verdicts(results_of(small_org, unclear_pay))))
    assert "[unbounded]" in console.export_text()
