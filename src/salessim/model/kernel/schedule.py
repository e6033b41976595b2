"""The one way model code waits: a callback on a SimPy timeout.

A SimPy process per lead or per piece of work would cost a generator, a process event
and an initialisation event each; a timeout with a callback costs one event. Callbacks
due at the same moment run in the order they were scheduled. The paths every lead takes
(a team's work, the funnel's lag, a lead source's next arrival) write this one line out,
with a ``functools.partial`` or a bound method as the callback, to save the calls.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

Callback = Callable[[simpy.Event], object]
"""Called with the timeout that fired (SimPy's convention)."""


def schedule(env: simpy.Environment, delay: float, callback: Callback) -> None:
    """Call ``callback(event)`` ``delay`` days from now, after what is already due then."""
    env.timeout(delay).callbacks.append(callback)  # type: ignore[union-attr, arg-type]
