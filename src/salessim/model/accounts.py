"""The account book as columns: a few numbers per live account, no object per account.

A customer book grows with the business, so its cost per account decides how memory
grows with the horizon. Each live account occupies one slot across typed arrays; a
churned account's slot is reused by the next new one. Ids stay unique.

The book also lists the slots given to each CSM, so that a leaving CSM's accounts are
found in O(their number) rather than by a scan of the whole book: 4 bytes an entry.
A list keeps slots its CSM no longer holds (churned, or reused by another) until it
has twice the entries it had after its last pruning, then drops them.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

import numpy as np

NO_ID = -1
PRUNE_SLACK = 32  # entries a CSM's slot list may grow by beyond twice its last pruned size


class AccountBook:
    """Live accounts by slot: id, segment, ARR, fit, discount, dates, CSM and origin lead.

    ``lost_in_handover`` marks accounts that will churn at their next renewal because
    their CSM left and the hand-over failed; ``prepared`` marks an account whose renewal
    preparation is done.
    """

    def __init__(self) -> None:
        self.id = array("i")
        self.segment = array("h")
        self.arr = array("d")
        self.fit = array("d")
        self.discount = array("d")
        self.opened_at = array("d")
        self.renewal_at = array("d")
        self.csm = array("i")
        self.lead_id = array("i")
        self.ae = array("i")
        self.lost_in_handover = bytearray()
        self.prepared = bytearray()
        self.live = bytearray()
        self._free: list[int] = []
        self._next_id = 0
        self.count = 0
        self._given: dict[int, array[int]] = {}  # slots given to each CSM, by CSM id
        self._prune_at: dict[int, int] = {}  # a CSM's list length that prunes it

    def open(
        self,
        segment: int,
        arr: float,
        fit: float,
        discount: float,
        opened_at: float,
        renewal_at: float,
        csm: int,
        lead_id: int,
        ae: int = NO_ID,
    ) -> int:
        """Add an account; return its slot. ``ae`` is the AE who won it."""
        self._next_id += 1
        values = (
            self._next_id,
            segment,
            arr,
            fit,
            discount,
            opened_at,
            renewal_at,
            csm,
            lead_id,
            ae,
        )
        columns = self._columns()
        if self._free:
            slot = self._free.pop()
            for column, value in zip(columns, values, strict=True):
                column[slot] = value
            self.live[slot] = 1
            self.lost_in_handover[slot] = 0
            self.prepared[slot] = 0
        else:
            slot = len(self.id)
            for column, value in zip(columns, values, strict=True):
                column.append(value)
            self.live.append(1)
            self.lost_in_handover.append(0)
            self.prepared.append(0)
        self.count += 1
        self._give(slot, csm)
        return slot

    def reassign(self, slot: int, csm: int) -> None:
        """The account in ``slot`` goes to the CSM ``csm`` (``NO_ID``: to nobody)."""
        self.csm[slot] = csm
        self._give(slot, csm)

    def slots_of(self, csm: int) -> list[int]:
        """The slots of the live accounts of the CSM ``csm``, in slot order."""
        given = self._given.get(csm)
        if given is None:
            return []
        return sorted({slot for slot in given if self.live[slot] and self.csm[slot] == csm})

    def forget(self, csm: int) -> None:
        """Drop the CSM ``csm``'s list of slots (it has left and holds no accounts)."""
        self._given.pop(csm, None)
        self._prune_at.pop(csm, None)

    def _give(self, slot: int, csm: int) -> None:
        if csm == NO_ID:
            return
        given = self._given.get(csm)
        if given is None:
            given = self._given[csm] = array("i")
        given.append(slot)
        if len(given) >= self._prune_at.get(csm, PRUNE_SLACK):
            kept = array("i", self.slots_of(csm))
            self._given[csm] = kept
            self._prune_at[csm] = 2 * len(kept) + PRUNE_SLACK

    def close(self, slot: int) -> None:
        """Remove the account in ``slot`` (it churned)."""
        self.live[slot] = 0
        self._free.append(slot)
        self.count -= 1

    def slots(self) -> Iterator[int]:
        """The slots of live accounts, in slot order."""
        live = self.live
        return (slot for slot in range(len(live)) if live[slot])

    def arr_due(self, until: float) -> float:
        """ARR of the live accounts whose next renewal falls on or before ``until``."""
        live = np.frombuffer(self.live, dtype=np.uint8).astype(bool)
        due = np.frombuffer(self.renewal_at, dtype=np.float64)[live] <= until
        return float(np.frombuffer(self.arr, dtype=np.float64)[live][due].sum())

    def arr_by_id(self) -> tuple[np.ndarray, np.ndarray]:
        """The live accounts' ids, ascending, and the ARR of each: new arrays, 12 bytes each."""
        live = np.frombuffer(self.live, dtype=np.uint8).astype(bool)
        ids = np.frombuffer(self.id, dtype=np.int32)[live]
        arr = np.frombuffer(self.arr, dtype=np.float64)[live]
        order = np.argsort(ids, kind="stable")
        return ids[order], arr[order]

    def __len__(self) -> int:
        return self.count

    def _columns(self) -> tuple[array, ...]:  # type: ignore[type-arg]
        return (
            self.id,
            self.segment,
            self.arr,
            self.fit,
            self.discount,
            self.opened_at,
            self.renewal_at,
            self.csm,
            self.lead_id,
            self.ae,
        )
