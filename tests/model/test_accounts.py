"""The account book finds a CSM's accounts from its own list, as a scan of the book would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from salessim.model.accounts import NO_ID, PRUNE_SLACK, AccountBook

CSMS = st.sampled_from([NO_ID, 1, 2])
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("open"), CSMS),
        st.tuples(st.just("close"), st.integers(0, 200)),
        st.tuples(st.just("reassign"), st.integers(0, 200), CSMS),
        st.tuples(st.just("forget"), st.sampled_from([1, 2])),
    ),
    max_size=400,
)


def scanned(book: AccountBook, csm: int) -> list[int]:
    """The slots ``csm`` holds, found by scanning the whole book."""
    return [slot for slot in book.slots() if book.csm[slot] == csm]


@settings(max_examples=200, deadline=None)
@given(STEPS)
def test_slots_of_a_csm_are_its_live_accounts_in_slot_order(steps):
    """``slots_of`` is a scan of the book for the CSM's accounts, and its list stays short.

    Through opens, churns (slots reused), reassignments and a leaver's hand-over, it lists
    exactly the live slots the CSM holds, in slot order; each CSM's list stays within
    twice the most accounts it has held, plus a constant.
    """
    book = AccountBook()
    most = dict.fromkeys((1, 2), 0)
    for step in steps:
        live = list(book.slots())
        if step[0] == "open":
            book.open(0, 1.0, 0.5, 0.0, 0.0, 365.0, step[1], NO_ID)
        elif step[0] == "close" and live:
            book.close(live[step[1] % len(live)])
        elif step[0] == "reassign" and live:
            book.reassign(live[step[1] % len(live)], step[2])
        elif step[0] == "forget":  # a leaver: its accounts go to nobody, then its list
            csm = step[1]
            for slot in book.slots_of(csm):
                book.reassign(slot, NO_ID)
            book.forget(csm)
        for csm in (1, 2):
            held = scanned(book, csm)
            most[csm] = max(most[csm], len(held))
            assert book.slots_of(csm) == held
            assert len(book._given.get(csm, ())) <= 2 * most[csm] + PRUNE_SLACK


def test_a_csm_list_is_pruned_of_churned_accounts_and_keeps_the_live_ones():
    """A book that churns and refills many times over keeps each CSM's list short.

    The accounts the CSM still holds survive every pruning.
    """
    book = AccountBook()
    kept = [book.open(0, 1.0, 0.5, 0.0, 0.0, 365.0, 1, NO_ID) for _ in range(5)]
    for _ in range(50):
        churned = [book.open(0, 1.0, 0.5, 0.0, 0.0, 365.0, 1, NO_ID) for _ in range(20)]
        for slot in churned:
            book.close(slot)
    assert book.slots_of(1) == sorted(kept)
    assert len(book._given[1]) <= 2 * 25 + PRUNE_SLACK
