"""Core performance figures of salessim, each a ratio to a baseline measured in the same run.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_core.py            # full run, a few minutes
    PYTHONPATH=src python benchmarks/bench_core.py --quick    # seconds; numbers are rougher
    PYTHONPATH=src python benchmarks/bench_core.py --json     # machine-readable
    PYTHONPATH=src python benchmarks/bench_core.py --check    # exit 1 if a target fails

Figures (``benchmarks/README.md`` explains each):

1. ``mmc_vs_simpy`` and ``mmc_vs_ciw``: leads per second through the M/M/10 scenario
   against a bare SimPy M/M/c and Ciw on the same queue and number of customers.
2. ``baseline_lead_cost``: wall time per lead of a year of the baseline organisation, in
   bare SimPy M/M/c customers.
3. ``memory_10y_vs_1y``: peak traced memory of a 10-year against a 1-year run of the
   baseline organisation with its customer book at its long-run size.
4. ``abandon_cost``: wall time per lead going cold with ~100,000 against ~1,000 waiting.
5. ``workforce_overhead``: wall time of a baseline year with the workforce and manager
   processes against the same scenario with them switched off.
6. ``pay_overhead``: wall time of a baseline year on the linear 50/50 pay plans (payroll,
   ledger and behaviour rules) against the baseline without plans.
7. ``scale_lead_cost``: wall time per lead of a year of the baseline organisation scaled
   ten times (inbound, headcount, managers, initial accounts) against the baseline's.

Timings are medians over repetitions (``time.perf_counter``); the implementations being
compared are interleaved within each repetition so that drift in machine load hits both.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import simpy
import yaml

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("salessim") is None:  # a checkout that is not installed
    sys.path.insert(0, str(ROOT / "src"))

from figures import Figure, Report, as_json, log, table, timed  # noqa: E402

from salessim.model.engine import Simulation  # noqa: E402
from salessim.model.events import LeadWentCold  # noqa: E402
from salessim.model.organisation import rep_speed  # noqa: E402
from salessim.run import simulate  # noqa: E402
from salessim.scenario.load import apply_overrides  # noqa: E402
from salessim.scenario.schema import Role, Scenario  # noqa: E402
from salessim.scenario.units import DAYS_PER_YEAR, HOURS_PER_DAY  # noqa: E402

MMC_PATH = ROOT / "scenarios" / "queue" / "mmc_l9_m1_c10.yaml"
BASELINE_PATH = ROOT / "scenarios" / "baseline.yaml"
PAY_PATH = ROOT / "scenarios" / "comp" / "linear_50_50.yaml"
SEED = 1
MIB = 1024 * 1024
SCALE = 10  # the bigger organisation of figure 7, in multiples of the baseline


@dataclass(frozen=True)
class Settings:
    """How big and how often: the full run or ``--quick``."""

    mmc_reps: int = 5
    mmc_horizon_share: float = 1.0  # of the M/M/c scenario's horizon
    lead_cost_reps: int = 7
    memory_years: tuple[float, float] = (1.0, 10.0)
    abandon_reps: int = 3
    abandon_waiting: tuple[int, int] = (1_000, 100_000)
    abandon_count: int = 100_000  # leads going cold per measured window
    warmup_patience_means: float = 3.0
    scale_reps: int = 7
    scale_years: float = 1.0


FULL = Settings()
QUICK = Settings(
    mmc_reps=3,
    mmc_horizon_share=0.1,
    lead_cost_reps=3,
    memory_years=(0.5, 5.0),
    abandon_reps=1,
    abandon_waiting=(1_000, 10_000),
    abandon_count=20_000,
    warmup_patience_means=2.0,
    scale_reps=3,
    scale_years=0.5,
)


# ----------------------------------------------------------------------------- scenarios
def load_file(path: Path) -> tuple[Scenario, str]:
    """A scenario file, through the project's loader when there is one."""
    try:
        from salessim.scenario.load import load_scenario
    except ImportError as error:
        how = f"Scenario.model_validate (salessim.scenario.load unavailable: {error})"
        return Scenario.model_validate(yaml.safe_load(path.read_text())), how
    return load_scenario(path), "salessim.scenario.load.load_scenario"


