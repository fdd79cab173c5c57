"""The apps depend on each other in one direction only: reports -> obligations -> states ->
mineban. An upward import (the core importing an app, ``states`` importing ``obligations``...)
or a cycle between modules fails here, naming the line."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RANK = {"mineban": 0, "states": 1, "obligations": 2, "reports": 3}
# The wiring that names every app by design: settings, the URL roots, the Celery app.
WIRING = {"mineban/settings.py", "mineban/urls.py", "mineban/api_urls.py", "mineban/celery.py"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in RANK:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Absolute names imported by ``module`` (relative imports resolved), with their lines."""
    names = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.append((node.lineno, base))
            names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return names


def test_no_module_imports_upward() -> None:
    upward = []
    for module, path in _modules().items():
        relative = path.relative_to(ROOT).as_posix()
        if relative in WIRING:
            continue
        own = RANK[module.split(".")[0]]
        for line, name in _imports(path, module):
            top = name.split(".")[0]
            if top in RANK and RANK[top] > own:
                upward.append(f"{relative}:{line} imports {name}")
    assert sorted(set(upward)) == []


def test_the_treaty_rules_import_nothing_of_django_or_the_apps() -> None:
    offending = []
    for module, path in _modules().items():
        if not module.startswith("mineban.rules"):
            continue
        for line, name in _imports(path, module):
            if name.split(".")[0] in {"django", "rest_framework", "celery", *RANK} and not name.startswith(
                "mineban.rules"
            ):
                offending.append(f"{module}:{line} imports {name}")
    assert offending == []


def test_there_is_no_import_cycle_between_modules() -> None:
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        for _line, name in _imports(path, module):
            # "from a.b import c" may name a module a.b.c or an attribute of a.b.
            target = name if name in modules else name.rpartition(".")[0]
            if target in modules and target != module:
                graph[module].add(target)
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    assert cycles == []
