"""The game session: turns, decisions applied all or none, budget, save and exact replay."""

from __future__ import annotations

import json

import pytest

from salessim.game.briefing import quota_words
from salessim.game.decisions import DecisionError
from salessim.game.players import autopilot, play
from salessim.game.session import GameSession, replay
from salessim.report.format import money
from salessim.scenario.base import Role
from salessim.scenario.load import load_scenario
from salessim.scenario.units import DAYS_PER_MONTH
from tests.support import PAID, busy_player

BASELINE = load_scenario("scenarios/baseline.yaml", ["calendar.horizon=1y", "calendar.warmup=0"])


def test_a_turn_is_a_fiscal_quarter():
    """A year without warm-up is four turns, Q1 to Q4, each briefing dated at its end."""
    session = GameSession(BASELINE, 1)
    assert session.turns == 4
    assert session.briefing().period == "start" and session.briefing().date == "2027-01-01"
    played = play(session, autopilot)
    assert [b.period for b in played] == ["2027Q1", "2027Q2", "2027Q3", "2027Q4"]
    assert [b.date for b in played] == ["2027-04-01", "2027-07-01", "2027-10-01", "2028-01-01"]
    assert session.finished and played[-1].finished
    with pytest.raises(ValueError, match="game is over"):
        session.advance({})


def test_live_equals_replay_at_every_turn():
    """Rebuilding the game from its log gives the same briefing, bit for bit, at each turn."""
    live = GameSession(PAID, 7)
    briefings = [live.briefing(), *play(live, busy_player)]
    assert len(live.log) == 4 and live.log[0]["hire"][0]["offer"] == 1.15
    for turn, expected in enumerate(briefings):
        assert replay(PAID, 7, live.log, turns=turn).briefing() == expected


def test_save_and_load_rebuild_the_game(tmp_path):
    """A saved game loads to the same briefing, or to an earlier turn; other JSON is refused."""
    live = GameSession(PAID, 2)
    play(live, busy_player)
    path = live.save(tmp_path / "game.json")
    loaded = GameSession.load(path)
    assert loaded.briefing() == live.briefing()
    assert GameSession.load(path, turns=2).turn == 2
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ValueError, match="not a salessim game save"):
        GameSession.load(tmp_path / "bad.json")


def test_one_bad_decision_and_none_apply():
    """Every problem is named; the state, the clock and the log are untouched."""
    session = GameSession(BASELINE, 3)
    before = session.briefing()
    scenario, now = session.sim.scenario, session.sim.now
    bad = {
        "hire": [{"role": "ae", "count": 1}, {"role": "manager"}, {"role": "sdr", "offer": 3}],
        "fire": [before.roster[0].rep, 99_999],
        "coaching": {"hours_per_rep_per_month": 40},
        "pay_plans": {"ae": "no_such_plan"},
        "segment_focus": {"nowhere": 1},
    }
    with pytest.raises(DecisionError) as raised:
        session.advance(bad)
    problems = raised.value.problems
    assert len(problems) == 6, problems
    assert any("manager" in p for p in problems) and any("99999" in p for p in problems)
    assert any("offer 3" in p for p in problems) and any("40" in p for p in problems)
    assert session.sim.scenario is scenario and session.sim.now == now
    assert session.log == [] and session.briefing() == before
    assert [r.rep for r in session.briefing().roster] == [r.rep for r in before.roster]
    assert session.check({"fire": [before.roster[0].rep]}) == []
    assert session.check({"no_such_key": 1}) == ["no_such_key: Extra inputs are not permitted"]


def test_hiring_raises_the_target_and_the_offer_sets_pay():
    """Hiring raises the headcount target, and the hires are paid the offer times market pay."""
    session = GameSession(BASELINE, 4)
    target = session.sim.workforce.target[Role.AE]
    session.advance({"hire": [{"role": "ae", "count": 3, "offer": 1.25}]})
    session.advance({})
    assert session.sim.workforce.target[Role.AE] == target + 3
    market = BASELINE.roles.ae.market_pay
    offered = [r for r in session.briefing().roster if r.role is Role.AE and r.pay == 1.25 * market]
    assert 1 <= len(offered) <= 3


def test_a_fired_rep_leaves_at_once_and_severance_is_spent():
    """A fired rep leaves at once; the severance adds to the turn's spend and the story says so."""
    session = GameSession(BASELINE, 5)
    rep = session.briefing().roster[0]
    autopilot_spend = GameSession(BASELINE, 5).advance({}).indicator("people_spend").value
    after = session.advance({"fire": [rep.rep]})
    assert rep.rep not in {r.rep for r in after.roster}
    severance = rep.pay * BASELINE.game.severance_months / 12
    assert after.indicator("people_spend").value >= severance
    assert any("let go" in line for line in after.story)
    assert autopilot_spend != after.indicator("people_spend").value


