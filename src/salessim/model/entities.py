"""The things the model moves around: leads, reps and CSM tasks (accounts are columns).

Slotted classes, no behaviour: processes in the other model modules act on them.
A *deal* (opportunity) is a lead that has reached its first account-executive stage;
it then has an owner, and its value and specialist need matter.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from salessim.model.events import LeadStatus, Source, TaskKind

OPEN = LeadStatus.OPEN  # a global: an enum's member is read through its metaclass, slowly

if TYPE_CHECKING:
    import numpy as np

    from salessim.scenario.base import Role
    from salessim.scenario.people import Tier


class Lead:
    """A prospect moving through the funnel; a deal once an AE works it."""

    __slots__ = (
        "concession",
        "cooling",
        "created_at",
        "deadline",
        "deal_value",
        "discount",
        "fit",
        "fit_odds",
        "id",
        "needs_specialist",
        "opportunity_at",
        "owner",
        "queued_at",
        "sdr",
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
        self.discount = 0.0  # off the list price, to win the deal
        self.concession = 0.0  # off the list price, for signing early
        self.cooling = 0.0  # chance the deal cooled while it was held over
        self.status = OPEN
        self.stage = -1
        self.owner: Rep | None = None
        self.opportunity_at: float | None = None
        self.queued_at = created_at
        self.deadline = -1.0
        self.waiting = False
        self.sdr: Rep | None = None  # who qualified the lead

    @property
    def price_cut(self) -> float:
        """The share of the list price a win gives up: discount and concession."""
        return self.discount + self.concession

    def __repr__(self) -> str:
        return f"Lead({self.id}, stage={self.stage}, {self.status.name})"


class Rep:
    """One person in a working role: who it is, its terms, and its seat on a team.

    The funnel reads ``busy``, ``speed``, ``skill_odds``, ``queue`` and ``load``; the
    team keeps them and the roster sets ``productivity`` (the ramp), speed and skill
    each month. Routing ranks a team's reps by ``load`` and ``productivity``: the team's
    ``add_load`` and ``rerank`` change them. What other components know of a rep they
    keep themselves, by rep id: its quota and credit (the payroll's ``Standing``), its
    ability and experience (the roster's ``Growth``), its drive under the pay plan
    (``Incentives``), its manager's hours (``ManagerDesk``), its performance plan.
    """

    __slots__ = (
        "active",
        "attention_ratio",
        "busy",
        "busy_days",
        "full_speed",
        "hired_at",
        "id",
        "joined_at",
        "load",
        "manager",
        "morale",
        "owned",
        "pay",
        "productivity",
        "queue",
        "rng",
        "role",
        "skill",
        "skill_odds",
        "speed",
        "tier",
    )

    def __init__(
        self, id: int, role: Role, skill: float, skill_odds: float, speed: float, hired_at: float
    ) -> None:
        self.id = id
        self.role = role
        self.skill = skill
        self.skill_odds = skill_odds
        self.speed = speed
        self.full_speed = speed
        self.hired_at = hired_at
        self.joined_at = hired_at
        self.busy = False
        self.busy_days = 0.0
        self.load = 0
        self.queue: deque[Any] = deque()  # Work items (see model.teams)
        self.owned: dict[int, Lead] = {}  # an AE's open deals, by lead id
        self.attention_ratio = 1.0
        self.productivity = 1.0
        self.tier: Tier | None = None
        self.morale = 0.0
        self.pay = 0.0  # a year
        self.manager = 0
        self.active = True
        self.rng: np.random.Generator | None = None

    def tenure(self, now: float) -> float:
        """Days since hire."""
        return now - self.hired_at

    def __repr__(self) -> str:
        return f"Rep({self.id}, {self.role.value}, skill={self.skill:.2f})"


class AccountTask:
    """Queued CSM work on one account (onboarding or renewal preparation)."""

    __slots__ = ("account_id", "deadline", "kind", "queued_at", "slot", "waiting")

    def __init__(self, slot: int, account_id: int, kind: TaskKind, queued_at: float) -> None:
        self.slot = slot
        self.account_id = account_id
        self.kind = kind
        self.queued_at = queued_at
        self.deadline = -1.0
        self.waiting = False