def baseline_scenario() -> tuple[Scenario, str]:
    """The shipped baseline, or the schema defaults when it is not there yet."""
    if not BASELINE_PATH.exists():
        return Scenario(), "scenarios/baseline.yaml not found: using schema defaults Scenario()"
    scenario, how = load_file(BASELINE_PATH)
    return scenario, f"scenarios/baseline.yaml via {how}"


def scaled_organisation(scenario: Scenario, factor: int) -> Scenario:
    """``scenario`` with an organisation ``factor`` times as big, doing the same per head.

    Multiplied: every segment's inbound rate, every role's headcount (managers included),
    the initial accounts and the headcounts of growth plans. Unchanged, being ratios:
    accounts per CSM, outbound leads per prospecting hour, referrals per account,
    recognition per team, quotas and pay per rep.
    """
    overrides: dict[str, object] = {
        f"market.segments.{name}.inbound.rate": segment.inbound.rate * factor
        for name, segment in scenario.market.segments.items()
    }
    for role in Role:
        overrides[f"roles.{role.value}.headcount"] = scenario.roles.of(role).headcount * factor
    overrides["customers.initial.accounts"] = scenario.customers.initial.accounts * factor
    growth = scenario.policies.staffing.growth
    if growth:
        overrides["policies.staffing.growth"] = {
            role: [{"at": step.at, "headcount": step.headcount * factor} for step in steps]
            for role, steps in growth.items()
        }
    return apply_overrides(scenario, overrides)


def abandonment_scenario(
    waiting: int, *, excess_per_hour: float = 100.0, servers: int = 10
) -> Scenario:
    """One SDR stage, overloaded by ``excess_per_hour``, holding about ``waiting`` leads.

    In an overloaded M/M/c+M queue the number waiting settles near
    (lambda - c * mu) / theta, so the mean patience is ``waiting / excess_per_hour`` hours.
    """
    patience_hours = waiting / excess_per_hour
    return Scenario.model_validate(
        {
            "meta": {"name": f"abandonment, ~{waiting} waiting"},
            "market": {
                "segments": {"all": {"inbound": {"rate": f"{servers * 1.0 + excess_per_hour}/h"}}}
            },
            "customers": {"referrals_per_account_per_year": 0},
            "funnel": {
                "conversion": {"skill_elasticity": 0, "fit_elasticity": 0},
                "stages": [
                    {
                        "name": "qualification",
                        "role": "sdr",
                        "work": {"exponential": {"mean": "1h"}},
                        "patience": {"exponential": {"mean": f"{patience_hours}h"}},
                        "convert": 0,
                        "on_fail": "disqualified",
                    }
                ],
            },
            "roles": {
                "sdr": {
                    "headcount": servers,
                    "hours_per_week": 168,
                    "selling_share": 1,
                    "prospecting_share": 0,
                },
                "ae": {"headcount": 0},
                "specialist": {"headcount": 0},
                "csm": {"headcount": 0},
                "manager": {"headcount": 0},
            },
        }
    )


# ----------------------------------------------------------------------------- reference queues
def bare_simpy_mmc(
    customers: int, arrival_rate: float, service_rate: float, servers: int, seed: int
) -> int:
    """A plain SimPy M/M/c: a ``Resource``, a process per customer; returns customers served."""
    rng = random.Random(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    served = 0

    def customer() -> Generator[simpy.Event, Any, None]:
        nonlocal served
        with desk.request() as request:
            yield request
            yield env.timeout(rng.expovariate(service_rate))
        served += 1

    def arrivals() -> Generator[simpy.Event, Any, None]:
        for _ in range(customers):
            yield env.timeout(rng.expovariate(arrival_rate))
            env.process(customer())

    env.process(arrivals())
    env.run()
    return served


def ciw_mmc(
    customers: int, arrival_rate: float, service_rate: float, servers: int, seed: int
) -> int:
    """Ciw on the same queue until ``customers`` have completed service."""
    import ciw

    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=arrival_rate)],
        service_distributions=[ciw.dists.Exponential(rate=service_rate)],
        number_of_servers=[servers],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_customers(customers, method="Complete")
    return len(sim.get_all_records())


