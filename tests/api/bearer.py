"""A client that reads the API as a person does, with a personal token of theirs (or anonymously
without one), for the app endpoints' tests."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.services import token_create


def reader(user: User | None) -> Client:
    if user is None:
        return Client()
    secret = token_create(
        owner=user, name="Test system", expires_at=timezone.now() + timedelta(days=1)
    ).secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


def every_page(client: Client, url: str) -> list[dict]:
    """The results of every page of a list, following ``next``."""
    results: list[dict] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:500])
        body = response.json()
        results.extend(body["results"])
        url = body["next"]
    return results
