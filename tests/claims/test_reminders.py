"""Reminders of a period's deadline (claims.notifications): two weeks ahead and the day after,
to the officers and supervisors of cities whose claim is not submitted; once each."""

from datetime import UTC, date, datetime, timedelta

import pytest

from claims.notifications import claims_due_soon, claims_overdue
from claims.services import claim_submit
from notifications.models import Notification
from tests.claims.factories import build_claim_world, open_claim, travel_line
from tests.reporting.factories import fresh

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_deadline_two_weeks_ahead_reminds_the_cities_that_have_not_submitted():
    world = build_claim_world()
    deadline = world.period.deadline  # 2017-05-31
    # Ghent submits; Gdańsk has not started its claim.
    claim = open_claim(world)
    travel_line(world, claim)
    claim_submit(claim, by=fresh(world.supervisor))
    assert claims_due_soon(at(deadline - timedelta(days=15))) == 0
    assert claims_due_soon(at(deadline - timedelta(days=10))) == 2
    assert told("claims.due_soon") == {world.other_officer.email, world.other_supervisor.email}
    # Running again tells nobody twice.
    assert claims_due_soon(at(deadline - timedelta(days=9))) == 0


def test_an_overdue_claim_is_reminded_of_once_in_the_month_after_its_deadline():
    world = build_claim_world()
    deadline = world.period.deadline
    open_claim(world)  # a draft is not submitted
    assert claims_overdue(at(deadline)) == 0
    assert claims_overdue(at(deadline + timedelta(days=1))) == 5  # 3 in Ghent, 2 in Gdańsk
    assert world.officer.email in told("claims.overdue")
    assert claims_overdue(at(deadline + timedelta(days=2))) == 0
    # Long past deadlines are history: nobody is told of them.
    Notification.objects.all().delete()
    assert claims_overdue(at(deadline + timedelta(days=45))) == 0