def ciw_available() -> bool:
    try:
        import ciw  # noqa: F401
    except ImportError:
        return False
    return True


# ----------------------------------------------------------------------------- 1. M/M/c
def measure_mmc(settings: Settings, report: Report) -> float:
    """Figure 1, against bare SimPy and Ciw; returns median seconds per bare SimPy customer."""
    scenario, how = load_file(MMC_PATH)
    stage = scenario.funnel.stages[0]
    arrival_rate = sum(s.inbound.rate for s in scenario.market.segments.values())  # per day
    service_rate = 1 / stage.work.mean  # per day
    servers = scenario.roles.of(stage.role).headcount
    years = scenario.calendar.horizon * settings.mmc_horizon_share / DAYS_PER_YEAR

    def run_salessim() -> float:
        return simulate(scenario, SEED, years=years).kpis["leads_created"]

    customers = int(run_salessim())  # untimed warm-up; fixes the number of customers
    args = (customers, arrival_rate, service_rate, servers)
    runners: dict[str, Callable[[], Any]] = {
        "salessim": run_salessim,
        "simpy": lambda: bare_simpy_mmc(*args, SEED),
    }
    have_ciw = ciw_available()
    if have_ciw:
        runners["ciw"] = lambda: ciw_mmc(*args, SEED)
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for rep in range(settings.mmc_reps):
        names = list(runners)
        names = names[rep % len(names) :] + names[: rep % len(names)]
        for name in names:
            seconds, count = timed(runners[name])
            rates[name].append(count / seconds)
        log(
            f"  M/M/c rep {rep + 1}/{settings.mmc_reps}: "
            + ", ".join(f"{n} {rates[n][-1]:,.0f}/s" for n in runners)
        )
    median = {name: statistics.median(values) for name, values in rates.items()}
    report.figures.append(
        Figure(
            "mmc_vs_simpy",
            "M/M/10 leads/s vs bare SimPy",
            "per s",
            median["salessim"],
            median["simpy"],
            ">= 0.6",
            detail=f"{customers:,} customers, median of {settings.mmc_reps}",
        ).judge()
    )
    ciw_figure = Figure(
        "mmc_vs_ciw", "M/M/10 leads/s vs Ciw", "per s", median["salessim"], median.get("ciw"), "> 1"
    )
    if have_ciw:
        ciw_figure.detail = f"{customers:,} customers, median of {settings.mmc_reps}"
        ciw_figure.judge()
    else:
        ciw_figure.status, ciw_figure.detail = "SKIP", "ciw not installed"
    report.figures.append(ciw_figure)
    report.notes.append(
        f"M/M/c: {MMC_PATH.relative_to(ROOT)} via {how}; "
        f"lambda={arrival_rate / HOURS_PER_DAY:g}/h, mu={service_rate / HOURS_PER_DAY:g}/h, "
        f"c={servers}, {customers:,} customers" + ("" if have_ciw else "; ciw not installed")
    )
    return 1 / median["simpy"]


