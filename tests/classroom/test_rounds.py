import sqlite3

import pytest

from salessim.classroom.clock import FakeClock
from salessim.classroom.games import Games
from salessim.classroom.room import Classroom, RefusedError
from salessim.game.cynics import CYNICS
from salessim.game.session import GameSession
from salessim.scenario.bundled import resolve_scenario
from salessim.scenario.load import load_scenario
from tests.classroom.classes import EXERCISE, INVALID, OTHER_VALID, VALID, new_class, sources


def test_a_new_class_opens_round_one_and_gives_one_link_per_team(tmp_path):
    """Round 1 is open; the links carry the tokens; the tokens find their team, stored hashed."""
    room, credentials, _ = new_class(tmp_path, ["Red", "Blue"], round_minutes=20)
    status = room.status()
    assert (status.round, status.turns, status.over, status.bot) == (1, 4, False, "autopilot")
    assert status.deadline == pytest.approx(FakeClock().now() + 20 * 60)
    assert [team.name for team in status.teams] == ["Red", "Blue"]
    instructor, teams = credentials.links("http://127.0.0.1:8000/")
    assert instructor == f"http://127.0.0.1:8000/instructor?key={credentials.instructor}"
    assert teams["Blue"] == f"http://127.0.0.1:8000/join/{credentials.teams['Blue']}"
    assert room.team_by_token(credentials.teams["Blue"]) == 2
    assert room.team_by_token(credentials.instructor) is None
    assert room.is_instructor(credentials.instructor)
    assert not room.is_instructor(credentials.teams["Red"])
    room.close()
    content = (tmp_path / "class.sqlite").read_bytes()
    for token in [credentials.instructor, *credentials.teams.values()]:
        assert token.encode() not in content


@pytest.mark.parametrize(
    ("scenario", "teams", "message"),
    [
        ("baseline", 3, "not a game scenario"),
        (EXERCISE, 0, "1 to 200 teams, not 0"),
        (EXERCISE, 201, "1 to 200 teams, not 201"),
        (EXERCISE, ["A", "B", "a"], "'a' is given twice"),
        (EXERCISE, ["A", "  "], "give 1 to 60 printable characters"),
    ],
)
def test_create_refuses_what_cannot_make_a_class(tmp_path, scenario, teams, message):
    """A scenario without game rules, no teams, too many, or a name twice: a clear ValueError."""
    with pytest.raises(ValueError, match=message):
        Classroom.create(tmp_path / "c.sqlite", scenario, teams=teams, workers=0)
    assert not (tmp_path / "c.sqlite").exists()


def test_create_refuses_an_existing_database(tmp_path):
    """An existing file is never overwritten."""
    (tmp_path / "c.sqlite").write_text("keep me")
    with pytest.raises(ValueError, match="exists already"):
        Classroom.create(tmp_path / "c.sqlite", EXERCISE, teams=2, workers=0)
    assert (tmp_path / "c.sqlite").read_text() == "keep me"


def test_a_bundled_exercise_may_be_named_without_its_folder(tmp_path):
    """``first_team`` is the bundled ``game/first_team``."""
    room, _ = Classroom.create(tmp_path / "c.sqlite", "first_team", teams=1, workers=0)
    assert room.status().scenario == "Exercise 1: your first team"
    room.close()


def test_the_close_plays_submission_else_last_valid_draft_else_the_bot(tmp_path):
    """Each team's turn comes from the right place, with its author, and the round moves on."""
    room, _, _ = new_class(tmp_path, 5)
    room.submit(1, "ann", VALID)
    room.save_draft(2, "bob", OTHER_VALID)
    room.save_draft(3, "cy", VALID)
    assert room.save_draft(3, "dee", INVALID).problems  # a later draft that does not apply
    room.save_draft(4, "eve", INVALID)
    room.propose(5, "fay", VALID)  # a proposal is never played
    assert room.close_round() == 1
    assert sources(room, 1) == [("submission", None, "ann")]
    assert sources(room, 2) == [("draft", None, "bob")]
    assert sources(room, 3) == [("draft", None, "cy")]
    assert sources(room, 4) == [("bot", "autopilot", None)]
    assert sources(room, 5) == [("bot", "autopilot", None)]
    assert [room.history(team)[0].decisions for team in (1, 2, 3, 4)] == [
        VALID,
        OTHER_VALID,
        VALID,
        {},
    ]
    status = room.status()
    assert status.round == 2
    assert all(team.turn == 1 and team.submitted_by is None for team in status.teams)
    assert [room.briefing(team).turn for team in (1, 4)] == [2, 2]


