"""Stored files are sent only after the permission check: streamed by the portal (the exact
stored bytes), or, behind a front server (TANDEM_SENDFILE), named in X-Accel-Redirect or
X-Sendfile with the same headers and no body. Whoever may not have the file gets the same 404
(or the sign-in page) in every mode, and no header that names it."""

import hashlib
from datetime import date
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from actionplans import services as plan_services
from documents import checks
from documents.models import StoredFile
from reporting.models import StaffCostReport
from tests.actionplans.factories import build_plan_world, drafted_plan
from tests.actionplans.factories import fresh as fresh_plan_person
from tests.documents.factories import PDF, finished_with
from tests.reporting.factories import build_time_world
from tests.toolkits.factories import build_toolkit_world, draft, fresh, published, toolkit_with
from toolkits import services as toolkit_services
from toolkits.models import PracticeImage

pytestmark = pytest.mark.django_db

CSV = "\ufeffcity,hours\r\nGhent,8\r\n".encode()
HEADER_MODES = ["x-accel-redirect", "x-sendfile"]
SAME_HEADERS = ["Content-Type", "Content-Disposition", "Cache-Control", "ETag", "X-Content-SHA256"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def named_file(response) -> str | None:
    """The file a front server is asked to send, if any."""
    return response.get("X-Accel-Redirect") or response.get("X-Sendfile")


def expected_header(mode: str, stored: StoredFile) -> tuple[str, str]:
    if mode == "x-accel-redirect":
        return "X-Accel-Redirect", f"/protected-media/{stored.file.name}"
    return "X-Sendfile", stored.file.path


# A staff-cost report: scoped to the programme's coordinators and the city's supervisors --------


@pytest.fixture
def report_world():
    world = build_time_world()
    report = StaffCostReport.objects.create(
        programme=world.programme,
        city=world.city,
        first_month=date(2017, 1, 1),
        last_month=date(2017, 3, 1),
        requested_by=world.coordinator,
    )
    finished_with(
        report,
        field="csv",
        content=CSV,
        filename="staff-costs_ghent_2017-01_2017-03.csv",
        content_type="text/csv; charset=utf-8",
    )
    return world, report


def report_url(report) -> str:
    return reverse("reporting:report_download", args=[report.pk, "csv"])


def test_by_default_the_portal_streams_the_exact_stored_bytes(client, report_world):
    world, report = report_world
    client.force_login(world.supervisor)
    response = client.get(report_url(report))
    assert response.status_code == 200
    assert response.streaming
    assert named_file(response) is None
    assert body(response) == CSV
    assert response["Content-Length"] == str(len(CSV))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="staff-costs_ghent_2017-01_2017-03.csv"'
    )
    assert response["ETag"] == f'"{hashlib.sha256(CSV).hexdigest()}"'
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("mode", HEADER_MODES)
def test_behind_a_front_server_the_answer_names_the_file_and_has_no_body(
    client, settings, report_world, mode
):
    world, report = report_world
    client.force_login(world.supervisor)
    streamed = client.get(report_url(report))
    settings.TANDEM_SENDFILE = mode
    response = client.get(report_url(report))
    assert response.status_code == 200
    assert not response.streaming
    assert response.content == b""
    header, value = expected_header(mode, report.csv)
    assert response[header] == value
    for name in SAME_HEADERS:
        assert response[name] == streamed[name], name


@pytest.mark.parametrize("mode", ["", *HEADER_MODES])
def test_whoever_may_not_have_the_file_gets_404_in_every_mode(client, settings, report_world, mode):
    settings.TANDEM_SENDFILE = mode
    world, report = report_world
    for person in (world.other_supervisor, world.officer, world.other_officer):
        client.force_login(person)
        response = client.get(report_url(report))
        assert response.status_code == 404
        assert named_file(response) is None
    client.logout()
    response = client.get(report_url(report))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert named_file(response) is None


def test_the_internal_location_is_a_setting_and_odd_names_are_quoted(client, settings):
    world = build_time_world()
    report = StaffCostReport.objects.create(
        programme=world.programme,
        city=world.other_city,
        first_month=date(2017, 1, 1),
        last_month=date(2017, 1, 1),
        requested_by=world.coordinator,
    )
    finished_with(
        report, field="csv", content=CSV, filename="Gdańsk 2017.csv", content_type="text/csv"
    )
    settings.TANDEM_SENDFILE = "x-accel-redirect"
    settings.TANDEM_SENDFILE_PREFIX = "/internal/files/"
    client.force_login(world.coordinator)
    response = client.get(report_url(report))
    value = response["X-Accel-Redirect"]
    assert value.isascii()
    assert value.startswith("/internal/files/generated/")
    assert unquote(value) == "/internal/files/" + report.csv.file.name
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Gda%C5%84sk%202017.csv"
    )


