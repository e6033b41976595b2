"""What a contest is worth to each entrant before it pays: the prize it can expect, and the pull.

Each entrant's final credit in the window is forecast as normal (``mean``, ``sd``), the
entrants independent. Given an entrant's own final credit ``x``, each rival is ahead with
chance ``Phi((mean_j - x) / sd_j)``, independently, so the number ahead follows a
Poisson-binomial law; averaging over ``x`` by Gauss-Hermite quadrature (``NODES`` points)
gives the chance of each place (O(nodes x n x places) per entrant). The
*pull* of a contest on an entrant is how much its expected prize grows if it sells more
over the rest of the window: nothing for one far out of reach of any prize, most for one
near the line, and spread over more entrants when more places pay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

MIN_SD = 1e-9  # credit: a forecast this certain is taken as known
NODES = 24  # Gauss-Hermite points over an entrant's own final credit
_POINTS, _WEIGHTS = np.polynomial.hermite_e.hermegauss(NODES)
QUADRATURE = tuple(zip(_POINTS.tolist(), (_WEIGHTS / _WEIGHTS.sum()).tolist(), strict=True))


class Entrant(NamedTuple):
    """An entrant's forecast of its final credit in the window, and what more effort adds."""

    mean: float
    sd: float
    more: float  # credit a 100% rise in output adds over the rest of the window


def _ahead(rival: Entrant, x: float) -> float:
    """The chance that ``rival`` ends ahead of a final credit ``x``."""
    if rival.sd < MIN_SD:
        return 1.0 if rival.mean > x else 0.0
    return 0.5 * math.erfc(-(rival.mean - x) / (rival.sd * math.sqrt(2)))


def expected_prize(me: Entrant, rivals: Sequence[Entrant], awards: Sequence[float]) -> float:
    """The prize ``me`` can expect: each place's prize times the chance of finishing there."""
    places = len(awards)
    if places == 0 or me.mean <= 0:
        return 0.0
    nodes = QUADRATURE if me.sd >= MIN_SD else ((0.0, 1.0),)
    value = 0.0
    for z, weight in nodes:
        x = me.mean + me.sd * z
        if x <= 0:
            continue  # no credit, no prize
        ahead = [1.0] + [0.0] * (places - 1)  # chance that exactly k rivals end ahead
        for rival in rivals:
            p = _ahead(rival, x)
            for k in range(places - 1, 0, -1):
                ahead[k] = ahead[k] * (1 - p) + ahead[k - 1] * p
            ahead[0] *= 1 - p
        value += weight * sum(prize * ahead[k] for k, prize in enumerate(awards))
    return value


def contest_pull(entrants: Sequence[Entrant], awards: Sequence[float]) -> list[float]:
    """Each entrant's gain in expected prize from a 100% rise in its output, in money.

    Measured as the gain from a 10% rise, times ten: the slope, not the jump of a leap.
    """
    pulls = []
    for index, me in enumerate(entrants):
        rivals = [e for j, e in enumerate(entrants) if j != index]
        now = expected_prize(me, rivals, awards)
        more = expected_prize(me._replace(mean=me.mean + 0.1 * me.more), rivals, awards)
        pulls.append(max(0.0, more - now) * 10)
    return pulls
