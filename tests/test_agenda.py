"""The agenda fires far-future actions at their exact times, keeping only a day live."""

import simpy

from salessim.model.agenda import Agenda


def test_actions_fire_at_their_exact_times_in_order():
    env = simpy.Environment()
    agenda, fired = Agenda(env), []
    for time in (400.25, 3.5, 0.2, 3.5, 90.0):
        agenda.at(time, lambda t: fired.append((env.now, t)), time)
    env.run(until=500)
    assert fired == [(0.2, 0.2), (3.5, 3.5), (3.5, 3.5), (90.0, 90.0), (400.25, 400.25)]


def test_an_action_added_inside_the_live_window_still_fires_on_time():
    env = simpy.Environment()
    agenda, fired = Agenda(env), []
    env.run(until=10.3)
    agenda.at(10.6, lambda _: fired.append(env.now), None)
    agenda.at(5.0, lambda _: fired.append(env.now), None)  # in the past: fires now
    env.run(until=12)
    assert fired == [10.3, 10.6]


def test_far_entries_stay_in_the_heap_not_in_simpy():
    env = simpy.Environment()
    agenda = Agenda(env)
    for i in range(1000):
        agenda.at(100.0 + i, lambda _: None, i)
    env.run(until=50)
    assert len(agenda) == 1000
    assert len(env._queue) < 5  # only the daily release is scheduled
