"""Who may take each signature of a month, role by role, and the reason given to the others:
the same (allowed, reason) the month page asks and the services raise."""

from datetime import date

import pytest

from reporting.models import MonthStatus, TimesheetMonth
from reporting.permissions import MONTH_WORKFLOW
from tests.reporting.factories import build_time_world, fresh

pytestmark = pytest.mark.django_db

ROLES = ("officer", "colleague", "supervisor", "other_supervisor", "coordinator", "outsider")

# For a month of the officer of Ghent: who may take each step when the month is in its state.
MAY = {
    ("submit", MonthStatus.OPEN): {"officer"},
    ("submit", MonthStatus.RETURNED): {"officer"},
    ("approve", MonthStatus.SUBMITTED): {"supervisor"},
    ("return", MonthStatus.SUBMITTED): {"supervisor"},
    ("reopen", MonthStatus.APPROVED): {"coordinator"},
    # A paper month arrives signed, brought in by the city's officers or supervisors.
    ("import", MonthStatus.OPEN): {"officer", "colleague", "supervisor"},
}


@pytest.fixture
def world():
    return build_time_world()


def month(world, status) -> TimesheetMonth:
    return TimesheetMonth(
        person=world.officer,
        programme=world.programme,
        city=world.city,
        month=date(2017, 3, 1),
        status=status,
    )


def person(world, role):
    return fresh(world.outsider_coordinator if role == "outsider" else getattr(world, role))


def test_each_step_is_offered_to_its_role_in_its_states_only(world):
    for status in MonthStatus.values:
        sheet = month(world, status)
        for role in ROLES:
            offered = {t.name for t in MONTH_WORKFLOW.available(person(world, role), sheet)}
            expected = {
                name for (name, state), roles in MAY.items() if state == status and role in roles
            }
            assert offered == expected, (status, role)


@pytest.mark.parametrize(
    ("name", "status", "role", "reason"),
    [
        (
            "submit",
            MonthStatus.OPEN,
            "supervisor",
            "Only the person whose timesheet it is can sign it.",
        ),
        (
            "submit",
            MonthStatus.APPROVED,
            "officer",
            "March 2017 is approved and locked; a coordinator can reopen it.",
        ),
        (
            "approve",
            MonthStatus.SUBMITTED,
            "other_supervisor",
            "Only a supervisor of Ghent can approve this timesheet.",
        ),
        # A supervisor never approves their own month; the person is asked before the state.
        (
            "approve",
            MonthStatus.OPEN,
            "officer",
            "Only a supervisor of Ghent can approve this timesheet.",
        ),
        ("approve", MonthStatus.OPEN, "supervisor", "Only a submitted timesheet can be approved."),
        (
            "return",
            MonthStatus.SUBMITTED,
            "coordinator",
            "Only a supervisor of Ghent can return this timesheet.",
        ),
        (
            "return",
            MonthStatus.APPROVED,
            "supervisor",
            "Only a submitted timesheet can be returned.",
        ),
        (
            "import",
            MonthStatus.OPEN,
            "coordinator",
            "Only officers and supervisors of Ghent import its timesheets.",
        ),
        (
            "import",
            MonthStatus.SUBMITTED,
            "officer",
            "March 2017 is already in Tandem; an import never changes it.",
        ),
        # Reopening asks the state first.
        ("reopen", MonthStatus.SUBMITTED, "outsider", "Only an approved month can be reopened."),
        (
            "reopen",
            MonthStatus.APPROVED,
            "outsider",
            "Only a coordinator of the programme can reopen a month.",
        ),
    ],
)
def test_a_refusal_says_why(world, name, status, role, reason):
    assert MONTH_WORKFLOW.allowed(person(world, role), month(world, status), name) == (
        False,
        reason,
    )
