"""Roles: headcount, working time, skill, pay, quota, ramp, hiring and attrition per role.

The ramp, hiring, attrition and manager-time specs a role holds are defined in ``people``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from salessim.scenario.base import Frozen, Headcount, Money, Positive, Role, Share
from salessim.scenario.dists import Dist, PositiveDist
from salessim.scenario.limits import MIN_PAY
from salessim.scenario.people import Attrition, Hiring, ManagerTime, Ramp
from salessim.scenario.units import DAYS_PER_MONTH, HOURS_PER_WEEK

WeeklyHours = Annotated[Positive, Field(ge=1.0, le=HOURS_PER_WEEK)]
"""Working hours a week: at least one, at most every hour of the week."""


class RoleSpec(Frozen):
    """Headcount, working time, ability, pay, ramp, hiring and attrition of one role."""

    headcount: Headcount = Field(default=0, description="Headcount at the start.")
    hours_per_week: WeeklyHours = 40.0
    selling_share: Share = Field(
        default=0.6, description="Share of working hours spent on queued funnel or account work."
    )
    prospecting_share: Share = Field(
        default=0.0, description="SDRs: share of working hours spent prospecting outbound."
    )
    skill: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": 1.0, "cv": 0.25}}),
        description="Latent ability; 1 is average.",
    )
    market_pay: Money = Field(default=100_000, description="Annual on-target pay elsewhere.")
    market_mix: Share = Field(
        default=0.5,
        description="Variable share of on-target pay in the market's usual plan for the role: "
        "a plan as leveraged draws the effort a salaried rep gives (see behaviour.effort).",
    )
    pay: Money | None = Field(
        default=None,
        description="Annual on-target pay of every rep in the role (hires too, so it sets the "
        "offer); unset, each rep keeps the pay offered at hire.",
    )
    quota: Money | None = Field(
        default=None,
        description="Annual quota in the role's measure; none means attainment is unknown.",
    )
    ramp: Ramp = Ramp(linear=3 * DAYS_PER_MONTH)
    hiring: Hiring = Hiring()
    attrition: Attrition = Attrition()

    @model_validator(mode="after")
    def _shares(self) -> RoleSpec:
        if self.selling_share + self.prospecting_share > 1 + 1e-9:
            raise ValueError("selling_share + prospecting_share must not exceed 1")
        if self.market_pay < MIN_PAY or (self.pay is not None and self.pay < MIN_PAY):
            raise ValueError(f"market_pay and pay must be at least {MIN_PAY:g} a year")
        return self


class SdrSpec(RoleSpec):
    """SDRs: half their time on the lead queue, 30% prospecting. Quota: qualified leads a year."""

    headcount: Headcount = Field(default=8, description="Headcount at the start.")
    selling_share: Share = 0.5
    prospecting_share: Share = 0.3
    market_pay: Money = 76_000
    market_mix: Share = 0.35
    hiring: Hiring = Hiring(
        time_to_hire=Dist.model_validate({"lognormal": {"mean": "1.5mo", "cv": 0.4}}),
        cost=12_000,
    )
    attrition: Attrition = Attrition(
        voluntary=0.185,
        promotion=0.6,  # promoted out of the role: most who leave it do so in 18 months
        promotion_after=9 * DAYS_PER_MONTH,
        initial_tenure=Dist.model_validate({"exponential": {"mean": "9mo"}}),
    )


class AeSpec(RoleSpec):
    """Account executives. Quota: new ARR a year."""

    headcount: Headcount = Field(default=20, description="Headcount at the start.")
    market_pay: Money = 190_000
    ramp: Ramp = Ramp(linear=5.5 * DAYS_PER_MONTH)
    hiring: Hiring = Hiring(cost=35_000)
    attrition: Attrition = Attrition(voluntary=0.2)


class SpecialistSpec(RoleSpec):
    """Sales engineers, a shared pool. Quota: technical wins a year."""

    headcount: Headcount = Field(default=3, description="Headcount at the start.")
    market_pay: Money = 170_000
    market_mix: Share = 0.25
    ramp: Ramp = Ramp(linear=4 * DAYS_PER_MONTH)
    attrition: Attrition = Attrition(voluntary=0.12)


class CsmSpec(RoleSpec):
    """Customer-success managers. Quota: the gross retention their renewals should reach."""

    headcount: Headcount = Field(default=6, description="Headcount at the start.")
    selling_share: Share = 0.3
    market_pay: Money = 110_000
    market_mix: Share = 0.2
    attrition: Attrition = Attrition(voluntary=0.13)


class ManagerSpec(RoleSpec):
    """First-line managers: they work no queue, and their reps are shared among them."""

    headcount: Headcount = Field(default=3, description="Headcount (fixed).")
    selling_share: Share = 0.0
    hours_per_week: WeeklyHours = 45.0
    market_pay: Money = 230_000
    market_mix: Share = 0.3
    ramp: Ramp = Ramp()
    time: ManagerTime = ManagerTime()


class Roles(Frozen):
    """Every role in the organisation."""

    sdr: SdrSpec = SdrSpec()
    ae: AeSpec = AeSpec()
    specialist: SpecialistSpec = SpecialistSpec()
    csm: CsmSpec = CsmSpec()
    manager: ManagerSpec = ManagerSpec()

    def of(self, role: Role) -> RoleSpec:
        """The spec of ``role``."""
        return getattr(self, role.value)