def test_a_file_gone_from_storage_is_404_when_streamed(client, report_world):
    world, report = report_world
    report.csv.file.delete(save=False)
    client.force_login(world.coordinator)
    assert client.get(report_url(report)).status_code == 404


# A toolkit edition: public, cached a few minutes ----------------------------------------------


@pytest.mark.parametrize("mode", ["", *HEADER_MODES])
def test_an_edition_pdf_is_public_in_every_mode(client, settings, mode):
    world = build_toolkit_world()
    toolkit = toolkit_with(world, [published(world)])
    edition = toolkit_services.edition_publish(toolkit, by=fresh(world.expert))
    rendering = toolkit_services.edition_rendering(edition, language="en")
    finished_with(rendering, filename=f"{toolkit.slug}-edition-1-en.pdf")
    settings.TANDEM_SENDFILE = mode
    response = client.get(
        reverse("toolkits:edition_pdf", args=[toolkit.slug, edition.number, "en"])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Content-Type"] == "application/pdf"
    if mode:
        header, value = expected_header(mode, rendering.pdf)
        assert (response[header], response.content) == (value, b"")
    else:
        assert body(response) == PDF


# A plan version's PDF: the plan's people only -------------------------------------------------


@pytest.mark.parametrize("mode", HEADER_MODES)
def test_a_plan_pdf_names_its_file_only_for_the_plans_people(client, settings, mode):
    world = build_plan_world()
    version = plan_services.plan_submit(drafted_plan(world), by=fresh_plan_person(world.author))
    pdf = plan_services.pdf_request(version, by=fresh_plan_person(world.author), language="en")
    finished_with(pdf)
    settings.TANDEM_SENDFILE = mode
    url = reverse("actionplans:version_pdf", args=[version.plan_id, version.number, "en"])
    for stranger in (world.other_author, world.outsider_coordinator, world.partner):
        client.force_login(stranger)
        response = client.get(url)
        assert response.status_code == 404
        assert named_file(response) is None
    client.force_login(world.expert)
    response = client.get(url)
    assert response.status_code == 200
    header, value = expected_header(mode, pdf.pdf)
    assert (response[header], response.content) == (value, b"")
    assert response["Content-Disposition"].startswith("attachment")


# A practice's image: everyone once published, before that its people only --------------------


@pytest.mark.parametrize("mode", HEADER_MODES)
def test_a_draft_practices_image_is_named_only_for_its_people(client, settings, mode):
    world = build_toolkit_world()
    practice = draft(world)
    picture = PracticeImage.objects.create(
        practice=practice, image=ContentFile(b"\x89PNG\r\n", name="tender.png"), alt_text="A"
    )
    settings.TANDEM_SENDFILE = mode
    url = reverse("toolkits:practice_image", args=[practice.slug, picture.pk])
    client.force_login(world.other_officer)
    response = client.get(url)
    assert response.status_code == 404
    assert named_file(response) is None
    client.logout()
    assert named_file(client.get(url)) is None
    client.force_login(world.officer)
    response = client.get(url)
    assert response.status_code == 200
    header = "X-Accel-Redirect" if mode == "x-accel-redirect" else "X-Sendfile"
    assert response[header].endswith(picture.image.name.rsplit("/", 1)[-1])
    assert response.content == b""
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"].startswith("private")


# The setting is checked when the portal starts --------------------------------------------------


def test_an_unknown_way_of_sending_files_stops_the_portal(settings):
    settings.TANDEM_SENDFILE = "x-accel"
    assert [error.id for error in checks.sendfile_setting(None)] == ["documents.E001"]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_nginxs_internal_location_needs_its_slashes(settings):
    settings.TANDEM_SENDFILE = "x-accel-redirect"
    settings.TANDEM_SENDFILE_PREFIX = "protected-media"
    assert [error.id for error in checks.sendfile_setting(None)] == ["documents.E002"]
    settings.TANDEM_SENDFILE_PREFIX = "/protected-media/"
    assert checks.sendfile_setting(None) == []
