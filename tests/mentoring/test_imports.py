"""The programme's imports (mentoring/imports): each kind's current data, downloaded as a filled
template, imports back with every row unchanged; new rows go through the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Invitation
from documents import imports
from documents.importing import results_of, run_confirm, run_start
from documents.models import ImportRun, OutboxMessage
from mentoring.models import Event, EventStatus
from tests.accounts.factories import CoordinatorFactory
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory, SchemeFactory

COORDINATOR = "coordinator@example.org"


@pytest.fixture
def coordinator(demo, client, demo_user):
    user = demo_user(COORDINATOR)
    client.force_login(user)
    return user


@pytest.fixture
def programme(db):
    """A programme (2016-10 to 2018-09, the standard kinds of event) with scheme A and two
    cities, Gdańsk and Riga: what a new row of people or events needs, not the whole demo."""
    programme = ProgrammeFactory()
    SchemeFactory(programme=programme, code="A")
    for name in ("Gdańsk", "Riga"):
        ParticipationFactory(programme=programme, city=CityFactory(name=name, country="PL"))
    return programme


@pytest.fixture
def its_coordinator(programme):
    return CoordinatorFactory(programme=programme).user


def round_trip(client, kind: str, ident: str, fmt: str) -> ImportRun:
    current = client.get(reverse("documents:import_current", args=[kind, ident, fmt]))
    assert current.status_code == 200
    name = f"current.{fmt}"
    response = client.post(
        reverse("documents:import", args=[kind, ident]),
        {"file": SimpleUploadedFile(name, current.content)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.filter(kind=kind).latest("pk")


@pytest.mark.parametrize(
    ("kind", "fmt"), [("cities", "xlsx"), ("people", "csv"), ("events", "xlsx")]
)
def test_the_programmes_data_imports_back_unchanged(demo, coordinator, client, kind, fmt):
    run = round_trip(client, kind, demo.slug, fmt)
    assert run.rows > 0
    assert (run.created, run.updated, run.errors) == (0, 0, 0), results_of(run)
    assert run.unchanged == run.rows


def test_attendance_imports_back_unchanged(demo, coordinator, client):
    event = Event.objects.filter(
        programme=demo, status=EventStatus.HELD, attendances__isnull=False
    ).first()
    run = round_trip(client, "attendance", str(event.pk), "csv")
    assert run.rows == event.attendances.count()
    assert run.unchanged == run.rows


def upload(text: str, name="rows.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_people_are_invited_once_and_their_emails_go_after_the_commit(programme, its_coordinator):
    text = (
        "E-mail address,Full name,Role,City,Scheme\n"
        "new.one@example.net,New One,City officer,Gdańsk,\n"
        "new.expert@example.net,,expert,,A\n"
        "bad-address,,officer,Gdańsk,\n"
        "x@example.net,,officer,Atlantis,\n"
    )
    run = run_start(
        kind=imports.get("people"), target=programme, user=its_coordinator, upload=upload(text)
    )
    assert (run.created, run.errors) == (2, 2)
    assert not Invitation.objects.filter(email="new.one@example.net").exists()
    good = "\n".join(text.splitlines()[:3]) + "\n"
    run = run_start(
        kind=imports.get("people"), target=programme, user=its_coordinator, upload=upload(good)
    )
    outbox = OutboxMessage.objects.count()
    run = run_confirm(run, by=its_coordinator)
    assert run.applied_at is not None
    assert (
        Invitation.objects.filter(
            email__in=["new.one@example.net", "new.expert@example.net"]
        ).count()
        == 2
    )
    assert OutboxMessage.objects.count() == outbox + 2
    again = run_start(
        kind=imports.get("people"), target=programme, user=its_coordinator, upload=upload(good)
    )
    assert again.unchanged == 2


def test_events_are_created_in_their_zone_and_a_bad_row_names_its_cells(programme, its_coordinator):
    text = (
        "Title,Kind,First day,Last day,Starts at,Ends at,Time zone,Host city,Scheme,"
        "Implementing city,Online link\n"
        "Imported webinar,webinar,2017-05-04,2017-05-04,10:00,12:00,Asia/Seoul,,,,https://meet.example.org/w\n"
        "Broken,no-such-kind,2017-13-01,,25:00,,,,A,,\n"
    )
    run = run_start(
        kind=imports.get("events"), target=programme, user=its_coordinator, upload=upload(text)
    )
    assert (run.created, run.errors) == (1, 1), [r.errors for r in results_of(run)]
    broken = results_of(run)[1]
    assert set(broken.errors) >= {"kind", "starts_on", "start_time", "implementing_city"}
    good = "\n".join(text.splitlines()[:2]) + "\n"
    run = run_confirm(
        run_start(
            kind=imports.get("events"), target=programme, user=its_coordinator, upload=upload(good)
        ),
        by=its_coordinator,
    )
    event = Event.objects.get(title="Imported webinar")
    assert event.time_zone == "Asia/Seoul"
    assert event.local_starts_at.hour == 10


def test_attendance_import_is_for_whoever_may_record_it(demo, client, demo_user):
    event = Event.objects.filter(
        programme=demo, status=EventStatus.HELD, host_city__slug="gdansk"
    ).first()
    client.force_login(demo_user("officer.riga@example.org"))
    assert client.get(reverse("documents:import", args=["attendance", event.pk])).status_code in (
        403,
        404,
    )
    client.force_login(demo_user(COORDINATOR))
    assert client.get(reverse("documents:import", args=["attendance", event.pk])).status_code == 200


EVENT = "Title,Kind,First day{more}\nNo place,webinar,2017-05-04{cells}\n"


@pytest.mark.parametrize(
    ("more", "cells", "on"),
    [
        (",Venue,Online link", ",,", {"venue", "online_url"}),
        (",Online link", ",", {"online_url"}),
        ("", "", {""}),  # neither column: on the row
    ],
)
def test_a_services_rule_is_on_the_cells_it_is_about_where_the_file_has_them(
    programme, its_coordinator, more, cells, on
):
    """The events service refuses an event without a venue and without an online link; the
    preview shows that on both cells (or the one the file has), on the row only without
    either column."""
    text = EVENT.format(more=more, cells=cells)
    run = run_start(
        kind=imports.get("events"), target=programme, user=its_coordinator, upload=upload(text)
    )
    (result,) = results_of(run)
    assert result.outcome == "error"
    assert set(result.errors) == on
    for messages in result.errors.values():
        assert messages == ["Give a venue, an online link, or both."]


def test_a_rule_on_the_pairing_is_on_the_scheme_and_the_implementing_city():
    """A ValidationError on a model field that two columns hold goes on both."""
    from django.core.exceptions import ValidationError

    result = imports.RowResult(2, {"title": "Visit", "scheme": "A", "implementing_city": "Riga"})
    result.add_validation_error(
        ValidationError({"pairing": ["This pairing belongs to another programme."]}),
        fields=imports.get("events").fields,
    )
    assert set(result.errors) == {"scheme", "implementing_city"}
