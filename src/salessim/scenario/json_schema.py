"""A JSON Schema of scenario files, for editor completion and checks."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from salessim.scenario.schema import Scenario
from salessim.scenario.units import parse_duration, parse_money, parse_number, parse_rate

_UNIT_PARSERS = (parse_duration, parse_rate, parse_money, parse_number)
_BOUND_KEYWORDS = {
    "gt": "exclusiveMinimum",
    "ge": "minimum",
    "lt": "exclusiveMaximum",
    "le": "maximum",
}


class _InputSchema(GenerateJsonSchema):
    """Describe what a file may say: quantities with units are numbers or strings."""

    def function_before_schema(self, schema: Any) -> dict[str, Any]:
        inner = super().function_before_schema(schema)
        if schema["function"].get("function") in _UNIT_PARSERS:
            return {"anyOf": [inner, {"type": "string"}]}
        return inner


def _standard_bounds(node: Any) -> Any:
    """Rename pydantic's leftover ``gt``/``ge``/``lt``/``le`` keys to JSON Schema keywords."""
    if isinstance(node, list):
        return [_standard_bounds(item) for item in node]
    if not isinstance(node, dict):
        return node
    renamed = {}
    for key, value in node.items():
        is_bound = key in _BOUND_KEYWORDS and isinstance(value, int | float)
        renamed[_BOUND_KEYWORDS[key] if is_bound else key] = _standard_bounds(value)
    return renamed


def scenario_json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of scenario files, for editor completion and checks."""
    schema = Scenario.model_json_schema(by_alias=True, schema_generator=_InputSchema)
    schema = _standard_bounds(schema)
    dist = schema["$defs"]["Dist"]
    families = dist["properties"]
    families["constant"]["anyOf"].insert(0, {"type": ["number", "string"]})
    families["empirical"]["anyOf"].insert(
        0, {"type": "array", "items": {"type": ["number", "string"]}}
    )
    dist.update(minProperties=1, maxProperties=1)
    schema["$defs"]["Dist"] = {
        "description": dist.pop("description"),
        "anyOf": [{"type": ["number", "string"]}, dist],
    }
    schema["properties"]["extends"] = {
        "type": "string",
        "description": "Another scenario file (relative to this one) that this file changes.",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "salessim scenario",
    }
