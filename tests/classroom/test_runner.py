import os
import signal
import time

import pytest

from salessim.classroom.room import Classroom
from tests.classroom.classes import VALID, new_class


def worker_pid(room: Classroom, team: int) -> int:
    """The id of the process holding the team's game."""
    return room._runner.call(team, "pid")


def alive(pid: int) -> bool:
    """Whether a process still runs (a zombie counts as gone once reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def turn_rows(room: Classroom) -> list[tuple]:
    """Every played turn as stored: team, turn, decisions, source, fingerprint, measures."""
    return [
        (row.team, row.turn, row.decisions, row.source, row.fingerprint, row.measures)
        for row in room._store.turns()
    ]


def play_two_rounds(room: Classroom) -> None:
    """Two rounds: a submission, a hire, a draft and bots."""
    room.submit(1, "ann", VALID)
    room.save_draft(2, "bob", {"hire": [{"role": "ae", "count": 1}]})
    room.close_round()
    room.submit(3, "cy", {"recognition": 4})
    room.close_round()


def test_each_team_stays_in_one_worker_process_and_teams_share_two(tmp_path):
    """With two workers, odd and even teams live in two processes, neither this one."""
    room, _, _ = new_class(tmp_path, 4, workers=2)
    with room:
        pids = [worker_pid(room, team) for team in (1, 2, 3, 4)]
        assert pids[0] == pids[2] and pids[1] == pids[3]
        assert pids[0] != pids[1]
        assert os.getpid() not in pids
        assert worker_pid(room, 1) == pids[0]


def test_workers_play_exactly_what_the_process_itself_plays(tmp_path):
    """The same class closed in worker processes and in process stores the same turns."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    parallel, _, _ = new_class(tmp_path / "a", 4, workers=2)
    serial, _, _ = new_class(tmp_path / "b", 4, workers=0)
    with parallel, serial:
        play_two_rounds(parallel)
        play_two_rounds(serial)
        assert turn_rows(parallel) == turn_rows(serial)
        assert [parallel.briefing(t) for t in (1, 2)] == [serial.briefing(t) for t in (1, 2)]
        assert parallel.leaderboard() == serial.leaderboard()


def test_a_dead_worker_is_replaced_and_its_teams_rebuilt_from_their_logs(tmp_path):
    """Killing a worker loses nothing: its teams' next calls and the next close work as before."""
    room, _, _ = new_class(tmp_path, 4, workers=2)
    with room:
        play_two_rounds(room)
        before = [room.briefing(team) for team in (1, 2, 3, 4)]
        dead = worker_pid(room, 2)
        os.kill(dead, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while alive(dead) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [room.briefing(team) for team in (1, 2, 3, 4)] == before
        assert worker_pid(room, 2) != dead
        os.kill(worker_pid(room, 1), signal.SIGKILL)  # and one dies just before a close
        assert room.close_round() == 3
        assert [len(room.history(team)) for team in (1, 2, 3, 4)] == [3, 3, 3, 3]


def test_closing_the_class_stops_its_workers(tmp_path):
    """After close() no worker process is left running."""
    room, _, _ = new_class(tmp_path, 2, workers=2)
    pids = [worker_pid(room, team) for team in (1, 2)]
    room.close()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in pids)


def test_a_negative_worker_count_is_refused(tmp_path):
    """The worker count must be 0 (in process) or more."""
    with pytest.raises(ValueError, match="workers"):
        new_class(tmp_path, 1, workers=-1)
