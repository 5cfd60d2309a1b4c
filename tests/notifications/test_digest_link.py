"""The digest's own link (issue 17: every e-mail lets its reader change how they are told
without signing in): the digest carries List-Unsubscribe, and its link stops the digests, by
one click from a mail client or from the page it opens; the notifications stay in the portal.
And a language named in a message is named in the reader's language."""

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.utils import translation

from notifications import registry, services
from notifications.models import Delivery, Notification
from tests.accounts.factories import UserFactory

from .conftest import DIGEST_KIND, KIND

pytestmark = pytest.mark.django_db


def _digest_for(person) -> str:
    services.notify(DIGEST_KIND, recipients=[person], params={"person": "A", "what": "x"})
    Notification.objects.update(created_at=datetime(2026, 3, 10, 3, tzinfo=UTC))
    assert services.send_digests(datetime(2026, 3, 10, 12, tzinfo=UTC)) == 1
    (message,) = mail.outbox
    link = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    return link.removeprefix("http://testserver").removeprefix("http://127.0.0.1:8000")


def test_one_click_from_a_mail_client_stops_the_digests(kind, client, settings):
    settings.TANDEM_DIGEST_HOUR = 7
    person = UserFactory(time_zone="Europe/Brussels")
    services.preference_set(user=person, kind=KIND, delivery=Delivery.DIGEST)
    path = _digest_for(person)
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert services.delivery_of(person, DIGEST_KIND) == Delivery.PORTAL
    assert services.delivery_of(person, KIND) == Delivery.PORTAL
    assert Notification.objects.filter(recipient=person).count() == 1  # still in the portal


def test_the_page_asks_first_then_stops(kind, client, settings):
    settings.TANDEM_DIGEST_HOUR = 7
    person = UserFactory(time_zone="Europe/Brussels")
    path = _digest_for(person)
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop the digest" in page.content.decode()
    assert services.delivery_of(person, DIGEST_KIND) == Delivery.DIGEST  # a GET changes nothing
    done = client.post(path, {"stop": "1"})
    assert done.status_code == 200
    assert "receives no more digests" in done.content.decode()
    assert services.delivery_of(person, DIGEST_KIND) == Delivery.PORTAL


def test_kinds_by_email_stay_by_email(kind):
    person = UserFactory()
    assert services.digest_stop(user=person) == 1  # the test kind that defaults to the digest
    assert services.delivery_of(person, KIND) == Delivery.EMAIL


@pytest.mark.parametrize(("language", "name"), [("en", "German"), ("fr", "Allemand")])
def test_a_language_is_named_in_the_readers_language(language, name):
    spec = registry.Kind("tests.pdf", group="g", label="l", message="PDF (%(pdf_language)s)")
    with translation.override(language):
        assert spec.text({"pdf_language": "de"}) == f"PDF ({name})"
        assert spec.text({"pdf_language": "xx-unknown"}) == "PDF (xx-unknown)"
