"""The decision form: every field read into decisions, refusals named, drafts typed back."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salessim.classroom.web.forms import FIELDS, ROLES, read_form, typed_of
from salessim.game.decisions import parse

EVERY_KIND = {
    "hire.ae.count": "2",
    "hire.ae.offer": "1.1x",
    "hire.sdr.count": "1",
    "fire": "3, 7",
    "plan": "12",
    "pay_raise": "5 = 1.1x\n9: 1.05",
    "coaching.hours": "4",
    "coaching.focus": "laggards",
    "training_every_months": "3",
    "recognition": "1",
    "routing.ae": "round_robin",
    "backfill": "delayed",
    "pay_plans.ae": "ae_linear",
    "quota.ae": "1.1x",
    "plan_terms": "ae_linear.components.0.rate = 0.12",
    "segment_focus": "mid_market = 2",
    "pricing.authority.ae": "10%",
    "pricing.approve_up_to": "0.3",
    "contest.role": "ae",
    "contest.prizes": "10k 5k",
    "forecast.new_arr": "4M",
    "forecast.churn": "$600,000",
}


def test_every_kind_of_decision_reads_into_the_games_shape():
    """A form with every section filled makes decisions the game's parser accepts, as typed."""
    reading = read_form(EVERY_KIND)
    assert reading.problems == []
    decisions = parse(reading.decisions)
    hires = {hire.role.value: hire for hire in decisions.hire}
    assert hires["ae"].count == 2 and hires["ae"].offer == pytest.approx(1.1)
    assert hires["sdr"].count == 1 and hires["sdr"].offer is None
    assert decisions.fire == [3, 7] and decisions.plan == [12]
    assert decisions.pay_raise == {5: pytest.approx(1.1), 9: pytest.approx(1.05)}
    assert decisions.coaching is not None and decisions.coaching.focus.value == "laggards"
    assert decisions.pricing is not None and decisions.pricing.approve_up_to == pytest.approx(0.3)
    assert decisions.contest is not None and decisions.contest.prizes == [10_000, 5_000]
    assert decisions.forecast is not None and decisions.forecast.churn == 600_000
    assert decisions.plan_terms == {"ae_linear.components.0.rate": pytest.approx(0.12)}


def test_blank_fields_decide_nothing():
    """An untouched form (every field blank) is the empty turn."""
    reading = read_form(dict.fromkeys(FIELDS, "") | {"csrf": "x", "turn": "1"})
    assert reading.problems == [] and reading.decisions == {}
    assert parse(reading.decisions).empty


@pytest.mark.parametrize(
    ("field", "typed", "named"),
    [
        ("hire.ae.count", "abc", "'abc' is not a whole number"),
        ("hire.ae.count", "nan", "'nan' is not a whole number"),
        ("hire.ae.count", "-2", "out of range"),
        ("hire.ae.count", "1.5", "'1.5' is not a whole number"),
        ("recognition", "1e308", "out of range"),
        ("coaching.hours", "inf", "is not a number"),
        ("coaching.hours", "NaN", "is not a number"),
        ("forecast.new_arr", "1e308", "out of range"),
        ("forecast.churn", "1e999", "too large"),
        ("quota.ae", "0", "out of range"),
        ("quota.ae", "-1.1x", "out of range"),
        ("pricing.authority.ae", "15", "type 15% or 0.15"),
        ("pricing.authority.ae", "150%", "out of range"),
        ("fire", "3, seven", "'seven' is not a whole number"),
        ("fire", "-3", "out of range"),
        ("routing.ae", "at_random", "no choice 'at_random'"),
        ("backfill", "never", "no choice 'never'"),
        ("contest.role", "ceo", "no choice 'ceo'"),
        ("coaching.focus", "favourites", "no choice 'favourites'"),
        ("pay_raise", "5 -> 1.1", "write one 'name = value' a line"),
        ("forecast.new_arr", "1,5M", "a comma only groups thousands"),
        ("contest.prizes", "1k 2k 3k 4k 5k 6k", "from 1 to 5 prizes"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_the_problem_named(field, typed, named):
    """Words, NaN, infinities, huge or negative numbers and unknown choices are refused."""
    reading = read_form({field: typed})
    assert len(reading.problems) == 1, reading.problems
    problem = reading.problems[0]
    assert problem.startswith(FIELDS[field].label + ": ")
    assert named in problem
    assert reading.typed[field] == typed.strip()


def test_unknown_roles_and_fields_are_refused_by_name():
    """A crafted form with a role the game has not, or a field the form has not, is named."""
    reading = read_form({"hire.ceo.count": "1", "team": "2", "hire.ae.count": "1"})
    assert reading.problems == [
        "'hire.ceo.count': the form has no such field",
        "'team': the form has no such field",
    ]
    assert reading.decisions == {"hire": [{"role": "ae", "count": 1}]}


def test_half_filled_pairs_are_refused():
    """An offer with no count, prizes with no role, half a forecast: each says what is missing."""
    reading = read_form({"hire.ae.offer": "1.1", "contest.prizes": "10k", "forecast.new_arr": "4M"})
    assert reading.decisions == {}
    assert len(reading.problems) == 3
    assert "say how many to hire" in reading.problems[0]
    assert "choose the role" in reading.problems[1]
    assert "give both new ARR and churn" in reading.problems[2]


finite = st.floats(min_value=0.01, max_value=19.0, allow_nan=False)
money_amounts = st.floats(min_value=0.0, max_value=1e11, allow_nan=False)
shares = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
roles = st.sampled_from(ROLES)


@st.composite
def drafts(draw):
    """Decisions as a draft holds them: every kind, any values the form accepts."""
    found = {}
    if draw(st.booleans()):
        found["hire"] = [
            {"role": role, "count": draw(st.integers(1, 50))}
            | ({"offer": draw(finite)} if draw(st.booleans()) else {})
            for role in draw(st.lists(roles, min_size=1, max_size=4, unique=True))
        ]
        found["hire"].sort(key=lambda hire: ROLES.index(hire["role"]))
    if draw(st.booleans()):
        found["fire"] = draw(st.lists(st.integers(0, 10**6), min_size=1, unique=True))
    if draw(st.booleans()):
        found["pay_raise"] = draw(st.dictionaries(st.integers(0, 10**6), finite, min_size=1))
    if draw(st.booleans()):
        found["coaching"] = {
            "hours_per_rep_per_month": draw(st.floats(0, 700)),
            "focus": draw(st.sampled_from(["even", "stars", "laggards"])),
        }
    if draw(st.booleans()):
        found["quota"] = {draw(roles): draw(finite)}
    if draw(st.booleans()):
        found["pricing"] = {"authority": {draw(roles): draw(shares)}, "approve_up_to": draw(shares)}
    if draw(st.booleans()):
        found["contest"] = {
            "role": draw(roles),
            "prizes": draw(st.lists(money_amounts, min_size=1, max_size=5)),
        }
    if draw(st.booleans()):
        found["forecast"] = {"new_arr": draw(money_amounts), "churn": draw(money_amounts)}
    return found


@settings(max_examples=150, deadline=None)
@given(drafts())
def test_a_saved_draft_typed_back_into_the_form_reads_as_the_same_decisions(draft):
    """Reopening the page fills the form with the draft; reading it again changes nothing."""
    typed = typed_of(draft)
    reading = read_form(typed)
    assert reading.problems == []
    assert reading.decisions == draft
    for values in typed.values():
        assert "nan" not in values.lower() and "inf" not in values.lower()
    assert all(math.isfinite(v) for v in _numbers(reading.decisions))


def _numbers(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, int | float):
        yield value
