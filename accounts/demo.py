"""The demo seeder's registry and the demo people.

Each app adds its part of the demo data from its own ``demo`` module with
``register(DemoStep(...))``; portal's ``seed_demo`` command finds those modules and runs the steps
in order, in one transaction. A step that may be left out names its ``--without-...`` option."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

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
# Stamps that every step's writes carry, registered by the apps that own them (the time a person
# was told of a step), dated with the step like the audit trail's entries.
_always_dated: list[tuple[type[models.Model], str]] = []


def date_always(model: type[models.Model], name: str) -> None:
    """Have ``dated`` move ``model.name`` of every row written in its block, in every step."""
    if (model, name) not in _always_dated:
        _always_dated.append((model, name))


def register(step: DemoStep) -> DemoStep:
    """Add (or, registered again under the same name, replace) a step."""
    _steps[step.name] = step
    return step


def steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def demo_at(day: date, hour: int = 10) -> datetime:
    """A moment of the demo's history: ``hour`` o'clock on ``day``, in the server's zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


@contextmanager
def dated(at: datetime, *stamps: tuple[type[models.Model], str]) -> Iterator[None]:
    """Date ``at`` what the services write inside the block: the audit trail's entries and the
    ``(model, field)`` stamps named, which the services set to the moment they run.

    The demo tells a history that happened in 2016-2018. The services record when a step is
    taken (a signature, an approval, a log row is evidence of that moment) and accept no other
    moment, so the seeder takes each step through them, with their rules, and then moves the
    stamps of that step to the day the story says it happened. Each block is one step; the
    seeding runs alone in its transaction, so what was stamped since the block began is that
    step's. ``QuerySet.update`` leaves ``auto_now`` fields and the audit trail alone."""
    since = timezone.now()
    yield
    fields: dict[type[models.Model], list[str]] = {LogEntry: ["timestamp"]}
    for model, name in [*_always_dated, *stamps]:
        fields.setdefault(model, []).append(name)
    for model, names in fields.items():  # one UPDATE a model
        if len(names) == 1:
            model._default_manager.filter(**{f"{names[0]}__gte": since}).update(**{names[0]: at})
            continue
        written = Q()
        for name in names:
            written |= Q(**{f"{name}__gte": since})
        model._default_manager.filter(written).update(
            **{
                name: Case(When(**{f"{name}__gte": since}, then=Value(at)), default=F(name))
                for name in names
            }
        )


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
