"""Patience deadlines: due items come out in deadline order; stale entries never do."""

from __future__ import annotations

from salessim.model.kernel.deadlines import NO_DEADLINE, Deadlines


class Item:
    def __init__(self, name: str, deadline: float) -> None:
        self.name, self.deadline, self.waiting = name, deadline, True


def watch(deadlines: Deadlines, *items: Item) -> None:
    """Add each of ``items`` to ``deadlines``."""
    for item in items:
        deadlines.add(item)


def take_due(deadlines: Deadlines, now: float) -> list[str]:
    """The names of the items due by ``now``, in order, each taken off its wait."""
    out = []
    for item in deadlines.due(now):
        item.waiting = False
        out.append(item.name)
    return out


def test_items_come_out_in_deadline_order_across_days():
    """Due items come out in deadline order across days; later deadlines wait their turn."""
    d = Deadlines()
    watch(d, Item("c", 5.5), Item("a", 0.2), Item("b", 0.7), Item("d", 30.0))
    assert d.next_deadline() == 0.2
    assert take_due(d, 6.0) == ["a", "b", "c"]
    assert d.next_deadline() == 30.0


def test_an_item_added_to_the_day_under_way_keeps_its_order():
    """Once a day is due, later additions for that day are inserted in order."""
    d = Deadlines()
    watch(d, Item("a", 0.1), Item("c", 0.9))
    assert take_due(d, 0.1) == ["a"]
    watch(d, Item("b", 0.5))
    assert take_due(d, 1.0) == ["b", "c"]


def test_served_items_are_skipped():
    """An item served before its deadline never comes out as due."""
    d = Deadlines()
    served, cold = Item("served", 1.0), Item("cold", 2.0)
    watch(d, served, cold)
    served.waiting = False
    assert take_due(d, 3.0) == ["cold"]
    assert d.next_deadline() is None


def test_an_item_queued_again_goes_cold_only_at_its_new_deadline():
    """Its old entry (another team, an earlier stage) is stale once the deadline changes."""
    old_team, new_team = Deadlines(), Deadlines()
    lead = Item("lead", 1.0)
    watch(old_team, lead)
    lead.deadline = 3.0  # served, then queued at the next stage with new patience
    watch(new_team, lead)
    assert take_due(old_team, 5.0) == []
    assert take_due(new_team, 5.0) == ["lead"]


def test_an_item_queued_again_without_patience_never_goes_cold():
    """An item queued again with no deadline never comes out, though its old entry falls due."""
    d = Deadlines()
    lead = Item("lead", 1.0)
    watch(d, lead)
    lead.deadline = NO_DEADLINE
    assert take_due(d, 5.0) == []


def test_two_entries_for_one_item_hand_it_out_once():
    """An item watched twice comes out once."""
    d = Deadlines()
    lead = Item("lead", 1.0)
    watch(d, lead, lead)
    assert take_due(d, 2.0) == ["lead"]