def test_the_budget_refuses_what_it_cannot_pay():
    """Decisions the budget cannot pay are refused with one budget problem."""
    tight = BASELINE.model_copy(update={"game": BASELINE.game.model_copy(update={"budget": 1.6e6})})
    session = GameSession(tight, 6)
    projected = session.briefing().budget.projected
    assert projected < 1.6e6
    assert session.check({}) == []
    problems = session.check({"hire": [{"role": "ae", "count": 10}]})
    assert len(problems) == 1 and problems[0].startswith("budget:")


def test_a_quota_change_reaches_the_plan():
    """A quota change scales the plan's quota; a role on no pay plan cannot have one."""
    session = GameSession(PAID, 8)
    amount = PAID.compensation.plans["ae_linear"].quota.amount
    session.advance({"quota": {"ae": 1.2}})
    assert session.sim.scenario.compensation.plans["ae_linear"].quota.amount == pytest.approx(
        1.2 * amount
    )
    assert GameSession(BASELINE, 8).check({"quota": {"ae": 1.1}}) == [
        "quota.ae: the role is on no pay plan"
    ]


@pytest.mark.parametrize("name", ["first_team", "pay_plan_redesign", "retention_crisis"])
def test_every_exercise_plays_to_a_debrief(name):
    """Each shipped exercise has learning goals, a budget the team fits, and ends scored."""
    from salessim.game.debrief import debrief

    scenario = load_scenario(f"scenarios/game/{name}.yaml")
    assert scenario.meta.learning_goals and scenario.game.budget is not None
    session = GameSession(scenario, 1)
    assert session.briefing().budget.projected <= scenario.game.budget
    assert session.turns >= 4
    play(session, autopilot)
    found = debrief(session, seeds=1)
    assert found.scorecard.total == pytest.approx(100.0)


def test_the_hiring_limit_counts_every_entry_for_a_role():
    """The hiring limit per turn counts every hire entry for a role together."""
    session = GameSession(BASELINE, 9)
    limit = BASELINE.game.max_hires_per_turn
    split = [{"role": "ae", "count": limit}, {"role": "ae", "count": 1}]
    assert session.check({"hire": split}) == [
        f"hire: at most {limit} ae hires a turn, not {limit + 1}"
    ]
    assert session.check({"hire": [{"role": "ae", "count": limit}, {"role": "sdr"}]}) == []


def test_new_plan_terms_and_quotas_reach_the_reps_at_the_next_period():
    """A rate and a quota changed this turn are what each AE's plan pays from next quarter."""
    scenario = load_scenario("scenarios/game/pay_plan_redesign.yaml", ["calendar.warmup=0"])
    session = GameSession(scenario, 2)
    rate = "ae_linear.components.0.commission.rates.0.rate"
    payees = session.sim.payroll.payees
    aes = [p for p in payees.values() if p.rep.role is Role.AE]
    before = {p.rep.id: p.standing.quota for p in aes}
    session.advance({"plan_terms": {rate: 0.11}, "quota": {"ae": 1.2}})
    for payee in (payees[rep] for rep in before if rep in payees):
        assert payee.plan.components[0].commission.rates[0].rate == 0.11
        assert payee.standing.quota == pytest.approx(1.2 * before[payee.rep.id])
    lines = session.recording.record.pay
    assert any("changed its terms" in note for note in lines.line_note)


def test_a_quota_change_follows_a_plan_chosen_in_the_same_turn():
    """A quota change applies to the plan chosen in the same turn, not to the old one."""
    scenario = load_scenario("scenarios/game/pay_plan_redesign.yaml")
    session = GameSession(scenario, 3)
    amount = scenario.compensation.plans["ae_capped"].quota.amount
    session.advance({"pay_plans": {"ae": "ae_capped"}, "quota": {"ae": 1.1}})
    plans = session.sim.scenario.compensation.plans
    assert plans["ae_capped"].quota.amount == pytest.approx(1.1 * amount)
    assert plans["ae_linear"].quota.amount == scenario.compensation.plans["ae_linear"].quota.amount


def test_a_contest_runs_over_the_next_quarter_and_pays_its_prizes():
    """A contest pays its prizes after the next quarter; it needs time, a pay plan and budget."""
    scenario = load_scenario("scenarios/game/pay_plan_redesign.yaml", ["game.budget=null"])
    session = GameSession(scenario, 4)
    before = session.briefing().budget.projected
    assert session.check({"contest": {"role": "ae", "prizes": [5000, 2000]}}) == []
    session.advance({"contest": {"role": "ae", "prizes": [5000, 2000]}})
    pay = session.recording.record.pay
    assert not any(c == "contest" for c in pay.line_component)  # not this quarter
    second = session.advance({})
    paid = [a for c, a in zip(pay.line_component, pay.line_amount, strict=True) if c == "contest"]
    assert sorted(paid) == [2000.0, 5000.0]
    assert any(line.startswith("A contest among") for line in second.story)
    assert session.check({"contest": {"role": "sdr", "prizes": [100]}}) == []
    while session.turn < session.turns - 1:
        session.advance({})
    assert session.check({"contest": {"role": "ae", "prizes": [1]}}) == [
        "contest: the game ends before a contest could run"
    ]
    assert GameSession(BASELINE, 4).check({"contest": {"role": "ae", "prizes": [1]}}) == [
        "contest: ae reps are on no pay plan to pay prizes"
    ]
    tight = scenario.model_copy(
        update={"game": scenario.game.model_copy(update={"budget": before + 6000})}
    )
    fresh = GameSession(tight, 4)
    assert fresh.check({"contest": {"role": "ae", "prizes": [5000]}}) == []
    assert fresh.check({"contest": {"role": "ae", "prizes": [7000]}})[0].startswith("budget:")


