"""A cohort year: what became of the accounts live when a measured year started.

Gross and net retention follow each starting account from its ARR at the start of the
year to its ARR at the end (0 if it churned), however many times it renewed in between:

    retained = sum over the cohort of min(ARR at the end, ARR at the start)
    grr = retained / ARR at the start          (on [0, 1]: expansion never counts)
    nrr = ARR at the end / ARR at the start    (>= 0: expansion counts)

Accounts won during the year are not in the cohort. Each sum is ``math.fsum`` (correctly
rounded), so ``retained <= start`` holds in floating point as it does in exact arithmetic
and GRR never exceeds 1. A cohort costs 21 bytes an account: id, ARR at the start, ARR
now and a churned flag.
"""

from __future__ import annotations

import math

import numpy as np

from salessim.metrics.record import CohortYear
from salessim.model.view import BookView


class Cohort:
    """The accounts live at the start of a measured year, followed to its end."""

    def __init__(self, book: BookView) -> None:
        self._ids = book.ids
        self._start = np.array(book.arr, dtype=np.float64)
        self._now = self._start.copy()
        self._churned = np.zeros(len(self._ids), dtype=bool)
        self._last_id = int(self._ids[-1]) if len(self._ids) else -1

    def _index(self, account: int) -> int | None:
        """Where ``account`` is in the cohort; None if it joined later."""
        if account > self._last_id:  # ids only grow: a later account is not in the cohort
            return None
        i = int(self._ids.searchsorted(account))  # the method: half the cost of the function
        return i if i < len(self._ids) and self._ids[i] == account else None

    def renewed(self, account: int, arr: float) -> None:
        """``account`` renewed at ``arr`` a year."""
        i = self._index(account)
        if i is not None:
            self._now[i] = arr

    def churned(self, account: int) -> None:
        """``account`` left."""
        i = self._index(account)
        if i is not None:
            self._now[i] = 0.0
            self._churned[i] = True

    def year(self, *, complete: bool) -> CohortYear:
        """The cohort's figures so far; ``complete`` when the whole year was measured."""
        start, now, gone = self._start, self._now, self._churned
        kept = ~gone
        return CohortYear(
            start_arr=math.fsum(start),
            start_logos=len(start),
            retained_arr=math.fsum(np.minimum(start, now)),
            end_arr=math.fsum(now),
            churned_arr=math.fsum(start[gone]),
            contraction_arr=math.fsum(np.maximum(start[kept] - now[kept], 0.0)),
            expansion_arr=math.fsum(np.maximum(now - start, 0.0)),
            churned_logos=int(gone.sum()),
            complete=complete,
        )
