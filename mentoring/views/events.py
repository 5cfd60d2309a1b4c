"""Events pages: the programme's calendar, one event with its attendance and report, and the
iCalendar feeds that calendar apps fetch with a secret link.

Views look up what the person may see (404 beyond that), ask the permission functions (403),
call one service and turn its ValidationError into form errors (400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cities.models import City
from config import stale
from config.middleware import bearer_secret
from config.views import add_service_errors, get_visible_or_404, paginate_keys_first
from documents.exports import FORMATS, export_response

from ..feeds import calendar_feed, portal_url
from ..forms.events import (
    AttendanceForm,
    EventFilterForm,
    EventForm,
    EventStatusForm,
    RecommendationFormSet,
    ReportForm,
)
from ..models import Attendance, Event, Pairing, Programme
from ..permissions import (
    attendance_city_ids,
    can_create_event,
    can_create_events,
    can_delete_attendance,
    can_manage_event,
    can_record_attendance,
    can_view_event,
    can_write_report,
)
from ..selectors.events import (
    attendance_candidates,
    calendar_token_of,
    events_concerning,
    events_for,
    plannable_for,
    programme_feed_events,
    user_by_calendar_token,
    with_details,
)
from ..selectors.programmes import programmes_for
from ..services.events import (
    attendance_delete,
    attendance_record,
    calendar_token_regenerate,
    event_create,
    event_transition,
    event_update,
    report_save,
    report_version,
)
from .scoping import filters_for_current_programme
from .suggestions import programme_city_suggestions

EVENTS_PER_PAGE = 50


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _status(form_or_forms) -> int:
    forms = form_or_forms if isinstance(form_or_forms, list | tuple) else [form_or_forms]
    if any(stale.was_refused(form) for form in forms):
        return 409
    return 400 if any(form.errors for form in forms) else 200


def _event(request: HttpRequest, pk: int, *, details: bool = False) -> Event:
    """An event of the person's programmes (404 otherwise)."""
    events = events_for(request.user)
    return get_object_or_404(with_details(events) if details else events, pk=pk)


def _viewable_event(request: HttpRequest, pk: int, *, details: bool = False) -> Event:
    event = _event(request, pk, details=details)
    if not can_view_event(request.user, event):
        raise PermissionDenied
    return event


