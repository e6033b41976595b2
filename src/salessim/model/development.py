"""How a rep's skill and morale move from month to month.

Skill is latent ability times experience times the coaching uplift, scaled by the ramp::

    skill = ability * experience * (1 + uplift) * (skill_floor + (1 - skill_floor) * p)

A new hire's productivity ``p`` follows the role's ramp, read at its days on the team
plus the days of ramp coaching gained: each coached month adds
``ramp_speedup * (1 - exp(-h / saturation)) * days`` (``ramp_boost``).

Each month, with ``practice`` the rep's utilisation against ``full_practice`` and ``h``
the hours coached::

    experience += rate * practice * (1 - experience)
                  - forgetting * (1 - practice) * (1 - min(1, h / saturation)) * experience
    target = max_uplift[tier] * (1 - exp(-h / saturation))
    uplift += adapt * (target - uplift)    if target > uplift
    uplift -= fade * uplift                 otherwise

Morale moves a share ``reversion`` toward a target set by attainment and attention,
then takes shocks (recognition, teammates leaving, a performance plan); it stays on
[-1, 1].
"""

from __future__ import annotations

import math

from salessim.model.entities import Rep
from salessim.scenario.people import Morale, Ramp, Tier, Workforce

MIN_PRODUCTIVITY = 0.05  # a rep on the team always does a trickle of work
FULL_PRACTICE = 0.3  # utilisation at which a rep gets a full month's practice


def tier_of(ability: float, cuts: tuple[float, float]) -> Tier:
    """The tier of a rep of ``ability`` given the role's laggard and star cut-offs."""
    low, high = cuts
    if ability >= high:
        return Tier.STAR
    if ability <= low:
        return Tier.LAGGARD
    return Tier.CORE


class Growth:
    """A rep's latent ability, experience, coaching uplift and coached ramp (one a rep)."""

    __slots__ = ("ability", "experience", "ramp_bonus", "uplift")

    def __init__(self, ability: float, experience: float = 1.0) -> None:
        self.ability = ability
        self.experience = experience
        self.uplift = 0.0
        self.ramp_bonus = 0.0  # days of ramp gained by coaching, on top of days on the team

    def __repr__(self) -> str:
        return f"Growth({self.ability:.3f}, {self.experience:.3f}, uplift={self.uplift:.3f})"


def refresh_skill(rep: Rep, growth: Growth, ramp: Ramp, skill_elasticity: float) -> None:
    """Recompute the rep's ``skill`` and ``skill_odds`` from its growth and ramp."""
    p = rep.productivity
    rep.skill = (
        growth.ability
        * growth.experience
        * (1 + growth.uplift)
        * (ramp.skill_floor + (1 - ramp.skill_floor) * p)
    )
    rep.skill_odds = rep.skill**skill_elasticity


def develop(
    growth: Growth, tier: Tier, utilisation: float, coached_hours: float, workforce: Workforce
) -> None:
    """One month of learning, forgetting and coaching for a rep of ``tier``."""
    learning, coaching = workforce.learning, workforce.coaching
    practice = min(1.0, utilisation / FULL_PRACTICE)
    coached = min(1.0, coached_hours / coaching.saturation_hours)
    e = growth.experience
    e += learning.rate * practice * (1 - e)
    e -= learning.forgetting * (1 - practice) * (1 - coached) * e
    growth.experience = min(1.0, max(0.0, e))
    target = coaching.max_uplift.of(tier) * (
        1 - math.exp(-coached_hours / coaching.saturation_hours)
    )
    if target > growth.uplift:
        growth.uplift += coaching.adapt * (target - growth.uplift)
    else:
        growth.uplift -= coaching.fade * growth.uplift


def ramp_boost(coached_hours: float, workforce: Workforce) -> float:
    """Extra days of ramp a day on the team gains from ``coached_hours`` a month."""
    coaching = workforce.coaching
    return coaching.ramp_speedup * (1 - math.exp(-coached_hours / coaching.saturation_hours))


def morale_target(
    attainment: float | None, attention_hours: float, spec: Morale, ref: float
) -> float:
    """Where morale heads: above zero for reps on target with a manager's attention."""
    target = 0.0
    if attainment is not None:
        target += spec.attainment_weight * (min(2.0, max(0.0, attainment)) - 1)
    target += spec.attention_weight * math.log(max(attention_hours, 0.25 * ref) / ref)
    return clip_morale(target)


def clip_morale(value: float) -> float:
    """Morale stays on [-1, 1]."""
    return min(1.0, max(-1.0, value))
