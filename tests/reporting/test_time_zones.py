"""Each person's "today" is today where they are, and signatures and reports name their zone
(issue 15). The clock stands at 2026-03-01 00:30 in Seoul, which is 2026-02-28 16:30 in
Brussels (``config.clock.fixed_at``; the database is the real one)."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from config import clock
from reporting import services
from reporting.models import TimeEntry, TimesheetMonth
from tests.accounts.factories import CityOfficerFactory, CitySupervisorFactory, CoordinatorFactory
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory
from tests.reporting.factories import fresh

pytestmark = pytest.mark.django_db

SEOUL_AFTER_MIDNIGHT = datetime(2026, 2, 28, 15, 30, tzinfo=UTC)
FIRST_OF_MARCH = date(2026, 3, 1)
SEOUL_TIME = "March 1, 2026, 12:30 a.m. KST (Asia/Seoul)"
BRUSSELS_TIME = "Feb. 28, 2026, 4:30 p.m. CET (Europe/Brussels)"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    class World:
        programme = ProgrammeFactory(starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31))
        seoul = CityFactory(name="Seoul", country="KR", latitude=37.5665, longitude=126.978)
        brussels = CityFactory(name="Brussels", country="BE")
        seoul_officer = CityOfficerFactory(city=seoul, user__full_name="Min-ji Officer").user
        seoul_supervisor = CitySupervisorFactory(city=seoul, user__full_name="Ji-ho Chief").user
        brussels_officer = CityOfficerFactory(city=brussels, user__full_name="Bram Officer").user
        coordinator = CoordinatorFactory(programme=programme, user__full_name="Cora Coord").user

    for city in (World.seoul, World.brussels):
        ParticipationFactory(programme=World.programme, city=city)
    assert World.seoul.time_zone == "Asia/Seoul"
    assert World.brussels.time_zone == "Europe/Brussels"
    return World


def record(world, person, city, day=FIRST_OF_MARCH, **kw) -> TimeEntry:
    return services.time_entry_create(
        person=fresh(person),
        programme=world.programme,
        city=city,
        day=day,
        activity="action_planning",
        hours=Decimal(3),
        **kw,
    )


def grid_url(world, month=FIRST_OF_MARCH) -> str:
    return reverse(
        "reporting:grid",
        kwargs={"programme": world.programme.slug, "year": month.year, "month": month.month},
    )


def test_the_seoul_officer_records_time_for_1_march_and_the_brussels_officer_cannot_yet(world):
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT):
        assert record(world, world.seoul_officer, world.seoul).day == FIRST_OF_MARCH
        with pytest.raises(ValidationError) as refused:
            record(world, world.brussels_officer, world.brussels)
    assert refused.value.message_dict == {
        "day": ["Time can only be recorded for today or earlier."]
    }
    # In Brussels it is still 28 February: that day is open.
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT):
        record(world, world.brussels_officer, world.brussels, day=date(2026, 2, 28))


def test_the_service_judges_against_the_date_it_is_given(world):
    """Callers pass the date where the person is; the service does not read a request."""
    record(world, world.brussels_officer, world.brussels, today=FIRST_OF_MARCH)
    with pytest.raises(ValidationError):
        record(world, world.seoul_officer, world.seoul, today=date(2026, 2, 28))


def test_a_person_who_chose_another_zone_has_that_today(world):
    world.seoul_officer.time_zone = "Europe/Brussels"
    world.seoul_officer.save()
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT), pytest.raises(ValidationError):
        record(world, world.seoul_officer, world.seoul)


def test_the_seoul_officers_grid_accepts_today(client, world):
    client.force_login(world.seoul_officer)
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT):
        page = client.get(grid_url(world))
        assert page.status_code == 200
        rows = {row.day: row for row in page.context["rows"]}
        assert "Today where you are (Asia/Seoul) is Sunday 1 March 2026" in page.content.decode()
        assert not rows[FIRST_OF_MARCH].closed
        assert rows[date(2026, 3, 2)].closed
        field = services.grid_field(FIRST_OF_MARCH, "action_planning")
        response = client.post(grid_url(world), {field: "2.5"})
    assert response.status_code == 302
    entry = TimeEntry.objects.get(person=world.seoul_officer)
    assert (entry.day, entry.hours) == (FIRST_OF_MARCH, Decimal("2.5"))


def test_the_brussels_officers_grid_keeps_1_march_closed(client, world):
    client.force_login(world.brussels_officer)
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT):
        page = client.get(grid_url(world, date(2026, 2, 1)))
        assert page.status_code == 200
        assert not any(row.closed for row in page.context["rows"])  # 28 days, all begun
        march = client.get(grid_url(world))  # March has not begun here: every day closed
        assert all(row.closed for row in march.context["rows"])
        field = services.grid_field(FIRST_OF_MARCH, "action_planning")
        client.post(grid_url(world), {field: "2"})
    assert not TimeEntry.objects.filter(person=world.brussels_officer).exists()


def signed_march(world) -> TimesheetMonth:
    """The Seoul officer records 1 March and signs the month at 00:30 Seoul time."""
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT):
        entry = record(world, world.seoul_officer, world.seoul)
        services.month_submit(entry.timesheet, by=fresh(world.seoul_officer))
    entry.timesheet.refresh_from_db()
    return entry.timesheet


def test_a_month_that_has_begun_where_the_person_is_can_be_signed(world):
    sheet = signed_march(world)
    assert sheet.submitted_at == SEOUL_AFTER_MIDNIGHT
    brussels_march = services.timesheet_for(
        person=world.brussels_officer,
        programme=world.programme,
        city=world.brussels,
        month=FIRST_OF_MARCH,
    )
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT), pytest.raises(ValidationError, match="has begun"):
        services.month_submit(brussels_march, by=fresh(world.brussels_officer))


@pytest.mark.parametrize(
    ("reader", "zone", "shown"),
    [
        ("seoul_supervisor", "Asia/Seoul", SEOUL_TIME),
        ("coordinator", "Europe/Brussels", BRUSSELS_TIME),
    ],
)
def test_pages_show_a_signature_in_the_readers_zone_with_its_name(
    client, world, reader, zone, shown
):
    sheet = signed_march(world)
    client.force_login(getattr(world, reader))
    page = client.get(sheet.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Signed by Min-ji Officer on {shown}" in text
    assert f"When ({zone})" in text  # the signatures' log names its zone
    if reader == "seoul_supervisor":
        queue = client.get(reverse("reporting:approvals")).content.decode()
        assert f"Signed on ({zone})" in queue


# Reports ----------------------------------------------------------------------------------------


def approved_march(world) -> TimesheetMonth:
    sheet = signed_march(world)
    services.staff_rate_save(
        person=fresh(world.seoul_officer),
        city=world.seoul,
        year=2026,
        annual_costs=Decimal("41280"),
        working_time_share=Decimal(1),
        by=fresh(world.coordinator),
    )
    with clock.fixed_at(datetime(2026, 3, 2, 1, 0, tzinfo=UTC)):  # 10:00 in Seoul
        services.month_approve(sheet, by=fresh(world.seoul_supervisor))
    return sheet


def report_for(world, city, django_capture_on_commit_callbacks, by=None):
    with (
        clock.fixed_at(datetime(2026, 3, 3, 6, 0, tzinfo=UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = services.report_request(
            programme=world.programme,
            city=city,
            first_month=FIRST_OF_MARCH,
            last_month=FIRST_OF_MARCH,
            by=fresh(by or world.coordinator),
            language="en",
        )
    report.refresh_from_db()
    assert report.pdf is not None, report.error
    return report


def pdf_text(stored) -> str:
    with stored.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def csv_about(stored) -> dict[str, str]:
    with stored.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    return {row[0]: row[1] for row in rows if len(row) >= 2}


def test_a_citys_report_is_in_the_citys_zone_and_says_so(world, django_capture_on_commit_callbacks):
    approved_march(world)
    report = report_for(world, world.seoul, django_capture_on_commit_callbacks)
    text = pdf_text(report.pdf)
    assert "Every time in this report is in Asia/Seoul." in text
    assert f"Signed by Min-ji Officer on {SEOUL_TIME}" in text
    assert "Approved by Ji-ho Chief on March 2, 2026, 10 a.m. KST (Asia/Seoul)" in text
    assert "March 3, 2026, 3 p.m. KST (Asia/Seoul)" in text  # generated at
    about = csv_about(report.csv)
    assert about["Generated at"] == "2026-03-03T15:00:00+09:00"
    assert about["Time zone"] == "Asia/Seoul"
    with report.xlsx.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert cells["Generated at"] == "2026-03-03T15:00:00+09:00"


def test_an_all_cities_report_is_in_the_servers_zone_and_says_so(
    world, django_capture_on_commit_callbacks
):
    approved_march(world)
    report = report_for(world, None, django_capture_on_commit_callbacks)
    text = pdf_text(report.pdf)
    assert "Every time in this report is in Europe/Brussels." in text
    assert f"Signed by Min-ji Officer on {BRUSSELS_TIME}" in text
    assert csv_about(report.csv)["Generated at"] == "2026-03-03T07:00:00+01:00"
