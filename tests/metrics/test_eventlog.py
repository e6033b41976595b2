"""The event log tells the whole story: every kind has its own columns, and they add up.

Fifteen months of a small organisation on pay plans (with a contest), monthly training, a
performance policy, high attrition, a market dip and a competing offer, so that every
event kind happens. Each kind's rows
are checked for what they must hold and, where a KPI counts the same thing, against it.
"""

from __future__ import annotations

from typing import Any

import pytest

from salessim import simulate
from salessim.metrics.kpis import ROLES
from salessim.model.events import EVENT_TYPES
from salessim.run import RunResult
from salessim.scenario.schema import Scenario

TOL = 1e-6


@pytest.fixture(scope="module")
def told(small_org: Scenario) -> RunResult:
    """Fifteen months of the small organisation, on a pay plan, with every kind of event logged."""
    data = small_org.model_dump(by_alias=True)
    data["calendar"]["horizon"] = "15mo"
    data["roles"]["ae"]["attrition"] = {"voluntary": 0.25}
    data["policies"]["training"] = {"every": "1mo", "cost_per_rep": 400}
    data["policies"]["performance"] = {"min_tenure": 0, "plan_months": 1}
    data["events"] = [
        {"at": "2027-03-01", "kind": "market_dip", "factor": 0.8, "lasts": "1mo"},
        {"at": "2027-05-10", "kind": "competing_offer", "role": "sdr", "offer": 1.3},
    ]
    data["compensation"] = {
        "plans": {
            "ae": {
                "role": "ae",
                "base": "100k",
                "target_incentive": "100k",
                "quota": {"amount": "4M", "period": "quarter"},
                "components": [
                    {"commission": {"rates": [{"from": 0, "rate": 0.1}], "gate": 0.5}},
                    {"contest": {"prizes": ["5k", "2k"]}},
                ],
            }
        },
        "assign": {"ae": "ae"},
    }
    return simulate(Scenario.model_validate(data), seed=3, record_events=True)


def rows(result: RunResult, kind: str) -> list[dict[str, Any]]:
    """The rows of ``kind``'s event table, each a mapping of column to value."""
    assert result.events is not None
    table = result.events[kind]
    return [dict(zip(table, values, strict=True)) for values in zip(*table.values(), strict=True)]


def test_every_kind_happens_and_has_its_records_fields(told: RunResult):
    """One table per kind, named in snake case, columns exactly the record's fields."""
    assert told.events is not None
    assert len(told.events) == len(EVENT_TYPES)
    for kind in EVENT_TYPES:
        name = "".join(f"_{c.lower()}" if c.isupper() else c for c in kind.__name__)[1:]
        table = told.events[name]
        assert list(table) == list(kind._fields)
        assert len(table["day"]) > 0, f"no {name} in fifteen months"


def test_leads_their_stages_and_closes(told: RunResult, small_org: Scenario):
    """Leads: counts agree with the KPIs; a win books value less discount and concession."""
    k = told.kpis
    created = rows(told, "lead_created")
    assert len(created) == k["leads_created"]
    assert {r["segment"] for r in created} <= set(small_org.market.segments)
    assert {r["source"] for r in created} <= {"inbound", "outbound", "referral"}
    assert len(rows(told, "opportunity_created")) == k["opportunities_created"]
    roles = [stage.role.value for stage in small_org.funnel.stages]
    for r in rows(told, "lead_work_started"):
        assert r["role"] == roles[r["stage"]] and r["rep"] > 0 and r["wait_days"] >= 0
    done = rows(told, "stage_done")
    assert len(done) == sum(told.record.stage_done)
    assert sum(r["converted"] for r in done) == sum(told.record.stage_converted)
    closed = rows(told, "lead_closed")
    won = [r for r in closed if r["status"] == "won"]
    assert len(won) == k["deals_won"]
    assert sum(1 for r in closed if r["status"] == "lost") == k["deals_lost"]
    for r in won:
        cut = r["discount"] + r["concession"]
        assert r["arr"] == pytest.approx(r["value"] * (1 - cut))
        assert r["owner"] is not None and r["opportunity_at"] <= r["day"]
    assert all(r["arr"] == 0 for r in closed if r["status"] != "won")
    assert sum(r["arr"] for r in won) == pytest.approx(k["bookings_new_arr"])
    for r in rows(told, "lead_went_cold"):
        assert r["role"] == roles[r["stage"]] and r["wait_days"] > 0


