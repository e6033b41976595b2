"""Loading scenario files: errors with exact lines, extends, overrides, round trips."""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salessim.scenario import (
    Problem,
    Scenario,
    ScenarioError,
    apply_overrides,
    bundled_scenarios,
    load_scenario,
    resolve_scenario,
    scenario_json_schema,
)
from tests.support import ROOT


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in a temporary directory so that files are named as the user would name them."""
    monkeypatch.chdir(tmp_path)


def write(name: str, text: str) -> str:
    """Write a YAML file (dedented; line 1 is the first line of ``text``) and return its name."""
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return name


def problems(name: str, overrides: list[str] | None = None) -> list[str]:
    """The problem lines of loading ``name``, which must fail."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name, overrides or [])
    return str(caught.value).splitlines()


def dump(scenario: Scenario) -> str:
    """``scenario`` as YAML, keys by their aliases, unset ones left out."""
    return yaml.safe_dump(scenario.model_dump(mode="json", by_alias=True, exclude_none=True))


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


def test_anchors_and_merge_keys_work_without_false_duplicates() -> None:
    """YAML anchors and ``<<`` merge keys are plain YAML; a merged key may be overridden."""
    write(
        "s.yaml",
        """
        roles:
          ae: &rep {headcount: 5, hours_per_week: 38}
          csm:
            <<: *rep
            headcount: 2
        """,
    )
    roles = load_scenario("s.yaml").roles
    assert (roles.ae.headcount, roles.ae.hours_per_week) == (5, 38)
    assert (roles.csm.headcount, roles.csm.hours_per_week) == (2, 38)


# ----------------------------------------------------------------------------- file errors
def test_missing_file() -> None:
    """A missing file is one problem naming the path as given."""
    assert problems("nope/missing.yaml") == ["nope/missing.yaml: no such file"]


