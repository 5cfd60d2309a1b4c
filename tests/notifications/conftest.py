"""A kind of notification of the tests' own, registered for a test and forgotten after it."""

import pytest

from notifications import registry
from notifications.models import Delivery

KIND = "tests.thing_done"
DIGEST_KIND = "tests.thing_digested"


@pytest.fixture
def kind():
    """``tests.thing_done``: e-mailed at once unless the person chooses otherwise; its message
    shows a month (``period_month``), which German readers read as "März 2026"."""
    registry.register(
        registry.Kind(
            KIND,
            group="Testing",
            label="A thing is done",
            message="%(person)s did the thing for %(period_month)s",
            action="Open the thing",
        )
    )
    registry.register(
        registry.Kind(
            DIGEST_KIND,
            group="Testing",
            label="A thing is digested",
            message="%(person)s digested %(what)s",
            default=Delivery.DIGEST,
        )
    )
    yield KIND
    registry.unregister(KIND)
    registry.unregister(DIGEST_KIND)
