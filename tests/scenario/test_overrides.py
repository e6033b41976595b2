"""``--set`` overrides: values read as YAML, applied after ``extends``, their errors."""

from __future__ import annotations

import datetime as dt

import pytest

from salessim.scenario import Scenario, load_scenario
from tests.scenario.scenario_files import (
    in_tmp,  # noqa: F401  (autouse: runs each test in a temporary directory)
    problems,
    write,
)


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
