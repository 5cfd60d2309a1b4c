"""Refusing a save from an outdated page: the one way every edit form keeps a newer save.

An edit page carries the version of the object it was drawn from (a fingerprint of the stored
values, in a hidden ``version`` field). The service that writes locks the row
(``select_for_update``) and compares: when someone saved the object since the page was drawn,
it raises ``StaleError`` and writes nothing. The view puts that on the form with
``config.views.add_service_errors``: a message on top of the form (in the error summary, which
is a ``role="alert"``), the values saved meanwhile beside it, what the person typed kept, and the
hidden version moved on, so that a second save (after comparing) goes through on purpose.

Because the row is locked while the versions are compared, two saves of one page at the same
moment cannot both pass: the second waits for the first and then finds the version changed.

Lists saved as a whole (a toolkit's practices, its success factors, a report with its
recommendations) carry the version of all their rows (``rows_version``, ``parts=``); action plans
compare their revision counters with ``check_token``. The month grid, where two pages changing
different cells must both keep them, applies the same rule per cell: its page carries the cells
as drawn, and ``reporting.services.month_grid_save`` writes only the cells the page changed and
refuses those someone else changed meanwhile, under the month's row lock.

A request that sends no version (a script, a test calling the service) is not checked.
"""

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import formats
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)

FIELD = "version"
NEW = "new"


def stale_message() -> str:
    return _(
        "Someone else saved this while you were editing it, so nothing of yours was saved. "
        "What you typed is kept below and the values saved meanwhile are shown: compare them, "
        "then save again to keep yours."
    )


class StaleError(ValidationError):
    """A save from an outdated page; ``current`` is the object as it is now stored."""

    def __init__(
        self, current: Model | None = None, *, version: str = "", message: str | None = None
    ):
        super().__init__(message or stale_message(), code="stale")
        self.current = current
        self.version = version


def is_stale(error: ValidationError) -> bool:
    return isinstance(error, StaleError) or getattr(error, "code", None) == "stale"


def _tracked_fields(model: type[Model], ignore: Iterable[str] = ()) -> list:
    """The values a person edits: concrete, editable, not the key (auto_now stamps are not
    editable, so a save that changes nothing does not make other pages stale)."""
    skip = set(ignore)
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in skip
    ]


def version_of(
    obj: Model | None, *, ignore: Iterable[str] = (), parts: Iterable[Model] = ()
) -> str:
    """A fingerprint of the object's stored values (and of ``parts``, the rows edited with it,
    such as a report's recommendations); changes whenever one of them does. ``NEW`` for an
    object not yet stored, so that a page drawn before someone created it is refused too."""
    if obj is None or obj.pk is None:
        return NEW
    values = [
        [field.attname, str(field.value_from_object(obj))]
        for field in _tracked_fields(type(obj), ignore)
    ]
    values += [
        [field.name, sorted(getattr(obj, field.name).values_list("pk", flat=True))]
        for field in type(obj)._meta.many_to_many
        if field.editable and field.name not in set(ignore)
    ]
    values += [[f"{type(part).__name__}:{part.pk}", version_of(part)] for part in parts]
    payload = json.dumps(values, sort_keys=True, default=str).encode()
    return hashlib.sha256(payload).hexdigest()[:24]


def rows_version(rows: Iterable[Model]) -> str:
    """The version of a list edited as a whole (a toolkit's practices, its success factors):
    changes when a row is added, removed, moved or changed."""
    payload = json.dumps([[row.pk, version_of(row)] for row in rows]).encode()
    return hashlib.sha256(payload).hexdigest()[:24]


def check_token(
    current, expected, *, current_object: Model | None = None, message: str | None = None
) -> None:
    """Raise StaleError when a page's token (a version or a revision counter) is not the
    stored one. ``expected`` None or "" means the page sent none: nothing is checked. Lock the
    row(s) the token is of before calling this."""
    if expected is None or expected == "":
        return
    if str(expected) != str(current):
        raise StaleError(current_object, version=str(current), message=message)


def locked(obj: M, expected: str | None, *, ignore: Iterable[str] = ()) -> M:
    """The stored row of ``obj``, locked until the transaction ends, after checking that the
    page's version is still the stored one. Call inside ``transaction.atomic()``."""
    current = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    check(current, expected, ignore=ignore)
    return current


def check(current: Model, expected: str | None, *, ignore: Iterable[str] = ()) -> None:
    """Refuse a save when the page's version is not that of ``current``, a row the caller has
    just locked (for services that lock it themselves, to check other rules first)."""
    if expected not in (None, ""):
        version = version_of(current, ignore=ignore)
        if version != expected:
            raise StaleError(current, version=version)


# Forms and views --------------------------------------------------------------------------------


def track(
    form: forms.BaseForm, obj: Model | None, *, version: str | None = None, **options
) -> None:
    """Give an edit form the hidden version of the object it was drawn from (or ``version``)."""
    form.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    form.initial[FIELD] = version if version is not None else version_of(obj, **options)


def was_refused(form: forms.BaseForm) -> bool:
    """Whether the form was refused as a save from an outdated page (answer 409)."""
    return getattr(form, "stale_saved", None) is not None


def expected(form: forms.BaseForm) -> str | None:
    """The version the submitted page was drawn from (None when it sent none)."""
    value = form.cleaned_data.get(FIELD) if hasattr(form, "cleaned_data") else None
    return value or None


def shown(value) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def saved_values(form: forms.BaseForm, current: Model) -> list[tuple[str, str]]:
    """(label, value as stored now) for the form's fields the object has."""
    names = {field.name for field in current._meta.get_fields()}
    pairs = []
    for name, field in form.fields.items():
        if name == FIELD or name not in names:
            continue
        model_field = current._meta.get_field(name)
        if model_field.many_to_many:
            value = "; ".join(str(item) for item in getattr(current, name).all()) or "—"
        elif model_field.choices:
            display = getattr(current, f"get_{name}_display", None)
            value = shown(display() if display else getattr(current, name))
        else:
            value = shown(getattr(current, name))
        pairs.append((str(field.label or name), value))
    return pairs


def refuse(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a stale save on its form: the message, the values saved meanwhile, what was typed
    kept, and the version moved on so that saving again is a deliberate choice."""
    form.add_error(None, error.messages)
    current = getattr(error, "current", None)
    form.stale_saved = saved_values(form, current) if current is not None else []  # type: ignore[attr-defined]
    version = getattr(error, "version", "")
    if version and form.is_bound:
        data = form.data.copy()
        data[form.add_prefix(FIELD)] = version
        form.data = data
