"""Funnel laws: Little's law, binomial conversions, and metamorphic relations of the funnel.

Where the full model has no closed form, these check laws that hold for any correct
funnel (Little's law on a sample path, binomial stage outcomes) and relations between
runs that share seeds (common random numbers): more capacity, shorter waits; more skill,
more conversions; a different routing policy, the same M/M/c queue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from salessim.run import simulate
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_YEAR

from .support import SCENARIOS, agreement, binomial_interval, paired_ci

SEEDS = range(30)
"""Paired seeds for metamorphic comparisons (the project's convention: at least 30)."""

NO_OTHER_ROLES = {
    "specialist": {"headcount": 0},
    "csm": {"headcount": 0},
    "manager": {"headcount": 0},
}
REAL_TIME = {"hours_per_week": 168, "selling_share": 1, "prospecting_share": 0}


def _kpis(job: tuple[Scenario, int, float]) -> dict[str, float]:
    scenario, seed, years = job
    return simulate(scenario, seed, years=years).kpis


def _baseline(load: Callable[[str | Path], Scenario]) -> Scenario:
    """The shipped baseline scenario if it exists, else the schema's defaults."""
    path = SCENARIOS / "baseline.yaml"
    return load(path) if path.exists() else Scenario()


def one_stage(
    convert: float,
    *,
    skill: Any = None,
    elasticity: Mapping[str, float] | None = None,
    rate: str = "9/h",
    horizon: str = "30d",
) -> Scenario:
    """Leads through one SDR stage that converts (to won) with a fixed probability."""
    sdr: dict[str, Any] = {"headcount": 10, **REAL_TIME}
    if skill is not None:
        sdr["skill"] = skill
    return Scenario.model_validate(
        {
            "calendar": {"horizon": horizon},
            "market": {"segments": {"all": {"inbound": {"rate": rate}}}},
            "customers": {"referrals_per_account_per_year": 0},
            "funnel": {
                "conversion": dict(elasticity or {"skill_elasticity": 0, "fit_elasticity": 0}),
                "stages": [
                    {
                        "name": "qualification",
                        "role": "sdr",
                        "work": {"exponential": {"mean": "1h"}},
                        "convert": convert,
                        "on_fail": "disqualified",
                    }
                ],
            },
            "roles": {"sdr": sdr, "ae": {"headcount": 0}, **NO_OTHER_ROLES},
            "workforce": {"enabled": False},
        }
    )


# ----------------------------------------------------------------------------- Little's law
@pytest.mark.slow
def test_littles_law_holds_on_the_open_pipeline(pool, load, with_overrides):
    """Time-average open leads L equals arrival rate times mean time in the funnel (L = λW).

    The full model (the shipped baseline, or the defaults), run from empty for ten years
    with four seeds. Little's law holds exactly on a sample path except at the boundary:
    starting empty, ``L * T = N_closed * W + (total age of the leads still open at the
    end)``, so ``L - λW = N_open * (mean age of open leads - W) / T``. The open leads at
    the end are about 0.3% of all leads and skewed to long deals (mean age about two to
    three times W), which puts the bias near 0.5% after ten years (2% after three).
    Tolerance: 2% of L per replication. The exact part is checked too: with no leads
    before the start, ``L * T >= N_closed * W`` (the open leads' ages are non-negative).
    """
    scenario = with_overrides(_baseline(load), {"calendar.warmup": 0})
    years = 10.0
    runs = list(pool.map(_kpis, [(scenario, seed, years) for seed in range(4)]))
    for seed, k in enumerate(runs):
        big_l, lam = k["open_leads_mean"], k["lead_arrival_rate_per_day"]
        w = k["lead_days_in_funnel_mean"]
        assert abs(big_l - lam * w) <= 0.02 * big_l, (
            f"seed {seed}: L = {big_l:.4g} but λW = {lam:.4g} * {w:.4g} = {lam * w:.4g}"
        )
        closed_days = w * (k["leads_created"] - k["leads_open_end"])
        assert big_l * k["measured_days"] >= closed_days * (1 - 1e-9), f"seed {seed}"


# ----------------------------------------------------------------------------- conversions
@pytest.mark.parametrize("convert", [0.0, 0.02, 0.35, 0.6, 0.97, 1.0])
def test_stage_conversions_are_binomial(convert):
    """With skill and fit switched off, a stage converts each lead independently with p.

    Over n leads the converted count is Binomial(n, p); it must lie in the central
    interval holding 99.9% of that distribution (exact, from the probability mass
    function), so a correct model fails one p in a thousand. p = 0 and 1 are exact.
    """
    record = simulate(one_stage(convert), seed=7).record
    n, converted = record.stage_done[0], record.stage_converted[0]
    lo, hi = binomial_interval(n, convert)
    assert n > 5000
    assert lo <= converted <= hi, f"{converted} of {n} at p = {convert}: outside [{lo}, {hi}]"
    assert record.closed_by_status.get("won", 0) == converted


def test_each_stage_of_a_funnel_converts_binomially():
    """In a three-stage funnel each stage's conversions are Binomial(its trials, its p).

    SDR 0.35, AE 0.6, specialist 0.85 with skill and fit switched off; every count must
    lie in its 99.9% central binomial interval, and a stage's trials cannot exceed the
    conversions of the stage before it.
    """
    probabilities = (0.35, 0.6, 0.85)
    stages = [
        {"name": name, "role": role, "work": {"exponential": {"mean": "1h"}}, "convert": p}
        for name, role, p in zip(
            ("qualification", "discovery", "technical_validation"),
            ("sdr", "ae", "specialist"),
            probabilities,
            strict=True,
        )
    ]
    scenario = Scenario.model_validate(
        {
            "calendar": {"horizon": "60d"},
            "market": {"segments": {"all": {"inbound": {"rate": "9/h"}}}},
            "customers": {"referrals_per_account_per_year": 0},
            "funnel": {
                "conversion": {"skill_elasticity": 0, "fit_elasticity": 0},
                "stages": stages,
            },
            "roles": {
                "sdr": {"headcount": 12, **REAL_TIME},
                "ae": {"headcount": 6, **REAL_TIME},
                "specialist": {"headcount": 4, **REAL_TIME},
                "csm": {"headcount": 0},
                "manager": {"headcount": 0},
            },
            "policies": {"deal_ownership": "pooled"},
            "workforce": {"enabled": False},
        }
    )
    record = simulate(scenario, seed=11).record
    for i, p in enumerate(probabilities):
        n, converted = record.stage_done[i], record.stage_converted[i]
        lo, hi = binomial_interval(n, p)
        assert lo <= converted <= hi, f"stage {i}: {converted} of {n} at p = {p}"
        if i:
            assert n <= record.stage_converted[i - 1]


def test_more_skilled_reps_convert_more():
    """Scaling every SDR's skill by 1.5 raises conversions, seed by seed (metamorphic).

    Default elasticities (conversion odds scale with skill). Lognormal skills with the
    same cv and 1.5 times the mean are exactly 1.5 times larger draw for draw, and the
    arrivals, work and outcome draws are shared, so under common random numbers every
    lead's chance rises: converted counts can only go up in each of 30 seeds, and the
    95% CI of the paired difference in conversion rate must lie above zero.
    """
    elasticity = {"skill_elasticity": 1, "fit_elasticity": 1}
    arms = {
        mean: one_stage(
            0.35,
            skill={"lognormal": {"mean": mean, "cv": 0.25}},
            elasticity=elasticity,
            horizon="10d",
        )
        for mean in (1.0, 1.5)
    }
    rates: dict[float, list[float]] = {mean: [] for mean in arms}
    for seed in SEEDS:
        counts = {}
        for mean, scenario in arms.items():
            record = simulate(scenario, seed).record
            counts[mean] = record.stage_converted[0]
            rates[mean].append(record.stage_converted[0] / record.stage_done[0])
        assert counts[1.5] >= counts[1.0], f"seed {seed}: {counts}"
    lo, _hi = paired_ci(rates[1.5], rates[1.0])
    assert lo > 0, f"paired 95% CI of the conversion gain starts at {lo:.4f}"


def test_skill_does_not_convert_when_its_elasticity_is_zero():
    """Control for the skill test: with skill_elasticity 0, scaling skill changes nothing."""
    elasticity = {"skill_elasticity": 0, "fit_elasticity": 1}
    counts = [
        simulate(
            one_stage(
                0.35,
                skill={"lognormal": {"mean": mean, "cv": 0.25}},
                elasticity=elasticity,
                horizon="10d",
            ),
            3,
        ).record.stage_converted[0]
        for mean in (1.0, 1.5)
    ]
    assert counts[0] == counts[1]


# ----------------------------------------------------------------------------- capacity
@pytest.fixture(scope="module")
def capacity_arms(pool, load, with_overrides) -> dict[str, list[dict[str, float]]]:
    """The baseline, with fewer AEs, and with fewer SDRs: half a year, 30 paired seeds each."""
    base = with_overrides(_baseline(load), {"calendar.warmup": 0})
    ae, sdr = base.roles.ae.headcount, base.roles.sdr.headcount
    arms = {
        "base": base,
        "fewer_ae": with_overrides(base, {"roles.ae.headcount": max(1, round(ae * 0.8))}),
        "fewer_sdr": with_overrides(base, {"roles.sdr.headcount": max(1, round(sdr * 0.75))}),
    }
    return {
        name: list(pool.map(_kpis, [(scenario, seed, 0.5) for seed in SEEDS]))
        for name, scenario in arms.items()
    }


@pytest.mark.slow
def test_more_aes_shorten_ae_waits(capacity_arms):
    """Adding AEs (baseline vs 20% fewer) shortens the mean AE wait (metamorphic).

    Same 30 seeds in both arms; the 95% CI of the paired difference (fewer minus more)
    in mean AE wait must lie above zero.
    """
    fewer = [k["mean_wait_days_ae"] for k in capacity_arms["fewer_ae"]]
    more = [k["mean_wait_days_ae"] for k in capacity_arms["base"]]
    lo, hi = paired_ci(fewer, more)
    assert lo > 0, f"paired 95% CI of (fewer - more AEs) wait: [{lo:.4g}, {hi:.4g}] days"


@pytest.mark.slow
def test_more_sdrs_let_fewer_leads_go_cold(capacity_arms):
    """Adding SDRs (baseline vs 25% fewer) lets fewer leads go cold waiting (metamorphic).

    Same 30 seeds in both arms; the 95% CI of the paired difference (fewer minus more
    SDRs) in leads gone cold must lie above zero.
    """
    fewer = [k["leads_gone_cold"] for k in capacity_arms["fewer_sdr"]]
    more = [k["leads_gone_cold"] for k in capacity_arms["base"]]
    lo, hi = paired_ci(fewer, more)
    assert lo > 0, f"paired 95% CI of (fewer - more SDRs) leads gone cold: [{lo:.4g}, {hi:.4g}]"


# ----------------------------------------------------------------------------- routing
ROUTING_REPLICATIONS = 10
ROUTING_ARRIVALS = 40_000


def pooled_ae_queue(routing: str) -> Scenario:
    """M/M/10 at load 0.9 served by a pooled AE team of identical reps (skill 1).

    Each deal then waits a day on the customer (the lag) while its AE owns it, so
    least-loaded routing sees different loads; the queue itself is the same M/M/c.
    """
    return Scenario.model_validate(
        {
            "calendar": {"horizon": "30d", "warmup": "8h"},
            "market": {"segments": {"all": {"inbound": {"rate": "9/h"}}}},
            "customers": {"referrals_per_account_per_year": 0},
            "funnel": {
                "conversion": {"skill_elasticity": 0, "fit_elasticity": 0},
                "stages": [
                    {
                        "name": "discovery",
                        "role": "ae",
                        "work": {"exponential": {"mean": "1h"}},
                        "lag": {"exponential": {"mean": "1d"}},
                        "convert": 0,
                    }
                ],
            },
            "roles": {
                "sdr": {"headcount": 0},
                "ae": {"headcount": 10, "skill": 1, **REAL_TIME},
                **NO_OTHER_ROLES,
            },
            "policies": {"deal_ownership": "pooled", "routing": {"ae": routing}},
            "workforce": {"enabled": False},
        }
    )


def _ae_queue(job: tuple[Scenario, int, float]) -> dict[str, float]:
    scenario, seed, years = job
    record = simulate(scenario, seed, years=years).record
    queue, days = record.queues["ae"], record.measured_days
    return {
        "P_wait": queue.waited / queue.started,
        "Wq": queue.wait_days_sum / queue.started * 24,
        "Lq": queue.waiting_area / days,
        "L": (queue.waiting_area + queue.busy_area) / days,
        "utilisation": queue.busy_area / (queue.headcount * days),
    }


@pytest.mark.slow
@pytest.mark.parametrize("routing", ["round_robin", "least_loaded", "skill_weighted"])
def test_routing_policies_leave_a_homogeneous_pool_mmc(routing, pool, analytic):
    """Which idle rep takes the next deal does not change an M/M/c queue of identical reps.

    Every routing policy on a pooled team of ten identical AEs (9 deals an hour, one
    hour of work) must give the Erlang C values of the ``mmc_l9_m1_c10`` reference:
    waiting chance, mean wait, queue length, number in system and utilisation. Tolerance
    as in the queue-theory tests: max(4 standard errors over 10 replications, 1%).
    """
    years = ROUTING_ARRIVALS / (9 * 24) / DAYS_PER_YEAR
    scenario = pooled_ae_queue(routing)
    runs = list(
        pool.map(_ae_queue, [(scenario, seed, years) for seed in range(ROUTING_REPLICATIONS)])
    )
    reference = analytic["mmc_l9_m1_c10"]
    failures = [
        str(result)
        for metric in runs[0]
        if not (
            result := agreement(f"{routing} {metric}", [r[metric] for r in runs], reference[metric])
        ).ok
    ]
    assert not failures, "; ".join(failures)
