"""The pages where a scheme's expert partner and the programme's coordinators make toolkits:
their workspace, a toolkit's details, the practices it gathers in order, its key success
factors, and publishing an edition.

Views find the toolkit among those the person manages (404 beyond that: a toolkit of another
theme or programme does not exist for them), call one service and turn its ValidationError
into messages on the page with HTTP 400.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from config import stale
from config.views import add_service_errors, get_visible_or_404, render_form
from mentoring.views.scoping import programme_choice

from .. import permissions, selectors, services
from ..forms.manage import (
    EditionPublishForm,
    PracticeRow,
    SuccessFactorFormSet,
    ToolkitForm,
    ToolkitPracticesForm,
)
from ..models import GoodPractice, PracticeStatus, Toolkit, ToolkitEntry
from ..snapshots import toolkit_snapshot

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])


# Scoping -----------------------------------------------------------------------------------------


def _managed_toolkit(request: HttpRequest, slug: str) -> Toolkit:
    """The toolkit if the person edits it; for anyone else its editing pages do not exist."""
    return get_visible_or_404(
        Toolkit.objects.select_related("scheme__programme"),
        may_see=lambda toolkit: permissions.can_manage_toolkit(request.user, toolkit),
        slug=slug,
    )


def _posted(request: HttpRequest):
    """The submitted data on a POST (even an empty one), None otherwise."""
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, template: str, toolkit: Toolkit, section: str, context: dict):
    context = {"toolkit": toolkit, "section": section, **context}
    return render_form(request, f"toolkits/manage/{template}", context)


# The workspace -----------------------------------------------------------------------------------


@login_required
@require_safe
def toolkit_workspace(request: HttpRequest) -> HttpResponse:
    """The toolkits of the themes the person facilitates or coordinates; someone in several
    programmes sees the one they work in, or another or all on request."""
    if not permissions.is_reviewer(request.user):
        raise PermissionDenied
    choice, programme = programme_choice(request)
    toolkits = selectors.managed_toolkits(request.user)
    if programme is not None:
        toolkits = toolkits.filter(scheme__programme=programme)
    return render(
        request,
        "toolkits/manage/workspace.html",
        {"toolkits": list(toolkits), "choice": choice, "programme": programme},
        status=400 if choice is not None and choice.errors else 200,
    )


# Details -----------------------------------------------------------------------------------------


@login_required
@GET_AND_POST
def toolkit_create(request: HttpRequest) -> HttpResponse:
    if not permissions.is_reviewer(request.user):
        raise PermissionDenied
    schemes = selectors.managed_schemes(request.user)
    form = ToolkitForm(_posted(request), schemes=schemes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            toolkit = services.toolkit_create(
                scheme=data["scheme"],
                by=request.user,
                title=data["title"],
                introduction=data["introduction"],
                language=data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The toolkit “%(title)s” is made. Now choose its practices.")
                % {"title": toolkit.title},
            )
            return redirect("toolkits:toolkit_practices", slug=toolkit.slug)
    return render_form(request, "toolkits/manage/toolkit_form.html", {"form": form})


@login_required
@GET_AND_POST
def toolkit_edit(request: HttpRequest, slug: str) -> HttpResponse:
    toolkit = _managed_toolkit(request, slug)
    initial = {
        "title": toolkit.title,
        "introduction": toolkit.introduction,
        "language": toolkit.language,
    }
    form = ToolkitForm(_posted(request), initial=initial)
    stale.track(form, toolkit)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != stale.FIELD}
            services.toolkit_update(
                toolkit, by=request.user, expected_version=stale.expected(form), **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
            toolkit.refresh_from_db()
        else:
            messages.success(request, _("The toolkit’s details are saved."))
            return redirect("toolkits:toolkit_edit", slug=toolkit.slug)
    return _page(request, "toolkit_form.html", toolkit, "details", {"form": form})


# Practices ---------------------------------------------------------------------------------------


def _practice_rows(toolkit: Toolkit) -> list[PracticeRow]:
    """The published practices of the toolkit's theme and whatever the toolkit holds already,
    those in the toolkit first by their position, then the others by title."""
    in_toolkit = ToolkitEntry.objects.filter(toolkit=toolkit)
    practices = (
        GoodPractice.objects.filter(
            Q(scheme_id=toolkit.scheme_id, status=PracticeStatus.PUBLISHED)
            | Q(pk__in=in_toolkit.values("practice"))
        )
        .annotate(
            toolkit_position=Subquery(
                in_toolkit.filter(practice=OuterRef("pk")).values("position")[:1]
            )
        )
        .select_related("city", "scheme")
    )
    ordered = sorted(
        practices,
        key=lambda p: (
            p.toolkit_position is None,
            p.toolkit_position or 0,
            p.title.casefold(),
            p.pk,
        ),
    )
    rows, number = [], 0
    for practice in ordered:
        if practice.is_published:
            number += 1
        rows.append(PracticeRow(practice, practice.toolkit_position, number))
    return rows


@login_required
@GET_AND_POST
def toolkit_practices(request: HttpRequest, slug: str) -> HttpResponse:
    toolkit = _managed_toolkit(request, slug)
    form = ToolkitPracticesForm(_posted(request), rows=_practice_rows(toolkit))
    stale.track(form, None, version=services.practices_version(toolkit))
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_practices()
        try:
            services.toolkit_set_practices(
                toolkit,
                by=request.user,
                practices=chosen,
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if stale.was_refused(form):
                titles = [entry.practice.title for entry in toolkit.entries.order_by("position")]
                form.stale_saved.append((_("Practices"), "; ".join(titles) or "—"))
        else:
            messages.success(
                request,
                _("The toolkit holds %(count)s practices in the order saved.")
                % {"count": len(chosen)},
            )
            return redirect("toolkits:toolkit_practices", slug=toolkit.slug)
    rows = form.rows
    context = {
        "form": form,
        "rows": rows,
        "ticked": form.ticked(),
        "withdrawn": [row for row in rows if not row.choosable],
    }
    return _page(request, "practices.html", toolkit, "practices", context)


# Key success factors -----------------------------------------------------------------------------


@login_required
@GET_AND_POST
def toolkit_factors(request: HttpRequest, slug: str) -> HttpResponse:
    toolkit = _managed_toolkit(request, slug)
    stored = list(toolkit.success_factors.all())
    initial = [
        {"name": factor.name, "description": factor.description, "ORDER": number}
        for number, factor in enumerate(stored, start=1)
    ]
    formset = SuccessFactorFormSet(_posted(request), initial=initial, prefix="factors")
    service_errors: list[str] = []
    version = services.success_factors_version(toolkit, stored)
    saved: list[tuple[str, str]] | None = None
    if request.method == "POST" and formset.is_valid():
        factors = formset.factors()
        try:
            services.toolkit_set_success_factors(
                toolkit,
                by=request.user,
                factors=factors,
                expected_version=request.POST.get(stale.FIELD) or None,
            )
        except ValidationError as error:
            service_errors = error.messages
            if stale.is_stale(error):
                # Saving again from this page, after comparing, is deliberate.
                saved = [(f.name, f.description) for f in toolkit.success_factors.all()]
        else:
            messages.success(
                request,
                _("The toolkit has %(count)s key success factors.") % {"count": len(factors)},
            )
            return redirect("toolkits:toolkit_factors", slug=toolkit.slug)
    failed = request.method == "POST"
    context = {
        "toolkit": toolkit,
        "section": "factors",
        "formset": formset,
        "service_errors": service_errors,
        "has_errors": failed,
        "version_field": stale.FIELD,
        "version": version,
        "stale_saved": saved,
    }
    status = 409 if saved is not None else 400 if failed else 200
    return render(request, "toolkits/manage/factors.html", context, status=status)


# Publishing an edition ---------------------------------------------------------------------------


@dataclass
class Move:
    title: str
    before: int
    after: int


@dataclass
class EditionChanges:
    """What the next edition changes against the last one."""

    first: bool
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    title: bool = False
    language: bool = False
    introduction: bool = False
    factors: bool = False

    @property
    def any(self) -> bool:
        return self.first or bool(
            self.added
            or self.removed
            or self.moved
            or self.updated
            or self.title
            or self.language
            or self.introduction
            or self.factors
        )


def _kept_in_order(sequence: list[int]) -> set[int]:
    """The indexes of a longest increasing run (not necessarily contiguous) of the sequence:
    the practices that kept their order, so that the others are the fewest that moved."""
    tails: list[int] = []  # index in sequence of the smallest tail of each run length
    previous: list[int | None] = [None] * len(sequence)
    for i, value in enumerate(sequence):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if sequence[tails[middle]] < value:
                low = middle + 1
            else:
                high = middle
        previous[i] = tails[low - 1] if low else None
        if low == len(tails):
            tails.append(i)
        else:
            tails[low] = i
    kept: set[int] = set()
    i = tails[-1] if tails else None
    while i is not None:
        kept.add(i)
        i = previous[i]
    return kept


def edition_changes(last: dict | None, next_: dict) -> EditionChanges:
    if last is None:
        return EditionChanges(first=True)
    old = {p["id"]: (number, p) for number, p in enumerate(last.get("practices", []), start=1)}
    new = {p["id"]: (number, p) for number, p in enumerate(next_["practices"], start=1)}
    common = [pk for pk in new if pk in old]  # in the new order
    kept = _kept_in_order([old[pk][0] for pk in common])
    return EditionChanges(
        first=False,
        added=[p["title"] for pk, (_n, p) in new.items() if pk not in old],
        removed=[p["title"] for pk, (_n, p) in old.items() if pk not in new],
        moved=[
            Move(new[pk][1]["title"], old[pk][0], new[pk][0])
            for i, pk in enumerate(common)
            if i not in kept
        ],
        updated=[new[pk][1]["title"] for pk in common if new[pk][1] != old[pk][1]],
        title=last.get("title") != next_["title"],
        language=last.get("language") != next_["language"],
        introduction=last.get("introduction") != next_["introduction"],
        factors=last.get("success_factors") != next_["success_factors"],
    )


def _pdf_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in services.pdf_languages() else settings.LANGUAGE_CODE


@login_required
@GET_AND_POST
def edition_publish(request: HttpRequest, slug: str) -> HttpResponse:
    toolkit = _managed_toolkit(request, slug)
    last = toolkit.editions.order_by("-number").select_related("published_by").first()
    last_number = last.number if last else 0
    form = EditionPublishForm(_posted(request), initial={"after": last_number})
    if request.method == "POST" and form.is_valid():
        after = form.cleaned_data["after"]
        if after is not None and after < last_number:
            # The page was out of date: the edition it offered is out already (a second click).
            messages.info(
                request,
                _("Edition %(number)s was published already; nothing was published again.")
                % {"number": last_number},
            )
            return redirect(toolkit)
        try:
            edition = services.edition_publish(
                toolkit, by=request.user, notes=form.cleaned_data["notes"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            language = _pdf_language()
            services.edition_rendering(edition, language=language, by=request.user)
            messages.success(
                request,
                _(
                    "Edition %(number)s of “%(title)s” is published. Its PDF is being made; "
                    "it can be downloaded from this page when it is ready."
                )
                % {"number": edition.number, "title": toolkit.title},
            )
            return redirect(toolkit)
    snapshot = toolkit_snapshot(toolkit)
    context = {
        "form": form,
        "last": last,
        "next_number": last_number + 1,
        "snapshot": snapshot,
        "changes": edition_changes(last.snapshot if last else None, snapshot),
    }
    return _page(request, "publish.html", toolkit, "publish", context)
