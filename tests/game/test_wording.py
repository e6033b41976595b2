"""A turn's decisions in words: every kind has a line, settings read plainly, one describer."""

from __future__ import annotations

import pytest

from salessim.game.debrief import summary
from salessim.game.decisions import Decisions
from salessim.game.wording import ROLE_RAISES, changes, decision_lines, training_words

ONE_OF_EACH = {
    "hire": [{"role": "ae", "count": 2, "offer": 1.1}],
    "fire": [4],
    "plan": [5],
    "coaching": {"hours_per_rep_per_month": 3, "focus": "new_hires"},
    "training_every_months": 2,
    "recognition": 3,
    "routing": {"ae": "round_robin"},
    "backfill": "freeze",
    "pay_plans": {"ae": "ae_capped"},
    "quota": {"ae": 1.2},
    "segment_focus": {"mid_market": 2},
    "pricing": {"authority": {"ae": 0.1}, "approve_up_to": 0.25},
    "pay_raise": {12: 1.1},
    "contest": {"role": "ae", "prizes": [5000, 2000]},
    "plan_terms": {"ae_capped.components.0.commission.cap": 2.5},
    "forecast": {"new_arr": 4_000_000, "churn": 600_000},
}
WORDS = {
    "hire": "hire 2 AEs at 1.1 times market pay",
    "fire": "let rep 4 go",
    "plan": "put rep 5 on a performance plan",
    "coaching": "coach 3 hours per rep a month, focus new hires",
    "training_every_months": "a training session every 2 months",
    "recognition": "3 recognition awards per team a month",
    "routing": "route AE work by round robin",
    "backfill": "freeze backfills: leavers are not replaced",
    "pay_plans": "AEs move to pay plan ae_capped from the next period",
    "quota": "AE quota times 1.2 (+20%)",
    "segment_focus": "outbound weight of mid_market: 2",
    "pricing": "AEs may discount up to 10%; the manager approves discounts up to 25% beyond a "
    "rep's authority",
    "pay_raise": "raise rep 12 to 1.1x market pay",
    "contest": "a contest for AEs over the next quarter: 2 prizes ($5.0k, $2.0k)",
    "plan_terms": "set plan term ae_capped.components.0.commission.cap to 2.5 from the next period",
    "forecast": "forecast $4.0M new ARR and $600k churn next quarter",
}


def test_every_kind_of_decision_has_its_own_line():
    """Each field of Decisions, raises, contests and plan terms included, is said in words."""
    assert set(ONE_OF_EACH) == set(Decisions.model_fields), "a decision without words"
    for key, value in ONE_OF_EACH.items():
        assert decision_lines({key: value}) == [WORDS[key]], key
    assert decision_lines(ONE_OF_EACH) == [WORDS[key] for key in ONE_OF_EACH]


def test_typed_decisions_and_saved_ones_read_the_same():
    """Decisions as typed objects, and as the save's JSON (rep ids as text), give the same words."""
    typed = Decisions.model_validate(ONE_OF_EACH)
    saved = typed.model_dump(mode="json", exclude_defaults=True)
    assert "12" in saved["pay_raise"]
    assert decision_lines(typed) == decision_lines(saved) == decision_lines(ONE_OF_EACH)


@pytest.mark.parametrize(
    ("decisions", "words"),
    [
        ({"training_every_months": 0.0}, "no training"),
        ({"training_every_months": 1.0}, "a training session every month"),
        ({"training_every_months": 1.5}, "a training session every 1.5 months"),
        ({"coaching": {"hours_per_rep_per_month": 0.0}}, "no coaching"),
        ({"coaching": {"hours_per_rep_per_month": 1}}, "coach 1 hour per rep a month, everyone"),
        ({"recognition": 0}, "no recognition awards"),
        ({"recognition": 1}, "1 recognition award per team a month"),
        ({"segment_focus": {"smb": 0.0}}, "no outbound prospecting in smb"),
        ({"backfill": "immediate"}, "backfill leavers at once"),
        ({"backfill": "delayed"}, "backfill leavers after a delay"),
        ({"hire": [{"role": "csm"}]}, "hire 1 CSM at the usual offer"),
        ({"contest": {"role": "sdr", "prizes": [500]}}, "1 prize ($500)"),
    ],
)
def test_settings_are_worded_plainly(decisions, words):
    """Zero is 'no training', not 'training every 0.0 months'; one is singular."""
    (line,) = decision_lines(decisions)
    assert line.startswith(words) or words in line, line
    assert "0.0" not in line and "every 0 " not in line


def test_a_raise_given_to_a_role_is_one_line_naming_its_reps():
    """A role's raise, with or without a pay level below which it applies, is one line."""
    everyone = {"role": "ae", "level": 1.05, "below": None, "reps": [3, 7, 9]}
    lower = {"role": "csm", "level": 1.0, "below": 0.9, "reps": [21]}
    nobody = {"role": "sdr", "level": 0.9, "below": None, "reps": []}
    assert decision_lines({ROLE_RAISES: [everyone, lower, nobody]}) == [
        "raise every AE to at least 1.05x market pay (reps 3, 7 and 9)",
        "raise every CSM paid below 0.9x market pay to 1x (rep 21)",
        "raise every SDR to at least 0.9x market pay (no one is paid less)",
    ]


def test_the_debrief_summary_is_the_same_words_joined():
    """summary() is the describer's lines joined; nothing decided is 'no change'."""
    assert summary(ONE_OF_EACH) == "; ".join(WORDS[key] for key in ONE_OF_EACH)
    assert summary({"training_every_months": 0}) == "no training"
    assert summary({}) == "no change"


def test_a_summary_says_the_same_decision_for_several_reps_once():
    """Reps let go together or raised to the same level share a clause in a summary."""
    decisions = {"fire": [4, 5], "plan": [6], "pay_raise": {3: 1.1, 9: 1.2, 7: 1.1}}
    assert summary(decisions) == (
        "let reps 4 and 5 go; put rep 6 on a performance plan; "
        "raise reps 3 and 7 to 1.1x market pay; raise rep 9 to 1.2x market pay"
    )
    assert len(decision_lines(decisions)) == 6  # the menu's draft: one line a rep


def test_changes_name_what_was_added_and_what_was_taken_away():
    """Going from one draft to another names the new decisions and the ones dropped."""
    before = {"pay_raise": {3: 1.1}, "recognition": 2}
    after = {"pay_raise": {3: 1.1, 12: 1.2}, "recognition": 0}
    added, removed = changes(before, after)
    assert added == ["no recognition awards", "raise rep 12 to 1.2x market pay"]
    assert removed == ["2 recognition awards per team a month"]
    assert changes(after, after) == ([], [])
    assert training_words(3) == "a training session every 3 months"
