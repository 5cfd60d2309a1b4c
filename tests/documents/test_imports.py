"""The import framework (documents.imports, documents.importing and its pages), driven through
the programme's cities import: reading CSV and XLSX, hostile files, the preview that writes
nothing, confirming all or nothing, a stale preview, a large file as a job, the history."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cities.models import City
from documents import imports
from documents.importing import run_confirm, run_start
from documents.models import ImportRun
from mentoring.models import Participation, Programme
from tests.accounts.factories import CityOfficerFactory, CoordinatorFactory
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory

HEADER = "Name,Country,Latitude,Longitude\n"


def upload(content: bytes, name: str = "cities.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def programme(db):
    """A programme with one city, Gdańsk (what the cities import needs; not the whole demo)."""
    programme = ProgrammeFactory(name="CITIES-GROW", slug="cities-grow")
    gdansk = CityFactory(
        name="Gdańsk",
        slug="gdansk",
        country="PL",
        latitude=Decimal("54.35200"),
        longitude=Decimal("18.64660"),
        languages=["pl"],
    )
    ParticipationFactory(programme=programme, city=gdansk)
    return programme


@pytest.fixture
def coordinator(programme, client):
    user = CoordinatorFactory(programme=programme).user
    client.force_login(user)
    return user


def page(programme):
    return reverse("documents:import", args=["cities", programme.slug])


def post(client, programme, content: bytes, name="cities.csv"):
    return client.post(page(programme), {"file": upload(content, name)})


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading -------------------------------------------------------------------------------------

KIND = imports.get("cities")


def test_csv_with_bom_semicolons_and_headers_in_french_or_by_key_are_read():
    text = "\ufeffNom;country;Latitude\nGdańsk;PL;54,352\n;;\nNicosia;CY;35.1856\n"
    table = imports.read(text.encode(), filename="x.csv", kind=KIND)
    assert table.rows[0] == {"name": "Gdańsk", "country": "PL", "latitude": "54,352"}
    assert table.numbers == [2, 4]  # the blank row keeps its number


def test_utf16_is_read_and_cp1252_is_refused_with_a_way_out():
    table = imports.read(
        f"{HEADER}Zürich,CH,47.37,8.54\n".encode("utf-16"), filename="x.csv", kind=KIND
    )
    assert table.rows[0]["name"] == "Zürich"
    with pytest.raises(imports.ImportFileError, match="UTF-8"):
        imports.read(
            f"{HEADER}Zürich,CH,47.37,8.54\n".encode("cp1252"), filename="x.csv", kind=KIND
        )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "x.csv", "empty"),
        (b"This is not a workbook at all", "x.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04broken zip", "x.xlsx", "cannot be opened"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "x.xls", "old Excel"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.csv", "neither a CSV"),
        (b"Name,Country\n", "x.csv", "no rows"),
        (b"Name,Colour\nGhent,red\n", "x.csv", "“Colour”"),
        (b"Latitude\n1\n", "x.csv", "required columns are missing"),
        (b"Name,Name,Country\na,b,c\n", "x.csv", "more than once"),
    ],
)
def test_files_that_cannot_be_read_say_why(content, name, message):
    with pytest.raises(imports.ImportFileError) as caught:
        imports.read(content, filename=name, kind=KIND)
    assert message in " ".join(caught.value.messages)


def test_100000_rows_are_refused_at_the_row_limit_without_reading_them_all(settings):
    """The file is 100,000 short lines made by repetition (about 1 MB); reading stops at the
    first row past the limit."""
    content = (HEADER + "Ghent,BE,51,3\n" * 100_000).encode()
    with pytest.raises(imports.ImportFileError, match="more than 20000 rows"):
        imports.read(content, filename="x.csv", kind=KIND)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(imports.ImportFileError, match="unpacks"):
        imports.read(buffer.getvalue(), filename="x.xlsx", kind=KIND)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.TANDEM_IMPORT_MAX_BYTES = 100
    with pytest.raises(imports.ImportFileError, match="larger than"):
        imports.read(b"x" * 101, filename="x.csv", kind=KIND)


def test_xlsx_values_are_text_and_formulas_are_refused_on_their_cell(programme, coordinator):
    content = xlsx([["Name", "Country", "Latitude", "Longitude"], ["Ghent", "BE", 51.0543, "=1+2"]])
    table = imports.read(content, filename="x.xlsx", kind=KIND)
    assert table.rows == [
        {"name": "Ghent", "country": "BE", "latitude": "51.0543", "longitude": "=1+2"}
    ]
    results = imports.examine(KIND, table, user=coordinator, target=programme)
    assert results[0].outcome == "error"
    assert "formula" in results[0].errors["longitude"][0]


def test_templates_have_the_headers_in_the_persons_language_and_an_example(
    programme, coordinator, client
):
    response = client.get(
        reverse("documents:import_template", args=["cities", programme.slug, "xlsx"]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("Name", "Country")
    assert rows[1][0] == "Gdańsk"
    assert workbook.sheetnames[1] == "Columns"
    csv = client.get(reverse("documents:import_template", args=["cities", programme.slug, "csv"]))
    assert csv.content.decode("utf-8-sig").startswith("Name,Country,Latitude")


# The flow -------------------------------------------------------------------------------------


def test_bad_rows_write_nothing_and_every_bad_cell_is_named(programme, coordinator, client):
    before = City.objects.count()
    content = (
        HEADER
        + "Newtown,XX,50,4\n"  # unknown country
        + "Oldtown,BE,north,4\n"  # latitude not a number
        + "Farville,BE,95,4\n"  # out of range (the model's rule)
        + "Goodville,BE,50.5,4.5\n"
    ).encode()
    response = post(client, programme, content)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.errors, run.created) == (3, 1)
    preview = client.get(reverse("documents:import_run", args=[run.pk]))
    html = preview.content.decode()
    assert html.count('class="cell-error"') == 3
    assert "is not a country" in html
    assert "Write a number" in html
    assert City.objects.count() == before  # the preview wrote nothing
    refused = client.post(reverse("documents:import_run_confirm", args=[run.pk]))
    assert refused.status_code == 302
    assert City.objects.count() == before


def test_preview_then_confirm_imports_and_the_same_file_again_changes_nothing(
    programme, coordinator, client
):
    content = (HEADER + "Gdańsk,PL,54.352,18.6466\nNewtown,BE,50.5,4.5\n").encode()
    post(client, programme, content)
    run = ImportRun.objects.get()
    assert (run.created, run.updated, run.unchanged) == (1, 0, 1)
    assert not City.objects.filter(name="Newtown").exists()
    client.post(reverse("documents:import_run_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.applied_at is not None
    city = City.objects.get(name="Newtown")
    assert Participation.objects.filter(programme=programme, city=city).exists()
    post(client, programme, content)
    again = ImportRun.objects.exclude(pk=run.pk).get()
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, 0)
    history = client.get(page(programme)).content.decode()
    assert history.count("cities.csv") == 2


def test_a_stale_preview_is_decided_by_the_new_examination(programme, coordinator):
    content = (HEADER + "Newtown,BE,50.5,4.5\n").encode()
    run = run_start(kind=KIND, target=programme, user=coordinator, upload=upload(content))
    # Someone creates the city between the preview and the confirmation.
    run_start(kind=KIND, target=programme, user=coordinator, upload=upload(content))
    second = ImportRun.objects.exclude(pk=run.pk).get()
    run_confirm(second, by=coordinator)
    run = run_confirm(run, by=coordinator)
    assert run.applied_at is not None
    assert run.changed_since_preview
    assert (run.created, run.unchanged) == (0, 1)
    assert City.objects.filter(name="Newtown").count() == 1


def test_a_large_file_is_previewed_as_a_background_job(
    programme, coordinator, client, settings, django_capture_on_commit_callbacks
):
    settings.TANDEM_IMPORT_BACKGROUND_ROWS = 1
    content = (HEADER + "Newtown,BE,50.5,4.5\nOtherton,BE,50.6,4.6\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, programme, content)
    run = ImportRun.objects.get()
    assert run.status == "done"
    assert run.created == 2
    status = client.get(reverse("documents:import_run_status", args=[run.pk])).json()
    assert status["finished"]


def test_scoping_other_coordinator_404_officer_403_and_runs_are_private(
    programme, client, coordinator
):
    post(client, programme, (HEADER + "Newtown,BE,50.5,4.5\n").encode())
    run = ImportRun.objects.get()
    officer = CityOfficerFactory(city=City.objects.get(slug="gdansk")).user
    client.force_login(officer)
    assert client.get(page(programme)).status_code == 403
    assert client.get(reverse("documents:import_run", args=[run.pk])).status_code == 404
    assert (
        client.get(reverse("documents:import", args=["nothing", programme.slug])).status_code == 404
    )
    client.force_login(CoordinatorFactory().user)  # of another programme
    assert client.get(page(programme)).status_code == 404


# Failures: a background run says why, Retry runs it again; a failed import writes nothing -------


def test_a_background_import_that_fails_says_why_and_retry_imports_it(
    programme, coordinator, client, settings, django_capture_on_commit_callbacks
):
    """A file over TANDEM_IMPORT_BACKGROUND_ROWS is previewed and imported as a job. Between
    the preview and the import its stored upload cannot be read (moved away, as when the
    storage is not mounted): the job fails, its page says why and offers Retry, and nothing is
    written. Once the file is back, Retry imports it."""
    settings.TANDEM_IMPORT_BACKGROUND_ROWS = 1
    content = (HEADER + "Newtown,BE,50.5,4.5\nOtherton,BE,50.6,4.6\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, programme, content)
    run = ImportRun.objects.get()
    assert (run.status, run.created) == ("done", 2)
    stored = Path(run.upload.file.path)
    away = stored.with_name(stored.name + ".away")
    stored.rename(away)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:import_run_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.applied_at is None
    assert not City.objects.filter(name__in=["Newtown", "Otherton"]).exists()
    html = client.get(reverse("documents:import_run", args=[run.pk])).content.decode()
    assert "cannot be read from the portal" in html
    retry = reverse("documents:import_run_retry", args=[run.pk])
    assert f'action="{retry}"' in html

    away.rename(stored)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    run.refresh_from_db()
    assert run.status == "done"
    assert run.applied_at is not None
    assert (run.created, run.errors) == (2, 0)
    assert City.objects.filter(name__in=["Newtown", "Otherton"]).count() == 2
    html = client.get(reverse("documents:import_run", args=[run.pk])).content.decode()
    assert "Imported." in html
    assert f'action="{retry}"' not in html


class UncheckedCities(imports.ImportKind):
    """A kind that checks nothing before it writes (unlike the real ones, whose apply runs
    the rules its examine ran): what the framework's all-or-nothing has to hold against."""

    key = "unchecked-cities"
    label = "Unchecked cities"
    columns = [
        imports.Column("name", "Name", required=True),
        imports.Column("slug", "Slug", required=True),
    ]

    def target(self, user, ident):
        return Programme.objects.get(slug=ident)

    def allowed(self, user, target):
        return True, ""

    def examine(self, rows, *, user, target):
        return [
            imports.RowResult(index + 2, dict(row), outcome=imports.CREATE)
            for index, row in enumerate(rows)
        ]

    def apply(self, rows, *, user, target, source):
        for row in rows:
            city = City.objects.create(
                name=row["name"], slug=row["slug"], country="BE", latitude=50, longitude=4
            )
            Participation.objects.create(programme=target, city=city)


