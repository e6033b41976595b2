"""Markdown reference of every scenario key, generated from the pydantic schema.

``python -m salessim.scenario.reference`` prints it; ``--write docs/scenarios.md``
replaces the part of that file below the marker line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import sys
import types
from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from salessim.scenario import limits
from salessim.scenario.dists import FAMILIES, Dist, non_negative
from salessim.scenario.schema import Scenario
from salessim.scenario.units import (
    DAYS_PER_YEAR,
    DURATION_UNITS,
    MONEY_UNITS,
    parse_duration,
    parse_money,
    parse_number,
    parse_rate,
)

MARKER = (
    "<!-- generated: do not edit below; "
    "python -m salessim.scenario.reference --write docs/scenarios.md -->"
)

_UNIT_NAMES = {
    "min": "minutes",
    "h": "hours",
    "d": "days",
    "w": "weeks",
    "mo": "months",
    "y": "years",
    "k": "thousands",
    "K": "thousands",
    "M": "millions",
}
_KINDS = {
    parse_duration: "duration",
    parse_rate: "rate",
    parse_money: "money",
    parse_number: "number or quantity",
}
_SCALARS = {
    float: "number",
    int: "integer",
    str: "text",
    bool: "true or false",
    dt.date: "date (YYYY-MM-DD)",
}
_BOUNDS = (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))


# ----------------------------------------------------------------------------- values
def _flow(value: Any) -> str:
    """A value in YAML flow style, numbers shortened."""
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True, exclude_none=True, mode="json")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return f"{value:g}"
    if value is None:
        return "null"
    if value == "":
        return '""'
    return str(value)


def _default(info: FieldInfo, kinds: set[str]) -> str:
    if info.is_required():
        return "**required**"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, Dist):
        return f"`{value}`"
    if isinstance(value, BaseModel):
        changed = value.model_dump(by_alias=True, exclude_defaults=True, mode="json")
        return f"`{_flow(changed)}`" if changed else "defaults"
    if isinstance(value, list) and value and all(hasattr(v, "name") for v in value):
        return ", ".join(f"`{v.name}`" for v in value)
    if isinstance(value, list) and len(value) > 3 and len(set(value)) == 1:
        return f"{len(value)} × `{_flow(value[0])}`"
    if isinstance(value, dict) and value:
        return ", ".join(f"`{k}`" for k in value)
    suffix = "d" if "duration" in kinds else "/d" if "rate" in kinds else ""
    return f"`{_flow(value)}{suffix if isinstance(value, float) else ''}`"


# ----------------------------------------------------------------------------- types
def _flat(metadata: Iterable[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in metadata:
        flat.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return flat


def _bound(value: Any, kinds: set[str]) -> str:
    """A bound as the reference shows it: whole years for durations, 1e12 for a trillion."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if "duration" in kinds and value >= DAYS_PER_YEAR and value % DAYS_PER_YEAR == 0:
        return f"{value / DAYS_PER_YEAR:g}y"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{value:g}".replace("e+", "e")


def _bounds(metadata: list[Any], kinds: set[str]) -> str:
    """The tightest lower and upper bound among the constraints, e.g. `` from 0 to 1``."""
    found: dict[str, list[Any]] = {}
    for m in metadata:
        for name, _ in _BOUNDS:
            if hasattr(m, name):
                found.setdefault(name, []).append(getattr(m, name))
    lower = [(v, name) for name in ("ge", "gt") for v in found.get(name, [])]
    upper = [(v, name) for name in ("le", "lt") for v in found.get(name, [])]
    low = max(lower, key=lambda b: (b[0], b[1] == "gt"), default=None)
    high = min(upper, key=lambda b: (b[0], b[1] == "le"), default=None)
    if low and high and (low[1], high[1]) == ("ge", "le"):
        return f" from {_bound(low[0], kinds)} to {_bound(high[0], kinds)}"
    ops = dict(_BOUNDS)
    parts = [f"{ops[b[1]]} {_bound(b[0], kinds)}" for b in (low, high) if b is not None]
    return " " + " and ".join(parts) if parts else ""


def _length(metadata: list[Any]) -> str:
    low = next((m.min_length for m in metadata if hasattr(m, "min_length")), None)
    high = next((m.max_length for m in metadata if hasattr(m, "max_length")), None)
    if low is not None and low == high:
        return f", exactly {low}"
    return f", at least {low}" if low else ""


def _kinds(metadata: list[Any]) -> set[str]:
    return {_KINDS[m.func] for m in metadata if getattr(m, "func", None) in _KINDS}


