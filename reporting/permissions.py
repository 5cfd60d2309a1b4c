"""Who may do what with staff time. Rates and costs are personal data: the person, the
supervisors of their city and the coordinators of a programme the city takes part in."""

from accounts.models import Role, User
from accounts.selectors import memberships_of
from mentoring.models import Participation, Programme

from .models import MonthStatus, StaffCostReport, StaffRate, TimesheetMonth


def coordinated_ids(user: User) -> set[int]:
    return {
        m.programme_id
        for m in memberships_of(user)
        if m.role == Role.COORDINATOR and m.programme_id is not None
    }


def supervised_ids(user: User) -> set[int]:
    return {
        m.city_id
        for m in memberships_of(user)
        if m.role == Role.SUPERVISOR and m.city_id is not None
    }


def can_request_reports(user: User) -> bool:
    """Coordinators and city supervisors ask for staff-cost reports; nobody else does."""
    return bool(coordinated_ids(user) or supervised_ids(user))


def _city_ids(user: User, role: str) -> set[int]:
    return {m.city_id for m in memberships_of(user) if m.role == role and m.city_id is not None}


def _coordinated_ids(user: User) -> set[int]:
    return {
        m.programme_id
        for m in memberships_of(user)
        if m.role == Role.COORDINATOR and m.programme_id is not None
    }


def is_officer_of(user: User, city_id: int) -> bool:
    return city_id in _city_ids(user, Role.OFFICER)


def is_supervisor_of(user: User, city_id: int) -> bool:
    return city_id in _city_ids(user, Role.SUPERVISOR)


def coordinates_city(user: User, city_id: int) -> bool:
    """Coordinator of a programme the city takes part in."""
    coordinated = _coordinated_ids(user)
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
        or month.programme_id in _coordinated_ids(user)
    )


def can_edit_month(user: User, month: TimesheetMonth) -> bool:
    """The person themself, while the month is open or returned."""
    return month.person_id == user.pk and not month.is_locked


def can_approve_month(user: User, month: TimesheetMonth) -> bool:
    """A supervisor of the city signs others' months, never their own."""
    return month.person_id != user.pk and is_supervisor_of(user, month.city_id)


def can_reopen_month(user: User, month: TimesheetMonth) -> bool:
    return month.status == MonthStatus.APPROVED and month.programme_id in _coordinated_ids(user)


def can_manage_rates(user: User, city_id: int) -> bool:
    """Enter and change annual personnel costs for the city's people."""
    return is_supervisor_of(user, city_id) or coordinates_city(user, city_id)


def can_view_rate(user: User, rate: StaffRate) -> bool:
    return rate.person_id == user.pk or can_manage_rates(user, rate.city_id)


def can_request_report(user: User, programme: Programme, city_id: int | None) -> bool:
    """Coordinators for any city of their programme or all of them; supervisors for their own
    city."""
    if programme.pk in _coordinated_ids(user):
        return True
    return city_id is not None and is_supervisor_of(user, city_id)


def can_view_report(user: User, report: StaffCostReport) -> bool:
    if report.programme_id in _coordinated_ids(user):
        return True
    return report.city_id is not None and is_supervisor_of(user, report.city_id)


def can_view_city_staff_time(user: User, city_id: int, programme: Programme) -> bool:
    """Days used per person in one programme: the city's own officers and supervisors, and
    that programme's coordinators."""
    return (
        is_officer_of(user, city_id)
        or is_supervisor_of(user, city_id)
        or programme.pk in _coordinated_ids(user)
    )


def can_view_programme_staff_time(user: User, programme: Programme) -> bool:
    """Days used per city across the programme: its coordinators."""
    return programme.pk in _coordinated_ids(user)
