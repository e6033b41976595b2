"""The payroll in the model: the ledger a run leaves behind, checked against the plans."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest

from salessim.model.calendar import Calendar
from salessim.model.engine import Simulation
from salessim.model.events import ExitKind, RepLeft
from salessim.policies.compensation import contest_awards
from salessim.run import Recording, simulate
from salessim.scenario.base import Role
from salessim.scenario.pay_components import Contest
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH

Row = dict[str, Any]
INCENTIVE = {"commission", "bonus", "spif", "contest", "team"}
TOL = 1e-6


# ---------------------------------------------------------------------- scenarios
def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` laid over it, nested mappings merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def with_pay(small_org: Scenario, compensation: dict[str, Any], **sections: Any) -> Scenario:
    """The small organisation on ``compensation``, with other sections overridden."""
    data = small_org.model_dump(by_alias=True)
    return Scenario.model_validate(merged(data, {"compensation": compensation, **sections}))


def linear(rate: float, **extra: Any) -> dict[str, Any]:
    """A commission at one rate."""
    return {"commission": {"rates": [{"from": 0, "rate": rate}], **extra}}


def ae_plan(*components: dict[str, Any], quota: str = "800k") -> dict[str, Any]:
    """An AE plan: 100k base, 100k target incentive, quota by quarter."""
    return {
        "role": "ae",
        "base": "100k",
        "target_incentive": "100k",
        "quota": {"amount": quota, "period": "quarter"},
        "components": list(components),
    }


BASES = {"sdr": 60e3, "ae": 100e3, "specialist": 120e3, "csm": 80e3, "manager": 150e3}
SE_TEAM_RATE = 0.005
CSM_RATES = [{"from": 0, "rate": 0.01}, {"from": 1.0, "rate": 0.02}]
CONTEST_PRIZES = [5e3, 3e3, 1e3]


def every_role(*ae_extra: dict[str, Any]) -> dict[str, Any]:
    """Plans for every role, each with its own measure, the specialist with team pay."""
    return {
        "plans": {
            "sdr": {
                "role": "sdr",
                "base": BASES["sdr"],
                "target_incentive": "24k",
                "quota": {"amount": 240, "period": "month"},
                "components": [
                    {"commission": {"rates": [{"from": 0, "rate": 80}, {"from": 1, "rate": 120}]}},
                    {"spif": {"measure": "sourced_won", "rate": 0.01}},
                ],
            },
            "ae": ae_plan(
                {
                    "commission": {
                        "rates": [{"from": 0, "rate": 0.08}, {"from": 1.0, "rate": 0.12}],
                        "threshold": 0.1,
                        "cap": 3,
                    }
                },
                {"bonus": {"tiers": [{"at": 1.0, "amount": "5k"}]}},
                *ae_extra,
            ),
            "se": {
                "role": "specialist",
                "base": BASES["specialist"],
                "target_incentive": "40k",
                "quota": {"amount": 120, "period": "quarter"},
                "components": [
                    linear(150),
                    {"team": {"measure": "new_arr", "rate": SE_TEAM_RATE, "split": "pool"}},
                ],
            },
            "csm": {
                "role": "csm",
                "base": BASES["csm"],
                "target_incentive": "20k",
                "quota": {"amount": 0.9, "period": "quarter"},
                "components": [{"commission": {"rates": CSM_RATES}}],
            },
            "mgr": {
                "role": "manager",
                "base": BASES["manager"],
                "target_incentive": "50k",
                "quota": {"amount": "4M", "period": "quarter"},
                "components": [linear(0.01)],
            },
        },
        "assign": {"sdr": "sdr", "ae": "ae", "specialist": "se", "csm": "csm", "manager": "mgr"},
    }


FIXED_STAFF = {"workforce": {"enabled": False}}
TWO_SPECIALISTS = {"roles": {"specialist": {"headcount": 2}}}


def calendar_of(scenario: Scenario) -> Calendar:
    """The scenario's calendar."""
    return Calendar(scenario.calendar.start_date, scenario.calendar.fiscal_year_start_month)


