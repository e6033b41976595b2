"""A fuzzer: broken shipped scenarios get a correct run or a clean refusal, never a crash.

Hypothesis draws a shipped scenario and breaks it one to three ways (``tests/fuzzing.py``
says how); ``salessim run FILE --years 0.1 --json`` must then exit 0 with every KPI
finite or unknown and in its range, or exit 2 with each line ``file:line: key: message``
(or naming an option), within 20 seconds and without a traceback. The inputs are
derandomised, so CI tries the same ones every time; ``SALESSIM_FUZZ_EXAMPLES`` sets how
many (docs/validation.md, "Robustness").
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from salessim.scenario.load import load_scenario
from tests.cli_process import cli
from tests.fuzzing import (
    ORIGINALS,
    OTHER,
    REFUSED,
    RUN,
    SHIPPED,
    SHIPPED_DIR,
    Case,
    Outcome,
    Raw,
    kpi_problems,
    mutated_scenarios,
    run_case,
    run_forked,
    verdict,
)

EXAMPLES = int(os.environ.get("SALESSIM_FUZZ_EXAMPLES", "500"))
"""Inputs to try; CI's 500 take one to two minutes."""
FRESH = os.environ.get("SALESSIM_FUZZ_RANDOM", "") not in ("", "0")
"""Draw new inputs each run (and keep failures in .hypothesis/) instead of CI's fixed ones."""


def test_mutated_shipped_scenarios_run_correctly_or_are_refused(tmp_path, capsys, record_property):
    """Every mutated scenario gives a correct run or a clean refusal: nothing else, ever.

    Both kinds of answer occur, so the rule is checked on runs and on refusals alike.
    """
    tally: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        derandomize=not FRESH,
        database=None if not FRESH else settings.default.database,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=mutated_scenarios())
    def fuzz(case: Case) -> None:
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        try:
            outcome, tree = run_case(case, folder)
            kind, problems = verdict(outcome, tree, as_json=case.json)
        finally:
            shutil.rmtree(folder)
        tally[kind] += 1
        assert kind != OTHER, f"{case}\n" + "\n".join(problems)

    fuzz()
    tried = sum(tally.values())
    counts = f"{tried} tried, {tally[REFUSED]} refused cleanly, {tally[RUN]} ran correctly"
    counts += f", {tally[OTHER]} anything else"
    record_property("fuzz_counts", counts)
    with capsys.disabled():
        print(f"\nscenario fuzzer: {counts}")
    assert tally[OTHER] == 0
    assert tally[RUN] > 0 and tally[REFUSED] > 0


@pytest.mark.parametrize("name", SHIPPED)
def test_a_shipped_scenario_written_back_unchanged_is_the_same_scenario(tmp_path, name):
    """The fuzzer's reader and writer lose nothing: an unmutated copy loads as the original."""
    case = Case(name, {name: copy.deepcopy(ORIGINALS[name])})
    assert load_scenario(case.write(tmp_path)) == load_scenario(SHIPPED_DIR / name)


MATCHING = {
    "a correct run": Case("queue/mm1_l0.7_m1.yaml"),
    "a unit that does not exist": Case(
        "queue/mm1_l0.7_m1.yaml",
        {
            "queue/mm1_l0.7_m1.yaml": Raw(
                "extends: mmc_l4_m1_c5.yaml\ncalendar: {warmup: 3 parsecs}\n"
            )
        },
    ),
    "an extends cycle": Case(
        "comp/capped.yaml",
        {"comp/linear_50_50.yaml": Raw("extends: capped.yaml\n")},
    ),
}


@pytest.mark.parametrize("case", MATCHING.values(), ids=list(MATCHING))
def test_the_forked_command_answers_as_the_real_process_does(tmp_path, case):
    """Exit code, stderr and the KPIs of a forked run equal those of ``salessim`` started anew."""
    scenario = case.write(tmp_path)
    args = ["run", str(scenario), "--years", "0.1", "--json"]
    forked, real = run_forked(args), cli(*args)
    assert (forked.returncode, forked.stderr) == (real.returncode, real.stderr)
    if real.returncode == 0:
        assert json.loads(forked.stdout) == json.loads(real.stdout)
    assert verdict(forked, tmp_path)[0] in (RUN, REFUSED)


def test_a_crash_in_the_forked_command_is_a_traceback_and_not_a_pass(tmp_path, monkeypatch):
    """A run that raises shows Python's traceback and exit 1, which breaks the rule."""

    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("salessim.cli.runs.simulate", crash)
    outcome = run_forked(
        Case("queue/mm1_l0.7_m1.yaml").args(SHIPPED_DIR / "queue/mm1_l0.7_m1.yaml")
    )
    assert outcome.returncode == 1
    assert "Traceback (most recent call last)" in outcome.stderr
    assert "RuntimeError: a bug" in outcome.stderr
    assert verdict(outcome)[0] == OTHER


