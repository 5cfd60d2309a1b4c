"""The mentoring endpoints: what each role's token sees is what the pages' selectors give that
person; lists cost as many queries with more rows; with Redis down the API still answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import membership_grant, token_create
from mentoring.models import Event, EventReport, EventStatus, Pairing
from mentoring.selectors import cities_visible_to, pairings_for
from mentoring.selectors.events import events_concerning
from mentoring.services.events import RecommendationInput, report_save
from tests.accounts.factories import UserFactory
from tests.mentoring.factories import ProgrammeFactory, SchemeFactory
from tests.test_faults import free_port
from tests.test_query_counts import more_cities_of_gdansk, more_gdansk_pairings_and_team

PEOPLE = (
    "coordinator@example.org",
    "expert@example.org",
    "officer.gdansk@example.org",
    "supervisor.gdansk@example.org",
    "officer.riga@example.org",
    "partner@example.org",
)


def bearer(user: User) -> Client:
    secret = token_create(
        owner=user, name="Test", expires_at=timezone.now() + timedelta(days=1)
    ).secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


def ids(client: Client, path: str) -> set[int]:
    response = client.get(path, {"page_size": 200})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("email", PEOPLE)
def test_a_token_sees_what_its_person_sees_on_the_pages(demo, email):
    user = User.objects.get(email=email)
    client = bearer(user)
    assert ids(client, "/api/v1/pairings/") == set(pairings_for(user).values_list("pk", flat=True))
    assert ids(client, "/api/v1/cities/") == set(
        cities_visible_to(user).values_list("pk", flat=True)
    )
    assert ids(client, "/api/v1/visit-reports/") == set(
        EventReport.objects.filter(event__in=events_concerning(user)).values_list("pk", flat=True)
    )


def test_another_programmes_coordinator_sees_nothing_of_this_one(demo):
    elsewhere = UserFactory()
    membership_grant(user=elsewhere, role=Role.COORDINATOR, programme=ProgrammeFactory())
    client = bearer(elsewhere)
    assert ids(client, "/api/v1/pairings/") == set()
    assert ids(client, "/api/v1/events/") == set()
    assert ids(client, "/api/v1/cities/") == set()
    pairing = Pairing.objects.filter(scheme__programme=demo).first()
    assert client.get(f"/api/v1/pairings/{pairing.pk}/").status_code == 404
    assert client.get(f"/api/v1/programmes/{demo.pk}/").status_code == 404


def test_the_lists_filter_as_the_pages_do_and_refuse_bad_filters_by_field(demo):
    client = bearer(User.objects.get(email="coordinator@example.org"))
    gdansk = client.get("/api/v1/pairings/", {"city": "Gdańsk"}).json()["results"]
    assert gdansk
    assert all("gdansk" in (p["mentor"]["slug"], p["implementing"]["slug"]) for p in gdansk)
    refused = client.get("/api/v1/events/", {"starts_from": "2018-01-01", "starts_until": "2017"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid"
    assert "starts_until" in refused.json()["fields"]
    programme = client.get(f"/api/v1/programmes/{demo.pk}/").json()
    assert programme["budget"] == {"amount": "650000.00", "currency": "EUR"}
    event = client.get("/api/v1/events/").json()["results"][0]
    assert event["time_zone"]
    assert event["starts_on"][4] == "-"


def test_with_redis_down_the_api_answers_unthrottled(demo, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FaultTolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    settings.TANDEM_API_RATE = "2/minute"
    client = bearer(User.objects.get(email="officer.gdansk@example.org"))
    statuses = [client.get("/api/v1/pairings/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200]


def measure(client: Client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.json()["count"]


@pytest.mark.parametrize(
    ("email", "path", "pinned"),
    [
        # token, its last use, the person's scopes, count, page, the request log (+ the
        # officer's programmes through their city; + the pairing filter's choices)
        ("coordinator@example.org", "/api/v1/pairings/", 7),
        ("officer.gdansk@example.org", "/api/v1/pairings/", 8),
        ("coordinator@example.org", "/api/v1/cities/", 6),
        ("officer.gdansk@example.org", "/api/v1/cities/", 7),
    ],
)
def test_list_query_counts_do_not_grow(demo, email, path, pinned):
    client = bearer(User.objects.get(email=email))
    small, few = measure(client, path)
    more_gdansk_pairings_and_team(demo, 6)
    large, many = measure(client, path)
    assert many > few
    assert (small, large) == (pinned, pinned)


def more_events_with_reports(programme, n: int) -> None:
    """n more cities mentoring Gdańsk, each with a visit (and one more visit of a pairing of
    Gdańsk's), and a webinar it hosts (tests.test_query_counts.more_cities_of_gdansk); every
    event held, with a report of two recommendations."""
    pairing = Pairing.objects.filter(scheme__programme=programme, implementing__slug="gdansk")
    before = set(Event.objects.values_list("pk", flat=True))
    more_cities_of_gdansk(programme, pairing.first(), n)
    for event in Event.objects.exclude(pk__in=before):
        Event.objects.filter(pk=event.pk).update(status=EventStatus.HELD)
        event.refresh_from_db()
        report_save(
            event=event,
            findings="What the visit found.",
            recommendations=[RecommendationInput("First."), RecommendationInput("Second.")],
        )


# token, its last use, the person's scopes, count, page, the request log; + the event filter's
# kinds (events), + the reports' recommendations, in one query (visit reports). Each page holds
# every row (page_size=200), so that a query per row would show.
@pytest.mark.parametrize(
    ("email", "path", "pinned"),
    [
        ("coordinator@example.org", "/api/v1/events/?page_size=200", 7),
        ("officer.gdansk@example.org", "/api/v1/events/?page_size=200", 7),
        ("officer.gdansk@example.org", "/api/v1/events/?concerning=true&page_size=200", 7),
        ("coordinator@example.org", "/api/v1/visit-reports/?page_size=200", 7),
        ("officer.gdansk@example.org", "/api/v1/visit-reports/?page_size=200", 7),
    ],
)
def test_event_and_report_query_counts_do_not_grow(demo, email, path, pinned):
    client = bearer(User.objects.get(email=email))
    small, few = measure(client, path)
    more_events_with_reports(demo, 4)
    large, many = measure(client, path)
    assert few < many <= 200
    assert (small, large) == (pinned, pinned)


def _more_programmes_and_schemes(demo, coordinator: User, n: int) -> None:
    """n more programmes the coordinator coordinates, each with a scheme, and n more schemes of
    the demo programme."""
    for _ in range(n):
        programme = ProgrammeFactory()
        membership_grant(user=coordinator, role=Role.COORDINATOR, programme=programme)
        SchemeFactory(programme=programme)
        SchemeFactory(programme=demo)


@pytest.mark.parametrize(
    # token, its last use, the person's scopes, count, page (with what each row names, in the
    # same query), the request log
    ("path", "pinned"),
    [("/api/v1/programmes/", 6), ("/api/v1/schemes/", 6)],
)
def test_programme_and_scheme_query_counts_do_not_grow(demo, path, pinned):
    coordinator = User.objects.get(email="coordinator@example.org")
    client = bearer(coordinator)
    small, few = measure(client, path)
    _more_programmes_and_schemes(demo, coordinator, 4)
    large, many = measure(client, path)
    assert many > few
    assert (small, large) == (pinned, pinned)
