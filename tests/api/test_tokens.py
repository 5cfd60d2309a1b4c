"""Personal API tokens: the secret is shown once and stored only as its hash; an expired or
revoked token, or one whose person's account is closed, is refused with 401 and says why; every
request to the API is logged; the rate is limited per token with Retry-After."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import ApiRequest, ApiToken
from accounts.services import api_requests_forget, token_create, token_revoke
from config.tokens import secret_hash

from ..accounts.factories import UserFactory

ME = "/api/v1/me/"


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def new_token(owner, *, days: int = 30, **kwargs):
    return token_create(
        owner=owner,
        name="Partner system",
        expires_at=timezone.now() + timedelta(days=days),
        **kwargs,
    )


@pytest.fixture
def person(db):
    return UserFactory()


def test_the_secret_is_given_once_and_only_its_hash_is_kept(person):
    made = new_token(person)
    token = ApiToken.objects.get(pk=made.token.pk)
    assert made.secret.startswith(f"tdm_{token.prefix}_")
    assert len(made.secret) > 40
    assert token.key_hash == secret_hash(made.secret)
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values())
    assert made.secret not in stored
    assert token.scopes == ["read"]
    me = bearer(made.secret).get(ME)
    assert me.status_code == 200
    assert me.json()["id"] == person.pk
    assert me.json()["token"]["prefix"] == token.prefix
    assert "key_hash" not in me.json()["token"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expiry_is_required_and_bounded(person):
    with pytest.raises(ValidationError) as past:
        new_token(person, days=-1)
    assert "expires_at" in past.value.message_dict
    with pytest.raises(ValidationError) as far:
        new_token(person, days=366)
    assert "at most 365 days" in far.value.message_dict["expires_at"][0]
    with pytest.raises(ValidationError) as scope:
        new_token(person, scopes=("write",))
    assert "scopes" in scope.value.message_dict
    with pytest.raises(ValidationError) as nameless:
        token_create(owner=person, name=" ", expires_at=timezone.now() + timedelta(days=1))
    assert "name" in nameless.value.message_dict


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("revoke", "revoked"),
        ("expire", "expired on"),
        ("close", "is closed"),
        ("forge", "not valid"),
    ],
)
def test_a_token_that_no_longer_works_is_refused_with_its_reason(person, spoil, message):
    made = new_token(person)
    secret = made.secret
    if spoil == "revoke":
        token_revoke(token=made.token, by=person)
    elif spoil == "expire":
        ApiToken.objects.filter(pk=made.token.pk).update(
            created_at=timezone.now() - timedelta(days=2),
            expires_at=timezone.now() - timedelta(seconds=1),
        )
    elif spoil == "close":
        person.is_active = False
        person.save(update_fields=["is_active"])
    else:
        secret = secret[:-2] + "xx"
    response = bearer(secret).get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert message in response.json()["detail"]
    assert response.json()["code"] == "authentication_failed"


def test_only_the_owner_revokes(person):
    made = new_token(person)
    with pytest.raises(PermissionDenied):
        token_revoke(token=made.token, by=UserFactory())
    assert token_revoke(token=made.token, by=person).revoked_at is not None


def test_every_request_is_logged_with_its_token_and_status(person):
    made = new_token(person)
    bearer(made.secret).get(ME)
    bearer("tdm_nothing_here").get(ME)
    Client().get(ME)
    Client().get("/api/v1/no-such-endpoint/")
    rows = list(ApiRequest.objects.order_by("pk").values_list("user", "token", "path", "status"))
    assert rows == [
        (person.pk, made.token.pk, ME, 200),
        (None, None, ME, 401),
        (None, None, ME, 401),
        (None, None, "/api/v1/no-such-endpoint/", 404),
    ]


def test_the_log_is_trimmed(person):
    old = ApiRequest.objects.create(
        method="GET", path=ME, status=200, at=timezone.now() - timedelta(days=91)
    )
    recent = ApiRequest.objects.create(method="GET", path=ME, status=200)
    assert api_requests_forget() == 1
    assert list(ApiRequest.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not ApiRequest.objects.filter(pk=old.pk).exists()


@override_settings(TANDEM_API_RATE="3/minute")
def test_the_rate_is_limited_per_token_with_retry_after(person):
    first, second = new_token(person), new_token(person)
    client = bearer(first.secret)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(ME)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"
    # Another token of the same person counts on its own.
    assert bearer(second.secret).get(ME).status_code == 200
