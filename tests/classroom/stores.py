"""Helpers for the classroom store's tests: a small class database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from salessim.classroom.store import Store
from salessim.classroom.tokens import hashed


def class_fields(**changes: Any) -> dict[str, Any]:
    """The class row of a made-up four-turn class, round 1 open with no timer."""
    return {
        "name": "test class",
        "scenario_name": "an exercise",
        "scenario": "{}",
        "seed": 0,
        "turns": 4,
        "instructor_hash": hashed("instructor"),
        "round_minutes": None,
        "bot": "autopilot",
        "paused": 0,
        "round": 1,
        "deadline": None,
        "remaining": None,
        "closing": None,
        "version": 0,
        "created_at": 0.0,
        **changes,
    }


def small_store(path: Path, teams: int = 3, **changes: Any) -> Store:
    """A new store of ``teams`` teams named A, B, C... whose tokens are their names."""
    names = [chr(ord("A") + i) for i in range(teams)]
    return Store.create(path, class_fields(**changes), [(name, hashed(name)) for name in names])
