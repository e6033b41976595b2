"""Units in scenario files and distribution specs: parsing, errors, and sampled moments."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from salessim.scenario.dists import FAMILIES, Dist, non_negative
from salessim.scenario.units import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    parse_duration,
    parse_money,
    parse_number,
    parse_rate,
)

DRAWS = 200_000
STANDARD_ERRORS = 5


# ----------------------------------------------------------------------------- units
@pytest.mark.parametrize(
    ("text", "days"),
    [
        (3, 3.0),
        (2.5, 2.5),
        ("90d", 90.0),
        ("6w", 42.0),
        ("3mo", 3 * DAYS_PER_MONTH),
        ("2y", 2 * DAYS_PER_YEAR),
        ("8h", 8 / 24),
        ("30min", 30 / 1440),
        (" 1.5 d ", 1.5),
        ("12", 12.0),
        ("1e2d", 100.0),
    ],
)
def test_parse_duration(text: object, days: float) -> None:
    """Durations are days; strings carry a unit."""
    assert parse_duration(text) == pytest.approx(days)


@pytest.mark.parametrize(
    ("text", "per_day"),
    [
        (4, 4.0),
        ("20/d", 20.0),
        ("9/h", 216.0),
        ("100/w", 100 / 7),
        ("400/mo", 400 / DAYS_PER_MONTH),
    ],
)
def test_parse_rate(text: object, per_day: float) -> None:
    """Rates are per day; strings say per what."""
    assert parse_rate(text) == pytest.approx(per_day)


@pytest.mark.parametrize(
    ("text", "amount"), [(45000, 45000.0), ("45k", 45e3), ("1.2M", 1.2e6), ("$1,200", 1200.0)]
)
def test_parse_money(text: object, amount: float) -> None:
    """Money takes k and M suffixes, ignoring $ and thousands separators."""
    assert parse_money(text) == pytest.approx(amount)


@pytest.mark.parametrize(("text", "value"), [(3, 3.0), ("2h", 1 / 12), ("45k", 45e3), ("7", 7.0)])
def test_parse_number(text: object, value: float) -> None:
    """Distribution parameters read money suffixes as money and other units as durations."""
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("parse", [parse_duration, parse_rate, parse_money])
def test_m_is_ambiguous(parse: Any) -> None:
    """``m`` could be minutes, months or millions: it is refused with the alternatives."""
    text = "3/m" if parse is parse_rate else "3m"
    with pytest.raises(ValueError, match="'m' is ambiguous: use 'min' for minutes, 'mo'"):
        parse(text)


@pytest.mark.parametrize(
    ("parse", "value", "match"),
    [
        (parse_duration, "soon", "cannot read 'soon' as a duration"),
        (parse_duration, "5x", "unknown duration unit 'x'"),
        (parse_duration, True, "got a boolean"),
        (parse_duration, None, "expected a duration"),
        (parse_rate, "400", "cannot read '400' as a rate"),
        (parse_rate, [1], "expected a rate"),
        (parse_money, "45q", "unknown money unit 'q'"),
        (parse_money, False, "got a boolean"),
        (parse_number, "lots", "cannot read 'lots' as a number"),
    ],
)
def test_unit_errors(parse: Any, value: object, match: str) -> None:
    """Unreadable values raise a ValueError that says what was expected."""
    with pytest.raises(ValueError, match=match):
        parse(value)


# ----------------------------------------------------------------------------- dists
SPECS: list[tuple[str, Any]] = [
    ("constant", 2.5),
    ("exponential", {"exponential": {"mean": "2h"}}),
    ("lognormal", {"lognormal": {"mean": "30d", "cv": 0.8}}),
    ("gamma", {"gamma": {"mean": 3, "cv": 0.5}}),
    ("gamma-skewed", {"gamma": {"mean": 3, "cv": 2}}),
    ("beta-moments", {"beta": {"mean": 0.6, "sd": 0.15}}),
    ("beta-shape", {"beta": {"a": 2, "b": 5}}),
    ("uniform", {"uniform": {"low": 1, "high": 4}}),
    ("triangular", {"triangular": {"low": 0, "mode": 1, "high": 5}}),
    ("normal", {"normal": {"mean": -1, "sd": 2}}),
    ("empirical", {"empirical": [3, 5]}),
    ("empirical-weighted", {"empirical": {"values": [1, 2, "10"], "weights": [1, 1, 2]}}),
]


def test_every_family_is_covered() -> None:
    """The moment test below samples every family."""
    assert {Dist.model_validate(spec).family for _, spec in SPECS} == set(FAMILIES)


@pytest.mark.parametrize(
    ("seed", "spec"),
    [(i, spec) for i, (_, spec) in enumerate(SPECS)],
    ids=[name for name, _ in SPECS],
)
def test_sampled_moments_match_the_spec(seed: int, spec: Any) -> None:
    """Mean and variance of 200k draws are within 5 standard errors of the spec's own."""
    dist = Dist.model_validate(spec)
    x = dist.draw(np.random.default_rng(seed), DRAWS)
    assert x.shape == (DRAWS,)
    mean_se = math.sqrt(dist.variance / DRAWS)
    assert abs(x.mean() - dist.mean) <= STANDARD_ERRORS * mean_se + 1e-12 * abs(dist.mean)
    s2 = x.var(ddof=1)
    m4 = np.mean((x - x.mean()) ** 4)
    var_se = math.sqrt(max(m4 - s2**2, 0.0) / DRAWS)
    assert abs(s2 - dist.variance) <= STANDARD_ERRORS * var_se + 1e-12 * (1 + dist.variance)