def test_a_submission_must_apply_and_stands_until_withdrawn(tmp_path):
    """An invalid submission is refused with its problems; a second one waits for a withdrawal."""
    room, _, _ = new_class(tmp_path, 2)
    with pytest.raises(RefusedError, match="no rep 999") as refused:
        room.submit(1, "ann", INVALID)
    assert refused.value.problems
    assert room.draft(1) is None
    room.submit(1, "ann", VALID)
    with pytest.raises(RefusedError, match="ann has submitted"):
        room.submit(1, "bob", OTHER_VALID)
    with pytest.raises(RefusedError, match="ann has submitted"):
        room.save_draft(1, "bob", OTHER_VALID)
    assert room.status().teams[0].submitted_by == "ann"
    room.withdraw(1, "bob")
    draft = room.draft(1)
    assert draft is not None and (draft.kind, draft.decisions) == ("draft", VALID)
    assert room.status().teams[0].submitted_by is None
    assert room.status().teams[0].draft_by == "bob"
    room.submit(1, "bob", OTHER_VALID)
    room.close_round()
    assert sources(room, 1) == [("submission", None, "bob")]
    assert room.history(1)[0].decisions == OTHER_VALID


def test_a_check_gives_the_problems_the_projected_spend_and_the_budget(tmp_path):
    """A check says what is wrong and what the turn would cost against its budget."""
    room, _, _ = new_class(tmp_path, 1)
    fine = room.check(1, VALID)
    assert fine.problems == []
    assert fine.projected_spend is not None and fine.projected_spend > 0
    assert fine.budget == 340_000
    hiring = room.check(1, {"hire": [{"role": "ae", "count": 1}]})
    assert hiring.projected_spend is not None and hiring.projected_spend > fine.projected_spend
    assert room.check(1, INVALID).problems == ["fire: no rep 999 on the team"]
    assert room.check(1, {"nonsense": 1}).problems
    assert room.check(1, ["not", "a", "mapping"]).problems  # type: ignore[arg-type]


def test_teams_see_only_their_own_entries(tmp_path):
    """Proposals, drafts and history are per team."""
    room, _, _ = new_class(tmp_path, 2)
    room.propose(1, "ann", VALID)
    room.save_draft(2, "bob", OTHER_VALID)
    assert [(p.member, p.kind) for p in room.proposals(1)] == [("ann", "proposal")]
    assert [(p.member, p.kind) for p in room.proposals(2)] == [("bob", "draft")]
    assert room.draft(1) is None
    with pytest.raises(RefusedError, match="no team"):
        room.proposals(3)


def test_the_deadline_closes_the_round_on_tick_and_refuses_late_entries(tmp_path):
    """Before the deadline tick does nothing; after it, entries are refused and tick closes."""
    room, _, clock = new_class(tmp_path, 2, round_minutes=10)
    room.save_draft(1, "ann", VALID)
    clock.advance(9 * 60)
    assert not room.tick()
    clock.advance(60)
    with pytest.raises(RefusedError, match="deadline has passed"):
        room.submit(2, "bob", VALID)
    assert room.tick()
    assert sources(room, 1) == [("draft", None, "ann")]
    status = room.status()
    assert status.round == 2
    assert status.deadline == pytest.approx(clock.now() + 10 * 60)
    assert not room.tick()


def test_pause_keeps_the_time_left_and_extend_adds_to_it(tmp_path):
    """Paused: no deadline, no entries, no close by tick; resumed with the time it had left."""
    room, _, clock = new_class(tmp_path, 1, round_minutes=10)
    clock.advance(4 * 60)
    room.pause()
    assert room.status().deadline is None and room.status().paused
    with pytest.raises(RefusedError, match="paused"):
        room.save_draft(1, "ann", VALID)
    clock.advance(3600)
    assert not room.tick()
    room.extend(5)
    room.resume()
    assert room.status().deadline == pytest.approx(clock.now() + 11 * 60)
    room.extend(1)
    assert room.status().deadline == pytest.approx(clock.now() + 12 * 60)
    with pytest.raises(RefusedError, match="more than 0 minutes"):
        room.extend(0)