@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    """Every event of the person's programmes; the ones that concern them link to their page."""
    user = request.user
    form = EventFilterForm(
        filters_for_current_programme(request),
        programmes=programmes_for(user),
        suggest_url=reverse("mentoring:city_suggestions"),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    events = events_for(
        user,
        programme=filters.get("programme"),
        pairing=filters.get("pairing"),
        kind=filters.get("kind"),
        status=filters.get("status"),
        concerning=filters.get("concerning", False),
    )
    if filters:
        events = form.narrow(events)
    fmt = request.GET.get("format")
    if fmt in FORMATS and form.is_valid():
        return export_response(
            fmt,
            headers=[
                _("Programme"),
                _("Kind"),
                _("Title"),
                _("Pairing"),
                _("Host city"),
                _("Starts on"),
                _("Ends on"),
                _("Starts at (local time)"),
                _("Ends at (local time)"),
                _("Time zone"),
                _("Venue"),
                _("Status"),
            ],
            rows=(
                (
                    e.programme.name,
                    e.kind.name,
                    e.title,
                    str(e.pairing) if e.pairing else "",
                    e.host_city.name if e.host_city else "",
                    e.starts_on,
                    e.ends_on,
                    f"{e.local_starts_at:%Y-%m-%d %H:%M}",
                    f"{e.local_ends_at:%Y-%m-%d %H:%M}",
                    e.time_zone,
                    e.venue,
                    e.get_status_display(),
                )
                for e in events
            ),
            filename="events",
            title=_("Events"),
        )
    page = paginate_keys_first(request, events, EVENTS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    every_pairing = query.copy()
    every_pairing.pop("pairing", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(event, can_view_event(user, event)) for event in page],
        "query": query.urlencode(),
        "pairing_filter": filters.get("pairing"),
        "every_pairing": every_pairing.urlencode(),
        "can_plan": can_create_events(user),
        "programme": filters.get("programme"),
    }
    return render(request, "mentoring/events/event_list.html", context, status=_status(form))


def _plan_target(request: HttpRequest) -> tuple[Programme, Pairing | None] | None:
    """The programme (and pairing) named in ?programme=<slug> or ?pairing=<id>, if any."""
    visible = programmes_for(request.user)
    if pairing_id := request.GET.get("pairing", "").strip():
        if not pairing_id.isdigit():
            raise Http404
        pairing = get_object_or_404(
            Pairing.objects.filter(scheme__programme__in=visible).select_related(
                "scheme__programme", "mentor", "implementing"
            ),
            pk=pairing_id,
        )
        return pairing.scheme.programme, pairing
    if slug := request.GET.get("programme", "").strip():
        return get_object_or_404(visible, slug=slug), None
    return None


@login_required
def event_create_view(request: HttpRequest) -> HttpResponse:
    """Plan an event: first choose the programme or the pairing, then describe the event."""
    user = request.user
    if not can_create_events(user):
        raise PermissionDenied
    target = _plan_target(request)
    if target is None:
        programmes, pairings = plannable_for(user)
        return render(
            request,
            "mentoring/events/event_plan.html",
            {"programmes": programmes, "pairings": pairings},
        )
    programme, pairing = target
    if not can_create_event(user, programme, pairing):
        raise PermissionDenied
    form = EventForm(
        _posted(request),
        programme=programme,
        pairing=pairing,
        suggest_url=programme_city_suggestions(programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(programme=programme, pairing=pairing, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event “%(event)s” is planned.") % {"event": event})
            return redirect(event)
    context = {"form": form, "programme": programme, "pairing": pairing, "event": None}
    return render(request, "mentoring/events/event_form.html", context, status=_status(form))


@login_required
@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    event = _viewable_event(request, pk, details=True)
    report = getattr(event, "report", None)
    context = {
        "event": event,
        "attendance_rows": [(attendance, False) for attendance in event.attendances.all()],
        "report": report,
        "recommendations": report.recommendations.all() if report else [],
        "can_manage": can_manage_event(user, event),
        "can_record": can_record_attendance(user, event),
        "can_report": can_write_report(user, event),
    }
    return render(request, "mentoring/events/event_detail.html", context)


@login_required
def event_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if not can_manage_event(request.user, event):
        raise PermissionDenied
    form = EventForm(
        _posted(request),
        initial=EventForm.initial_for(event),
        programme=event.programme,
        pairing=event.pairing,
        suggest_url=programme_city_suggestions(event.programme),
    )
    stale.track(form, event)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != stale.FIELD}
            event_update(
                event=event, expected_version=stale.expected(form), by=request.user, **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is updated."))
            return redirect(event)
    context = {"form": form, "programme": event.programme, "pairing": event.pairing, "event": event}
    return render(request, "mentoring/events/event_form.html", context, status=_status(form))


@login_required
def event_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if not can_manage_event(request.user, event):
        raise PermissionDenied
    form = EventStatusForm(_posted(request), event=event)
    if request.method == "POST" and form.is_valid():
        try:
            event_transition(
                event=event,
                to=form.cleaned_data["status"],
                reason=form.cleaned_data["cancellation_reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The event is now %(status)s.") % {"status": event.get_status_display().lower()},
            )
            return redirect(event)
    context = {"form": form, "event": event}
    return render(request, "mentoring/events/event_status.html", context, status=_status(form))


@login_required
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Who took part: everyone who sees the event reads it; those allowed add to it."""
    user = request.user
    event = _viewable_event(request, pk, details=True)
    may_record = can_record_attendance(user, event)
    if request.method == "POST" and not may_record:
        raise PermissionDenied
    form = None
    if may_record:
        city_ids = attendance_city_ids(user, event)
        cities = (
            City.objects.filter(participations__programme=event.programme)
            if city_ids is None
            else City.objects.filter(pk__in=city_ids)
        )
        # An officer chooses among their own cities: a select, never a box.
        city_suggestions = programme_city_suggestions(event.programme) if city_ids is None else ""
        form = AttendanceForm(
            _posted(request),
            people=attendance_candidates(event, city_ids=city_ids),
            cities=cities,
            for_anyone=city_ids is None,
            people_suggest_url=reverse("mentoring:attendance_people", kwargs={"pk": event.pk}),
            city_suggest_url=city_suggestions,
        )
        if request.method == "POST" and form.is_valid():
            try:
                attendance = attendance_record(event=event, by=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(person)s is recorded.") % {"person": attendance.attendee_name},
                )
                return redirect("mentoring:event_attendance", pk=event.pk)
    rows = [(a, can_delete_attendance(user, a)) for a in event.attendances.all()]
    context = {
        "event": event,
        "form": form,
        "rows": rows,
        "actions": any(may_delete for _attendance, may_delete in rows),
    }
    status = _status(form) if form is not None else 200
    return render(request, "mentoring/events/attendance.html", context, status=status)


@login_required
@require_POST
def attendance_delete_view(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    event = _event(request, pk)
    attendance = get_object_or_404(Attendance.objects.filter(event=event), pk=attendance_pk)
    attendance.event = event
    if not can_delete_attendance(request.user, attendance):
        raise PermissionDenied
    attendance_delete(attendance=attendance)
    messages.success(request, _("The attendance is removed."))
    return redirect("mentoring:event_attendance", pk=event.pk)


@login_required
def report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Write or edit the report of a held event and its recommendations."""
    user = request.user
    event = _viewable_event(request, pk, details=True)
    if not can_write_report(user, event):
        raise PermissionDenied
    report = getattr(event, "report", None)
    recommendations = report.recommendations.all() if report else []
    form = ReportForm(_posted(request), initial={"findings": report.findings if report else ""})
    formset = RecommendationFormSet(
        _posted(request),
        initial=[{"id": r.pk, "text": r.text, "position": r.position} for r in recommendations],
        prefix="recommendations",
    )
    stale.track(form, None, version=report_version(report))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            report_save(
                event=event,
                findings=form.cleaned_data["findings"],
                recommendations=formset.inputs(),
                by=user,
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report is saved."))
            return redirect(reverse("mentoring:event", kwargs={"pk": event.pk}) + "#report")
    context = {"event": event, "form": form, "formset": formset}
    status = 400 if form.errors or any(formset.errors) or formset.non_form_errors() else 200
    if stale.was_refused(form):
        status = 409
        saved = getattr(event, "report", None)
        if saved is not None:
            texts = [r.text for r in saved.recommendations.order_by("position")]
            form.stale_saved.append((_("Recommendations"), "; ".join(texts) or "—"))
    return render(request, "mentoring/events/report_form.html", context, status=status)


# Calendar feeds -------------------------------------------------------------------------------


def _calendar_links(user, secret: str) -> list[tuple[str, str]]:
    """The person's feed addresses with the secret in them: one for their own events, one per
    programme. Made only when the secret is new (it is not stored)."""
    links = [
        (
            _("Events that concern me"),
            portal_url(reverse("mentoring:calendar_person_feed", kwargs={"token": secret})),
        )
    ]
    for programme in programmes_for(user).order_by("name"):
        url = reverse(
            "mentoring:calendar_programme_feed", kwargs={"token": secret, "slug": programme.slug}
        )
        links.append((_("All events of %(programme)s") % {"programme": programme}, portal_url(url)))
    return links


@login_required
@require_safe
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Whether the person has feed links and when they were made; the links themselves are
    shown once, on the page that makes them."""
    context = {"calendar_token": calendar_token_of(request.user), "links": []}
    return render(request, "mentoring/events/calendar.html", context)


@login_required
@require_POST
def calendar_regenerate_view(request: HttpRequest) -> HttpResponse:
    """Make new links (the old ones stop working) and show them, this once."""
    had_links = calendar_token_of(request.user) is not None
    made = calendar_token_regenerate(user=request.user)
    if had_links:
        messages.success(request, _("Your calendar links are new; the old ones no longer work."))
    else:
        messages.success(request, _("Your calendar links are ready."))
    context = {
        "calendar_token": made.calendar_token,
        "links": _calendar_links(request.user, made.secret),
    }
    return render(request, "mentoring/events/calendar.html", context)


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    return response


def _feed_user(token: str):
    user = user_by_calendar_token(token)
    if user is None:
        raise Http404
    return user


@bearer_secret
@require_safe
def calendar_person_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the secret token in the link stands for the person."""
    user = _feed_user(token)
    name = _("Tandem: events for %(person)s") % {"person": user}
    return _ics(calendar_feed(events_concerning(user), name=name), "tandem-events.ics")


@bearer_secret
@require_safe
def calendar_programme_feed(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    user = _feed_user(token)
    programme = get_visible_or_404(programmes_for(user), slug=slug)
    name = _("Tandem: %(programme)s events") % {"programme": programme}
    content = calendar_feed(programme_feed_events(programme), name=name)
    return _ics(content, f"{programme.slug}-events.ics")