def test_directory() -> None:
    """A directory is refused clearly."""
    Path("somedir").mkdir()
    assert problems("somedir") == ["somedir: is a directory, not a scenario file"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    """A file with no document says it is empty."""
    write("empty.yaml", text)
    (line,) = problems("empty.yaml")
    assert line.startswith("empty.yaml: the file is empty")


def test_invalid_yaml_reports_the_line_of_the_mark() -> None:
    """A syntax error is one problem at the line YAML reports."""
    write(
        "bad.yaml",
        """
        meta:
          name: ok
        roles:
          ae: {headcount: 3
          sdr: {headcount: 2}
        """,
    )
    (line,) = problems("bad.yaml")
    assert line.startswith("bad.yaml:5: invalid YAML: ")


def test_tab_indentation_is_a_syntax_error_with_its_line() -> None:
    """Tabs cannot indent YAML; the problem points at the tab."""
    write("tab.yaml", "meta:\n\tname: x\n")
    (line,) = problems("tab.yaml")
    assert line.startswith("tab.yaml:2: invalid YAML: ")


@pytest.mark.parametrize(
    ("text", "what"), [("- a\n- b\n", "not a list"), ("just text\n", "not 'just text'")]
)
def test_document_that_is_not_a_mapping(text: str, what: str) -> None:
    """The top of a scenario must be a mapping."""
    write("list.yaml", text)
    assert problems("list.yaml") == [
        f"list.yaml:1: a scenario must be a mapping of keys (key: value), {what}"
    ]


def test_unreadable_values_are_problems_not_tracebacks() -> None:
    """An impossible date, an unknown tag and a control character are reported by line."""
    write("s.yaml", "meta:\n  name: !secret x\ncalendar:\n  start_date: 2027-13-45\n")
    assert problems("s.yaml") == [
        "s.yaml:2: meta.name: cannot read 'x': could not determine a constructor for the tag "
        "'!secret'",
        "s.yaml:4: calendar.start_date: expected a date such as 2027-01-01, got '2027-13-45' "
        "(month value is outside expected range of 1-12)",
    ]
    write("c.yaml", "meta:\n  name: 'a\x01b'\n")
    assert problems("c.yaml") == ["c.yaml:2: invalid YAML: character #x0001 is not allowed"]


def test_multiple_documents_are_refused() -> None:
    """A scenario file holds one YAML document."""
    write("s.yaml", "meta: {name: a}\n---\nmeta: {name: b}\n")
    (line,) = problems("s.yaml")
    assert line.startswith("s.yaml:2: invalid YAML: but found another document")


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


def test_duplicate_keys_name_both_lines() -> None:
    """A key given twice in one mapping is an error naming both lines, at any depth."""
    write(
        "s.yaml",
        """
        roles:
          ae:
            headcount: 3
            hours_per_week: 40
            headcount: 4
        meta: {name: a}
        meta: {name: b}
        """,
    )
    assert problems("s.yaml") == [
        "s.yaml:5: roles.ae.headcount: duplicate key 'headcount' (first given at line 3)",
        "s.yaml:7: meta: duplicate key 'meta' (first given at line 6)",
    ]


def test_scenario_error_is_picklable_and_lists_problems() -> None:
    """Errors cross process boundaries (parallel runs) intact."""
    error = ScenarioError([Problem("a.yaml", 3, "roles", "bad"), Problem("--set", None, "", "x")])
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems
    assert str(again) == "a.yaml:3: roles: bad\n--set: x"


# ----------------------------------------------------------------------------- extends
def test_extends_chain_merges_mappings_and_replaces_lists() -> None:
    """Children win; mappings merge, lists are replaced, a new family replaces a distribution."""
    write(
        "base/a.yaml",
        """
        meta: {name: A, description: from a}
        roles:
          ae: {headcount: 3, hours_per_week: 35}
        funnel:
          stages:
            - {name: qualification, role: sdr, work: {exponential: {mean: 1h}}}
            - {name: discovery, role: ae, work: {exponential: {mean: 2h}}}
        """,
    )
    write("base/b.yaml", "extends: a.yaml\nroles:\n  ae: {headcount: 5}\n")
    write(
        "c.yaml",
        """
        extends: base/b.yaml
        meta: {name: C}
        funnel:
          stages:
            - {name: discovery, role: ae, work: {lognormal: {mean: 2h, cv: 0.5}}}
        """,
    )
    scenario = load_scenario("c.yaml")
    assert (scenario.meta.name, scenario.meta.description) == ("C", "from a")
    assert (scenario.roles.ae.headcount, scenario.roles.ae.hours_per_week) == (5, 35)
    assert [s.name for s in scenario.funnel.stages] == ["discovery"]
    assert scenario.funnel.stages[0].work.family == "lognormal"


def test_extends_replaces_a_distribution_of_another_family_and_merges_the_same() -> None:
    """Switching family replaces the parent's spec; the same family merges parameters."""
    write("a.yaml", "customers:\n  onboarding_work: {lognormal: {mean: 8h, cv: 0.5}}\n")
    write("b.yaml", "extends: a.yaml\ncustomers:\n  onboarding_work: {gamma: {mean: 8h, cv: 1}}\n")
    write("c.yaml", "extends: a.yaml\ncustomers:\n  onboarding_work: {lognormal: {cv: 2}}\n")
    assert load_scenario("b.yaml").customers.onboarding_work.family == "gamma"
    spec = load_scenario("c.yaml").customers.onboarding_work.spec
    assert (spec.mean, spec.cv) == (pytest.approx(8 / 24), 2)


def test_extends_errors_point_into_the_file_that_has_them() -> None:
    """A problem in a parent is reported with the parent's path and line."""
    write("base.yaml", "meta: {name: base}\nroles:\n  sdr:\n    headcount: -1\n")
    write("child.yaml", "extends: base.yaml\nroles:\n  ae: {headcount: many}\n")
    assert problems("child.yaml") == [
        "child.yaml:3: roles.ae.headcount: expected a whole number, got 'many'",
        "base.yaml:4: roles.sdr.headcount: must not be negative, got -1",
    ]


def test_extends_value_replaced_by_the_child_is_not_blamed_on_the_parent() -> None:
    """When the child replaces a list, errors inside it point into the child."""
    write("base.yaml", "funnel:\n  stages:\n    - {name: a, role: ae, work: 1h}\n")
    write("child.yaml", "# comment\nextends: base.yaml\nfunnel:\n  stages:\n    - {role: ae}\n")
    assert problems("child.yaml") == [
        "child.yaml:5: funnel.stages.0.name: required key is missing",
        "child.yaml:5: funnel.stages.0.work: required key is missing",
    ]


def test_extends_cycle_names_the_files() -> None:
    """A cycle of extends is one error listing the files in order."""
    write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "meta: {name: b}\nextends: a.yaml\n")
    assert problems("a.yaml") == [
        "b.yaml:2: extends: extends files in a cycle: a.yaml -> b.yaml -> a.yaml"
    ]
    write("self.yaml", "extends: self.yaml\n")
    assert problems("self.yaml") == [
        "self.yaml:1: extends: extends files in a cycle: self.yaml -> self.yaml"
    ]


