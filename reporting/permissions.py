"""Who may do what with staff time. Rates and costs are personal data: the person, the
supervisors of their city and the coordinators of a programme the city takes part in."""

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import scopes_of
from documents.workflow import Allowed, Transition, Workflow
from mentoring.models import Participation, Programme

from .models import MonthStatus, StaffCostReport, StaffRate, TimesheetMonth


def can_request_reports(user: User) -> bool:
    """Coordinators and city supervisors ask for staff-cost reports; nobody else does."""
    scopes = scopes_of(user)
    return bool(scopes.coordinated or scopes.city_ids(Role.SUPERVISOR))


def is_officer_of(user: User, city_id: int) -> bool:
    return city_id in scopes_of(user).city_ids(Role.OFFICER)


def is_supervisor_of(user: User, city_id: int) -> bool:
    return city_id in scopes_of(user).city_ids(Role.SUPERVISOR)


def coordinates_city(user: User, city_id: int) -> bool:
    """Coordinator of a programme the city takes part in."""
    coordinated = scopes_of(user).coordinated
    return (
        bool(coordinated)
        and Participation.objects.filter(city_id=city_id, programme_id__in=coordinated).exists()
    )


def can_record_time(user: User, city_id: int) -> bool:
    """Officers record their own time for their city."""
    return is_officer_of(user, city_id)


def can_view_month(user: User, month: TimesheetMonth) -> bool:
    return (
        month.person_id == user.pk
        or is_supervisor_of(user, month.city_id)
        or month.programme_id in scopes_of(user).coordinated
    )


def can_edit_month(user: User, month: TimesheetMonth) -> bool:
    """The person themself, while the month is open or returned."""
    return month.person_id == user.pk and not month.is_locked


def can_sign_month(user: User, month: TimesheetMonth) -> Allowed:
    """The person signs their own month."""
    if month.person_id == user.pk:
        return True, ""
    return False, gettext("Only the person whose timesheet it is can sign it.")


def _decides(user: User, month: TimesheetMonth) -> bool:
    return month.person_id != user.pk and is_supervisor_of(user, month.city_id)


def can_approve_month(user: User, month: TimesheetMonth) -> Allowed:
    """A supervisor of the city signs others' months, never their own."""
    if _decides(user, month):
        return True, ""
    return False, gettext("Only a supervisor of %(city)s can approve this timesheet.") % {
        "city": month.city
    }


def can_return_month(user: User, month: TimesheetMonth) -> Allowed:
    """The supervisor who may approve a month may send it back instead."""
    if _decides(user, month):
        return True, ""
    return False, gettext("Only a supervisor of %(city)s can return this timesheet.") % {
        "city": month.city
    }


def can_reopen_month(user: User, month: TimesheetMonth) -> Allowed:
    """A coordinator of the programme (the workflow adds: only an approved month)."""
    if month.programme_id in scopes_of(user).coordinated:
        return True, ""
    return False, gettext("Only a coordinator of the programme can reopen a month.")


def can_import_months(user: User, city) -> Allowed:
    """Officers and supervisors of a city bring in its timesheets kept on paper before Tandem."""
    if is_officer_of(user, city.pk) or is_supervisor_of(user, city.pk):
        return True, ""
    return False, gettext("Only officers and supervisors of %(city)s import its timesheets.") % {
        "city": city
    }


def _imports_month(user: User, month: TimesheetMonth) -> Allowed:
    return can_import_months(user, month.city)


def month_locked_message(month: TimesheetMonth) -> str:
    """Why a submitted or approved month cannot change."""
    label = date_format(month.month, "YEAR_MONTH_FORMAT")
    if month.status == MonthStatus.APPROVED:
        return gettext("%(month)s is approved and locked; a coordinator can reopen it.") % {
            "month": label
        }
    return gettext(
        "%(month)s is submitted for approval; it cannot change unless it is returned."
    ) % {"month": label}


