"""How often CPython's cyclic garbage collector walks the oldest objects while the model runs.

The model frees its leads, deals and events by reference counting: they form no cycles.
The collector still walks every live container it tracks, and a long queue keeps many:
with 100,000 leads waiting, each lead lives long enough to reach the oldest generation,
and CPython's default thresholds (700, 10, 10) walk that generation whole each time a
quarter of it is new. That walk, not the model, made a lead in a queue of 100,000 cost
twice one in a queue of 1,000. While the clock runs, a full collection is considered a
tenth as often (after 100 collections of the middle generation rather than 10); young
collections keep the process's own thresholds, and the process gets its own back when
the run pauses.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

FULL_AFTER = 100  # collections of the middle generation between looks at the oldest


@contextlib.contextmanager
def sparing_collections() -> Iterator[None]:
    """Run the block considering full collections at most every :data:`FULL_AFTER`."""
    before = gc.get_threshold()
    young, middle, old = before
    gc.set_threshold(young, middle, max(old, FULL_AFTER))
    try:
        yield
    finally:
        gc.set_threshold(*before)
