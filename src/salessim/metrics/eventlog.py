"""The opt-in event log: every event as a row of columns (time, event, ids, value).

Columns, not objects: one list per field, so a long log costs a few numbers per event.
Unknown fields are ``None``.
"""

from __future__ import annotations

from typing import Any

from salessim.metrics.events import Bus, Event

COLUMNS = ("day", "event", "lead", "rep", "account", "stage", "value")


class EventLog:
    """Subscribes to every event and keeps it as columns."""

    def __init__(self, bus: Bus) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        for kind in Event:
            bus.subscribe(kind, self._handler(kind))

    def _handler(self, kind: Event) -> Any:
        name = kind.name.lower()

        def log(now: float, *args: Any) -> None:
            self._append(now, name, *_fields(kind, args))

        return log

    def _append(
        self,
        now: float,
        name: str,
        lead: int | None,
        rep: int | None,
        account: int | None,
        stage: int | str | None,
        value: float | None,
    ) -> None:
        c = self.columns
        c["day"].append(now)
        c["event"].append(name)
        c["lead"].append(lead)
        c["rep"].append(rep)
        c["account"].append(account)
        c["stage"].append(stage)
        c["value"].append(value)


def _fields(kind: Event, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """(lead, rep, account, stage, value) of one event's arguments."""
    if kind in (Event.LEAD_CREATED, Event.LEAD_WENT_COLD, Event.OPPORTUNITY_CREATED):
        lead = args[0]
        return lead.id, None, None, lead.stage, None
    if kind is Event.LEAD_CLOSED:
        lead = args[0]
        owner = lead.owner.id if lead.owner is not None else None
        return lead.id, owner, None, lead.status.name.lower(), lead.deal_value
    if kind is Event.WORK_STARTED:
        _role, rep, item, wait = args
        lead = getattr(item, "id", None) if hasattr(item, "stage") else None
        account = getattr(item, "account_id", None)
        stage = item.stage if lead is not None else getattr(item, "kind", None)
        return lead, rep.id, account, stage, wait
    if kind is Event.STAGE_DONE:
        lead, index, converted = args
        return lead.id, None, None, index, float(converted)
    if kind is Event.ACCOUNT_OPENED:
        account_id, lead_id, arr = args
        return lead_id, None, account_id, None, arr
    if kind is Event.ACCOUNT_RENEWED:
        account_id, _opened_at, before, after = args
        return None, None, account_id, None, after - before
    if kind is Event.ACCOUNT_CHURNED:
        account_id, _opened_at, arr = args
        return None, None, account_id, None, -arr
    return None, None, None, args[0] if args else None, None
