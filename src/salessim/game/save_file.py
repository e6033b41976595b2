"""The game's save file: its shape, read within limits and written whole.

A save is one JSON document: the salessim version that wrote it, the game's name, the
seed, the scenario as validated, each played turn's decisions and a fingerprint of each
played turn's figures. A save may come from anywhere, so it is read like a scenario:
within the size and depth limits of ``reading``, then checked against :class:`SaveFile`,
every problem named by its key (``seed: expected a whole number, got true``). It is
written to a file beside the save and renamed over it, so a stop mid-write (a hang-up,
a full disk) leaves the previous save whole.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from salessim.game.decisions import Decisions
from salessim.scenario.base import Seed
from salessim.scenario.errors import ScenarioError, problems_from
from salessim.scenario.keys import Origin
from salessim.scenario.reading import read_json
from salessim.scenario.schema import Scenario

NOT_A_SAVE = "not a salessim game save"


class SaveFile(BaseModel):
    """A game save as read: every value checked, unknown keys ignored (a later version's)."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)

    salessim: str = Field(default="an unknown version", description="The version that wrote it.")
    name: str = ""
    seed: Seed
    scenario: Scenario
    decisions: list[Decisions] = Field(description="Each played turn's decisions, in order.")
    fingerprints: list[str] = Field(default_factory=list)


def read_save(path: Path) -> SaveFile:
    """The save in ``path``, checked.

    Raises:
        ValueError: ``"<path>: not a salessim game save (<every reason>)"``.
    """
    file = str(path)
    try:
        document = read_json(path, file)
    except ScenarioError as error:
        problem = error.problems[0]
        where = "" if problem.line is None else f", line {problem.line}"
        raise ValueError(f"{file}: {NOT_A_SAVE} ({problem.message}{where})") from None
    if not isinstance(document, dict):
        kind = "a list" if isinstance(document, list) else "a single value"
        raise ValueError(f"{file}: {NOT_A_SAVE} (it holds {kind}, not a mapping of keys)")
    try:
        return SaveFile.model_validate(document)
    except ValidationError as exc:
        problems = problems_from(exc, document, {(): Origin(file, None)}, SaveFile)
        reasons = "; ".join(f"{p.key}: {p.message}" if p.key else p.message for p in problems)
        raise ValueError(f"{file}: {NOT_A_SAVE} ({reasons})") from None


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` all at once: to a file beside it, then renamed over it.

    Raises:
        OSError: the file cannot be written; ``path`` is as it was.
    """
    spare = path.with_name(f".{path.name[:100]}.{os.getpid()}.part")
    try:
        with spare.open("w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(spare, path)
    except BaseException:  # an interrupt too: leave no spare file behind
        with contextlib.suppress(OSError):
            spare.unlink()
        raise
