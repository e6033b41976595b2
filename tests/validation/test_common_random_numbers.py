"""Common random numbers shrink the variance of a difference (issue: experiments)."""

from __future__ import annotations

import statistics
from concurrent.futures import ProcessPoolExecutor

import pytest

from salessim.experiments.runner import Arm, Design, run
from salessim.scenario.load import apply_overrides

from .support import SCENARIOS

pytestmark = pytest.mark.slow
REPLICATIONS = 20


@pytest.fixture(scope="module")
def differences(pool: ProcessPoolExecutor, load) -> dict[str, list[float]]:
    """New ARR of the baseline with 22 AEs minus with 20, half a year, paired or not."""
    baseline = load(SCENARIOS / "baseline.yaml")
    more = apply_overrides(baseline, {"roles.ae.headcount": 22})
    metrics = ["bookings_new_arr"]
    paired = run(
        Design([Arm("more", more), Arm("base", baseline)], REPLICATIONS, 11, 0.5, metrics),
        executor=pool,
    ).metric("bookings_new_arr")
    # Independent seeds: the second arm from another root seed.
    other = run(Design([Arm("base", baseline)], REPLICATIONS, 12, 0.5, metrics), executor=pool)
    independent = other.metric("bookings_new_arr")["base"]
    return {
        "crn": [a - b for a, b in zip(paired["more"], paired["base"], strict=True)],
        "independent": [a - b for a, b in zip(paired["more"], independent, strict=True)],
    }


def test_common_random_numbers_shrink_the_variance_of_a_difference(differences):
    """Shared seeds at least halve the variance of the difference (about 0.3 measured).

    An F ratio of 0.5 with 19 and 19 degrees of freedom is below its 7% quantile, so
    equal variances would rarely pass.
    """
    crn = statistics.variance(differences["crn"])
    independent = statistics.variance(differences["independent"])
    assert crn <= 0.5 * independent, (crn, independent)
