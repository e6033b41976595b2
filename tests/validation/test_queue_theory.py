"""Theory: salessim reduced to textbook queues reproduces their exact steady-state values.

Each scenario in ``scenarios/queue/`` configures the funnel so it *is* one of the
analytic reference's models (Poisson arrivals, exponential work, reps working in real
time, first come first served, fixed routing, no behaviour). Every configuration runs
``REPLICATIONS`` independent seeds in parallel, each measuring ``ARRIVALS`` external
arrivals after the file's warm-up, and every metric's replication mean must lie within
``max(4 standard errors, 1% of the analytic value)`` of the analytic value (see
``support.agreement``). Times are compared in hours, as the reference gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from salessim.metrics.record import RoleQueue
from salessim.run import simulate
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_YEAR, HOURS_PER_DAY

from .support import SCENARIOS, agreement

REPLICATIONS = 12
ARRIVALS = 80_000
"""External arrivals measured per replication (Jackson visits are about 1.7 times more)."""

MMC = ("P_wait", "Wq", "W", "Lq", "L", "utilisation", "throughput")
ERLANG_A = (
    "P_wait",
    "P_abandon",
    "Wq_all",
    "Wq_served",
    "Wq_abandoned",
    "Lq",
    "L",
    "utilisation",
    "throughput_served",
    "W_all",
)
STATION = ("lambda", "P_wait", "Wq", "W", "Lq", "L", "utilisation", "exit_prob")
JACKSON_STATIONS = {"SDR": "sdr", "AE": "ae", "specialist": "specialist"}
NETWORK = ("network_L", "network_sojourn", "network_throughput")

MMC_CONFIGS = ("mmc_l9_m1_c10", "mmc_l4_m1_c5", "mmc_l5_m1_c10", "mm1_l0.7_m1")
ERLANG_A_CONFIGS = ("erlangA_l9_m1_c10_t0.5", "erlangA_l12_m1_c10_t1")
JACKSON_CONFIG = "jackson_funnel3"
EXIT_STATUS = {"SDR": "disqualified", "AE": "lost", "specialist": "won"}


# ----------------------------------------------------------------------------- measuring
def _station(queue: RoleQueue, days: float) -> dict[str, float]:
    """Per-visit queue statistics of one team, times in hours, rates per hour."""
    left_queue = queue.started + queue.gone_cold
    work_days_per_visit = queue.busy_area / queue.started
    return {
        "lambda": queue.started / (days * HOURS_PER_DAY),
        "P_wait": (queue.waited + queue.gone_cold) / left_queue,
        "Wq": queue.wait_days_sum / queue.started * HOURS_PER_DAY,
        "W": (queue.wait_days_sum / queue.started + work_days_per_visit) * HOURS_PER_DAY,
        "Lq": queue.waiting_area / days,
        "L": (queue.waiting_area + queue.busy_area) / days,
        "utilisation": queue.busy_area / (queue.headcount * days),
    }


def measure(kind: str, scenario: Scenario, seed: int, years: float) -> dict[str, float]:
    """Run one replication and return its estimate of every reference metric."""
    result = simulate(scenario, seed, years=years)
    record, kpis = result.record, result.kpis
    days = record.measured_days
    hours = days * HOURS_PER_DAY
    sojourn_hours = kpis["lead_days_in_funnel_mean"] * HOURS_PER_DAY
    if kind == "jackson":
        out: dict[str, float] = {}
        closed = sum(record.closed_by_status.values())
        for name, role in JACKSON_STATIONS.items():
            stats = _station(record.queues[role], days)
            stats["exit_prob"] = record.closed_by_status.get(EXIT_STATUS[name], 0) / closed
            out.update({f"{name}.{key}": value for key, value in stats.items()})
        out["network_L"] = kpis["open_leads_mean"]
        out["network_sojourn"] = sojourn_hours
        out["network_throughput"] = closed / hours
        return out
    queue = record.queues["sdr"]
    stats = _station(queue, days)
    if kind == "mmc":
        return {
            "P_wait": stats["P_wait"],
            "Wq": stats["Wq"],
            "W": sojourn_hours,
            "Lq": stats["Lq"],
            "L": stats["L"],
            "utilisation": stats["utilisation"],
            "throughput": stats["lambda"],
        }
    left_queue = queue.started + queue.gone_cold
    return {
        "P_wait": stats["P_wait"],
        "P_abandon": queue.gone_cold / left_queue,
        "Wq_all": (queue.wait_days_sum + queue.cold_wait_days_sum) / left_queue * HOURS_PER_DAY,
        "Wq_served": stats["Wq"],
        "Wq_abandoned": queue.cold_wait_days_sum / queue.gone_cold * HOURS_PER_DAY,
        "Lq": stats["Lq"],
        "L": stats["L"],
        "utilisation": stats["utilisation"],
        "throughput_served": stats["lambda"],
        "W_all": sojourn_hours,
    }


def _replicate(job: tuple[str, Scenario, int, float]) -> dict[str, float]:
    return measure(*job)


def _analytic_value(values: dict[str, Any], metric: str) -> float:
    """The reference value of ``metric``; ``Station.key`` names a Jackson station's value."""
    if "." in metric:
        station, key = metric.split(".", 1)
        return float(values["stations"][list(JACKSON_STATIONS).index(station)][key])
    return float(values[metric])


