"""Every rule an officer's time must keep, through the services, each with its message on the
field it concerns: single entries (time_entry_create/update/delete) and the month grid
(month_grid_save)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting import services
from reporting.models import MonthStatus, TimeEntry, TimesheetMonth
from tests.mentoring.event_factories import EventFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

DAY = date(2017, 3, 6)  # a Monday inside build_time_world()'s programme
MONTH = DAY.replace(day=1)


@pytest.fixture
def world():
    return build_time_world()


def errors_of(call) -> dict[str, list[str]]:
    """The ValidationError's messages by field; a message without a field comes as "__all__"."""
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"__all__": error.messages}


def grid(world, person=None, *, month=MONTH, hours=None, descriptions=None, city=None):
    return services.month_grid_save(
        person=fresh(person or world.officer),
        programme=world.programme,
        city=city or world.city,
        month=month,
        hours={key: None if v is None else Decimal(str(v)) for key, v in (hours or {}).items()},
        descriptions=descriptions or {},
    )


# Hours ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["2.3", "0.25", "7.75"])
def test_hours_go_in_half_hour_steps(world, hours):
    errors = errors_of(lambda: record(world, world.officer, DAY, hours))
    assert errors == {"hours": ["Record hours in half-hour steps, e.g. 2 or 2.5."]}
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("hours", ["0", "-1", "-0.5"])
def test_hours_are_above_zero(world, hours):
    errors = errors_of(lambda: record(world, world.officer, DAY, hours))
    assert errors == {"hours": ["Enter a number of hours above zero."]}


def test_half_hours_are_accepted(world):
    entry = record(world, world.officer, DAY, "2.5")
    assert entry.hours == Decimal("2.5")
    assert entry.timesheet.month == MONTH


def test_one_entry_has_at_most_24_hours():
    world = build_time_world(max_hours_per_day=Decimal(24))
    errors = errors_of(lambda: record(world, world.officer, DAY, "24.5"))
    assert errors == {"hours": ["A day has 24 hours."]}
    assert record(world, world.officer, DAY, 24).hours == 24


def test_a_day_has_at_most_24_hours_across_programmes():
    world = build_time_world(max_hours_per_day=Decimal(24))
    other = ProgrammeFactory(max_hours_per_day=Decimal(24))
    ParticipationFactory(programme=other, city=world.city)
    record(world, world.officer, DAY, 14)
    services.time_entry_create(
        person=fresh(world.officer),
        programme=other,
        city=world.city,
        day=DAY,
        activity="visit",
        hours=Decimal(10),
    )
    errors = errors_of(
        lambda: services.time_entry_create(
            person=fresh(world.officer),
            programme=other,
            city=world.city,
            day=DAY,
            activity="travel",
            hours=Decimal("0.5"),
        )
    )
    assert errors == {
        "hours": ["With your other programmes this day would have more than 24 hours."]
    }
    # Another day is free.
    record(world, world.officer, DAY + timedelta(days=1), 14)


def test_a_day_has_at_most_the_programmes_hours(world):
    assert world.programme.max_hours_per_day == 10
    record(world, world.officer, DAY, 6, activity="visit")
    errors = errors_of(lambda: record(world, world.officer, DAY, 5, activity="travel"))
    assert list(errors) == ["hours"]
    assert errors["hours"][0].startswith(f"{world.programme} accepts at most 10 hours a day; 6 are")
    # Up to the limit is fine, and a colleague's hours do not count.
    record(world, world.officer, DAY, 4, activity="travel")
    record(world, world.colleague, DAY, 10, activity="travel")


def test_the_programmes_own_limit_applies():
    world = build_time_world(max_hours_per_day=Decimal("7.5"))
    errors = errors_of(lambda: record(world, world.officer, DAY, 8))
    assert list(errors) == ["hours"]
    assert "at most 7.5 hours a day" in errors["hours"][0]


# Days -------------------------------------------------------------------------------------------