def test_extends_falls_back_to_a_bundled_scenario() -> None:
    """A user's file anywhere can build on a scenario shipped with salessim."""
    write("mine.yaml", "extends: baseline.yaml\nroles: {ae: {headcount: 21}}\n")
    scenario = load_scenario("mine.yaml")
    assert scenario.roles.ae.headcount == 21
    assert scenario.meta.name == "Mid-market SaaS baseline"


def test_extends_missing_parent_points_at_the_extends_line() -> None:
    """A parent that does not exist is reported where it is named."""
    write("sub/child.yaml", "meta: {name: x}\nextends: ../parent.yaml\n")
    assert problems("sub/child.yaml") == [
        "sub/child.yaml:2: extends: cannot find '../parent.yaml' "
        "(looked for parent.yaml and a bundled scenario)"
    ]


def test_extends_only_at_the_top_level() -> None:
    """``extends`` deeper in the file is an unknown key like any other."""
    write("s.yaml", "roles:\n  extends: x.yaml\n")
    (line,) = problems("s.yaml")
    assert line.startswith("s.yaml:2: roles.extends: unknown key 'extends'")


# ----------------------------------------------------------------------------- overrides
def test_overrides_read_values_as_yaml() -> None:
    """Numbers, booleans-free scalars, lists, mappings and enum names all work, indices too."""
    write("s.yaml", "meta: {name: x}\n")
    scenario = load_scenario(
        "s.yaml",
        [
            "roles.ae.headcount=12",
            "funnel.stages.1.convert=0.5",
            "funnel.stages.0.work={exponential: {mean: 2h}}",
            "policies.routing.ae=round_robin",
            "meta.learning_goals=[one, two]",
            "calendar.start_date=2030-06-01",
            "market.segments.mid_market.inbound.seasonality.3=1.5",
        ],
    )
    assert scenario.roles.ae.headcount == 12
    assert scenario.funnel.stages[1].convert == 0.5
    assert scenario.funnel.stages[0].work.mean == pytest.approx(2 / 24)
    assert scenario.policies.routing.ae == "round_robin"
    assert scenario.meta.learning_goals == ["one", "two"]
    assert scenario.calendar.start_date == dt.date(2030, 6, 1)
    assert scenario.market.segments["mid_market"].inbound.seasonality[3] == 1.5
    assert len(scenario.funnel.stages) == len(Scenario().funnel.stages)


def test_overrides_keep_the_defaults_of_other_keys() -> None:
    """Setting one key of a section the file does not mention keeps that section's defaults."""
    write("s.yaml", "meta: {name: x}\n")
    sdr = load_scenario("s.yaml", ["roles.sdr.headcount=2"]).roles.sdr
    assert sdr == Scenario().roles.sdr.model_copy(update={"headcount": 2})


