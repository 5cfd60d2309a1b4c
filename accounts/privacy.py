"""A person's personal data: what Tandem holds about them (the export), and its erasure on
request (GDPR articles 15, 17 and 20).

Erasure does not delete the account row: approved timesheets, the signatures on them and much of
the programme's shared work point at it with protected foreign keys, and an EU audit needs the
approved staff costs for years after the final payment (DOMAIN.md: records are kept 5 years).
The row becomes an anonymous shell instead, "Erased person #<pk>", and everything personal that
the audit does not need is deleted. See ``erase_person`` for the line drawn.
"""

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.models import PlanComment, PlanVersion, Transition
from mentoring.models import Attendance, CalendarToken, EventReport, Participation
from reporting.models import (
    MonthStatus,
    StaffRate,
    TimeEntry,
    TimesheetAction,
    TimesheetLog,
    TimesheetMonth,
)
from toolkits.models import GoodPractice, PracticeReview

from .models import ErasureRecord, Invitation, Membership, Role, User
from .selectors import memberships_of

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1


# Export ------------------------------------------------------------------------------------------


def personal_data(person: User) -> dict[str, Any]:
    """Everything Tandem holds about the person, as plain data for a JSON download.

    Only the person's own data: where a record involves someone else (who approved a month, who
    invited them, whom they invited) it says what happened and when, never who the other person
    is. Secrets (password hash, two-factor secrets, the calendar feed token) are not included;
    their existence is. A fixed number of queries, however much the person has recorded.
    """
    months = list(
        TimesheetMonth.objects.filter(person=person)
        .select_related("programme", "city")
        .order_by("month", "programme__name", "city__name")
    )
    logs: dict[int, list[dict]] = {}
    for entry in TimesheetLog.objects.filter(month__person=person).order_by("at", "pk"):
        logs.setdefault(entry.month_id, []).append(
            {
                "action": entry.action,
                "at": entry.at,
                "by_you": entry.actor_id == person.pk,
                "comment": entry.comment,
                # The network address is the person's only when they signed themselves.
                "ip_address": entry.ip_address if entry.actor_id == person.pk else None,
                "figures": entry.details,
            }
        )
    calendar = CalendarToken.objects.filter(user=person).only("issued_at").first()
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "about": _(
            "Your data in Tandem. Records that involve other people say what happened and "
            "when, not who they are. Passwords, two-factor secrets and the calendar feed "
            "token are never exported."
        ),
        "profile": {
            "id": person.pk,
            "email": person.email,
            "full_name": person.full_name,
            "date_joined": person.date_joined,
            "last_login": person.last_login,
            "is_active": person.is_active,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=person).order_by("pk")
            ],
            "two_factor_methods": [
                {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
                for a in Authenticator.objects.filter(user=person).order_by("pk")
            ],
            "calendar_feed": {
                "exists": calendar is not None,
                "issued_at": calendar.issued_at if calendar else None,
            },
        },
        "memberships": [
            {
                "role": m.role,
                "scope": str(m.scope),
                "since": m.created_at,
            }
            for m in Membership.objects.filter(user=person).select_related(
                "programme", "scheme__programme", "city"
            )
        ],
        "invitations_received": [
            {
                "role": i.role,
                "scope": str(i.scope),
                "email": i.email,
                "full_name": i.full_name,
                "created_at": i.created_at,
                "accepted_at": i.accepted_at,
            }
            for i in _invitations_to(person).select_related("programme", "scheme", "city")
        ],
        # Whom they invited is the invitees' personal data: the role and date only.
        "invitations_sent": [
            {
                "role": i.role,
                "scope": str(i.scope),
                "created_at": i.created_at,
                "accepted": i.accepted_at is not None,
            }
            for i in Invitation.objects.filter(invited_by=person)
            .select_related("programme", "scheme", "city")
            .order_by("created_at", "pk")
        ],
        "timesheet_months": [
            {
                "id": m.pk,
                "programme": m.programme.name,
                "city": m.city.name,
                "month": m.month,
                "status": m.status,
                "signed_by_you_at": m.submitted_at,
                "approved_by_the_city_supervisor_at": m.approved_at,
                "supervisor_comment": m.return_comment,
                "approved_hours": m.hours,
                "cost_model": m.cost_model,
                "annual_costs": m.annual_costs,
                "working_time_share": m.working_time_share,
                "rate": m.exact_rate,
                "log": logs.get(m.pk, []),
            }
            for m in months
        ],
        "time_entries": [
            {
                "timesheet_month_id": e["timesheet_id"],
                "day": e["day"],
                "activity": e["activity"],
                "hours": e["hours"],
                "description": e["description"],
                "event": e["event__title"],
                "city": e["city__name"],
            }
            for e in TimeEntry.objects.filter(person=person)
            .order_by("day", "activity", "pk")
            .values(
                "timesheet_id",
                "day",
                "activity",
                "hours",
                "description",
                "event__title",
                "city__name",
            )
        ],
        "staff_rates": [
            {
                "city": r.city.name,
                "year": r.year,
                "annual_costs": r.annual_costs,
                "working_time_share": r.working_time_share,
                "last_changed_at": r.updated_at,
            }
            for r in StaffRate.objects.filter(person=person)
            .select_related("city")
            .order_by("year", "city__name")
        ],
        "attendances": [
            {
                "event": a.event.title,
                "starts_on": a.event.starts_on,
                "ends_on": a.event.ends_on,
                "for": a.represents,
                "days": a.days,
            }
            for a in Attendance.objects.filter(user=person)
            .select_related("event", "city", "organisation")
            .order_by("event__starts_on", "pk")
        ],
        "event_reports_written": [
            {
                "event": r.event.title,
                "findings": r.findings,
                "recommendations": [rec.text for rec in r.recommendations.all()],
                "created_at": r.created_at,
                "updated_at": r.updated_at,
            }
            for r in EventReport.objects.filter(written_by=person)
            .select_related("event")
            .prefetch_related("recommendations")
            .order_by("created_at", "pk")
        ],
        "good_practices_authored": [
            {
                "title": p.title,
                "status": p.status,
                "created_at": p.created_at,
                "published_at": p.published_at,
                "contact_name": p.contact_name,
                "contact_email": p.contact_email,
            }
            for p in GoodPractice.objects.filter(author=person).order_by("created_at", "pk")
        ],
        "practice_reviews": [
            {"practice": r.practice.title, "action": r.action, "at": r.at, "comment": r.comment}
            for r in PracticeReview.objects.filter(by=person)
            .select_related("practice")
            .order_by("at", "pk")
        ],
        "plan_versions_submitted": [
            {"plan": v.plan.title, "version": v.number, "submitted_at": v.submitted_at}
            for v in PlanVersion.objects.filter(submitted_by=person)
            .select_related("plan")
            .order_by("submitted_at", "pk")
        ],
        "plan_comments": [
            {
                "plan": c.version.plan.title,
                "version": c.version.number,
                "section": c.section,
                "comment": c.body,
                "at": c.created_at,
            }
            for c in PlanComment.objects.filter(author=person)
            .select_related("version__plan")
            .order_by("created_at", "pk")
        ],
        "plan_transitions": [
            {
                "plan": t.plan.title,
                "from": t.from_stage,
                "to": t.to_stage,
                "at": t.at,
                "comment": t.comment,
            }
            for t in Transition.objects.filter(by=person)
            .select_related("plan")
            .order_by("at", "pk")
        ],
    }


