"""Read-only views of the model's state, for observers that need more than events."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Snapshot:
    """The model's state at one moment: stocks and time integrals the recorder reads."""

    now: float
    label: str
    arr: float
    logos: int
    open_leads: int
    stage_count: list[int]
    stage_value: list[float]
    headcount: dict[str, int]
    waiting_area: dict[str, float]
    busy_area: dict[str, float]
    staffed_area: dict[str, float]
    headcount_area: dict[str, float]
    ramped_area: dict[str, float]
    manager_hours: dict[str, float]
    coaching_hours: float
    morale_mean: float
    open_requisitions: int
    roster: list[tuple[str, float, float | None, bool]]
    """(role, tenure in days, trailing attainment or None, fully ramped) per employed rep."""
