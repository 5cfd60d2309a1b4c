"""The hours a person works in other EU-funded projects (other grants), year by year: what they
declare, beside their productive hours and the hours they signed in Tandem.

The pages are the signed-in officer's own: anyone who records no time gets the 403 page of My
time, and another person's declared hours are not found (404). Views read the input, call one
service and put its ValidationError next to the fields (400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role
from accounts.selectors import today_for
from cities.selectors import cities_of
from config import stale
from config.views import add_service_errors, render_form

from .. import selectors, services
from ..forms.time import OtherGrantHoursForm
from ..models import OtherGrantHours
from ..templatetags.reporting_tags import hours as shown_hours

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])


def _not_officer(request: HttpRequest) -> HttpResponse | None:
    """My time's page for people who record no time (403), or None for an officer."""
    if cities_of(request.user, Role.OFFICER):
        return None
    return render(request, "reporting/time/not_officer.html", status=403)


def _own_row(request: HttpRequest, pk: int) -> OtherGrantHours:
    """One of the person's own declarations (404 for anyone else's)."""
    return get_object_or_404(OtherGrantHours.objects.filter(person=request.user), pk=pk)


@login_required
@require_safe
def other_grants(request: HttpRequest) -> HttpResponse:
    """Per year: productive hours, hours signed in Tandem, hours in other grants and what
    remains; then each declaration, to change or delete."""
    if refused := _not_officer(request):
        return refused
    rows = list(selectors.other_grant_rows(request.user))
    context = {"rows": rows, "years": selectors.grant_years(request.user, rows)}
    return render(request, "reporting/time/other_grants.html", context)


@login_required
@GET_AND_POST
def other_grant_create(request: HttpRequest) -> HttpResponse:
    if refused := _not_officer(request):
        return refused
    row = OtherGrantHours(person=request.user)
    form = OtherGrantHoursForm(
        request.POST if request.method == "POST" else None,
        instance=row,
        initial={"year": today_for(request.user).year},
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        if saved is not None:
            return saved
    return render_form(
        request, "reporting/time/other_grant_form.html", {"form": form, "stored": None}
    )


@login_required
@GET_AND_POST
def other_grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = _own_row(request, pk)
    # As stored, for the page's heading: the form writes what is typed onto ``row``.
    stored = OtherGrantHours(pk=row.pk, year=row.year, project=row.project)
    form = OtherGrantHoursForm(request.POST if request.method == "POST" else None, instance=row)
    stale.track(form, row)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        if saved is not None:
            return saved
    return render_form(
        request, "reporting/time/other_grant_form.html", {"form": form, "stored": stored}
    )


def _save(request: HttpRequest, form: OtherGrantHoursForm) -> HttpResponse | None:
    try:
        saved = services.other_grant_hours_save(
            row=form.instance, by=request.user, expected_version=stale.expected(form)
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(
        request,
        _("Saved: %(hours)s hours in %(project)s in %(year)s.")
        % {"hours": shown_hours(saved.hours), "project": saved.project, "year": saved.year},
    )
    return redirect("reporting:other_grants")


@login_required
@GET_AND_POST
def other_grant_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = _own_row(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.other_grant_hours_delete(row=row, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Deleted the hours in %(project)s in %(year)s.")
                % {"project": row.project, "year": row.year},
            )
            return redirect("reporting:other_grants")
    status = 400 if errors else 200
    return render(
        request,
        "reporting/time/other_grant_delete.html",
        {"row": row, "errors": errors},
        status=status,
    )
