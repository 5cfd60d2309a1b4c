"""The tokens page (/account/api-tokens/) as a person uses it: the new token's secret is shown
once, on the page the creation leads to, and never again (only how it starts); the token reads
the API; revoking it through the confirmation page makes the API refuse it, saying why; nobody
else can revoke it; a duration beyond the longest allowed is refused on its field."""

import re

import pytest
from django.test import Client

from accounts.models import ApiToken

from ..accounts.factories import UserFactory
from ..pageforms import post_form

TOKENS = "/account/api-tokens/"
ME = "/api/v1/me/"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def secret_on(html: str) -> str | None:
    found = re.search(r'id="new-token-secret"[^>]*value="([^"]+)"', html)
    return found.group(1) if found else None


@pytest.fixture
def person(db):
    return UserFactory()


def create(client: Client, name: str = "Partner system", valid_for: str = "30"):
    data = post_form(client.get(TOKENS).content.decode())
    data.update(name=[name], valid_for=[valid_for])
    return client.post(TOKENS, data)


def test_the_secret_is_shown_once_and_the_token_reads_the_api(person):
    client = signed_in(person)
    created = create(client)
    assert created.status_code == 302
    assert created["Location"] == TOKENS

    shown = client.get(TOKENS).content.decode()
    secret = secret_on(shown)
    token = ApiToken.objects.get(owner=person)
    assert secret is not None
    assert secret.startswith(f"tdm_{token.prefix}_")
    assert "Copy it now: it is shown only this once." in shown

    # Reloading, or coming back later, lists the token by how it starts, never the secret.
    again = client.get(TOKENS).content.decode()
    assert secret_on(again) is None
    assert secret not in again
    assert f"<code>tdm_{token.prefix}</code>" in again
    assert ApiToken.objects.filter(owner=person).count() == 1

    me = Client(headers={"Authorization": f"Bearer {secret}"}).get(ME)
    assert me.status_code == 200
    assert me.json()["email"] == person.email
    assert me.json()["token"]["prefix"] == token.prefix


def test_revoking_through_the_confirmation_makes_the_api_refuse_the_token(person):
    client = signed_in(person)
    create(client, name="Old system")
    secret = secret_on(client.get(TOKENS).content.decode())
    token = ApiToken.objects.get(owner=person)
    revoke = f"/account/api-tokens/{token.pk}/revoke/"
    assert f'href="{revoke}"' in client.get(TOKENS).content.decode()

    confirmation = client.get(revoke)
    assert confirmation.status_code == 200
    assert "Revoke the token “Old system”?" in confirmation.content.decode()
    assert f"tdm_{token.prefix}" in confirmation.content.decode()
    assert secret not in confirmation.content.decode()
    done = client.post(revoke, post_form(confirmation.content.decode()), follow=True)
    assert done.redirect_chain == [(TOKENS, 302)]
    page = done.content.decode()
    assert "The token “Old system” is revoked: it no longer works." in page
    assert "Revoked" in page
    assert f'href="{revoke}"' not in page

    refused = Client(headers={"Authorization": f"Bearer {secret}"}).get(ME)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert "revoked" in refused.json()["detail"]


def test_another_person_cannot_see_or_revoke_the_token(person):
    create(signed_in(person))
    token = ApiToken.objects.get(owner=person)
    other = signed_in(UserFactory())
    revoke = f"/account/api-tokens/{token.pk}/revoke/"
    assert other.get(revoke).status_code == 404
    assert other.post(revoke).status_code == 404
    assert f"tdm_{token.prefix}" not in other.get(TOKENS).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("valid_for", ["400", "3650", "-1", "soon"])
def test_a_duration_beyond_the_longest_is_refused_on_its_field_keeping_the_name(person, valid_for):
    client = signed_in(person)
    refused = create(client, name="Nightly export", valid_for=valid_for)
    assert refused.status_code == 400
    form = refused.context["form"]
    assert list(form.errors) == ["valid_for"]
    assert form.errors["valid_for"] == [
        "Choose one of the durations offered: a token is valid for at most 365 days."
    ]
    page = refused.content.decode()
    assert 'value="Nightly export"' in page
    assert "at most 365 days" in page
    assert secret_on(page) is None
    assert not ApiToken.objects.filter(owner=person).exists()
