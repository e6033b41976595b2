"""The game's save file: its shape, read within limits and written whole.

A save is one JSON document: the salessim version that wrote it, the game's name, the
seed, the scenario as validated, each played turn's decisions and a fingerprint of each
played turn's figures. A save may come from anywhere, so it is read like a scenario:
within the size and depth limits of ``reading``, then checked against :class:`SaveFile`,
every problem named by its key (``seed: expected a whole number, got true``). It is
written to a file beside the save and renamed over it, so a stop mid-write (a hang-up,
a full disk) leaves the previous save whole.

A save carries a checksum (sha256) of what decides its score: the seed, the scenario (the
scoring weights are in it) and the decision log, with the save's integrity mark. A save
whose checksum does not match was edited after the game wrote it (``TAMPERED``); one
without a checksum comes from an older salessim (``UNVERIFIED``). The mark is written into
every later save of the game, under the checksum, so carrying a game on never clears it.
The checksum has no secret key: anyone can recompute it. It catches accidental edits and
the casual laundering of a score by editing the file, not a determined forger.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from salessim.game.decisions import Decisions
from salessim.scenario.base import Seed
from salessim.scenario.errors import ScenarioError, problems_from
from salessim.scenario.keys import Origin
from salessim.scenario.reading import read_json
from salessim.scenario.schema import Scenario

NOT_A_SAVE = "not a salessim game save"
CHECKED = ("seed", "scenario", "decisions", "integrity")  # what the checksum covers
CHECKSUM_PREFIX = "sha256:"


class Integrity(StrEnum):
    """Whether a save is as the game wrote it."""

    VERIFIED = "verified"  # its checksum matches: as salessim wrote it
    UNVERIFIED = "unverified"  # no checksum (an older salessim), or carried on from such a save
    TAMPERED = "tampered"  # its checksum does not match: edited after salessim wrote it


class SaveFile(BaseModel):
    """A game save as read: every value checked, unknown keys ignored (a later version's)."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)

    salessim: str = Field(default="an unknown version", description="The version that wrote it.")
    name: str = ""
    seed: Seed
    scenario: Scenario
    decisions: list[Decisions] = Field(description="Each played turn's decisions, in order.")
    fingerprints: list[str] = Field(default_factory=list)
    integrity: Integrity | None = Field(
        default=None,
        description="As written: the mark of a game carried on from an unverified or edited "
        "save. After read_save: what the checksum found.",
    )
    checksum: str | None = Field(default=None, description="sha256 of the CHECKED parts.")


def checksum(document: Mapping[str, Any]) -> str:
    """The checksum of a save document: sha256 of its ``CHECKED`` parts, in a canonical form.

    Canonical: keys sorted, no spaces, read back as JSON first (rep ids as text), so how
    the file is laid out (indentation, key order) does not change it; values do.
    """
    checked = {key: document.get(key) for key in CHECKED}
    plain = json.loads(json.dumps(checked, allow_nan=False))
    text = json.dumps(plain, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return CHECKSUM_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def sealed(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its checksum."""
    return {**document, "checksum": checksum(document)}


def integrity_of(document: Mapping[str, Any], save: SaveFile) -> Integrity:
    """What a save's checksum and mark say of it (``document``: the save as read)."""
    if save.integrity is Integrity.TAMPERED:
        return Integrity.TAMPERED
    if save.checksum is None:
        return Integrity.UNVERIFIED
    if save.checksum != checksum(document):
        return Integrity.TAMPERED
    return save.integrity or Integrity.VERIFIED


def read_save(path: Path) -> SaveFile:
    """The save in ``path``, checked; its ``integrity`` is what its checksum says.

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
        save = SaveFile.model_validate(document)
    except ValidationError as exc:
        problems = problems_from(exc, document, {(): Origin(file, None)}, SaveFile)
        reasons = "; ".join(f"{p.key}: {p.message}" if p.key else p.message for p in problems)
        raise ValueError(f"{file}: {NOT_A_SAVE} ({reasons})") from None
    return save.model_copy(update={"integrity": integrity_of(document, save)})


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
