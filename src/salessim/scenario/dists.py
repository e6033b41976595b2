"""Distribution specs that know their own mean and variance and draw in blocks.

A spec is written in YAML as one family name mapped to its parameters, e.g.
``{exponential: {mean: 2h}}`` or ``{lognormal: {mean: 30d, cv: 0.8}}``; a bare
number or duration means a constant. Parameters accept units (``2h``, ``45k``).
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Annotated, Any

import numpy as np
from pydantic import AfterValidator, Field, model_validator

from salessim.scenario.base import Frozen, Number
from salessim.scenario.limits import MAX_CV, MAX_NUMBER, MIN_SPREAD


def _spread(value: float) -> float:
    """Validator: refuse a spread so small that its square is no number to divide by."""
    if value < MIN_SPREAD:
        raise ValueError(f"must be at least {MIN_SPREAD:g}; for no spread use a constant")
    return value


Spread = Annotated[Number, Field(gt=0), AfterValidator(_spread)]
"""An sd: more than 0, and at least ``MIN_SPREAD``."""
Cv = Annotated[Spread, Field(le=MAX_CV)]
"""A coefficient of variation (sd / mean)."""


class Constant(Frozen):
    """Always the same value."""

    value: Number

    @property
    def mean(self) -> float:  # noqa: D102
        return self.value

    @property
    def variance(self) -> float:  # noqa: D102
        return 0.0

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        return np.full(size, self.value)


class Exponential(Frozen):
    """Exponential with the given mean."""

    mean_: Number = Field(alias="mean", gt=0)

    @property
    def mean(self) -> float:  # noqa: D102
        return self.mean_

    @property
    def variance(self) -> float:  # noqa: D102
        return self.mean_**2

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        return rng.standard_exponential(size) * self.mean_


class Lognormal(Frozen):
    """Lognormal by its mean and coefficient of variation (sd / mean)."""

    mean_: Number = Field(alias="mean", gt=0)
    cv: Cv

    @property
    def mean(self) -> float:  # noqa: D102
        return self.mean_

    @property
    def variance(self) -> float:  # noqa: D102
        return (self.cv * self.mean_) ** 2

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean_) - sigma2 / 2
        return np.exp(mu + math.sqrt(sigma2) * rng.standard_normal(size))


class Gamma(Frozen):
    """Gamma by its mean and coefficient of variation (cv 1 is exponential)."""

    mean_: Number = Field(alias="mean", gt=0)
    cv: Cv

    @property
    def mean(self) -> float:  # noqa: D102
        return self.mean_

    @property
    def variance(self) -> float:  # noqa: D102
        return (self.cv * self.mean_) ** 2

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        shape = 1 / self.cv**2
        return rng.standard_gamma(shape, size) * (self.mean_ / shape)


class Beta(Frozen):
    """Beta on [0, 1], by mean and sd, or by shape parameters a and b."""

    mean_: Number | None = Field(default=None, alias="mean", gt=0, lt=1)
    sd: Spread | None = None
    a: Number | None = Field(default=None, gt=0)
    b: Number | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_form(self) -> Beta:
        by_moments = self.mean_ is not None and self.sd is not None
        by_shape = self.a is not None and self.b is not None
        if by_moments == by_shape or (by_moments and (self.a or self.b)):
            raise ValueError("give either mean and sd, or a and b")
        if by_moments and self.sd**2 >= self.mean_ * (1 - self.mean_):  # type: ignore[operator]
            raise ValueError("sd too large for a beta with this mean: need sd^2 < mean(1-mean)")
        return self

    @property
    def shape(self) -> tuple[float, float]:
        """The (a, b) shape parameters."""
        if self.a is not None and self.b is not None:
            return self.a, self.b
        m, s = self.mean_, self.sd
        assert m is not None and s is not None
        k = m * (1 - m) / s**2 - 1
        return m * k, (1 - m) * k

    @property
    def mean(self) -> float:  # noqa: D102
        a, b = self.shape
        return a / (a + b)

    @property
    def variance(self) -> float:  # noqa: D102
        a, b = self.shape
        return a * b / ((a + b) ** 2 * (a + b + 1))

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        a, b = self.shape
        return rng.beta(a, b, size)


class Uniform(Frozen):
    """Uniform on [low, high]."""

    low: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("high must be at least low")
        return self

    @property
    def mean(self) -> float:  # noqa: D102
        return (self.low + self.high) / 2

    @property
    def variance(self) -> float:  # noqa: D102
        return (self.high - self.low) ** 2 / 12

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        return self.low + (self.high - self.low) * rng.random(size)


class Triangular(Frozen):
    """Triangular on [low, high] with the given mode."""

    low: Number
    mode: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError("need low <= mode <= high and low < high")
        return self

    @property
    def mean(self) -> float:  # noqa: D102
        return (self.low + self.mode + self.high) / 3

    @property
    def variance(self) -> float:  # noqa: D102
        lo, mo, hi = self.low, self.mode, self.high
        return (lo**2 + mo**2 + hi**2 - lo * mo - lo * hi - mo * hi) / 18

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        return rng.triangular(self.low, self.mode, self.high, size)


class Normal(Frozen):
    """Normal by mean and sd (may be negative: not allowed where values must be positive)."""

    mean_: Number = Field(alias="mean")
    sd: Annotated[Number, Field(ge=0)]

    @property
    def mean(self) -> float:  # noqa: D102
        return self.mean_

    @property
    def variance(self) -> float:  # noqa: D102
        return self.sd**2

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        return self.mean_ + self.sd * rng.standard_normal(size)


class Empirical(Frozen):
    """A discrete distribution over observed values, optionally weighted."""

    values: list[Number] = Field(min_length=1)
    weights: list[Annotated[float, Field(le=MAX_NUMBER)]] | None = None

    @model_validator(mode="after")
    def _weights(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError("weights must have one entry per value")
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("weights must be non-negative with a positive sum")
        return self

    def _probabilities(self) -> np.ndarray:
        w = np.ones(len(self.values)) if self.weights is None else np.asarray(self.weights)
        return w / w.sum()

    @property
    def mean(self) -> float:  # noqa: D102
        return float(np.dot(self._probabilities(), self.values))

    @property
    def variance(self) -> float:  # noqa: D102
        p, v = self._probabilities(), np.asarray(self.values)
        return float(np.dot(p, (v - np.dot(p, v)) ** 2))

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        return rng.choice(np.asarray(self.values, dtype=float), size, p=self._probabilities())


FAMILIES: dict[str, type[Frozen]] = {
    "constant": Constant,
    "exponential": Exponential,
    "lognormal": Lognormal,
    "gamma": Gamma,
    "beta": Beta,
    "uniform": Uniform,
    "triangular": Triangular,
    "normal": Normal,
    "empirical": Empirical,
}


class Dist(Frozen):
    """One distribution family with its parameters; a bare value means ``constant``."""

    constant: Constant | None = None
    exponential: Exponential | None = None
    lognormal: Lognormal | None = None
    gamma: Gamma | None = None
    beta: Beta | None = None
    uniform: Uniform | None = None
    triangular: Triangular | None = None
    normal: Normal | None = None
    empirical: Empirical | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, int | float | str) and not isinstance(data, bool):
            return {"constant": {"value": data}}
        if isinstance(data, dict) and isinstance(data.get("constant"), int | float | str):
            return {**data, "constant": {"value": data["constant"]}}
        if isinstance(data, dict) and isinstance(data.get("empirical"), list):
            return {**data, "empirical": {"values": data["empirical"]}}
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> Dist:
        given = [name for name in FAMILIES if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one distribution family, one of: " + ", ".join(FAMILIES))
        return self

    @cached_property
    def family(self) -> str:
        """The family name, e.g. ``"lognormal"``."""
        return next(name for name in FAMILIES if getattr(self, name) is not None)

    @property
    def spec(self) -> Any:
        """The family's parameter object."""
        return getattr(self, self.family)

    @cached_property
    def mean(self) -> float:
        """The distribution's mean."""
        return float(self.spec.mean)

    @cached_property
    def variance(self) -> float:
        """The distribution's variance."""
        return float(self.spec.variance)

    @property
    def can_be_negative(self) -> bool:
        """Whether a draw can be below zero."""
        spec = self.spec
        if isinstance(spec, Normal):
            return spec.sd > 0 or spec.mean_ < 0
        if isinstance(spec, Constant):
            return spec.value < 0
        if isinstance(spec, Uniform | Triangular):
            return spec.low < 0
        if isinstance(spec, Empirical):
            return min(spec.values) < 0
        return False

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` values with the given generator."""
        return self.spec.draw(rng, size)

    def __str__(self) -> str:
        params = self.spec.model_dump(by_alias=True, exclude_none=True)
        shown = (f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items())
        return f"{self.family}({', '.join(shown)})"


def non_negative(dist: Dist) -> Dist:
    """Validator: refuse a distribution that can draw negative values."""
    if dist.can_be_negative:
        raise ValueError(
            f"{dist.family} can draw negative values here; durations and amounts must be >= 0"
        )
    return dist


PositiveDist = Annotated[Dist, AfterValidator(non_negative)]
"""A distribution that never draws negative values (durations, amounts)."""