def _invitations_to(person: User) -> QuerySet:
    return Invitation.objects.filter(
        Q(email__iexact=person.email) | Q(accepted_by=person)
    ).order_by("created_at", "pk")


# Who may erase whom ------------------------------------------------------------------------------


def programmes_of(person: User) -> set[int]:
    """Every programme the person's memberships or timesheets touch. An officer or supervisor
    belongs to every programme their city takes part in."""
    ids: set[int] = set()
    city_ids = set()
    for m in Membership.objects.filter(user=person).select_related("scheme"):
        if m.programme_id:
            ids.add(m.programme_id)
        elif m.scheme_id:
            ids.add(m.scheme.programme_id)
        elif m.city_id:
            city_ids.add(m.city_id)
    if city_ids:
        ids |= set(
            Participation.objects.filter(city_id__in=city_ids).values_list(
                "programme_id", flat=True
            )
        )
    ids |= set(TimesheetMonth.objects.filter(person=person).values_list("programme_id", flat=True))
    return ids


def _coordinated(user: User) -> set[int]:
    return {m.programme_id for m in memberships_of(user) if m.role == Role.COORDINATOR}


def may_consider_erasure(user: User, person: User) -> bool:
    """The erasure page is for coordinators of a programme the person takes part in."""
    return bool(_coordinated(user) & programmes_of(person))


