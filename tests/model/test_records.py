"""Every record the model emits is whole: all its fields, in order, of the declared kinds."""

from __future__ import annotations

import typing
from collections import Counter

from salessim import Simulation
from salessim.model.events import (
    EVENT_TYPES,
    Bus,
    LeadClosed,
    LeadCreated,
    LeadWorkStarted,
    Source,
    StageDone,
)
from salessim.scenario.load import load_scenario
from tests.support import ROOT


def test_every_record_of_a_year_has_all_its_fields():
    """A year of a plan scenario: each record's length is its type's, each day a number."""
    scenario = load_scenario(ROOT / "scenarios/comp/linear_50_50.yaml", ["calendar.warmup=0"])
    sim = Simulation(scenario, 3)
    seen: Counter[type] = Counter()

    def check(record: typing.Any) -> None:
        kind = type(record)
        assert len(record) == len(kind._fields), kind.__name__
        assert isinstance(record.day, float | int), kind.__name__
        seen[kind] += 1

    for kind in EVENT_TYPES:
        sim.bus.subscribe(kind, check)
    sim.run_until(365.25)
    for kind in (LeadCreated, LeadWorkStarted, StageDone, LeadClosed):  # built without checks
        assert seen[kind] > 100


def test_a_published_record_equals_the_one_its_constructor_builds():
    """``Bus.publish`` delivers the very record the type's constructor would."""
    got = []
    bus = Bus()
    bus.subscribe(LeadCreated, got.append)
    bus.publish(LeadCreated, (1.5, 7, 0, Source.INBOUND))
    assert got == [LeadCreated(1.5, 7, 0, Source.INBOUND)]
    assert type(got[0]) is LeadCreated and got[0].lead == 7