def test_the_chosen_bot_plays_for_silent_teams_and_is_named(tmp_path):
    """A named scripted player plays the teams that sent nothing; an unknown name is refused."""
    room, _, _ = new_class(tmp_path, 2)
    with pytest.raises(RefusedError, match="no bot is called"):
        room.choose_bot("nobody")
    assert set(CYNICS) < set(room.status().bots)
    room.choose_bot("maximal_recognition")
    room.submit(1, "ann", VALID)
    room.close_round()
    assert sources(room, 2) == [("bot", "maximal_recognition", None)]
    assert room.history(2)[0].decisions == {"recognition": 1000}
    assert sources(room, 1) == [("submission", None, "ann")]


class CrashError(RuntimeError):
    """The close stopped half-way."""


def crash_after(monkeypatch, teams: int, error: type[BaseException]) -> list[int]:
    """Make Games.play raise ``error`` once ``teams`` teams have been played; those played."""
    done: list[int] = []
    real = Games.play

    def play(self, team, *args):
        if len(done) >= teams:
            raise error("stopped")
        done.append(team)
        return real(self, team, *args)

    monkeypatch.setattr(Games, "play", play)
    return done


@pytest.mark.parametrize("error", [CrashError, KeyboardInterrupt])
def test_a_close_stopped_half_way_is_finished_on_reopening_nothing_lost_or_played_twice(
    tmp_path, monkeypatch, error
):
    """Every team plays its round exactly once, with what it submitted, after a crash and reopen.

    A crash that ends the close while recording (CrashError) leaves some turns recorded; one that
    tears through it (KeyboardInterrupt) leaves turns played but not recorded.
    """
    room, _, clock = new_class(tmp_path, 6)
    submitted = {team: {"recognition": team} for team in range(1, 7)}
    for team, decisions in submitted.items():
        room.submit(team, f"m{team}", decisions)
    played = crash_after(monkeypatch, 3, error)
    with pytest.raises(error):
        room.close_round()
    assert played == [1, 2, 3]
    assert room.status().round == 1
    with pytest.raises(RefusedError, match="round 1 is closed"):
        room.save_draft(4, "late", VALID)  # nobody changes a turn while it closes
    room.close()
    monkeypatch.undo()
    again = Classroom.open(tmp_path / "class.sqlite", clock=clock, workers=0)
    assert again.status().round == 2
    raw = sqlite3.connect(tmp_path / "class.sqlite")
    rows = raw.execute("SELECT team, turn, decisions FROM turns ORDER BY team").fetchall()
    raw.close()
    assert [(team, turn) for team, turn, _ in rows] == [(team, 1) for team in range(1, 7)]
    assert [again.history(team)[0].decisions for team in range(1, 7)] == list(submitted.values())
    assert all(again.history(team)[0].source == "submission" for team in range(1, 7))


def test_a_close_stopped_half_way_is_finished_by_the_next_close_in_the_same_process(
    tmp_path, monkeypatch
):
    """Closing again after a failure finishes the same round: each team once, as submitted."""
    room, _, _ = new_class(tmp_path, 5)
    for team in range(1, 6):
        room.save_draft(team, f"m{team}", {"recognition": team})
    crash_after(monkeypatch, 2, CrashError)
    with pytest.raises(CrashError):
        room.close_round()
    monkeypatch.undo()
    assert room.status().closing
    assert room.close_round() == 1
    assert not room.status().closing
    assert [len(room.history(team)) for team in range(1, 6)] == [1] * 5
    assert [room.history(team)[0].decisions for team in range(1, 6)] == [
        {"recognition": team} for team in range(1, 6)
    ]
    assert all(sources(room, team) == [("draft", None, f"m{team}")] for team in range(1, 6))
    assert room.status().round == 2


