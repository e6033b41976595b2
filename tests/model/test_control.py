"""The control surface: a read-only view of the organisation and typed changes, all or none."""

from __future__ import annotations

from typing import Any

import pytest

from salessim import Simulation
from salessim.model.control import Fire, Hire, Retune, SetPay, SettleOffers, StartPlan
from salessim.model.events import OfferAnswered, PlanStarted, RepLeft
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario


@pytest.fixture
def sim(small_org: Scenario) -> Simulation:
    """The small organisation run to day 100."""
    simulation = Simulation(small_org, 2)
    simulation.run_until(100.0)
    return simulation


def test_the_view_agrees_with_the_model(sim: Simulation, small_org: Scenario):
    """Roster, searches, pipeline, book and pay in the view are the model's, as of now."""
    view = sim.view()
    staff = [rep for role in WORKING_ROLES for rep in sim.workforce.staff[role]]
    assert [r.id for r in view.roster] == [rep.id for rep in staff]
    assert view.day == sim.now
    assert [(r.role, r.pay, r.on_team) for r in view.roster] == [
        (rep.role, rep.pay, rep.active) for rep in staff
    ]
    assert [s.count for s in view.pipeline] == sim.funnel.stage_count
    assert view.arr == sim.customers.arr and view.accounts == sim.customers.accounts
    managers = small_org.roles.manager
    manager_pay = managers.headcount * (managers.pay or managers.market_pay)
    assert view.monthly_pay == pytest.approx((sum(r.pay for r in staff) + manager_pay) / 12)
    assert all(r.quit_hazard >= 0 for r in view.roster)
    assert view.capacity[Role.AE] == sim.workforce.capacity(Role.AE)


def test_changes_apply_all_or_none(sim: Simulation):
    """One change that cannot apply (a rep who is not here) stops every other."""
    target = dict(sim.workforce.target)
    with pytest.raises(ValueError, match="rep 9999 is not employed"):
        sim.control([Hire(Role.AE, 2), Fire(9999)])
    assert sim.workforce.target == target
    with pytest.raises(ValueError, match="not its shape"):
        sim.control([Retune(apply_overrides(sim.scenario, {"roles.ae.headcount": 12}))])


def test_people_changes_act_and_are_told(sim: Simulation):
    """Fire, plan, pay and hire each do what they say; the exit and the plan are events."""
    seen: list[Any] = []
    sim.bus.subscribe(RepLeft, seen.append)
    sim.bus.subscribe(PlanStarted, seen.append)
    first, second, third = [r.id for r in sim.view().roster if r.role is Role.AE][:3]
    target = sim.workforce.target[Role.AE]
    sim.control([Fire(first, 5_000), StartPlan(second), SetPay(third, 250_000), Hire(Role.AE, 1)])
    (left, plan) = seen
    assert isinstance(left, RepLeft) and left.rep == first and left.exit_cost == 5_000
    assert isinstance(plan, PlanStarted) and plan.rep == second
    roster = {r.id: r for r in sim.view().roster}
    assert first not in roster and roster[second].on_plan and roster[third].pay == 250_000
    assert sim.workforce.target[Role.AE] == target + 1
    with pytest.raises(ValueError, match=f"rep {first} is not employed"):
        sim.control([SetPay(first, 1.0)])


def test_a_retune_changes_policies_from_now_on(sim: Simulation):
    """New parameters of the same shape reach the model."""
    retuned = apply_overrides(sim.scenario, {"policies.routing.ae": "round_robin"})
    sim.control([Retune(retuned)])
    assert sim.scenario is retuned
    assert "RoundRobin" in repr(sim.organisation.teams[Role.AE])


def test_held_offers_wait_for_the_controller(small_org: Scenario):
    """With offers held, a rep answers only when told to settle, on the pay it then has."""
    document = small_org.model_dump(mode="json", by_alias=True)
    document["events"] = [{"at": "2027-05-10", "kind": "competing_offer", "role": "sdr"}]
    document["roles"]["sdr"]["attrition"]["promotion"] = 0.0  # the offered rep stays
    sim = Simulation(Scenario.model_validate(document), 3, hold_offers=True)
    answers: list[OfferAnswered] = []
    sim.bus.subscribe(OfferAnswered, answers.append)
    sim.run_until(200.0)
    ((rep, offer),) = sim.view().offers.items()
    assert answers == []
    market = small_org.roles.sdr.market_pay
    sim.control([SetPay(rep, offer * market), SettleOffers()])
    assert [(a.rep, a.stayed, a.matched) for a in answers] == [(rep, True, False)]
    assert sim.view().offers == {} and rep in {r.id for r in sim.view().roster}