def test_no_time_before_the_programme_starts(world):
    errors = errors_of(lambda: record(world, world.officer, date(2016, 9, 30), 2))
    assert list(errors) == ["day"]
    assert errors["day"][0].startswith(f"{world.programme} starts on")
    record(world, world.officer, date(2016, 10, 1), 2)


def test_no_time_after_the_programme_ends(world):
    errors = errors_of(lambda: record(world, world.officer, date(2018, 10, 1), 2))
    assert list(errors) == ["day"]
    assert errors["day"][0].startswith(f"{world.programme} ended on")
    record(world, world.officer, date(2018, 9, 30), 2)


def test_no_time_in_the_future(world):
    today = timezone.localdate()
    running = ProgrammeFactory(starts_on=today - timedelta(days=400), ends_on=date(2099, 12, 31))
    ParticipationFactory(programme=running, city=world.city)

    def create(day):
        return services.time_entry_create(
            person=fresh(world.officer),
            programme=running,
            city=world.city,
            day=day,
            activity="visit",
            hours=Decimal(2),
        )

    errors = errors_of(lambda: create(today + timedelta(days=1)))
    assert errors == {"day": ["Time can only be recorded for today or earlier."]}
    assert create(today).day == today


# Months that are signed -------------------------------------------------------------------------


def test_a_submitted_month_refuses_new_and_changed_entries(world):
    entry = record(world, world.officer, DAY, 4)
    services.month_submit(entry.timesheet, by=fresh(world.officer))

    errors = errors_of(lambda: record(world, world.officer, DAY + timedelta(days=1), 2))
    assert list(errors) == ["day"]
    assert "is submitted for approval" in errors["day"][0]

    errors = errors_of(
        lambda: services.time_entry_update(entry, by=fresh(world.officer), hours=Decimal(3))
    )
    assert list(errors) == ["__all__"]
    assert "is submitted for approval" in errors["__all__"][0]

    errors = errors_of(lambda: services.time_entry_delete(entry, by=fresh(world.officer)))
    assert "is submitted for approval" in errors["__all__"][0]
    assert TimeEntry.objects.get().hours == 4


def test_an_approved_month_refuses_entries(world):
    rate(world, world.officer, 2017, "41280")
    entry = record(world, world.officer, DAY, 4)
    sheet = approved_month(world, world.officer, MONTH)
    assert sheet.status == MonthStatus.APPROVED

    errors = errors_of(lambda: record(world, world.officer, DAY + timedelta(days=1), 2))
    assert list(errors) == ["day"]
    assert "is approved and locked" in errors["day"][0]

    entry.refresh_from_db()
    errors = errors_of(
        lambda: services.time_entry_update(entry, by=fresh(world.officer), hours=Decimal(3))
    )
    assert "is approved and locked" in errors["__all__"][0]

    errors = errors_of(lambda: grid(world, hours={(DAY, "visit"): 2}))
    assert "is approved and locked" in errors["__all__"][0]


def test_moving_an_entry_into_a_locked_month_is_refused(world):
    record(world, world.officer, DAY, 4)
    services.month_submit(TimesheetMonth.objects.get(), by=fresh(world.officer))
    april = record(world, world.officer, date(2017, 4, 3), 2, activity="travel")
    errors = errors_of(lambda: services.time_entry_update(april, by=fresh(world.officer), day=DAY))
    assert list(errors) == ["day"]
    assert "is submitted for approval" in errors["day"][0]


def test_a_returned_month_is_editable_again(world):
    entry = record(world, world.officer, DAY, 4)
    services.month_submit(entry.timesheet, by=fresh(world.officer))
    services.month_return(entry.timesheet, by=fresh(world.supervisor), comment="Split the day.")
    entry.timesheet.refresh_from_db()
    assert entry.timesheet.status == MonthStatus.RETURNED

    services.time_entry_update(entry, by=fresh(world.officer), hours=Decimal(3))
    record(world, world.officer, DAY, 1, activity="travel")
    grid(world, hours={(DAY, "visit"): 2})
    assert TimeEntry.objects.filter(day=DAY).count() == 3
    assert sum(e.hours for e in TimeEntry.objects.all()) == 6


