"""Scripted events in the model: every run meets them, not only a game.

A dip changes inbound demand from its day (not its month) and restores it; a new
product lifts new leads' conversion; a budget cut stops backfills until headcount fits;
a competing offer takes the best rep unless its pay matches or the company matches it.
"""

from __future__ import annotations

from typing import Any

import pytest

from salessim import Simulation, simulate
from salessim.model.events import LeadCreated, OfferAnswered, OfferMade, RepLeft
from salessim.scenario.base import Role
from salessim.scenario.errors import ScenarioError
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario


def with_events(scenario: Scenario, *events: dict[str, Any], **sections: Any) -> Scenario:
    """``scenario`` with ``events`` scripted and whole top-level sections replaced."""
    document = scenario.model_dump(mode="json", by_alias=True)
    document["events"] = list(events)
    for key, value in sections.items():
        document[key] = value
    return Scenario.model_validate(document)


def arrival_days(scenario: Scenario, seed: int, until: float) -> list[float]:
    """The days leads arrive in a run of ``scenario`` on ``seed`` up to ``until``."""
    sim = Simulation(scenario, seed)
    days: list[float] = []
    sim.bus.subscribe(LeadCreated, lambda event: days.append(event.day))
    sim.run_until(until)
    return days


@pytest.fixture(scope="module")
def busy(small_org: Scenario) -> Scenario:
    """Inbound only, 3,000 leads a month: Poisson counts tight enough to read a factor."""
    return apply_overrides(
        small_org,
        {
            "market.segments.mid_market.inbound.rate": "3000/mo",
            "market.outbound.leads_per_prospecting_hour": 0,
            "customers.referrals_per_account_per_year": 0,
        },
    )


def test_a_dip_halves_inbound_from_its_day_and_ends_on_time(busy: Scenario):
    """Dip x0.5 from 15 April (day 104) for 30 days: the rate halves on that day, not on 1 May."""
    dip = with_events(busy, {"at": "2027-04-15", "kind": "market_dip", "factor": 0.5, "lasts": 30})
    days = arrival_days(dip, 1, 180)
    calm = arrival_days(busy, 1, 180)

    def per_day(found: list[float], start: float, end: float) -> float:
        return sum(1 for day in found if start <= day < end) / (end - start)

    assert per_day(days, 104, 134) / per_day(calm, 104, 134) == pytest.approx(0.5, abs=0.06)
    assert per_day(days, 90, 104) / per_day(calm, 90, 104) == pytest.approx(1.0, abs=0.1)
    assert per_day(days, 134, 180) / per_day(calm, 134, 180) == pytest.approx(1.0, abs=0.08)


def test_a_surge_and_a_new_product_move_leads_and_wins(small_org: Scenario):
    """A permanent surge x1.5 and a product that converts x2 as readily: more leads, more wins."""
    events = (
        {"at": "2027-01-01", "kind": "lead_surge", "factor": 1.5},
        {"at": "2027-01-01", "kind": "new_product", "factor": 2.0},
    )
    shocked = simulate(with_events(small_org, *events), 2, years=0.5).kpis
    calm = simulate(small_org, 2, years=0.5).kpis
    assert shocked["leads_inbound"] > 1.3 * calm["leads_inbound"]
    assert shocked["win_rate"] > calm["win_rate"]


def test_a_budget_cut_waits_for_headcount_to_fit_before_backfilling(small_org: Scenario):
    """AEs quit fast; cut to half on 1 March: from May, at most 3 of 6 seats are searched for.

    A team holding more than 3 keeps them (nobody is laid off) but gets no backfill.
    """
    leaving = apply_overrides(
        small_org,
        {
            "roles.ae.attrition.voluntary": 0.9,
            "roles.ae.hiring.time_to_hire": {"exponential": {"mean": "10d"}},
        },
    )
    cut = with_events(leaving, {"at": "2027-03-01", "kind": "budget_cut", "factor": 0.5})
    sim = Simulation(cut, 4)
    hired_after_cut = 0
    for now in sim.month_ends(365.0):
        team = len(sim.workforce.staff[Role.AE])
        searching = sim.workforce.open_requisitions[Role.AE]
        if now >= 120:
            assert searching == 0 if team >= 3 else team + searching <= 3
            hired_after_cut += searching
    assert hired_after_cut > 0  # seats under the target are still filled
    smaller = simulate(cut, 4, years=1).kpis["headcount_mean_ae"]
    assert smaller < simulate(leaving, 4, years=1).kpis["headcount_mean_ae"]


