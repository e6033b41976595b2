"""Sorting: what a rep's ability earns elsewhere, and whether a candidate takes the job.

Better reps get better offers: a rep of latent ability ``a`` (its role's mean ``m``)
can earn what the market's usual plan would pay it,

    outside = market_pay * (1 - market_mix + market_mix * a / m)

A candidate accepts an offer worth ``pay`` to it with chance ``min(1, (pay / outside)
** acceptance_elasticity)``, and the quit hazard weighs pay against the same outside
option, so strong pay for performance draws and keeps stronger reps (Lazear 2000).
"""

from __future__ import annotations

from salessim.scenario.limits import MIN_PAY
from salessim.scenario.roles import RoleSpec


def relative_ability(ability: float, spec: RoleSpec) -> float:
    """A rep's latent ability over its role's mean ability (1 for a typical rep)."""
    mean = spec.skill.mean
    return ability / mean if mean > 0 else 1.0


def outside_option(spec: RoleSpec, ability: float) -> float:
    """What a rep of ``ability`` can earn a year elsewhere in the role."""
    mix = spec.market_mix
    return spec.market_pay * (1 - mix + mix * relative_ability(ability, spec))


def acceptance_chance(pay: float, outside: float, elasticity: float) -> float:
    """The chance a candidate takes a job worth ``pay`` a year against its ``outside`` option."""
    ratio = max(pay, MIN_PAY) / outside if outside > 0 else 1.0
    return 1.0 if ratio >= 1.0 else ratio**elasticity