def quarter_ends(scenario: Scenario, until: float) -> list[float]:
    """The days fiscal quarters end, up to ``until``."""
    calendar, ends, day = calendar_of(scenario), [], 0.0
    while (end := calendar.period(day, 3)[1]) <= until:
        ends.append(end)
        day = end
    return ends


def credit_by_rep(lines: list[Row], start: float, end: float, measure: str) -> dict[int, float]:
    """Credit in ``measure`` on commission lines dated in [start, end), by rep."""
    credit: dict[int, float] = defaultdict(float)
    for line in lines:
        if (
            line["component"] == "commission"
            and line["measure"] == measure
            and start <= line["day"] < end
        ):
            credit[line["rep"]] += line["credit"]
    return credit


def is_month_base(line: Row) -> bool:
    """A base salary line (not a plan-change marker)."""
    return line["component"] == "base" and line["note"].startswith("base salary")


# ---------------------------------------------------------------------- the ledger identity
def test_comp_cost_is_the_ledger_from_the_measured_day(small_org):
    """comp_cost (and its split by role and component) sums the lines dated from measured_from.

    Warm-up 3 months (measured from day 91.3), then a year, with every role on a plan.
    """
    scenario = with_pay(
        small_org, every_role(), calendar={"warmup": "3mo", "horizon": "1y"}, **FIXED_STAFF
    )
    result = simulate(scenario, seed=3)
    pay, kpis = result.record.pay, result.kpis
    assert pay.measured_from == pytest.approx(3 * DAYS_PER_MONTH)
    measured = [line for line in pay.lines() if line["day"] >= pay.measured_from]
    assert len(measured) < len(pay.line_day)
    assert kpis["comp_cost"] == pytest.approx(sum(line["amount"] for line in measured))
    for role in BASES:
        expected = sum(line["amount"] for line in measured if line["role"] == role)
        assert expected > 0
        assert kpis[f"comp_cost_{role}"] == pytest.approx(expected)
    for component in ("base", "commission", "bonus", "spif", "team"):
        expected = sum(line["amount"] for line in measured if line["component"] == component)
        assert expected > 0, component
        assert kpis[f"comp_cost_{component}"] == pytest.approx(expected)


def test_a_whole_year_of_base_lines_is_the_plans_base(small_org):
    """With fixed staff, each rep's 12 base lines of FY2027 (days 0 to 365) sum to the plan's base.

    For example an AE gets 12 x 100k / 12 = 100k; a manager 12 x 150k / 12 = 150k.
    """
    scenario = with_pay(small_org, every_role(), **FIXED_STAFF)
    lines = simulate(scenario, seed=4).record.pay.lines()
    base: dict[int, list[float]] = defaultdict(list)
    role_of = {}
    for line in lines:
        role_of[line["rep"]] = line["role"]
        if line["component"] == "base" and 0 < line["day"] <= 365:
            base[line["rep"]].append(line["amount"])
    assert set(base) == set(role_of)
    heads = small_org.roles
    counts = {role: sum(r == role for r in role_of.values()) for role in BASES}
    assert counts == {r: heads.of(Role(r)).headcount for r in BASES}
    for rep, amounts in base.items():
        assert len(amounts) == 12
        assert sum(amounts) == pytest.approx(BASES[role_of[rep]])


def test_each_role_is_paid_on_its_own_measure(small_org):
    """Each role is paid on its plan's measures and no other.

    SDRs on meetings (and a sourced_won spif), AEs on new ARR, specialists on technical
    wins, CSMs on gross retention, the manager on the team's new ARR.
    """
    lines = simulate(with_pay(small_org, every_role(), **FIXED_STAFF), seed=5).record.pay.lines()
    measures: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line["component"] in ("commission", "spif") and line["measure"]:
            measures[line["role"]].add(f"{line['component']}:{line['measure']}")
    assert measures == {
        "sdr": {"commission:meetings", "spif:sourced_won"},
        "ae": {"commission:new_arr"},
        "specialist": {"commission:technical_wins"},
        "csm": {"commission:gross_retention"},
        "manager": {"commission:new_arr"},
    }