def test_overrides_apply_after_extends() -> None:
    """An override beats both the file and its parent."""
    write("a.yaml", "roles:\n  ae: {headcount: 3}\n")
    write("b.yaml", "extends: a.yaml\nroles:\n  ae: {headcount: 4}\n")
    assert load_scenario("b.yaml", ["roles.ae.headcount=7"]).roles.ae.headcount == 7


def test_override_switching_distribution_family_replaces_it() -> None:
    """Naming another family inside a distribution replaces the whole distribution."""
    write("s.yaml", "meta: {name: x}\n")
    work = (
        load_scenario(
            "s.yaml",
            ["funnel.stages.0.work.lognormal.mean=1h", "funnel.stages.0.work.lognormal.cv=1"],
        )
        .funnel.stages[0]
        .work
    )
    assert work.family == "lognormal"
    assert (work.mean, work.spec.cv) == (pytest.approx(1 / 24), 1)


def test_overrides_can_add_a_segment_but_not_misspell_its_keys() -> None:
    """A new name under a mapping of segments creates one; fixed keys are still checked."""
    write("s.yaml", "meta: {name: x}\n")
    segments = load_scenario("s.yaml", ["market.segments.enterprise.inbound.rate=20/mo"])
    assert sorted(segments.market.segments) == ["enterprise", "mid_market"]
    assert problems("s.yaml", ["market.segments.enterprise.inbond.rate=20/mo"]) == [
        "--set: market.segments.enterprise.inbond: unknown key 'inbond'; did you mean 'inbound'?"
    ]


def test_override_errors() -> None:
    """Unknown paths, malformed overrides, bad indices and bad values are all reported."""
    write("s.yaml", "meta: {name: x}\n")
    assert problems(
        "s.yaml",
        [
            "roles.ae.headcont=3",
            "roles.ae.headcount",
            "funnel.stages.9.convert=0.5",
            "funnel.stages.first.convert=0.5",
            "roles.ae.headcount.max=3",
            "roles..ae=1",
            "meta.name=[unclosed",
            "funnel.stages.1.convert=1.4",
        ],
    ) == [
        "--set: roles.ae.headcont: unknown key 'headcont'; did you mean 'headcount'?",
        "--set: cannot read 'roles.ae.headcount': expected key.path=value, "
        "e.g. roles.ae.headcount=12",
        "--set: funnel.stages.9: position 9 is past the end of a list of 6",
        "--set: funnel.stages.first: expected a list position (0, 1, ...), got 'first'",
        "--set: roles.ae.headcount.max: unknown key 'max': roles.ae.headcount takes a "
        "single value, not keys",
        "--set: roles..ae: empty part in the key path",
        "--set: meta.name: cannot read the value '[unclosed': expected ',' or ']', "
        "but got '<stream end>'",
        "--set: funnel.stages.1.convert: must be <= 1, got 1.4",
    ]


def test_override_problems_come_with_file_problems() -> None:
    """File problems and override problems are reported together, the file's first."""
    write("s.yaml", "roles:\n  ae: {headcount: -2}\n")
    assert problems("s.yaml", ["roles.sdr.hedcount=1"]) == [
        "s.yaml:2: roles.ae.headcount: must not be negative, got -2",
        "--set: roles.sdr.hedcount: unknown key 'hedcount'; did you mean 'headcount'?",
    ]


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


# ----------------------------------------------------------------------------- bundled names
def test_resolve_scenario() -> None:
    """Existing paths come back as given; bundled names resolve inside the package."""
    write("mine.yaml", "meta: {name: x}\n")
    assert resolve_scenario("mine.yaml") == Path("mine.yaml")
    names = bundled_scenarios()
    assert names == sorted(names)
    assert not any(name.endswith(".yaml") for name in names)
    for name in names:
        assert resolve_scenario(name).is_file()
        assert resolve_scenario(f"{name}.yaml") == resolve_scenario(name)
    if "baseline" in names:
        assert resolve_scenario(None) == resolve_scenario("baseline")


