"""The things the model moves around: leads, reps and CSM tasks (accounts are columns).

Slotted classes, no behaviour: processes in the other model modules act on them.
A *deal* (opportunity) is a lead that has reached its first account-executive stage;
it then has an owner, and its value and specialist need matter.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from salessim.metrics.events import LeadStatus, Source

if TYPE_CHECKING:
    from salessim.scenario.schema import Role


class Lead:
    """A prospect moving through the funnel; a deal once an AE works it."""

    __slots__ = (
        "created_at",
        "deal_value",
        "discount",
        "fit",
        "fit_odds",
        "id",
        "needs_specialist",
        "opportunity_at",
        "owner",
        "queued_at",
        "segment",
        "source",
        "stage",
        "status",
        "waiting",
    )

    def __init__(
        self,
        id: int,
        segment: int,
        source: Source,
        created_at: float,
        fit: float,
        fit_odds: float,
        deal_value: float,
        needs_specialist: bool,
    ) -> None:
        self.id = id
        self.segment = segment
        self.source = source
        self.created_at = created_at
        self.fit = fit
        self.fit_odds = fit_odds
        self.deal_value = deal_value
        self.needs_specialist = needs_specialist
        self.discount = 0.0
        self.status = LeadStatus.OPEN
        self.stage = -1
        self.owner: Rep | None = None
        self.opportunity_at: float | None = None
        self.queued_at = created_at
        self.waiting = False

    def __repr__(self) -> str:
        return f"Lead({self.id}, stage={self.stage}, {self.status.name})"


class Rep:
    """One person in a working role."""

    __slots__ = (
        "attention_ratio",
        "busy",
        "busy_days",
        "hired_at",
        "id",
        "load",
        "queue",
        "role",
        "skill",
        "skill_odds",
        "speed",
    )

    def __init__(
        self, id: int, role: Role, skill: float, skill_odds: float, speed: float, hired_at: float
    ) -> None:
        self.id = id
        self.role = role
        self.skill = skill
        self.skill_odds = skill_odds
        self.speed = speed
        self.hired_at = hired_at
        self.busy = False
        self.busy_days = 0.0
        self.load = 0
        self.queue: deque[object] = deque()
        self.attention_ratio = 1.0

    def __repr__(self) -> str:
        return f"Rep({self.id}, {self.role.value}, skill={self.skill:.2f})"


class AccountTask:
    """Queued CSM work on one account (onboarding or renewal preparation)."""

    __slots__ = ("account_id", "kind", "queued_at", "slot", "waiting")

    def __init__(self, slot: int, account_id: int, kind: str, queued_at: float) -> None:
        self.slot = slot
        self.account_id = account_id
        self.kind = kind
        self.queued_at = queued_at
        self.waiting = False