def test_the_manager_is_credited_with_the_teams_credit(small_org):
    """One manager over every rep: its new-ARR credit is the AEs' credit, deal for deal."""
    lines = simulate(with_pay(small_org, every_role(), **FIXED_STAFF), seed=6).record.pay.lines()
    deals: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for line in lines:
        if line["component"] == "commission" and line["measure"] == "new_arr":
            deals[line["role"]].append((line["day"], line["credit"]))

    def per_day(rows: list[tuple[float, float]]) -> dict[float, float]:
        total: dict[float, float] = defaultdict(float)
        for day, credit in rows:
            total[day] += credit
        return total

    ae, manager = per_day(deals["ae"]), per_day(deals["manager"])
    assert ae
    assert set(ae) == set(manager)
    assert all(manager[day] == pytest.approx(ae[day]) for day in ae)


def test_ratio_quota_pays_only_at_period_end(small_org):
    """CSM gross-retention commission is paid at quarter ends only, on the period's credit.

    The quota is 90% of the ARR due; the quarter's credit pays 1% up to the quota and 2%
    above it: e.g. 450k credit on a 400k quota pays 4,000 + 1,000 = 5,000.
    """
    scenario = with_pay(small_org, every_role(), **FIXED_STAFF)
    pay = simulate(scenario, seed=7).record.pay
    ends = quarter_ends(scenario, 366)
    lines = [line for line in pay.lines() if line["role"] == "csm"]
    commission = [line for line in lines if line["component"] == "commission"]
    assert commission
    assert {line["day"] for line in commission} <= set(ends)
    periods = {
        (pay.period_rep[i], pay.period_label[i]): (pay.period_quota[i], pay.period_credit[i])
        for i in range(len(pay.period_day))
        if pay.period_role[i] == "csm"
    }
    assert len(periods) == 4 * small_org.roles.csm.headcount
    for (rep, label), (quota, credit) in periods.items():
        mine = [line for line in commission if line["rep"] == rep and line["period"] == label]
        assert sum(line["credit"] for line in mine) == pytest.approx(credit)
        below, above = min(credit, quota), max(0.0, credit - quota)
        assert sum(line["amount"] for line in mine) == pytest.approx(0.01 * below + 0.02 * above)
        assert {line["rate"] for line in mine} <= {0.01, 0.02}


def test_team_pool_is_the_companys_new_arr_shared(small_org):
    """Specialists' team pay each quarter: 0.5% of the quarter's company new ARR, shared by 2."""
    scenario = with_pay(small_org, every_role(), **FIXED_STAFF, **TWO_SPECIALISTS)
    lines = simulate(scenario, seed=8).record.pay.lines()
    ends = quarter_ends(scenario, 366)
    team = [line for line in lines if line["component"] == "team"]
    ae_lines = [line for line in lines if line["role"] == "ae"]
    assert len(team) == 2 * len(ends)
    for start, end in zip([0.0, *ends], ends, strict=False):
        company = sum(credit_by_rep(ae_lines, start, end, "new_arr").values())
        quarter = [line for line in team if line["day"] == end]
        assert len(quarter) == 2
        for line in quarter:
            assert line["credit"] == pytest.approx(company)
            assert line["amount"] == pytest.approx(SE_TEAM_RATE * company / 2)


