"""Who hears of a timesheet's steps and deadlines, and of their staff-cost reports
(``notifications.notify``).

signed: the city's supervisors who may approve the month; approved, returned, reopened: the
person whose month it is. Reminders: a month not signed by the programme's day of the following
month (the person), a signed month waiting for approval (the supervisors, then the programme's
coordinators). A staff-cost report ready or failed: whoever asked for it."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import zones_of
from documents.signals import job_done, job_failed
from notifications.registry import Kind, register, reminder
from notifications.selectors import told as notifications_told
from notifications.services import notify

from .models import MonthStatus, StaffCostReport, TimeEntry, TimesheetLog, TimesheetMonth

GROUP = _("Timesheets")

register(
    Kind(
        "reporting.month_signed",
        group=GROUP,
        label=_("A month is signed and waits for your approval"),
        message=_("%(person)s signed their timesheet of %(month_month)s for %(city)s."),
        action=_("Open the month to approve or return it"),
    )
)
register(
    Kind(
        "reporting.month_approved",
        group=GROUP,
        label=_("Your month is approved"),
        message=_("%(by)s approved your timesheet of %(month_month)s for %(city)s."),
        action=_("Open the month"),
    )
)
register(
    Kind(
        "reporting.month_returned",
        group=GROUP,
        label=_("Your month is returned with a comment"),
        message=_("%(by)s returned your timesheet of %(month_month)s for %(city)s."),
        action=_("Correct the month and sign it again"),
    )
)
register(
    Kind(
        "reporting.month_reopened",
        group=GROUP,
        label=_("Your approved month is reopened"),
        message=_("%(by)s reopened your timesheet of %(month_month)s for %(city)s."),
        action=_("Correct the month and sign it again"),
    )
)
register(
    Kind(
        "reporting.remind_unsigned",
        group=GROUP,
        label=_("Reminder: a month of yours is not signed"),
        message=_(
            "Your timesheet of %(month_month)s for %(city)s is not signed yet; it was due by "
            "%(due_date)s."
        ),
        action=_("Open the month and sign it"),
    )
)
register(
    Kind(
        "reporting.remind_approval",
        group=GROUP,
        label=_("Reminder: a signed month waits for your approval"),
        message=_(
            "%(person)s's timesheet of %(month_month)s for %(city)s has waited for approval "
            "since %(signed_date)s."
        ),
        action=_("Open the month to approve or return it"),
    )
)
register(
    Kind(
        "reporting.approval_overdue",
        group=GROUP,
        label=_("A signed month has waited long for its supervisor"),
        message=_(
            "%(person)s's timesheet of %(month_month)s for %(city)s has waited for a "
            "supervisor's approval since %(signed_date)s."
        ),
        action=_("Open the month"),
    )
)

register(
    Kind(
        "reporting.months_imported",
        group=GROUP,
        label=_("Paper timesheets are imported and wait for your approval"),
        message=_(
            "%(by)s imported %(count)s paper timesheets of %(city)s from %(file)s; they wait "
            "for your approval."
        ),
        action=_("Open the months waiting for approval"),
    )
)

REPORTS = _("Staff-cost reports")

register(
    Kind(
        "reporting.report_ready",
        group=REPORTS,
        label=_("A staff-cost report you asked for is ready"),
        message=_(
            "Your staff-cost report for %(scope)s, %(first_month)s to %(last_month)s, is ready."
        ),
        action=_("Open the report and download its files"),
    )
)
register(
    Kind(
        "reporting.report_failed",
        group=REPORTS,
        label=_("A staff-cost report you asked for failed"),
        message=_(
            "Your staff-cost report for %(scope)s, %(first_month)s to %(last_month)s, could "
            "not be built: %(error)s"
        ),
        action=_("Open the report to try again"),
    )
)


# Who ------------------------------------------------------------------------------------------


def supervisors_of(sheet: TimesheetMonth) -> QuerySet[User]:
    """Those who may approve the month (``permissions._decides``): the city's supervisors, but
    not the person whose month it is."""
    return (
        User.objects.filter(memberships__role=Role.SUPERVISOR, memberships__city_id=sheet.city_id)
        .exclude(pk=sheet.person_id)
        .distinct()
    )


def coordinators_of(sheet: TimesheetMonth) -> QuerySet[User]:
    return User.objects.filter(
        memberships__role=Role.COORDINATOR, memberships__programme_id=sheet.programme_id
    ).distinct()


def _params(sheet: TimesheetMonth, **more) -> dict:
    return {
        "person": sheet.person.get_full_name(),
        "month_month": f"{sheet.month:%Y-%m}",
        "city": sheet.city.name,
        **more,
    }


# The steps ------------------------------------------------------------------------------------

EVENTS = {
    "submitted": "reporting.month_signed",
    "approved": "reporting.month_approved",
    "returned": "reporting.month_returned",
    "reopened": "reporting.month_reopened",
}


def month_step(sheet: TimesheetMonth, step: TimesheetLog) -> int:
    """Tell whoever the step concerns; call inside the step's transaction. The step's log row
    names the event, so each step tells each person once."""
    kind = EVENTS[step.action]
    recipients = supervisors_of(sheet) if step.action == "submitted" else [sheet.person]
    return notify(
        kind,
        recipients=recipients,
        about=sheet,
        link=sheet.get_absolute_url(),
        params=_params(
            sheet,
            by=step.actor.get_full_name() if step.actor_id else "",
            comment=step.comment,
        ),
        programme=sheet.programme.name,
        key=f"{kind}:{step.pk}",
        actor=step.actor,
    )


def months_imported(city, steps: list[TimesheetLog], *, by: User) -> int:
    """Tell the city's supervisors once per import that its months wait for them; call inside
    the import's transaction."""
    first = steps[0]
    return notify(
        "reporting.months_imported",
        recipients=User.objects.filter(
            memberships__role=Role.SUPERVISOR, memberships__city_id=city.pk
        ).distinct(),
        about=first.month,
        link=reverse("reporting:approvals"),
        params={
            "by": by.get_full_name(),
            "count": len(steps),
            "city": city.name,
            "file": first.details.get("file", ""),
        },
        programme=first.month.programme.name,
        key=f"reporting.months_imported:{first.pk}",
        actor=by,
    )