# ----------------------------------------------------------------------------- 2. lead cost
def measure_lead_cost(settings: Settings, report: Report, seconds_per_customer: float) -> None:
    """Figure 2: wall time per lead of one baseline year, in bare M/M/c customers."""
    scenario, how = baseline_scenario()
    simulate(scenario, SEED, years=0.05)  # warm-up: first-call costs are not the model's
    per_lead = []
    for _ in range(settings.lead_cost_reps):
        seconds, result = timed(lambda: simulate(scenario, SEED, years=1.0))
        per_lead.append(seconds / result.kpis["leads_created"])
    leads = int(result.kpis["leads_created"])
    report.figures.append(
        Figure(
            "baseline_lead_cost",
            "baseline 1y: time per lead (in bare customers)",
            "us",
            statistics.median(per_lead) * 1e6,
            seconds_per_customer * 1e6,
            "<= 8",
            detail=f"{leads:,} leads a year, median of {settings.lead_cost_reps}",
        ).judge()
    )
    report.notes.append(f"baseline: {how}")


# ----------------------------------------------------------------------------- 5. workforce
def interleaved_years(
    arms: dict[str, Scenario], reps: int, years: float = 1.0, *, per_lead: bool = False
) -> dict[str, float]:
    """Median wall time of ``years`` of each scenario, the arms' order alternating per rep.

    With ``per_lead``, each run's time is divided by the leads it created.
    """
    seconds: dict[str, list[float]] = {label: [] for label in arms}
    for scenario in arms.values():
        simulate(scenario, SEED, years=0.05)  # warm the imports and caches
    for rep in range(reps):
        order = list(arms.items()) if rep % 2 == 0 else list(reversed(arms.items()))
        for label, chosen in order:
            wall, result = timed(lambda chosen=chosen: simulate(chosen, SEED, years=years))
            seconds[label].append(wall / result.kpis["leads_created"] if per_lead else wall)
    return {label: statistics.median(values) for label, values in seconds.items()}


def measure_workforce_overhead(settings: Settings, report: Report) -> None:
    """Figure 5: a baseline year with the workforce against one with it switched off."""
    scenario, _ = baseline_scenario()
    fixed = apply_overrides(scenario, {"workforce.enabled": False})
    median = interleaved_years({"on": scenario, "off": fixed}, settings.lead_cost_reps)
    report.figures.append(
        Figure(
            "workforce_overhead",
            "baseline 1y: workforce on vs off",
            "s",
            median["on"],
            median["off"],
            "<= 1.3",
            detail=f"hiring, ramp, attrition, managers and coaching; median of "
            f"{settings.lead_cost_reps}, interleaved",
        ).judge()
    )


# ----------------------------------------------------------------------------- 6. pay
def measure_pay_overhead(settings: Settings, report: Report) -> None:
    """Figure 6: a baseline year on the linear 50/50 pay plans against one without plans."""
    scenario, _ = baseline_scenario()
    paid, _ = load_file(PAY_PATH)
    # the same warm-up as the baseline, so both simulate the same days
    paid = paid.model_copy(update={"calendar": scenario.calendar})
    reps = 2 * settings.lead_cost_reps + 1
    median = interleaved_years({"pay": paid, "none": scenario}, reps)
    report.figures.append(
        Figure(
            "pay_overhead",
            "baseline 1y: pay plans and behaviour vs none",
            "s",
            median["pay"],
            median["none"],
            "<= 1.3",
            detail=f"{PAY_PATH.relative_to(ROOT)} (payroll, ledger, behaviour rules) against "
            f"baseline.yaml; median of {reps}, interleaved",
        ).judge()
    )


# ----------------------------------------------------------------------------- 7. scale
def measure_scale(settings: Settings, report: Report) -> None:
    """Figure 7: cost per lead of the baseline organisation scaled up against the baseline."""
    scenario, _ = baseline_scenario()
    big = scaled_organisation(scenario, SCALE)
    years, reps = settings.scale_years, settings.scale_reps
    leads = {
        label: simulate(chosen, SEED, years=years).kpis["leads_created"]
        for label, chosen in (("big", big), ("baseline", scenario))
    }
    median = interleaved_years({"big": big, "baseline": scenario}, reps, years, per_lead=True)
    report.figures.append(
        Figure(
            "scale_lead_cost",
            f"{SCALE}x organisation {years:g}y: time per lead vs baseline",
            "us",
            median["big"] * 1e6,
            median["baseline"] * 1e6,
            "<= 1.15",
            detail=f"baseline.yaml with {SCALE}x inbound, headcount (managers too), initial "
            f"accounts and growth plans: {leads['big']:,.0f} against {leads['baseline']:,.0f} "
            f"leads in {years:g}y; median of {reps}, interleaved",
        ).judge()
    )