@pytest.mark.parametrize(("match_up_to", "stays"), [(None, False), (1.5, True)])
def test_a_competing_offer_takes_the_best_rep_unless_matched(
    small_org: Scenario, match_up_to: float | None, stays: bool
):
    """Offer 1.4x on 10 May: the rep answers 14 days later, leaving unless the company matches."""
    offered = with_events(
        small_org,
        {"at": "2027-05-10", "kind": "competing_offer", "role": "ae", "offer": 1.4},
        policies={
            **small_org.policies.model_dump(mode="json", by_alias=True),
            "counter_offers": {"match_up_to": match_up_to},
        },
    )
    sim = Simulation(offered, 3)
    seen: list[Any] = []
    for kind in (OfferMade, OfferAnswered, RepLeft):
        sim.bus.subscribe(kind, seen.append)
    sim.run_until(130.0)
    (made,) = [e for e in seen if isinstance(e, OfferMade)]
    assert made.day == 129.0  # 10 May 2027
    sim.run_until(145.0)
    (answer,) = [e for e in seen if isinstance(e, OfferAnswered)]
    assert answer.day == pytest.approx(made.day + 14) and answer.rep == made.rep
    assert answer.stayed is stays and answer.matched is stays
    left = [e for e in seen if isinstance(e, RepLeft) and e.rep == made.rep]
    assert bool(left) is not stays
    if stays:
        rep = sim.workforce.employed(made.rep)
        assert rep is not None and rep.pay == pytest.approx(1.4 * offered.roles.ae.market_pay)


def test_events_outside_the_run_or_out_of_order_are_refused(small_org: Scenario):
    """Validation names the event: a date before the start, after the end, or out of order."""
    with pytest.raises(ValueError, match=r"events\.0\.at: 2026-12-01 is outside the run"):
        with_events(small_org, {"at": "2026-12-01", "kind": "new_product"})
    with pytest.raises(ValueError, match=r"events\.0\.at: 2029-01-01 is outside the run"):
        with_events(small_org, {"at": "2029-01-01", "kind": "new_product"})
    with pytest.raises(ValueError, match="dates must be in order"):
        with_events(
            small_org,
            {"at": "2027-06-01", "kind": "new_product"},
            {"at": "2027-03-01", "kind": "new_product"},
        )


def test_game_events_say_where_they_moved(small_org: Scenario):
    """A scenario still listing game.events is told to move them to the top level."""
    document = small_org.model_dump(mode="json", by_alias=True)
    document["game"]["events"] = [{"at": "2027-03-01", "kind": "new_product"}]
    with pytest.raises((ScenarioError, ValueError), match="top-level events"):
        Scenario.model_validate(document)


def test_shocks_are_bounded_so_a_run_stays_finite(small_org: Scenario):
    """A twenty-fold shock is the most; a budget cut cannot raise the budget; offers are bounded."""
    with pytest.raises(ValueError, match="less than or equal to 20"):
        with_events(small_org, {"at": "2027-03-01", "kind": "lead_surge", "factor": 1e300})
    with pytest.raises(ValueError, match="a budget cut keeps at most 1"):
        with_events(small_org, {"at": "2027-03-01", "kind": "budget_cut", "factor": 2})
    with pytest.raises(ValueError, match="less than or equal to 5"):
        with_events(small_org, {"at": "2027-03-01", "kind": "competing_offer", "offer": 50})
