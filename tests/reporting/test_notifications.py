"""Who hears of a timesheet's steps and deadlines, and of their staff-cost reports: the right
people, once, in their language, after the commit; reminders once per month and deadline, on
the programme's days."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from config import clock
from notifications.models import Notification
from notifications.services import preference_set, run_reminders
from reporting import services
from reporting.models import MonthStatus, StaffCostReport, TimesheetMonth
from tests.accounts.factories import CitySupervisorFactory
from tests.reporting.factories import build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

MARCH = date(2017, 3, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    world = build_time_world()
    rate(world, world.officer, 2017, "52000")
    record(world, world.officer, date(2017, 3, 6), 8, description="Needs workshop")
    return world


def march(world) -> TimesheetMonth:
    return TimesheetMonth.objects.get(person=world.officer, month=MARCH)


def _to(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def _told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def signed(world) -> TimesheetMonth:
    services.month_submit(march(world), by=fresh(world.officer))
    return march(world)


# The steps ------------------------------------------------------------------------------------


def test_signing_tells_the_supervisors_who_may_approve_it(
    world, django_capture_on_commit_callbacks
):
    second = CitySupervisorFactory(city=world.city, user__full_name="Sid Second").user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sheet = signed(world)
    assert _to(mail.outbox) == sorted([world.supervisor.email, second.email])
    message = mail.outbox[0]
    assert message.subject.startswith(f"[{world.programme.name}] ")
    assert "Olga Officer signed their timesheet of March 2017 for Ghent" in message.subject
    assert f"/months/{sheet.pk}/" in message.body
    assert _told("reporting.month_signed") == sorted([world.supervisor.email, second.email])


def test_a_supervisor_signing_their_own_month_is_not_asked_to_approve_it(
    world, django_capture_on_commit_callbacks
):
    """The person may also supervise the city: they may not approve their own month."""
    CitySupervisorFactory(city=world.city, user=world.officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed(world)
    assert _to(mail.outbox) == [world.supervisor.email]


def test_an_approval_tells_the_person_and_not_the_supervisor(
    world, django_capture_on_commit_callbacks
):
    sheet = signed(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.month_approve(sheet, by=fresh(world.supervisor))
    assert _to(mail.outbox) == [world.officer.email]
    assert "Sara Supervisor approved your timesheet of March 2017" in mail.outbox[0].subject
    assert _told("reporting.month_approved") == [world.officer.email]


def test_a_return_tells_the_person_with_the_supervisors_comment(
    world, django_capture_on_commit_callbacks
):
    sheet = signed(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.month_return(sheet, by=fresh(world.supervisor), comment="The 6th was a holiday.")
    assert _to(mail.outbox) == [world.officer.email]
    assert "returned your timesheet of March 2017" in mail.outbox[0].subject
    assert "The 6th was a holiday." in mail.outbox[0].body
    notification = Notification.objects.get(kind="reporting.month_returned")
    assert notification.params["comment"] == "The 6th was a holiday."


def test_a_reopening_tells_the_person_with_the_reason(world, django_capture_on_commit_callbacks):
    sheet = signed(world)
    services.month_approve(sheet, by=fresh(world.supervisor))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.month_reopen(sheet, by=fresh(world.coordinator), reason="Wrong city charged.")
    assert _to(mail.outbox) == [world.officer.email]
    assert "Cora Coord reopened your timesheet of March 2017" in mail.outbox[0].subject
    assert "Wrong city charged." in mail.outbox[0].body


def test_each_step_tells_each_person_once(world, django_capture_on_commit_callbacks):
    """Signed, returned, signed again: two events for the supervisor, each told once."""
    with django_capture_on_commit_callbacks(execute=True):
        sheet = signed(world)
        services.month_return(sheet, by=fresh(world.supervisor), comment="Add the 7th.")
        services.month_submit(march(world), by=fresh(world.officer))
    assert _told("reporting.month_signed") == [world.supervisor.email] * 2
    assert _told("reporting.month_returned") == [world.officer.email]
    assert Notification.objects.filter(recipient=world.officer).count() == 1
    assert len(mail.outbox) == 3


def test_the_email_is_in_the_recipients_language(world, django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.supervisor.pk).update(language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed(world)
    (message,) = mail.outbox
    # The new sentences are not translated yet; the month in them is shown in French.
    assert "mars 2017" in message.subject
    assert "March" not in message.subject


def _sign_then_fail(world) -> None:
    with transaction.atomic():
        signed(world)
        raise RuntimeError("something later failed")


def test_nothing_is_told_when_the_step_rolls_back(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _sign_then_fail(world)
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert march(world).status == MonthStatus.OPEN


def test_a_person_who_chose_the_portal_gets_no_email_but_the_notification(
    world, django_capture_on_commit_callbacks
):
    preference_set(user=world.supervisor, kind="reporting.month_signed", delivery="portal")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed(world)
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=world.supervisor)
    assert notification.kind == "reporting.month_signed"
    assert notification.link == march(world).get_absolute_url()


# Reminders ------------------------------------------------------------------------------------


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_an_unsigned_month_is_reminded_once_from_the_programmes_day(
    world, django_capture_on_commit_callbacks
):
    """The programme's day 5 of April, in Ghent (Brussels time, two hours ahead of UTC)."""
    assert world.programme.remind_unsigned_day == 5
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders(at(2017, 4, 4, 21, 30))  # 23:30 on the 4th in Ghent
    assert _told("reporting.remind_unsigned") == []

    with django_capture_on_commit_callbacks(execute=True):
        assert run_reminders(at(2017, 4, 4, 22, 30)) == 1  # 00:30 on the 5th in Ghent
        assert run_reminders(at(2017, 4, 4, 22, 30)) == 0
        assert run_reminders(at(2017, 4, 20, 8)) == 0
    assert _told("reporting.remind_unsigned") == [world.officer.email]
    assert _to(mail.outbox) == [world.officer.email]
    assert "March 2017 for Ghent is not signed yet" in mail.outbox[0].subject
    assert f"/months/{march(world).pk}/" in mail.outbox[0].body


