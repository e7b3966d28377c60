"""No import cycles inside ``ocr``, ``table_reconstruct`` and ``flows``: data flows one way through the stages.

Every import counts, a function's deferred one too (it only hides the cycle until that function runs);
only ``if TYPE_CHECKING:`` imports, which never run, are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

from graphlib import CycleError, TopologicalSorter

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ocr", "table_reconstruct", "flows")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported(tree: ast.AST, name: str, is_package: bool, modules: set[str]) -> set[str]:
    """Modules ``name`` imports, relative imports resolved; ``from pkg import module`` names the module alone,
    ``from pkg import name`` the package (whose ``__init__`` holds the name)."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names} & modules
            found.update(submodules)
            if len(submodules) < len(node.names):
                found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of the packages, with the modules of the packages it imports."""
    files = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    modules = {module_name(path): path for path in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = imported(tree, name, path.name == "__init__.py", set(modules))
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def first_cycle(graph: dict[str, set[str]]) -> list[str]:
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        return list(exc.args[1])
    return []


def test_the_graph_sees_real_imports():
    graph = import_graph()
    assert "ocr.pages.rasterize" in graph["flows.core.page_reader"]
    assert "flows.core.document_runner" in graph["flows.workers.worker"]  # imported inside a function: counted too


def test_a_cycle_is_found():
    assert first_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) in (["a", "c", "b", "a"], ["a", "b", "c", "a"],
                                                                          ["b", "a", "c", "b"], ["c", "b", "a", "c"])


def test_no_import_cycles_in_the_packages():
    graph = import_graph()
    cycles = []
    while cycle := first_cycle(graph):  # every cycle there is, one edge of each taken out to find the next
        cycles.append(" imports ".join(reversed(cycle)))
        graph[cycle[1]].discard(cycle[0])
    assert cycles == []