def test_the_payrolls_head_counts_are_its_payees_by_plan_and_team(small_org):
    """The running head counts team pay reads are a count of the payees.

    Through hires, exits and a plan change, by plan and by plan and manager, at every
    month end.
    """
    plans = every_role()
    plans["plans"]["ae2"] = ae_plan(linear(0.1))
    plans["changes"] = [{"at": "2027-04-10", "assign": {"ae": "ae2"}}]
    scenario = with_pay(small_org, plans, roles={"manager": {"headcount": 2}})
    sim = Simulation(scenario, 5)
    payroll, seen, left = sim.payroll, set(), []
    sim.bus.subscribe(RepLeft, lambda record: left.append(record.rep))
    for month in range(1, 13):
        sim.run_until(sim.calendar.month_start(month))
        by_plan: dict[str, int] = defaultdict(int)
        by_team: dict[tuple[str, int], int] = defaultdict(int)
        for payee in payroll.payees.values():
            by_plan[payee.plan_name] += 1
            by_team[payee.plan_name, payee.rep.manager] += 1
        assert {k: v for k, v in payroll.roster.plan_heads.items() if v} == by_plan
        assert {k: v for k, v in payroll.roster.team_heads.items() if v} == by_team
        seen |= set(by_plan)
    assert {"ae", "ae2"} <= seen and left


# ---------------------------------------------------------------------- signs
def test_only_clawbacks_and_draw_recoveries_are_negative(small_org):
    """Negative amounts appear on clawback lines and on draw lines that recover advances, only."""
    churny = {
        "market": {"segments": {"mid_market": {"contract_term": "3mo"}}},
        "customers": {"churn": {"base": 0.6}},
    }
    compensation = every_role(
        {"clawback": {"within": "6mo", "share": 0.5}},
        {"draw": {"amount": "8k", "months": 3}},
    )
    lines = simulate(with_pay(small_org, compensation, **churny), seed=9).record.pay.lines()
    negative = [line for line in lines if line["amount"] < 0]
    assert {line["component"] for line in negative} == {"clawback", "draw"}
    for line in negative:
        if line["component"] == "draw":
            assert line["note"].startswith("draw advance recovered")


# ---------------------------------------------------------------------- clawbacks
CHURN_AT_FIRST_RENEWAL = {
    "market": {"segments": {"mid_market": {"contract_term": "3mo"}}},
    "customers": {"churn": {"base": 1.0}},
    **FIXED_STAFF,
}
TERM = 3 * DAYS_PER_MONTH


def run_with_a_leaver(
    scenario: Scenario, seed: int, leave_at: float, until: float
) -> tuple[int, list[Row]]:
    """Run to ``leave_at``, make the AE who has won the most so far leave, run on to ``until``."""
    sim = Simulation(scenario, seed)
    recording = Recording(sim)
    sim.run_until(leave_at)
    won = credit_by_rep(recording.record.pay.lines(), 0, leave_at, "new_arr")
    aes = {rep.id: rep for rep in sim.workforce.staff[Role.AE]}
    leaver = max(aes, key=lambda rep_id: (won.get(rep_id, 0.0), -rep_id))
    assert won.get(leaver, 0) > 0
    sim.workforce.leave(aes[leaver], ExitKind.INVOLUNTARY)
    sim.run_until(until)
    return leaver, recording.result().record.pay.lines()


def deal_commission(lines: list[Row], rep: int) -> dict[float, float]:
    """Commission paid on each of ``rep``'s new-ARR deals, by the day it was won."""
    paid: dict[float, float] = defaultdict(float)
    for line in lines:
        if (
            line["rep"] == rep
            and line["component"] == "commission"
            and line["measure"] == "new_arr"
        ):
            paid[line["day"]] += line["amount"]
    return paid


def won_on(paid: dict[float, float], day: float) -> float:
    """The deal won ``day`` (to rounding)."""
    (match,) = [won for won in paid if abs(won - day) < TOL]
    return match