def test_beta_by_moments_has_those_moments() -> None:
    """A beta given by mean and sd has exactly that mean and sd, and shape parameters to match."""
    dist = Dist.model_validate({"beta": {"mean": 0.6, "sd": 0.15}})
    assert dist.mean == pytest.approx(0.6)
    assert math.sqrt(dist.variance) == pytest.approx(0.15)
    by_shape = Dist.model_validate({"beta": dict(zip("ab", dist.spec.shape, strict=True))})
    assert by_shape.mean == pytest.approx(0.6)
    assert by_shape.variance == pytest.approx(dist.variance)


def test_shorthands() -> None:
    """A bare value, ``constant: x`` and ``empirical: [...]`` are shorthands; units apply."""
    assert Dist.model_validate("2h") == Dist.model_validate({"constant": {"value": 1 / 12}})
    assert Dist.model_validate({"constant": "45k"}).mean == 45_000
    assert Dist.model_validate({"empirical": [1, 3]}).mean == 2
    assert str(Dist.model_validate({"lognormal": {"mean": 2, "cv": 0.5}})) == (
        "lognormal(mean=2, cv=0.5)"
    )


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ({"exponential": {"mean": 1}, "gamma": {"mean": 1, "cv": 1}}, "exactly one"),
        ({}, "exactly one"),
        ({"beta": {"mean": 0.5}}, "either mean and sd, or a and b"),
        ({"beta": {"mean": 0.5, "sd": 0.1, "a": 1, "b": 1}}, "either mean and sd, or a and b"),
        ({"beta": {"mean": 0.5, "sd": 0.6}}, "sd too large"),
        ({"uniform": {"low": 3, "high": 1}}, "high must be at least low"),
        ({"triangular": {"low": 0, "mode": 6, "high": 5}}, "low <= mode <= high"),
        ({"empirical": {"values": [1, 2], "weights": [1]}}, "one entry per value"),
        ({"empirical": {"values": [1], "weights": [-1]}}, "non-negative"),
        ({"exponential": {"mean": 0}}, "greater than 0"),
    ],
)
def test_invalid_specs(spec: Any, match: str) -> None:
    """Invalid specs are refused with a reason."""
    with pytest.raises(ValidationError, match=match):
        Dist.model_validate(spec)


@pytest.mark.parametrize(
    ("spec", "negative"),
    [
        ({"normal": {"mean": 5, "sd": 1}}, True),
        ({"normal": {"mean": 5, "sd": 0}}, False),
        (-1, True),
        ({"uniform": {"low": -1, "high": 1}}, True),
        ({"triangular": {"low": 0, "mode": 1, "high": 2}}, False),
        ({"empirical": [0, -2]}, True),
        ({"lognormal": {"mean": 1, "cv": 3}}, False),
    ],
)
def test_can_be_negative(spec: Any, negative: bool) -> None:
    """Families that can draw below zero are known, and refused where values must be >= 0."""
    dist = Dist.model_validate(spec)
    assert dist.can_be_negative is negative
    if negative:
        with pytest.raises(ValueError, match="can draw negative values"):
            non_negative(dist)
    else:
        assert non_negative(dist) is dist
