"""The opt-in event log: every model event kept, laid out as one table per event kind.

The log keeps the records themselves (a few numbers each) and lays them out as columns
on request: one table per event kind (its name in snake case, ``rep_left``), whose
columns are the kind's fields in order, ``day`` first, one row per event as emitted.
Enums become their names (``won``, ``ae``, ``voluntary``), segment indices their segment
names and tuples of ids space-separated ids. ``docs/model.md`` lists every kind's columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from salessim.model.events import EVENT_TYPES, Bus

Table = dict[str, list[Any]]


def event_name(kind: type[Any]) -> str:
    """The snake-case name of an event type: ``LeadClosed`` -> ``lead_closed``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind.__name__).lower()


EVENT_NAMES = {kind: event_name(kind) for kind in EVENT_TYPES}


class EventLog:
    """Subscribes to every event type and keeps each record."""

    def __init__(self, bus: Bus, segment_names: Sequence[str]) -> None:
        self._records: dict[type[Any], list[Any]] = {kind: [] for kind in EVENT_TYPES}
        self._segments = list(segment_names)
        for kind, records in self._records.items():
            bus.subscribe(kind, records.append)

    def __len__(self) -> int:
        return sum(len(records) for records in self._records.values())

    def tables(self) -> dict[str, Table]:
        """Every event kind's table (empty for kinds that never happened), by kind name."""
        return {
            EVENT_NAMES[kind]: self._table(kind, records) for kind, records in self._records.items()
        }

    def _table(self, kind: type[Any], records: list[Any]) -> Table:
        fields: tuple[str, ...] = kind._fields
        columns = zip(*records, strict=True) if records else [()] * len(fields)
        return {
            name: [self._cell(name, value) for value in column]
            for name, column in zip(fields, columns, strict=True)
        }

    def _cell(self, name: str, value: Any) -> Any:
        if isinstance(value, Enum):
            return value.value if isinstance(value.value, str) else value.name.lower()
        if isinstance(value, tuple):
            return " ".join(str(item) for item in value)
        if name == "segment":
            return self._segments[value]
        return value
