"""The package's shape: no import cycles between dashboard's modules, and the layers of pyproject.toml
([tool.importlinter], checked by import-linter) kept. Both checks are also shown to fail on a planted cycle
in a copy of the package, so that they cannot pass by looking at nothing."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

ALLOWED: set[frozenset[str]] = set()  # none: issue 16 removed the last (ui.context <-> ui.identity)


def module_graph(root: Path, package: str = "dashboard") -> dict[str, set[str]]:
    """{module: the package's modules it imports}, from the source: imports inside functions count (a cycle
    broken by a deferred import is still a cycle in the design), and `from a import b` imports a too."""
    paths = {}
    for path in (root / package).rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def known(name: str) -> str | None:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets += [base] + [f"{base}.{alias.name}" for alias in node.names]
        graph[name] = {m for m in map(known, targets) if m and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(frozenset(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
    )


@pytest.fixture
def copy(tmp_path) -> Path:
    """The package and its import-linter configuration, in a folder of their own."""
    shutil.copytree(ROOT / "dashboard", tmp_path / "dashboard", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def plant(root: Path, module: str, imported: str) -> None:
    """Add an import of `imported` inside a function of `module` (the kind of import easiest to miss)."""
    path = root / (module.replace(".", "/") + ".py")
    path.write_text(
        path.read_text(encoding="utf-8") + f"\n\ndef _planted():\n    import {imported}  # noqa\n", encoding="utf-8"
    )


def test_the_toy_graph_has_the_cycles_drawn_by_hand():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": set()}
    assert sorted(map(sorted, cycles(graph))) == [["a", "b", "c"], ["d", "e"]]


def test_dashboard_has_no_import_cycles():
    found = set(cycles(module_graph(ROOT)))
    assert found <= ALLOWED, sorted(map(sorted, found - ALLOWED))


def test_a_cycle_planted_inside_a_layer_is_found(copy):
    # analysis.rankings imports analysis.funnel; funnel importing rankings back closes a cycle that the
    # layers contract (one layer) cannot see
    assert not set(cycles(module_graph(copy))) - ALLOWED
    plant(copy, "dashboard.analysis.funnel", "dashboard.analysis.rankings")
    planted = {"dashboard.analysis.funnel", "dashboard.analysis.rankings"}  # with what else closes it
    assert any(planted <= found for found in cycles(module_graph(copy)))


def test_the_layers_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_from_a_lower_layer_upwards_breaks_the_contract(copy):
    # filters (bottom layers) importing analysis.trends (which imports filters): a cycle across layers
    plant(copy, "dashboard.filters", "dashboard.analysis.trends")
    result = lint_imports(copy)
    assert result.returncode != 0
    assert "0 kept, 1 broken" in result.stdout
    assert "dashboard.filters -> dashboard.analysis.trends" in result.stdout
