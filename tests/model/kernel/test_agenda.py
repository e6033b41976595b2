"""The agenda fires far-future actions at their exact times, keeping only a day live."""

import simpy

from salessim.model.kernel.agenda import Agenda


def recording_agenda() -> tuple[simpy.Environment, Agenda, list[tuple[float, int]]]:
    """A fresh environment and an agenda that records (time, code) of each action it fires."""
    env, fired = simpy.Environment(), []
    return env, Agenda(env, lambda code: fired.append((env.now, code))), fired


def test_actions_fire_at_their_exact_times_in_order():
    """Actions fire at their exact times, in time order, ties in the order they were added."""
    env, agenda, fired = recording_agenda()
    for code, time in enumerate((400.25, 3.5, 0.2, 3.5, 90.0)):
        agenda.at(time, code)
    env.run(until=500)
    assert fired == [(0.2, 2), (3.5, 1), (3.5, 3), (90.0, 4), (400.25, 0)]


def test_an_action_added_inside_the_live_day_still_fires_on_time():
    """An action added for later in the day under way fires on time; one in the past at once."""
    env, agenda, fired = recording_agenda()
    env.run(until=10.3)
    agenda.at(10.6, 1)
    agenda.at(5.0, 2)  # in the past: fires now
    env.run(until=12)
    assert fired == [(10.3, 2), (10.6, 1)]


def test_far_entries_stay_in_the_agenda_not_in_simpy():
    """Entries beyond the live day wait in the agenda: SimPy holds only the daily release."""
    env, agenda, _ = recording_agenda()
    for i in range(1000):
        agenda.at(100.0 + i, i)
    env.run(until=50)
    assert len(agenda) == 1000
    assert len(env._queue) < 5  # only the daily release is scheduled
