"""Loading scenario files: values checked with exact lines, apply_overrides, round trips."""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salessim.scenario import Problem, Scenario, ScenarioError, apply_overrides, load_scenario
from tests.scenario.scenario_files import (
    dump,
    in_tmp,  # noqa: F401  (autouse: runs each test in a temporary directory)
    problems,
    write,
)


# ----------------------------------------------------------------------------- loading
def test_a_small_file_loads_with_defaults_and_dates() -> None:
    """Keys not given keep their defaults; a YAML date becomes a date; units are read."""
    write(
        "s.yaml",
        """
        meta: {name: Small}
        calendar:
          start_date: 2028-03-01
          horizon: 2y
        roles:
          ae: {headcount: 4}
        """,
    )
    scenario = load_scenario("s.yaml")
    assert scenario.meta.name == "Small"
    assert scenario.calendar.start_date == dt.date(2028, 3, 1)
    assert scenario.calendar.horizon == pytest.approx(2 * 365.25)
    assert scenario.roles.ae.headcount == 4
    assert scenario.roles.sdr == Scenario().roles.sdr


def test_accepts_a_path_object() -> None:
    """A ``Path`` works as well as a string."""
    assert load_scenario(Path(write("s.yaml", "meta: {name: x}\n"))).meta.name == "x"


# ----------------------------------------------------------------------------- value errors
def test_unknown_key_with_did_you_mean_at_its_line() -> None:
    """A misspelled distribution family is named with the closest family and its line."""
    write(
        "s.yaml",
        """
        funnel:
          stages:
            - name: qualification
              role: sdr
              work: {exponential: {mean: 1h}}
            - name: discovery
              role: ae
              work: {exponential: {mean: 2h}}
            - name: demo
              role: ae
              work:
                exponentail: {mean: 3h}
        """,
    )
    assert problems("s.yaml") == [
        "s.yaml:12: funnel.stages.2.work.exponentail: unknown key 'exponentail'; "
        "did you mean 'exponential'?"
    ]


def test_unknown_key_without_close_match_lists_allowed_keys() -> None:
    """When nothing is close, the allowed keys are listed."""
    write("s.yaml", "calendar:\n  colour: blue\n")
    assert problems("s.yaml") == [
        "s.yaml:2: calendar.colour: unknown key 'colour'; allowed keys: start_date, "
        "fiscal_year_start_month, horizon, warmup"
    ]


def test_field_name_is_not_a_key_but_its_alias_is() -> None:
    """Distribution parameters are written by alias (``mean``), not field name (``mean_``)."""
    write("s.yaml", "customers:\n  onboarding_work: {exponential: {mean_: 8h}}\n")
    assert problems("s.yaml") == [
        "s.yaml:2: customers.onboarding_work.exponential.mean: required key is missing",
        "s.yaml:2: customers.onboarding_work.exponential.mean_: unknown key 'mean_'; "
        "did you mean 'mean'?",
    ]


def test_plain_english_for_ranges_types_and_units() -> None:
    """Range, type and unit errors name the bad value as written, at their lines."""
    write(
        "s.yaml",
        """
        calendar:
          warmup: -3d
          horizon: 3m
        market:
          segments:
            smb:
              needs_specialist: 1.4
              deal_value: {lognormal: {mean: 40k, cv: -1}}
        roles:
          ae:
            headcount: lots
            hours_per_week: 200
        """,
    )
    lines = problems("s.yaml")
    assert lines[0] == "s.yaml:2: calendar.warmup: must not be negative, got '-3d'"
    assert lines[1].startswith("s.yaml:3: calendar.horizon: unknown duration unit 'm'")
    assert "'m' is ambiguous" in lines[1]
    assert lines[2:] == [
        "s.yaml:7: market.segments.smb.needs_specialist: must be <= 1, got 1.4",
        "s.yaml:8: market.segments.smb.deal_value.lognormal.cv: must be > 0, got -1",
        "s.yaml:11: roles.ae.headcount: expected a whole number, got 'lots'",
        "s.yaml:12: roles.ae.hours_per_week: must be <= 168, got 200",
    ]
    assert not any("Value error" in line for line in lines)


def test_enum_value_with_did_you_mean() -> None:
    """A misspelled choice lists the choices and suggests the closest one."""
    write("s.yaml", "policies:\n  routing:\n    ae: least_loadd\n")
    assert problems("s.yaml") == [
        "s.yaml:3: policies.routing.ae: expected one of round_robin, least_loaded, "
        "skill_weighted, got 'least_loadd'; did you mean 'least_loaded'?"
    ]


def test_missing_required_key_points_at_the_nearest_line() -> None:
    """A missing key has no line of its own: the list item it belongs to is used."""
    write(
        "s.yaml",
        """
        funnel:
          stages:
            - name: qualification
              role: sdr
              work: 1h
            - role: ae
              work: 2h
        """,
    )
    assert problems("s.yaml") == ["s.yaml:6: funnel.stages.1.name: required key is missing"]


def test_shorthand_distribution_errors_name_the_key_written() -> None:
    """``work: abc`` is reported at ``work``, not at the internal ``constant.value``."""
    write(
        "s.yaml",
        """
        funnel:
          stages:
            - {name: a, role: ae, work: abc}
            - {name: b, role: ae, work: -2}
        """,
    )
    assert problems("s.yaml") == [
        "s.yaml:3: funnel.stages.0.work: cannot read 'abc' as a number (e.g. 2h)",
        "s.yaml:4: funnel.stages.1.work: constant can draw negative values here; "
        "durations and amounts must be >= 0",
    ]


