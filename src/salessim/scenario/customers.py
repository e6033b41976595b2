"""Customers: the initial book, onboarding, attention, renewal, churn, expansion, referrals."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from salessim.scenario.base import Days, Elasticity, Frozen, NonNegative, Positive, Probability
from salessim.scenario.dists import Dist, PositiveDist, non_negative
from salessim.scenario.limits import MAX_ACCOUNTS, MAX_REFERRALS_PER_YEAR


class InitialBook(Frozen):
    """Customers the company already has when the simulation starts."""

    accounts: int = Field(default=0, ge=0, le=MAX_ACCOUNTS)
    arr: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": 40_000, "cv": 0.6}})
    )
    segment: str | None = Field(default=None, description="Defaults to the first segment.")


class Churn(Frozen):
    """Chance an account leaves at renewal, in odds form.

    odds = base_odds * attention_ratio ** -attention_elasticity
           * (fit / mean fit) ** -fit_elasticity * csm_skill ** -skill_elasticity
           * (1 + discount_elasticity * discount)

    The attention ratio counts the CSM's time and the care time of the AE who won it.
    """

    base: Probability = Field(default=0.10, description="Renewal churn chance at full attention.")
    attention_elasticity: Elasticity = 0.6
    fit_elasticity: Elasticity = 1.0
    skill_elasticity: Elasticity = 0.5
    min_attention_ratio: Annotated[Positive, Field(le=1.0)] = 0.1
    discount_elasticity: Elasticity = Field(
        default=2.0, description="Churn odds x (1 + this x the discount the deal was sold at)."
    )


class Expansion(Frozen):
    """Growth (and contraction) of accounts that renew."""

    probability: Probability = Field(default=0.35, description="Chance a renewing account grows.")
    uplift: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"lognormal": {"mean": 0.3, "cv": 0.8}}),
        description="Fractional ARR increase when an account grows.",
    )
    attention_elasticity: Elasticity = 0.5
    contraction_probability: Probability = 0.08
    contraction: Annotated[Dist, AfterValidator(non_negative)] = Field(
        default_factory=lambda: Dist.model_validate({"beta": {"mean": 0.25, "sd": 0.1}}),
        description="Fractional ARR decrease when an account contracts.",
    )


class Customers(Frozen):
    """The customer book: onboarding, attention, renewals, churn, expansion and referrals."""

    initial: InitialBook = InitialBook()
    onboarding_work: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"exponential": {"mean": "8h"}})
    )
    renewal_work: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate({"exponential": {"mean": "4h"}})
    )
    renewal_lead_time: Days = Field(default=60.0, description="Renewal work starts this early.")
    attention_hours_per_account_per_month: Positive = Field(
        default=3.0, description="CSM time an account needs each month for full health."
    )
    churn: Churn = Churn()
    expansion: Expansion = Expansion()
    referrals_per_account_per_year: Annotated[NonNegative, Field(le=MAX_REFERRALS_PER_YEAR)] = (
        Field(default=0.15, description="Referral leads a fully healthy account sends a year.")
    )
