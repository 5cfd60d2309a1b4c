"""Cache-Control (issue 14, finding 10a): config.middleware sends "private, no-store" on every
response to a signed-in person and on every address that carries a secret; a view marked
may_be_public keeps a "public" it chose. tests/test_endpoint_matrix.py checks every URL pattern
for every role; these are the rule's edges."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from config.middleware import PRIVATE, PrivateNoStoreMiddleware, bearer_secret, may_be_public
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def answer(view, *, user=None, header: str | None = None) -> HttpResponse:
    def respond(request):
        response = HttpResponse("content")
        if header:
            response["Cache-Control"] = header
        return response

    request = RequestFactory().get("/anything/")
    if user is not None:
        request.user = user
    middleware = PrivateNoStoreMiddleware(respond)
    middleware.process_view(request, view, (), {})
    return middleware(request)


def plain_view(request):  # pragma: no cover - never called, only marked
    return HttpResponse()


def test_signed_in_responses_are_never_stored():
    person = UserFactory()
    assert answer(plain_view, user=person)["Cache-Control"] == PRIVATE
    # A view's own, weaker header is replaced.
    got = answer(plain_view, user=person, header="private, max-age=300")
    assert got["Cache-Control"] == PRIVATE


def test_anonymous_pages_are_left_alone_unless_the_address_holds_a_secret():
    assert "Cache-Control" not in answer(plain_view, user=AnonymousUser())
    feed = bearer_secret(lambda request: HttpResponse())
    assert answer(feed, user=AnonymousUser())["Cache-Control"] == PRIVATE


def test_a_public_view_keeps_public_only_when_it_says_so():
    person = UserFactory()
    pdf = may_be_public(lambda request: HttpResponse())
    assert answer(pdf, user=person, header="public, max-age=300")["Cache-Control"] == (
        "public, max-age=300"
    )
    assert answer(pdf, user=person, header="private")["Cache-Control"] == PRIVATE
    assert answer(plain_view, user=person, header="public")["Cache-Control"] == PRIVATE


def test_through_the_stack(client):
    person = UserFactory()
    assert "no-store" not in client.get(reverse("toolkits:catalogue")).get("Cache-Control", "")
    client.force_login(person)
    for name in (
        "accounts:my_data",
        "accounts:my_data_export",
        "accounts:settings",
        "toolkits:catalogue",
        "home",
    ):
        header = client.get(reverse(name))["Cache-Control"]
        assert {"private", "no-store"} <= {d.strip() for d in header.split(",")}, name