# Duplicates and events --------------------------------------------------------------------------


def test_the_same_day_activity_and_event_twice_is_refused(world):
    record(world, world.officer, DAY, 2, activity="visit")
    errors = errors_of(lambda: record(world, world.officer, DAY, 1, activity="visit"))
    assert errors == {
        "activity": ["There is already an entry for this day, activity and event; change that one."]
    }
    event = EventFactory(programme=world.programme)
    record(world, world.officer, DAY, 2, activity="visit", event=event)
    errors = errors_of(lambda: record(world, world.officer, DAY, 1, activity="visit", event=event))
    assert list(errors) == ["activity"]
    # Another event, another activity or another person is a different entry.
    record(
        world,
        world.officer,
        DAY,
        1,
        activity="visit",
        event=EventFactory(programme=world.programme),
    )
    record(world, world.officer, DAY, 1, activity="travel", event=event)
    record(world, world.colleague, DAY, 2, activity="visit")


def test_an_event_of_another_programme_is_refused(world):
    elsewhere = EventFactory()
    errors = errors_of(lambda: record(world, world.officer, DAY, 2, event=elsewhere))
    assert errors == {"event": [f"Choose an event of {world.programme}."]}
    entry = record(world, world.officer, DAY, 2)
    errors = errors_of(
        lambda: services.time_entry_update(entry, by=fresh(world.officer), event=elsewhere)
    )
    assert list(errors) == ["event"]


# The year's cap ---------------------------------------------------------------------------------


def test_hours_of_a_year_stay_within_the_productive_hours(world):
    rate(world, world.officer, 2017, "41280", share="0.01")  # 17.2 productive hours
    record(world, world.officer, DAY, 8)
    record(world, world.officer, DAY + timedelta(days=1), 8)
    errors = errors_of(lambda: record(world, world.officer, DAY + timedelta(days=2), "1.5"))
    assert list(errors) == ["hours"]
    assert (
        "bring your hours in 2017 to 17.5, more than your 17.2 productive hours"
        in (errors["hours"][0])
    )
    record(world, world.officer, DAY + timedelta(days=2), 1)
    # Another year has its own cap.
    record(world, world.officer, date(2018, 1, 8), 8)


# Who records ------------------------------------------------------------------------------------


def test_only_officers_of_the_city_record_its_time(world):
    errors = errors_of(lambda: record(world, world.supervisor, DAY, 2))
    assert errors == {"__all__": [f"Only officers of {world.city} record time for it."]}
    errors = errors_of(lambda: record(world, world.other_officer, DAY, 2, city=world.city))
    assert errors == {"__all__": [f"Only officers of {world.city} record time for it."]}
    errors = errors_of(lambda: grid(world, world.supervisor, hours={(DAY, "visit"): 2}))
    assert list(errors) == ["__all__"]
    assert not TimeEntry.objects.exists()


def test_the_city_must_take_part_in_the_programme(world):
    elsewhere = ProgrammeFactory()
    errors = errors_of(
        lambda: services.time_entry_create(
            person=fresh(world.officer),
            programme=elsewhere,
            city=world.city,
            day=DAY,
            activity="visit",
            hours=Decimal(2),
        )
    )
    assert errors == {"__all__": [f"{world.city} does not take part in {elsewhere}."]}


def test_only_the_person_changes_or_deletes_their_entry(world):
    entry = record(world, world.officer, DAY, 2)
    errors = errors_of(
        lambda: services.time_entry_update(entry, by=fresh(world.colleague), hours=Decimal(3))
    )
    assert errors == {"__all__": ["Only the person who recorded the time can change it."]}
    errors = errors_of(lambda: services.time_entry_delete(entry, by=fresh(world.supervisor)))
    assert errors == {"__all__": ["Only the person who recorded the time can delete it."]}
    assert TimeEntry.objects.get().hours == 2


# The month grid ---------------------------------------------------------------------------------


