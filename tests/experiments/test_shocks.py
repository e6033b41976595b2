"""Stress tests: ``--shock`` lays the same scripted event over every arm, or exits 2 saying why."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from salessim.cli import app
from salessim.experiments.shocks import ShockError, describe_event, parse_shock, with_shock
from salessim.scenario.scripted import EventKind
from salessim.scenario.units import DAYS_PER_MONTH
from tests.support import PAID

SMALL = ["scenarios/comp/linear_50_50.yaml", "scenarios/comp/capped.yaml",
         "--set", "roles.ae.headcount=6", "--set", "roles.sdr.headcount=3",
         "-n", "2", "--years", "0.5", "--workers", "1"]  # fmt: skip


def test_a_shock_reads_each_field_by_its_form():
    """Kind and date, then a duration, a role or a number; key=value names a field."""
    dip = parse_shock("market_dip:2027-04-01:6mo:0.7")
    assert (dip.kind, dip.at, dip.factor) == (EventKind.MARKET_DIP, dt.date(2027, 4, 1), 0.7)
    assert dip.lasts == pytest.approx(6 * DAYS_PER_MONTH)
    offer = parse_shock("competing_offer:2027-06-01:csm:1.3")
    assert (offer.role.value, offer.offer) == ("csm", 1.3)
    cut = parse_shock("budget_cut:2027-05-01:factor=0.8")
    assert cut.factor == 0.8 and cut.lasts is None
    assert describe_event(dip) == "market_dip on 2027-04-01: inbound demand x0.7 for 6 months"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("dip:2027-04-01:6mo:0.7", "unknown kind 'dip'"),
        ("market_dip:2027-13-01:6mo:0.7", "is not a date"),
        ("market_dip:2027-04-01:6mo", "needs a factor"),
        ("market_dip:2027-04-01:6mo:25", "less than or equal to 20"),
        ("budget_cut:2027-05-01:1.5", "a budget cut keeps at most 1"),
        ("market_dip:2027-04-01:soon:0.7", "cannot read 'soon'"),
    ],
)
def test_a_bad_shock_says_what_is_wrong(text, says):
    """Every mistake is one clear sentence."""
    with pytest.raises(ShockError, match=says):
        parse_shock(text)


def test_a_shock_joins_the_scenarios_own_events_in_date_order():
    """Added among the scenario's events by date; a date outside the run is refused."""
    late = parse_shock("lead_surge:2027-09-01:1.5")
    early = parse_shock("market_dip:2027-03-01:2mo:0.8")
    end = dt.date(2028, 1, 1)
    both = with_shock(with_shock(PAID, late, end), early, end)
    assert [event.at for event in both.events] == [early.at, late.at]
    with pytest.raises(ShockError, match="outside the run"):
        with_shock(PAID, parse_shock("market_dip:2031-01-01:1mo:0.5"), end)


def test_compare_lays_the_same_shock_over_every_arm():
    """A deep dip in the measured period cuts inbound leads in every arm, on the same seeds."""
    plain = CliRunner().invoke(app, ["compare", *SMALL, "-m", "leads_inbound", "--json"])
    shocked = CliRunner().invoke(
        app,
        ["compare", *SMALL, "-m", "leads_inbound", "--json",
         "--shock", "market_dip:2028-02-01:3mo:0.3"],
    )  # fmt: skip
    assert plain.exit_code == 0 and shocked.exit_code == 0, shocked.output
    before = {r["arm"]: r["mean"] for r in json.loads(plain.stdout)["comparison"]}
    after = {r["arm"]: r["mean"] for r in json.loads(shocked.stdout)["comparison"]}
    assert set(after) == {"linear_50_50", "capped"}
    for arm in after:
        assert after[arm] < 0.85 * before[arm], arm


@pytest.mark.parametrize(
    ("shock", "says"),
    [
        ("dip:2027-06-01:3mo:0.3", "unknown kind"),
        ("market_dip:2029-06-01:3mo:0.3", "outside the run"),  # the run: a year + half a year
        ("market_dip:2027-06-01:3mo:30", "less than or equal to 20"),
    ],
)
def test_compare_refuses_a_bad_shock_naming_the_option(shock, says):
    """Exit 2, a message that names --shock and what is wrong, no traceback."""
    result = CliRunner().invoke(app, ["compare", *SMALL, "--shock", shock])
    assert result.exit_code == 2
    assert f"--shock {shock}" in result.output and says in result.output
    assert "Traceback" not in result.output