def erasure_refusal(user: User, person: User) -> str | None:
    """Why this coordinator may not erase this person, or None if they may.

    A coordinator erases only people whose every role and timesheet lies in programmes they
    coordinate: erasing someone who also works for another programme would delete that
    programme's data behind its coordinators' backs. An administrator can (``erase_person``).
    """
    if person.erased_at is not None:
        return _("This person's data has already been erased.")
    if person.pk == user.pk:
        return _(
            "You cannot erase your own data here. Ask another coordinator of your programme "
            "or an administrator."
        )
    if person.is_staff or person.is_superuser:
        return _("Only an administrator can erase the data of another administrator.")
    coordinated = _coordinated(user)
    touched = programmes_of(person)
    if not coordinated & touched:
        return _("This person takes no part in a programme you coordinate.")
    if touched - coordinated:
        return _(
            "This person also takes part in a programme you do not coordinate, so you cannot "
            "erase their data. An administrator can."
        )
    return None


# Erasure -----------------------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    """How many records of each kind erasure deletes and keeps, for the confirmation page and
    the erasure record."""

    deleted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)


def _months_never_approved(person: User) -> QuerySet:
    """Months that never reached a supervisor's approval: open, submitted or returned, and not
    approved-then-reopened. They were never claimed in a staff-cost report."""
    return (
        TimesheetMonth.objects.filter(person=person)
        .exclude(status=MonthStatus.APPROVED)
        .exclude(log__action=TimesheetAction.APPROVED)
    )


def _months_kept(person: User) -> QuerySet:
    return TimesheetMonth.objects.filter(person=person).exclude(
        pk__in=_months_never_approved(person).values("pk")
    )


def _rates_deleted(person: User) -> QuerySet:
    """Rates that priced no kept month (each kept month was priced with its city's and year's)."""
    kept_keys = _months_kept(person).values_list("city_id", "month__year").distinct()
    keep = Q(pk__in=[])
    for city_id, year in kept_keys:
        keep |= Q(city_id=city_id, year=year)
    return StaffRate.objects.filter(person=person).exclude(keep)


def _sessions_of(person: User) -> list[str]:
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(person.pk):
            keys.append(session.session_key)
    return keys


def erasure_plan(person: User) -> ErasurePlan:
    never_approved = _months_never_approved(person)
    kept_months = _months_kept(person)
    return ErasurePlan(
        deleted={
            "memberships": Membership.objects.filter(user=person).count(),
            "invitations": _invitations_to(person).count(),
            "email_addresses": EmailAddress.objects.filter(user=person).count(),
            "two_factor_methods": Authenticator.objects.filter(user=person).count(),
            "calendar_feeds": CalendarToken.objects.filter(user=person).count(),
            "timesheet_months": never_approved.count(),
            "time_entries": TimeEntry.objects.filter(timesheet__in=never_approved).count(),
            "staff_rates": _rates_deleted(person).count(),
            "practice_contacts": GoodPractice.objects.filter(
                contact_email__iexact=person.email
            ).count(),
        },
        kept={
            "timesheet_months": kept_months.count(),
            "time_entries": TimeEntry.objects.filter(timesheet__in=kept_months).count(),
            "staff_rates": StaffRate.objects.filter(person=person).count()
            - _rates_deleted(person).count(),
            "signatures_on_others_months": TimesheetLog.objects.filter(actor=person)
            .exclude(month__person=person)
            .count(),
            "attendances": Attendance.objects.filter(user=person).count(),
            "event_reports": EventReport.objects.filter(written_by=person).count(),
            "good_practices": GoodPractice.objects.filter(author=person).count(),
            "practice_reviews": PracticeReview.objects.filter(by=person).count(),
            "plan_versions": PlanVersion.objects.filter(submitted_by=person).count(),
            "plan_comments": PlanComment.objects.filter(author=person).count(),
            "plan_transitions": Transition.objects.filter(by=person).count(),
        },
    )


def erase_person(person: User, *, by: User | None) -> ErasureRecord:
    """Erase the person's personal data on request, in one transaction, and record it.

    Deleted: name, e-mail address (replaced by erased-<pk>@invalid), password (made unusable),
    allauth e-mail addresses, two-factor authenticators, open sessions, the calendar feed token,
    invitations addressed to them, every membership (so they leave every team list), the contact
    details of good practices that name them, and every timesheet month that never reached a
    supervisor's approval with its time entries and log: such months were never claimed as
    co-financing, so no audit needs them. Rates that priced none of the kept months go too.

    Kept, pointing at the anonymised "Erased person #<pk>": approved months (and months once
    approved, then reopened, which a report may already have claimed), their time entries and
    signature log, and the staff rates they were costed with. The EU audit of the programme
    needs them until its retention period ends (5 years after the final payment); the staff-cost
    reports therefore compute the same totals. Also kept: the person's signatures on other
    people's months, their attendances (evidence of paid travel), and the shared work of the
    programme they wrote (event reports, good practices, reviews, action-plan comments and
    steps), which belongs to the programme and no longer names them.

    ``by`` is the coordinator who performed it, held to ``erasure_refusal``, or None for an
    administrator's command, which may erase anyone not yet erased.
    """
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.erased_at is not None:
            raise ValidationError(_("This person's data has already been erased."))
        refusal = erasure_refusal(by, person) if by is not None else None
        if refusal:
            raise PermissionDenied(refusal)
        plan = erasure_plan(person)
        old_email, old_name = person.email, person.full_name

        never_approved = list(_months_never_approved(person).values_list("pk", flat=True))
        TimeEntry.objects.filter(timesheet__in=never_approved).delete()
        TimesheetMonth.objects.filter(pk__in=never_approved).delete()
        _rates_deleted(person).delete()
        Membership.objects.filter(user=person).delete()
        _invitations_to(person).delete()
        EmailAddress.objects.filter(user=person).delete()
        Authenticator.objects.filter(user=person).delete()
        CalendarToken.objects.filter(user=person).delete()
        Session.objects.filter(session_key__in=_sessions_of(person)).delete()
        GoodPractice.objects.filter(contact_email__iexact=old_email).update(
            contact_name="", contact_email=""
        )

        person.full_name = ""
        # Not a deliverable address on purpose (RFC 2606 reserves .invalid); unique by the pk.
        person.email = f"erased-{person.pk}@invalid"
        person.set_unusable_password()
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.last_login = None
        person.erased_at = timezone.now()
        person.save()
        person.groups.clear()
        person.user_permissions.clear()

        record = ErasureRecord.objects.create(
            person=person, by=by, at=person.erased_at, deleted=plan.deleted, kept=plan.kept
        )
        _scrub_audit_log(person, old_email=old_email, old_name=old_name)
    logger.info(
        "Personal data of person #%s erased by %s",
        person.pk,
        f"person #{by.pk}" if by is not None else "an administrator (erase_person command)",
    )
    return record


REDACTED = "[erased]"


def _redact(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        for needle in needles:
            value = re.sub(re.escape(needle), REDACTED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_redact(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _redact(v, needles) for k, v in value.items()}
    return value


def _scrub_audit_log(person: User, *, old_email: str, old_name: str) -> None:
    """Remove the erased person's identity from django-auditlog's entries: the e-mail address
    and network address stored with what they did, and their old e-mail address or name in any
    recorded change (their own account's changes, the erasure itself included)."""
    if not apps.is_installed("auditlog"):
        return
    from auditlog import get_logentry_model
    from django.db.models import TextField
    from django.db.models.functions import Cast

    log_entry = get_logentry_model()
    log_entry.objects.filter(actor=person).update(
        actor_email=None, remote_addr=None, remote_port=None
    )
    needles = sorted((n for n in (old_email, old_name) if n), key=len, reverse=True)
    if not needles:
        return
    mentions = Q()
    for needle in needles:
        mentions |= (
            Q(changes_text__icontains=needle)
            | Q(object_repr__icontains=needle)
            | Q(changes_as_text__icontains=needle)
            | Q(serialized_as_text__icontains=needle)
            | Q(additional_as_text__icontains=needle)
        )
    entries = log_entry.objects.annotate(
        changes_as_text=Cast("changes", TextField()),
        serialized_as_text=Cast("serialized_data", TextField()),
        additional_as_text=Cast("additional_data", TextField()),
    ).filter(mentions)
    for entry in entries:
        entry.changes = _redact(entry.changes, needles)
        entry.serialized_data = _redact(entry.serialized_data, needles)
        entry.additional_data = _redact(entry.additional_data, needles)
        entry.changes_text = _redact(entry.changes_text, needles)
        entry.object_repr = _redact(entry.object_repr, needles)
        # A queryset update, not save(): saving a log entry may re-stamp its actor.
        log_entry.objects.filter(pk=entry.pk).update(
            changes=entry.changes,
            serialized_data=entry.serialized_data,
            additional_data=entry.additional_data,
            changes_text=entry.changes_text,
            object_repr=entry.object_repr,
        )
