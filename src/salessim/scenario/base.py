"""Shared pydantic base and annotated scalar types for scenario files."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from salessim.scenario.units import parse_duration, parse_money, parse_number, parse_rate


class Frozen(BaseModel):
    """Immutable scenario data: unknown keys are errors, values are checked on load."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Share = Probability
Positive = Annotated[float, Field(gt=0.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Days = Annotated[
    float,
    BeforeValidator(parse_duration),
    Field(ge=0.0, json_schema_extra={"examples": ["90d", "6w", "3mo", "2y", "8h"]}),
]
PositiveDays = Annotated[float, BeforeValidator(parse_duration), Field(gt=0.0)]
RatePerDay = Annotated[
    float,
    BeforeValidator(parse_rate),
    Field(ge=0.0, json_schema_extra={"examples": ["400/mo", "9/h", "20/d"]}),
]
Money = Annotated[
    float, BeforeValidator(parse_money), Field(ge=0.0, json_schema_extra={"examples": ["45k"]})
]
Number = Annotated[float, BeforeValidator(parse_number)]


class Role(StrEnum):
    """The roles in a sales organisation."""

    SDR = "sdr"
    AE = "ae"
    SPECIALIST = "specialist"
    CSM = "csm"
    MANAGER = "manager"


WORKING_ROLES = (Role.SDR, Role.AE, Role.SPECIALIST, Role.CSM)