# Reminders ------------------------------------------------------------------------------------


def _remind(kind: str, sheet: TimesheetMonth, recipients, *, key: str, params: dict) -> int:
    """Tell ``recipients`` of this deadline (``key``); ``notify`` leaves out those told of it
    already, so a run that finds everyone told writes nothing and queues no e-mail."""
    return notify(
        kind,
        recipients=recipients,
        about=sheet,
        link=sheet.get_absolute_url(),
        params=params,
        programme=sheet.programme.name,
        key=key,
    )


# Months looked at together: one query for those already reminded per batch.
REMINDER_BATCH = 500


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@reminder
def unsigned_months(now: datetime) -> int:
    """A month with time recorded and not signed (open, returned or reopened) once the
    programme's day of the following month has come where the person is: the person, once per
    month and deadline."""
    # The earliest local date anywhere is a day behind; a month can only be due once the
    # following month has begun somewhere.
    latest_day = (now + timedelta(days=1)).date()
    sheets = (
        TimesheetMonth.objects.filter(
            status__in=[MonthStatus.OPEN, MonthStatus.RETURNED],
            programme__remind_unsigned_day__gt=0,
            month__lt=latest_day.replace(day=1),
        )
        .filter(Exists(TimeEntry.objects.filter(timesheet=OuterRef("pk"))))
        .select_related("person", "programme", "city")
        .order_by("pk")
    )
    kind = "reporting.remind_unsigned"
    told = 0
    for batch in _batches(sheets.iterator(chunk_size=REMINDER_BATCH), REMINDER_BATCH):
        due_now = []
        zones = zones_of(sheet.person for sheet in batch)
        for sheet in batch:
            due = _next_month(sheet.month).replace(day=sheet.programme.remind_unsigned_day)
            if now.astimezone(zones[sheet.person_id]).date() >= due:
                due_now.append((sheet, due, f"{kind}:{sheet.pk}:{due.isoformat()}"))
        # One query a batch for the months whose person was told already (every run after the
        # first finds most of them so), rather than one per month.
        done = notifications_told((sheet.person_id, key) for sheet, _due, key in due_now)
        for sheet, due, key in due_now:
            if (sheet.person_id, key) in done:
                continue
            told += _remind(
                kind,
                sheet,
                [sheet.person],
                key=key,
                params=_params(sheet, due_date=due.isoformat()),
            )
    return told


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@reminder
def months_waiting_for_approval(now: datetime) -> int:
    """A signed month waiting longer than the programme's days: its supervisors; after twice as
    long, the programme's coordinators. Once per signature (a month signed again after being
    returned waits anew). A month imported from paper waits from its import."""
    sheets = (
        TimesheetMonth.objects.annotate(waiting_since=Coalesce("submitted_at", "imported_at"))
        .filter(
            status=MonthStatus.SUBMITTED,
            programme__remind_approval_after_days__gt=0,
            waiting_since__isnull=False,
            waiting_since__lt=now,
        )
        .select_related("person", "programme", "city")
        .order_by("pk")
    )
    told = 0
    for sheet in sheets:
        since: datetime = sheet.waiting_since
        days = timedelta(days=sheet.programme.remind_approval_after_days)
        waited = now - since
        signed = since.isoformat()
        # The day it was signed (or imported) in the city (where its supervisors are).
        signed_on = since.astimezone(sheet.city.zone).date()
        params = _params(sheet, signed_date=signed_on.isoformat())
        steps = [("reporting.remind_approval", days, supervisors_of)]
        steps.append(("reporting.approval_overdue", 2 * days, coordinators_of))
        for kind, after, recipients in steps:
            if waited < after:
                continue
            told += _remind(
                kind, sheet, recipients(sheet), key=f"{kind}:{sheet.pk}:{signed}", params=params
            )
    return told


# Staff-cost reports ---------------------------------------------------------------------------


def _report_params(report: StaffCostReport, **more) -> dict:
    return {
        "scope": report.city.name if report.city_id else report.programme.name,
        "first_month": f"{report.first_month:%Y-%m}",
        "last_month": f"{report.last_month:%Y-%m}",
        **more,
    }


def report_ready(sender, job: StaffCostReport, **kwargs) -> None:
    kind = "reporting.report_ready"
    notify(
        kind,
        recipients=[job.requested_by],
        about=job,
        link=job.get_absolute_url(),
        params=_report_params(job),
        programme=job.programme.name,
        key=f"{kind}:{job.pk}:{job.attempts}",
    )


def report_failed(sender, job: StaffCostReport, **kwargs) -> None:
    kind = "reporting.report_failed"
    notify(
        kind,
        recipients=[job.requested_by],
        about=job,
        link=job.get_absolute_url(),
        params=_report_params(job, error=(job.error or "").strip()[:500]),
        programme=job.programme.name,
        key=f"{kind}:{job.pk}:{job.attempts}",
    )


job_done.connect(report_ready, sender=StaffCostReport, dispatch_uid="reporting.report_ready")
job_failed.connect(report_failed, sender=StaffCostReport, dispatch_uid="reporting.report_failed")