def test_resolve_unknown_scenario_lists_the_bundled_ones() -> None:
    """An unknown name is one problem listing what is bundled."""
    with pytest.raises(ScenarioError) as caught:
        resolve_scenario("no_such_scenario")
    (problem,) = caught.value.problems
    assert problem.file == "no_such_scenario"
    assert problem.message.endswith(", ".join(bundled_scenarios()) or "none")


def test_bundled_scenarios_load() -> None:
    """Every shipped scenario file is bundled and loads as the scenario its file names."""
    shipped = ROOT / "scenarios"
    files = sorted(
        path.relative_to(shipped).with_suffix("").as_posix() for path in shipped.rglob("*.yaml")
    )
    assert files and bundled_scenarios() == files
    for name in files:
        said = yaml.safe_load((shipped / f"{name}.yaml").read_text(encoding="utf-8"))
        assert load_scenario(resolve_scenario(name)).meta.name == said["meta"]["name"], name


# ----------------------------------------------------------------------------- JSON schema
def _conforms(schema: dict[str, Any], value: Any, root: dict[str, Any]) -> bool:
    """A small JSON Schema check: refs, anyOf, types, enums, properties, items, bounds."""
    if "$ref" in schema:
        target = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
        return _conforms(target, value, root) and _conforms(
            {k: v for k, v in schema.items() if k != "$ref"}, value, root
        )
    if "anyOf" in schema and not any(_conforms(s, value, root) for s in schema["anyOf"]):
        return False
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if kinds and not any(_is(kind, value) for kind in kinds):
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if isinstance(value, dict):
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, extra)
            if sub is False or (isinstance(sub, dict) and not _conforms(sub, item, root)):
                return False
        if not schema.get("minProperties", 0) <= len(value) <= schema.get("maxProperties", 99):
            return False
        return all(key in value for key in schema.get("required", []))
    if isinstance(value, list):
        return all(_conforms(schema.get("items", {}), item, root) for item in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value >= schema.get("minimum", value) and value > schema.get(
            "exclusiveMinimum", value - 1
        )
    return True


def _is(kind: str, value: Any) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str | dt.date),
        "number": number,
        "integer": number and float(value).is_integer(),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }[kind]


def test_json_schema_describes_raw_scenario_files() -> None:
    """The schema accepts units, shorthands and ``extends``, and refuses unknown keys."""
    schema = scenario_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "salessim scenario"
    assert schema["properties"]["extends"]["type"] == "string"
    sample = yaml.safe_load(
        textwrap.dedent(
            """
            extends: base.yaml
            calendar: {start_date: 2027-01-01, horizon: 3y, warmup: 30}
            market:
              segments:
                smb:
                  inbound: {rate: 400/mo}
                  deal_value: {empirical: [10k, 20k]}
                  fit: {beta: {a: 2, b: 3}}
            funnel:
              stages:
                - {name: a, role: ae, work: 2h, lag: {constant: 3d}, routes: {won: 0.5}}
            roles: {ae: {headcount: 3, skill: 1}}
            """
        )
    )
    assert _conforms(schema, sample, schema)
    for name in bundled_scenarios():
        raw = yaml.safe_load(resolve_scenario(name).read_text(encoding="utf-8"))
        assert _conforms(schema, raw, schema), name
    assert not _conforms(schema, {"roles": {"ae": {"headcont": 3}}}, schema)
    assert not _conforms(schema, {"funnel": {"stages": [{"name": "a", "role": "x"}]}}, schema)
    two_families = {"exponential": {"mean": 1}, "gamma": {"mean": 1, "cv": 1}}
    assert not _conforms(schema, {"customers": {"renewal_work": two_families}}, schema)