# ----------------------------------------------------------------------------- 3. memory
def traced_run(scenario: Scenario, years: float) -> tuple[int, tracemalloc.Snapshot, float]:
    """Peak traced bytes of one ``simulate`` call, what it left alive, and accounts at the end."""
    gc.collect()
    tracemalloc.start()
    try:
        result = simulate(scenario, SEED, years=years)
        peak = tracemalloc.get_traced_memory()[1]
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    return peak, snapshot, result.kpis["customers_end"]


def short_path(filename: str) -> str:
    for marker in ("/src/", "/site-packages/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def rss_child(years: float) -> None:
    """In a fresh process: peak RSS before and after one ``simulate`` call, as JSON."""
    scenario, _ = baseline_scenario()
    simulate(scenario, SEED, years=0.05)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    simulate(scenario, SEED, years=years)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"before_kib": before, "after_kib": after}))


def peak_rss_mib(years: float) -> tuple[float, float]:
    """Peak RSS of a fresh process that ran ``years`` of the baseline, and its rise in the run."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--rss-child", str(years)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    sizes = json.loads(out.stdout.strip().splitlines()[-1])
    after, before = sizes["after_kib"] / 1024, sizes["before_kib"] / 1024  # KiB on Linux
    return after, after - before


def long_run_book(scenario: Scenario, years: float, accounts: int) -> tuple[Scenario, int]:
    """The scenario with its customer book started at the size it holds over ``years``.

    Starting from ``accounts``, each run starts where the last one ended, until a run ends
    within 10% of where it started (at most four runs). Returns the scenario and its start.
    """
    for _ in range(4):
        steady = apply_overrides(scenario, {"customers.initial.accounts": accounts})
        end = round(simulate(steady, SEED, years=years).kpis["customers_end"])
        if abs(end - accounts) <= 0.1 * accounts:
            break
        accounts = end
    return steady, accounts


def measure_memory(settings: Settings, report: Report) -> None:
    """Figure 3: peak traced memory of a long against a short baseline run."""
    scenario, _ = baseline_scenario()
    simulate(scenario, SEED, years=0.05)  # warm-up, as in the timing figures
    short, long = settings.memory_years
    peak_short, snap_short, accounts_short = traced_run(scenario, short)
    peak_long, snap_long, accounts_long = traced_run(scenario, long)
    steady, start = long_run_book(scenario, long, round(accounts_long))
    peak_steady_short, _, steady_short = traced_run(steady, short)
    peak_steady_long, _, steady_long = traced_run(steady, long)
    report.figures.append(
        Figure(
            "memory_10y_vs_1y",
            f"baseline at its long-run size, peak traced memory {long:g}y vs {short:g}y",
            "MiB",
            peak_steady_long / MIB,
            peak_steady_short / MIB,
            "<= 1.3",
            detail=f"tracemalloc, simulate() only; the book started at {start:,} accounts, "
            f"its long-run size: {steady_short:,.0f} after {short:g}y, {steady_long:,.0f} "
            f"after {long:g}y",
        ).judge()
    )
    per_account = (peak_long - peak_short) / (accounts_long - accounts_short)
    report.figures.append(
        Figure(
            "memory_growing_book",
            "  baseline from its own start, as the business grows",
            "MiB",
            peak_long / MIB,
            peak_short / MIB,
            detail=f"the book grows to {accounts_long:,.0f} accounts after {long:g}y against "
            f"{accounts_short:,.0f} after {short:g}y (customer success hired to match): "
            f"{per_account:,.0f} bytes of peak per extra account (for information)",
        )
    )
    growth = [d for d in snap_long.compare_to(snap_short, "filename") if d.size_diff > 0][:5]
    report.notes.append(
        f"memory left alive after simulate() in the growing run, {short:g}y -> {long:g}y by "
        "file: "
        + ", ".join(
            f"{short_path(d.traceback[0].filename)} +{d.size_diff / 1024:.0f} KiB" for d in growth
        )
    )
    del snap_short, snap_long

    mmc, _ = load_file(MMC_PATH)
    days = mmc.calendar.horizon * settings.mmc_horizon_share
    simulate(mmc, SEED, years=0.01)
    peak_mmc_short = traced_run(mmc, days / 10 / DAYS_PER_YEAR)[0]
    peak_mmc_long = traced_run(mmc, days / DAYS_PER_YEAR)[0]
    report.figures.append(
        Figure(
            "mmc_memory_10x",
            f"  M/M/10 peak traced memory {days:.0f}d vs {days / 10:.0f}d",
            "MiB",
            peak_mmc_long / MIB,
            peak_mmc_short / MIB,
            detail="a stationary queue: whether the engine itself stays flat (for information)",
        )
    )

    if not sys.platform.startswith("linux"):
        return
    try:
        (rss_short, rise_short), (rss_long, rise_long) = peak_rss_mib(short), peak_rss_mib(long)
    except (subprocess.SubprocessError, ValueError, KeyError) as error:
        report.notes.append(f"peak RSS not measured: {error}")
        return
    report.figures.append(
        Figure(
            "rss_10y_vs_1y",
            f"  baseline peak RSS of a process {long:g}y vs {short:g}y",
            "MiB",
            rss_long,
            rss_short,
            detail=f"ru_maxrss of a fresh process (imports included); rise during simulate() "
            f"{rise_long:.1f} vs {rise_short:.1f} MiB (for information)",
        )
    )


# ----------------------------------------------------------------------------- 4. abandonment
def abandonment_window(waiting: int, settings: Settings, seed: int) -> dict[str, float]:
    """Seconds per lead going cold over a steady-state window, gc on, then gc off.

    No collection is forced before the gc-on window: full collections come every few tens
    of thousands of leads when the queue is long, and the window must pay its share.
    """
    scenario = abandonment_scenario(waiting)
    stage = scenario.funnel.stages[0]
    assert stage.patience is not None
    sim = Simulation(scenario, seed)
    cold = [0]
    sim.bus.subscribe(LeadWentCold, lambda _event: cold.__setitem__(0, cold[0] + 1))
    team = sim.organisation.teams[stage.role]
    excess_per_day = scenario.market.segments["all"].inbound.rate - team_capacity_per_day(scenario)
    sim.run_until(settings.warmup_patience_means * stage.patience.mean)
    out: dict[str, float] = {}
    windows = (("gc_on", settings.abandon_count), ("gc_off", settings.abandon_count))
    for label, count in windows:
        start_day, start_cold, start_area = sim.now, cold[0], team.areas()[0]
        if label == "gc_off":
            gc.disable()
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            sim.run_until(sim.now + count / excess_per_day)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        finally:
            gc.enable()
        gone = cold[0] - start_cold
        out[label], out[f"{label}_cpu"] = wall / gone, cpu / gone
        if label == "gc_on":
            out["waiting_mean"] = (team.areas()[0] - start_area) / (sim.now - start_day)
            out["gone_cold"] = gone
    return out


def team_capacity_per_day(scenario: Scenario) -> float:
    """Leads per day the first stage's team can work (c * mu)."""
    stage = scenario.funnel.stages[0]
    spec = scenario.roles.of(stage.role)
    return spec.headcount * rep_speed(spec.hours_per_week, spec.selling_share) / stage.work.mean


