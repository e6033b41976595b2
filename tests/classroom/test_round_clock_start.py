"""A class with a round clock waits for the instructor to start it, however long it waits."""

from __future__ import annotations

import pytest

from salessim.classroom.clock import FakeClock
from salessim.classroom.errors import RefusedError
from salessim.classroom.room import Classroom
from tests.classroom.classes import EXERCISE, VALID
from tests.classroom.sites import instructor, join, served

DAY = 86_400.0


def made_the_day_before(tmp_path, minutes: float = 20):
    """A class of two teams with ``minutes``-minute rounds, made a day before the lesson."""
    clock = FakeClock()
    room, credentials = Classroom.create(
        tmp_path / "class.sqlite", EXERCISE, teams=["Red", "Blue"], clock=clock,
        round_minutes=minutes, workers=0,
    )  # fmt: skip
    clock.advance(DAY)
    return room, credentials, clock


def test_a_day_later_no_round_has_closed_and_the_class_waits(tmp_path):
    """The timer closes nothing before the start; teams are told why they cannot act yet."""
    room, _, _ = made_the_day_before(tmp_path)
    with room:
        assert not room.tick()
        status = room.status()
        assert status.round == 1 and status.waiting_to_start and status.deadline is None
        assert status.remaining == 20 * 60
        with pytest.raises(RefusedError, match="its clock waits for the instructor"):
            room.save_draft(1, "ann", VALID)


def test_starting_runs_the_clock_from_then(tmp_path):
    """Started, the round's deadline is its length from the start, and teams may act."""
    room, _, clock = made_the_day_before(tmp_path)
    with room:
        room.resume()
        status = room.status()
        assert not status.waiting_to_start and not status.paused
        assert status.deadline == clock.now() + 20 * 60
        room.submit(1, "ann", VALID)
        clock.advance(20 * 60)
        assert room.tick() and room.status().round == 2


def test_time_added_before_the_start_is_kept_for_it(tmp_path):
    """Extending or pausing a class that waits changes its length, never starts it."""
    room, _, clock = made_the_day_before(tmp_path)
    with room:
        room.extend(10)
        room.pause()
        assert room.status().waiting_to_start and room.status().remaining == 30 * 60
        room.resume()
        assert room.status().deadline == clock.now() + 30 * 60


def test_closing_the_first_round_by_hand_starts_the_class(tmp_path):
    """The instructor may close round 1 without starting it: round 2 runs on its clock."""
    room, _, clock = made_the_day_before(tmp_path)
    with room:
        assert room.close_round() == 1
        status = room.status()
        assert not status.waiting_to_start and status.deadline == clock.now() + 20 * 60
        room.submit(2, "bo", VALID)


def test_a_class_closed_by_hand_needs_no_start(tmp_path):
    """Without a round clock there is nothing to start: teams act at once."""
    clock = FakeClock()
    room, _ = Classroom.create(tmp_path / "class.sqlite", EXERCISE, teams=1, clock=clock, workers=0)
    with room:
        assert not room.status().waiting_to_start
        room.submit(1, "ann", VALID)


def test_the_pages_say_the_clock_waits_and_the_instructor_starts_it(tmp_path):
    """The team reads its briefing and is told why; the instructor's Start begins the round."""
    room, credentials, clock = made_the_day_before(tmp_path)
    with served(room, clock) as client:
        member = join(client, credentials.teams["Red"], "ann")
        page = member.get("/team").text
        assert "The round starts when the instructor starts the clock" in page
        boss = instructor(client, credentials)
        assert "Start the clock" in boss.get("/instructor").text
        assert boss.post("/instructor/resume").status_code == 303
        shown = boss.get("/instructor").text
        assert "Pause the clock" in shown and "Start the clock" not in shown
        assert room.status().deadline == clock.now() + 20 * 60
