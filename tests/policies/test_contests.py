"""What a contest is worth to each entrant before it pays, and whom it pulls."""

from __future__ import annotations

import itertools
import math

import pytest

from salessim.policies.contests import Entrant, contest_pull, expected_prize


def test_equal_entrants_share_the_prize_money_equally():
    """Four alike entrants, one 8k prize: each expects a quarter of it."""
    field = [Entrant(100.0, 20.0, 30.0)] * 4
    assert expected_prize(field[0], field[1:], [8000.0]) == pytest.approx(2000.0)


def test_the_expected_prize_is_each_places_prize_times_its_chance():
    """Two entrants, ranked prizes 5k and 2k: the leader's chance of first place by hand."""
    leader, chaser = Entrant(120.0, 10.0, 0.0), Entrant(100.0, 10.0, 0.0)
    first = 0.5 * math.erfc(-(20.0 / math.sqrt(200.0)) / math.sqrt(2))
    assert expected_prize(leader, [chaser], [5000.0, 2000.0]) == pytest.approx(
        5000.0 * first + 2000.0 * (1 - first)
    )


def test_every_place_is_paid_once_in_expectation():
    """Across the field the expected prizes add up to the prize money (every place filled)."""
    field = [Entrant(50.0 + 13.0 * i, 5.0 + i, 0.0) for i in range(7)]
    awards = [3000.0, 2000.0, 1000.0]
    total = sum(
        expected_prize(me, field[:i] + field[i + 1 :], awards) for i, me in enumerate(field)
    )
    assert total == pytest.approx(sum(awards), rel=0.02)  # independence of rivals: approximate


def test_a_rep_far_out_of_reach_feels_no_pull_and_one_near_the_line_the_most():
    """Winner takes all: the two at the top pull hardest, the one far behind not at all."""
    field = [Entrant(100.0, 10.0, 20.0), Entrant(98.0, 10.0, 20.0), Entrant(30.0, 10.0, 20.0)]
    top, second, far = contest_pull(field, [10_000.0])
    assert top > 1000 and second > 1000
    assert far < 1e-6 * top


def test_the_prize_structure_changes_who_tries():
    """Equal prizes for the top five pull the middle of the field; winner-take-all does not."""
    field = [Entrant(100.0 - 8.0 * i, 8.0, 15.0) for i in range(10)]
    winner = contest_pull(field, [10_000.0])
    shared = contest_pull(field, [2_000.0] * 5)
    middle = 4  # fifth place: near the line of the top five, far from first
    assert shared[middle] > 5 * winner[middle]
    assert winner[0] > shared[0]


def test_nobody_with_nothing_to_show_can_win():
    """An entrant forecast at no credit expects no prize (only reps with credit can win)."""
    assert expected_prize(Entrant(0.0, 0.0, 0.0), [Entrant(5.0, 1.0, 1.0)], [100.0]) == 0.0


@pytest.mark.parametrize("places", [1, 2, 4])
def test_more_output_never_lowers_the_expected_prize(places):
    """The pull is never negative, whatever the field and the number of places."""
    grid = [Entrant(m, s, 10.0) for m, s in itertools.product((20.0, 60.0, 90.0), (1.0, 15.0))]
    assert all(pull >= 0.0 for pull in contest_pull(grid, [1000.0] * places))
