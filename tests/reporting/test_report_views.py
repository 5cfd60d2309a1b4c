"""Staff-cost report pages: the request form's checks, the live status, downloads of the stored
files, retries, who may see what on every URL, and query counts that do not grow."""

import hashlib
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import now
from kombu.exceptions import OperationalError

from documents.models import JobStatus
from reporting import services
from reporting.models import StaffCostReport
from reporting.reports import report_filename
from reporting.tasks import build_staff_cost_report
from tests.accounts.factories import PASSWORD, CoordinatorFactory, ExpertFactory, PartnerFactory
from tests.browser import page, sign_in  # noqa: F401
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

REPORTS = reverse("reporting:reports")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    world = build_time_world(funder="AMIF")
    rate(world, world.officer, 2017, "52000")
    record(world, world.officer, date(2017, 1, 2), 8, description="Needs analysis workshop")
    record(world, world.officer, date(2017, 1, 3), 6)
    approved_month(world, world.officer, date(2017, 1, 1))
    return world


def ask(world, captured, *, by=None, city="ghent", build=True, **kw) -> StaffCostReport:
    """A report requested through the service; built at once unless build=False (then it stays
    queued, as when the job queue could not be reached)."""
    city = {"ghent": world.city, "gdansk": world.other_city, None: None}[city]
    with captured(execute=build):
        report = services.report_request(
            programme=world.programme,
            city=city,
            first_month=kw.get("first_month", date(2017, 1, 1)),
            last_month=kw.get("last_month", date(2017, 3, 1)),
            by=fresh(by or world.coordinator),
        )
    report.refresh_from_db()
    return report