def test_the_grid_creates_changes_and_clears_cells(world):
    tuesday = DAY + timedelta(days=1)
    changed = grid(
        world,
        hours={(DAY, "visit"): 4, (DAY, "travel"): 2, (tuesday, "follow_up"): "1.5"},
        descriptions={DAY: "Visit to Gdańsk", tuesday: "  Notes  "},
    )
    assert changed == 3
    entries = {(e.day, e.activity): e for e in TimeEntry.objects.all()}
    assert entries[DAY, "visit"].description == "Visit to Gdańsk"
    assert entries[tuesday, "follow_up"].description == "Notes"
    assert entries[DAY, "visit"].timesheet.month == MONTH

    changed = grid(
        world,
        hours={(DAY, "visit"): 4, (DAY, "travel"): None, (tuesday, "follow_up"): 2},
        descriptions={DAY: "Visit to Gdańsk", tuesday: "Notes"},
    )
    assert changed == 2
    assert {(e.day, e.activity, e.hours) for e in TimeEntry.objects.all()} == {
        (DAY, "visit", 4),
        (tuesday, "follow_up", 2),
    }
    # Nothing different, nothing changed.
    assert grid(world, hours={(DAY, "visit"): 4}, descriptions={DAY: "Visit to Gdańsk"}) == 0


def test_the_grid_moves_hours_between_activities_without_a_false_limit(world):
    record(world, world.officer, DAY, 6, activity="visit")
    record(world, world.officer, DAY, 4, activity="travel")
    # 4 + 6 = 10, the limit; judged one cell at a time against the stored day it would be 14.
    grid(world, hours={(DAY, "visit"): 4, (DAY, "travel"): 6})
    assert {e.activity: e.hours for e in TimeEntry.objects.all()} == {"visit": 4, "travel": 6}


def test_the_grid_over_the_day_limit_marks_the_cells(world):
    errors = errors_of(lambda: grid(world, hours={(DAY, "visit"): 6, (DAY, "travel"): 5}))
    fields = {services.grid_field(DAY, "visit"), services.grid_field(DAY, "travel")}
    assert set(errors) == fields
    assert all("at most 10 hours a day" in messages[0] for messages in errors.values())
    assert not TimeEntry.objects.exists()


def test_the_grid_saves_all_or_nothing(world):
    record(world, world.officer, DAY, 2, activity="visit")
    bad = services.grid_field(DAY + timedelta(days=1), "travel")
    errors = errors_of(
        lambda: grid(
            world,
            hours={
                (DAY, "visit"): 3,
                (DAY, "travel"): 2,
                (DAY + timedelta(days=1), "travel"): "0.3",
                (DAY + timedelta(days=2), "visit"): 4,
            },
        )
    )
    assert errors == {bad: ["Record hours in half-hour steps, e.g. 2 or 2.5."]}
    assert [(e.day, e.activity, e.hours) for e in TimeEntry.objects.all()] == [(DAY, "visit", 2)]


def test_a_dry_run_of_the_grid_judges_the_month_and_saves_nothing(world):
    record(world, world.officer, DAY, 2, activity="visit")
    changes = services.month_grid_save(
        person=fresh(world.officer),
        programme=world.programme,
        city=world.city,
        month=MONTH,
        hours={(DAY, "visit"): Decimal(3), (DAY + timedelta(days=1), "travel"): Decimal(2)},
        descriptions={},
        dry_run=True,
    )
    assert changes == 2
    assert [(e.day, e.activity, e.hours) for e in TimeEntry.objects.all()] == [(DAY, "visit", 2)]
    refused = errors_of(
        lambda: services.month_grid_save(
            person=fresh(world.officer),
            programme=world.programme,
            city=world.city,
            month=MONTH,
            hours={(DAY, "visit"): Decimal("0.3")},
            descriptions={},
            dry_run=True,
        )
    )
    assert refused == {
        services.grid_field(DAY, "visit"): ["Record hours in half-hour steps, e.g. 2 or 2.5."]
    }