def test_a_run_that_finds_every_month_reminded_costs_the_same_queries_for_more_months(world):
    """Beat runs the reminders every hour: once a month is reminded, later runs skip it in one
    query a batch, not one a month. Pinned at one month and at four."""

    def queries_of_a_second_run(months: int) -> int:
        for month in range(1, months):
            record(world, world.other_officer, date(2017, month, 3), 4)
        run_reminders(at(2017, 4, 6, 8))
        with CaptureQueriesContext(connection) as queries:
            assert run_reminders(at(2017, 4, 6, 9)) == 0
        return len(queries)

    one = queries_of_a_second_run(1)
    assert queries_of_a_second_run(4) == one
    assert len(_told("reporting.remind_unsigned")) == 4  # Olga's March, three months in Gdańsk


def test_signed_and_approved_months_are_not_reminded(world):
    sheet = signed(world)
    assert run_reminders(at(2017, 4, 6, 8)) == 0
    services.month_approve(sheet, by=fresh(world.supervisor))
    assert run_reminders(at(2017, 4, 6, 8)) == 0
    assert not Notification.objects.filter(kind="reporting.remind_unsigned").exists()


def test_a_returned_month_is_reminded(world):
    with clock.fixed_at(at(2017, 3, 31, 12)):
        sheet = signed(world)
    services.month_return(sheet, by=fresh(world.supervisor), comment="Add the 7th.")
    run_reminders(at(2017, 4, 6, 8))
    assert _told("reporting.remind_unsigned") == [world.officer.email]


@pytest.mark.parametrize(("day", "told_on_the_6th", "told_on_the_20th"), [(10, 0, 1), (0, 0, 0)])
def test_the_unsigned_reminder_follows_the_programmes_day(
    world, day, told_on_the_6th, told_on_the_20th
):
    world.programme.remind_unsigned_day = day
    world.programme.save(update_fields=["remind_unsigned_day"])
    run_reminders(at(2017, 4, 6, 8))
    assert len(_told("reporting.remind_unsigned")) == told_on_the_6th
    run_reminders(at(2017, 4, 20, 8))
    assert len(_told("reporting.remind_unsigned")) == told_on_the_20th