def test_model_level_errors_point_at_the_model() -> None:
    """A cross-field check of a section is reported at that section's key."""
    write(
        "s.yaml",
        """
        meta: {name: x}
        customers:
          expansion:
            contraction: {beta: {mean: 0.5}}
        funnel:
          stages:
            - {name: a, role: ae, work: 1h, next: nowhere}
        """,
    )
    assert problems("s.yaml") == [
        "s.yaml:4: customers.expansion.contraction.beta: give either mean and sd, or a and b",
        "s.yaml:5: funnel: stage 'a' routes to 'nowhere', which is neither a stage nor an "
        "outcome (a, disqualified, lost, won)",
    ]


def test_scenario_level_error_names_the_key_it_concerns() -> None:
    """A check across sections is reported at the key it concerns, on that key's line."""
    write("s.yaml", "# staffing\nroles:\n  ae: {headcount: 0}\n")
    (line,) = problems("s.yaml")
    assert line.startswith("s.yaml:3: roles.ae.headcount: no ae reps (headcount 0) to work stages")


def test_several_problems_are_reported_at_once_in_file_order() -> None:
    """Every problem of a file is listed, sorted by line."""
    write(
        "s.yaml",
        """
        roles:
          ae: {headcont: 3}
        calendar: {horizon: soon}
        meta: {nmae: x}
        """,
    )
    lines = problems("s.yaml")
    assert [line.split(":")[1] for line in lines] == ["2", "3", "4"]
    assert "did you mean 'headcount'?" in lines[0]
    assert "did you mean 'name'?" in lines[2]


def test_scenario_error_is_picklable_and_lists_problems() -> None:
    """Errors cross process boundaries (parallel runs) intact."""
    error = ScenarioError([Problem("a.yaml", 3, "roles", "bad"), Problem("--set", None, "", "x")])
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems
    assert str(again) == "a.yaml:3: roles: bad\n--set: x"


# ----------------------------------------------------------------------------- apply_overrides
def test_apply_overrides_returns_a_new_scenario() -> None:
    """The original is unchanged; mappings of Python values and strings both work."""
    base = Scenario()
    changed = apply_overrides(
        base, {"roles.ae.headcount": 25, "funnel.stages.2.lag": {"constant": "10d"}}
    )
    assert changed.roles.ae.headcount == 25
    assert changed.funnel.stages[2].lag.mean == 10
    assert base == Scenario()
    assert apply_overrides(base, ["roles.ae.headcount=25"]).roles.ae.headcount == 25
    assert apply_overrides(base, "roles.ae.headcount=25").roles.ae.headcount == 25
    assert apply_overrides(base, {}) == base


def test_apply_overrides_matches_loading_with_overrides() -> None:
    """Overriding a loaded scenario gives what loading with the same overrides gives."""
    write(
        "s.yaml",
        "roles:\n  ae: {headcount: 3}\nfunnel:\n  stages:\n    - {name: a, role: ae, work: 1h}\n",
    )
    sets = ["roles.sdr.headcount=1", "funnel.stages.0.work.gamma={mean: 2h, cv: 2}"]
    assert apply_overrides(load_scenario("s.yaml"), sets) == load_scenario("s.yaml", sets)


def test_apply_overrides_errors() -> None:
    """Problems are raised as a ScenarioError located at ``--set``."""
    with pytest.raises(ScenarioError) as caught:
        apply_overrides(Scenario(), {"roles.ae.headcount": -1, "roles.ea.headcount": 2})
    assert str(caught.value).splitlines() == [
        "--set: roles.ea: unknown key 'ea'; did you mean 'ae'?",
        "--set: roles.ae.headcount: must not be negative, got -1",
    ]


def test_dump_and_load_of_the_default_scenario_round_trips() -> None:
    """The default scenario written out and read back is equal, shorthand dists included."""
    Path("d.yaml").write_text(dump(Scenario()), encoding="utf-8")
    assert load_scenario("d.yaml") == Scenario()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    headcount=st.integers(1, 200),
    convert=st.floats(0, 1),
    horizon=st.floats(0.01, 1e4),
    rate=st.floats(0, 1e3),
    work=st.floats(1e-4, 10),
    lag=st.floats(0, 100),
    name=st.text(max_size=20),
)
def test_load_dump_load_round_trip(
    headcount: int, convert: float, horizon: float, rate: float, work: float, lag: float, name: str
) -> None:
    """Any valid scenario, dumped to YAML and loaded again, is equal to itself."""
    scenario = apply_overrides(
        Scenario(),
        {
            "meta.name": name,
            "roles.ae.headcount": headcount,
            "funnel.stages.1.convert": convert,
            "funnel.stages.2.work": {"gamma": {"mean": work, "cv": 0.5}},
            "funnel.stages.3.lag": lag,
            "calendar.horizon": horizon,
            "market.segments.mid_market.inbound.rate": rate,
        },
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.yaml"
        path.write_text(dump(scenario), encoding="utf-8")
        again = load_scenario(path)
    assert again == scenario
    assert dump(again) == dump(scenario)
