"""The house's direction, read from the code: the ground floor (accounts, documents) imports no
domain app, no two apps import each other, and nothing imports portal, the top floor.

Every import counts, module-level or inside a function: a function-level import is still a
dependency, only a later one."""

import ast
from collections import defaultdict
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GROUND = {"accounts", "documents"}
TOP = "portal"


def local_apps() -> set[str]:
    """The project's own apps: those whose code lives in the repository."""
    return {
        config.name
        for config in django_apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT.resolve()
    }


def imports_between_apps() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> the places, as "file:line"."""
    apps = local_apps()
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app in sorted(apps):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    target = name.split(".")[0]
                    if target in apps and target != app:
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        edges[(app, target)].append(where)
    return edges


def test_the_apps_are_found():
    assert {"accounts", "documents", "cities", "mentoring", "portal"} <= local_apps()
    edges = imports_between_apps()
    # Known arrows, one of them a function-level import: the walk sees what it should.
    assert ("mentoring", "accounts") in edges
    assert ("portal", "reporting") in edges


def test_the_ground_floor_imports_no_domain_app():
    offences = [
        f"{where}: {app} (ground floor) imports {target}"
        for (app, target), places in sorted(imports_between_apps().items())
        if app in GROUND and target not in GROUND
        for where in places
    ]
    assert not offences, "\n".join(offences)


def test_no_two_apps_import_each_other():
    edges = imports_between_apps()
    offences = [
        f"{a} and {b} import each other: {', '.join(edges[(a, b)])} / {', '.join(edges[(b, a)])}"
        for (a, b) in sorted(edges)
        if a < b and (b, a) in edges
    ]
    assert not offences, "\n".join(offences)


def test_nothing_imports_the_portal():
    offences = [
        f"{where}: {app} imports {TOP}"
        for (app, target), places in sorted(imports_between_apps().items())
        if target == TOP
        for where in places
    ]
    assert not offences, "\n".join(offences)
