"""A programme's open data (issue 18): public without signing in, only what the programme
publishes anyway and no personal data, described table by table, the same bytes for the same
data, and schema.org descriptions on the dataset page and the practice pages."""

import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from config import clock
from mentoring.models import Attendance, Event, EventKind, EventStatus, Pairing, Programme
from mentoring.services.events import event_create, event_transition
from mentoring.services.programmes import programme_update
from portal import open_data
from tests.pageforms import post_form
from tests.toolkits.factories import practice_fields
from toolkits import services as toolkit_services
from toolkits.models import GoodPractice, PracticeStatus

pytestmark = pytest.mark.django_db

COORDINATOR = "coordinator@example.org"
EXPERT = "expert@example.org"
OFFICER = "officer.gdansk@example.org"
# A day while the demo programme runs: events after it are still to come.
TODAY = date(2017, 11, 15)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def licensed(demo) -> Programme:
    demo.open_data_licence = "CC-BY-4.0"
    return programme_update(programme=demo)


def zip_of(client, programme: Programme) -> zipfile.ZipFile:
    response = client.get(reverse("portal:open_data_zip", args=[programme.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    text = archive.read(f"{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def json_document(client, programme: Programme) -> dict:
    response = client.get(reverse("portal:open_data_json", args=[programme.slug]))
    assert response.status_code == 200
    return json.loads(response.content)


def a_draft(programme: Programme) -> GoodPractice:
    officer = User.objects.get(email=OFFICER)
    return toolkit_services.practice_create(
        city=officer.memberships.get().city,
        author=officer,
        scheme=programme.schemes.get(code="A"),
        **practice_fields(programme=programme, title="Not ready yet"),
    )


def json_ld_blocks(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_anyone_finds_the_programme_and_its_tables_without_signing_in(client, licensed):
    index = client.get(reverse("portal:open_data_index"))
    assert index.status_code == 200
    page_url = reverse("portal:open_data", args=[licensed.slug])
    assert page_url in index.content.decode()

    page = client.get(page_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert reverse("portal:open_data_zip", args=[licensed.slug]) in html
    assert reverse("portal:open_data_json", args=[licensed.slug]) in html
    for table in open_data.TABLES:
        assert table.filename in html
        for column in table.columns:
            assert f"<code>{column.name}</code>" in html
    pairings = Pairing.objects.filter(scheme__programme=licensed, status="active").count()
    assert f"{pairings} rows." in html


def test_a_programme_without_a_licence_has_no_open_data(client, demo):
    Programme.objects.filter(pk=demo.pk).update(open_data_licence="")
    assert demo.name not in client.get(reverse("portal:open_data_index")).content.decode()
    for name in ("portal:open_data", "portal:open_data_zip", "portal:open_data_json"):
        assert client.get(reverse(name, args=[demo.slug])).status_code == 404
    assert client.get(reverse("portal:open_data", args=["no-such-programme"])).status_code == 404


def test_the_zip_holds_every_table_described_by_its_datapackage(client, licensed):
    archive = zip_of(client, licensed)
    names = archive.namelist()
    assert names == ["datapackage.json", *(table.filename for table in open_data.TABLES)]
    package = json.loads(archive.read("datapackage.json"))
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    assert package["profile"] == "tabular-data-package"
    assert package["title"] == f"Open data of {licensed.name}"
    for resource in package["resources"]:
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode("utf-8-sig"))))
        fields = resource["schema"]["fields"]
        assert header == [field["name"] for field in fields], resource["name"]
        assert all(field["type"] and field["description"] for field in fields)
        assert resource["encoding"] == "utf-8"
        for key in resource["schema"].get("foreignKeys", []):
            assert key["reference"]["resource"] in {r["name"] for r in package["resources"]}
    # Something real in each: the demo's frame, its past events, practices and toolkits.
    assert {row["code"] for row in csv_rows(archive, "schemes")} == {"A", "B", "C", "D"}
    taking_part = [row for row in csv_rows(archive, "cities") if row["takes_part"] == "yes"]
    assert len(taking_part) == 16
    cities = {row["name"]: row for row in csv_rows(archive, "cities")}
    assert cities["Gdańsk"]["country"] == "PL"
    assert cities["Gdańsk"]["latitude"] == "54.35200"
    assert csv_rows(archive, "events")
    assert csv_rows(archive, "practices")
    assert csv_rows(archive, "toolkit_practices")
    # Every reference leads to a row of the table it names.
    ids = {t.name: {row["id"] for row in csv_rows(archive, t.name)} for t in open_data.TABLES[:-1]}
    for table in open_data.TABLES:
        for row in csv_rows(archive, table.name):
            for column, target in table.foreign_keys:
                assert row[column] == "" or row[column] in ids[target], (table.name, column)


def test_the_json_document_holds_the_same_rows(client, licensed):
    archive = zip_of(client, licensed)
    document = json_document(client, licensed)
    for resource in document["resources"]:
        rows = csv_rows(archive, resource["name"])
        assert len(resource["data"]) == len(rows), resource["name"]
        assert "path" not in resource
    practices = next(r for r in document["resources"] if r["name"] == "practices")
    first = practices["data"][0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", first["started_on"])
    assert first["url"].endswith(f"/practices/{first['slug']}/")


def test_no_personal_data_anywhere(client, licensed):
    """Nobody's e-mail or name: not of the people with accounts, nor the practices' contacts,
    nor the events' guests."""
    everything = _all_text(client, licensed)
    assert "@" not in everything.replace("https://", "").replace("@type", "")
    people = {user.full_name for user in User.objects.all() if user.full_name}
    people |= set(GoodPractice.objects.exclude(contact_name="").values_list("contact_name", flat=1))
    people |= set(Attendance.objects.exclude(guest_name="").values_list("guest_name", flat=True))
    assert people, "the demo has people to look for"
    found = sorted(name for name in people if name in everything)
    assert not found, f"names in the open data: {found}"


def _all_text(client, programme: Programme) -> str:
    archive = zip_of(client, programme)
    parts = [archive.read(name).decode("utf-8-sig") for name in archive.namelist()]
    parts.append(json.dumps(json_document(client, programme), ensure_ascii=False))
    return "\n".join(parts)


def test_only_published_practices_agreed_pairings_and_past_events(client, licensed):
    coordinator = User.objects.get(email=COORDINATOR)
    practice = GoodPractice.objects.filter(
        scheme__programme=licensed, status=PracticeStatus.PUBLISHED
    ).first()
    toolkit_services.practice_withdraw(practice, by=coordinator, comment="Figures to check.")
    draft = a_draft(licensed)
    pairing = Pairing.objects.filter(scheme__programme=licensed).first()
    Pairing.objects.filter(pk=pairing.pk).update(status="withdrawn", withdrawal_reason="Moved.")
    kind = EventKind.objects.get(programme=licensed, code="webinar")
    future = event_create(
        programme=licensed,
        kind=kind,
        title="A webinar to come",
        starts_on=TODAY + timedelta(days=30),
        time_zone="Europe/Brussels",
        online_url="https://example.org/webinar",
    )
    cancelled = event_create(
        programme=licensed,
        kind=kind,
        title="A webinar called off",
        starts_on=date(2017, 3, 1),
        time_zone="Europe/Brussels",
        online_url="https://example.org/webinar",
    )
    event_transition(event=cancelled, to=EventStatus.CANCELLED, reason="No speaker.")

    with clock.fixed_at(datetime.combine(TODAY, time(12), tzinfo=UTC)):
        archive = zip_of(client, licensed)
    practice_ids = {row["id"] for row in csv_rows(archive, "practices")}
    assert str(practice.pk) not in practice_ids
    assert str(draft.pk) not in practice_ids
    published = GoodPractice.objects.filter(
        scheme__programme=licensed, status=PracticeStatus.PUBLISHED
    )
    assert practice_ids == {str(pk) for pk in published.values_list("pk", flat=True)}
    in_toolkits = {row["practice_id"] for row in csv_rows(archive, "toolkit_practices")}
    assert str(practice.pk) not in in_toolkits
    assert str(pairing.pk) not in {row["id"] for row in csv_rows(archive, "pairings")}
    events = csv_rows(archive, "events")
    event_ids = {row["id"] for row in events}
    assert str(future.pk) not in event_ids
    assert str(cancelled.pk) not in event_ids
    assert not Event.objects.filter(pk__in=event_ids, pairing=pairing).exists()
    assert events
    assert all(row["ends_on"] < TODAY.isoformat() for row in events)
    assert Event.objects.filter(programme=licensed, ends_on__gte=TODAY).exclude(pk=future.pk)


def test_the_same_data_gives_the_same_bytes(client, licensed):
    state = open_data.dataset_state(licensed)
    first = open_data.build_zip(licensed, state)
    again = open_data.build_zip(Programme.objects.get(pk=licensed.pk), state)
    assert first == again
    assert open_data.build_json(licensed, state) == open_data.build_json(licensed, state)
    served = client.get(reverse("portal:open_data_zip", args=[licensed.slug])).content
    cache.clear()
    assert client.get(reverse("portal:open_data_zip", args=[licensed.slug])).content == served
    entry = zipfile.ZipFile(io.BytesIO(served)).infolist()[0]
    modified = state.last_modified
    assert entry.date_time[:3] == (modified.year, modified.month, modified.day)


def test_a_client_that_has_the_file_gets_304_until_the_data_changes(client, licensed):
    url = reverse("portal:open_data_zip", args=[licensed.slug])
    first = client.get(url)
    assert first["Cache-Control"] == "public, no-cache"
    assert first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    practice = GoodPractice.objects.filter(
        scheme__programme=licensed, status=PracticeStatus.PUBLISHED
    ).first()
    toolkit_services.practice_withdraw(
        practice, by=User.objects.get(email=COORDINATOR), comment="Figures to check."
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.content != first.content


def test_text_that_a_spreadsheet_would_run_is_neutralised_in_the_csv(client, licensed):
    practice = GoodPractice.objects.filter(
        scheme__programme=licensed, status=PracticeStatus.PUBLISHED
    ).first()
    formula = '=HYPERLINK("https://evil.example","click")'
    GoodPractice.objects.filter(pk=practice.pk).update(title=formula, summary="-2+3")
    rows = {row["id"]: row for row in csv_rows(zip_of(client, licensed), "practices")}
    assert rows[str(practice.pk)]["title"] == "'" + formula
    assert rows[str(practice.pk)]["summary"] == "'-2+3"
    document = json_document(client, licensed)
    practices = next(r for r in document["resources"] if r["name"] == "practices")["data"]
    assert next(p for p in practices if p["id"] == practice.pk)["title"] == formula
    # Numbers stay numbers: a negative longitude is no formula.
    cities = csv_rows(zip_of(client, licensed), "cities")
    assert next(c for c in cities if c["name"] == "Birmingham")["longitude"] == "-1.89040"


def test_the_dataset_page_describes_a_schema_org_dataset(client, licensed):
    html = client.get(reverse("portal:open_data", args=[licensed.slug])).content.decode()
    (data,) = json_ld_blocks(html)
    assert data["@type"] == "Dataset"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["name"] == f"Open data of {licensed.name}"
    assert len(data["description"]) >= 50
    formats = {d["encodingFormat"]: d["contentUrl"] for d in data["distribution"]}
    assert formats["application/zip"].endswith(
        reverse("portal:open_data_zip", args=[licensed.slug])
    )
    assert formats["application/json"].endswith(
        reverse("portal:open_data_json", args=[licensed.slug])
    )


def test_a_published_practice_page_carries_schema_org_metadata(client, licensed):
    practice = (
        GoodPractice.objects.filter(scheme__programme=licensed, status=PracticeStatus.PUBLISHED)
        .select_related("city")
        .first()
    )
    html = client.get(practice.get_absolute_url()).content.decode()
    (data,) = json_ld_blocks(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["name"] == practice.title
    assert data["description"] == practice.summary
    assert data["inLanguage"] == practice.language
    assert data["datePublished"]
    assert data["dateModified"]
    assert data["author"]["name"] == practice.city.name
    assert data["author"]["location"]["geo"]["latitude"] == str(practice.city.latitude)
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["url"].endswith(practice.get_absolute_url())
    assert any(thing["name"] == practice.scheme.theme for thing in data["about"])
    assert "@" not in json.dumps(data).replace('"@', "")


def test_the_metadata_names_no_licence_the_programme_did_not_choose(client, demo):
    Programme.objects.update(open_data_licence="")
    practice = GoodPractice.objects.filter(status=PracticeStatus.PUBLISHED).first()
    (data,) = json_ld_blocks(client.get(practice.get_absolute_url()).content.decode())
    assert "license" not in data


def test_text_cannot_end_the_metadata_block(client, licensed):
    practice = GoodPractice.objects.filter(
        scheme__programme=licensed, status=PracticeStatus.PUBLISHED
    ).first()
    GoodPractice.objects.filter(pk=practice.pk).update(title="</script><script>alert(1)</script>")
    html = client.get(practice.get_absolute_url()).content.decode()
    (data,) = json_ld_blocks(html)
    assert data["name"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_a_draft_practice_page_has_no_metadata(client, demo):
    draft = a_draft(demo)
    client.force_login(User.objects.get(email=COORDINATOR))
    assert json_ld_blocks(client.get(draft.get_absolute_url()).content.decode()) == []


def test_a_coordinator_chooses_the_licence_on_the_programme_form(client, demo):
    client.force_login(User.objects.get(email=COORDINATOR))
    url = reverse("mentoring:programme_edit", args=[demo.slug])
    form = client.get(url).content.decode()
    assert "Not published as open data" in form
    data = post_form(form)
    data["open_data_licence"] = ["ODbL-1.0"]
    response = client.post(url, data)
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.licence.url == "https://opendatacommons.org/licenses/odbl/1-0/"
    client.logout()
    assert client.get(reverse("portal:open_data", args=[demo.slug])).status_code == 200
    data["open_data_licence"] = ["no-such-licence"]
    client.force_login(User.objects.get(email=COORDINATOR))
    assert client.post(url, data).status_code == 400
