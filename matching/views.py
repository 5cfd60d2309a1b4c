"""Matching: a coordinator ranks the mentor candidates for an implementing city in a scheme and
proposes one of them in one click."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cities.models import City
from config.views import get_visible_or_404
from mentoring.models import Programme, Scheme
from mentoring.permissions import is_coordinator
from mentoring.services.pairings import pairing_create

from .ranking import rank
from .selectors import implementing_facts, mentor_candidates


class MatchingForm(forms.Form):
    """Which scheme and which implementing city to find a mentor for, within one programme."""

    scheme = forms.ModelChoiceField(label=gettext_lazy("Scheme"), queryset=Scheme.objects.none())
    implementing = forms.ModelChoiceField(
        label=gettext_lazy("Implementing city"), queryset=City.objects.none()
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(programme=programme)
        self.fields["implementing"].queryset = City.objects.filter(
            participations__programme=programme
        )


class ProposeForm(MatchingForm):
    """One suggestion turned into a pairing: the mentor city comes from the same programme."""

    mentor = forms.ModelChoiceField(label=gettext_lazy("Mentor city"), queryset=City.objects.none())

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        self.fields["mentor"].queryset = City.objects.filter(participations__programme=programme)


def _coordinated_programme(request: HttpRequest, slug: str) -> Programme:
    programme = get_visible_or_404(Programme.objects.all(), slug=slug)
    if not is_coordinator(request.user, programme):
        raise PermissionDenied
    return programme


def _matching_url(programme: Programme, *, scheme: Scheme, implementing: City) -> str:
    query = urlencode({"scheme": scheme.pk, "implementing": implementing.pk})
    return f"{reverse('matching:matching', kwargs={'slug': programme.slug})}?{query}"


def _page(request: HttpRequest, programme: Programme, form: MatchingForm, **extra) -> HttpResponse:
    context = {"programme": programme, "form": form, "suggestions": None, **extra}
    if form.is_bound and form.is_valid():
        scheme, implementing = form.cleaned_data["scheme"], form.cleaned_data["implementing"]
        context.update(
            scheme=scheme,
            implementing=implementing,
            suggestions=rank(
                mentor_candidates(scheme=scheme, implementing=implementing),
                implementing_facts(implementing),
            ),
        )
    bad_input = (form.is_bound and not form.is_valid()) or bool(extra.get("propose_errors"))
    return render(request, "matching/matching.html", context, status=400 if bad_input else 200)


@login_required
@require_safe
def matching(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _coordinated_programme(request, slug)
    chosen = any(field in request.GET for field in MatchingForm.base_fields)
    form = MatchingForm(request.GET if chosen else None, programme=programme)
    return _page(request, programme, form)


@login_required
@require_POST
def matching_propose(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _coordinated_programme(request, slug)
    form = ProposeForm(request.POST, programme=programme)
    if not form.is_valid():
        # Show the suggestions again when the scheme and city were fine, with what went wrong.
        errors = [
            (form.fields[field].label if field in form.fields else "", message)
            for field, field_errors in form.errors.items()
            for message in field_errors
        ]
        choice = MatchingForm(
            {key: request.POST.get(key, "") for key in MatchingForm.base_fields},
            programme=programme,
        )
        return _page(request, programme, choice, propose_errors=errors)

    scheme = form.cleaned_data["scheme"]
    mentor = form.cleaned_data["mentor"]
    implementing = form.cleaned_data["implementing"]
    back = _matching_url(programme, scheme=scheme, implementing=implementing)
    try:
        pairing = pairing_create(
            scheme=scheme, mentor=mentor, implementing=implementing, by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(
        request,
        _("Proposed: %(mentor)s to mentor %(implementing)s in scheme %(code)s.")
        % {"mentor": mentor, "implementing": implementing, "code": scheme.code},
    )
    return redirect(pairing)
