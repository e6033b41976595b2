"""The things the model moves around: leads, reps and accounts.

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


class Account:
    """A customer: recurring revenue with a renewal date and an owning CSM."""

    __slots__ = (
        "arr",
        "csm",
        "discount",
        "fit",
        "id",
        "lead_id",
        "opened_at",
        "renewal_at",
        "segment",
    )

    def __init__(
        self,
        id: int,
        segment: int,
        arr: float,
        fit: float,
        opened_at: float,
        renewal_at: float,
        lead_id: int | None,
        discount: float = 0.0,
    ) -> None:
        self.id = id
        self.segment = segment
        self.arr = arr
        self.fit = fit
        self.opened_at = opened_at
        self.renewal_at = renewal_at
        self.lead_id = lead_id
        self.discount = discount
        self.csm: Rep | None = None

    def __repr__(self) -> str:
        return f"Account({self.id}, arr={self.arr:.0f})"


class AccountTask:
    """Queued CSM work on one account (onboarding or renewal preparation)."""

    __slots__ = ("account", "kind", "queued_at", "waiting")

    def __init__(self, account: Account, kind: str, queued_at: float) -> None:
        self.account = account
        self.kind = kind
        self.queued_at = queued_at
        self.waiting = False
