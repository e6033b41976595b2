"""Common random numbers: the seed of replication ``r`` comes from the root seed and ``r``.

Every arm's replication ``r`` runs on the same seed, so every arm meets the same
exogenous draws. The store checks the seed of every row it reads against this rule.
"""

from __future__ import annotations

import numpy as np


def replication_seed(root: int, replication: int) -> int:
    """The seed of replication ``replication``: the same for every arm."""
    return int(np.random.SeedSequence([root, replication]).generate_state(1)[0])
