"""Names that tell arms apart: the shortest tail of each key that no other key ends with.

A sweep's keys are dotted (``roles.ae.headcount`` and ``roles.sdr.headcount`` become
``ae.headcount`` and ``sdr.headcount``); scenario files are paths (``plans/v1/ae.yaml``
and ``plans/v2/ae.yaml`` become ``v1/ae`` and ``v2/ae``, while ``capped.yaml`` stays
``capped``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path


def shortest_tails(
    keys: Sequence[Sequence[str]], separator: str, reserved: Collection[str] = ()
) -> list[str]:
    """Each key's shortest tail (its last parts, joined) that no other key ends with.

    A tail in ``reserved`` takes one more part. Equal keys get their whole selves.
    """
    named = []
    for key in keys:
        tail = tuple(key)
        for size in range(1, len(key) + 1):
            tail = tuple(key[-size:])
            clash = any(
                tuple(other) != tuple(key) and tuple(other[-size:]) == tail for other in keys
            )
            if not clash and separator.join(tail) not in reserved:
                break
        named.append(separator.join(tail))
    return named


def file_arm_names(paths: Sequence[Path]) -> list[str]:
    """Arm names for scenario files: each file's name, without its suffix.

    Files of the same name take as many of their folders as tell them apart (``v1/ae``,
    ``v2/ae``).

    Raises:
        ValueError: one file is given twice.
    """
    resolved = [path.resolve() for path in paths]
    for i, path in enumerate(resolved):
        if path in resolved[:i]:
            raise ValueError(
                f"{paths[i]} is given twice; make a variant with --arm NAME:KEY=VALUE instead"
            )
    keys = [(*path.parent.parts, path.stem) for path in resolved]
    keys = [  # the same name in one folder (ae.yaml, ae.yml): the suffix tells them apart
        (*path.parent.parts, path.name) if keys.count(key) > 1 else key
        for path, key in zip(resolved, keys, strict=True)
    ]
    return shortest_tails(keys, "/")
