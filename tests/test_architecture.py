"""The package's shape: no import cycles between dashboard's modules, and the layers of pyproject.toml
([tool.importlinter], checked by import-linter) kept. Both checks are also shown to fail on a planted cycle
in a copy of the package, so that they cannot pass by looking at nothing."""

from __future__ import annotations

import ast
import functools
import re
import shutil
import subprocess
import sys
import tomllib
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
        targets = imported_names(path.read_text(encoding="utf-8"), here)
        graph[name] = {m for m in map(known, targets) if m and m != name}
    return graph


@functools.cache  # several tests read the same sources (a copied tree differs in one planted file)
def imported_names(source: str, here: str) -> tuple[str, ...]:
    """The dotted names a module's source imports, relative imports resolved against package `here`."""
    targets = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return tuple(targets)


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


# --- docs/architecture.md names every module, and the layers contract places every module ----------------
def modules_block(doc: str) -> str:
    """The code block of the doc's "The modules" section."""
    return doc[doc.index("## The modules") :].split("```")[1]


def unnamed_modules(root: Path, doc: str) -> list[str]:
    """The modules (and word lists) of root/dashboard the doc's module list does not name: a top-level
    module by its file name at the start of a line (`  db.py  ...`), a folder's module by its name among
    the folder's lines (`  analysis/  trends (...), summary ...` and the lines indented below it)."""
    top: set[str] = set()
    folders: dict[str, str] = {}
    folder = None
    for line in modules_block(doc).splitlines():
        head = re.match(r"^  (\S+)", line)
        if head:
            name, rest = head.group(1), line[head.end() :]
            folder = name.rstrip("/") if name.endswith("/") else None
            if folder is None:
                top.add(name)
            else:
                folders[folder] = rest
        elif folder is not None and line.startswith("   "):
            folders[folder] += " " + line
    missing = []
    for path in sorted((root / "dashboard").rglob("*")):
        if path.suffix not in (".py", ".txt") or path.name == "__init__.py" or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root / "dashboard")
        if len(rel.parts) == 1:
            named = rel.name in top
        else:
            word = path.stem if path.suffix == ".py" else path.name
            named = bool(re.search(rf"(?<![\w.]){re.escape(word)}(?!\w)", folders.get(rel.parts[0], "")))
        if not named:
            missing.append(rel.as_posix())
    return missing


def test_every_module_is_named_in_the_architecture_doc():
    assert unnamed_modules(ROOT, (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")) == []


def test_a_module_the_doc_does_not_name_is_found(tmp_path):
    (tmp_path / "dashboard" / "analysis").mkdir(parents=True)
    for name in ("__init__.py", "trends.py", "newpage.py"):
        (tmp_path / "dashboard" / "analysis" / name).write_text("")
    (tmp_path / "dashboard" / "db.py").write_text("")
    (tmp_path / "dashboard" / "clock.py").write_text("")
    doc = "# x\n## The modules\n```\ndashboard/\n  analysis/   trends (the trend),\n              new_page\n  db.py   q\n```\n"
    assert unnamed_modules(tmp_path, doc) == ["analysis/newpage.py", "clock.py"]


def layered(pyproject: Path) -> set[str]:
    contract = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"][0]
    return {name.strip() for layer in contract["layers"] for name in re.split(r"[|:]", layer)}


def test_every_module_is_in_the_layers_contract():
    """A module outside every layer is checked by nothing: each module of dashboard/ (but the package
    itself, and a package that imports nothing, such as ingest/, whose modules are placed one by one) is in
    a layer, or in a package that is."""
    names = layered(ROOT / "pyproject.toml")
    graph = module_graph(ROOT)
    outside = []
    for module, imports in graph.items():
        parts = module.split(".")
        package = (ROOT / Path(*parts) / "__init__.py").exists()
        if module == "dashboard" or (package and not imports):
            continue
        if not any(".".join(parts[:i]) in names for i in range(2, len(parts) + 1)):
            outside.append(module)
    assert outside == []
