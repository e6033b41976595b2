"""A new hire's manager, found from running counts, is the one a count over everyone gives."""

from __future__ import annotations

from itertools import count

from hypothesis import given, settings
from hypothesis import strategies as st

from salessim.model.entities import Rep
from salessim.model.managers import ManagerDesk
from salessim.scenario.base import Role
from salessim.scenario.roles import ManagerSpec


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 4), st.lists(st.integers(-1, 30), max_size=120))
def test_assign_gives_the_least_staffed_manager_lowest_index_on_ties(managers, steps):
    """``assign`` picks the manager ``least_staffed`` picks over the reps employed.

    Through hires (-1) and leaves (an index into the staff); the heap stays within
    twice the managers plus a constant.
    """
    desk = ManagerDesk(ManagerSpec(headcount=managers))
    staff: list[Rep] = []
    ids = count(1)
    for step in steps:
        if step < 0 or not staff:
            rep = Rep(next(ids), Role.AE, 1.0, 1.0, 1.0, 0.0)
            expected = desk.least_staffed(staff)
            desk.assign(rep)
            assert rep.manager == expected
            staff.append(rep)
        else:
            desk.release(staff.pop(step % len(staff)))
        assert len(desk._fewest) <= 2 * managers + 33
