"""Writing good practices (city officers) and reviewing them (the scheme's expert partner or a
coordinator of the programme), with the practice's images.

Views look up the practice the person may see (404 beyond that: drafts of another city do not
exist for them), ask toolkits.permissions (403 where the practice is visible but the action is not
theirs), call one service and turn its ValidationError into messages on the form (400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role, User
from accounts.selectors import scopes_of
from cities.models import City
from config import stale
from config.middleware import may_be_public
from config.views import (
    add_service_errors,
    get_visible_or_404,
    paginate,
    query_without_page,
    render_form,
)
from documents.responses import file_response
from mentoring.views.scoping import programme_choice

from .. import permissions, services
from ..forms.practices import (
    PracticeForm,
    PracticeImageForm,
    PublishForm,
    ReturnForm,
    WithdrawForm,
)
from ..images import IMAGE_TYPES
from ..models import GoodPractice, PracticeImage, PracticeReview, PracticeStatus, ReviewAction

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])
PRACTICES_PER_PAGE = 50
RECENT_DECISIONS = 20


def _visible_practice(request: HttpRequest, slug: str) -> GoodPractice:
    return get_visible_or_404(
        GoodPractice.objects.select_related("city", "scheme__programme", "author"),
        may_see=lambda practice: permissions.can_view_practice(request.user, practice),
        slug=slug,
    )


def _last_step(field: str, actions: list[str]) -> Subquery:
    """A field of the practice's latest review step among these actions."""
    return Subquery(
        PracticeReview.objects.filter(practice=OuterRef("pk"), action__in=actions)
        .order_by("-at", "-pk")
        .values(field)[:1]
    )


# Lists -------------------------------------------------------------------------------------------


@login_required
@require_safe
def my_practices(request: HttpRequest) -> HttpResponse:
    """The practices of the officer's cities, newest change first."""
    user = request.user
    city_ids = scopes_of(user).city_ids(Role.OFFICER)
    if not city_ids:
        raise PermissionDenied
    returned = [ReviewAction.RETURNED, ReviewAction.WITHDRAWN]
    practices = (
        GoodPractice.objects.filter(city__in=city_ids)
        .select_related("city", "scheme__programme")
        .annotate(
            return_comment=_last_step("comment", returned),
            returned_at=_last_step("at", returned),
        )
        .order_by("-updated_at", "-pk")
    )
    page = paginate(request, practices, PRACTICES_PER_PAGE)
    rows = [
        {
            "practice": practice,
            "can_edit": permissions.can_edit_practice(user, practice),
            "can_submit": permissions.can_submit_practice(user, practice),
        }
        for practice in page
    ]
    context = {"page": page, "rows": rows, "several_cities": len(city_ids) > 1}
    return render(request, "toolkits/practices/my_practices.html", context)


def _reviewed_by(user: User) -> Q:
    scopes = scopes_of(user)
    return Q(scheme__in=scopes.facilitated) | Q(scheme__programme__in=scopes.coordinated)


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    """Practices waiting for the reviewer, oldest submission first, and the latest decisions;
    a reviewer in several programmes sees the one they work in, or another or all on request."""
    user = request.user
    if not permissions.is_reviewer(user):
        raise PermissionDenied
    choice, programme = programme_choice(request)
    mine = GoodPractice.objects.filter(_reviewed_by(user)).select_related(
        "city", "scheme__programme", "author"
    )
    if programme is not None:
        mine = mine.filter(scheme__programme=programme)
    waiting = (
        mine.filter(status=PracticeStatus.IN_REVIEW)
        .annotate(submitted_at=_last_step("at", [ReviewAction.SUBMITTED]))
        .order_by("submitted_at", "pk")
    )
    decisions = [ReviewAction.RETURNED, ReviewAction.PUBLISHED, ReviewAction.WITHDRAWN]
    decided = list(
        mine.filter(status__in=[PracticeStatus.RETURNED, PracticeStatus.PUBLISHED])
        .annotate(
            decided_at=_last_step("at", decisions),
            decision=_last_step("action", decisions),
            decided_by=_last_step("by__full_name", decisions),
            decided_by_email=_last_step("by__email", decisions),
        )
        .filter(decided_at__isnull=False)
        .order_by("-decided_at", "-pk")[:RECENT_DECISIONS]
    )
    labels = dict(ReviewAction.choices)
    for practice in decided:
        practice.decision_label = labels.get(practice.decision, "")
    context = {
        "page": paginate(request, waiting, PRACTICES_PER_PAGE),
        "query": query_without_page(request),
        "decided": decided,
        "choice": choice,
        "programme": programme,
    }
    status = 400 if choice is not None and choice.errors else 200
    return render(request, "toolkits/practices/review_queue.html", context, status=status)