def test_clawback_follows_a_rep_who_has_left(small_org):
    """Every account churns at its first renewal (3 months); half the commission is clawed back.

    The AE leaves on day 60; each deal they won churns 91.3 days after it was won, and the
    clawback line is on the leaver: -0.5 x the commission paid on that deal, with a note
    that the rep has left.
    """
    plan = ae_plan(
        {"commission": {"rates": [{"from": 0, "rate": 0.08}, {"from": 0.25, "rate": 0.12}]}},
        {"clawback": {"within": "6mo", "share": 0.5}},
    )
    scenario = with_pay(
        small_org, {"plans": {"ae": plan}, "assign": {"ae": "ae"}}, **CHURN_AT_FIRST_RENEWAL
    )
    leaver, lines = run_with_a_leaver(scenario, seed=11, leave_at=60.0, until=160.0)
    paid = deal_commission(lines, leaver)
    assert paid and max(paid) < 60.0
    clawbacks = [line for line in lines if line["component"] == "clawback"]
    mine = [line for line in clawbacks if line["rep"] == leaver]
    assert len(mine) == len(paid)
    for line in mine:
        won = won_on(paid, line["day"] - TERM)
        assert line["amount"] < 0
        assert line["credit"] == pytest.approx(paid[won])
        assert line["amount"] == pytest.approx(-0.5 * paid[won])
        assert line["rate"] == -0.5
        assert line["role"] == "ae"
        assert line["plan"] == "ae"
        assert "the rep has left" in line["note"]
    others = [line for line in clawbacks if line["rep"] != leaver]
    assert others
    assert not any("has left" in line["note"] for line in others)


def test_no_clawback_after_the_window(small_org):
    """A clawback within 2 months never fires when accounts churn at 3 months."""
    plan = ae_plan(linear(0.1), {"clawback": {"within": "2mo"}})
    scenario = with_pay(
        small_org, {"plans": {"ae": plan}, "assign": {"ae": "ae"}}, **CHURN_AT_FIRST_RENEWAL
    )
    lines = simulate(scenario, seed=12).record.pay.lines()
    assert any(line["component"] == "commission" and line["amount"] > 0 for line in lines)
    assert not any(line["component"] == "clawback" for line in lines)


def test_a_leaver_is_paid_base_for_the_days_worked(small_org):
    """An AE leaving on day 40 (10 February) is paid base for the 9 days of February worked.

    9 of February's 28 days: 100k / 12 x 9 / 28 = 2,678.57, not a whole month's 8,333.33.
    """
    plan = ae_plan(linear(0.1))
    scenario = with_pay(small_org, {"plans": {"ae": plan}, "assign": {"ae": "ae"}}, **FIXED_STAFF)
    leaver, lines = run_with_a_leaver(scenario, seed=13, leave_at=40.0, until=70.0)
    base = [line for line in lines if line["rep"] == leaver and is_month_base(line)]
    assert [line["day"] for line in base] == [31.0, 40.0]
    assert base[1]["amount"] == pytest.approx(100e3 / 12 * 9 / 28)


def test_a_managers_clawback_does_not_cancel_the_aes(small_org):
    """When the AE's and the manager's plans both claw back, a churned deal claws back from both."""
    compensation = {
        "plans": {
            "ae": ae_plan(linear(0.1), {"clawback": {"within": "6mo"}}),
            "mgr": {
                "role": "manager",
                "base": "150k",
                "target_incentive": "50k",
                "quota": {"amount": "4M", "period": "quarter"},
                "components": [linear(0.01), {"clawback": {"within": "6mo"}}],
            },
        },
        "assign": {"ae": "ae", "manager": "mgr"},
    }
    scenario = with_pay(small_org, compensation, **CHURN_AT_FIRST_RENEWAL)
    lines = simulate(scenario, seed=14, years=0.5).record.pay.lines()
    clawed = {line["role"] for line in lines if line["component"] == "clawback"}
    assert clawed == {"ae", "manager"}


