"""The audit trail: who changed what and when, for coordinators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst

from config.pagination import count_up_to, keyset_page
from mentoring.views.scoping import programme_choice

from .filters import LogEntryFilter, kind_key
from .permissions import can_view_audit_trail
from .presenters import rows_for
from .registry import followed_models
from .selectors import entries_visible_to

ENTRIES_PER_PAGE = 50
# The changes are counted up to this number: beyond it the list says "more than".
COUNTED_UP_TO = 500


def _page(request: HttpRequest, entries) -> dict:
    """A page of the changes, newest first, and how many there are up to COUNTED_UP_TO: the
    trail holds a row for every time entry, too many to count or to page through by number."""
    filterset = LogEntryFilter(request.GET or None, queryset=entries)
    page = keyset_page(request, filterset.qs, per_page=ENTRIES_PER_PAGE)
    total, more = count_up_to(filterset.qs, COUNTED_UP_TO)
    return {
        "filter": filterset,
        "page": page,
        "rows": rows_for(page.object_list),
        "total": total,
        "more": more,
    }


@login_required
def log(request: HttpRequest) -> HttpResponse:
    if not can_view_audit_trail(request.user):
        raise PermissionDenied
    # A coordinator of several programmes sees the changes of the one they work in unless
    # they ask for another or for all.
    choice, programme = programme_choice(request)
    entries = entries_visible_to(
        request.user, programme_id=programme.pk if programme is not None else None
    )
    context = _page(request, entries) | {"choice": choice, "programme": programme}
    status = 400 if choice is not None and choice.errors else 200
    return render(request, "audit/log.html", context, status=status)


@login_required
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Every change to one object that the person may see."""
    if not can_view_audit_trail(request.user):
        raise PermissionDenied
    model = next((m for m in followed_models() if kind_key(m) == kind), None)
    if model is None:
        raise Http404
    entries = entries_visible_to(request.user).filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_pk=str(pk),
    )
    latest = entries.first()
    if latest is None:
        raise Http404
    context = _page(request, entries)
    context.update(kind=capfirst(model._meta.verbose_name), object_repr=latest.object_repr)
    return render(request, "audit/history.html", context)