def measure_abandonment(settings: Settings, report: Report) -> None:
    """Figure 4: cost per lead going cold with a huge queue against a modest one."""
    small, big = settings.abandon_waiting
    runs: dict[int, list[dict[str, float]]] = {small: [], big: []}
    for rep in range(settings.abandon_reps):
        for waiting in (small, big) if rep % 2 == 0 else (big, small):
            gc.collect()
            runs[waiting].append(abandonment_window(waiting, settings, SEED + rep))
            log(
                f"  abandonment rep {rep + 1}/{settings.abandon_reps}, ~{waiting:,} waiting: "
                f"{runs[waiting][-1]['gc_on'] * 1e6:.1f} us per lead gone cold"
            )

    def median(waiting: int, key: str) -> float:
        return statistics.median(run[key] for run in runs[waiting])

    cpu_ratio = median(big, "gc_on_cpu") / median(small, "gc_on_cpu")
    report.figures.append(
        Figure(
            "abandon_cost",
            f"cost per lead gone cold, ~{big:,} vs ~{small:,} waiting",
            "us",
            median(big, "gc_on") * 1e6,
            median(small, "gc_on") * 1e6,
            "<= 1.5",
            detail=f"mean waiting {median(big, 'waiting_mean'):,.0f} vs "
            f"{median(small, 'waiting_mean'):,.0f}; {median(big, 'gone_cold'):,.0f} gone cold per "
            f"window; median of {settings.abandon_reps}; CPU-time ratio {cpu_ratio:.2f}",
        ).judge()
    )
    report.figures.append(
        Figure(
            "abandon_cost_gc_off",
            "  same, cyclic gc disabled",
            "us",
            median(big, "gc_off") * 1e6,
            median(small, "gc_off") * 1e6,
            detail="the part of the gap that is not CPython's cyclic garbage collector "
            "(for information)",
        )
    )
    report.notes.append(
        "abandonment: c=10, mu=1/h, lambda=110/h, exponential patience of (waiting / 100) h; "
        f"warm-up {settings.warmup_patience_means:g} mean patiences, then the timed windows"
    )


