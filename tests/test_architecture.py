"""The direction of the dependencies: the layers of .importlinter (the project package
uses reports, which uses indicators, which uses actions; never the reverse) and no import
circle between any two modules of the product, inside an app too (a circle through
function-level imports counts: it is a circle all the same, only hidden). Tests and
migrations are not part of the product and are left out."""

from __future__ import annotations

from pathlib import Path

import grimp
from importlinter.api import read_configuration
from importlinter.cli import lint_imports

CONFIG = Path(__file__).resolve().parent.parent / ".importlinter"


def _root_packages() -> list[str]:
    options = read_configuration(str(CONFIG))["session_options"]
    roots = options.get("root_packages") or [options["root_package"]]
    return [roots] if isinstance(roots, str) else list(roots)


def _in_product(module: str) -> bool:
    parts = module.split(".")
    return "tests" not in parts and "migrations" not in parts


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm,
    without recursion): every module of one can reach every other by imports."""
    modules = sorted(m for m in graph.modules if _in_product(m))
    known = set(modules)
    edges = {m: sorted(n for n in graph.find_modules_directly_imported_by(m) if n in known) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for start in modules:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return sorted(cycles)


def _describe(graph: grimp.ImportGraph, cycle: list[str]) -> str:
    lines = [f"circle of {len(cycle)} modules: {', '.join(cycle)}"]
    members = set(cycle)
    for importer in cycle:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            where = ", ".join(f"l.{d['line_number']}" for d in graph.get_import_details(importer=importer, imported=imported))
            lines.append(f"  {importer} -> {imported} ({where})")
    return "\n".join(lines)


def test_no_package_imports_a_layer_above_it():
    # lint-imports prints each broken contract with the offending imports and their lines.
    assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == 0


def test_no_import_circles_between_modules():
    graph = grimp.build_graph(*_root_packages(), cache_dir=None)
    cycles = import_cycles(graph)
    assert not cycles, "import circles:\n" + "\n".join(_describe(graph, c) for c in cycles)


def test_the_circle_finder_finds_a_circle_and_nothing_else():
    graph = grimp.ImportGraph()
    for module in ("app", "app.a", "app.b", "app.c", "app.d", "app.tests", "app.migrations.m"):
        graph.add_module(module)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.c")
    graph.add_import(importer="app.c", imported="app.a")
    graph.add_import(importer="app.d", imported="app.a")  # uses the circle, is not in it
    graph.add_import(importer="app.tests", imported="app.d")  # tests are left out
    graph.add_import(importer="app.d", imported="app.tests")
    assert import_cycles(graph) == [["app.a", "app.b", "app.c"]]