# ----------------------------------------------------------------------------- replications
@pytest.fixture(scope="module")
def replications(
    pool: ProcessPoolExecutor, load: Callable[[str | Path], Scenario]
) -> Callable[[str], list[dict[str, float]]]:
    """Measurements of every replication of a configuration, run once, in parallel."""
    cache: dict[str, list[dict[str, float]]] = {}

    def get(name: str) -> list[dict[str, float]]:
        if name not in cache:
            scenario = load(SCENARIOS / "queue" / f"{name}.yaml")
            kind = (
                "jackson"
                if name == JACKSON_CONFIG
                else ("erlang_a" if name in ERLANG_A_CONFIGS else "mmc")
            )
            per_day = sum(s.inbound.rate for s in scenario.market.segments.values())
            years = ARRIVALS / per_day / DAYS_PER_YEAR
            jobs = [(kind, scenario, seed, years) for seed in range(REPLICATIONS)]
            cache[name] = list(pool.map(_replicate, jobs))
        return cache[name]

    return get


def _check(
    config: str,
    metric: str,
    replications: Callable[[str], list[dict[str, float]]],
    analytic: dict[str, dict[str, Any]],
) -> None:
    values = [rep[metric] for rep in replications(config)]
    result = agreement(f"{config} {metric}", values, _analytic_value(analytic[config], metric))
    assert result.ok, str(result)


# ----------------------------------------------------------------------------- tests
@pytest.mark.slow
@pytest.mark.parametrize("metric", MMC)
@pytest.mark.parametrize("config", MMC_CONFIGS)
def test_mmc_matches_erlang_c(config, metric, replications, analytic):
    """One SDR stage is an M/M/c queue: its statistics match Erlang C at loads 0.5 to 0.9.

    P_wait is the share of started leads that waited at all, Wq their mean wait, W the
    mean time from a lead's creation to its close (measured end to end, not Wq + 1 h),
    Lq and L time averages of the queue and of queue plus reps at work, utilisation the
    busy time over headcount times the measured time, throughput service starts per
    hour. Tolerance: max(4 standard errors over 12 replications, 1% of the analytic
    value); see ``support.SE_MULTIPLIER`` and ``support.RELATIVE_FLOOR``.
    """
    _check(config, metric, replications, analytic)


@pytest.mark.slow
@pytest.mark.parametrize("metric", ERLANG_A)
@pytest.mark.parametrize("config", ERLANG_A_CONFIGS)
def test_going_cold_matches_erlang_a(config, metric, replications, analytic):
    """Leads going cold after an exponential patience make the queue Erlang A (M/M/c+M).

    At load 0.9 and in overload (1.2): P_wait counts leads that waited, whether then
    served or gone cold; P_abandon is the share of leads leaving the queue that went
    cold; Wq_served and Wq_abandoned are the mean waits of each group and Wq_all of
    both; throughput_served is service starts per hour; W_all the mean time from
    creation to close of every lead. Tolerance: max(4 standard errors over 12
    replications, 1% of the analytic value).
    """
    _check(config, metric, replications, analytic)


@pytest.mark.slow
@pytest.mark.parametrize(
    "metric",
    [f"{station}.{key}" for station in JACKSON_STATIONS for key in STATION] + list(NETWORK),
)
def test_funnel_matches_jackson_network(metric, replications, analytic):
    """A three-team funnel with feedback is an open Jackson network (product form).

    Per team: visit rate (lambda, service starts per hour, repeat visits included),
    P_wait, Wq, W (Wq plus the measured mean work per visit), Lq, L, utilisation and the
    share of leads that leave the funnel from that team (disqualified after the SDRs,
    lost after the AEs, won after the specialists). End to end: the time-average number
    of open leads (network_L), the mean time from creation to close (network_sojourn) and
    leads closed per hour. Tolerance: max(4 standard errors over 12 replications, 1% of
    the analytic value).
    """
    _check(JACKSON_CONFIG, metric, replications, analytic)


def _compare(ours: object, theirs: object, where: str) -> list[str]:
    if isinstance(ours, dict):
        return [p for key in ours for p in _compare(ours[key], theirs[key], f"{where}.{key}")]
    if isinstance(ours, list):
        return [
            p
            for i, (a, b) in enumerate(zip(ours, theirs, strict=True))
            for p in _compare(a, b, f"{where}.{i}")
        ]
    return (
        []
        if abs(ours - theirs) <= 1e-9 * max(1.0, abs(theirs))
        else [f"{where}: {ours} != {theirs}"]
    )


def test_our_analytic_values_match_the_shared_reference():
    """The formulas in analytic.py reproduce the shared reference's values, key by key."""
    from .analytic import CONFIGS
    from .conftest import shared_reference

    reference = shared_reference()
    assert set(reference) == set(CONFIGS)
    mismatches = [
        p for name, ours in CONFIGS.items() for p in _compare(ours, reference[name], name)
    ]
    assert not mismatches, "\n".join(mismatches)