def test_accounts_open_renew_and_churn(told: RunResult, small_org: Scenario):
    """The starting book opens without a lead; new logos, churn and expansion match the KPIs."""
    opened = rows(told, "account_opened")
    assert sum(1 for r in opened if r["lead"] is None) == small_org.customers.initial.accounts
    assert sum(1 for r in opened if r["lead"] is not None) == told.kpis["new_logos"]
    churned = rows(told, "account_churned")
    assert len(churned) == told.kpis["churned_logos"]
    assert sum(r["arr_lost"] for r in churned) == pytest.approx(told.kpis["churned_arr"])
    renewed = rows(told, "account_renewed")
    growth = sum(max(0.0, r["arr_after"] - r["arr_before"]) for r in renewed)
    assert growth == pytest.approx(told.kpis["bookings_expansion_arr"])
    tasks = rows(told, "account_work_started")
    assert {r["task"] for r in tasks} == {"onboarding", "renewal"}


def test_the_calendar(told: RunResult):
    """Fifteen months from 1 January 2027: fifteen months, five quarters and a fiscal year."""
    assert [r["month"] for r in rows(told, "month_ended")] == list(range(15))
    quarters = [f"2027Q{q}" for q in range(1, 5)] + ["2028Q1"]
    assert [r["period"] for r in rows(told, "quarter_ended")] == quarters
    assert [r["period"] for r in rows(told, "year_ended")] == ["FY2027"]


def test_people_hires_exits_plans_and_training(told: RunResult):
    """Exit kind, regret, tenure and team are on each exit; counts and costs match the KPIs."""
    k = told.kpis
    hired = rows(told, "rep_hired")
    assert len(hired) == k["hires"]
    assert {r["tier"] for r in hired} <= {"star", "core", "laggard"}
    assert sum(r["hiring_cost"] for r in hired) == pytest.approx(k["hiring_cost"])
    everyone = rows(told, "rep_left")
    left = [r for r in everyone if r["exit"] != "promoted"]  # promotions are not attrition
    assert len(left) == k["exits"]
    assert {r["exit"] for r in left} == {"voluntary", "involuntary"}
    years = sum(k[f"headcount_mean_{role}"] for role in ROLES) * k["measured_days"] / 365.25
    promoted = len(everyone) - len(left)
    assert promoted / years == pytest.approx(k["attrition_promoted_rate"])
    assert not any(r["regretted"] for r in left if r["exit"] == "involuntary")
    assert all(r["tenure_days"] >= 0 and r["team"] >= 0 and r["rep"] > 0 for r in left)
    assert sum(r["exit_cost"] for r in left) == pytest.approx(k["exit_cost"])
    assert len(rows(told, "plan_started")) == k["plans_started"]
    ended = rows(told, "plan_ended")
    assert sum(1 for r in ended if not r["restored"]) == k["plans_failed"]
    training = rows(told, "training_held")
    assert sum(r["cost"] for r in training) == pytest.approx(k["training_cost"])


def test_scripted_events_and_offers(told: RunResult):
    """The dip and the offer fire on their days; the offer is answered 14 days later."""
    fired = rows(told, "scripted_event_fired")
    assert [(r["day"], r["kind"]) for r in fired] == [
        (59.0, "market_dip"),
        (129.0, "competing_offer"),
    ]
    assert fired[0]["lasts_days"] == pytest.approx(30.4375) and fired[1]["lasts_days"] is None
    (made,) = rows(told, "offer_made")
    (answer,) = rows(told, "offer_answered")
    assert made["role"] == "sdr" and made["offer"] == 1.3
    assert answer["rep"] == made["rep"] and answer["day"] == made["day"] + 14
    assert answer["stayed"] is False and answer["matched"] is False  # nobody matches by default
    left = [r for r in rows(told, "rep_left") if r["rep"] == made["rep"]]
    assert [(r["day"], r["exit"]) for r in left] == [(answer["day"], "voluntary")]


def test_pay_lines_periods_and_contests(told: RunResult):
    """Pay lines add up to comp cost; a contest's winners entered it; gates forfeit in a field."""
    lines = rows(told, "pay_line")
    assert sum(r["amount"] for r in lines) == pytest.approx(told.kpis["comp_cost"])
    forfeits = [r for r in lines if r["forfeited"] > 0]
    assert forfeits and all(r["amount"] == 0 for r in forfeits)
    periods = rows(told, "pay_period_closed")
    assert all(r["role"] == "ae" and r["quota"] >= 0 and r["credit"] >= 0 for r in periods)
    assert sum(r["credit"] for r in periods if r["period"] == "2027Q2") > 0
    contests = rows(told, "contest_held")
    for r in contests:
        winners, entrants = r["winners"].split(), set(r["entrants"].split())
        assert set(winners) <= entrants and len(winners) <= 2