def type_text(tp: Any, metadata: Sequence[Any] = ()) -> str:
    """A short Markdown description of a field type with its constraints."""
    meta = _flat(metadata)
    origin = get_origin(tp)
    if origin is Annotated:
        return type_text(get_args(tp)[0], [*get_args(tp)[1:], *meta])
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        return " or ".join(type_text(m, meta) for m in members) + " (or null)"
    if origin is list:
        return f"list of {type_text(get_args(tp)[0])}{_length(meta)}"
    if origin is dict:
        return f"mapping of name to {type_text(get_args(tp)[1])}{_length(meta)}"
    if tp is Dist:
        never_negative = any(getattr(m, "func", None) is non_negative for m in meta)
        return "[distribution](#distributions)" + (", never negative" if never_negative else "")
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in tp)
    kinds = _kinds(meta)
    name = next(iter(kinds)) if kinds else _SCALARS.get(tp, getattr(tp, "__name__", str(tp)))
    patterns = [f" matching `{m.pattern}`" for m in meta if getattr(m, "pattern", None)]
    return name + _bounds(meta, kinds) + "".join(patterns)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(model: type[BaseModel], *, with_default: bool = True) -> list[str]:
    rows = ["| key | type | default | description |", "| --- | --- | --- | --- |"]
    for name, info in model.model_fields.items():
        kinds = _kinds(_flat(info.metadata))
        cells = [
            f"`{info.alias or name}`",
            type_text(info.annotation, info.metadata),
            _default(info, kinds) if with_default else "",
            info.description or "",
        ]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return rows


