"""A person's own data (the "Your data" page and its download) and a coordinator's erasure of a
person's data on request."""

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from ..models import User
from ..privacy import (
    Row,
    deleted_rows,
    erase_person,
    erasure_plan,
    erasure_refusal,
    kept_rows,
    may_consider_erasure,
    personal_data,
)


def _rows(counts: dict[str, int], rows: list[Row]) -> list[tuple[str, int]]:
    """The erasure pages' table: what each count means (for kept records why they stay)."""
    return [(row.label, counts.get(row.key, 0)) for row in rows]


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """What Tandem holds about the signed-in person, in plain words, and the download."""
    return render(request, "accounts/privacy/my_data.html")


@login_required
@never_cache
def my_data_export(request: HttpRequest) -> HttpResponse:
    data = personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"tandem-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


@login_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator erases the data of a person of their programme, on that person's request."""
    person = get_object_or_404(User, pk=pk)
    if not may_consider_erasure(request.user, person):
        raise PermissionDenied
    context = {
        "person": person,
        "refusal": erasure_refusal(request.user, person),
    }
    if context["refusal"]:
        return render(request, "accounts/privacy/erase.html", context, status=403)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = erase_person(person, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "accounts/privacy/erased.html",
                {
                    "record": record,
                    "deleted": _rows(record.deleted, deleted_rows()),
                    "kept": _rows(record.kept, kept_rows()),
                },
            )
    plan = erasure_plan(person)
    context |= {
        "form": form,
        "deleted": _rows(plan.deleted, deleted_rows()),
        "kept": _rows(plan.kept, kept_rows()),
    }
    return render(
        request, "accounts/privacy/erase.html", context, status=400 if form.errors else 200
    )
