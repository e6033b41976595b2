"""A problem an override brings about is reported at the override (``--set KEY``), not the file."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salessim.cli import app
from salessim.experiments.files import load_experiment
from salessim.scenario import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    resolve_scenario,
)
from salessim.scenario import overrides as blaming

BASELINE = resolve_scenario(None)
NO_AES = "no ae reps (headcount 0) to work stages 'discovery'"

runner = CliRunner()


def problems(path: Path | str, overrides: list[str]) -> list[str]:
    """Every problem line of loading ``path`` with ``overrides`` (which must fail)."""
    with pytest.raises(ScenarioError) as error:
        load_scenario(path, overrides)
    return str(error.value).splitlines()


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A scenario file in ``tmp_path`` (dedented)."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_a_check_across_keys_broken_by_a_set_points_at_the_set_key():
    """`--set roles.ae.headcount=0` breaks the funnel check: the error names the override."""
    lines = problems(BASELINE, ["roles.ae.headcount=0"])
    assert len(lines) == 1
    assert lines[0].startswith(f"--set: roles.ae.headcount: {NO_AES}"), lines
    assert "baseline.yaml" not in lines[0]


def test_a_model_check_broken_by_a_set_names_the_set_key_not_its_mapping():
    """A check of one mapping (offers low <= high) broken by one key names that key."""
    lines = problems(BASELINE, ["game.offers.low=5"])
    assert lines == ["--set: game.offers.low: low (5.0) must not exceed high (1.3)"]


def test_among_several_overrides_the_one_that_broke_it_is_named():
    """Harmless overrides before and after do not take the blame."""
    lines = problems(
        BASELINE,
        ["roles.sdr.headcount=3", "roles.ae.headcount=0", "roles.csm.headcount=4"],
    )
    assert len(lines) == 1 and lines[0].startswith(f"--set: roles.ae.headcount: {NO_AES}")


def test_a_problem_the_file_has_on_its_own_stays_at_the_file(tmp_path):
    """An unrelated override does not take the blame for the file's own problem."""
    path = write(
        tmp_path,
        "broken.yaml",
        f"""
        extends: {BASELINE}
        roles:
          ae:
            headcount: 0
        """,
    )
    lines = problems(path, ["roles.sdr.headcount=3"])
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:4: roles.ae.headcount: {NO_AES}"), lines


def test_an_override_may_repair_the_file(tmp_path):
    """The file's problem fixed by an override loads; nothing is blamed."""
    path = write(tmp_path, "broken.yaml", f"extends: {BASELINE}\nroles:\n  ae:\n    headcount: 0\n")
    assert load_scenario(path, ["roles.ae.headcount=3"]).roles.ae.headcount == 3


def test_problems_at_the_set_key_keep_their_own_key():
    """A bad value at the key set is reported there, as before."""
    lines = problems(BASELINE, ["funnel.stages.1.convert=1.4"])
    assert lines == ["--set: funnel.stages.1.convert: must be <= 1, got 1.4"]


def test_the_api_overrides_name_the_key_too():
    """``apply_overrides`` with a mapping blames the key it was given, not the root."""
    with pytest.raises(ScenarioError) as error:
        apply_overrides(load_scenario(BASELINE), {"roles.ae.headcount": 0})
    found = error.value.problems
    assert [p.key for p in found] == ["roles.ae.headcount"]
    assert found[0].message.startswith(NO_AES)


def test_an_experiment_arm_names_the_override_that_broke_it(tmp_path):
    """An arm's override that breaks a check across keys is named under the arm."""
    path = write(
        tmp_path,
        "plan.yaml",
        f"""
        scenario: {BASELINE}
        arms:
          usual: {{}}
          bare: {{roles.ae.headcount: 0}}
        """,
    )
    with pytest.raises(ScenarioError) as error:
        load_experiment(path)
    keys = [p.key for p in error.value.problems]
    assert keys == ["arms.bare.roles.ae.headcount"]


def test_a_long_command_line_costs_a_few_checks(monkeypatch):
    """With 1,000 overrides the culprit is found by bisection: about log2(1000) checks."""
    checks = []
    real = blaming._problems

    def counted(before, overrides):
        checks.append(len(overrides))
        return real(before, overrides)

    monkeypatch.setattr(blaming, "_problems", counted)
    harmless = [f"roles.sdr.headcount={2 + i % 3}" for i in range(1000)]
    # The queue has no AEs: giving them its stage breaks a check at roles.ae.headcount.
    overrides = [*harmless[:613], "funnel.stages.0.role=ae", *harmless[613:]]
    lines = problems(resolve_scenario("queue/mmc_l9_m1_c10"), overrides)
    assert lines == [
        "--set: funnel.stages.0.role: no ae reps (headcount 0) to work stages 'qualification'"
    ]
    assert 0 < len(checks) <= math.ceil(math.log2(len(overrides))) + 1


@pytest.mark.parametrize(
    "command",
    [
        ["run"],
        ["statement", "baseline", "--rep", "1", "--period", "2027Q1"],
        ["validate", "baseline"],
        ["compare", "baseline"],
        ["sweep", "baseline", "--param", "roles.sdr.headcount=2,3"],
        ["sensitivity", "baseline", "--param", "roles.sdr.headcount=2,3"],
        ["play"],
    ],
    ids=lambda command: command[0],
)
def test_every_command_that_takes_set_points_at_the_set_key(command, tmp_path, monkeypatch):
    """Each command with --set refuses the broken override by its key, exit 2, no traceback."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*command, "--set", "roles.ae.headcount=0"])
    assert result.exit_code == 2, result.output
    assert f"--set: roles.ae.headcount: {NO_AES}" in result.output
    assert "baseline.yaml" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