def test_clawback_takes_back_the_deals_own_commission_under_a_gate(small_org):
    """Gate 50% of a 100k quarter, 10% flat: every churned deal gives back 10% of its own ARR.

    Each deal won (and paid, at once or on release) churns 3 months later; its clawback
    must be -0.1 x that deal's ARR, whatever was held or released alongside it.
    """
    plan = ae_plan(linear(0.1, gate=0.5), {"clawback": {"within": "6mo"}}, quota="400k")
    scenario = with_pay(
        small_org, {"plans": {"ae": plan}, "assign": {"ae": "ae"}}, **CHURN_AT_FIRST_RENEWAL
    )
    horizon = 0.5 * 365.25
    lines = simulate(scenario, seed=15, years=0.5).record.pay.lines()
    deals: dict[tuple[int, float], Row] = {}
    for line in lines:
        if line["component"] == "commission" and line["measure"] == "new_arr":
            deal = deals.setdefault((line["rep"], line["day"]), {"credit": 0.0, "paid": 0.0})
            deal["credit"] += line["credit"]
            deal["paid"] += line["amount"]
            deal["period"] = line["period"]
    released = [line for line in lines if "held commission released" in line["note"]]
    held_then_released = {
        (rep, day)
        for release in released
        for (rep, day), deal in deals.items()
        if rep == release["rep"]
        and deal["period"] == release["period"]
        and day < release["day"]
        and deal["paid"] == 0
        and day + TERM < horizon
    }
    assert held_then_released
    clawbacks = [line for line in lines if line["component"] == "clawback"]
    assert clawbacks
    clawed = set()
    for line in clawbacks:
        ((rep, day),) = [
            key for key in deals if key[0] == line["rep"] and abs(key[1] + TERM - line["day"]) < TOL
        ]
        assert line["amount"] == pytest.approx(-0.1 * deals[(rep, day)]["credit"])
        clawed.add((rep, day))
    assert held_then_released <= clawed


# ---------------------------------------------------------------------- plan changes
def change_plans(**changes: Any) -> dict[str, Any]:
    """AEs on ``old`` (8%); ``new`` (12%) also defined."""
    return {
        "plans": {"old": ae_plan(linear(0.08)), "new": ae_plan(linear(0.12))},
        "assign": {"ae": "old"},
        **changes,
    }


def assert_switch_at(lines: list[Row], boundary: float, aes: int) -> None:
    """Old-plan lines up to ``boundary``, new-plan lines from it, every AE moved there."""
    ae = [line for line in lines if line["role"] == "ae"]
    old = [line for line in ae if line["plan"] == "old"]
    new = [line for line in ae if line["plan"] == "new"]
    assert old and new
    assert max(line["day"] for line in old) == boundary
    assert min(line["day"] for line in new) >= boundary
    assert all(line["day"] <= boundary for line in old)
    moved = [line for line in ae if line["note"] == "moved from plan old to new"]
    assert len(moved) == aes
    assert {line["day"] for line in moved} == {boundary}
    for line in ae:
        if line["component"] == "commission" and line["credit"] > 0:
            assert line["rate"] == (0.08 if line["day"] < boundary else 0.12)


def test_a_plan_change_takes_effect_at_the_next_fiscal_quarter(small_org):
    """With a fiscal year from February, a change dated 10 March moves AEs on 1 May (day 120).

    Lines before day 120 are on the old plan (8%), lines after it on the new one (12%).
    """
    at = dt.date(2027, 3, 10)
    scenario = with_pay(
        small_org,
        change_plans(changes=[{"at": at.isoformat(), "assign": {"ae": "new"}}]),
        calendar={"fiscal_year_start_month": 2, "horizon": "8mo"},
        **FIXED_STAFF,
    )
    calendar = calendar_of(scenario)
    boundary = calendar.period(calendar.day_of(at), 3)[1]
    assert calendar.date(boundary) == dt.date(2027, 5, 1)
    lines = simulate(scenario, seed=21).record.pay.lines()
    assert_switch_at(lines, boundary, small_org.roles.ae.headcount)


