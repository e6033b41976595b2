"""Exact steady-state values of the textbook queues salessim reduces to (times in hours).

Written from the formulas, independently of the model; a test checks these functions
reproduce the shared analytic reference, whose values ``analytic_reference.json`` ships.
"""

from __future__ import annotations

import numpy as np


def erlang_c(lam: float, mu: float, c: int) -> dict[str, float]:
    """M/M/c: waiting chance by the Erlang B recursion, then the Erlang C measures."""
    a = lam / mu
    if a >= c:
        raise ValueError("unstable queue: lam >= c * mu")
    blocking = 1.0
    for k in range(1, c + 1):
        blocking = a * blocking / (k + a * blocking)
    p_wait = c * blocking / (c - a * (1 - blocking))
    wq = p_wait / (c * mu - lam)
    return {
        "P_wait": p_wait,
        "Wq": wq,
        "W": wq + 1 / mu,
        "Lq": lam * wq,
        "L": lam * wq + a,
        "utilisation": a / c,
        "throughput": lam,
    }


def erlang_a(lam: float, mu: float, c: int, theta: float, tol: float = 1e-16) -> dict[str, float]:
    """M/M/c+M (abandonment while waiting at rate theta), from the birth-death chain."""
    weights = [1.0]
    n = 0
    while n <= c or weights[-1] > tol * sum(weights):
        n += 1
        weights.append(weights[-1] * lam / (min(n, c) * mu + max(n - c, 0) * theta))
    pi = np.array(weights) / sum(weights)
    states = np.arange(len(pi))
    waiting = np.maximum(states - c, 0)
    lq = float(waiting @ pi)
    p_abandon = theta * lq / lam
    # A FIFO arrival finding m waiting ahead leaves stage m at rate c*mu + m*theta (someone
    # ahead leaves) or abandons itself at rate theta; chain the stages down to service.
    served_wait = served_prob = 0.0
    for k in range(c, len(pi)):
        survive, elapsed = 1.0, 0.0
        for m in range(k - c, -1, -1):
            rate = c * mu + m * theta
            elapsed += 1 / (rate + theta)
            survive *= rate / (rate + theta)
        served_prob += pi[k] * survive
        served_wait += pi[k] * survive * elapsed
    wq_all = lq / lam
    return {
        "P_wait": float(pi[c:].sum()),
        "P_abandon": p_abandon,
        "Wq_all": wq_all,
        "Wq_served": served_wait / (1 - p_abandon),
        "Wq_abandoned": (wq_all - served_wait) / p_abandon,
        "Lq": lq,
        "L": float(states @ pi),
        "utilisation": float(np.minimum(states, c) @ pi) / c,
        "throughput_served": lam * (1 - p_abandon),
        "W_all": wq_all + (1 - p_abandon) / mu,
    }


def jackson(
    external: list[float], mu: list[float], c: list[int], routing: list[list[float]]
) -> dict[str, object]:
    """Open Jackson network: solve the traffic equations, each station an M/M/c."""
    p = np.array(routing)
    rates = np.linalg.solve(np.eye(len(external)) - p.T, np.array(external))
    total = sum(external)
    stations = []
    for i, rate in enumerate(rates):
        station = erlang_c(float(rate), mu[i], c[i])
        station["lambda"] = float(rate)
        station["exit_prob"] = float(rate * (1 - p[i].sum()) / total)
        stations.append(station)
    network_l = sum(s["L"] for s in stations)
    return {
        "stations": stations,
        "network_L": network_l,
        "network_sojourn": network_l / total,
        "network_throughput": total,
    }


CONFIGS: dict[str, dict[str, object]] = {
    "mmc_l9_m1_c10": erlang_c(9.0, 1.0, 10),
    "mmc_l4_m1_c5": erlang_c(4.0, 1.0, 5),
    "mmc_l5_m1_c10": erlang_c(5.0, 1.0, 10),
    "mm1_l0.7_m1": erlang_c(0.7, 1.0, 1),
    "erlangA_l9_m1_c10_t0.5": erlang_a(9.0, 1.0, 10, 0.5),
    "erlangA_l12_m1_c10_t1": erlang_a(12.0, 1.0, 10, 1.0),
    "jackson_funnel3": jackson(
        [9.0, 0.0, 0.0],
        [1.0, 0.5, 0.8],
        [11, 10, 3],
        [[0.0, 0.4, 0.0], [0.1, 0.0, 0.5], [0.0, 0.2, 0.0]],
    ),
}
