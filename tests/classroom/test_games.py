from salessim.classroom.exercise import load_exercise
from salessim.classroom.games import Candidate, Games, canonical
from salessim.classroom.rows import Source
from salessim.game.session import replay

VALID = {"recognition": 2}


def games() -> Games:
    """The games of first_team on seed 0, held in this process."""
    return Games(load_exercise("first_team"), 0)


def test_a_held_game_is_played_on_to_its_log_not_rebuilt():
    """A game one turn behind its log is advanced in place: the same session object."""
    held = games()
    first = held.session(1, [])
    again = held.session(1, [VALID, {}])
    assert again is first and first.turn == 2
    assert first.briefing() == replay(held.scenario, 0, [VALID, {}]).briefing()


def test_a_game_that_went_another_way_is_rebuilt_from_the_log():
    """A log that differs from what the game played rebuilds it exactly."""
    held = games()
    held.session(1, [VALID])
    other = held.session(1, [{"training_every_months": 3}])
    assert other.log == [{"training_every_months": 3.0}]
    assert other.briefing() == replay(held.scenario, 0, [{"training_every_months": 3}]).briefing()


def test_a_late_call_for_an_earlier_turn_leaves_the_game_ahead_in_place():
    """A call whose log is behind the held game is answered from a rebuild; the held one stays."""
    held = games()
    ahead = held.session(1, [VALID, {}])
    behind = held.session(1, [VALID])
    assert behind is not ahead and behind.turn == 1
    assert behind.briefing() == replay(held.scenario, 0, [VALID]).briefing()
    assert held.session(1, [VALID, {}]) is ahead


def test_play_takes_the_first_candidate_that_applies_and_logs_it_as_the_store_reads_it():
    """An invalid candidate is passed over; the played turn carries its source and author."""
    held = games()
    live = held.session(1, [])
    played = held.play(
        1,
        [],
        [
            Candidate({"fire": [999]}, Source.SUBMISSION, "ann"),
            Candidate({"pay_raise": {"1": 1.1}}, Source.DRAFT, "bob"),
        ],
        "autopilot",
    )
    assert (played.source, played.author, played.bot) == (Source.DRAFT, "bob", None)
    assert played.decisions == {"pay_raise": {"1": 1.1}}  # rep ids as JSON text keys
    session = held.session(1, [played.decisions])  # the store's log: no rebuild
    assert session is live
    assert session.fingerprints == [played.fingerprint]


def test_a_turn_played_again_after_it_was_not_recorded_replaces_the_game_ahead():
    """Played, not recorded, played again: the game held is the one played last, at its turn."""
    held = games()
    candidates = [Candidate(VALID, Source.SUBMISSION, "ann")]
    held.play(1, [], candidates, "autopilot")  # a close that stopped before recording this
    again = held.play(1, [], candidates, "autopilot")  # the next close plays it again
    assert again.decisions == VALID
    session = held.session(1, [VALID, VALID])  # a second turn with the same decisions
    assert session.turn == 2
    assert session.briefing() == replay(held.scenario, 0, [VALID, VALID]).briefing()
    assert held.session(1, [VALID, VALID]) is session


def test_decisions_read_back_from_the_store_match_the_game_that_played_them():
    """Rep ids as numbers (the game's log) and as text (the store's) are the same decisions."""
    raises = {rep: 1.1 for rep in (2, 10, 1)}
    assert canonical({"pay_raise": raises}) == canonical(
        {"pay_raise": {str(rep): level for rep, level in raises.items()}}
    )
