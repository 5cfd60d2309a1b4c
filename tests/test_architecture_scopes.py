"""The question "which ids do my roles cover" is answered once: accounts.selectors.scopes_of(user).

Every permission and selector asks scopes_of; no other module walks the person's memberships to
collect programme, scheme or city ids of its own. This test reads the source of the project's apps
and fails on any loop or comprehension over ``memberships_of(...)`` that reads an ``..._id`` (or
uses ``getattr``) outside accounts/selectors.py.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR).resolve()

# The one place that turns memberships into ids.
THE_PLACE = "accounts/selectors.py"

# Modules another part of the refactor moves out of accounts (into the apps that own the objects);
# they keep their own loops until then and must not be copied elsewhere. Remove an entry when its
# module is gone or asks scopes_of.
NOT_YET_MOVED = {
    "accounts/permissions.py",
    "accounts/privacy.py",
}


def _iterates_memberships(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "memberships_of")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "memberships_of")
    )


def _reads_ids(node: ast.AST) -> bool:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Attribute) and inner.attr.endswith("_id"):
            return True
        if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) == "getattr":
            return True
    return False


def id_collections_from_memberships(source: str) -> list[int]:
    """Line numbers where a loop or comprehension over memberships_of(...) reads ids."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            if any(_iterates_memberships(g.iter) for g in node.generators) and _reads_ids(node):
                found.append(node.lineno)
        elif isinstance(node, ast.For | ast.AsyncFor):
            if _iterates_memberships(node.iter) and _reads_ids(node):
                found.append(node.lineno)
    return found


def _project_modules() -> list[Path]:
    roots = {BASE_DIR / "config"}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(BASE_DIR) and ".venv" not in path.parts:
            roots.add(path)
    return sorted(
        module
        for root in roots
        for module in root.rglob("*.py")
        if "migrations" not in module.parts
    )


def test_the_project_modules_are_found():
    found = {module.relative_to(BASE_DIR).as_posix() for module in _project_modules()}
    assert THE_PLACE in found
    assert {"reporting/permissions.py", "mentoring/permissions.py"} <= found


def test_only_accounts_selectors_collects_ids_from_memberships():
    offenders = []
    for module in _project_modules():
        name = module.relative_to(BASE_DIR).as_posix()
        if name == THE_PLACE or name in NOT_YET_MOVED:
            continue
        for line in id_collections_from_memberships(module.read_text(encoding="utf-8")):
            offenders.append(f"{name}:{line}")
    assert not offenders, (
        "Ask accounts.selectors.scopes_of(user) (programme_ids, scheme_ids, city_ids, "
        f"coordinated, facilitated, expert_programmes) instead of walking memberships: {offenders}"
    )


@pytest.mark.parametrize(
    "source",
    [
        "ids = {m.programme_id for m in memberships_of(user) if m.role == Role.COORDINATOR}",
        "ids = [m.scheme_id for m in memberships_of(user) if m.role == Role.EXPERT]",
        "ids = {getattr(m, attribute) for m in memberships_of(user) if m.role == role}",
        "cities = {m.city_id: m.city for m in selectors.memberships_of(user)}",
        "yes = any(m.scheme.programme_id == pk for m in memberships_of(user))",
        "for m in memberships_of(user):\n    if m.role == OFFICER:\n        ids.add(m.city_id)",
    ],
)
def test_the_scan_recognises_a_home_made_helper(source):
    assert id_collections_from_memberships(source) == [1]


@pytest.mark.parametrize(
    "source",
    [
        "ids = scopes_of(user).city_ids(Role.OFFICER)",
        "for membership in memberships_of(user):\n    items.extend(_items_for(membership))",
        "roles = {m.role for m in memberships_of(user)}",
        "ids = {p.programme_id for p in participations}",
    ],
)
def test_the_scan_leaves_other_code_alone(source):
    assert id_collections_from_memberships(source) == []
