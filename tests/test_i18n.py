"""The chrome speaks French and German; the catalogues are complete and compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Accueil", "Jumelages", "Villes", "Invitations", "Aller au contenu principal"]),
        ("de", ["Startseite", "Tandems", "Städte", "Einladungen", "Zum Hauptinhalt springen"]),
    ],
)
def test_navigation_in_each_language(client, demo, demo_user, language, words):
    client.force_login(demo_user("coordinator@example.org"))
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html


def test_the_sign_in_page_is_translated(client, db):
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    html = client.get(reverse("account_login")).content.decode()
    assert "Anmelden" in html
    assert "Passwort" in html


def test_role_names_are_translated():
    from accounts.models import Role

    with translation.override("fr"):
        assert str(Role.OFFICER.label) == "Agent municipal"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} (Debian package gettext) is missing")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.mark.parametrize("language", ["fr", "de"])
def test_catalogue_is_complete_and_compiled(language, tmp_path):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        found = subprocess.run(
            [tool("msgattrib"), flag, "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert found == "", f"{flag}:\n{found}"
    fresh = tmp_path / "django.mo"
    subprocess.run([tool("msgfmt"), "--check", "-o", str(fresh), str(po)], check=True)
    committed = po.with_suffix(".mo").read_bytes()
    assert fresh.read_bytes() == committed, "run `make messages` and commit the .mo file"


def test_every_string_the_code_marks_is_in_the_catalogues(tmp_path):
    """makemessages over a copy of the code finds no string the catalogues lack: a new string
    (or one changed since it was translated, which makemessages guesses and marks fuzzy) would
    show in English. Takes seconds: xgettext reads the whole project."""
    tool("xgettext")
    root = LOCALE.parent
    copy = tmp_path / "copy"
    skip = shutil.ignore_patterns(
        ".*", "node_modules", "var", "media", "staticfiles", "tests", "bench", "__pycache__"
    )
    shutil.copytree(root, copy, ignore=skip, symlinks=True)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "-l",
            "de",
            "--ignore=.venv",
            "--ignore=staticfiles",
            "--ignore=tests",
            "--ignore=bench",
        ],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        check=True,
    )
    missing = []
    for language in ("fr", "de"):
        po = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        for flag in ("--untranslated", "--only-fuzzy"):
            found = subprocess.run(
                [tool("msgattrib"), flag, "--no-obsolete", "--no-wrap", str(po)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            ids = [
                line
                for line in found.splitlines()
                if line.startswith("msgid ") and line != 'msgid ""'
            ]
            missing += [f"{language} {flag}: {line}" for line in ids]
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing[:40])
