"""The monthly timesheet's signatures through the services: the person signs, a supervisor of
the city countersigns (with the rate in force stored on the month) or returns it, a coordinator
reopens an approved month; every transition from a wrong state is refused with a message."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentoring.models import CostModel
from reporting import services
from reporting.costs import EU_FIGURES, cents, daily_rate, hourly_rate, staff_cost
from reporting.models import MonthStatus, TimeEntry, TimesheetAction, TimesheetMonth
from reporting.selectors import person_months
from tests.accounts.factories import CityOfficerFactory, CitySupervisorFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

MARCH = date(2017, 3, 1)
APRIL = date(2017, 4, 1)


@pytest.fixture
def world():
    return build_time_world()


def sheet_of(world, person, month=MARCH, city=None) -> TimesheetMonth:
    city = city or (world.other_city if person == world.other_officer else world.city)
    return TimesheetMonth.objects.get(
        person=person, programme=world.programme, city=city, month=month
    )


def messages_of(call) -> list[str]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.messages


def field_errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def submitted(world, person=None, month=MARCH, hours=(6, 4)) -> TimesheetMonth:
    person = person or world.officer
    for index, h in enumerate(hours):
        record(world, person, month + timedelta(days=index), h)
    sheet = sheet_of(world, person, month)
    services.month_submit(sheet, by=fresh(person), ip_address="192.0.2.1")
    sheet.refresh_from_db()
    return sheet


# Submit -----------------------------------------------------------------------------------------


def test_the_person_signs_and_the_month_locks(world):
    sheet = submitted(world)
    assert sheet.status == MonthStatus.SUBMITTED
    assert sheet.submitted_at is not None
    log = sheet.log.get()
    assert (log.action, log.actor, log.ip_address) == (
        TimesheetAction.SUBMITTED,
        world.officer,
        "192.0.2.1",
    )
    assert log.details == {"hours": "10.0"}
    # Locked: no new entry in the month, no change of an existing one.
    with pytest.raises(ValidationError):
        record(world, world.officer, date(2017, 3, 10), 2)
    entry = TimeEntry.objects.filter(timesheet=sheet).first()
    assert "submitted for approval" in " ".join(
        messages_of(lambda: services.time_entry_update(entry, by=fresh(world.officer), hours=1))
    )


@pytest.mark.parametrize("who", ["colleague", "supervisor", "coordinator", "other_officer"])
def test_only_the_person_signs_their_month(world, who):
    record(world, world.officer, MARCH, 5)
    sheet = sheet_of(world, world.officer)
    assert messages_of(lambda: services.month_submit(sheet, by=fresh(getattr(world, who)))) == [
        "Only the person whose timesheet it is can sign it."
    ]
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.OPEN
    assert not sheet.log.exists()


def test_an_empty_month_cannot_be_signed(world):
    sheet = services.timesheet_for(
        person=world.officer, programme=world.programme, city=world.city, month=MARCH
    )
    assert messages_of(lambda: services.month_submit(sheet, by=fresh(world.officer))) == [
        "There is no time recorded in this month to sign."
    ]
    # A month whose entries were all deleted is empty again.
    entry = record(world, world.officer, MARCH, 3)
    services.time_entry_delete(entry, by=fresh(world.officer))
    assert messages_of(lambda: services.month_submit(sheet, by=fresh(world.officer))) == [
        "There is no time recorded in this month to sign."
    ]


def test_a_month_is_not_signed_twice(world):
    sheet = submitted(world)
    (message,) = messages_of(lambda: services.month_submit(sheet, by=fresh(world.officer)))
    assert "submitted for approval" in message
    assert sheet.log.count() == 1


def test_a_month_that_has_not_begun_cannot_be_signed(world):
    sheet = services.timesheet_for(
        person=world.officer,
        programme=world.programme,
        city=world.city,
        month=date(2099, 1, 1),
    )
    assert messages_of(lambda: services.month_submit(sheet, by=fresh(world.officer))) == [
        "A month can be signed once it has begun."
    ]


# Approve ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["officer", "colleague", "other_supervisor", "coordinator", "outsider_coordinator"]
)
def test_only_a_supervisor_of_the_city_approves(world, who):
    sheet = submitted(world)
    rate(world, world.officer, 2017, "41280")
    (message,) = messages_of(lambda: services.month_approve(sheet, by=fresh(getattr(world, who))))
    assert message == "Only a supervisor of Ghent can approve this timesheet."
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.SUBMITTED
    assert sheet.rate is None


def test_a_supervisor_never_approves_their_own_month(world):
    # Sara is also an officer of Ghent: she records and signs her own time.
    CityOfficerFactory(user=world.supervisor, city=world.city)
    sheet = submitted(world, person=world.supervisor)
    rate(world, world.supervisor, 2017, "60200")
    (message,) = messages_of(lambda: services.month_approve(sheet, by=fresh(world.supervisor)))
    assert message == "Only a supervisor of Ghent can approve this timesheet."
    # The database holds the same rule.
    with transaction.atomic(), pytest.raises(IntegrityError):
        TimesheetMonth.objects.filter(pk=sheet.pk).update(approved_by=world.supervisor)
    # Another supervisor of the city may.
    second = CitySupervisorFactory(city=world.city).user
    services.month_approve(sheet, by=fresh(second))
    sheet.refresh_from_db()
    assert (sheet.status, sheet.approved_by) == (MonthStatus.APPROVED, second)


def test_approval_needs_the_annual_costs_of_the_year(world):
    sheet = submitted(world)
    rate(world, world.officer, 2016, "41280")  # Another year does not count.
    rate(world, world.colleague, 2017, "41280")  # Nor another person's rate.
    (message,) = messages_of(lambda: services.month_approve(sheet, by=fresh(world.supervisor)))
    assert message == (
        "Olga Officer has no annual personnel costs for 2017 yet; enter them under Rates first."
    )
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.SUBMITTED
    assert not sheet.log.filter(action=TimesheetAction.APPROVED).exists()


def test_approval_stores_the_rate_and_figures_in_force(world):
    sheet = submitted(world, hours=(8, 8, 4))
    rate(world, world.officer, 2017, "41280", share="0.5")
    services.month_approve(sheet, by=fresh(world.supervisor), ip_address="198.51.100.7")
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.APPROVED
    assert sheet.approved_by == world.supervisor
    assert sheet.approved_at is not None
    assert sheet.hours == Decimal(20)
    assert sheet.cost_model == CostModel.HOURLY
    assert sheet.annual_costs == Decimal("41280.00")
    assert sheet.working_time_share == Decimal("0.5")
    # 41,280 ÷ (1,720 × 0.5) = 48 an hour, kept at full precision.
    assert sheet.rate == hourly_rate(Decimal(41280), Decimal("0.5"), EU_FIGURES) == Decimal(48)
    cost = staff_cost(
        sheet.cost_model, sheet.annual_costs, sheet.working_time_share, sheet.hours, EU_FIGURES
    )
    assert cents(cost) == Decimal("960.00")
    log = sheet.log.get(action=TimesheetAction.APPROVED)
    assert log.actor == world.supervisor
    assert log.ip_address == "198.51.100.7"
    assert log.details["hours"] == "20.0"
    assert Decimal(log.details["rate"]) == Decimal(48)


def test_approval_in_the_daily_model_stores_the_daily_rate(world):
    world.programme.cost_model = CostModel.DAILY
    world.programme.save()
    sheet = submitted(world, hours=(8, 8, 4))
    rate(world, world.officer, 2017, "52000")
    services.month_approve(sheet, by=fresh(world.supervisor))
    sheet.refresh_from_db()
    assert sheet.cost_model == CostModel.DAILY
    # Computed from the exact annual costs, not the rounded rate column.
    assert sheet.exact_rate == daily_rate(Decimal(52000), Decimal(1), EU_FIGURES)
    # 20 hours = 2.5 day-equivalents at €241.8605.
    cost = staff_cost(
        sheet.cost_model, sheet.annual_costs, sheet.working_time_share, sheet.hours, EU_FIGURES
    )
    assert cents(cost) == Decimal("604.65")


def test_a_later_change_of_the_rate_leaves_approved_months_alone(world):
    record(world, world.officer, MARCH, 8)
    rate(world, world.officer, 2017, "41280")
    march = approved_month(world, world.officer, MARCH)
    record(world, world.officer, APRIL, 8)
    rate(world, world.officer, 2017, "60200")  # A pay rise, entered after March was approved.
    april = approved_month(world, world.officer, APRIL)
    march.refresh_from_db()
    assert march.rate == Decimal(24)
    assert march.annual_costs == Decimal("41280.00")
    assert april.rate == Decimal(35)
    rows = person_months(world.programme, city=world.city, first_month=MARCH, last_month=APRIL)
    assert [cents(row.cost) for row in rows] == [Decimal("192.00"), Decimal("280.00")]


def test_approval_keeps_the_annual_cap_across_cities(world):
    """Olga also works for Gdańsk, on a small share there: her approved hours in the year may
    not exceed the productive hours of the rate she is approved with."""
    CityOfficerFactory(user=world.officer, city=world.other_city)
    rate(world, world.officer, 2017, "5000", share="0.1", city=world.other_city)  # 172 hours
    rate(world, world.officer, 2017, "41280")  # Full time in Ghent: 1,720 hours
    for index in range(12):  # 120 hours for Gdańsk, within its 172.
        record(world, world.officer, MARCH + timedelta(days=index), 10, city=world.other_city)
    for index in range(10):  # 100 hours for Ghent.
        record(world, world.officer, APRIL + timedelta(days=index), 10)
    ghent = sheet_of(world, world.officer, APRIL)
    gdansk = sheet_of(world, world.officer, MARCH, city=world.other_city)
    # Gdańsk signed first: signed after Ghent, its own cap would refuse the signature already
    # (tests/reporting/test_other_grants.py).
    services.month_submit(gdansk, by=fresh(world.officer))
    services.month_submit(ghent, by=fresh(world.officer))
    services.month_approve(ghent, by=fresh(world.supervisor))
    (message,) = messages_of(
        lambda: services.month_approve(gdansk, by=fresh(world.other_supervisor))
    )
    assert message == (
        "Approving would bring Olga Officer to 220 hours in 2017, more than the 172 productive "
        "hours of their working-time share."
    )
    gdansk.refresh_from_db()
    assert gdansk.status == MonthStatus.SUBMITTED


# Return -----------------------------------------------------------------------------------------


def test_return_needs_a_comment_and_reaches_the_person(world):
    sheet = submitted(world)
    errors = field_errors_of(
        lambda: services.month_return(sheet, by=fresh(world.supervisor), comment="   ")
    )
    assert errors == {"comment": ["Say what should change."]}
    services.month_return(sheet, by=fresh(world.supervisor), comment="Split the 6 hours.")
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.RETURNED
    assert sheet.return_comment == "Split the 6 hours."
    log = sheet.log.get(action=TimesheetAction.RETURNED)
    assert (log.actor, log.comment) == (world.supervisor, "Split the 6 hours.")
    # Returned: the person changes the month and signs again; the comment is then cleared.
    entry = TimeEntry.objects.get(timesheet=sheet, day=MARCH)
    services.time_entry_update(entry, by=fresh(world.officer), hours=Decimal(3))
    services.month_submit(sheet, by=fresh(world.officer))
    sheet.refresh_from_db()
    assert (sheet.status, sheet.return_comment) == (MonthStatus.SUBMITTED, "")


@pytest.mark.parametrize("who", ["officer", "colleague", "other_supervisor", "coordinator"])
def test_only_a_supervisor_of_the_city_returns(world, who):
    sheet = submitted(world)
    (message,) = messages_of(
        lambda: services.month_return(sheet, by=fresh(getattr(world, who)), comment="No.")
    )
    assert message == "Only a supervisor of Ghent can return this timesheet."
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.SUBMITTED


# Reopen -----------------------------------------------------------------------------------------


def test_reopen_needs_a_reason_and_keeps_the_figures_set_aside(world):
    record(world, world.officer, MARCH, 8)
    rate(world, world.officer, 2017, "41280")
    sheet = approved_month(world, world.officer, MARCH)
    errors = field_errors_of(
        lambda: services.month_reopen(sheet, by=fresh(world.coordinator), reason="")
    )
    assert errors == {"reason": ["Give the reason for reopening the month."]}
    services.month_reopen(
        sheet, by=fresh(world.coordinator), reason="Wrong activity on the 1st.", ip_address="::1"
    )
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.OPEN
    assert (sheet.rate, sheet.hours, sheet.approved_by, sheet.approved_at) == (None,) * 4
    assert sheet.submitted_at is None
    log = sheet.log.get(action=TimesheetAction.REOPENED)
    assert (log.actor, log.comment, log.ip_address) == (
        world.coordinator,
        "Wrong activity on the 1st.",
        "::1",
    )
    assert log.details["hours"] == "8.0"
    assert Decimal(log.details["rate"]) == Decimal(24)
    assert log.details["approved_by"] == world.supervisor.pk
    assert log.details["approved_at"]
    # The history keeps every step, in order.
    assert list(sheet.log.values_list("action", flat=True)) == [
        TimesheetAction.SUBMITTED,
        TimesheetAction.APPROVED,
        TimesheetAction.REOPENED,
    ]


@pytest.mark.parametrize(
    "who", ["officer", "supervisor", "other_supervisor", "outsider_coordinator"]
)
def test_only_a_coordinator_of_the_programme_reopens(world, who):
    record(world, world.officer, MARCH, 8)
    rate(world, world.officer, 2017, "41280")
    sheet = approved_month(world, world.officer, MARCH)
    (message,) = messages_of(
        lambda: services.month_reopen(sheet, by=fresh(getattr(world, who)), reason="Because.")
    )
    assert message == "Only a coordinator of the programme can reopen a month."
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.APPROVED
    assert sheet.rate == Decimal(24)


def test_a_reopened_month_is_corrected_and_approved_again_with_the_new_rate(world):
    entry = record(world, world.officer, MARCH, 8)
    rate(world, world.officer, 2017, "41280")
    sheet = approved_month(world, world.officer, MARCH)
    services.month_reopen(sheet, by=fresh(world.coordinator), reason="Add the visit day.")
    rate(world, world.officer, 2017, "60200")
    # Editable again: change an entry and add one.
    services.time_entry_update(entry, by=fresh(world.officer), hours=Decimal(6))
    record(world, world.officer, date(2017, 3, 2), 4, activity="visit")
    sheet = approved_month(world, world.officer, MARCH)
    assert sheet.hours == Decimal(10)
    assert sheet.rate == Decimal(35)
    assert sheet.annual_costs == Decimal("60200.00")
    cost = staff_cost(
        sheet.cost_model, sheet.annual_costs, sheet.working_time_share, sheet.hours, EU_FIGURES
    )
    assert cents(cost) == Decimal("350.00")
    assert sheet.log.filter(action=TimesheetAction.APPROVED).count() == 2


# Bulk approval ----------------------------------------------------------------------------------


def test_months_approve_approves_what_it_can_and_says_why_not_for_the_rest(world):
    good = submitted(world)
    rate(world, world.officer, 2017, "41280")
    no_rate = submitted(world, person=world.colleague)
    still_open = services.timesheet_for(
        person=world.officer, programme=world.programme, city=world.city, month=APRIL
    )
    record(world, world.officer, APRIL, 2)
    other_city = submitted(world, person=world.other_officer)
    approved, refused = services.months_approve(
        [good, no_rate, still_open, other_city], by=fresh(world.supervisor), ip_address="::1"
    )
    assert approved == [good]
    assert refused == {
        no_rate: [
            "Carl Colleague has no annual personnel costs for 2017 yet; enter them under "
            "Rates first."
        ],
        still_open: ["Only a submitted timesheet can be approved."],
        other_city: ["Only a supervisor of Gdańsk can approve this timesheet."],
    }
    statuses = dict(
        TimesheetMonth.objects.filter(
            pk__in=[good.pk, no_rate.pk, still_open.pk, other_city.pk]
        ).values_list("pk", "status")
    )
    assert statuses == {
        good.pk: MonthStatus.APPROVED,
        no_rate.pk: MonthStatus.SUBMITTED,
        still_open.pk: MonthStatus.OPEN,
        other_city.pk: MonthStatus.SUBMITTED,
    }


# Wrong states -----------------------------------------------------------------------------------


def _in_state(world, state: str) -> TimesheetMonth:
    record(world, world.officer, MARCH, 8)
    rate(world, world.officer, 2017, "41280")
    sheet = sheet_of(world, world.officer)
    if state in ("submitted", "returned", "approved"):
        services.month_submit(sheet, by=fresh(world.officer))
    if state == "returned":
        services.month_return(sheet, by=fresh(world.supervisor), comment="Check the 1st.")
    if state == "approved":
        services.month_approve(sheet, by=fresh(world.supervisor))
    sheet.refresh_from_db()
    assert sheet.status == state
    return sheet


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("submitted", "submit", "is submitted for approval"),
        ("approved", "submit", "is approved and locked; a coordinator can reopen it."),
        ("open", "approve", "Only a submitted timesheet can be approved."),
        ("returned", "approve", "Only a submitted timesheet can be approved."),
        ("approved", "approve", "Only a submitted timesheet can be approved."),
        ("open", "return", "Only a submitted timesheet can be returned."),
        ("returned", "return", "Only a submitted timesheet can be returned."),
        ("approved", "return", "Only a submitted timesheet can be returned."),
        ("open", "reopen", "Only an approved month can be reopened."),
        ("submitted", "reopen", "Only an approved month can be reopened."),
        ("returned", "reopen", "Only an approved month can be reopened."),
    ],
)
def test_each_transition_from_a_wrong_state_is_refused(world, state, action, message):
    sheet = _in_state(world, state)
    calls = {
        "submit": lambda: services.month_submit(sheet, by=fresh(world.officer)),
        "approve": lambda: services.month_approve(sheet, by=fresh(world.supervisor)),
        "return": lambda: services.month_return(
            sheet, by=fresh(world.supervisor), comment="Again."
        ),
        "reopen": lambda: services.month_reopen(sheet, by=fresh(world.coordinator), reason="R."),
    }
    log_size = sheet.log.count()
    (shown,) = messages_of(calls[action])
    assert message in shown
    sheet.refresh_from_db()
    assert sheet.status == state
    assert sheet.log.count() == log_size