# The signatures of a month: the person signs, a supervisor approves or returns, a coordinator
# reopens an approved month. A month signed on paper before Tandem arrives by import, signed, and
# waits for a supervisor's approval like any other.
MONTH_WORKFLOW = Workflow(
    field="status",
    wrong_state=lambda month, _transition: month_locked_message(month),
    transitions=[
        Transition(
            "submit",
            {MonthStatus.OPEN, MonthStatus.RETURNED},
            MonthStatus.SUBMITTED,
            _("Sign and submit"),
            allowed=can_sign_month,
        ),
        Transition(
            "approve",
            {MonthStatus.SUBMITTED},
            MonthStatus.APPROVED,
            _("Approve"),
            allowed=can_approve_month,
            wrong_state=lambda month, _t: gettext("Only a submitted timesheet can be approved."),
        ),
        Transition(
            "return",
            {MonthStatus.SUBMITTED},
            MonthStatus.RETURNED,
            _("Return with comment"),
            allowed=can_return_month,
            wrong_state=lambda month, _t: gettext("Only a submitted timesheet can be returned."),
        ),
        Transition(
            "reopen",
            {MonthStatus.APPROVED},
            MonthStatus.OPEN,
            _("Reopen"),
            allowed=can_reopen_month,
            wrong_state=lambda month, _t: gettext("Only an approved month can be reopened."),
            state_first=True,
        ),
        Transition(
            "import",
            {MonthStatus.OPEN},
            MonthStatus.SUBMITTED,
            _("Import a paper timesheet"),
            allowed=_imports_month,
            wrong_state=lambda month, _t: (
                gettext("%(month)s is already in Tandem; an import never changes it.")
                % {"month": date_format(month.month, "YEAR_MONTH_FORMAT")}
            ),
        ),
    ],
)


def can_manage_rates(user: User, city_id: int) -> bool:
    """Enter and change annual personnel costs for the city's people."""
    return is_supervisor_of(user, city_id) or coordinates_city(user, city_id)


def can_view_rate(user: User, rate: StaffRate) -> bool:
    return rate.person_id == user.pk or can_manage_rates(user, rate.city_id)


def can_declare_other_grants(user: User, person: User) -> Allowed:
    """The hours a person works in other grants: the person themself declares them; a
    supervisor of a city the person is an officer of may record them for the person."""
    if user.pk == person.pk:
        return True, ""
    if scopes_of(user).city_ids(Role.SUPERVISOR) & scopes_of(person).city_ids(Role.OFFICER):
        return True, ""
    return False, gettext(
        "Only %(person)s, or a supervisor of a city they work for, can declare the hours they "
        "work in other grants."
    ) % {"person": person}


def can_request_report(user: User, programme: Programme, city_id: int | None) -> bool:
    """Coordinators for any city of their programme or all of them; supervisors for their own
    city."""
    if programme.pk in scopes_of(user).coordinated:
        return True
    return city_id is not None and is_supervisor_of(user, city_id)


def can_view_report(user: User, report: StaffCostReport) -> bool:
    if report.programme_id in scopes_of(user).coordinated:
        return True
    return report.city_id is not None and is_supervisor_of(user, report.city_id)


def can_view_city_staff_time(user: User, city_id: int, programme: Programme) -> bool:
    """Days used per person in one programme: the city's own officers and supervisors, and
    that programme's coordinators."""
    return (
        is_officer_of(user, city_id)
        or is_supervisor_of(user, city_id)
        or programme.pk in scopes_of(user).coordinated
    )


def can_view_programme_staff_time(user: User, programme: Programme) -> bool:
    """Days used per city across the programme: its coordinators."""
    return programme.pk in scopes_of(user).coordinated


def can_manage_exchange_rates(user: User, programme: Programme) -> Allowed:
    """The programme's exchange rates: its coordinators keep them; nobody else sees them."""
    if programme.pk in scopes_of(user).coordinated:
        return True, ""
    return False, gettext("Only the programme's coordinators keep its exchange rates.")
