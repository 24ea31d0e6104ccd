"""The layout rules of docs/architecture.md, checked on the source so they cannot drift.

Each rule reads the Python files of the project's own apps with `ast` (nothing is imported),
so a violation names the file and line to fix.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lower layers first: a module may import only from its own layer or a lower one.
LAYERS = [
    "core",
    "audit",
    "people",
    "notifications",
    "programs",
    "matching",
    "training",
    "goals",
    "metrics",
]
PROJECT = "mentoring"  # on top: settings, root URLs, Celery app, seed_demo
APPS = [*LAYERS, PROJECT]
STAGE_APPS = ["programs", "matching", "training", "goals", "metrics"]
# The file names a feature sub-package may hold (STYLE: one shape per feature).
FEATURE_FILES = {
    "__init__.py",
    "services.py",
    "selectors.py",
    "forms.py",
    "views.py",
    "urls.py",
    "reminders.py",
    "tasks.py",
}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def _imported_modules(path: Path, tree: ast.Module, *, top_level_only: bool) -> list[tuple]:
    """(module name, node) for each import; relative imports are resolved."""
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found.extend((alias.name, node) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((module, node))
            # `from package import module` imports the module too.
            found.extend((f"{module}.{alias.name}", node) for alias in node.names)
    return found


def test_no_app_imports_a_later_stage():
    problems = []
    for path in _sources():
        app = path.relative_to(ROOT).parts[0]
        if app == PROJECT:
            continue
        allowed = set(LAYERS[: LAYERS.index(app) + 1])
        for module, node in _imported_modules(path, _tree(path), top_level_only=False):
            top = module.split(".")[0]
            if top in APPS and top not in allowed:
                problems.append(f"{_where(path, node)} imports {module}")
    assert problems == []


def test_no_app_names_a_later_stages_urls():
    later = {app: LAYERS[LAYERS.index(app) + 1 :] for app in LAYERS}
    problems = []
    for app in LAYERS:
        files = [
            *sorted((ROOT / app).rglob("*.py")),
            *sorted((ROOT / "templates" / app).rglob("*")),
        ]
        for path in files:
            if not path.is_file() or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for other in later[app]:
                for quote in ("'", '"'):
                    if f"{quote}{other}:" in text:
                        problems.append(f"{path.relative_to(ROOT)} names {other}: URLs")
    assert problems == []


def test_routes_are_declared_only_in_urls_modules():
    problems = []
    for path in _sources():
        if path.name == "urls.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in {"path", "re_path"}:
                    problems.append(_where(path, node))
    assert problems == []


def _is_atomic(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "atomic") or (
        isinstance(node, ast.Name) and node.id == "atomic"
    )


def test_transactions_are_opened_only_in_services_commands_and_demos():
    problems = []
    for path in _sources():
        if path.name in {"services.py", "demo.py"} or "commands" in path.parts:
            continue
        for node in ast.walk(_tree(path)):
            if _is_atomic(node):
                problems.append(_where(path, node))
    assert problems == []


def test_modules_import_each_other_without_cycles():
    """Module-level imports form no cycle (imports inside functions are resolved late)."""
    names = {_module_name(path): path for path in _sources()}
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        for module, _node in _imported_modules(path, _tree(path), top_level_only=True):
            if module in names and module != name:
                graph[name].add(module)
    cycles = _strongly_connected(graph)
    assert [sorted(cycle) for cycle in cycles if len(cycle) > 1] == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            result.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return result


@pytest.mark.parametrize("app", STAGE_APPS)
def test_each_feature_package_has_the_same_file_names(app):
    features = [
        path.parent
        for path in sorted((ROOT / app).glob("*/__init__.py"))
        if path.parent.name not in {"migrations", "management", "templatetags"}
        and (path.parent / "views.py").exists()
    ]
    assert features, f"{app} has no feature package"
    for feature in features:
        files = {path.name for path in feature.glob("*.py")}
        assert files <= FEATURE_FILES, f"{feature.relative_to(ROOT)}: {files - FEATURE_FILES}"
        assert {"views.py", "urls.py"} <= files, f"{feature.relative_to(ROOT)} lacks urls.py"
