"""Experiment performance figures, each a ratio to a baseline measured in the same run.

1. ``pool_speedup``: a 40-replication comparison of two arms on a pool of 2 processes
   against the same comparison run serially (target: at least 1.8 times faster).
2. ``machinery_overhead``: the serial comparison, keeping its results and series in a
   directory, against the same replications run by calling ``simulate`` directly
   (target: under 5% more).
3. ``memory_1000_vs_100``: peak traced memory of a 1,000-replication comparison kept in
   a results directory against a 100-replication one (target: at most 1.2, flat).

Usage: ``python benchmarks/bench_experiments.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from salessim.experiments.runner import Arm, Design, replication_seed, run  # noqa: E402
from salessim.experiments.store import Store  # noqa: E402
from salessim.run import simulate  # noqa: E402
from salessim.scenario.load import apply_overrides, load_scenario  # noqa: E402

METRICS = ["bookings_new_arr", "ending_arr", "win_rate"]


def design(replications: int, years: float) -> Design:
    """The baseline against 22 AEs, a short horizon."""
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    more = apply_overrides(base, {"roles.ae.headcount": 22})
    return Design([Arm("base", base), Arm("more", more)], replications, 1, years, METRICS)


def tiny_design(replications: int) -> Design:
    """The M/M/c queue for a few days: a replication costs little, so the runner shows."""
    base = load_scenario(ROOT / "scenarios" / "queue" / "mmc_l5_m1_c10.yaml")
    return Design([Arm("a", base), Arm("b", base)], replications, 1, 0.01, ["deals_won"])


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pool_speedup(replications: int, years: float) -> tuple[float, float]:
    chosen = design(replications, years)
    serial = timed(lambda: run(chosen))
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = timed(lambda: run(chosen, executor=pool))
    return serial, parallel


def machinery_overhead(replications: int, years: float, reps: int) -> tuple[float, float]:
    chosen = design(replications, years)

    def direct() -> None:
        for r in range(replications):
            for arm in chosen.arms:
                simulate(arm.scenario, replication_seed(chosen.seed, r), years=years)

    def runner() -> None:  # as the command line runs it: results and series kept on disk
        with tempfile.TemporaryDirectory() as folder:
            run(chosen, store=Store(Path(folder), chosen.manifest()))

    with_runner, bare = [], []
    for i in range(reps):
        order = [("runner", runner), ("bare", direct)]
        for label, fn in order if i % 2 == 0 else reversed(order):
            (with_runner if label == "runner" else bare).append(timed(fn))
    return statistics.median(with_runner), statistics.median(bare)


def peak_memory(replications: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        chosen = tiny_design(replications)
        tracemalloc.start()
        run(chosen, store=Store(Path(folder), chosen.manifest()))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter runs")
    args = parser.parse_args()
    years = 0.1 if args.quick else 0.25
    rows = []
    serial, parallel = pool_speedup(10 if args.quick else 40, years)
    rows.append(("pool_speedup (2 workers)", serial, parallel, serial / parallel, ">= 1.8"))
    runner, bare = machinery_overhead(4 if args.quick else 10, years, 3)
    rows.append(("machinery_overhead", runner, bare, runner / bare, "< 1.05"))
    peak_memory(2)  # warm: first-time imports and caches are not the experiment's
    small, big = peak_memory(20 if args.quick else 100), peak_memory(200 if args.quick else 1000)
    rows.append(("memory_1000_vs_100 (MiB)", big, small, big / small, "<= 1.2"))
    print(f"{'figure':28s} {'value':>9s} {'baseline':>9s} {'ratio':>6s}  target")
    for name, value, base, ratio, target in rows:
        print(f"{name:28s} {value:9.3f} {base:9.3f} {ratio:6.2f}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
