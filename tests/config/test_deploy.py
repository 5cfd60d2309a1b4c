"""What the image builds works: the static files collect under the production settings, every
vendored file's references resolve, and the Dockerfile and docker-compose.yml give the production
settings every value they refuse to start without."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE_MAP = re.compile(r"[#@] sourceMappingURL=(?P<url>[^\s*]+)")


def test_collectstatic_succeeds_under_the_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "collectstatic-test-only",
        "DJANGO_ALLOWED_HOSTS": "tandem.example.org",
        "DJANGO_STATIC_ROOT": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    script = tmp_path / paths["vendor/leaflet-1.9.4/leaflet.js"]
    # The manifest rewrote the map's name to its hashed copy, which is there.
    named = SOURCE_MAP.search(script.read_text()).group("url")
    assert named == Path(paths["vendor/leaflet-1.9.4/leaflet.js.map"]).name
    assert (script.parent / named).is_file()


def test_every_source_map_a_static_file_names_is_in_the_repository():
    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for match in SOURCE_MAP.finditer(path.read_text(encoding="utf-8", errors="replace")):
            if not (path.parent / match.group("url")).is_file():
                missing.append(f"{path.relative_to(ROOT)} -> {match.group('url')}")
    assert not missing


def _required_by_production() -> set[str]:
    """The variables the production settings read with no default."""
    text = (ROOT / "config/settings/production.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\("(\w+)"\)', text))


def test_the_dockerfile_build_and_the_compose_stack_set_what_production_requires():
    required = _required_by_production()
    assert required >= {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"}
    dockerfile = (ROOT / "Dockerfile").read_text()
    build_step = next(line for line in dockerfile.split("RUN ") if "collectstatic" in line)
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in dockerfile
    assert all(f"{name}=" in build_step for name in required)

    compose = (ROOT / "docker-compose.yml").read_text()
    environment = compose.split("x-tandem:", 1)[1].split("services:", 1)[0]
    assert "DJANGO_SETTINGS_MODULE: config.settings.production" in environment
    # Production needs PostgreSQL and Redis, not the development fallbacks.
    for name in required | {"DATABASE_URL", "REDIS_URL"}:
        assert re.search(rf"^\s+{name}:", environment, re.MULTILINE), name
    # Media files live where the image makes its writable folder.
    assert "mkdir -p var/media" in dockerfile
    assert "DJANGO_MEDIA_ROOT: /app/var/media" in environment
    assert "WORKDIR /app" in dockerfile


def test_production_checks_the_connections_it_keeps():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "settings-test-only",
        "DJANGO_ALLOWED_HOSTS": "tandem.example.org",
    }
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    max_age, health_checks = done.stdout.split()
    assert int(max_age) > 0
    assert health_checks == "True"
