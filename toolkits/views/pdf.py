"""Toolkit and practice PDFs: download, follow the job that makes them, retry, render again.

A download serves the stored file of its content and language, never a new rendering; the
first download of new content asks for the rendering and sends the person to its page, which
shows the job's progress and then the file. Editions and published practices are public
documents, so their renderings are too; coordinators of the programme see every edition's
renderings in one table and may render them again.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from config.middleware import may_be_public
from config.views import get_visible_or_404
from documents.models import JobStatus
from documents.responses import stored_file_response
from documents.views import job_status, queue_again

from .. import permissions, selectors, services
from ..models import Rendering, Toolkit, ToolkitEdition


def _language_or_404(language: str) -> str:
    if language not in services.pdf_languages():
        raise Http404
    return language


def _person(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def _serve_or_follow(rendering: Rendering) -> HttpResponse:
    """The stored PDF, or the rendering's page while it is being made or when it failed.

    Only published documents come here (an edition, a published practice): the same for
    everyone, so caches may keep the file a few minutes."""
    # A rendering being made again still serves its previous file until the new one is
    # stored whole (services.rendering_redo): only a rendering without a file sends people to
    # its page, which shows the progress, or why it failed and a Retry button.
    if rendering.pdf_id is not None:
        try:
            response = stored_file_response(rendering.pdf)
        except FileNotFoundError:  # the row outlived its file (storage restored from a backup)
            raise Http404 from None
        response["Cache-Control"] = "public, max-age=300"
        return response
    return redirect("toolkits:rendering", pk=rendering.pk)


def _asked(rendering: Rendering) -> Rendering:
    """The rendering just asked for, read again: a job run at once (without a worker) may have
    stored its file since."""
    return Rendering.objects.select_related("pdf").get(pk=rendering.pk)


@may_be_public
@require_safe
def edition_pdf(request: HttpRequest, slug: str, number: int, language: str) -> HttpResponse:
    """Any edition, in any of the portal's languages: editions are published documents.

    A PDF made before is served after one query, which leaves the edition's content unread;
    the first download of an edition in a language looks the edition up and asks for it."""
    _language_or_404(language)
    rendering = selectors.stored_edition_pdf(slug, number, language)
    if rendering is None:
        edition = get_object_or_404(
            ToolkitEdition.objects.defer("snapshot"), toolkit__slug=slug, number=number
        )
        rendering = _asked(
            services.edition_rendering(edition, language=language, by=_person(request))
        )
    return _serve_or_follow(rendering)


@may_be_public
@require_safe
def practice_pdf(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """A published practice as it reads now; drafts have no PDF (404 for everyone)."""
    _language_or_404(language)
    practice = selectors.practice_for_pdf(slug)
    if practice is None:
        raise Http404
    rendering = selectors.stored_rendering(services.practice_rendering_hash(practice, language))
    if rendering is None:
        rendering = _asked(
            services.practice_rendering(practice, language=language, by=_person(request))
        )
    return _serve_or_follow(rendering)


# A rendering's page ---------------------------------------------------------------------------


def _rendering(request: HttpRequest, pk: int) -> Rendering:
    """A rendering the person may see (permissions.can_view_rendering); 404 otherwise."""
    return get_visible_or_404(
        Rendering.objects.select_related(
            "edition__toolkit__scheme",
            "practice__city",
            "practice__scheme",
            "pdf",
        ),
        may_see=lambda rendering: permissions.can_view_rendering(request.user, rendering),
        pk=pk,
    )


def download_url(rendering: Rendering) -> str:
    if rendering.edition_id:
        edition = rendering.edition
        return reverse(
            "toolkits:edition_pdf", args=[edition.toolkit.slug, edition.number, rendering.language]
        )
    return reverse("toolkits:practice_pdf", args=[rendering.practice.slug, rendering.language])


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


@require_safe
def rendering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rendering = _rendering(request, pk)
    toolkit = rendering.edition.toolkit if rendering.edition_id else None
    may_render = toolkit is not None and permissions.can_render(request.user, toolkit)
    # The practice's PDF link makes a new rendering once the practice has changed; it is
    # offered while the practice is published, as on the practice's page.
    downloadable = rendering.status == JobStatus.DONE and (
        toolkit is not None or rendering.practice.is_published
    )
    context = {
        "rendering": rendering,
        "toolkit": toolkit,
        "language_name": _language_name(rendering.language),
        "status_url": reverse("toolkits:rendering_status", args=[rendering.pk]),
        "retry_url": reverse("toolkits:rendering_retry", args=[rendering.pk]),
        "files": (
            [{"label": _("PDF"), "url": download_url(rendering), "file": rendering.pdf}]
            if downloadable and rendering.pdf is not None
            else []
        ),
        "may_render": may_render,
    }
    return render(request, "toolkits/renderings/rendering.html", context)


@require_safe
@never_cache
def rendering_status(request: HttpRequest, pk: int) -> JsonResponse:
    return job_status(_rendering(request, pk))


def _back(request: HttpRequest, rendering: Rendering) -> HttpResponse:
    """Back where the button was (the toolkit's renderings table) or to the rendering."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("toolkits:rendering", pk=rendering.pk)


@require_POST
def rendering_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed rendering again. Who may: whoever may see the rendering, signed in or
    not. The person who asked and the programme's coordinators are among them, and since the
    documents are public a visitor whose download failed can try again too; a retry only
    repeats work already asked for, so there is nothing to guard beyond seeing it."""
    rendering = _rendering(request, pk)
    queue_again(
        request,
        lambda: services.rendering_retry(rendering, by=_person(request)),
        done=_("The PDF is being made again."),
    )
    return _back(request, rendering)


@login_required
@require_POST
def rendering_redo(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a finished edition again (after a template or font fix): the programme's
    coordinators only; others who can see the rendering are refused (403)."""
    rendering = _rendering(request, pk)
    toolkit = rendering.edition.toolkit if rendering.edition_id else None
    if toolkit is None or not permissions.can_render(request.user, toolkit):
        raise PermissionDenied
    queue_again(
        request,
        lambda: services.rendering_redo(rendering, by=request.user),
        done=_("The PDF is being made again; downloads get the present file until then."),
    )
    return _back(request, rendering)


# A toolkit's renderings, for its coordinators -------------------------------------------------


class RenderForm(forms.Form):
    """Which edition to render, in which language (the buttons of the renderings table)."""

    edition = forms.TypedChoiceField(label=gettext_lazy("Edition"), coerce=int)
    language = forms.ChoiceField(label=gettext_lazy("Language"))

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [(e.number, str(e.number)) for e in editions]
        self.fields["language"].choices = settings.LANGUAGES


def _toolkit_for_renderers(request: HttpRequest, slug: str) -> Toolkit:
    """Only the programme's coordinators learn that this page exists."""
    toolkit = get_object_or_404(Toolkit.objects.select_related("scheme"), slug=slug)
    if not permissions.can_render(request.user, toolkit):
        raise Http404
    return toolkit


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def toolkit_renderings(request: HttpRequest, slug: str) -> HttpResponse:
    """Every edition in every language: status, progress, size, when made, errors, and the
    buttons to render, render again or retry."""
    toolkit = _toolkit_for_renderers(request, slug)
    editions = list(toolkit.editions.order_by("-number"))
    if request.method == "POST":
        form = RenderForm(request.POST, editions=editions)
        if form.is_valid():
            edition = next(e for e in editions if e.number == form.cleaned_data["edition"])
            try:
                services.edition_rendering(
                    edition, language=form.cleaned_data["language"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The PDF is being made."))
                return redirect("toolkits:toolkit_renderings", slug=toolkit.slug)
        for message in form.errors.get("__all__", []) or [_("Choose an edition and a language.")]:
            messages.error(request, message)
        return _renderings_page(request, toolkit, editions, status=400)
    return _renderings_page(request, toolkit, editions)


def _renderings_page(
    request: HttpRequest, toolkit: Toolkit, editions: list[ToolkitEdition], *, status: int = 200
) -> HttpResponse:
    """The table: two queries whatever the number of editions (editions, their renderings)."""
    languages = services.pdf_languages()
    hashes = {
        (edition.pk, language): services.edition_rendering_hash(edition, language)
        for edition in editions
        for language in languages
    }
    found = {
        rendering.content_hash: rendering
        for rendering in Rendering.objects.filter(
            content_hash__in=hashes.values(), edition__toolkit=toolkit
        ).select_related("pdf")
    }
    rows = [
        {
            "edition": edition,
            "language": language,
            "language_name": _language_name(language),
            "rendering": found.get(hashes[edition.pk, language]),
            "download_url": reverse(
                "toolkits:edition_pdf", args=[toolkit.slug, edition.number, language]
            ),
        }
        for edition in editions
        for language in languages
    ]
    context = {
        "toolkit": toolkit,
        "rows": rows,
        "running": any(row["rendering"] and not row["rendering"].is_finished for row in rows),
    }
    return render(request, "toolkits/renderings/toolkit_renderings.html", context, status=status)
