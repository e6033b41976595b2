"""How reps respond to their pay plan: parameters of the behaviour rules.

Each rule has a switch; the rules act only on reps on a pay plan, so a scenario without
``compensation`` (or with ``behaviour.enabled: false``) is the plain model. The formulas
are in docs/compensation.md.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from salessim.scenario.base import (
    Days,
    Elasticity,
    Frozen,
    Multiple,
    NonNegative,
    Positive,
    Probability,
    Role,
)
from salessim.scenario.limits import MAX_STEPS


class Effort(Frozen):
    """Effort follows the money more output earns against the rep's pay, and morale.

    ``effort = clip(1 + elasticity * (intensity - 1) + morale_weight * morale, low, high)``
    where ``intensity`` is the expected pay of more output this period, in money, over
    the role's ``market_mix`` of the rep's on-target pay (1 for a rep on target under
    straight commission as leveraged as the market's usual plan; 0 past a cap or far
    below a cliff). Effort scales selling speed and conversion odds.
    """

    enabled: bool = True
    elasticity: Elasticity = Field(default=0.5, description="Effort per unit of intensity.")
    morale_weight: NonNegative = 0.15
    low: Annotated[Positive, Field(le=1.0)] = Field(
        default=0.6, description="Effort of a rep who gives up."
    )
    high: Annotated[Multiple, Field(ge=1.0)] = Field(
        default=1.25, description="Most effort a plan can draw."
    )
    speed_elasticity: Elasticity = Field(default=0.5, description="Speed = effort ** this.")
    odds_elasticity: Elasticity = Field(
        default=0.5, description="Conversion odds x effort ** this, at every stage."
    )
    spread: Positive = Field(
        default=0.35,
        description="Sd of a quarter's attainment as reps expect it; m months: x sqrt(3 / m).",
    )


class Timing(Frozen):
    """Near a period end, reps move closing deals to the period where they pay more.

    A deal due to close within ``pull_in`` after the period end can be brought in (the
    customer is persuaded to sign early); one due within ``push_out`` before the end
    can be held over (the paperwork waits a few days). Neither is free: a buyer asked to
    sign early wants ``concession_per_week`` off the price for each week the close is
    pulled (paid from the rep's discount authority, else approved by its manager,
    ``policies.pricing``), and a held deal may cool and be lost, ``cooling_per_week``
    a week held.
    """

    enabled: bool = True
    pull_in: Days = Field(default=21.0, description="How far ahead a close can be pulled in.")
    push_out: Days = Field(default=14.0, description="How close to the end a close can be held.")
    future_weight: Probability = Field(
        default=0.7,
        description="What contingent pay (tiers, accelerators) a quarter away is worth now; "
        "m months away: this ** (m / 3).",
    )
    hurdle: NonNegative = Field(
        default=0.05, description="Gain, as a share of the deal's pay, worth moving a deal."
    )
    concession_per_week: Probability = Field(
        default=0.02,
        description="Share of the list price a buyer asks for each week a close is pulled in.",
    )
    cooling_per_week: Probability = Field(
        default=0.01,
        description="Chance a held deal cools and is lost, for each week it is held.",
    )
    ratchet_discount: Annotated[Probability, Field(lt=1.0)] = Field(
        default=1 / 3,
        description="What a year later is worth now, for a ratchet's higher quotas: every later "
        "year together weighs d / (1 - d) years of pay (0.5 at 1/3).",
    )


class Discounting(Frozen):
    """With discount ``authority``, reps cut the price when a period pays for the win.

    A discount ``d`` multiplies the closing stage's win odds by ``1 + win_elasticity * d``;
    the rep picks the ``d`` in ``steps`` even steps up to its authority with the most
    expected pay (a rep on no pay plan: the most expected ARR booked). A role's authority
    is ``by_role``'s, else ``authority``. (Churn rises with discount:
    ``customers.churn.discount_elasticity``.)
    """

    enabled: bool = True
    authority: Probability = Field(default=0.0, description="Largest discount a rep may give.")
    by_role: dict[Role, Probability] = Field(
        default_factory=dict,
        description="Largest discount a rep of the role may give, in place of authority.",
    )
    win_elasticity: Elasticity = 3.0
    steps: int = Field(default=4, ge=1, le=MAX_STEPS)

    @model_validator(mode="after")
    def _working_roles(self) -> Discounting:
        if Role.MANAGER in self.by_role:
            raise ValueError("by_role: managers close no deals; give the authority to a rep role")
        return self

    def authority_of(self, role: Role) -> float:
        """The largest discount a rep of ``role`` may give (0 when discounting is off)."""
        if not self.enabled:
            return 0.0
        return self.by_role.get(role, self.authority)


class TimeAllocation(Frozen):
    """AEs split time between new logos and the accounts they won by the pay on each.

    ``care = low + (high - low) * w`` where ``w`` is the share of the AE's expected
    variable pay that the plan ties to those accounts (renewals, expansion). Care time
    comes out of selling time and adds to the accounts' attention.
    """

    enabled: bool = True
    low: Probability = Field(default=0.05, description="Care share with no pay on accounts.")
    high: Annotated[Probability, Field(lt=1.0)] = Field(
        default=0.4, description="Care share with all pay on accounts (some selling is left)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> TimeAllocation:
        if self.high < self.low:
            raise ValueError("high must be at least low")
        return self


class PayMorale(Frozen):
    """Morale from pay: contests, and fairness against peers and the market.

    ``pay_feeling = peer_weight * log(pay / role median) + market_weight *
    log(pay / market_pay)`` (each log clipped to +-1) joins the morale target.
    """

    enabled: bool = True
    peer_weight: NonNegative = 0.3
    market_weight: NonNegative = 0.2
    contest_win: NonNegative = Field(default=0.15, description="Morale a contest winner gains.")
    contest_loss: NonNegative = Field(default=0.03, description="Morale other entrants lose.")


class Behaviour(Frozen):
    """The rules by which reps respond to incentives (see docs/compensation.md)."""

    enabled: bool = Field(default=True, description="Off: reps ignore their pay plan.")
    effort: Effort = Effort()
    timing: Timing = Timing()
    discounting: Discounting = Discounting()
    time_allocation: TimeAllocation = TimeAllocation()
    morale: PayMorale = PayMorale()
