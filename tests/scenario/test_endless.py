"""No run that cannot end: loops no lead can leave are refused, feedback rates are capped.

A funnel whose stages form a loop that no lead can leave, or that a lead goes round in
no time, passes no validation: the run it describes could not end. The quit contagion
counts at most the whole team as recent leavers, so instant hiring under heavy attrition
stays a bounded churn of hires instead of a runaway.
"""

from __future__ import annotations

import json
import math
import textwrap

import pytest

from salessim.model.attrition import HazardInputs, exit_hazards
from salessim.model.entities import Rep
from salessim.run import simulate
from salessim.scenario.base import Role
from salessim.scenario.load import ScenarioError, apply_overrides
from salessim.scenario.people import Tier
from tests.cli_process import assert_refused, cli

QUIET = HazardInputs(None, 0.0, 0.0)  # unknown attainment, no manager's hours
LOOPS = {
    "a stage with no work that loops to itself with certainty": (
        "- {name: qualify, role: sdr, work: 0, convert: 1, next: qualify}",
        "stage 'qualify' loops to itself and no lead can leave it",
    ),
    "two stages with work that send every lead to each other": (
        """\
        - {name: qualify, role: sdr, work: 1h, convert: 0.5}
        - {name: demo, role: ae, work: 2h, convert: 1, next: proposal}
        - {name: proposal, role: ae, work: 3h, routes: {demo: 1.0}}""",
        "stages 'demo', 'proposal' form a loop and no lead can leave it",
    ),
    "a loop left half the time in which nothing takes time": (
        """\
        - {name: qualify, role: sdr, work: 1h, convert: 0.5}
        - {name: demo, role: ae, work: 0, convert: 0.5, next: proposal}
        - {name: proposal, role: ae, work: 0, routes: {demo: 0.5, won: 0.3}}""",
        "stages 'demo', 'proposal' form a loop and a lead goes round it in no time",
    ),
    "a needs_specialist stage that other deals skip back to itself": (
        """\
        - {name: qualify, role: sdr, work: 1h, convert: 0.5}
        - {name: check, role: specialist, work: 3h, convert: 0.5,
           when: needs_specialist, next: check}""",
        "stage 'check' loops to itself and a lead goes round it in no time",
    ),
}


@pytest.mark.parametrize("funnel", LOOPS.values(), ids=list(LOOPS))
def test_a_loop_that_cannot_end_is_refused(tmp_path, funnel):
    """The run is refused at load with the file, line and a message naming the stages."""
    stages, message = funnel
    path = tmp_path / "loop.yaml"
    path.write_text(
        "extends: baseline\nfunnel:\n  stages:\n" + textwrap.indent(textwrap.dedent(stages), "    ")
    )
    assert_refused(cli("run", str(path), "--years", "0.1"), f"{path}:2: funnel: {message}")


def test_a_loop_that_can_be_left_and_takes_time_runs(small_org):
    """Rework is allowed: a proposal sent back to the demo a third of the time still ends."""
    stages = [
        {"name": "qualify", "role": "sdr", "work": "1h", "convert": 0.5},
        {"name": "demo", "role": "ae", "work": "2h", "convert": 0.8},
        {"name": "proposal", "role": "ae", "work": "3h", "routes": {"demo": 0.3, "won": 0.5}},
    ]
    scenario = apply_overrides(small_org, {"funnel.stages": stages})
    kpis = simulate(scenario, 0, years=0.2).kpis
    assert kpis["deals_won"] > 0
    assert all(math.isnan(v) or math.isfinite(v) for v in kpis.values())


def test_a_certain_loop_through_an_outcome_is_not_a_loop(small_org):
    """Converting with certainty to ``won`` ends the journey: nothing to refuse."""
    stages = [{"name": "only", "role": "ae", "work": 0, "convert": 1, "next": "won"}]
    apply_overrides(small_org, {"funnel.stages": stages})


def test_a_loop_refusal_names_the_stages_in_order(small_org):
    """Stages are named in funnel order, whichever of them the loop is entered by."""
    stages = [
        {"name": "a", "role": "ae", "work": "1h", "convert": 0.5},
        {"name": "b", "role": "ae", "work": "1h", "routes": {"c": 1.0}},
        {"name": "c", "role": "ae", "work": "1h", "routes": {"b": 1.0}},
    ]
    with pytest.raises(ScenarioError, match="stages 'b', 'c' form a loop"):
        apply_overrides(small_org, {"funnel.stages": stages})


def test_instant_hiring_under_heavy_attrition_stays_bounded():
    """Hiring in no time with 99% attrition used to run away to thousands of hires.

    The contagion share is capped at the whole team, so the year ends in seconds with
    hires of the order of the team's size times its (high, bounded) exit rate.
    """
    proc = cli(
        "run",
        "--years",
        "1",
        "--json",
        "--set",
        "roles.ae.hiring.time_to_hire=0",
        "--set",
        "roles.ae.attrition.voluntary=0.99",
    )
    assert proc.returncode == 0, proc.stderr
    kpis = json.loads(proc.stdout)["kpis"]
    assert kpis["hires"] < 2_000
    assert kpis["headcount_mean_ae"] <= 20 + 1e-9


def _rep() -> Rep:
    rep = Rep(1, Role.AE, 1.0, 1.0, 0.1, 0.0)
    rep.tier = Tier.CORE
    rep.pay = 100_000.0
    return rep


def test_the_contagion_share_is_capped_at_the_whole_team(small_org):
    """Five times the team leaving counts as the whole team: the hazard stops growing."""
    spec = small_org.roles.ae
    hazard = {
        share: exit_hazards(
            _rep(), QUIET, 30.0, spec.attrition, spec.market_pay, small_org.workforce, share
        )[0]
        for share in (0.5, 1.0, 5.0)
    }
    assert hazard[0.5] < hazard[1.0] == hazard[5.0]


def test_a_rep_paid_nothing_has_a_finite_quit_hazard(small_org):
    """A commission-only rep who earned nothing (or less, after a clawback) divides by no zero."""
    spec = small_org.roles.ae
    for pay in (0.0, -500.0, 1e-300):
        rep = _rep()
        rep.pay = pay
        voluntary, _ = exit_hazards(
            rep, QUIET, 30.0, spec.attrition, spec.market_pay, small_org.workforce, 0
        )
        assert math.isfinite(voluntary) and voluntary > 0
