"""Scripted events in a game: the model runs them, the game tells them and holds offers."""

from __future__ import annotations

import pytest

from salessim.game.players import play
from salessim.game.session import GameSession, replay
from salessim.model.events import OfferMade
from salessim.scenario.base import Role
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario
from tests.support import PAID


def with_events(*events: dict, budget: float | None = None) -> Scenario:
    """The paid game with ``events`` scripted and the game's budget set to ``budget``."""
    document = PAID.model_dump(mode="json", by_alias=True)
    document["events"] = list(events)
    document["game"]["budget"] = budget
    return Scenario.model_validate(document)


def test_a_dip_cuts_demand_for_its_length_then_restores_it():
    """A two-month dip from mid-April cuts May's leads, is told after Q2, and is over by then."""
    dip = with_events({"at": "2027-04-15", "kind": "market_dip", "factor": 0.5, "lasts": "2mo"})
    session, calm = GameSession(dip, 3), GameSession(PAID, 3)
    first = session.advance({})
    calm.advance({})
    assert session.sim.script.demand == 1.0 and first.story == calm.briefing().story
    second = session.advance({})
    assert session.sim.script.demand == 1.0  # over by mid-June
    assert second.story[0].startswith("Demand fell: inbound leads x0.5 for 2 months")
    rows = session.recording.record.monthly
    calm.advance({})
    calm_rows = calm.recording.record.monthly
    assert rows[4]["leads_created"] < 0.85 * calm_rows[4]["leads_created"]  # May: all dip


def test_a_surge_and_a_new_product_scale_their_parameters():
    """A surge scales demand, a new product conversion, and the headline is in the story."""
    events = with_events(
        {"at": "2027-02-01", "kind": "lead_surge", "factor": 1.5},
        {"at": "2027-02-01", "kind": "new_product", "factor": 1.2, "headline": "Launch day!"},
    )
    session = GameSession(events, 4)
    briefing = session.advance({})
    assert session.sim.script.demand == pytest.approx(1.5)
    assert session.sim.leads.conversion == pytest.approx(1.2)
    assert "Launch day!" in briefing.story


def test_a_budget_cut_tightens_what_the_player_may_spend():
    """Under a budget cut the team may go on and reps may be let go, but a hire is refused.

    With a month's severance, letting a rep go saves two months of its pay this turn (and,
    the team being above its cut headcount, the seat is not refilled).
    """
    cut = with_events({"at": "2027-03-01", "kind": "budget_cut", "factor": 0.25}, budget=3e6)
    session = GameSession(apply_overrides(cut, {"game.severance_months": 1}), 5)
    assert session.check({}) == []
    session.advance({})
    assert session.script.budget == pytest.approx(0.75e6)
    assert session.briefing().budget.projected > 0.75e6
    assert session.check({}) == []  # the team as it is may go on
    assert session.check({"hire": [{"role": "sdr"}]})[0].startswith("budget:")
    assert session.check({"fire": [session.briefing().roster[0].rep]}) == []  # saves money
    assert "Finance cut the people budget to 25%" in session.briefing().story[0]


def ae_standing_at_offers(session: GameSession) -> dict[int, float | None]:
    """The active AEs' trailing attainment when a competitor makes an offer, filled in play."""
    standing: dict[int, float | None] = {}
    workforce = session.sim.workforce

    def note(_made: OfferMade) -> None:
        active = [rep for rep in workforce.staff[Role.AE] if rep.active]
        standing.update({rep.id: workforce.payroll.attainment(rep.id) for rep in active})

    session.sim.bus.subscribe(OfferMade, note)
    return standing


@pytest.mark.parametrize(("raise_to", "stays"), [(None, False), (1.3, True)])
def test_a_star_with_an_offer_leaves_unless_matched(raise_to, stays):
    """The best AE, offered 1.3x market pay, leaves unless the player raises its pay to match.

    The offer comes in September, when most AEs' attainment is known; the AEs' standing is
    read the moment the offer is made.
    """
    offer = with_events({"at": "2027-09-15", "kind": "competing_offer", "role": "ae", "offer": 1.3})
    for seed in range(6, 30):  # a game where the star is still there to answer
        session = GameSession(offer, seed)
        standing = ae_standing_at_offers(session)
        session.advance({})
        session.advance({})
        briefing = session.advance({})
        if briefing.offers:
            break
    assert len(briefing.offers) == 1
    ((star, level),) = briefing.offers.items()
    assert level == 1.3
    row = next(r for r in briefing.roster if r.rep == star)
    assert row.role is Role.AE
    known = [attainment for attainment in standing.values() if attainment is not None]
    assert standing[star] is not None and len(known) > 1  # unknown attainment proves nothing
    assert standing[star] == max(known)
    decisions = {"pay_raise": {star: raise_to}} if raise_to else {}
    after = session.advance(decisions)
    assert (star in {r.rep for r in after.roster}) is stays
    said = "turned the competitor down" if stays else "took the competitor's offer"
    assert any(said in line for line in after.story)
    assert after.offers == {}


def test_events_replay_exactly():
    """A game with scripted events and pay raises replays to the same last briefing."""
    busy = with_events(
        {"at": "2027-02-20", "kind": "market_dip", "factor": 0.7, "lasts": "1mo"},
        {"at": "2027-05-10", "kind": "competing_offer", "role": "ae"},
    )
    live = GameSession(busy, 7)
    played = play(live, lambda briefing: {"pay_raise": dict.fromkeys(briefing.offers, 1.25)})
    assert replay(busy, 7, live.log).briefing() == played[-1]
    assert any(entry.get("pay_raise") for entry in live.log)
