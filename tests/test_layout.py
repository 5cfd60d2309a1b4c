"""The one layout convention, as the README's "Repository layout" section states it.

Inside an app a layer (views, forms, services, selectors, permissions, urls, ...) is either one
flat module or, once it outgrows a screen of imports, a package with one module per area; never a
suffix module (``views_time.py``) and never both a module and a package for the same layer. Each
app has exactly one ``urls.py``. The README's layout lists every app and names nothing that is not
in the tree.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
LAYERS = ("views", "forms", "services", "selectors", "permissions", "urls", "filters", "tasks")


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Repository layout", 1)[1]
    return section.split("```", 2)[1]


@pytest.mark.parametrize("app", APPS)
def test_each_layer_is_a_module_or_a_package_never_suffix_files_or_both(app):
    folder = ROOT / app
    problems = []
    for layer in LAYERS:
        suffixed = sorted(p.name for p in folder.glob(f"{layer}_*.py"))
        if suffixed:
            problems.append(f"{app}/{layer}: suffix modules {suffixed}; use a {layer}/ package")
        if (folder / f"{layer}.py").exists() and (folder / layer / "__init__.py").exists():
            problems.append(f"{app}: both {layer}.py and {layer}/")
    assert problems == []


@pytest.mark.parametrize("app", APPS)
def test_each_app_has_at_most_one_urls_module(app):
    assert not (ROOT / app / "urls").is_dir(), f"{app}/urls/ should be one urls.py"
    assert list((ROOT / app).glob("urls_*.py")) == []


def test_the_readme_layout_names_every_app_and_only_folders_that_exist():
    block = _layout_block()
    named = set(re.findall(r"^([a-z_.]+)/", block, flags=re.MULTILINE))
    missing = [app for app in APPS if app not in named]
    assert missing == [], f"apps missing from the README's layout: {missing}"
    absent = sorted(name for name in named if not (ROOT / name).exists() and name != "var")
    assert absent == [], f"the README's layout names folders that do not exist: {absent}"