def test_the_grid_checks_each_cell_with_its_field_name(world):
    before_start = date(2016, 10, 1)
    cells = {
        (DAY, "visit"): 25,
        (DAY, "travel"): -1,
        (DAY + timedelta(days=1), "visit"): "1.2",
    }
    errors = errors_of(lambda: grid(world, hours=cells))
    assert errors == {
        services.grid_field(DAY, "visit"): ["A day has 24 hours."],
        services.grid_field(DAY, "travel"): ["Enter a number of hours above zero."],
        services.grid_field(DAY + timedelta(days=1), "visit"): [
            "Record hours in half-hour steps, e.g. 2 or 2.5."
        ],
    }
    # The programme's first month: its days are fine.
    grid(world, month=before_start, hours={(before_start, "visit"): 2})


def test_the_grid_refuses_future_days_on_their_cell(world):
    today = timezone.localdate()
    running = ProgrammeFactory(starts_on=today - timedelta(days=400), ends_on=date(2099, 12, 31))
    ParticipationFactory(programme=running, city=world.city)
    tomorrow = today + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.month_grid_save(
            person=fresh(world.officer),
            programme=running,
            city=world.city,
            month=tomorrow,
            hours={(tomorrow, "visit"): Decimal(2)},
            descriptions={},
        )
    assert caught.value.message_dict == {
        services.grid_field(tomorrow, "visit"): ["Time can only be recorded for today or earlier."]
    }


def test_the_grid_keeps_entries_linked_to_events(world):
    event = EventFactory(programme=world.programme)
    linked = record(world, world.officer, DAY, 3, activity="visit", event=event)
    grid(world, hours={(DAY, "visit"): 2})
    grid(world, hours={(DAY, "visit"): None})
    assert list(TimeEntry.objects.all()) == [linked]
    # They count towards the day's limit all the same.
    errors = errors_of(lambda: grid(world, hours={(DAY, "travel"): 8}))
    assert list(errors) == [services.grid_field(DAY, "travel")]


def test_the_grid_applies_the_annual_cap(world):
    rate(world, world.officer, 2017, "41280", share="0.01")  # 17.2 productive hours
    record(world, world.officer, DAY, 8)
    errors = errors_of(
        lambda: grid(
            world,
            hours={(DAY + timedelta(days=1), "visit"): 8, (DAY + timedelta(days=2), "visit"): 2},
        )
    )
    assert services.grid_field(DAY + timedelta(days=2), "visit") in errors
    assert TimeEntry.objects.count() == 1


def test_absurd_hours_get_a_message_not_a_crash(world):
    errors = errors_of(lambda: record(world, world.officer, DAY, "1E+30"))
    assert errors == {"hours": ["A day has 24 hours."]}


def test_a_long_description_gets_a_message(world):
    errors = errors_of(lambda: record(world, world.officer, DAY, 2, description="x" * 301))
    assert errors == {"description": ["Keep the description to 300 characters."]}
    errors = errors_of(
        lambda: grid(world, hours={(DAY, "action_planning"): 2}, descriptions={DAY: "x" * 301})
    )
    assert list(errors) == [services.grid_field(DAY, "action_planning")]
    assert not TimeEntry.objects.exists()


def test_the_grid_refuses_the_same_cell_booked_for_another_city(world):
    from tests.accounts.factories import CityOfficerFactory

    CityOfficerFactory(user=world.officer, city=world.other_city)
    record(world, world.officer, DAY, 2, city=world.other_city)
    errors = errors_of(lambda: grid(world, hours={(DAY, "action_planning"): 3, (DAY, "travel"): 1}))
    assert errors == {
        services.grid_field(DAY, "action_planning"): [
            "There is already an entry for this day, activity and event; change that one."
        ]
    }
    assert TimeEntry.objects.count() == 1


def test_a_description_without_hours_is_refused_not_dropped(world):
    errors = errors_of(
        lambda: grid(
            world,
            hours={(DAY, "action_planning"): 2},
            descriptions={DAY: "Workshop", DAY + timedelta(days=1): "Forgot the hours"},
        )
    )
    assert errors == {
        services.grid_description_field(DAY + timedelta(days=1)): [
            "Enter the hours of this day too: a description belongs to its hours."
        ]
    }
    assert not TimeEntry.objects.exists()