def form_data(world, **changes) -> dict:
    data = {
        "programme": world.programme.pk,
        "city": world.city.pk,
        "first_month": "2017-01",
        "last_month": "2017-06",
        "language": "en",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Asking for a report ---------------------------------------------------------------------------


def test_the_form_offers_the_programme_period_by_default(client, world):
    client.force_login(world.coordinator)
    response = client.get(REPORTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="month" name="first_month" value="2016-10"' in html
    assert 'type="month" name="last_month" value="2018-09"' in html
    assert "All cities of the programme" in html


def test_a_coordinator_asks_for_a_report_and_lands_on_its_page(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REPORTS, form_data(world, city="", language="de"))
    report = StaffCostReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reporting:report", args=[report.pk])
    assert report.city is None
    assert (report.first_month, report.last_month) == (date(2017, 1, 1), date(2017, 6, 1))
    assert report.language == "de"
    assert report.requested_by == world.coordinator
    assert report.status == JobStatus.DONE


def test_empty_months_mean_the_whole_programme(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.supervisor)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(REPORTS, form_data(world, first_month="", last_month=""))
    assert response.status_code == 302
    report = StaffCostReport.objects.get()
    assert (report.first_month, report.last_month) == (date(2016, 10, 1), date(2018, 9, 1))
    assert report.city == world.city


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_month": "2017-13"}, "first_month", "Enter a month as year and month"),
        ({"first_month": "January"}, "first_month", "Enter a month as year and month"),
        ({"last_month": "2017-1-1"}, "last_month", "Enter a month as year and month"),
        ({"first_month": "2017-06", "last_month": "2017-02"}, "last_month", "must end after"),
        ({"first_month": "2015-01"}, "first_month", "runs from October 2016 to September 2018"),
        ({"last_month": "2019-01"}, "last_month", "runs from October 2016 to September 2018"),
        ({"language": "xx"}, "language", "Select a valid choice"),
        ({"programme": "999999"}, "programme", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_message_on_its_field(client, world, changes, field, message):
    client.force_login(world.coordinator)
    response = client.post(REPORTS, form_data(world, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert any(message in error for error in errors[field])
    assert message in response.content.decode()
    assert not StaffCostReport.objects.exists()


def test_a_city_outside_the_programme_is_refused(client, world):
    other_programme = ProgrammeFactory()
    stranger = CityFactory(name="Utrecht")
    ParticipationFactory(programme=other_programme, city=stranger)
    CoordinatorFactory(user=world.coordinator, programme=other_programme)
    client.force_login(world.coordinator)
    response = client.post(REPORTS, form_data(world, city=stranger.pk))
    assert response.status_code == 400
    assert "Utrecht does not take part in" in response.context["form"].errors["city"][0]
    assert not StaffCostReport.objects.exists()


def test_a_supervisor_asks_for_their_own_city_only(client, world):
    client.force_login(world.supervisor)
    other = client.post(REPORTS, form_data(world, city=world.other_city.pk))
    assert other.status_code == 400
    assert "Select a valid choice" in other.context["form"].errors["city"][0]
    every = client.post(REPORTS, form_data(world, city=""))
    assert every.status_code == 400
    assert "city" in every.context["form"].errors
    assert not StaffCostReport.objects.exists()
    html = client.get(REPORTS).content.decode()
    assert "Gdańsk" not in html, "other cities are not even offered"
    assert "All cities of the programme" not in html


def test_a_supervisor_who_also_coordinates_elsewhere_cannot_ask_for_all_cities_here(client, world):
    CoordinatorFactory(user=world.supervisor)  # of another programme
    client.force_login(world.supervisor)
    response = client.post(REPORTS, form_data(world, city=""))
    assert response.status_code == 400
    assert "Only coordinators ask for every city" in response.context["form"].errors["city"][0]


@pytest.mark.parametrize("who", ["officer", "expert", "partner", "outsider_partner"])
def test_people_who_may_not_ask_for_reports_get_403(client, world, who):
    user = {
        "officer": lambda: world.officer,
        "expert": lambda: ExpertFactory().user,
        "partner": lambda: PartnerFactory(programme=world.programme).user,
        "outsider_partner": lambda: PartnerFactory().user,
    }[who]()
    client.force_login(user)
    assert client.get(REPORTS).status_code == 403
    assert client.post(REPORTS, form_data(world)).status_code == 403
    assert not StaffCostReport.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, world, django_capture_on_commit_callbacks):
    report = ask(world, django_capture_on_commit_callbacks, build=False)
    for url in [REPORTS, reverse("reporting:report", args=[report.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


# Following, downloading, retrying ------------------------------------------------------------


def test_status_json_follows_the_job(client, world, django_capture_on_commit_callbacks):
    report = ask(world, django_capture_on_commit_callbacks, build=False)
    client.force_login(world.supervisor)
    url = reverse("reporting:report_status", args=[report.pk])
    waiting = client.get(url)
    assert waiting.status_code == 200
    assert waiting["Content-Type"] == "application/json"
    assert "no-cache" in waiting["Cache-Control"]
    assert waiting.json() == {
        "status": "queued",
        "status_label": "Waiting to start",
        "progress": 0,
        "note": "",
        "error": "",
        "finished": False,
        "interrupted": False,
        "waiting_for_queue": True,
    }
    StaffCostReport.objects.filter(pk=report.pk).update(
        status="running",
        progress=42,
        progress_note="Timesheets: 1 of 2 people",
        heartbeat_at=now(),
    )
    running = client.get(url).json()
    assert (running["status"], running["progress"], running["finished"]) == ("running", 42, False)
    assert running["note"] == "Timesheets: 1 of 2 people"
    assert running["waiting_for_queue"] is False


def test_a_waiting_report_says_the_queue_is_not_reachable(
    client, world, django_capture_on_commit_callbacks
):
    report = ask(world, django_capture_on_commit_callbacks, build=False)
    client.force_login(world.coordinator)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'data-job-field="waiting">The job queue cannot be reached at the moment' in html
    assert 'aria-live="polite"' in html
    assert '<progress id="job-progress-bar" max="100" value="0"' in html
    assert f'data-job-status-url="{reverse("reporting:report_status", args=[report.pk])}"' in html
    assert ">Refresh</a>" in html
    assert "js/job-status.js" in html
    assert "<script>" not in html, "no inline script"


def test_a_done_report_shows_its_files_with_size_and_checksum(
    client, world, django_capture_on_commit_callbacks
):
    report = ask(world, django_capture_on_commit_callbacks)
    client.force_login(world.supervisor)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'data-job-field="waiting" hidden>The job queue cannot be reached' in html
    assert ">Refresh</a>" not in html
    for fmt in ("pdf", "csv", "xlsx"):
        stored = getattr(report, fmt)
        assert reverse("reporting:report_download", args=[report.pk, fmt]) in html
        assert stored.sha256 in html
        assert stored.filename in html
    assert 'value="100"' in html


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_downloads_are_the_stored_files(
    client, world, django_capture_on_commit_callbacks, fmt, content_type
):
    report = ask(world, django_capture_on_commit_callbacks)
    stored = getattr(report, fmt)
    client.force_login(world.coordinator)
    response = client.get(reverse("reporting:report_download", args=[report.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    slug = world.programme.slug
    filename = f"staff-costs_{slug}_ghent_2017-01_2017-03.{fmt}"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == stored.sha256 == response["X-Content-SHA256"]


def test_downloads_of_unknown_formats_or_unfinished_reports_are_404(
    client, world, django_capture_on_commit_callbacks
):
    done = ask(world, django_capture_on_commit_callbacks)
    waiting = ask(world, django_capture_on_commit_callbacks, build=False)
    client.force_login(world.coordinator)
    assert client.get(f"{done.get_absolute_url()}docx/").status_code == 404
    assert client.get(f"{done.get_absolute_url()}PDF/").status_code == 404
    for fmt in ("pdf", "csv", "xlsx"):
        url = reverse("reporting:report_download", args=[waiting.pk, fmt])
        assert client.get(url).status_code == 404


def _failed_report(world, captured, monkeypatch) -> StaffCostReport:
    def broken(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr("reporting.reports.render_pdf", broken)
        report = ask(world, captured)
    assert report.status == JobStatus.FAILED
    return report


def test_a_failed_report_shows_the_error_and_a_retry_button_that_works(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    report = _failed_report(world, django_capture_on_commit_callbacks, monkeypatch)
    client.force_login(world.supervisor)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "disk full" in html
    retry = reverse("reporting:report_retry", args=[report.pk])
    assert f'action="{retry}"' in html
    assert client.get(retry).status_code == 405, "retrying changes data: POST only"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, follow=True)
    assert response.redirect_chain == [(report.get_absolute_url(), 302)]
    report.refresh_from_db()
    assert report.status == JobStatus.DONE
    assert report.attempts == 2
    assert "The report is being built again." in response.content.decode()


def test_only_a_failed_report_is_retried(client, world, django_capture_on_commit_callbacks):
    report = ask(world, django_capture_on_commit_callbacks)
    files = (report.pdf_id, report.csv_id, report.xlsx_id)
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report_retry", args=[report.pk]), follow=True)
    assert response.status_code == 200
    assert "Only a failed or interrupted report can be run again." in response.content.decode()
    report.refresh_from_db()
    assert report.status == JobStatus.DONE
    assert (report.pdf_id, report.csv_id, report.xlsx_id) == files
    assert report.attempts == 1


# Who sees what -------------------------------------------------------------------------------


def report_urls(report) -> list[tuple[str, str]]:
    return [
        ("get", reverse("reporting:report", args=[report.pk])),
        ("get", reverse("reporting:report_status", args=[report.pk])),
        ("post", reverse("reporting:report_retry", args=[report.pk])),
        *(
            ("get", reverse("reporting:report_download", args=[report.pk, fmt]))
            for fmt in ("pdf", "csv", "xlsx")
        ),
    ]


@pytest.mark.parametrize(
    "who", ["officer", "colleague", "other_supervisor", "other_officer", "outsider_coordinator"]
)
def test_nobody_outside_the_scope_can_tell_a_report_exists(
    client, world, django_capture_on_commit_callbacks, monkeypatch, who
):
    done = ask(world, django_capture_on_commit_callbacks)
    failed = _failed_report(world, django_capture_on_commit_callbacks, monkeypatch)
    client.force_login(getattr(world, who))
    for report in (done, failed):
        for method, url in report_urls(report):
            assert getattr(client, method)(url).status_code == 404, (who, url)
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED, "the refused retry changed nothing"
    missing = StaffCostReport(pk=done.pk + 1000)
    client.force_login(world.coordinator)
    for method, url in report_urls(missing):
        assert getattr(client, method)(url).status_code == 404


def test_supervisors_see_their_citys_reports_and_coordinators_all(
    client, world, django_capture_on_commit_callbacks
):
    ghent = ask(world, django_capture_on_commit_callbacks, build=False)
    gdansk = ask(world, django_capture_on_commit_callbacks, city="gdansk", build=False)
    everything = ask(world, django_capture_on_commit_callbacks, city=None, build=False)
    shown = {
        who: {report.pk for report, _files in client_get_rows(client, getattr(world, who))}
        for who in ("coordinator", "supervisor", "other_supervisor")
    }
    assert shown["coordinator"] == {ghent.pk, gdansk.pk, everything.pk}
    assert shown["supervisor"] == {ghent.pk}
    assert shown["other_supervisor"] == {gdansk.pk}
    client.force_login(world.supervisor)
    assert client.get(everything.get_absolute_url()).status_code == 404
    assert client.get(ghent.get_absolute_url()).status_code == 200


def client_get_rows(client, user):
    client.force_login(user)
    response = client.get(REPORTS)
    assert response.status_code == 200
    return response.context["rows"]


# Query counts ----------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(world, captured, count: int) -> None:
    """Reports of every kind: done with files, waiting, for one city and for all; each for a
    period of its own (an identical request would join the waiting one)."""
    start = StaffCostReport.objects.count()
    for index in range(count):
        ask(
            world,
            captured,
            build=index % 2 == 0,
            city=("ghent", "gdansk", None)[index % 3],
            last_month=date(2017, 1 + (start + index) % 12, 1),
        )


@pytest.mark.parametrize("who", ["coordinator", "supervisor"])
def test_the_list_query_count_does_not_grow_with_reports(
    client, world, django_capture_on_commit_callbacks, who
):
    client.force_login(getattr(world, who))
    grow(world, django_capture_on_commit_callbacks, 3)
    small = count_queries(client, REPORTS)
    grow(world, django_capture_on_commit_callbacks, 6)
    large = count_queries(client, REPORTS)
    assert large == small
    assert StaffCostReport.objects.filter(status="done").count() >= 5


def test_the_report_page_query_count_does_not_depend_on_the_report(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    waiting = ask(world, django_capture_on_commit_callbacks, build=False)
    done = ask(world, django_capture_on_commit_callbacks, city=None)
    assert count_queries(client, waiting.get_absolute_url()) == count_queries(
        client, done.get_absolute_url()
    )


def test_the_list_pages(client, world, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("reporting.views.reports.REPORTS_PER_PAGE", 2)
    for month in (2, 3, 4):
        ask(world, django_capture_on_commit_callbacks, build=False, last_month=date(2017, month, 1))
    client.force_login(world.coordinator)
    first = client.get(REPORTS)
    assert len(first.context["rows"]) == 2
    assert "page=2" in first.content.decode()
    assert len(client.get(REPORTS, {"page": "2"}).context["rows"]) == 1


# In a browser ----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_follows_the_job_live_and_shows_the_files_when_done(
    page,  # noqa: F811
    world,
    monkeypatch,
):
    def queue_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    # Redis is down when the report is asked for: it waits, and the page says so.
    monkeypatch.setattr(build_staff_cost_report, "delay", queue_down)
    report = services.report_request(
        programme=world.programme,
        city=world.city,
        first_month=date(2017, 1, 1),
        last_month=date(2017, 3, 1),
        by=fresh(world.coordinator),
    )
    report.refresh_from_db()
    assert (report.status, report.enqueued_at) == ("queued", None)
    sign_in(page, world.coordinator.email, PASSWORD)
    page.goto(report.get_absolute_url())
    status = page.get_by_role("status").filter(has_text="Progress")
    status.get_by_text("Waiting to start").wait_for()
    assert page.get_by_text("The job queue cannot be reached").is_visible()

    StaffCostReport.objects.filter(pk=report.pk).update(
        status="running", progress=40, progress_note="Timesheets: 1 of 1 people", enqueued_at=now()
    )
    status.get_by_text("Timesheets: 1 of 1 people").wait_for()
    bar = page.get_by_role("progressbar", name="Progress")
    assert bar.evaluate("bar => bar.value") == 40
    assert status.locator('[data-job-field="percent"]').text_content() == "40%"
    assert not page.get_by_text("The job queue cannot be reached").is_visible()

    build_staff_cost_report(report.pk)  # the worker finishes; the page reloads by itself
    page.get_by_role("link", name=report_filename(report, "pdf")).wait_for()
    assert page.get_by_role("link", name=report_filename(report, "xlsx")).is_visible()
    assert page.get_by_role("status").get_by_text("Ready", exact=True).is_visible()