# Writing -----------------------------------------------------------------------------------------


def _form_page(request, form, practice=None, *, submit_errors=None, status=None) -> HttpResponse:
    context = {
        "form": form,
        "practice": practice,
        "submit_errors": submit_errors or [],
        "can_submit": practice is not None
        and permissions.can_submit_practice(request.user, practice),
        "can_review": practice is not None
        and permissions.can_review_practice(request.user, practice),
        "return_comment": _return_comment(practice) if practice is not None else "",
    }
    template = "toolkits/practices/form.html"
    if status is not None:
        return render(request, template, context, status=status)
    return render_form(request, template, context)


def _return_comment(practice: GoodPractice) -> str:
    if practice.status != PracticeStatus.RETURNED:
        return ""
    step = (
        practice.reviews.filter(action__in=[ReviewAction.RETURNED, ReviewAction.WITHDRAWN])
        .order_by("-at", "-pk")
        .first()
    )
    return step.comment if step else ""


@login_required
@GET_AND_POST
def practice_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_write_practices(user):
        raise PermissionDenied
    form = PracticeForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        # An officer of one city writes for it; an officer of several chose it on the form.
        city = form.chosen_city() or City.objects.get(pk__in=scopes_of(user).city_ids(Role.OFFICER))
        try:
            practice = services.practice_create(city=city, author=user, **form.practice_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your practice “%(title)s” is saved as a draft. Add images, or send it for "
                    "review when it is ready."
                )
                % {"title": practice.title},
            )
            return redirect("toolkits:practice_edit", slug=practice.slug)
    return _form_page(request, form)