def test_a_hang_in_the_forked_command_is_cut_off_and_not_a_pass(monkeypatch):
    """A run that never ends is killed at the time limit and breaks the rule."""
    monkeypatch.setattr("salessim.cli.runs.simulate", lambda *args, **kwargs: time.sleep(600))
    outcome = run_forked(["run", "queue/mm1_l0.7_m1", "--json"], timeout=1.0)
    assert outcome.timed_out and outcome.seconds < 10
    assert verdict(outcome)[0] == OTHER


# ----------------------------------------------------------------------------- the oracle
GOOD_KPIS = {
    "measured_days": 36.525,
    "deals_won": 3,
    "win_rate": 0.25,
    "grr": None,
    "morale_mean": -0.2,
    "contribution": -5e6,
    "starting_arr": 100.0,
    "bookings_new_arr": 10.0,
    "bookings_expansion_arr": 5.0,
    "churned_arr": 20.0,
    "contraction_arr": 1.0,
    "ending_arr": 94.0,
}
IMPOSSIBLE = {
    "a share above 1": {"win_rate": 1.5},
    "a negative count": {"deals_won": -1},
    "a count that is not whole": {"deals_won": 2.5},
    "a negative duration": {"sales_cycle_days_mean": -3.0},
    "negative bookings": {"bookings_new_arr": -10.0, "ending_arr": 74.0},
    "morale past -1": {"morale_mean": -1.5},
    "ARR that does not add up": {"ending_arr": 95.0},
    "a measured period not asked for": {"measured_days": 365.25},
    "a number that is not": {"revenue": "1e6"},
}


def test_possible_kpis_pass_the_oracle():
    """Unknown values, negative contribution and an ARR that adds up are all possible."""
    assert kpi_problems(GOOD_KPIS, 36.525) == []


@pytest.mark.parametrize("change", IMPOSSIBLE.values(), ids=list(IMPOSSIBLE))
def test_impossible_kpis_fail_the_oracle(change):
    """Each impossible KPI is named."""
    (problem,) = kpi_problems({**GOOD_KPIS, **change}, 36.525)
    assert next(iter(change)) in problem or "ARR" in problem


OUTCOMES = {
    "a traceback": (Outcome(1, "", "Traceback (most recent call last):\n  boom\n", 1.0), OTHER),
    "exit 2 with a traceback": (Outcome(2, "", "x.yaml:1: a: b\nTraceback\n", 1.0), OTHER),
    "exit 2 with free text": (Outcome(2, "", "something went wrong\n", 1.0), OTHER),
    "exit 2 saying nothing": (Outcome(2, "", "", 1.0), OTHER),
    "a hang": (Outcome(-9, "", "", 20.0, timed_out=True), OTHER),
    "killed": (Outcome(-11, "", "", 1.0), OTHER),
    "exit 0 printing no JSON": (Outcome(0, "done\n", "", 1.0), OTHER),
    "a refusal": (Outcome(2, "", "x.yaml:3: roles.ae: must be >= 0, got -1\n", 1.0), REFUSED),
    "an option refused": (Outcome(2, "", "Invalid value for '--years': 1e300\n", 1.0), REFUSED),
    "a run": (Outcome(0, json.dumps({"kpis": GOOD_KPIS}), "", 1.0), RUN),
}


@pytest.mark.parametrize(("outcome", "expected"), OUTCOMES.values(), ids=list(OUTCOMES))
def test_the_oracle_sorts_outcomes(outcome, expected):
    """Tracebacks, hangs, crashes and free-text errors are neither a run nor a refusal."""
    assert verdict(outcome)[0] == expected


def test_a_refusal_names_a_line_the_file_has(tmp_path):
    """A refusal pointing at a file that is not there, or past its end, breaks the rule."""
    (tmp_path / "s.yaml").write_text("a: 1\nb: 2\n")
    said = f"{tmp_path / 's.yaml'}:2: b: bad\n"
    assert verdict(Outcome(2, "", said, 1.0), tmp_path)[0] == REFUSED
    past = f"{tmp_path / 's.yaml'}:3: b: bad\n"
    missing = f"{tmp_path / 'gone.yaml'}:1: b: bad\n"
    assert verdict(Outcome(2, "", past, 1.0), tmp_path)[0] == OTHER
    assert verdict(Outcome(2, "", missing, 1.0), tmp_path)[0] == OTHER