@pytest.mark.parametrize(("backfill", "said"), [("immediate", "backfills are open"),
                                                ("freeze", "backfills are frozen")])  # fmt: skip
def test_the_story_says_what_happens_to_the_seats_of_leavers(backfill, said):
    """The story says whether the seats of leavers are to be filled or frozen."""
    session = GameSession(BASELINE, 5)
    rep = session.briefing().roster[0]
    story = session.advance({"fire": [rep.rep], "backfill": backfill}).story
    lines = [line for line in story if said in line]
    assert lines and all("months" in line or "frozen" in line for line in lines)


def test_a_draft_is_priced_before_the_turn_ends():
    """No decisions cost what the briefing says; a hire adds recruiting and its month-end pay.

    The hire is expected the role's mean time to hire from now (2.5 months for an AE), so
    it is paid at the third month end of the turn only.
    """
    session = GameSession(BASELINE, 6)
    base = session.projected_spend({})
    assert base == session.briefing().budget.projected
    spec = BASELINE.roles.ae
    assert spec.hiring.time_to_hire.mean == pytest.approx(2.5 * DAYS_PER_MONTH)
    hired = session.projected_spend({"hire": [{"role": "ae", "offer": 1.0}]})
    assert hired == pytest.approx(base + spec.hiring.cost + spec.market_pay / 12)
    assert session.projected_spend({"no_such_key": 1}) is None


def test_the_briefing_says_which_policies_are_in_force():
    """The standing policies, in words, follow the decisions that change them."""
    session = GameSession(PAID, 4)
    before = session.briefing().policies
    assert before["backfill"] == "as soon as a seat is empty"
    session.advance(
        {
            "coaching": {"hours_per_rep_per_month": 4, "focus": "new_hires"},
            "training_every_months": 2,
            "recognition": 0,
            "routing": {"ae": "skill_weighted"},
            "backfill": "freeze",
        }
    )
    after = session.briefing().policies
    assert after["coaching"] == "4 h a rep a month, focus new hires"
    assert after["training"] == "every 2 months"
    assert after["recognition"] == "none"
    assert "AE skill weighted" in after["routing"] and "SDR round robin" in after["routing"]
    assert after["backfill"] == "frozen"


def test_the_briefing_gives_each_plan_its_quota_in_words():
    """The briefing gives each role on a plan its quota in words, as a quota change leaves it."""
    session = GameSession(PAID, 4)
    amount = PAID.compensation.plans["ae_linear"].quota.amount
    before = session.briefing().quotas
    assert set(before) == set(PAID.compensation.assign)
    assert before["ae"] == f"{money(amount)} new ARR a year"
    session.advance({"quota": {"ae": 2.0}})
    after = session.briefing().quotas
    assert after["ae"] == f"{money(2 * amount)} new ARR a year"
    assert after["sdr"] == before["sdr"]
    assert GameSession(BASELINE, 4).briefing().quotas == {}  # no pay plans


def test_quota_words_name_the_measure_and_its_unit():
    """Money quotas read in dollars, counted ones as a number, ratios as a percentage."""
    plans = load_scenario("scenarios/game/pay_plan_redesign.yaml").compensation.plans
    assert quota_words(plans["sdr_meetings"]).endswith(" meetings a year")
    assert "$" not in quota_words(plans["sdr_meetings"])
    assert quota_words(plans["se_wins"]).endswith(" technical wins a year")
    assert quota_words(plans["csm_retention"]).endswith("% gross retention")
    assert quota_words(plans["ae_linear"]).startswith("$")


def test_a_save_that_replays_differently_says_from_which_turn(tmp_path):
    """Each turn's figures are fingerprinted in the save; a changed one is found on load."""
    live = GameSession(PAID, 6)
    play(live, busy_player)
    path = live.save(tmp_path / "game.json")
    loaded = GameSession.load(path)
    assert loaded.drift_from is None and loaded.fingerprints == live.fingerprints
    assert len(set(live.fingerprints)) == 4

    document = json.loads(path.read_text())
    document["fingerprints"][2] = "0" * 16  # as if turn 3 had come out otherwise
    document["salessim"] = "0.0.1"
    path.write_text(json.dumps(document))
    changed = GameSession.load(path)
    assert changed.drift_from == 3 and changed.saved_with == "0.0.1"
    assert GameSession.load(path, turns=2).drift_from is None  # turn 3 not replayed
    del document["fingerprints"]  # a save from before fingerprints: nothing to compare
    path.write_text(json.dumps(document))
    assert GameSession.load(path).drift_from is None
