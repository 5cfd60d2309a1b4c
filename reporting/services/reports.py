"""Staff-cost reports: what may be asked for, queueing the job and retrying it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from cities.models import City
from documents import jobs
from mentoring.models import Programme

from .. import permissions
from ..models import (
    StaffCostReport,
)
from .time import first_of_month

# Reports ----------------------------------------------------------------------------------------


def report_period(
    programme: Programme, first_month: date | None, last_month: date | None
) -> tuple[date, date]:
    """The months a report covers: the ones asked for, or the programme's first and last."""
    return (
        first_of_month(first_month or programme.starts_on),
        first_of_month(last_month or programme.ends_on),
    )


def report_request_errors(
    *,
    programme: Programme,
    city: City | None,
    first_month: date | None,
    last_month: date | None,
    by: User,
) -> dict[str, list[str]]:
    """Every rule a report request must keep, as messages by field. A month given as None is
    not judged (the form says why it could not read it)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    starts, ends = first_of_month(programme.starts_on), first_of_month(programme.ends_on)
    outside = _("%(programme)s runs from %(start)s to %(end)s.") % {
        "programme": programme,
        "start": date_format(starts, "YEAR_MONTH_FORMAT"),
        "end": date_format(ends, "YEAR_MONTH_FORMAT"),
    }
    if first_month and not starts <= first_month <= ends:
        add("first_month", outside)
    if last_month and not starts <= last_month <= ends:
        add("last_month", outside)
    if first_month and last_month and last_month < first_month:
        add("last_month", _("The period must end after it starts."))
    if city is not None and not programme.participations.filter(city=city).exists():
        add(
            "city",
            _("%(city)s does not take part in %(programme)s.")
            % {"city": city, "programme": programme},
        )
    elif not permissions.can_request_report(by, programme, city.pk if city else None):
        if city is None:
            add("city", _("Only coordinators ask for every city; choose a city you supervise."))
        else:
            add("city", _("You may ask for the cities you supervise only."))
    return errors


@transaction.atomic
def report_request(
    *,
    programme: Programme,
    city: City | None,
    first_month: date | None = None,
    last_month: date | None = None,
    by: User,
    language: str = "en",
) -> StaffCostReport:
    """Ask for a staff-cost report (empty months: the programme's first and last); a Celery job
    builds it after the commit. While an identical report (same programme, cities, period and
    language) is queued or being built, the request joins it (``report.joined``) rather than
    building it a second time."""
    from ..tasks import build_staff_cost_report

    first_month, last_month = report_period(programme, first_month, last_month)
    errors = report_request_errors(
        programme=programme, city=city, first_month=first_month, last_month=last_month, by=by
    )
    if errors:
        raise ValidationError(errors)
    report, _created = jobs.request(
        StaffCostReport,
        build_staff_cost_report,
        fingerprint=jobs.fingerprint(
            "staff-cost report",
            programme.pk,
            city.pk if city else "all",
            first_month.isoformat(),
            last_month.isoformat(),
            language,
        ),
        programme=programme,
        city=city,
        first_month=first_month,
        last_month=last_month,
        language=language,
        requested_by=by,
    )
    return report


def report_retry(report: StaffCostReport, *, by: User) -> None:
    from ..tasks import build_staff_cost_report

    if not permissions.can_view_report(by, report):
        raise ValidationError(_("You may not run this report."))
    if not report.can_retry:
        raise ValidationError(_("Only a failed or interrupted report can be run again."))
    jobs.retry(report, build_staff_cost_report)
