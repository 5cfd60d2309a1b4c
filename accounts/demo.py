"""The demo seeder's registry and the demo people.

Each app adds its part of the demo data from its own ``demo`` module with
``register(DemoStep(...))``; portal's ``seed_demo`` command finds those modules and runs the steps
in order, in one transaction. A step that may be left out names its ``--without-...`` option."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password

from .models import User
from .services import user_create


@dataclass
class DemoRun:
    """What the steps of one seeding share: what earlier steps made, by name (the programme,
    its schemes, its cities), and the logins to print at the end."""

    made: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class DemoStep:
    """One step of the demo seeding. ``without`` names the option that leaves it out
    (``"toolkits"`` gives ``--without-toolkits``), with ``help`` saying what it leaves out."""

    name: str
    order: int
    run: Callable[[DemoRun], Any]
    without: str | None = None
    help: str = ""


_steps: dict[str, DemoStep] = {}


def register(step: DemoStep) -> DemoStep:
    """Add (or, registered again under the same name, replace) a step."""
    _steps[step.name] = step
    return step


def steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


@lru_cache(maxsize=1)
def _demo_password_hash(password: str) -> str:
    """Hashed once: with 35 demo people, hashing each took ten seconds of the seeding."""
    return make_password(password)


def demo_password_hash() -> str:
    return _demo_password_hash(settings.DEMO_PASSWORD)


def demo_user(email: str, full_name: str) -> User:
    """The demo person, created with the demo password the first time only."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=None, full_name=full_name)
        user.password = demo_password_hash()
        user.save(update_fields=["password"])
    return user
