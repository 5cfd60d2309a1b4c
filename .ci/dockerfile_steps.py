#!/usr/bin/env python3
"""Build what the Dockerfile builds, without a Docker engine.

Reads the Dockerfile itself (so a changed Dockerfile is what gets tried) and replays it in a
temporary folder with a fresh virtual environment standing in for the image's Python:

- ENV and WORKDIR are applied (WORKDIR becomes the temporary folder);
- COPY copies from this checkout, leaving out what .dockerignore leaves out;
- RUN commands run one by one in a shell, with the image's environment, except the ones that
  change this machine rather than the image (system packages, system users, ownership, paths
  outside the working directory): those are printed as skipped, with the reason;
- CMD's program, and the programs docker-compose.yml runs with this image, must exist in the
  environment the install made.

Exits non-zero at the first failing command. Usage: python3 .ci/dockerfile_steps.py
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# First word of a command -> why it is not run here.
SKIPPED = {
    "apt-get": "system packages: .ci/run installs the same ones on this machine",
    "groupadd": "system users belong to the image, not to the CI machine",
    "useradd": "system users belong to the image, not to the CI machine",
    "chown": "the image's user does not exist here",
}


def logical_lines(text: str) -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current:
        lines.append(current)
    return lines


def parse_env(arguments: str) -> dict[str, str]:
    values = {}
    for word in shlex.split(arguments):
        name, _, value = word.partition("=")
        values[name] = value
    return values


def ignored_patterns() -> list[str]:
    path = ROOT / ".dockerignore"
    if not path.exists():
        return []
    patterns = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            patterns.append(line.removeprefix("/").rstrip("/"))
    return patterns


def is_ignored(relative: str, patterns: list[str]) -> bool:
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        for prefix in prefixes:
            if fnmatch.fnmatch(prefix, pattern):
                return True
            if pattern.startswith("**/") and fnmatch.fnmatch(prefix.split("/")[-1], pattern[3:]):
                return True
    return False


def checkout_files() -> list[str]:
    """The files a fresh clone has (tracked, plus new files git does not ignore)."""
    output = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [name for name in output.split("\0") if name and (ROOT / name).is_file()]


def copy(arguments: str, workdir: Path, patterns: list[str]) -> None:
    *sources, destination = shlex.split(arguments)
    target = workdir / destination
    files = checkout_files()
    copied = 0
    for source in sources:
        source = source.removeprefix("./")
        for name in files:
            if source != "." and name != source:
                continue
            if is_ignored(name, patterns):
                continue
            path = target / name if source == "." else target / Path(name).name
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, path)
            copied += 1
    print(f"   copied {copied} file(s)")


def why_skipped(command: str, workdir: Path) -> str | None:
    words = shlex.split(command)
    if not words:
        return None
    if words[0] in SKIPPED:
        return SKIPPED[words[0]]
    if words[0] == "rm" and any(word.startswith("/") for word in words[1:]):
        return "removes files outside the working directory (the image's, not this machine's)"
    return None


def run(arguments: str, workdir: Path, env: dict[str, str]) -> None:
    kept = []
    for command in (part.strip() for part in arguments.split("&&")):
        reason = why_skipped(command, workdir)
        if reason:
            print(f"   skip: {command}\n         ({reason})")
        else:
            print(f"   run:  {command}")
            kept.append(command)
    if not kept:
        return
    subprocess.run(["sh", "-ec", " && ".join(kept)], cwd=workdir, env=env, check=True)


def compose_programs() -> list[str]:
    """The first word of every command docker-compose.yml gives a service built from the image."""
    path = ROOT / "docker-compose.yml"
    if not path.exists():
        return []
    programs = []
    for match in re.finditer(r'command:\s*\[\s*"([^"]+)"', path.read_text()):
        programs.append(match.group(1))
    for match in re.finditer(r"command:\s*\n\s*-\s*(\S+)", path.read_text()):
        programs.append(match.group(1))
    return [program for program in programs if program not in {"sh", "caddy"}]


def main() -> int:
    dockerfile = ROOT / "Dockerfile"
    patterns = ignored_patterns()
    build = Path(tempfile.mkdtemp(prefix="tandem-image-"))
    venv = build / "venv"
    app = build / "app"
    app.mkdir()
    python = os.environ.get("PYTHON", "python3.11")
    env = {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(build),
        "LANG": "C.UTF-8",
    }
    # Where pip finds packages on this machine (an index, a mirror, certificates) is not the
    # image's business, but the install needs it; the Dockerfile's own PIP_ settings still win.
    env.update({k: v for k, v in os.environ.items() if k.startswith("PIP_")})
    cmd: list[str] = []
    try:
        for line in logical_lines(dockerfile.read_text()):
            instruction, _, arguments = line.partition(" ")
            instruction = instruction.upper()
            print(f"== {instruction} {arguments[:100]}")
            if instruction == "FROM":
                print(f"   stands in: a fresh virtual environment made by {python}")
                subprocess.run([python, "-m", "venv", str(venv)], check=True)
            elif instruction == "ENV":
                values = parse_env(arguments)
                for name, value in values.items():
                    env[name] = value.replace("/app", str(app)) if name == "PYTHONPATH" else value
            elif instruction == "WORKDIR":
                print(f"   stands in: {app}")
            elif instruction == "COPY":
                copy(arguments, app, patterns)
            elif instruction == "RUN":
                run(arguments, app, env)
            elif instruction == "CMD":
                cmd = [word for word in re.findall(r'"([^"]*)"', arguments)]
            else:
                print("   nothing to build here")
        programs = ([cmd[0]] if cmd else []) + compose_programs()
        missing = [program for program in programs if not (venv / "bin" / program).exists()]
        print(f"== the image's programs: {', '.join(programs)}")
        if missing:
            print(f"   missing from the install: {', '.join(missing)}")
            return 1
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import config.wsgi, config.celery_app"],
            cwd=app,
            env={
                **env,
                "DJANGO_SECRET_KEY": "build-check",
                "DJANGO_ALLOWED_HOSTS": "localhost",
            },
            check=True,
        )
        print("   the WSGI application and the Celery app load from the built folder")
        print("== the Dockerfile's steps built")
        return 0
    except subprocess.CalledProcessError as error:
        print(f"!! failed: {error}")
        return 1
    finally:
        shutil.rmtree(build, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