def test_closing_twice_closes_two_rounds_and_the_end_refuses(tmp_path):
    """Each close plays one turn; after the last, the game is over and everything refuses."""
    room, _, _ = new_class(tmp_path, 2)
    for expected in (1, 2, 3, 4):
        assert room.close_round() == expected
    status = room.status()
    assert status.over and status.round == 5 and status.deadline is None
    assert all(team.finished and team.turn == 4 for team in status.teams)
    with pytest.raises(RefusedError, match="game is over"):
        room.close_round()
    with pytest.raises(RefusedError, match="game is over"):
        room.submit(1, "ann", VALID)
    assert room.check(1, VALID).problems == ["the game is over: every turn is played"]
    assert room.briefing(1).finished


def test_a_game_rebuilt_from_the_store_is_the_game_played(tmp_path):
    """A second process (a new Classroom) rebuilds each team's game to the same figures."""
    room, _, clock = new_class(tmp_path, 2)
    room.submit(1, "ann", {"hire": [{"role": "ae", "count": 1}]})
    room.close_round()
    room.save_draft(2, "bob", VALID)
    room.close_round()
    live = [room.briefing(team) for team in (1, 2)]
    again = Classroom.open(tmp_path / "class.sqlite", clock=clock, workers=0)
    assert [again.briefing(team) for team in (1, 2)] == live
    scenario = load_scenario(resolve_scenario(EXERCISE))
    alone = GameSession(scenario, 0)
    alone.advance({"hire": [{"role": "ae", "count": 1}]})
    alone.advance({})
    assert alone.briefing() == live[0]


def test_the_leaderboard_puts_autopilot_teams_at_par_and_counts_bot_turns(tmp_path):
    """Teams played by the autopilot score exactly 100; a team that hired scores otherwise."""
    room, _, _ = new_class(tmp_path, ["Quiet", "Hiring"])
    before = room.leaderboard()
    assert [s.score for s in before] == [100.0, 100.0]
    assert sum(before[0].points.values()) == pytest.approx(100.0)
    room.submit(2, "ann", {"hire": [{"role": "ae", "count": 2}]})
    room.close_round()
    board = {standing.team: standing for standing in room.leaderboard()}
    assert board["Quiet"].score == pytest.approx(100.0)
    assert (board["Quiet"].turns, board["Quiet"].bot_turns) == (1, 1)
    assert board["Hiring"].score != pytest.approx(100.0)
    assert (board["Hiring"].turns, board["Hiring"].bot_turns) == (1, 0)
    assert set(board["Hiring"].points) == set(room._scenario.game.scoring)
    ranked = room.leaderboard()
    assert ranked[0].score >= ranked[1].score


def test_the_version_moves_with_every_visible_change(tmp_path):
    """A draft, a bot choice, a pause and a close each change the version."""
    room, _, _ = new_class(tmp_path, 1)
    seen = [room.version()]
    room.save_draft(1, "ann", VALID)
    seen.append(room.version())
    room.choose_bot("maximal_pay")
    seen.append(room.version())
    room.pause()
    seen.append(room.version())
    room.resume()
    room.close_round()
    seen.append(room.version())
    assert len(set(seen)) == len(seen)
    assert seen == sorted(seen)


def test_members_must_give_a_name_and_decisions_must_be_plain(tmp_path):
    """A blank or overlong member name and non-JSON decisions are refused politely."""
    room, _, _ = new_class(tmp_path, 1)
    for member in ("", "   ", "x" * 61, "a\nb"):
        with pytest.raises(RefusedError, match="give your name"):
            room.save_draft(1, member, VALID)
    with pytest.raises(RefusedError, match="not plain data"):
        room.save_draft(1, "ann", {"recognition": float("inf")})
    with pytest.raises(RefusedError, match="too long"):
        room.save_draft(1, "ann", {"note": "x" * 200_000})


def test_a_class_whose_exercise_no_longer_loads_is_refused_on_opening(tmp_path):
    """A stored scenario this salessim cannot read is a ValueError naming the file."""
    room, _, _ = new_class(tmp_path, 1)
    room.close()
    raw = sqlite3.connect(tmp_path / "class.sqlite")
    raw.execute("""UPDATE class SET scenario = '{"no_such_key": 1}'""")
    raw.commit()
    raw.close()
    with pytest.raises(ValueError, match="its exercise does not load here"):
        Classroom.open(tmp_path / "class.sqlite", workers=0)
