"""The apps stack: portal at the bottom, teams above it, meetings and surveys above teams, the
open data API on top. An app imports only from the apps below it, and no module of an app
imports, even from inside a function, one that imports it back.

Read from the import statements of every module, so a new import that points the wrong way
fails here, naming the file and the line."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {"portal": 0, "teams": 1, "meetings": 2, "surveys": 2, "api": 3}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, at the top or inside a function; relative
    imports made absolute, and `from x import y` also as x.y (y may be a module)."""
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parents, *([node.module] if node.module else [])])
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def app_modules() -> dict[str, Path]:
    return {
        module_name(path): path for app in LAYERS for path in sorted((ROOT / app).rglob("*.py"))
    }


def test_an_app_imports_only_from_the_apps_below_it():
    wrong = {}
    for name, path in app_modules().items():
        app = name.split(".")[0]
        for line, imported in imports(path):
            other = imported.split(".")[0]
            if other in LAYERS and other != app and LAYERS[other] >= LAYERS[app]:
                wrong.setdefault(f"{path.relative_to(ROOT)}:{line}", f"imports {imported}")
    assert wrong == {}


def test_no_two_modules_import_each_other():
    modules = app_modules()
    graph = {
        name: {imported for _, imported in imports(path) if imported in modules} - {name}
        for name, path in modules.items()
    }
    cycles = []
    for start in graph:
        # Every module reachable from `start`; a cycle when start is among them.
        seen, stack, via = set(), [start], {start: [start]}
        while stack:
            current = stack.pop()
            for following in graph[current]:
                if following == start:
                    cycles.append(" -> ".join([*via[current], start]))
                    stack.clear()
                    break
                if following not in seen:
                    seen.add(following)
                    via[following] = [*via[current], following]
                    stack.append(following)
    assert cycles == []


def test_the_check_sees_imports_inside_functions_and_relative_ones():
    package = ROOT / "teams"
    sample = package / "views" / "pages.py"
    found = {module for _, module in imports(sample)}
    assert "teams.presenters" in found  # from .. import presenters
    assert "portal.cache" in found
    # an import inside a function is seen too
    assert "portal.signals" in {module for _, module in imports(package / "apps.py")}
