"""Programme dashboard and management: programmes, schemes, participating cities, organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cities.models import City
from config import stale
from config.views import add_service_errors, get_visible_or_404, render_form

from ..forms.programmes import (
    EventKindForm,
    ExpertOrganisationForm,
    ParticipationForm,
    ProgrammeForm,
    SchemeForm,
)
from ..models import EventKind, ExpertOrganisation, Programme, Scheme
from ..permissions import (
    can_create_organisation,
    can_create_programme,
    can_edit_organisation,
    can_manage_programme,
)
from ..selectors.programmes import event_kinds_of
from ..services.event_kinds import event_kind_save
from ..services.pairings import participation_add
from ..services.programmes import (
    organisation_save,
    participation_remove,
    programme_create,
    programme_update,
    scheme_save,
)


def _managed_programme(request: HttpRequest, slug: str) -> Programme:
    programme = get_visible_or_404(Programme.objects.all(), slug=slug)
    if not can_manage_programme(request.user, programme):
        raise PermissionDenied
    return programme


@login_required
def programme_create_view(request: HttpRequest) -> HttpResponse:
    if not can_create_programme(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_create(programme=form.instance, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme %(name)s created.") % {"name": programme})
            if note := form.slug_note():
                messages.info(request, note)
            return redirect(programme)
    return render_form(request, "mentoring/programme_form.html", {"form": form})


@login_required
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _managed_programme(request, slug)
    form = ProgrammeForm(request.POST or None, instance=programme)
    stale.track(form, programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_update(
                programme=form.instance, expected_version=stale.expected(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme saved."))
            if note := form.slug_note():
                messages.info(request, note)
            return redirect(programme)
    context = {"form": form, "programme": programme}
    return render_form(request, "mentoring/programme_form.html", context)


@login_required
def scheme_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    programme = _managed_programme(request, slug)
    scheme = get_object_or_404(Scheme, pk=pk, programme=programme) if pk else None
    form = SchemeForm(
        request.POST or None,
        instance=scheme,
        programme=programme,
    )
    stale.track(form, scheme)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = scheme_save(
                scheme=form.instance,
                commitments=form.cleaned_data.get("commitments"),
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Scheme %(scheme)s saved.") % {"scheme": scheme.code})
            return redirect(f"{programme.get_absolute_url()}#scheme-{scheme.code}")
    context = {"form": form, "programme": programme, "scheme": scheme}
    return render_form(request, "mentoring/scheme_form.html", context)


@login_required
def event_kind_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's own kinds of event, with how many events each has."""
    programme = _managed_programme(request, slug)
    context = {"programme": programme, "kinds": event_kinds_of(programme)}
    return render(request, "mentoring/event_kind_list.html", context)


@login_required
def event_kind_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    programme = _managed_programme(request, slug)
    kind = get_object_or_404(EventKind, pk=pk, programme=programme) if pk else None
    form = EventKindForm(request.POST or None, instance=kind, programme=programme)
    stale.track(form, kind)
    if request.method == "POST" and form.is_valid():
        try:
            kind = event_kind_save(kind=form.instance, expected_version=stale.expected(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Event kind %(kind)s saved.") % {"kind": kind})
            return redirect("mentoring:event_kinds", slug=programme.slug)
    context = {"form": form, "programme": programme, "kind": kind}
    return render_form(request, "mentoring/event_kind_form.html", context)


@login_required
def participation_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _managed_programme(request, slug)
    form = ParticipationForm(
        request.POST or None,
        programme=programme,
        suggest_url=reverse(
            "mentoring:participation_city_suggestions", kwargs={"slug": programme.slug}
        ),
    )
    if request.method == "POST" and form.is_valid():
        city = form.cleaned_data["city"]
        participation_add(programme=programme, city=city)
        messages.success(request, _("%(city)s now takes part.") % {"city": city})
        return redirect(f"{programme.get_absolute_url()}#cities")
    return render_form(
        request, "mentoring/participation_form.html", {"form": form, "programme": programme}
    )


@login_required
@require_POST
def participation_remove_view(request: HttpRequest, slug: str, city_pk: int) -> HttpResponse:
    programme = _managed_programme(request, slug)
    city = get_object_or_404(City, pk=city_pk, participations__programme=programme)
    try:
        participation_remove(programme=programme, city=city)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(city)s no longer takes part.") % {"city": city})
    return redirect(f"{programme.get_absolute_url()}#cities")


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Every organisation (a coordinator chooses any as a scheme's facilitator); the ones the
    person owns link to their edit page."""
    if not can_create_organisation(request.user)[0]:
        raise PermissionDenied
    organisations = ExpertOrganisation.objects.prefetch_related("schemes")
    rows = [
        (organisation, can_edit_organisation(request.user, organisation)[0])
        for organisation in organisations
    ]
    return render(request, "mentoring/organisation_list.html", {"rows": rows})


@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = get_object_or_404(ExpertOrganisation, pk=pk) if pk else None
    if organisation is None:
        allowed, reason = can_create_organisation(request.user)
    else:
        allowed, reason = can_edit_organisation(request.user, organisation)
    if not allowed:
        raise PermissionDenied(reason)
    form = ExpertOrganisationForm(request.POST or None, instance=organisation)
    stale.track(form, organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_save(
                organisation=form.instance, by=request.user, expected_version=stale.expected(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": organisation})
            return redirect("mentoring:organisations")
    context = {"form": form, "organisation": organisation}
    return render_form(request, "mentoring/organisation_form.html", context)
