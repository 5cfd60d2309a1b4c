"""What the audit trail follows, and to which programme or city each change belongs.

django-auditlog writes a ``LogEntry`` on every save and delete of the models registered here
(through the model signals, so ``QuerySet.update()`` and ``bulk_create`` are not seen: the
services avoid them for these models). After each entry, ``post_log`` gives us the instance and
we store its scope in ``AuditScope``.
"""

from dataclasses import dataclass

from auditlog.registry import auditlog
from auditlog.signals import post_log
from django.apps import apps
from django.db import models

from .models import AuditScope


@dataclass(frozen=True)
class Followed:
    label: str
    # The foreign keys from the model to the object that holds ``programme``; empty when the
    # model holds it itself; None when the model belongs to a city instead.
    to_programme: tuple[str, ...] | None
    exclude: tuple[str, ...] = ()


ROW_EXCLUDE = ("revision",)

FOLLOWED = [
    Followed("reporting.TimeEntry", (), ("timesheet", "created_at", "updated_at")),
    Followed("reporting.TimesheetMonth", ()),
    Followed("reporting.StaffRate", None, ("updated_by", "updated_at")),
    Followed("mentoring.Pairing", ("scheme",), ("created_at", "created_by")),
    Followed(
        "actionplans.ActionPlan", ("pairing", "scheme"), ("revisions", "created_at", "updated_at")
    ),
    Followed("actionplans.Action", ("plan", "pairing", "scheme"), ROW_EXCLUDE),
    Followed("actionplans.Indicator", ("plan", "pairing", "scheme"), ROW_EXCLUDE),
    Followed("actionplans.Measurement", ("indicator", "plan", "pairing", "scheme")),
    Followed("actionplans.Risk", ("plan", "pairing", "scheme"), ROW_EXCLUDE),
    Followed("actionplans.GroupMember", ("plan", "pairing", "scheme"), ROW_EXCLUDE),
    Followed("toolkits.GoodPractice", ("scheme",), ("created_at", "updated_at")),
    Followed("claims.Claim", (), ("version", "created_at")),
    Followed("claims.ClaimLine", ("claim",), ("created_at", "updated_at")),
    Followed("claims.Verification", ("claim",)),
    Followed("claims.ControlAssignment", (), ("created_at",)),
]

_FOLLOWED_BY_MODEL: dict[type[models.Model], Followed] = {}


def followed_models() -> list[type[models.Model]]:
    return [apps.get_model(followed.label) for followed in FOLLOWED]


def register_models() -> None:
    for followed in FOLLOWED:
        model = apps.get_model(followed.label)
        if not auditlog.contains(model):
            # Only the model's own columns: auditlog would also list reverse relations.
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if not f.primary_key and f.name not in followed.exclude
            ]
            auditlog.register(model, include_fields=fields)
        _FOLLOWED_BY_MODEL[model] = followed
    post_log.connect(_store_scope, dispatch_uid="audit.store_scope")


def programme_id_of(instance: models.Model, chain: tuple[str, ...]) -> int | None:
    """Follow the chain of foreign keys to the programme: through objects already loaded for
    free, then with one query for the rest."""
    obj = instance
    for index, name in enumerate(chain):
        field = obj._meta.get_field(name)
        if field.is_cached(obj):
            obj = getattr(obj, name)
            if obj is None:
                return None
            continue
        target_pk = getattr(obj, field.attname)
        if target_pk is None:
            return None
        path = "__".join([*chain[index + 1 :], "programme"])
        return (
            field.related_model._base_manager.filter(pk=target_pk)
            .values_list(path, flat=True)
            .first()
        )
    return obj.programme_id


def scope_of(instance: models.Model) -> AuditScope | None:
    """The scope of a followed object, unsaved; None when it cannot be told (then only the
    technical administration sees the entry)."""
    followed = _FOLLOWED_BY_MODEL.get(type(instance))
    if followed is None:
        return None
    if followed.to_programme is None:
        return AuditScope(city_id=instance.city_id) if instance.city_id else None
    programme_id = programme_id_of(instance, followed.to_programme)
    return AuditScope(programme_id=programme_id) if programme_id else None


def record_scope(entry, instance: models.Model) -> None:
    """Store the scope of an entry written by hand (``LogEntry.objects.log_create``)."""
    scope = scope_of(instance)
    if scope is not None:
        scope.entry = entry
        scope.save()


def _store_scope(sender, instance, log_entry=None, log_created=False, **kwargs) -> None:
    if log_created and log_entry is not None:
        record_scope(log_entry, instance)
