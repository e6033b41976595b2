"""Manager policies: routing, deal ownership, quota setting and the people levers.

The people levers (coaching, training, recognition, performance plans, staffing and
reassignment) are defined in ``people``; the ``Policies`` section gathers them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from salessim.scenario.base import Frozen, Money, NonNegative, Probability, Role
from salessim.scenario.limits import MAX_MULTIPLE
from salessim.scenario.people import (
    Coaching,
    Performance,
    Reassignment,
    Recognition,
    Staffing,
    Training,
)
from salessim.scenario.scripted import CounterOffers


class Routing(StrEnum):
    """How a new piece of work picks among the idle reps of a team."""

    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    SKILL_WEIGHTED = "skill_weighted"


class Ownership(StrEnum):
    """Whether a deal stays with the AE who first worked it."""

    STICKY = "sticky"
    POOLED = "pooled"


class QuotaMethod(StrEnum):
    """How each fiscal year's quotas are set."""

    FIXED = "fixed"
    TOP_DOWN = "top_down"
    CAPACITY = "capacity"
    RATCHET = "ratchet"


class QuotaSetting(Frozen):
    """Setting a role's quotas at each fiscal-year start (see docs/compensation.md).

    - ``fixed``: the plan's amount.
    - ``top_down``: the role's ``target`` (or last year's credit x (1 + ``growth``)),
      times ``over_assignment``, shared by expected ramped capacity.
    - ``capacity``: last year's credit per ramped rep-year, x (1 + ``growth``).
    - ``ratchet``: last quota x (1 + ``up`` x (attainment - 1)) above 100%, or
      x (1 - ``down`` x (1 - attainment)) below, within ``floor`` and ``ceiling`` times
      the plan's amount.
    """

    method: QuotaMethod = QuotaMethod.FIXED
    target: Money | None = Field(default=None, description="top_down: the role's annual target.")
    growth: float = Field(
        default=0.0, ge=-0.9, le=MAX_MULTIPLE, description="Growth on last year's credit."
    )
    over_assignment: float = Field(default=1.0, ge=1.0, le=MAX_MULTIPLE)
    up: NonNegative = 0.5
    down: NonNegative = 0.2
    floor: float = Field(default=0.5, ge=0.0, le=MAX_MULTIPLE)
    ceiling: float = Field(default=2.0, ge=0.0, le=MAX_MULTIPLE)


class RoutingPolicies(Frozen):
    """The routing policy per team."""

    sdr: Routing = Routing.ROUND_ROBIN
    ae: Routing = Routing.LEAST_LOADED
    specialist: Routing = Routing.LEAST_LOADED
    csm: Routing = Routing.LEAST_LOADED

    def of(self, role: Role) -> Routing:
        """The routing policy of ``role``'s team."""
        return getattr(self, role.value)


class Pricing(Frozen):
    """How managers sign off price concessions beyond a rep's discount authority.

    A rep who needs a concession ``c`` beyond its authority (a buyer's price for signing
    early) asks its manager, who approves it with chance ``1 - c / approval_limit``
    (never past the limit). Each request takes ``roles.manager.time.approval_hours`` of
    the manager's time.
    """

    approval_limit: Probability = Field(
        default=0.3, description="The deepest concession a manager signs off (0: none)."
    )


class Policies(Frozen):
    """Manager policies: routing, deal ownership, coaching, training, plans and staffing."""

    routing: RoutingPolicies = RoutingPolicies()
    deal_ownership: Ownership = Ownership.STICKY
    coaching: Coaching = Coaching()
    training: Training = Training()
    recognition: Recognition = Recognition()
    performance: Performance = Performance()
    staffing: Staffing = Staffing()
    reassignment: Reassignment = Reassignment()
    counter_offers: CounterOffers = CounterOffers()
    pricing: Pricing = Pricing()
    quota: dict[str, QuotaSetting] = Field(
        default_factory=dict, description="Quota setting per role on a pay plan."
    )
