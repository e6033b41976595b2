"""``extends``: a scenario file merged onto its ancestors, each problem told where it is."""

from __future__ import annotations

import pytest

from salessim.scenario import load_scenario
from tests.scenario.scenario_files import (
    in_tmp,  # noqa: F401  (autouse: runs each test in a temporary directory)
    problems,
    write,
)


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
