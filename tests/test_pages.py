"""Pages render for their users, and their query counts do not grow with the rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.services import membership_grant
from mentoring.services import participation_add
from tests.accounts.factories import UserFactory
from tests.cities.factories import CityFactory
from tests.mentoring.event_factories import EventFactory, PairingEventFactory
from tests.mentoring.factories import PairingFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def grow(programme, n: int) -> None:
    """Add n schemes with a pairing each, and n more cities with their officers."""
    for _ in range(n):
        scheme = SchemeFactory(programme=programme)
        scheme.commitments.set([1, 2])
        pairing = PairingFactory(scheme=scheme)
        city = CityFactory()
        participation_add(programme=programme, city=city)
        membership_grant(user=UserFactory(), role=Role.OFFICER, city=city)
        EventFactory(programme=programme)
        PairingEventFactory(pairing=pairing, programme=programme)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ("coordinator@example.org", lambda demo: reverse("home")),
    ("coordinator@example.org", lambda demo: demo.get_absolute_url()),
    ("coordinator@example.org", lambda demo: reverse("mentoring:pairings")),
    ("coordinator@example.org", lambda demo: reverse("portal:city_list")),
    ("coordinator@example.org", lambda demo: reverse("portal:invitations")),
    ("officer.gdansk@example.org", lambda demo: reverse("home")),
    ("officer.gdansk@example.org", lambda demo: "/cities/gdansk/"),
    ("officer.gdansk@example.org", lambda demo: demo.get_absolute_url()),
    ("expert@example.org", lambda demo: demo.get_absolute_url()),
    ("partner@example.org", lambda demo: demo.get_absolute_url()),
    ("officer.gdansk@example.org", lambda demo: reverse("mentoring:events")),
    ("supervisor.gdansk@example.org", lambda demo: reverse("home")),
    ("expert@example.org", lambda demo: reverse("home")),
    ("partner@example.org", lambda demo: reverse("home")),
]


@pytest.mark.parametrize(("email", "url"), PAGES)
def test_query_count_does_not_grow_with_rows(client, demo, demo_user, email, url):
    client.force_login(demo_user(email))
    # The demo's events are all over: one still to come, so that lists of coming events have a
    # row in both counts.
    EventFactory(programme=demo)
    small = queries_for(client, url(demo))
    grow(demo, 6)
    if email == "expert@example.org":
        PairingFactory.create_batch(3, scheme=demo.schemes.get(code="A"))
    large = queries_for(client, url(demo))
    assert large == small, f"{url(demo)}: {small} queries with few rows, {large} with more"


def test_programme_page_shows_schemes_cities_and_pairings(client, demo, demo_user):
    client.force_login(demo_user("partner@example.org"))
    html = client.get(demo.get_absolute_url()).content.decode()
    assert "Facilitated by MigrationWork CIC." in html
    assert "Brighton &amp; Hove" in html
    assert "€650,000.00" in html
    assert "10%" in html
    assert "Promote a diverse supplier base" in html
    assert html.count("<tr>") >= 8 + 4


def test_admin_works_for_every_model(admin_client, admin_user, rf, demo):
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, info
        if model_admin.has_add_permission(request):
            assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, (
                info
            )
        obj = model.objects.first()
        if obj is not None:
            change = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            assert change.status_code == 200, info
