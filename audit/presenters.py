"""Turning a page of log entries into rows a person reads, with a fixed number of queries:
one per kind of related object on the page, never one per row."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from .filters import kind_key

EMPTY = "—"
LONGEST_VALUE = 200

# What to load with related objects so that their names cost no query each.
NAME_NEEDS = {
    "mentoring.pairing": ("scheme", "mentor", "implementing"),
    "reporting.timesheetmonth": ("person", "programme"),
}


def _plan_url(plan_id) -> str:
    return reverse("actionplans:plan", kwargs={"pk": plan_id})


def _month_url(month_id) -> str:
    return reverse("reporting:month", kwargs={"pk": month_id})


# Where a followed object is shown: the values to fetch and how they make the address.
LINKS = {
    "mentoring.pairing": (("pk",), lambda pk: reverse("portal:pairing", kwargs={"pk": pk})),
    "reporting.timesheetmonth": (("pk",), _month_url),
    "reporting.timeentry": (("timesheet_id",), _month_url),
    "actionplans.actionplan": (("pk",), _plan_url),
    "actionplans.action": (("plan_id",), _plan_url),
    "actionplans.indicator": (("plan_id",), _plan_url),
    "actionplans.risk": (("plan_id",), _plan_url),
    "actionplans.groupmember": (("plan_id",), _plan_url),
    "actionplans.measurement": (("indicator__plan_id",), _plan_url),
    "toolkits.goodpractice": (
        ("slug",),
        lambda slug: reverse("toolkits:practice", kwargs={"slug": slug}),
    ),
}


@dataclass
class Change:
    field: str
    old: str
    new: str
    text: str = ""  # as the list shows it: the new value of a creation, the old of a deletion


@dataclass
class Row:
    entry: LogEntry
    who: str
    kind: str
    kind_key: str
    action: str
    url: str | None
    changes: list[Change] = field(default_factory=list)


def action_label(action: int) -> str:
    return {
        LogEntry.Action.CREATE: _("created"),
        LogEntry.Action.UPDATE: _("changed"),
        LogEntry.Action.DELETE: _("deleted"),
    }.get(action, _("viewed"))


def who_did(entry: LogEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name()
    return entry.actor_email or _("system")


class _Names(dict):
    """What a page's rows repeat, translated once per page rather than once per row: the
    names of kinds of object, of changes, of fields and of choices."""

    def get_or_make(self, key, make):
        if key not in self:
            self[key] = make()
        return self[key]


def rows_for(entries: list[LogEntry]) -> list[Row]:
    related = _related_names(entries)
    links = _links(entries)
    names = _Names()
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        key = kind_key(model) if model else f"{entry.content_type.app_label}."
        rows.append(
            Row(
                entry=entry,
                who=who_did(entry),
                kind=names.get_or_make(
                    key,
                    lambda m=model, e=entry: (
                        str(capfirst(m._meta.verbose_name)) if m else e.content_type.name
                    ),
                ),
                kind_key=key,
                action=names.get_or_make(entry.action, lambda a=entry.action: action_label(a)),
                url=links.get((key, entry.object_pk)),
                changes=_changes(entry, model, related, names) if model else [],
            )
        )
    return rows


def _model_field(model, name: str):
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return model_field if model_field.concrete else None


def _is_empty(value) -> bool:
    return value is None or value in ("None", "")


def _related_names(entries: list[LogEntry]) -> dict[tuple[type, str], str]:
    """The names of the objects the changes point to, one query per related model."""
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        if model is None:
            continue
        for name, values in entry.changes_dict.items():
            model_field = _model_field(model, name)
            if model_field is None or not model_field.many_to_one and not model_field.one_to_one:
                continue
            for value in values:
                if not _is_empty(value):
                    wanted[model_field.related_model].add(str(value))
    names = {}
    for related_model, pks in wanted.items():
        manager = related_model._base_manager.select_related(
            *NAME_NEEDS.get(kind_key(related_model), ())
        )
        for obj in manager.filter(pk__in=pks):
            names[(related_model, str(obj.pk))] = str(obj)
    return names


def _links(entries: list[LogEntry]) -> dict[tuple[str, str], str]:
    """The pages of the objects that still exist, one query per kind of object."""
    pks: dict[str, set[str]] = defaultdict(set)
    models_by_key = {}
    for entry in entries:
        model = entry.content_type.model_class()
        if model is None:
            continue
        key = kind_key(model)
        if key in LINKS:
            pks[key].add(entry.object_pk)
            models_by_key[key] = model
    links = {}
    for key, object_pks in pks.items():
        values, make_url = LINKS[key]
        rows = models_by_key[key]._base_manager.filter(pk__in=object_pks).values_list("pk", *values)
        for pk, value in rows:
            if value is not None:
                links[(key, str(pk))] = make_url(value)
    return links


def _changes(entry: LogEntry, model, related, names: _Names) -> list[Change]:
    changes = []
    for name, values in entry.changes_dict.items():
        if not isinstance(values, list | tuple) or len(values) != 2:
            continue  # many-to-many entries: not followed
        model_field = _model_field(model, name)
        label = names.get_or_make(
            (model, name),
            lambda f=model_field, n=name: str(capfirst(f.verbose_name)) if f is not None else n,
        )
        old, new = (_display(model_field, value, related, names) for value in values)
        # What a new object left empty, or a deleted one had empty, says nothing.
        if (entry.action == LogEntry.Action.CREATE and new == EMPTY) or (
            entry.action == LogEntry.Action.DELETE and old == EMPTY
        ):
            continue
        if entry.action == LogEntry.Action.CREATE:
            text = f"{label}: {new}"
        elif entry.action == LogEntry.Action.DELETE:
            text = f"{label}: {old}"
        else:
            text = f"{label}: {old} → {new}"
        changes.append(Change(field=label, old=old, new=new, text=text))
    return changes


def _display(model_field, value, related, names: _Names) -> str:
    if _is_empty(value):
        return EMPTY
    value = str(value)
    if model_field is None:
        return _shortened(value)
    if model_field.many_to_one or model_field.one_to_one:
        name = related.get((model_field.related_model, value))
        return name if name is not None else _("deleted (no. %(pk)s)") % {"pk": value}
    if model_field.choices:
        choices = names.get_or_make(
            model_field, lambda: {str(k): str(v) for k, v in model_field.flatchoices}
        )
        return choices.get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value == "True" else _("no")
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=UTC)
            return formats.localize(timezone.localtime(moment))
    elif isinstance(model_field, models.DateField):
        day = parse_date(value)
        if day is not None:
            return formats.localize(day)
    return _shortened(value)


def _shortened(value: str) -> str:
    return value if len(value) <= LONGEST_VALUE else Truncator(value).chars(LONGEST_VALUE)