def test_a_plan_change_mid_run_waits_for_the_quarter_end(small_org):
    """The game path: assigning AEs to ``new`` on day 45 moves them at the quarter end, day 90."""
    scenario = with_pay(small_org, change_plans(), **FIXED_STAFF)
    sim = Simulation(scenario, 22)
    recording = Recording(sim)
    sim.run_until(45.0)
    sim.change({"compensation.assign.ae": "new"})
    sim.run_until(200.0)
    lines = recording.result().record.pay.lines()
    boundary = sim.calendar.period(45.0, 3)[1]
    assert boundary == 90.0
    assert_switch_at(lines, boundary, small_org.roles.ae.headcount)


def test_a_contest_on_a_new_plan_counts_only_its_window(small_org):
    """AEs move to a plan with a contest on day 181: the Q3 contest ranks Q3 credit only.

    The winner's contest line must credit its new ARR of days 181 to 273, not everything it
    won since day 0.
    """
    compensation = {
        "plans": {
            "old": ae_plan(linear(0.1)),
            "new": ae_plan(linear(0.1), {"contest": {"prizes": ["5k"]}}),
        },
        "assign": {"ae": "old"},
        "changes": [{"at": "2027-05-15", "assign": {"ae": "new"}}],
    }
    scenario = with_pay(small_org, compensation, calendar={"horizon": "9mo"}, **FIXED_STAFF)
    lines = simulate(scenario, seed=2).record.pay.lines()
    (line,) = [line for line in lines if line["component"] == "contest"]
    assert line["day"] == 273.0
    q3 = credit_by_rep(lines, 181.0, 273.0, "new_arr")
    q3 = {rep: credit for rep, credit in q3.items() if credit > 0}
    assert line["credit"] == pytest.approx(q3[line["rep"]])
    assert line["rep"] == max(q3, key=lambda rep: (q3[rep], -rep))


# ---------------------------------------------------------------------- draws
@pytest.mark.parametrize("recoverable", [True, False])
def test_draws_top_up_new_reps_and_recover_only_what_they_advanced(small_org, recoverable):
    """An 8k draw for the first 3 months on the plan, month by month from the ledger.

    Top-ups come only in a rep's first 3 months on the plan (hires included) and lift the
    month's incentive pay to 8,000: 2,500 earned gets 5,500. A hire's first part month
    gets the same share of the draw as of the base (half a month: a 4,000 floor). A
    recovery never exceeds the month's incentive above the floor, and a rep's recoveries
    never exceed their top-ups. A non-recoverable draw recovers nothing.
    """
    draw = {"amount": "8k", "months": 3, "recoverable": recoverable}
    plan = ae_plan(linear(0.1), {"draw": draw})
    scenario = with_pay(
        small_org,
        {"plans": {"ae": plan}, "assign": {"ae": "ae"}},
        roles={"ae": {"attrition": {"voluntary": 0.6}}},
    )
    lines = simulate(scenario, seed=31).record.pay.lines()
    topped: dict[int, float] = {}
    recovered: dict[int, float] = {}
    hires = set()
    for rep in {line["rep"] for line in lines}:
        incentive = closed = 0.0
        month = -1
        share = 1.0
        topped[rep] = recovered[rep] = 0.0
        for line in (line for line in lines if line["rep"] == rep):
            if is_month_base(line):
                if month == -1 and "of the month)" in line["note"] and line["day"] % 1 == 0:
                    hires.add(rep)  # joined mid-month: a part month's base at a month end
                closed, incentive, month = incentive, 0.0, month + 1
                share = line["amount"] / (100e3 / 12)
            elif line["component"] in INCENTIVE:
                incentive += line["amount"]
            elif line["component"] == "draw" and line["amount"] > 0:
                assert 0 <= month < 3
                assert line["amount"] == pytest.approx(8e3 * share - closed)
                topped[rep] += line["amount"]
            elif line["component"] == "draw" and line["amount"] < 0:
                floor = 8e3 * share if month < 3 else 0.0
                assert -line["amount"] <= closed - floor + TOL
                recovered[rep] -= line["amount"]
        assert recovered[rep] <= topped[rep] + TOL
    assert hires
    assert any(topped[rep] > 0 for rep in hires)
    assert sum(topped.values()) > 0
    if recoverable:
        assert sum(recovered.values()) > 0
    else:
        assert sum(recovered.values()) == 0


