"""A person's notifications in the browser: the list and its filters, opening and marking, the
bell, how they are told (signed in, or from an e-mail's one-click link), and their language."""

import json
import re

import pytest
from django.urls import reverse

from notifications import services
from notifications.emails import preference_token
from notifications.models import Delivery, Notification, Preference
from tests.accounts.factories import UserFactory

from .conftest import DIGEST_KIND, KIND

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def tell(person, *, programme="CITIES-GROW", kind=KIND, what="one", link="/things/7/") -> int:
    services.notify(
        kind,
        recipients=[person],
        link=link,
        params={"person": f"Ada {what}", "period_month": "2026-03", "what": what},
        programme=programme,
    )
    return Notification.objects.filter(recipient=person).latest("pk").pk


@pytest.fixture
def reader(client, kind):
    person = UserFactory()
    client.force_login(person)
    return person


# The list ----------------------------------------------------------------------------------


def test_the_list_shows_the_persons_own_newest_first(client, reader):
    tell(reader, what="first")
    tell(reader, what="second")
    tell(UserFactory(), what="someone else's")
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Ada second did the thing") < html.index("Ada first did the thing")
    assert "someone else" not in html
    assert "March 2026" in html
    # A moment the HTML checker accepts: whole seconds, the offset without a colon.
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}">', html)


def test_the_filters_unread_group_and_programme(client, reader):
    read = tell(reader, what="alpha-one")
    Notification.objects.filter(pk=read).update(read_at="2026-03-01T00:00Z")
    tell(reader, what="beta-one", programme="ICP AGIR")
    tell(reader, kind=DIGEST_KIND, what="gamma-one")

    def shown(query: str) -> set[str]:
        response = client.get(LIST + query)
        assert response.status_code == 200, query
        html = response.content.decode()
        return {w for w in ("alpha-one", "beta-one", "gamma-one") if w in html}

    assert shown("") == {"alpha-one", "beta-one", "gamma-one"}
    assert shown("?show=unread") == {"beta-one", "gamma-one"}
    assert shown("?programme=ICP+AGIR") == {"beta-one"}
    assert shown("?group=testing&programme=CITIES-GROW") == {"alpha-one", "gamma-one"}
    # The subject's value is the same in every language: a link made in English filters in German.
    client.cookies["django_language"] = "de"
    assert shown("?group=testing&programme=CITIES-GROW") == {"alpha-one", "gamma-one"}
    assert 'value="actionplans"' not in client.get(LIST).content.decode()
    assert 'value="action-plans"' in client.get(LIST).content.decode()
    del client.cookies["django_language"]
    # A programme that is not among the person's: 400, and nothing shown rather than all.
    response = client.get(LIST + "?programme=Nope")
    assert response.status_code == 400
    assert "beta-one" not in response.content.decode()


def test_the_list_is_paginated(client, reader):
    for number in range(30):
        tell(reader, what=f"item-{number:02d}-")
    first = client.get(LIST).content.decode()
    second = client.get(LIST + "?page=2").content.decode()
    assert "item-29-" in first
    assert "item-05-" in first
    assert "item-04-" not in first
    assert "item-04-" in second
    assert "item-00-" in second
    assert "item-29-" not in second
    assert 'rel="next"' in first


def test_mark_all_read_marks_what_the_filters_show(client, reader):
    here = tell(reader, what="here", programme="CITIES-GROW")
    there = tell(reader, what="there", programme="ICP AGIR")
    response = client.post(LIST + "?programme=ICP+AGIR")
    assert response.status_code == 302
    assert response["Location"] == LIST + "?programme=ICP+AGIR"
    assert Notification.objects.get(pk=there).read_at is not None
    assert Notification.objects.get(pk=here).read_at is None
    assert client.post(LIST).status_code == 302
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()


def test_mark_all_read_with_filters_that_make_no_sense_marks_nothing(client, reader):
    tell(reader)
    assert client.post(LIST + "?show=bogus").status_code == 400
    assert Notification.objects.filter(recipient=reader, read_at__isnull=True).count() == 1


def test_the_list_needs_a_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# Opening and marking -----------------------------------------------------------------------


def test_opening_marks_read_and_goes_to_the_link(client, reader):
    pk = tell(reader, link="/things/7/")
    response = client.get(reverse("notifications:open", args=[pk]))
    assert response.status_code == 302
    assert response["Location"] == "/things/7/"
    assert Notification.objects.get(pk=pk).read_at is not None


def test_opening_one_without_a_link_goes_to_the_list(client, reader):
    pk = tell(reader, link="")
    assert client.get(reverse("notifications:open", args=[pk]))["Location"] == LIST


def test_another_persons_notification_is_not_found(client, reader):
    theirs = tell(UserFactory())
    assert client.get(reverse("notifications:open", args=[theirs])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs])).status_code == 404
    unread = client.post(reverse("notifications:read", args=[theirs]), {"unread": "1"})
    assert unread.status_code == 404
    assert Notification.objects.get(pk=theirs).read_at is None


