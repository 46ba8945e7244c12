"""A module-level constant is defined once: a second definition further down a long module silently replaces the
first for every use above it too (names.py had _KIN_WORDS as an alternation string and, 1,000 lines further, as a
set: `"" in _KIN_WORDS` was then true, and every lone surname before a title was refused)."""

from __future__ import annotations

import ast
import collections
from pathlib import Path

import pytest

MODULES = sorted((Path(__file__).parent.parent / "dashboard").rglob("*.py"))


def _constants_defined_twice(source: str) -> list[str]:
    counts: collections.Counter[str] = collections.Counter()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id.lstrip("_").isupper():
                counts[target.id] += 1
    return sorted(name for name, n in counts.items() if n > 1)


def test_the_check_sees_a_second_definition():
    assert _constants_defined_twice("_KIN = 1\nX = 2\n_KIN = frozenset()\nlower = 1\nlower = 2\n") == ["_KIN"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_each_constant_is_defined_once(path):
    assert _constants_defined_twice(path.read_text(encoding="utf-8")) == []