@login_required
@GET_AND_POST
def practice_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    practice = _visible_practice(request, slug)
    if not permissions.can_edit_practice(user, practice):
        raise PermissionDenied
    form = PracticeForm(
        request.POST if request.method == "POST" else None, instance=practice, user=user
    )
    stale.track(form, practice)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_update(
                practice, by=user, expected_version=stale.expected(form), **form.practice_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            practice.refresh_from_db()
        else:
            messages.success(request, _("The practice is saved."))
            return redirect("toolkits:practice_edit", slug=practice.slug)
    return _form_page(request, form, practice)


@login_required
@require_POST
def practice_submit(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    practice = _visible_practice(request, slug)
    if not permissions.can_submit_practice(user, practice):
        raise PermissionDenied
    try:
        services.practice_submit(practice, by=user)
    except ValidationError as error:
        practice.refresh_from_db()
        form = PracticeForm(instance=practice, user=user)
        return _form_page(request, form, practice, submit_errors=error.messages, status=400)
    messages.success(
        request,
        _("“%(title)s” went to the theme's reviewers.") % {"title": practice.title},
    )
    return redirect("toolkits:my_practices")


# Reviewing ---------------------------------------------------------------------------------------

REVIEW_FORMS = {"publish": PublishForm, "return": ReturnForm}


def _may(user: User, practice: GoodPractice, name: str) -> bool:
    return permissions.PRACTICE_WORKFLOW.allowed(user, practice, name)[0]


def _review_page(request, practice, *, status: int = 200, **forms) -> HttpResponse:
    practice = (
        GoodPractice.objects.select_related("city", "scheme__programme", "author")
        .prefetch_related("target_groups", "commitments__framework", "images")
        .get(pk=practice.pk)
    )
    context = {
        "practice": practice,
        "history": list(practice.reviews.select_related("by").order_by("at", "pk")),
        "can_edit": permissions.can_edit_practice(request.user, practice),
        "can_decide": permissions.PRACTICE_WORKFLOW.allowed(request.user, practice, "publish")[0],
        "can_withdraw": permissions.PRACTICE_WORKFLOW.allowed(request.user, practice, "withdraw")[
            0
        ],
        "publish_form": forms.get("publish") or PublishForm(auto_id="id_publish_%s"),
        "return_form": forms.get("return") or ReturnForm(auto_id="id_return_%s"),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(auto_id="id_withdraw_%s"),
    }
    # What a service refused without naming a field (the practice changed state meanwhile) shows
    # on top, also when the form it came from is no longer offered.
    context["action_errors"] = list(forms.get("action_errors", [])) + [
        error
        for key in ("publish", "return", "withdraw")
        if key in forms
        for error in forms[key].non_field_errors()
    ]
    return render(request, "toolkits/practices/review.html", context, status=status)


@login_required
@GET_AND_POST
def practice_review(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    practice = _visible_practice(request, slug)
    if not permissions.can_review_practice(user, practice):
        raise PermissionDenied
    if request.method != "POST":
        return _review_page(request, practice)
    action = request.POST.get("action", "")
    if action not in REVIEW_FORMS:
        return _review_page(
            request,
            practice,
            status=400,
            action_errors=[_("Choose whether to publish the practice or return it.")],
        )
    form = REVIEW_FORMS[action](request.POST, auto_id=f"id_{action}_%s")
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if action == "publish":
                services.practice_publish(practice, by=user, comment=comment)
            else:
                services.practice_return(practice, by=user, comment=comment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = (
                _("“%(title)s” is published in the catalogue.")
                if action == "publish"
                else _("“%(title)s” went back to its authors with your comment.")
            )
            messages.success(request, done % {"title": practice.title})
            return redirect("toolkits:review_queue")
    return _review_page(request, practice, status=400, **{action: form})


@login_required
@require_POST
def practice_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    practice = _visible_practice(request, slug)
    if not permissions.can_review_practice(user, practice):
        raise PermissionDenied
    form = WithdrawForm(request.POST, auto_id="id_withdraw_%s")
    if form.is_valid():
        try:
            services.practice_withdraw(practice, by=user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is withdrawn from the catalogue and back with its authors.")
                % {"title": practice.title},
            )
            return redirect("toolkits:practice_review", slug=practice.slug)
    return _review_page(request, practice, status=400, withdraw=form)


# Images ------------------------------------------------------------------------------------------


def _images_page(request, practice, form, *, errors=None, status=None) -> HttpResponse:
    context = {
        "practice": practice,
        "images": list(practice.images.order_by("position", "pk")),
        "form": form,
        "action_errors": errors or [],
    }
    template = "toolkits/practices/images.html"
    if status is not None:
        return render(request, template, context, status=status)
    return render_form(request, template, context)


@login_required
@GET_AND_POST
def practice_images(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    practice = _visible_practice(request, slug)
    if not permissions.can_edit_practice(user, practice):
        raise PermissionDenied
    if request.method != "POST":
        return _images_page(request, practice, PracticeImageForm())
    form = PracticeImageForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.practice_image_add(
                practice,
                by=user,
                image=data["image"],
                alt_text=data["alt_text"],
                caption=data["caption"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The image is added."))
            return redirect("toolkits:practice_images", slug=practice.slug)
    return _images_page(request, practice, form)


@login_required
@require_POST
def practice_image_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    practice = _visible_practice(request, slug)
    picture = get_object_or_404(PracticeImage, pk=pk, practice=practice)
    if not permissions.can_edit_practice(user, practice):
        raise PermissionDenied
    try:
        services.practice_image_delete(picture, by=user)
    except ValidationError as error:
        return _images_page(
            request, practice, PracticeImageForm(), errors=error.messages, status=400
        )
    messages.success(request, _("The image is removed."))
    return redirect("toolkits:practice_images", slug=practice.slug)


@may_be_public
@require_safe
def practice_image(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The image file, to whoever may see the practice: everyone once it is published."""
    practice = _visible_practice(request, slug)
    picture = get_object_or_404(PracticeImage, pk=pk, practice=practice)
    name = picture.image.name.rsplit("/", 1)[-1]
    content_type = IMAGE_TYPES.get(name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        raise Http404
    try:
        response = file_response(
            picture.image, filename=name, content_type=content_type, as_attachment=False
        )
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "public, max-age=3600" if practice.is_published else "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
