"""A person's notifications: the list, opening one, marking them read, the bell's count, and
how they choose to be told (signed in, or from an e-mail's one-click link)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from config.middleware import bearer_secret
from config.views import paginate, query_without_page

from . import emails, registry, selectors, services
from .forms import NotificationFilterForm, OneClickForm, PreferencesForm
from .models import Delivery, Notification


def _group_value(kind: registry.Kind) -> str:
    """The filter's value for a kind's group: the same in every language, so that a filtered
    link works for a reader of another language ("action-plans")."""
    with translation.override("en"):
        return slugify(str(kind.group))


def _filtered(request: HttpRequest, user: User):
    groups = sorted({(_group_value(kind), str(kind.group)) for kind in registry.kinds()})
    form = NotificationFilterForm(
        request.GET or None, groups=groups, programmes=selectors.programmes_in(user)
    )
    rows = selectors.notifications_of(user)
    if form.is_bound and not form.is_valid():
        # Filters that make no sense show (and mark) nothing rather than everything.
        return form, rows.none()
    if form.is_bound:
        data = form.cleaned_data
        if data["show"] == "unread":
            rows = rows.filter(read_at__isnull=True)
        if data["group"]:
            keys = [kind.key for kind in registry.kinds() if _group_value(kind) == data["group"]]
            rows = rows.filter(kind__in=keys)
        if data["programme"]:
            rows = rows.filter(programme=data["programme"])
    return form, rows


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """Everything the person was told, newest first, with filters; "mark all read" marks what
    the filters show."""
    user = request.user
    form, rows = _filtered(request, user)
    if request.method == "POST" and not form.errors:
        count = services.notifications_mark_all_read(user=user, queryset=rows)
        messages.success(
            request,
            _("Marked %(count)s notifications read.") % {"count": count}
            if count != 1
            else _("Marked 1 notification read."),
        )
        query = request.GET.urlencode()
        return redirect(reverse("notifications:list") + (f"?{query}" if query else ""))
    page = paginate(request, rows)
    items = []
    for notification in page:
        spec = registry.find(notification.kind)
        items.append(
            {
                "notification": notification,
                "text": spec.text(notification.params) if spec else notification.kind,
                "group": str(spec.group) if spec else "",
                "comment": notification.params.get("comment", ""),
            }
        )
    context = {
        "filter_form": form,
        "page": page,
        "items": items,
        "query": query_without_page(request),
        "unread_shown": rows.filter(read_at__isnull=True).exists(),
    }
    return render(request, "notifications/list.html", context, status=400 if form.errors else 200)


def _own(request: HttpRequest, pk: int) -> Notification:
    # Another person's notification is not found, whoever asks.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the notification's object: the notification is read."""
    notification = _own(request, pk)
    services.notification_open(notification, by=request.user)
    return redirect(notification.link or reverse("notifications:list"))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _own(request, pk)
    if request.POST.get("unread"):
        services.notification_mark_unread(notification, by=request.user)
    else:
        services.notification_open(notification, by=request.user)
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("notifications:list")
    return redirect(back)


@login_required
@require_GET
def bell(request: HttpRequest) -> JsonResponse:
    """The bell's number, which the page asks for again now and then."""
    count = selectors.unread_count(request.user)
    response = JsonResponse({"unread": count})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, groups=selectors.preferences_of(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            for kind, delivery in form.chosen().items():
                services.preference_set(user=user, kind=kind, delivery=delivery)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved. You will be told as you chose."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "digest_hour": settings.TANDEM_DIGEST_HOUR},
        status=400 if form.is_bound and form.errors else 200,
    )


@bearer_secret
@csrf_exempt  # the signed token is the authority; mail clients post without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    """From an e-mail, without signing in: change how its reader hears of its kind. A mail
    client's one-click POST (``List-Unsubscribe=One-Click``) stops the e-mails of that kind
    (they stay in the portal)."""
    found = emails.read_preference_token(token)
    if found is None:
        raise Http404
    user = User.objects.filter(Q(pk=found[0]), is_active=True).first()
    if user is not None and found[1] == emails.DIGEST:
        return _stop_digest(request, user)
    spec = registry.find(found[1])
    if user is None or spec is None:
        raise Http404
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        services.preference_set(user=user, kind=spec.key, delivery=Delivery.PORTAL)
        return HttpResponse(_("Done: this kind of notification no longer comes by e-mail."))
    current = services.delivery_of(user, spec.key)
    form = OneClickForm(
        request.POST if request.method == "POST" else None, initial={"delivery": current}
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=user, kind=spec.key, delivery=form.cleaned_data["delivery"])
        current = form.cleaned_data["delivery"]
        saved = True
    context = {
        "form": form,
        "kind": spec,
        "email": user.email,
        "current": Delivery(current).label,
        "saved": saved,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "notifications/one_click.html", context, status=status)


def _stop_digest(request: HttpRequest, user: User) -> HttpResponse:
    """A digest's link: stop the digests (what they gathered stays in the portal)."""
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    if request.method == "POST" and (one_click or request.POST.get("stop")):
        services.digest_stop(user=user)
        if one_click:
            return HttpResponse(_("Done: no more digests; notifications stay in the portal."))
        return render(
            request, "notifications/one_click_digest.html", {"email": user.email, "saved": True}
        )
    return render(
        request, "notifications/one_click_digest.html", {"email": user.email, "saved": False}
    )
