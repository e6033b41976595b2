"""The price policy decision: discount authority per role and the manager's approval rule."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salessim.game.briefing import pricing_words
from salessim.game.decisions import DecisionError, Decisions, parse, revise
from salessim.game.session import GameSession, replay
from salessim.game.wording import decision_lines
from salessim.scenario.base import Role
from salessim.scenario.load import load_scenario
from tests.support import ROOT

FIRST_TEAM = ROOT / "scenarios" / "game" / "first_team.yaml"
SHORT = ["calendar.horizon=6mo"]  # two turns


@pytest.fixture(scope="module")
def scenario():
    """The first exercise, two turns."""
    return load_scenario(FIRST_TEAM, SHORT)


def test_revise_sets_authority_per_role_and_the_approval_limit(scenario):
    """The decision edits ``behaviour.discounting.by_role`` and ``policies.pricing``."""
    decided = parse({"pricing": {"authority": {"ae": 0.15}, "approve_up_to": 0.2}})
    revised = revise(decided, scenario)
    assert revised.behaviour.discounting.authority_of(Role.AE) == 0.15
    assert revised.policies.pricing.approval_limit == 0.2
    assert scenario.behaviour.discounting.authority_of(Role.AE) == 0.0  # the original stays
    only_rule = revise(parse({"pricing": {"approve_up_to": 0.1}}), scenario)
    assert only_rule.behaviour == scenario.behaviour


def test_refusals_name_the_role_the_bound_and_the_empty_policy(scenario):
    """CSMs close no deals here; 40% authority and 60% approval exceed the game's bounds."""
    session = GameSession(scenario, 0)
    found = session.check({"pricing": {"authority": {"csm": 0.1, "ae": 0.4}, "approve_up_to": 0.6}})
    assert any(p.startswith("pricing.authority.csm: csms close no deals") for p in found)
    assert any("(roles that close: ae)" in p for p in found)
    assert (
        "pricing.authority.ae: 40% is more than the most discount authority this game "
        "allows, 30%" in found
    )
    assert any(p.startswith("pricing.approve_up_to: 60% is deeper") for p in found)
    assert session.check({"pricing": {}}) == [
        "pricing: give a role's discount authority or the deepest discount approved"
    ]
    assert session.check({"pricing": {"authority": {"ae": 0.3}, "approve_up_to": 0.5}}) == []


def test_a_share_above_one_is_refused_when_read():
    """An authority of 1.5 (150% of the price) is not a share: refused with its key."""
    with pytest.raises(DecisionError) as caught:
        parse({"pricing": {"authority": {"ae": 1.5}}})
    assert caught.value.problems[0].startswith("pricing.authority.ae")


def test_the_bounds_are_the_scenarios(scenario):
    """An instructor may allow more: ``game.pricing.most_authority`` moves the refusal."""
    wider = load_scenario(FIRST_TEAM, [*SHORT, "game.pricing.most_authority=0.5"])
    assert GameSession(wider, 0).check({"pricing": {"authority": {"ae": 0.4}}}) == []


def test_the_briefing_shows_the_policy_in_force_and_the_realised_price(scenario):
    """Before: AEs at list, approval to 30%; after the turn the decision is in force.

    The figures carry the turn's realised price (ARR over list value of the deals won),
    a share of at most 1, or unknown when nothing was won.
    """
    session = GameSession(scenario, 0)
    assert session.briefing().policies["pricing"] == (
        "AEs at list; manager approves up to 30% beyond"
    )
    session.advance({"pricing": {"authority": {"ae": 0.2}, "approve_up_to": 0}})
    briefing = session.briefing()
    assert briefing.policies["pricing"] == "AEs up to 20%; manager approves none"
    price = briefing.indicator("price_realised").value
    assert math.isnan(price) or 0.7 <= price <= 1.0


def test_the_price_falls_when_authority_pays(scenario):
    """With a hard close (35% at negotiation) AEs use their authority: price below list.

    The same game with no authority sells every deal at list.
    """
    hard_close = ["funnel.stages.5.convert=0.35", "roles.ae.quota=400k"]  # a quota in reach
    hard = load_scenario(FIRST_TEAM, [*SHORT, *hard_close])
    prices = {}
    for authority in (0.0, 0.3):
        session = GameSession(hard, 0)
        session.advance({"pricing": {"authority": {"ae": authority}}})
        session.advance({})
        prices[authority] = session.briefing().indicator("price_realised").value
    assert prices[0.0] == 1.0
    assert prices[0.3] < 0.95


def test_a_priced_game_replays_exactly(scenario):
    """A game with a price policy rebuilds to the same figures from its log."""
    log = [{"pricing": {"authority": {"ae": 0.25}, "approve_up_to": 0.1}}, {}]
    live = GameSession(scenario, 3)
    for decisions in log:
        live.advance(decisions)
    again = replay(scenario, 3, live.log)
    assert again.fingerprints == live.fingerprints


def test_the_decision_reads_as_one_line():
    """Authority per role and the approval rule in words, on one line of the turn."""
    lines = decision_lines(
        Decisions.model_validate({"pricing": {"authority": {"ae": 0}, "approve_up_to": 0}})
    )
    assert lines == [
        "AEs may give no discount; the manager approves no discount beyond a rep's authority"
    ]


def test_pricing_words_name_every_closing_role(scenario):
    """The policy in force names each role that closes, with its authority."""
    revised = revise(parse({"pricing": {"authority": {"ae": 0.05}}}), scenario)
    assert pricing_words(revised) == "AEs up to 5%; manager approves up to 30% beyond"


SHARES = st.sampled_from([0.0, 0.05, 0.1, 0.2, 0.3])
POLICIES = st.fixed_dictionaries(
    {},
    optional={
        "authority": st.fixed_dictionaries({"ae": SHARES}),
        "approve_up_to": st.sampled_from([0.0, 0.1, 0.3, 0.5]),
    },
).filter(bool)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=POLICIES, second=POLICIES, seed=st.integers(0, 20))
def test_any_price_policy_applies_replays_and_sells_at_most_at_list(first, second, seed):
    """Any policy within the bounds applies, shows in force and replays exactly.

    The realised price of each turn is at most list (or unknown with no deal won).
    """
    scenario = load_scenario(FIRST_TEAM, SHORT)
    live = GameSession(scenario, seed)
    for decisions in ({"pricing": first}, {"pricing": second}):
        assert live.check(decisions) == []
        live.advance(decisions)
        price = live.briefing().indicator("price_realised").value
        assert math.isnan(price) or 0 < price <= 1.0 + 1e-12  # a sum of prices over a sum
    authority = second.get("authority", first.get("authority", {})).get("ae", 0.0)
    said = f"AEs up to {authority:.0%}" if authority else "AEs at list"
    assert live.briefing().policies["pricing"].startswith(said)
    assert replay(scenario, seed, live.log).fingerprints == live.fingerprints
