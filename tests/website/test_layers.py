"""The layout holds: no circle between modules, no import hidden in a function, small modules.

import-linter (`make lint`) keeps the direction between the apps (README, "Layers"). These tests
look inside each app: the import graph (grimp, import-linter's own library, which counts imports
written inside functions too) must have no cycle, and no function may import, apart from an app's
`ready()` (Django's place for what needs the app registry) and migrations.
"""

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["website", "bulletin", "events", "newsletter", "measure"]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*APPS, cache_dir=None)


def cycles(graph, package):
    """Each distinct cycle through a module of `package`, as [a, b, …, a]."""
    found = {}
    for module in sorted(graph.find_descendants(package) | {package}):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                cycle = [module, *chain]
                found.setdefault(frozenset(cycle), cycle)
    return sorted(found.values())


# Third-party libraries that may be imported inside the one function that uses them: heavy, and not
# needed by most processes that load the apps (never a module of ours: that would hide a circle).
LOADED_WHEN_USED = {
    "weasyprint": "the funder report's PDF; 0.45 s added to every worker's and command's start otherwise",
}


def function_imports(path):
    """(line, statement) of every import inside a function of the file at `path`, but those of
    LOADED_WHEN_USED."""
    tree = ast.parse(path.read_text(), str(path))
    allowed = path.name == "apps.py"
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if allowed and node.name == "ready":
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.module in LOADED_WHEN_USED:
                continue
            if isinstance(inner, ast.Import | ast.ImportFrom):
                found.append((inner.lineno, ast.unparse(inner)))
    return sorted(set(found))


def source_files(app):
    return [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts]


@pytest.mark.parametrize("app", APPS)
def test_no_module_imports_itself_through_a_circle(graph, app):
    found = cycles(graph, app)
    assert found == [], "import circles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


@pytest.mark.parametrize("app", APPS)
def test_no_function_imports_a_module(app):
    found = [
        f"{path.relative_to(ROOT)}:{line}: {statement}"
        for path in source_files(app)
        for line, statement in function_imports(path)
    ]
    assert found == [], (
        "imports inside functions (move them to the top, or the shared piece down a layer):\n"
        + ("\n".join(found))
    )


@pytest.mark.parametrize("app", APPS)
def test_modules_and_functions_stay_small(app):
    too_long = []
    for path in source_files(app):
        text = path.read_text()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.name}() {length} lines")
    assert too_long == [], "\n".join(too_long)


def test_the_cycle_finder_names_a_circle_and_only_a_circle():
    graph = grimp.ImportGraph()
    for importer, imported in [
        ("pkg.a", "pkg.b"),
        ("pkg.b", "pkg.c"),
        ("pkg.c", "pkg.a"),
        ("pkg.c", "pkg.d"),
    ]:
        graph.add_import(importer=importer, imported=imported)
    graph.add_module("pkg")
    assert cycles(graph, "pkg") == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    graph.remove_import(importer="pkg.c", imported="pkg.a")
    assert cycles(graph, "pkg") == []


def test_the_import_finder_sees_imports_in_functions_but_not_in_ready(tmp_path):
    source = (
        "import os\n"
        "def helper():\n"
        "    from website import models\n"
        "class Config:\n"
        "    def ready(self):\n"
        "        from website import checks\n"
        "    async def other(self):\n"
        "        import json\n"
    )
    module = tmp_path / "services.py"
    module.write_text(source)
    assert function_imports(module) == [
        (3, "from website import models"),
        (6, "from website import checks"),
        (8, "import json"),
    ]
    apps_module = tmp_path / "apps.py"
    apps_module.write_text(source)
    assert function_imports(apps_module) == [(3, "from website import models"), (8, "import json")]
