"""Each component owns its state: who may write which of a rep's fields.

``Rep`` keeps a person's identity, terms and seat on a team; what else a component knows
of a rep it keeps itself, by rep id. This test reads the model's source and lists, for
every field of ``Rep``, the modules that assign it (``rep.speed = ...``). A new writer
fails here until the table below says it is meant, so the rep cannot drift back into a
blackboard that every component writes into.
"""

from __future__ import annotations

import ast
from pathlib import Path

import salessim.model
from salessim.model.entities import Rep

MODEL = Path(salessim.model.__file__).parent
REP_NAMES = {"rep", "leaver", "owner", "csm", "manager"}  # what the model calls a rep

WRITERS = {
    "active": {"exits", "hiring", "teams"},  # employment: hired, on the team, left
    "attention_ratio": {"customers"},
    "busy": {"teams"},
    "busy_days": {"teams"},
    "full_speed": {"roster"},
    "hired_at": {"hiring"},
    "joined_at": {"hiring"},
    "load": {"customers", "funnel", "teams"},  # a leaver's load is cleared by its handler
    "manager": {"managers", "pay/enrolment"},  # managers on the payroll carry their index
    "morale": {"behaviour", "performance", "routines"},  # contests and plans move it too
    "pay": {"control", "hiring", "offers", "pay/enrolment", "pay/payee", "roster"},
    "productivity": {"roster"},
    "rng": {"hiring"},
    "skill": {"development"},
    "skill_odds": {"development", "roster"},
    "speed": {"roster"},
    "tier": {"hiring"},
}


def _is_rep(node: ast.expr) -> bool:
    """Whether ``node`` reads as a rep: a rep's name, ``x.rep``, or a call finding one."""
    if isinstance(node, ast.Name):
        return node.id in REP_NAMES
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and "employed" in node.func.id
    return isinstance(node, ast.Attribute) and node.attr == "rep"


def rep_writers() -> dict[str, set[str]]:
    """Modules under ``model/`` that assign each field of ``Rep``, outside ``Rep`` itself."""
    fields = set(Rep.__slots__)
    found: dict[str, set[str]] = {}
    for path in sorted(MODEL.rglob("*.py")):
        module = str(path.relative_to(MODEL).with_suffix("")).replace("\\", "/")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    targets += target.elts if isinstance(target, ast.Tuple) else [target]
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in fields
                    and _is_rep(target.value)
                ):
                    found.setdefault(target.attr, set()).add(module)
    return found


def test_every_field_of_a_rep_has_the_writers_the_table_allows():
    """The modules assigning each field of ``Rep`` are exactly those the table lists."""
    assert rep_writers() == WRITERS


def test_a_rep_keeps_only_its_identity_terms_and_seat():
    """Quota, credit, growth, drive and managers' hours are not fields of ``Rep``."""
    kept_elsewhere = {
        "quota",
        "quota_measure",
        "credits",
        "bases",
        "month_credit",
        "month_base",
        "ability",
        "experience",
        "uplift",
        "effort",
        "care_share",
        "pay_feeling",
        "coached_hours",
        "attention_hours",
        "plan_until",
        "busy_mark",
    }
    assert not kept_elsewhere & set(Rep.__slots__)
    assert set(WRITERS) <= set(Rep.__slots__)