def test_mark_read_and_unread(client, reader):
    pk = tell(reader)
    url = reverse("notifications:read", args=[pk])
    response = client.post(url, {"next": LIST + "?show=unread"})
    assert response["Location"] == LIST + "?show=unread"
    assert Notification.objects.get(pk=pk).read_at is not None
    response = client.post(url, {"unread": "1"})
    assert response["Location"] == LIST
    assert Notification.objects.get(pk=pk).read_at is None
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example.org/", "//evil.example.org/", "/\\evil.example.org/"]
)
def test_marking_never_leads_off_the_portal(client, reader, elsewhere):
    pk = tell(reader)
    response = client.post(reverse("notifications:read", args=[pk]), {"next": elsewhere})
    assert response["Location"] == LIST


# The bell ----------------------------------------------------------------------------------


def test_the_bell_counts_the_unread(client, reader):
    url = reverse("notifications:bell")
    assert json.loads(client.get(url).content) == {"unread": 0}
    first = tell(reader)
    tell(reader)
    tell(UserFactory())
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content) == {"unread": 2}
    client.get(reverse("notifications:open", args=[first]))
    assert json.loads(client.get(url).content) == {"unread": 1}


def test_the_bell_in_the_header_shows_the_count(client, reader):
    html = client.get(reverse("home")).content.decode()
    assert 'data-bell="/notifications/bell/"' in html
    assert "data-bell-count hidden" in html
    tell(reader)
    tell(reader)
    html = client.get(reverse("home")).content.decode()
    assert "data-bell-count hidden" not in html
    assert "<span data-bell-number>2</span>" in html


# How one is told ---------------------------------------------------------------------------


def _field(key: str) -> str:
    return "kind_" + key.replace(".", "__")


def test_the_preferences_page_saves_choices_and_the_default_removes_the_row(client, reader):
    url = reverse("notifications:preferences")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A thing is done" in html
    assert "<h2>Testing</h2>" in html
    choices = {
        name: Delivery.EMAIL for name in response.context["form"].fields
    }  # every kind registered, the actionplans ones too
    choices[_field(KIND)] = Delivery.PORTAL
    choices[_field(DIGEST_KIND)] = Delivery.DIGEST  # its default
    response = client.post(url, choices)
    assert response.status_code == 302
    assert dict(Preference.objects.filter(user=reader).values_list("kind", "delivery")) == {
        KIND: Delivery.PORTAL
    }
    choices[_field(KIND)] = Delivery.EMAIL  # back to the default
    assert client.post(url, choices).status_code == 302
    assert not Preference.objects.filter(user=reader).exists()


def test_the_preferences_page_refuses_a_way_not_offered(client, reader):
    url = reverse("notifications:preferences")
    names = client.get(url).context["form"].fields
    data = dict.fromkeys(names, Delivery.EMAIL)
    data[_field(KIND)] = "pigeon"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.filter(user=reader).exists()


def test_the_one_click_page_shows_the_form_for_a_valid_token(client, kind):
    person = UserFactory()
    url = reverse("notifications:one_click", args=[preference_token(person, KIND)])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert person.email in html
    assert "A thing is done" in html
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert not Preference.objects.exists()  # looking (a mail scanner) changes nothing


def test_the_one_click_form_saves_a_choice(kind):
    from django.test import Client

    person = UserFactory()
    url = reverse("notifications:one_click", args=[preference_token(person, KIND)])
    response = Client(enforce_csrf_checks=True).post(url, {"delivery": Delivery.DIGEST})
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert services.delivery_of(person, KIND) == Delivery.DIGEST


def test_a_mail_clients_one_click_post_stops_the_emails_without_session_or_csrf(kind):
    from django.test import Client

    person = UserFactory()
    url = reverse("notifications:one_click", args=[preference_token(person, KIND)])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=person, kind=KIND).delivery == Delivery.PORTAL


def test_a_tampered_or_foreign_token_is_not_found(client, kind):
    person = UserFactory()
    token = preference_token(person, KIND)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (tampered, preference_token(person, "tests.no_such_kind")):
        url = reverse("notifications:one_click", args=[bad])
        assert client.get(url).status_code == 404
        assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get(reverse("notifications:one_click", args=[token])).status_code == 404
    assert not Preference.objects.exists()


# Language ----------------------------------------------------------------------------------


def test_the_settings_page_saves_the_language(client, reader):
    url = reverse("accounts:settings")
    response = client.post(url, {"language-language": "de"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.language == "de"
    assert response.cookies["django_language"].value == "de"


def test_a_language_not_offered_is_refused_with_a_field_message(client, reader):
    reader.time_zone = "Asia/Seoul"
    reader.language = "fr"
    reader.save(update_fields=["time_zone", "language"])
    response = client.post(reverse("accounts:settings"), {"language-language": "xx"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice. xx is not one of the available choices." in html
    assert 'aria-invalid="true"' in html
    reader.refresh_from_db()
    assert (reader.language, reader.time_zone) == ("fr", "Asia/Seoul")


def test_the_language_switcher_keeps_the_choice_on_the_account(client, reader):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.language == "de"
    client.post(reverse("set_language"), {"language": "klingon", "next": "/"})
    reader.refresh_from_db()
    assert reader.language == "de"


def test_the_language_switcher_for_anonymous_people_changes_no_account(client):
    person = UserFactory()
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == ""


def test_the_one_click_form_refuses_a_way_not_offered(client, kind):
    person = UserFactory()
    url = reverse("notifications:one_click", args=[preference_token(person, KIND)])
    response = client.post(url, {"delivery": "pigeon"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.exists()
