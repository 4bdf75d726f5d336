"""The shape of the package (docs/design.md): no import cycles, no private names taken from
another module. The layer order itself is import-linter's contract in pyproject.toml, run
by `make lint` and here."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "evaluator"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[ast.ImportFrom | ast.Import, int]]:
    """Every import statement, at any depth, but those under `if TYPE_CHECKING:`."""
    found: list[tuple[ast.ImportFrom | ast.Import, int]] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    walk(other)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, child.lineno))
            walk(child)

    walk(tree)
    return found


def _edges(name: str, path: Path) -> tuple[set[str], list[str]]:
    """The evaluator modules `name` imports, and the private names it takes from them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    edges: set[str] = set()
    private: list[str] = []
    aliases: dict[str, str] = {}
    for node, line in _imports(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("evaluator."):
                    edges.add(alias.name)
                    aliases[alias.asname or alias.name] = alias.name
            continue
        if not node.module or not node.module.startswith("evaluator") or node.level:
            continue
        for alias in node.names:
            whole = f"{node.module}.{alias.name}"
            if whole in MODULES:
                edges.add(whole)
                aliases[alias.asname or alias.name] = whole
            else:
                edges.add(node.module)
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    private.append(f"{name}:{line} imports {alias.name} from {node.module}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            private.append(f"{name}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    edges.discard(name)
    edges.discard("evaluator")  # the package's own __init__ (version, lazy API names)
    return {e for e in edges if e in MODULES}, private


GRAPH = {name: _edges(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles({name: edges for name, (edges, _) in GRAPH.items()}) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_private_name_is_taken_from_another_module() -> None:
    assert [problem for _, private in GRAPH.values() for problem in private] == []


@pytest.mark.skipif(
    shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
    reason="import-linter is not installed (the test extra has it)",
)
def test_the_layers_hold() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
