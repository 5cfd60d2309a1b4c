"""The OpenAPI schema validates, and a property-based run against it (schemathesis) over every
endpoint, with a token of each role, finds no 5xx and no response that breaks the schema.

The run takes seconds per role, not milliseconds: schemathesis sends a dozen generated
requests to each of the API's operations (filters, orderings, pages, ids of every shape),
each a real request through the portal's middleware, DRF and PostgreSQL.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from accounts.models import User
from accounts.services import token_create

ROLE_PEOPLE = {
    "coordinator": "coordinator@example.org",
    "expert": "expert@example.org",
    "officer": "officer.gdansk@example.org",
    "supervisor": "supervisor.gdansk@example.org",
    "partner": "partner@example.org",
}
EXAMPLES = 8


def test_the_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


@pytest.fixture
def wsgi_app():
    """The portal's WSGI application, in the test's transaction: as Django's test client does,
    the end of a request does not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", sorted(ROLE_PEOPLE))
def test_generated_requests_find_no_server_error_and_no_response_off_the_schema(
    demo, wsgi_app, settings, role
):
    """Slow (several seconds): EXAMPLES generated requests to each operation, see above."""
    settings.TANDEM_API_RATE = "100000/minute"  # every generated request reaches the view
    person = User.objects.get(email=ROLE_PEOPLE[role])
    secret = token_create(
        owner=person, name="Schemathesis", expires_at=timezone.now() + timedelta(days=1)
    ).secret
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    headers = {"Authorization": f"Bearer {secret}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(
                headers=headers,
                checks=[
                    not_a_server_error,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )

        check()