# ----------------------------------------------------------------------------- sections
def _nested(tp: Any) -> list[tuple[type[BaseModel], str]]:
    """Models directly inside a field type, with the path suffix that reaches them."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _nested(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        return [found for arg in get_args(tp) for found in _nested(arg)]
    if origin is list:
        return [(m, ".<n>" + s) for m, s in _nested(get_args(tp)[0])]
    if origin is dict:
        return [(m, ".<name>" + s) for m, s in _nested(get_args(tp)[1])]
    if isinstance(tp, type) and issubclass(tp, BaseModel) and tp is not Dist:
        return [(tp, "")]
    return []


def _places(root: type[BaseModel]) -> dict[type[BaseModel], list[str]]:
    """Every model below ``root`` with the key paths where it appears, in reading order."""
    places: dict[type[BaseModel], list[str]] = {root: []}
    stack = [(root, "")]
    while stack:
        model, path = stack.pop(0)
        for name, info in model.model_fields.items():
            for child, suffix in _nested(info.annotation):
                where = f"{path}{info.alias or name}{suffix}"
                places.setdefault(child, []).append(where)
                stack.append((child, where + "."))
    return places


def _doc(obj: type) -> str:
    """A docstring as Markdown: paragraphs with indented lines become code blocks."""
    paragraphs = inspect.cleandoc(obj.__doc__ or "").replace("``", "`").split("\n\n")
    return "\n\n".join(
        f"```text\n{p}\n```" if any(line.startswith(" ") for line in p.splitlines()) else p
        for p in paragraphs
    )


def _model_sections() -> list[str]:
    lines = ["## Scenario keys", ""]
    for model, places in _places(Scenario).items():
        where = ", ".join(f"`{p}`" for p in places) if places else "the top of the file"
        lines += [f"### {model.__name__}", "", _doc(model), "", f"Found at: {where}.", ""]
        lines += [*_table(model), ""]
    return lines


def _unit_sections() -> list[str]:
    lines = [
        "## Units",
        "",
        "The model's time unit is the calendar day. Wherever a key says *duration*, *rate*,",
        "*money* or *number or quantity*, a plain number is read in days, per day or in",
        "currency units, and a string may carry a unit.",
        "",
        "### Durations",
        "",
        "A number followed by a unit, e.g. `90d`, `6w`, `3mo`, `8h`. A bare number is days.",
        "",
        "| unit | meaning | days |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{u}` | {_UNIT_NAMES.get(u, u)} | {d:.6g} |" for u, d in DURATION_UNITS.items()]
    lines += [
        "",
        "`m` is refused as ambiguous: write `min` for minutes, `mo` for months or `M` for",
        "millions.",
        "",
        "### Rates",
        "",
        "A number per duration unit, e.g. `400/mo`, `9/h`, `20/d`. A bare number is per day.",
        "",
        "### Money",
        "",
        "A number with an optional suffix, e.g. `45000`, `45k`, `1.2M`; `$` and `,` are ignored.",
        "",
        "| suffix | meaning | factor |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{u}` | {_UNIT_NAMES[u]} | {f:g} |" for u, f in MONEY_UNITS.items() if u]
    lines += [
        "",
        "A *number or quantity* (distribution parameters) reads money suffixes as money and",
        "anything else as a duration in days, so `2h` is 0.0833 and `45k` is 45000.",
        "",
    ]
    return lines


def _dist_section() -> list[str]:
    lines = [
        "## Distributions",
        "",
        _doc(Dist),
        "",
        "```yaml",
        "work: {lognormal: {mean: 2h, cv: 0.8}}   # one family and its parameters",
        "lag: 3d                                  # a bare value is a constant",
        "patience: {constant: 5d}                 # the same, spelled out",
        "deal_value: {empirical: [20k, 40k, 90k]} # a list of values, equally likely",
        "```",
        "",
        "Keys typed *never negative* refuse families that can draw values below zero.",
        "",
        "| family | parameters | description |",
        "| --- | --- | --- |",
    ]
    for family, model in FAMILIES.items():
        params = [
            f"`{info.alias or name}`: "
            + type_text(info.annotation, info.metadata).removesuffix(" (or null)")
            + ("" if info.is_required() else " (optional)")
            for name, info in model.model_fields.items()
        ]
        lines.append(f"| `{family}` | {_cell('; '.join(params))} | {_cell(_doc(model))} |")
    return [*lines, ""]


def _limits_section() -> str:
    """The bounds of ``limits``, as a table."""
    years = f"{limits.MAX_YEARS:g} years"
    rows = [
        ("`calendar.horizon`, `calendar.warmup`, `--years`", f"at most {years} each"),
        ("any duration", f"at most {years} ({limits.MAX_DAYS:g} days)"),
        ("dates", f"{limits.FIRST_DATE} to {limits.LAST_DATE}"),
        ("money (pay, quotas, deal values, costs)", f"at most {_bound(limits.MAX_MONEY, set())}"),
        (
            "other numbers (hours, rates of pay, distribution parameters)",
            f"{_bound(-limits.MAX_NUMBER, set())} to {_bound(limits.MAX_NUMBER, set())}",
        ),
        ("inbound leads of a segment", f"at most {limits.MAX_RATE_PER_DAY:,g} a day"),
        ("outbound leads", f"at most {limits.MAX_LEADS_PER_HOUR:g} a prospecting hour"),
        ("referrals", f"at most {limits.MAX_REFERRALS_PER_YEAR:g} an account a year"),
        (
            "multiples (conversion odds, offers, effort, seasonality, quota floor and ceiling)",
            f"at most {limits.MAX_MULTIPLE:g} (offers and odds at least 1/{limits.MAX_MULTIPLE:g})",
        ),
        ("elasticities, and weights in an exponent", f"0 to {limits.MAX_ELASTICITY:g}"),
        (
            "attainment levels (rate bands, bonus tiers, thresholds, the quit curve's peak)",
            f"0 to {limits.MAX_ATTAINMENT:g} ({limits.MAX_ATTAINMENT:.0%} of quota)",
        ),
        ("a distribution's cv", f"{limits.MIN_SPREAD:g} to {limits.MAX_CV:g}"),
        ("headcount of a role (at the start, or a target)", f"at most {limits.MAX_HEADCOUNT:,}"),
        ("accounts in the starting book", f"at most {limits.MAX_ACCOUNTS:,}"),
        ("other counts (winners, recognitions, hires a turn)", f"at most {limits.MAX_COUNT:,}"),
        ("counts of months (plans, draws, severance)", f"at most {limits.MAX_MONTHS:,}"),
        ("replications per arm (`-n`, `replications:`)", f"at most {limits.MAX_REPLICATIONS:,}"),
        ("seeds (`--seed`, `seed:`)", "whole numbers, 0 to 2^63 - 1"),
        ("`--workers`", f"at most {limits.MAX_WORKERS:,}"),
        (
            "a scenario or experiment file",
            f"at most {limits.MAX_FILE_BYTES >> 20} MiB, nested at most {limits.MAX_DEPTH} "
            f"levels deep, at most {limits.MAX_VALUES:,} values with YAML aliases expanded",
        ),
        (
            "a game save",
            f"at most {limits.MAX_SAVE_BYTES >> 20} MiB, nested at most {limits.MAX_DEPTH} "
            "levels deep",
        ),
    ]
    lines = [
        "## Limits",
        "",
        "Every number is finite: `.inf`, `.nan` and numbers past the floating-point range are",
        "refused where they are written. Every quantity has an upper bound, shown with its key",
        "below, so that whatever validates also runs to an end; files are read within limits,",
        "so that a broken or hostile file is refused in seconds. The bounds by kind:",
        "",
        "| what | limit |",
        "| --- | --- |",
        *(f"| {what} | {limit} |" for what, limit in rows),
        "",
    ]
    return "\n".join(lines)


def render_reference() -> str:
    """The generated Markdown reference: units, limits, distributions and every key."""
    lines = [*_unit_sections(), _limits_section(), *_dist_section(), *_model_sections()]
    return "\n".join(lines).rstrip() + "\n"


def splice(document: str, reference: str) -> str:
    """``document`` with everything below the marker line replaced by ``reference``."""
    head, found, _ = document.partition(MARKER)
    if not found:
        head = document.rstrip() + "\n\n" if document.strip() else "# Scenario reference\n\n"
    return f"{head}{MARKER}\n\n{reference}"


def main(argv: Sequence[str] | None = None) -> None:
    """Print the reference, or splice it into a Markdown file below its marker line."""
    parser = argparse.ArgumentParser(prog="python -m salessim.scenario.reference")
    parser.add_argument("--write", type=Path, metavar="PATH", help="e.g. docs/scenarios.md")
    args = parser.parse_args(argv)
    if args.write is None:
        sys.stdout.write(render_reference())
        return
    old = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
    args.write.write_text(splice(old, render_reference()), encoding="utf-8")


if __name__ == "__main__":
    main()
