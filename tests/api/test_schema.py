"""The OpenAPI schema validates, and a property-based run against it (schemathesis) over every
endpoint, with a token of each role, finds no 5xx and no response that breaks the schema.

The run takes seconds per role, not milliseconds: schemathesis sends a few generated requests
to each of the API's operations (filters, orderings, pages, ids of every shape), each a real
request through the portal's middleware, DRF and PostgreSQL. It stays one test per role, so
that pytest-xdist spreads the roles over its workers. The coordinator (who sees a whole
programme) and Gdańsk's officer (who sees through their city, and whose filters' choices are
narrowed) get the most examples; the others, whose rows are subsets of those two, fewer: what
each role sees is checked row by row in test_lists.py, here only that what they see and what
they may send keeps to the schema. Hypothesis runs only its explicit and generate phases (the
examples are independent and nothing is stored between runs), so a failure is reported as
found, with schemathesis's curl command to reproduce it, rather than shrunk first.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
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
# Generated requests per operation, by role (see the module's docstring).
EXAMPLES = {"coordinator": 8, "officer": 8, "expert": 4, "supervisor": 4, "partner": 4}


def test_the_schema_validates_without_warnings():
    """Quick (well under a second): drf-spectacular generates the schema once and validates
    it against the OpenAPI 3 meta-schema; any warning (an unresolved type, a name clash) fails."""
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
    """Seconds, not milliseconds: EXAMPLES[role] generated requests to each of the API's
    operations, each a real request through the middleware, DRF and PostgreSQL, with the
    role's token (the module's docstring says why the roles get different numbers)."""
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
            max_examples=EXAMPLES[role],
            phases=[Phase.explicit, Phase.generate],
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
