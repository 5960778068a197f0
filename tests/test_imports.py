"""The package has no import loops: its modules' top-level imports form a graph without a cycle."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from paths import ROOT

PACKAGE = ROOT / "geomap"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.stmt, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """The geomap modules a top-level import statement loads."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in modules}
    if not isinstance(node, ast.ImportFrom):
        return set()
    if node.level:
        anchor = module.split(".")[: len(module.split(".")) - node.level + is_package]
        base = ".".join(anchor + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    found = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules}
    return found | ({base} if base in modules else set())


def import_graph() -> dict[str, set[str]]:
    """Each geomap module and the geomap modules its top-level statements import."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    graph = {}
    for path in paths:
        name = _module_name(path)
        tree = ast.parse(path.read_text("utf-8"))
        graph[name] = set().union(*(_imported(node, name, path.name == "__init__.py", modules)
                                    for node in tree.body)) - {name}
    return graph


def test_the_graph_sees_the_imports_it_should():
    graph = import_graph()
    assert "geomap.models" in graph["geomap.stages.recognise"] | graph["geomap.stages.resolve"]
    assert graph["geomap.cli"]


def test_no_module_imports_itself_back():
    try:
        TopologicalSorter(import_graph()).prepare()
    except CycleError as loop:
        raise AssertionError(f"import loop: {' -> '.join(loop.args[1])}") from None
