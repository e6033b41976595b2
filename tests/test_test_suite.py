"""The test suite itself: every test says in its docstring what it proves."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.support import ROOT

TESTS = ROOT / "tests"
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def collected_tests(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions pytest collects: named ``test...``, at the top or in a (nested) class."""
    bodies = [tree.body]
    while bodies:
        for node in bodies.pop():
            if isinstance(node, ast.ClassDef):
                bodies.append(node.body)
            elif isinstance(node, FUNCTIONS) and node.name.startswith("test"):
                yield node


def test_every_test_has_a_docstring():
    """Every ``test_*`` function and method in ``tests/**/test_*.py`` has a docstring."""
    files = sorted(TESTS.rglob("test_*.py"))
    assert Path(__file__).resolve() in files
    undocumented = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.name}"
        for path in files
        for node in collected_tests(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if not ast.get_docstring(node)
    ]
    assert not undocumented, "tests without a docstring:\n" + "\n".join(undocumented)