# ----------------------------------------------------------------------------- output
def attempt(report: Report, key: str, label: str, measure: Callable[[], Any]) -> Any:
    """Run one measurement; a failure becomes an ERROR row instead of hiding the others."""
    log(f"measuring {label} ...")
    try:
        return measure()
    except Exception as error:
        report.figures.append(
            Figure(key, label, "", status="ERROR", detail=f"{type(error).__name__}: {error}")
        )
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller runs")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    parser.add_argument("--rss-child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child is not None:
        rss_child(args.rss_child)
        return 0
    settings = QUICK if args.quick else FULL
    report = Report("quick" if args.quick else "full", asdict(settings))
    started = time.perf_counter()
    per_customer = attempt(
        report, "mmc_vs_simpy", "M/M/c throughput", lambda: measure_mmc(settings, report)
    )
    if per_customer is None:
        report.figures.append(
            Figure(
                "baseline_lead_cost",
                "baseline lead cost",
                "",
                status="ERROR",
                detail="needs the bare M/M/c figure",
            )
        )
    else:
        attempt(
            report,
            "baseline_lead_cost",
            "baseline lead cost",
            lambda: measure_lead_cost(settings, report, per_customer),
        )
    attempt(report, "memory_10y_vs_1y", "memory", lambda: measure_memory(settings, report))
    attempt(report, "abandon_cost", "abandonment", lambda: measure_abandonment(settings, report))
    attempt(
        report,
        "workforce_overhead",
        "workforce",
        lambda: measure_workforce_overhead(settings, report),
    )
    attempt(report, "pay_overhead", "pay", lambda: measure_pay_overhead(settings, report))
    attempt(report, "scale_lead_cost", "scale", lambda: measure_scale(settings, report))
    report.notes.append(f"{report.mode} run took {time.perf_counter() - started:.0f} s")
    print(as_json(report, simpy=simpy.__version__) if args.json else table(report))
    failed = [f.key for f in report.figures if f.status in ("FAIL", "ERROR")]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
