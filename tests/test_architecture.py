"""The layering rules of docs/ARCHITECTURE.md, checked on the source: who may import whom.

Imports are read with ``ast`` (also those inside functions, which keep start-up light), so a
rule cannot be broken by moving an import into a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "cslint"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """The cslint modules ``path`` imports (``from X import y`` counts as X and as X.y)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "cslint" or name.startswith("cslint.")}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: {m for m in imports_of(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def top_level_graph(prefix: str) -> dict[str, set[str]]:
    """Import edges between the modules under ``prefix`` at module level only (imports inside
    functions are deferred and cannot form a cycle at import time)."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        if not name.startswith(prefix):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports do not run
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(prefix):
                edges.add(node.module)
                edges.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES)
            elif isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name.startswith(prefix))
        graph[name] = {m for m in edges if m in MODULES and m != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return visiting[visiting.index(node) :] + [node]
        if node in done:
            return None
        visiting.append(node)
        for nxt in sorted(graph.get(node, ())):
            cycle = visit(nxt)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        cycle = visit(node)
        if cycle:
            return cycle
    return None


def test_the_engine_has_no_import_cycle():
    # A package importing its own submodules (its __init__) is how packages work; a cycle
    # between two modules is what this rules out.
    graph = {
        name: {m for m in edges if not name.startswith(m + ".")}
        for name, edges in top_level_graph("cslint.engine").items()
    }
    assert find_cycle(graph) is None


@pytest.mark.parametrize("layer", ["cslint.readers", "cslint.reporters"])
def test_readers_and_reporters_never_import_the_engine(layer):
    offenders = {
        name: sorted(m for m in edges if m.startswith("cslint.engine"))
        for name, edges in GRAPH.items()
        if name.startswith(layer)
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_kinds_use_only_the_matching_services_public_face():
    """Kinds import ``cslint.engine.matching`` (handles, pattern checks), never its internals."""
    offenders = {
        name: sorted(m for m in edges if m.startswith("cslint.engine.matching."))
        for name, edges in GRAPH.items()
        if name.startswith("cslint.engine.kinds")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_matching_service_knows_no_rule_and_no_kind():
    offenders = {
        name: sorted(
            m for m in edges if m.startswith(("cslint.engine.kinds", "cslint.ruleset", "cslint.engine.linter"))
        )
        for name, edges in GRAPH.items()
        if name.startswith("cslint.engine.matching")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_module_of_the_engine_keeps_mutable_state_at_module_or_class_level():
    """Module- and class-level values of the engine are constants: read-only mappings, tuples,
    frozensets, numbers and strings (``__all__`` aside). Per-run state lives on objects the
    linter builds (the matching service, the views)."""
    mutable = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
    offenders = []
    for name, path in MODULES.items():
        if not name.startswith("cslint.engine"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [tree.body] + [node.body for node in tree.body if isinstance(node, ast.ClassDef)]
        for body in scopes:
            for node in body:
                value = getattr(node, "value", None)
                targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if names == ["__all__"] or value is None:
                    continue
                if isinstance(value, mutable):
                    offenders.append(f"{name}: {', '.join(names)} (line {node.lineno})")
                elif isinstance(value, ast.Call) and ast.unparse(value.func) in {"dict", "set", "list", "defaultdict"}:
                    offenders.append(f"{name}: {', '.join(names)} (line {node.lineno})")
    assert offenders == []
