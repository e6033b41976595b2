"""Shared pydantic base and annotated scalar types for scenario files.

Every number is finite (``inf`` and ``nan`` are refused) and every type has an upper
bound from ``limits``, so that whatever validates also runs to an end. A field narrows
a type by annotating it again, ``Annotated[Positive, Field(le=168)]``: a bound given as
the field's default's ``Field`` would be overridden by the type's.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from salessim.scenario.limits import (
    FIRST_DATE,
    LAST_DATE,
    MAX_ATTAINMENT,
    MAX_COUNT,
    MAX_DAYS,
    MAX_ELASTICITY,
    MAX_HEADCOUNT,
    MAX_MONEY,
    MAX_MULTIPLE,
    MAX_NUMBER,
    MAX_RATE_PER_DAY,
    MAX_SEED,
)
from salessim.scenario.units import (
    SHOWN_DIGITS,
    digits,
    parse_duration,
    parse_money,
    parse_number,
    parse_rate,
)


class Frozen(BaseModel):
    """Immutable scenario data: unknown keys are errors, values are checked on load."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, allow_inf_nan=False
    )


Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Share = Probability
Positive = Annotated[float, Field(gt=0.0, le=MAX_NUMBER)]
NonNegative = Annotated[float, Field(ge=0.0, le=MAX_NUMBER)]
Elasticity = Annotated[float, Field(ge=0.0, le=MAX_ELASTICITY)]
"""An exponent or a weight in an exponent: small, so that powers stay finite."""
Multiple = Annotated[float, Field(ge=1 / MAX_MULTIPLE, le=MAX_MULTIPLE)]
"""A multiplier of something the scenario sets elsewhere (odds, pay): 1/20 to 20 times."""
Attainment = Annotated[float, Field(ge=0.0, le=MAX_ATTAINMENT)]
"""A level of attainment, 1 being 100% of quota."""
Days = Annotated[
    float,
    BeforeValidator(parse_duration),
    Field(ge=0.0, le=MAX_DAYS, json_schema_extra={"examples": ["90d", "6w", "3mo", "2y", "8h"]}),
]
PositiveDays = Annotated[float, BeforeValidator(parse_duration), Field(gt=0.0, le=MAX_DAYS)]
RatePerDay = Annotated[
    float,
    BeforeValidator(parse_rate),
    Field(ge=0.0, le=MAX_RATE_PER_DAY, json_schema_extra={"examples": ["400/mo", "9/h", "20/d"]}),
]
Money = Annotated[
    float,
    BeforeValidator(parse_money),
    Field(ge=0.0, le=MAX_MONEY, json_schema_extra={"examples": ["45k"]}),
]
Number = Annotated[float, BeforeValidator(parse_number), Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
Date = Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_DATE)]
Headcount = Annotated[int, Field(ge=0, le=MAX_HEADCOUNT)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


def _seed_in_range(seed: object) -> object:
    """Refuse a whole number out of range in the words of the docs; the rest is strict int's."""
    if isinstance(seed, int) and not isinstance(seed, bool) and not 0 <= seed <= MAX_SEED:
        shown = f"a {digits(seed)}-digit number" if digits(seed) > SHOWN_DIGITS else seed
        raise ValueError(f"{shown} is not from 0 to 2^63 - 1 ({MAX_SEED})")
    return seed


Seed = Annotated[int, BeforeValidator(_seed_in_range), Field(strict=True, ge=0, le=MAX_SEED)]
"""A root random seed: a whole number written as one (``true``, ``1.5`` or ``"7"`` are
refused, never truncated), from 0 to 2^63 - 1."""


KeyProblem = tuple[tuple[str | int, ...], str]
"""A problem found across fields: the key path it concerns (below the model that found it)
and what is wrong there."""


class InconsistentError(ValueError):
    """Problems a model's cross-field check found, each at the key it concerns.

    Loading reports each at its key's line (``file:line: key: message``); as text it reads
    ``key: message; key: message``.
    """

    def __init__(self, problems: list[KeyProblem]) -> None:
        self.problems = problems
        keyed = (f"{'.'.join(str(k) for k in path)}: {message}" for path, message in problems)
        super().__init__("; ".join(keyed))


class Role(StrEnum):
    """The roles in a sales organisation."""

    SDR = "sdr"
    AE = "ae"
    SPECIALIST = "specialist"
    CSM = "csm"
    MANAGER = "manager"


WORKING_ROLES = (Role.SDR, Role.AE, Role.SPECIALIST, Role.CSM)
