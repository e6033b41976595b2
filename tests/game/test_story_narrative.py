"""The story tells who did what: the company's policy as the company's, each exit once."""

from __future__ import annotations

import re

from salessim.game.narrative import Exit, TurnEvents, tell
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT

FIRST_TEAM = load_scenario(ROOT / "scenarios" / "game" / "first_team.yaml")
LEAVING = ("resigned", "let", "took the competitor", "did not recover", "Promoted")


def _told(events: TurnEvents) -> list[str]:
    return tell(events, {})


def _exit_lines(story: list[str], rep: int) -> list[str]:
    mentions = re.compile(rf"\b(rep|reps|Rep)\b[^.]*\b{rep}\b")
    return [line for line in story if mentions.search(line) and any(w in line for w in LEAVING)]


def test_a_failed_plan_is_one_exit_told_as_the_companys():
    """A plan that ends badly and the exit it causes make one sentence about the company."""
    events = TurnEvents()
    events.plans_ended.append((4, "specialist", False))
    events.exits.append(Exit(4, "specialist", True, False, 0.3))
    story = _told(events)
    assert story == [
        "Rep 4 (Specialist) did not recover on a performance plan: the company let them go "
        "under its performance policy."
    ]


def test_plans_and_firings_say_whose_they_were():
    """The player's own plans and firings are the player's; the rest are the company's."""
    events = TurnEvents()
    events.decided(fire=[5], plan=[6])
    events.plans_started += [(6, "ae"), (7, "sdr")]
    events.exits += [Exit(5, "ae", True, False, 0.4), Exit(8, "csm", True, False, None)]
    story = _told(events)
    assert "You let go rep 5 (AE)." in story
    assert "The company let go rep 8 (CSM)." in story
    assert "You put rep 6 on a performance plan." in story
    assert any(
        line.startswith("The company put rep 7 (SDR) on a performance plan") for line in story
    )


def test_a_rep_who_took_an_offer_is_not_told_again_as_a_resignation():
    """Leaving for a competitor is told with the offer, not also as a resignation."""
    events = TurnEvents()
    events.took_offers.add(2)
    events.exits += [Exit(2, "ae", False, True, 1.1), Exit(9, "sdr", False, False, 0.8)]
    story = _told(events)
    assert story[0] == "One rep resigned: rep 9 (SDR); 1 had been missing quota."
    assert all("rep 2" not in line for line in story)


def test_a_promotion_is_not_a_resignation():
    """A rep promoted out of the team is told as promoted."""
    events = TurnEvents()
    events.exits.append(Exit(3, "sdr", False, False, 1.2, promoted=True))
    assert _told(events) == ["Promoted out of the team: rep 3 (SDR)."]


def test_the_autopilots_story_never_credits_the_player_and_tells_each_exit_once():
    """Playing no decisions, no line says "you" did it, and every exit is told exactly once."""
    for seed in (0, 2):
        session = GameSession(FIRST_TEAM, seed)
        left: list[list[int]] = []
        while not session.finished:
            before = {row.rep for row in session.briefing().roster}
            briefing = session.advance({})
            after = {row.rep for row in briefing.roster}
            gone = sorted(before - after)
            left.append(gone)
            assert not any(line.startswith("You ") for line in briefing.story)
            for rep in gone:
                assert len(_exit_lines(briefing.story, rep)) == 1, (rep, briefing.story)
        assert any(left)


def test_a_players_plan_is_told_as_the_players():
    """A plan the player starts is told as the player's."""
    session = GameSession(FIRST_TEAM, 0)
    rep = session.briefing().roster[0].rep
    briefing = session.advance({"plan": [rep]})
    assert f"You put rep {rep} on a performance plan." in briefing.story


def test_many_leavers_of_a_role_are_named_by_role():
    """Several reps of one role are grouped under it, so a long list stays one short line."""
    events = TurnEvents()
    events.exits += [Exit(rep, "ae", False, False, 0.9) for rep in (14, 3, 9)]
    events.exits.append(Exit(5, "sdr", False, False, 0.9))
    assert _told(events) == [
        "Four reps resigned: reps 3, 9, 14 (AE) and 5 (SDR); 4 had been missing quota."
    ]
