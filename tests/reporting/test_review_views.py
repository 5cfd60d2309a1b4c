"""The month page with its signatures and the approval queue, through HTTP: every page and POST
on its happy path and its error path (400 with the message, never 500), 405 on GET of the
POST-only endpoints, and query counts that do not grow with the rows."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import services
from reporting.models import MonthStatus, TimesheetAction, TimesheetMonth
from tests.accounts.factories import CityOfficerFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

MARCH = date(2017, 3, 1)
APRIL = date(2017, 4, 1)


@pytest.fixture
def world():
    return build_time_world()


def sheet_of(world, person, month=MARCH) -> TimesheetMonth:
    city = world.other_city if person == world.other_officer else world.city
    return TimesheetMonth.objects.get(
        person=person, programme=world.programme, city=city, month=month
    )


def march(world, person=None) -> TimesheetMonth:
    """Two days of March: 6 hours of action planning with a note, 2.5 hours of visit."""
    person = person or world.officer
    record(world, person, MARCH, 6, description="Drafted the action plan")
    record(world, person, MARCH + timedelta(days=1), "2.5", activity="visit")
    return sheet_of(world, person)


def submit(world, sheet) -> TimesheetMonth:
    services.month_submit(sheet, by=fresh(sheet.person))
    sheet.refresh_from_db()
    return sheet


def page(client, user, url, status=200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def text(html: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r" ([:.,;])", r"\1", words)


# The month page ---------------------------------------------------------------------------------


def test_the_person_reads_their_month_with_totals_and_can_sign(client, world):
    sheet = march(world)
    html = page(client, world.officer, sheet.get_absolute_url())
    words = text(html)
    assert "Timesheet of Olga Officer, March 2017" in words
    for fact in ("Ghent", world.programme.name, "Open"):
        assert fact in words
    assert "Drafted the action plan" in words
    assert "Action planning 6" in words
    assert "Study or mentoring visit 2.5" in words
    assert words.count("Month total 8.5") == 2  # Day-by-day table and totals by activity.
    assert "Not signed by the person yet." in words
    assert reverse("reporting:month_submit", args=[sheet.pk]) in html
    assert reverse("reporting:month_approve", args=[sheet.pk]) not in html
    assert reverse("reporting:month_reopen", args=[sheet.pk]) not in html


def test_the_person_is_sent_to_the_grid_of_the_month(client, world):
    sheet = march(world)
    grid = reverse(
        "reporting:grid", kwargs={"programme": world.programme.slug, "year": 2017, "month": 3}
    )
    assert grid in page(client, world.officer, sheet.get_absolute_url())
    assert grid not in page(client, world.supervisor, sheet.get_absolute_url())


def test_the_supervisor_sees_approve_and_return_on_a_submitted_month(client, world):
    sheet = submit(world, march(world))
    html = page(client, world.supervisor, sheet.get_absolute_url())
    assert reverse("reporting:month_approve", args=[sheet.pk]) in html
    assert reverse("reporting:month_return", args=[sheet.pk]) in html
    assert reverse("reporting:month_submit", args=[sheet.pk]) not in html
    assert "Signed by Olga Officer on" in text(html)
    # The person sees the month without the supervisor's buttons.
    html = page(client, world.officer, sheet.get_absolute_url())
    assert reverse("reporting:month_approve", args=[sheet.pk]) not in html
    assert reverse("reporting:month_submit", args=[sheet.pk]) not in html


def test_an_approved_month_shows_both_signatures_the_stored_rate_and_the_cost(client, world):
    march(world)
    rate(world, world.officer, 2017, "41280")
    sheet = approved_month(world, world.officer, MARCH)
    for user in (world.officer, world.supervisor, world.coordinator):
        words = text(page(client, user, sheet.get_absolute_url()))
        assert "Signed by Olga Officer on" in words
        assert "Approved by Sara Supervisor on" in words
        assert "Hourly rate 24.0000 EUR" in words
        assert "Cost €204.00" in words  # 8.5 hours × €24
        assert "Annual personnel costs €41,280.00" in words
    html = page(client, world.coordinator, sheet.get_absolute_url())
    assert reverse("reporting:month_reopen", args=[sheet.pk]) in html
    html = page(client, world.supervisor, sheet.get_absolute_url())
    assert reverse("reporting:month_reopen", args=[sheet.pk]) not in html


def test_an_open_month_shows_no_rate(client, world):
    sheet = march(world)
    rate(world, world.officer, 2017, "41280")
    words = text(page(client, world.coordinator, sheet.get_absolute_url()))
    assert "24.0000" not in words
    assert "41,280" not in words


def test_the_history_lists_every_signature_with_its_comment(client, world):
    sheet = submit(world, march(world))
    services.month_return(sheet, by=fresh(world.supervisor), comment="Split the visit day.")
    words = text(page(client, world.coordinator, sheet.get_absolute_url()))
    assert "Signed and submitted Olga Officer" in words
    assert "Returned for changes Sara Supervisor Split the visit day." in words


def test_the_person_sees_the_return_comment_prominently(client, world):
    sheet = submit(world, march(world))
    services.month_return(sheet, by=fresh(world.supervisor), comment="Split the visit day.")
    html = page(client, world.officer, sheet.get_absolute_url())
    notice = html[html.index('class="notice notice-returned"') :]
    notice = notice[: notice.index("</section>")]
    assert "Split the visit day." in notice
    assert "Your supervisor returned this timesheet." in notice
    # And may sign again.
    assert reverse("reporting:month_submit", args=[sheet.pk]) in html


@pytest.mark.parametrize("who", ["colleague", "other_officer", "other_supervisor"])
def test_the_month_page_is_not_found_outside_the_scope(client, world, who):
    sheet = march(world)
    page(client, getattr(world, who), sheet.get_absolute_url(), status=404)


def test_month_page_answers_404_for_a_month_that_does_not_exist(client, world):
    page(client, world.officer, reverse("reporting:month", args=[999999]), status=404)


# Signatures through POST ------------------------------------------------------------------------


def post(client, user, name, sheet, data=None):
    client.force_login(user)
    return client.post(reverse(f"reporting:{name}", args=[sheet.pk]), data or {})


def test_submit_signs_the_month_and_logs_the_address(client, world):
    sheet = march(world)
    response = post(client, world.officer, "month_submit", sheet)
    assert response.status_code == 302
    assert response.url == sheet.get_absolute_url()
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.SUBMITTED
    log = sheet.log.get()
    assert (log.action, log.actor_id, log.ip_address) == (
        TimesheetAction.SUBMITTED,
        world.officer.pk,
        "127.0.0.1",
    )
    words = text(client.get(response.url).content.decode())
    assert "You signed your timesheet of March 2017" in words


def test_submitting_an_empty_month_answers_400_with_the_message(client, world):
    sheet = services.timesheet_for(
        person=world.officer, programme=world.programme, city=world.city, month=MARCH
    )
    response = post(client, world.officer, "month_submit", sheet)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no time recorded in this month to sign." in html
    assert 'role="alert"' in html
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.OPEN


def test_submitting_twice_answers_400(client, world):
    sheet = submit(world, march(world))
    response = post(client, world.officer, "month_submit", sheet)
    assert response.status_code == 400
    assert "is submitted for approval; it cannot change unless it is returned." in text(
        response.content.decode()
    )
    assert sheet.log.count() == 1


def test_approve_stores_the_rate(client, world):
    sheet = submit(world, march(world))
    rate(world, world.officer, 2017, "41280")
    response = post(client, world.supervisor, "month_approve", sheet)
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.APPROVED
    assert sheet.approved_by_id == world.supervisor.pk
    assert sheet.log.get(action=TimesheetAction.APPROVED).ip_address == "127.0.0.1"


def test_approve_without_a_rate_answers_400_with_the_reason(client, world):
    sheet = submit(world, march(world))
    response = post(client, world.supervisor, "month_approve", sheet)
    assert response.status_code == 400
    assert "Olga Officer has no annual personnel costs for 2017 yet" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.SUBMITTED


def test_return_without_a_comment_shows_the_message_on_the_field(client, world):
    sheet = submit(world, march(world))
    response = post(client, world.supervisor, "month_return", sheet, {"comment": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        r'<ul class="errorlist" id="id_comment_error"><li>Say what should change.</li></ul>', html
    )
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*name="comment"', html) or re.search(
        r'<textarea[^>]*name="comment"[^>]*aria-invalid="true"', html
    )
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.SUBMITTED


def test_return_with_a_comment_sends_the_month_back(client, world):
    sheet = submit(world, march(world))
    response = post(client, world.supervisor, "month_return", sheet, {"comment": "Split it."})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.return_comment) == (MonthStatus.RETURNED, "Split it.")


def test_return_of_an_open_month_answers_400(client, world):
    sheet = march(world)
    response = post(client, world.supervisor, "month_return", sheet, {"comment": "Hm."})
    assert response.status_code == 400
    assert "Only a submitted timesheet can be returned." in response.content.decode()


def test_reopen_without_a_reason_answers_400_on_the_field(client, world):
    march(world)
    rate(world, world.officer, 2017, "41280")
    sheet = approved_month(world, world.officer, MARCH)
    response = post(client, world.coordinator, "month_reopen", sheet, {"reason": ""})
    assert response.status_code == 400
    assert re.search(
        r'id="id_reason_error"><li>Give the reason for reopening the month.</li>',
        response.content.decode(),
    )
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.APPROVED


def test_reopen_with_a_reason_opens_the_month(client, world):
    march(world)
    rate(world, world.officer, 2017, "41280")
    sheet = approved_month(world, world.officer, MARCH)
    response = post(client, world.coordinator, "month_reopen", sheet, {"reason": "Wrong day."})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.OPEN
    log = sheet.log.get(action=TimesheetAction.REOPENED)
    assert (log.comment, log.ip_address) == ("Wrong day.", "127.0.0.1")


def test_reopen_of_a_month_that_is_not_approved_answers_400(client, world):
    sheet = submit(world, march(world))
    response = post(client, world.coordinator, "month_reopen", sheet, {"reason": "Why not."})
    assert response.status_code == 400
    assert "Only an approved month can be reopened." in response.content.decode()


def test_a_comment_too_long_is_a_field_error_not_a_500(client, world):
    sheet = submit(world, march(world))
    response = post(client, world.supervisor, "month_return", sheet, {"comment": "x" * 2001})
    assert response.status_code == 400
    assert 'id="id_comment_error"' in response.content.decode()


@pytest.mark.parametrize("name", ["month_submit", "month_approve", "month_return", "month_reopen"])
def test_post_only_endpoints_answer_405_to_get(client, world, name):
    sheet = march(world)
    client.force_login(world.officer)
    assert client.get(reverse(f"reporting:{name}", args=[sheet.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("month_submit", "supervisor"),
        ("month_submit", "coordinator"),
        ("month_approve", "officer"),
        ("month_approve", "coordinator"),
        ("month_return", "coordinator"),
        ("month_reopen", "supervisor"),
        ("month_reopen", "officer"),
    ],
)
def test_visible_but_not_allowed_answers_403(client, world, name, who):
    sheet = submit(world, march(world))
    response = post(client, getattr(world, who), name, sheet, {"comment": "x", "reason": "x"})
    assert response.status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.SUBMITTED


def test_month_page_query_count_does_not_grow_with_entries(client, world):
    march(world)
    rate(world, world.officer, 2017, "41280")
    sheet = approved_month(world, world.officer, MARCH)
    services.month_reopen(sheet, by=fresh(world.coordinator), reason="More days.")
    client.force_login(world.supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(sheet.get_absolute_url()).status_code == 200
        return len(captured)

    small = count()
    for index in range(2, 14):
        record(world, world.officer, MARCH + timedelta(days=index), 4, description=f"Day {index}")
        record(world, world.officer, MARCH + timedelta(days=index), 2, activity="travel")
    services.month_submit(sheet, by=fresh(world.officer))
    services.month_return(sheet, by=fresh(world.supervisor), comment="Once more.")
    assert count() == small


# The approval queue -----------------------------------------------------------------------------


def test_the_queue_lists_submitted_months_of_the_city_grouped_by_month(client, world):
    submit(world, march(world))
    submit(world, march(world, world.colleague))
    record(world, world.officer, APRIL, 3)
    submit(world, sheet_of(world, world.officer, APRIL))
    submit(world, march(world, world.other_officer))  # Another city: not in this queue.
    rate(world, world.officer, 2017, "41280")
    html = page(client, world.supervisor, reverse("reporting:approvals"))
    words = text(html)
    assert words.index("March 2017") < words.index("April 2017")
    assert "Olga Officer" in words
    assert "Carl Colleague" in words
    assert "Ola Other" not in words
    assert html.count('name="months"') == 3
    # Carl has no rate yet: the row says so before anyone tries.
    assert words.count("No rate for 2017 yet") == 1
    assert "Approve selected" in words


def test_the_queue_filters_by_programme_month_and_person(client, world):
    submit(world, march(world))
    submit(world, march(world, world.colleague))
    record(world, world.officer, APRIL, 3)
    submit(world, sheet_of(world, world.officer, APRIL))
    url = reverse("reporting:approvals")
    html = page(client, world.supervisor, f"{url}?month=2017-04")
    assert html.count('name="months"') == 1
    html = page(client, world.supervisor, f"{url}?person={world.colleague.pk}")
    assert html.count('name="months"') == 1
    assert "Carl Colleague" in text(html)
    html = page(client, world.supervisor, f"{url}?programme={world.programme.slug}")
    assert html.count('name="months"') == 3
    # A bad filter is a 400 with the message, not a 500; the queue still shows, unfiltered.
    client.force_login(world.supervisor)
    response = client.get(f"{url}?month=soon")
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert response.content.decode().count('name="months"') == 3


def test_bulk_approval_reports_what_was_approved_and_what_was_refused(client, world):
    olga = submit(world, march(world))
    carl = submit(world, march(world, world.colleague))
    rate(world, world.officer, 2017, "41280")
    client.force_login(world.supervisor)
    response = client.post(reverse("reporting:approvals"), {"months": [olga.pk, carl.pk]})
    assert response.status_code == 200
    words = text(response.content.decode())
    assert "1 timesheet approved" in words
    assert "Olga Officer, March 2017" in words
    assert "1 timesheet not approved" in words
    assert (
        "Carl Colleague, March 2017, " + world.programme.name + ": Carl Colleague has no annual "
        "personnel costs for 2017 yet; enter them under Rates first."
    ) in words
    olga.refresh_from_db()
    carl.refresh_from_db()
    assert (olga.status, carl.status) == (MonthStatus.APPROVED, MonthStatus.SUBMITTED)
    assert olga.log.get(action=TimesheetAction.APPROVED).ip_address == "127.0.0.1"
    # Carl stays in the queue; Olga has left it.
    assert response.content.decode().count('name="months"') == 1


def test_bulk_approval_refuses_the_supervisors_own_month_with_the_reason(client, world):
    CityOfficerFactory(user=world.supervisor, city=world.city)
    own = submit(world, march(world, world.supervisor))
    rate(world, world.supervisor, 2017, "60200")
    client.force_login(world.supervisor)
    response = client.post(reverse("reporting:approvals"), {"months": [own.pk]})
    assert response.status_code == 200
    assert "Only a supervisor of Ghent can approve this timesheet." in response.content.decode()
    own.refresh_from_db()
    assert own.status == MonthStatus.SUBMITTED


def test_bulk_approval_without_a_choice_answers_400(client, world):
    submit(world, march(world))
    client.force_login(world.supervisor)
    response = client.post(reverse("reporting:approvals"), {})
    assert response.status_code == 400
    assert "Tick at least one timesheet to approve." in response.content.decode()


@pytest.mark.parametrize("bad", ["other_city", "nonsense", "missing"])
def test_bulk_approval_of_a_month_outside_the_scope_answers_400_and_changes_nothing(
    client, world, bad
):
    olga = submit(world, march(world))
    other = submit(world, march(world, world.other_officer))
    rate(world, world.officer, 2017, "41280")
    rate(world, world.other_officer, 2017, "41280", city=world.other_city)
    value = {"other_city": other.pk, "nonsense": "abc", "missing": 999999}[bad]
    client.force_login(world.supervisor)
    response = client.post(reverse("reporting:approvals"), {"months": [olga.pk, value]})
    assert response.status_code == 400
    assert "One of the ticked timesheets is no longer available." in response.content.decode()
    assert not TimesheetMonth.objects.filter(status=MonthStatus.APPROVED).exists()


@pytest.mark.parametrize(
    "who", ["officer", "colleague", "coordinator", "other_officer", "outsider_coordinator"]
)
def test_the_queue_is_for_supervisors_only(client, world, who):
    page(client, getattr(world, who), reverse("reporting:approvals"), status=403)


def test_the_queue_query_count_does_not_grow(client, world):
    client.force_login(world.supervisor)
    url = reverse("reporting:approvals")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    submit(world, march(world))
    small = count()
    submit(world, march(world, world.colleague))
    for month in (APRIL, date(2017, 5, 1), date(2017, 6, 1)):
        for person in (world.officer, world.colleague):
            record(world, person, month, 3)
            submit(world, sheet_of(world, person, month))
    rate(world, world.officer, 2017, "41280")
    assert count() == small


@pytest.mark.parametrize(
    "url", [reverse("reporting:approvals"), reverse("reporting:rate_create"), "/time/rates/"]
)
def test_other_methods_are_not_allowed(client, world, url):
    client.force_login(world.supervisor)
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
