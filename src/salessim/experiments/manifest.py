"""``experiment.json``: what a results directory holds, read back within limits and checked.

A results directory may come from anywhere (an archive, a colleague, a download), so its
manifest is read like a game save (``scenario.reading``: at most ``MAX_SAVE_BYTES``,
``MAX_DEPTH`` levels) and checked key by key before anything uses it: arm names, the
scenario hashes (16 hex digits, as they name files under ``scenarios/``), the seed,
horizon and replications within the command line's bounds, and the precision record.
A problem is a :class:`ScenarioError` naming the file and the key: exit 2, no traceback.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from salessim.scenario.errors import Problem, ScenarioError
from salessim.scenario.limits import MAX_REPLICATIONS, MAX_SAVE_BYTES, MAX_SEED, MAX_YEARS
from salessim.scenario.reading import read_json

MANIFEST = "experiment.json"
SHOWN_PROBLEMS = 20  # a hostile manifest can be wrong everywhere: the first are enough


def arm_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an arm (empty, or holding a control character), or None.

    An arm's name is one field of every results row and a label in every table, so it
    stays on one line.
    """
    if not name.strip():
        return "an arm needs a name"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return f"arm name {name!r} holds a control character (a line break, say)"
    return None


def _arm_name(name: str) -> str:
    if (problem := arm_name_problem(name)) is not None:
        raise ValueError(problem)
    return name


class _Checked(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class ArmEntry(_Checked):
    """One arm: its name and the hash of its validated scenario."""

    name: Annotated[str, AfterValidator(_arm_name)]
    scenario: str = Field(pattern=r"^[0-9a-f]{16}$")


class DesignEntry(_Checked):
    """What identifies the experiment: ``Design.manifest()["design"]``."""

    arms: list[ArmEntry] = Field(min_length=1)
    seed: int = Field(ge=0, le=MAX_SEED)
    years: float | None = Field(default=None, gt=0, le=MAX_YEARS)
    metrics: list[str] | None = None
    kind: Literal["compare", "sweep", "sensitivity"] = "compare"
    parameters: list[tuple[str, list[str]]] = []


class WidestEntry(_Checked):
    """The widest interval at a precision run's last look."""

    share: float | None = None
    metric: str | None = None
    arm: str | None = None


class PrecisionEntry(_Checked):
    """How a ``--precision`` run stopped (``Precision.record``)."""

    share: float = Field(gt=0, lt=1)
    metrics: list[str]
    pilot: int = Field(ge=2, le=MAX_REPLICATIONS)
    batch: int = Field(ge=1, le=MAX_REPLICATIONS)
    maximum: int = Field(ge=1, le=MAX_REPLICATIONS)
    replications: int | None = Field(default=None, ge=1, le=MAX_REPLICATIONS)
    met: bool
    widest: WidestEntry | None = None
    left_out: list[str] = []


class ManifestFile(BaseModel):
    """``experiment.json`` as written by ``Store``; keys it does not know are kept as they are."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False)

    design: DesignEntry
    replications: int = Field(ge=1, le=MAX_REPLICATIONS)
    commands: list[str] = []
    precision: PrecisionEntry | None = None


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest in ``path``, checked, as plain data.

    Raises:
        ScenarioError: the file cannot be read, passes a limit or holds a bad value.
    """
    file = str(path)
    data = read_json(path, file, MAX_SAVE_BYTES)
    if not isinstance(data, dict):
        raise ScenarioError([Problem(file, None, "", "the manifest must be a JSON object")])
    try:
        checked = ManifestFile.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(file, None, ".".join(str(part) for part in each["loc"]), each["msg"])
            for each in error.errors()[:SHOWN_PROBLEMS]
        ]
        raise ScenarioError(problems) from None
    return checked.model_dump(mode="json")
