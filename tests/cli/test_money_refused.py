"""Money that is infinite or past 1e12 is refused at load, never run into null ARR or pay.

Salaries, pay, quotas, prizes, spifs, deal values and the starting book's ARR each refuse
``.inf`` and ``1e300`` where they are written: exit 2 and ``file:line: key: message`` (or
``--set: key: message``), every problem in one report.
"""

from __future__ import annotations

from tests.cli_process import assert_refused, cli
from tests.support import ROOT

ACCELERATED = ROOT / "scenarios" / "comp" / "accelerated.yaml"


def test_infinite_and_huge_money_in_a_file_is_refused_with_its_line(tmp_path):
    """Each money key with ``.inf`` or ``1e300`` is named with its file and line."""
    path = tmp_path / "money.yaml"
    path.write_text(
        f"extends: {ACCELERATED}\n"
        "roles:\n"
        "  ae:\n"
        "    market_pay: .inf\n"
        "compensation:\n"
        "  plans:\n"
        "    ae_accelerated:\n"
        "      base: 1e300\n"
        "      quota: {amount: .inf, period: quarter, measure: new_arr}\n"
        "      components:\n"
        "        - spif: {per_deal: .inf}\n"
        "        - contest: {prizes: [1e300]}\n"
    )
    assert_refused(
        cli("run", "--years", "1", str(path)),
        f"{path}:4: roles.ae.market_pay: must be a finite number",
        f"{path}:8: compensation.plans.ae_accelerated.base: must be <= 1e+12",
        f"{path}:9: compensation.plans.ae_accelerated.quota.amount: must be a finite number",
        f"{path}:11: compensation.plans.ae_accelerated.components.0.spif.per_deal: must be a "
        "finite number",
        f"{path}:12: compensation.plans.ae_accelerated.components.1.contest.prizes.0: must be "
        "<= 1e+12",
    )


def test_infinite_and_huge_money_set_on_the_command_line_is_refused():
    """``--set`` of ``.inf`` or ``1e300`` on deal values and the starting book names the key."""
    assert_refused(
        cli(
            "run",
            "--years",
            "1",
            str(ACCELERATED),
            "--set",
            "market.segments.mid_market.deal_value={lognormal: {mean: 1e300, cv: 0.5}}",
            "--set",
            "customers.initial.arr=.inf",
            "--set",
            "compensation.plans.ae_accelerated.target_incentive=1e300",
        ),
        "--set: market.segments.mid_market.deal_value.lognormal.mean: must be <= 1e+12",
        "--set: customers.initial.arr: must be a finite number",
        "--set: compensation.plans.ae_accelerated.target_incentive: must be <= 1e+12",
    )
