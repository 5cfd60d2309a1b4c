"""What a person was told, and how they chose to be told, are in the download of their data
and go with their erasure; other people's notifications stop naming them."""

import json

import pytest
from django.urls import reverse

from accounts.privacy import REDACTED, erase_person, erasure_plan
from notifications.models import Delivery, Notification, Preference
from notifications.services import notify, preference_set
from tests.accounts.factories import UserFactory

from .conftest import DIGEST_KIND, KIND

pytestmark = pytest.mark.django_db


def tell(recipients, person_named: str, what: str = "x") -> None:
    notify(
        KIND,
        recipients=recipients,
        link="/things/7/",
        params={"person": person_named, "period_month": "2026-03", "what": what},
        programme="CITIES-GROW",
    )


def test_the_download_holds_the_persons_notifications_and_choices_only(client, kind):
    person, other = UserFactory(language="fr"), UserFactory()
    tell([person], "Ada Actor")
    tell([other], "Secret Sender")
    preference_set(user=person, kind=DIGEST_KIND, delivery=Delivery.PORTAL)
    preference_set(user=other, kind=KIND, delivery=Delivery.DIGEST)
    client.force_login(person)
    response = client.get(reverse("accounts:my_data_export"))
    assert response.status_code == 200
    data = json.loads(response.content)
    (told,) = data["notifications"]
    assert told["kind"] == KIND
    # Who took the step is someone else: their name stays out of this person's download.
    assert told["text"] == "another person did the thing for March 2026"
    assert "Ada Actor" not in response.content.decode()
    assert told["programme"] == "CITIES-GROW"
    assert told["link"] == "/things/7/"
    assert told["read_at"] is None
    assert told["created_at"]
    assert data["notification_preferences"] == [{"kind": DIGEST_KIND, "delivery": Delivery.PORTAL}]
    assert data["profile"]["language"] == "fr"
    assert "Secret Sender" not in response.content.decode()


def test_erasure_deletes_them_and_other_peoples_notifications_stop_naming_them(kind):
    person = UserFactory(full_name="Eve Erased", email="eve.erased@example.org")
    other = UserFactory()
    tell([person], "Ada Actor")
    tell([person], "Ada Actor")
    preference_set(user=person, kind=KIND, delivery=Delivery.PORTAL)
    tell([other], "Eve Erased", what="wrote to EVE.ERASED@example.org")
    tell([other], "Someone Else")
    plan = erasure_plan(person)
    assert plan.deleted["notifications"] == 2
    assert plan.deleted["notification_preferences"] == 1

    record = erase_person(person, by=None)

    assert not Notification.objects.filter(recipient=person).exists()
    assert not Preference.objects.filter(user=person).exists()
    assert record.deleted["notifications"] == 2
    named, untouched = Notification.objects.filter(recipient=other).order_by("pk")
    assert named.params["person"] == REDACTED
    assert named.params["what"] == f"wrote to {REDACTED}"
    assert named.params["period_month"] == "2026-03"
    assert untouched.params["person"] == "Someone Else"
    person.refresh_from_db()
    assert person.language == ""


def test_the_erasure_page_lists_what_goes(client, kind):
    from accounts.privacy import deleted_rows

    keys = [row.key for row in deleted_rows()]
    assert keys[-2:] == ["notifications", "notification_preferences"]