# ---------------------------------------------------------------------- determinism
def test_the_ledger_is_a_function_of_scenario_and_seed(small_org):
    """The same scenario and seed give the same ledger line for line; another seed another."""
    scenario = with_pay(small_org, every_role({"clawback": {"within": "6mo"}}))
    first = simulate(scenario, seed=41, years=0.5).record.pay
    again = simulate(scenario, seed=41, years=0.5).record.pay
    other = simulate(scenario, seed=42, years=0.5).record.pay
    assert first.lines() == again.lines()
    assert list(first.period_credit) == list(again.period_credit)
    assert first.lines() != other.lines()


# ---------------------------------------------------------------------- contests
def test_contest_prizes_go_to_the_quarters_top_reps(small_org):
    """Each quarter end pays at most 3 prizes (5k, 3k, 1k) to the AEs with the most new ARR.

    The winners are recomputed from the ledger: commission credit in new ARR within the
    quarter, among AEs on the plan at its end (those paid base that day); ties to the lower id.
    """
    scenario = with_pay(small_org, every_role({"contest": {"prizes": CONTEST_PRIZES}}))
    lines = simulate(scenario, seed=51).record.pay.lines()
    ends = quarter_ends(scenario, 366)
    contest = [line for line in lines if line["component"] == "contest"]
    assert contest
    assert {line["day"] for line in contest} <= set(ends)
    spec = Contest.model_validate({"prizes": CONTEST_PRIZES})
    for start, end in zip([0.0, *ends], ends, strict=False):
        paid = [line for line in contest if line["day"] == end]
        assert len(paid) <= len(CONTEST_PRIZES)
        members = {
            line["rep"]
            for line in lines
            if line["role"] == "ae" and is_month_base(line) and line["day"] == end
        }
        credit = credit_by_rep(lines, start, end, "new_arr")
        expected = contest_awards(spec, {rep: credit.get(rep, 0.0) for rep in members})
        assert [(line["rep"], line["amount"]) for line in paid] == [
            (rep, prize) for rep, _, prize in expected
        ]
        for line, (rep, place, _) in zip(paid, expected, strict=True):
            assert line["credit"] == pytest.approx(credit[rep])
            assert f"place {place} on new_arr" in line["note"]


# ---------------------------------------------------------------------- fiscal periods
def test_a_run_starting_mid_quarter_prorates_the_first_period(small_org):
    """Fiscal year from February, start 1 January: Q4 (November to January) is one-third simulated.

    The AE's quarter quota is 800k / 4 = 200k; only January is on the plan, so the first
    period's quota should be a third of it, 66.7k (67.4k by days, 200k x 31/92; both within
    3%), and the period is not complete.
    """
    scenario = with_pay(
        small_org,
        {"plans": {"ae": ae_plan(linear(0.1))}, "assign": {"ae": "ae"}},
        calendar={"fiscal_year_start_month": 2, "horizon": "2mo"},
        **FIXED_STAFF,
    )
    pay = simulate(scenario, seed=61).record.pay
    first = [i for i in range(len(pay.period_day)) if pay.period_day[i] == 31.0]
    assert len(first) == small_org.roles.ae.headcount
    for i in first:
        assert pay.period_label[i] == "2027Q4"
        assert pay.period_quota[i] == pytest.approx(200e3 / 3, rel=0.03)
        assert not pay.period_complete[i]
