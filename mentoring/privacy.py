"""Mentoring's share of a person's data: their calendar feed, attendances at events and the event
reports they wrote. The feed link is erased; attendances (evidence of paid travel) and reports
(the programme's shared work) are kept and no longer name them."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.privacy import PersonalDataPart, Row, register

from .models import Attendance, CalendarToken, EventReport, Participation


def profile(person: User) -> dict[str, Any]:
    calendar = CalendarToken.objects.filter(user=person).only("issued_at").first()
    return {
        "calendar_feed": {
            "exists": calendar is not None,
            "issued_at": calendar.issued_at if calendar else None,
        },
    }


def export(person: User) -> dict[str, Any]:
    return {
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
    }


def programmes(person: User, *, city_ids: set[int]) -> set[int]:
    """An officer or supervisor belongs to every programme their city takes part in."""
    if not city_ids:
        return set()
    return set(
        Participation.objects.filter(city_id__in=city_ids).values_list("programme_id", flat=True)
    )


def deleted(person: User) -> dict[str, int]:
    return {"calendar_feeds": CalendarToken.objects.filter(user=person).count()}


def kept(person: User) -> dict[str, int]:
    return {
        "attendances": Attendance.objects.filter(user=person).count(),
        "event_reports": EventReport.objects.filter(written_by=person).count(),
    }


def erase(person: User, *, old_email: str) -> None:
    CalendarToken.objects.filter(user=person).delete()


register(
    PersonalDataPart(
        name="mentoring",
        order=20,
        profile=profile,
        export=export,
        programmes=programmes,
        deleted=deleted,
        kept=kept,
        erase=erase,
        deleted_rows=(Row("calendar_feeds", _("Calendar feed links"), 50),),
        kept_rows=(
            Row("attendances", _("Attendances at events"), 50),
            Row("event_reports", _("Event reports they wrote"), 60),
        ),
    )
)
