"""`make run HOST=...` gives the portal that address for the links it sends (e-mails, calendar
feeds), unless TANDEM_SITE_URL is given. Checked with `make -n`, which prints the commands
without running them, in a folder of its own so that a developer's .env plays no part."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def runserver_line(tmp_path: Path, *args: str, env: dict | None = None, dotenv: str = "") -> str:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "constraints.txt"):
        (tmp_path / name).touch()
    if dotenv:
        (tmp_path / ".env").write_text(dotenv)
    environment = {k: v for k, v in os.environ.items() if k != "TANDEM_SITE_URL"}
    result = subprocess.run(
        ["make", "-n", "run", *args],  # noqa: S607 - make from PATH, fixed arguments
        cwd=tmp_path,
        env={**environment, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = [line for line in result.stdout.splitlines() if "runserver" in line]
    return line


def test_the_site_address_follows_host(tmp_path):
    line = runserver_line(tmp_path, "HOST=tandem.example.org:8080")
    assert line == (
        "TANDEM_SITE_URL=http://tandem.example.org:8080 "
        ".venv/bin/python manage.py runserver tandem.example.org:8080"
    )


def test_without_host_it_is_the_default_address(tmp_path):
    line = runserver_line(tmp_path)
    assert line.startswith("TANDEM_SITE_URL=http://127.0.0.1:8000 ")


@pytest.mark.parametrize(
    ("args", "env", "dotenv"),
    [
        (["TANDEM_SITE_URL=https://tandem.example.org"], None, ""),
        ([], {"TANDEM_SITE_URL": "https://tandem.example.org"}, ""),
        ([], None, "DJANGO_DEBUG=true\nTANDEM_SITE_URL=https://tandem.example.org\n"),
        ([], None, "export TANDEM_SITE_URL=https://tandem.example.org\n"),
    ],
    ids=["command line", "environment", ".env", ".env with export"],
)
def test_a_given_site_address_wins_over_host(tmp_path, args, env, dotenv):
    line = runserver_line(tmp_path, "HOST=0.0.0.0:8000", *args, env=env, dotenv=dotenv)
    assert line == ".venv/bin/python manage.py runserver 0.0.0.0:8000"