def test_a_waiting_month_reminds_the_supervisors_then_the_coordinators(
    world, django_capture_on_commit_callbacks
):
    assert world.programme.remind_approval_after_days == 5
    with clock.fixed_at(at(2017, 4, 2, 22, 30)):  # 00:30 on the 3rd in Ghent
        signed(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders(at(2017, 4, 7, 21, 30))  # four days, 23 hours
        assert _told("reporting.remind_approval") == []
        assert run_reminders(at(2017, 4, 7, 22, 30)) == 1
        assert run_reminders(at(2017, 4, 7, 22, 30)) == 0
        assert _told("reporting.remind_approval") == [world.supervisor.email]
        assert _told("reporting.approval_overdue") == []
        run_reminders(at(2017, 4, 13, 9))
        run_reminders(at(2017, 4, 13, 9))
        run_reminders(at(2017, 4, 30, 9))
    assert _told("reporting.remind_approval") == [world.supervisor.email]
    assert _told("reporting.approval_overdue") == [world.coordinator.email]
    assert _to(mail.outbox) == sorted([world.supervisor.email, world.coordinator.email])
    for message in mail.outbox:
        assert "Olga Officer's timesheet of March 2017 for Ghent has waited" in message.subject
        assert "since April 3, 2017." in message.subject


def test_a_month_signed_again_waits_anew(world):
    with clock.fixed_at(at(2017, 4, 3, 9)):
        sheet = signed(world)
    run_reminders(at(2017, 4, 8, 9))
    services.month_return(sheet, by=fresh(world.supervisor), comment="Add the 7th.")
    with clock.fixed_at(at(2017, 4, 9, 9)):
        services.month_submit(march(world), by=fresh(world.officer))
    run_reminders(at(2017, 4, 10, 9))
    assert _told("reporting.remind_approval") == [world.supervisor.email]
    run_reminders(at(2017, 4, 14, 9))
    assert _told("reporting.remind_approval") == [world.supervisor.email] * 2


def test_no_approval_reminders_when_the_programme_sets_zero(world):
    world.programme.remind_approval_after_days = 0
    world.programme.save(update_fields=["remind_approval_after_days"])
    with clock.fixed_at(at(2017, 4, 3, 9)):
        signed(world)
    run_reminders(at(2017, 12, 31, 9))
    assert _told("reporting.remind_approval") == []
    assert _told("reporting.approval_overdue") == []


def test_the_approval_reminder_follows_the_programmes_days(world):
    world.programme.remind_approval_after_days = 2
    world.programme.save(update_fields=["remind_approval_after_days"])
    with clock.fixed_at(at(2017, 4, 3, 9)):
        signed(world)
    run_reminders(at(2017, 4, 5, 9))
    assert _told("reporting.remind_approval") == [world.supervisor.email]
    assert _told("reporting.approval_overdue") == []
    run_reminders(at(2017, 4, 7, 9))
    assert _told("reporting.approval_overdue") == [world.coordinator.email]


# Staff-cost reports ---------------------------------------------------------------------------


def request_report(world, django_capture_on_commit_callbacks) -> StaffCostReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            programme=world.programme,
            city=world.city,
            first_month=date(2017, 1, 1),
            last_month=date(2017, 12, 1),
            by=fresh(world.supervisor),
        )
    report.refresh_from_db()
    return report


def test_a_ready_report_tells_the_person_who_asked(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    report = request_report(world, django_capture_on_commit_callbacks)
    assert report.status == "done"
    assert _to(mail.outbox) == [world.supervisor.email]
    message = mail.outbox[0]
    assert "Your staff-cost report for Ghent, January 2017 to December 2017, is ready" in (
        message.subject
    )
    assert report.get_absolute_url() in message.body
    assert _told("reporting.report_ready") == [world.supervisor.email]


def test_a_failed_report_tells_the_person_who_asked_why(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the PDF renderer is out of paper")

    monkeypatch.setattr("reporting.reports.render_pdf", broken)
    mail.outbox.clear()
    report = request_report(world, django_capture_on_commit_callbacks)
    assert report.status == "failed"
    assert _to(mail.outbox) == [world.supervisor.email]
    assert "could not be built" in mail.outbox[0].subject
    assert "the PDF renderer is out of paper" in mail.outbox[0].body
    assert report.get_absolute_url() in mail.outbox[0].body

    # Tried again, it is ready: that is news too, told once.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report, by=fresh(world.supervisor))
    assert _told("reporting.report_failed") == [world.supervisor.email]
    assert _told("reporting.report_ready") == [world.supervisor.email]


def test_reminders_of_months_ignore_other_moments(world):
    """A month of the future is never due."""
    assert run_reminders(at(2017, 3, 20, 8)) == 0
    assert run_reminders(at(2017, 3, 20, 8) - timedelta(days=30)) == 0