def test_an_import_that_fails_halfway_writes_nothing(programme, coordinator, monkeypatch):
    """The database refuses the third row (its slug is Gdańsk's) after the first two were
    written: the run fails, says why, and neither of them stays."""
    kind = UncheckedCities()
    monkeypatch.setitem(imports._KINDS, kind.key, kind)
    content = b"Name,Slug\nAlpha,alpha\nBeta,beta\nGamma,gdansk\n"
    run = run_start(kind=kind, target=programme, user=coordinator, upload=upload(content))
    assert (run.status, run.created) == ("done", 3)
    before = (City.objects.count(), Participation.objects.count())

    run = run_confirm(run, by=coordinator)
    assert run.status == "failed"
    assert run.applied_at is None
    assert "could not be run" in run.error
    assert (City.objects.count(), Participation.objects.count()) == before
    assert not City.objects.filter(slug__in=["alpha", "beta"]).exists()


def test_staff_look_up_runs_in_the_admin_and_cannot_change_them(programme, coordinator, client):
    from accounts.models import User

    run = run_start(
        kind=KIND,
        target=programme,
        user=coordinator,
        upload=upload(HEADER.encode() + b"X,BE,1,2\n"),
    )
    client.force_login(User.objects.create_superuser(email="staff@example.org", password="x"))
    listing = client.get(reverse("admin:documents_importrun_changelist"))
    assert listing.status_code == 200
    assert "cities.csv" in listing.content.decode()
    detail = client.get(reverse("admin:documents_importrun_change", args=[run.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:documents_importrun_add")).status_code == 403
    deleted = client.post(
        reverse("admin:documents_importrun_delete", args=[run.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    assert ImportRun.objects.filter(pk=run.pk).exists()
