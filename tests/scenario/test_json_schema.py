"""The JSON Schema of scenario files describes the files as written."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import yaml

from salessim.scenario import bundled_scenarios, resolve_scenario, scenario_json_schema
from tests.scenario.scenario_files import (
    in_tmp,  # noqa: F401  (autouse: runs each test in a temporary directory)
)


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
