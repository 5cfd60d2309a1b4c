"""The officer's time pages: My time, the month grid and single entries. Happy paths, answers
to bad input (400 with the messages and the typed values), who may see what (403 for people who
record no time, 404 beyond their own time), and query counts that do not grow with the rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.services import membership_grant
from reporting import services
from reporting.models import MonthStatus, TimeEntry, TimesheetMonth
from tests.cities.factories import CityFactory
from tests.mentoring.event_factories import EventFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

DAY = date(2017, 3, 6)  # a Monday
MONTH = DAY.replace(day=1)


@pytest.fixture
def world():
    return build_time_world()


def grid_url(world, month=MONTH, programme=None) -> str:
    programme = programme or world.programme
    return reverse(
        "reporting:grid",
        kwargs={"programme": programme.slug, "year": month.year, "month": month.month},
    )


def cell(day, activity="action_planning") -> str:
    return services.grid_field(day, activity)


def text(response) -> str:
    return response.content.decode()


# Who may come in --------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, world):
    entry = record(world, world.officer, DAY, 2)
    for url in [
        reverse("reporting:my_time"),
        grid_url(world),
        reverse("reporting:entry_create"),
        reverse("reporting:entry_edit", args=[entry.pk]),
        reverse("reporting:entry_delete", args=[entry.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    assert client.post(grid_url(world), {cell(DAY): "3"}).status_code == 302
    assert TimeEntry.objects.get().hours == 2


@pytest.mark.parametrize("who", ["supervisor", "coordinator", "outsider_coordinator"])
def test_people_who_are_no_officer_get_a_clear_403(client, world, who):
    client.force_login(getattr(world, who))
    for url in [reverse("reporting:my_time"), grid_url(world), reverse("reporting:entry_create")]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Only city officers record time here" in text(response)
    response = client.post(grid_url(world), {cell(DAY): "3"})
    assert response.status_code == 403
    assert not TimeEntry.objects.exists()


# My time ----------------------------------------------------------------------------------------


def test_my_time_lists_the_months_of_the_citys_programmes(client, world):
    record(world, world.officer, DAY, 3)
    record(world, world.officer, DAY + timedelta(days=1), "4.5")
    record(world, world.officer, date(2017, 4, 3), 2)
    services.month_submit(TimesheetMonth.objects.get(month=MONTH), by=fresh(world.officer))
    record(world, world.colleague, DAY, 8)  # a colleague's time is not mine
    not_ours = ProgrammeFactory(name="Not our programme")
    client.force_login(world.officer)

    response = client.get(reverse("reporting:my_time"))

    assert response.status_code == 200
    page = text(response)
    assert world.programme.name in page
    assert "Not our programme" not in page
    sections = response.context["sections"]
    assert [s["programme"] for s in sections] == [world.programme]
    months = {row.month: row for row in sections[0]["months"]}
    # Every month of the programme (it is over), newest first.
    assert len(months) == 24
    assert sections[0]["months"][0].month == date(2018, 9, 1)
    assert months[MONTH].hours == Decimal("7.5")
    assert months[MONTH].sheet.status == MonthStatus.SUBMITTED
    assert months[date(2017, 4, 1)].hours == 2
    assert months[date(2017, 5, 1)].sheet is None
    assert f'href="{grid_url(world)}"' in page
    sheet = TimesheetMonth.objects.get(person=world.officer, month=MONTH)
    assert f'href="{reverse("reporting:month", args=[sheet.pk])}"' in page
    assert "Submitted" in page
    assert f'href="{reverse("reporting:entry_create")}"' in page
    # No link into the other programme's grids (its bare slug may match a heading's id).
    assert f"/time/{not_ours.slug}/" not in page


def test_go_to_a_month_leads_to_its_grid(client, world):
    client.force_login(world.officer)
    response = client.get(
        reverse("reporting:my_time"), {"programme": world.programme.slug, "month": "2017-03"}
    )
    assert response.status_code == 302
    assert response.url == grid_url(world)


def test_go_to_a_month_outside_the_programme_says_why(client, world):
    later = ProgrammeFactory(starts_on=date(2019, 1, 1), ends_on=date(2020, 12, 31))
    ParticipationFactory(programme=later, city=world.city)
    client.force_login(world.officer)
    # 2019-05 is a month of the other programme, so it is offered, but not in this one.
    response = client.get(
        reverse("reporting:my_time"), {"programme": world.programme.slug, "month": "2019-05"}
    )
    assert response.status_code == 400
    assert "runs from October 2016 to September 2018" in text(response)
    response = client.get(
        reverse("reporting:my_time"), {"programme": "no-such-programme", "month": "2017-03"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["programme"]


def test_an_officer_of_several_cities_chooses_the_city(client, world):
    membership_grant(user=world.officer, role=Role.OFFICER, city=world.other_city)
    record(world, world.officer, DAY, 3)
    # The same programme, day and activity cannot be booked twice, even for two cities.
    record(world, world.officer, DAY, 5, activity="visit", city=world.other_city)
    client.force_login(world.officer)

    response = client.get(reverse("reporting:my_time"))
    assert response.context["city"] == world.other_city  # Gdańsk comes before Ghent
    assert 'name="city"' in text(response)
    months = {row.month: row for row in response.context["sections"][0]["months"]}
    assert months[MONTH].hours == 5
    assert f"?city={world.other_city.pk}" in months[MONTH].grid_url

    response = client.get(reverse("reporting:my_time"), {"city": world.city.pk})
    months = {row.month: row for row in response.context["sections"][0]["months"]}
    assert months[MONTH].hours == 3

    response = client.get(grid_url(world), {"city": world.city.pk})
    assert response.context["city"] == world.city
    assert response.context["rows"][5].cells[4].value == "3"
    response = client.get(grid_url(world), {"city": world.other_city.pk})
    assert response.context["rows"][5].cells[2].value == "5"
    assert response.context["rows"][5].cells[4].value == ""

    response = client.post(
        grid_url(world) + f"?city={world.city.pk}", {cell(DAY): "3", cell(DAY, "travel"): "1"}
    )
    assert response.status_code == 302
    assert TimeEntry.objects.filter(city=world.city).count() == 2
    assert TimeEntry.objects.filter(city=world.other_city).count() == 1


def test_the_same_cell_booked_for_my_other_city_is_a_message_not_a_500(client, world):
    membership_grant(user=world.officer, role=Role.OFFICER, city=world.other_city)
    record(world, world.officer, DAY, 3)
    client.force_login(world.officer)
    response = client.post(
        grid_url(world) + f"?city={world.other_city.pk}",
        {cell(DAY): "2", cell(DAY, "travel"): "1"},
    )
    assert response.status_code == 400
    assert "There is already an entry for this day, activity and event" in text(response)
    assert TimeEntry.objects.get().city == world.city


def test_a_city_that_is_not_mine_is_404(client, world):
    client.force_login(world.other_officer)
    assert client.get(reverse("reporting:my_time"), {"city": world.city.pk}).status_code == 404
    assert client.get(reverse("reporting:my_time"), {"city": "x"}).status_code == 404
    assert client.get(grid_url(world), {"city": world.city.pk}).status_code == 404
    response = client.post(grid_url(world) + f"?city={world.city.pk}", {cell(DAY): "3"})
    assert response.status_code == 404
    assert not TimeEntry.objects.exists()


# The month grid ---------------------------------------------------------------------------------


def test_the_grid_shows_a_row_per_day_and_a_cell_per_activity(client, world):
    record(world, world.officer, DAY, 3, description="Workshop")
    record(world, world.officer, DAY, "1.5", activity="travel")
    client.force_login(world.officer)

    response = client.get(grid_url(world))

    assert response.status_code == 200
    page = text(response)
    rows = response.context["rows"]
    assert [row.day for row in rows] == [date(2017, 3, d) for d in range(1, 32)]
    for activity in ["needs_analysis", "visit", "travel", "project_management"]:
        assert f'name="{cell(date(2017, 3, 31), activity)}"' in page
    assert f'name="{services.grid_description_field(DAY)}"' in page
    assert page.count('type="number"') == 31 * 8
    assert 'step="0.5" min="0" max="24"' in page
    assert f'name="{cell(DAY)}" value="3"' in page
    assert f'name="{cell(DAY, "travel")}" value="1.5"' in page
    assert 'value="Workshop"' in page
    assert rows[5].total == Decimal("4.5")
    assert response.context["grand_total"] == Decimal("4.5")
    assert '<label class="visually-hidden" for="id_h_06_travel">Travel, Monday 6 March</label>' in (
        page
    )
    # Saturday 4 and Sunday 5 March are marked.
    assert [row.day.day for row in rows if row.weekend][:2] == [4, 5]
    assert page.count('class="weekend"') == 8
    assert 'rel="prev"' in page
    assert 'rel="next"' in page
    assert f'href="{grid_url(world, date(2017, 2, 1))}"' in page
    assert f'href="{grid_url(world, date(2017, 4, 1))}"' in page
    sheet = TimesheetMonth.objects.get()
    assert f'href="{reverse("reporting:month", args=[sheet.pk])}"' in page
    assert "Sign and submit the timesheet" in page


def test_the_grid_saves_the_month(client, world):
    record(world, world.officer, DAY, 2, activity="travel")
    client.force_login(world.officer)
    data = {
        cell(DAY): "3",
        cell(DAY, "visit"): "2,5",
        cell(DAY, "travel"): "",  # clears the stored 2 hours
        cell(DAY + timedelta(days=1)): " 4 ",
        services.grid_description_field(DAY): "Workshop with the local group",
    }
    response = client.post(grid_url(world), data)

    assert response.status_code == 302
    assert response.url == grid_url(world)
    entries = {(e.day, e.activity): e for e in TimeEntry.objects.all()}
    assert set(entries) == {
        (DAY, "action_planning"),
        (DAY, "visit"),
        (DAY + timedelta(days=1), "action_planning"),
    }
    assert entries[DAY, "visit"].hours == Decimal("2.5")
    assert entries[DAY, "action_planning"].description == "Workshop with the local group"
    response = client.get(response.url)
    assert "The month is saved: 4 changes." in text(response)
    assert response.context["grand_total"] == Decimal("9.5")

    response = client.post(grid_url(world), {**data, cell(DAY, "visit"): "2.5"}, follow=True)
    assert "Nothing to save" in text(response)


def test_grid_errors_come_back_with_400_next_to_the_cells_with_every_value_kept(client, world):
    record(world, world.officer, DAY, 2, activity="travel")
    client.force_login(world.officer)
    tuesday = DAY + timedelta(days=1)
    data = {
        cell(DAY): "3",
        cell(DAY, "travel"): "2",
        cell(tuesday): "25",
        cell(tuesday, "visit"): "0.3",
        cell(DAY + timedelta(days=2)): "abc",
        services.grid_description_field(DAY): "Kept text",
    }
    response = client.post(grid_url(world), data)

    assert response.status_code == 400
    page = text(response)
    for name, value in [
        (cell(DAY), "3"),
        (cell(tuesday), "25"),
        (cell(tuesday, "visit"), "0.3"),
        (cell(DAY + timedelta(days=2)), "abc"),
    ]:
        assert f'name="{name}" value="{value}"' in page
    assert 'value="Kept text"' in page
    assert "Nothing was saved" in page
    assert "A day has 24 hours." in page
    assert "Record hours in half-hour steps, e.g. 2 or 2.5." in page
    assert "Enter a number of hours, e.g. 2 or 2.5, or leave it empty." in page
    assert f'aria-invalid="true" aria-describedby="{cell(tuesday)}-error"' in page
    assert f'id="{cell(tuesday)}-error"' in page
    assert f'<a href="#id_{cell(tuesday)}">Tue 7 Mar, Action planning: A day has 24 hours.' in page
    assert {item["id"] for item in response.context["summary"]} == {
        f"id_{cell(tuesday)}",
        f"id_{cell(tuesday, 'visit')}",
        f"id_{cell(DAY + timedelta(days=2))}",
    }
    # Nothing was saved, not even the good cells.
    assert [(e.day, e.activity, e.hours) for e in TimeEntry.objects.all()] == [(DAY, "travel", 2)]


def test_an_unreadable_cell_alone_saves_nothing(client, world):
    client.force_login(world.officer)
    response = client.post(grid_url(world), {cell(DAY): "3", cell(DAY, "visit"): "1e30"})
    assert response.status_code == 400
    row = response.context["rows"][5]
    assert row.cells[4].value == "3"
    assert row.cells[4].errors == []
    assert row.cells[2].value == "1e30"
    assert row.cells[2].errors
    assert not TimeEntry.objects.exists()
    assert not TimesheetMonth.objects.exists()


def test_a_too_long_description_is_a_field_error(client, world):
    client.force_login(world.officer)
    name = services.grid_description_field(DAY)
    response = client.post(grid_url(world), {cell(DAY): "3", name: "x" * 301})
    assert response.status_code == 400
    assert "Keep the description under 300 characters." in text(response)
    assert f'aria-describedby="{name}-error"' in text(response)
    assert not TimeEntry.objects.exists()


def test_the_day_limit_shows_on_the_cells_of_the_day(client, world):
    client.force_login(world.officer)
    response = client.post(grid_url(world), {cell(DAY): "6", cell(DAY, "visit"): "5"})
    assert response.status_code == 400
    row = response.context["rows"][5]
    assert row.total == 11
    assert "at most 10 hours a day" in row.cells[2].errors[0]  # visit
    assert "at most 10 hours a day" in row.cells[4].errors[0]  # action planning


def test_days_outside_the_programme_are_disabled(client, world):
    short = ProgrammeFactory(starts_on=date(2017, 1, 16), ends_on=date(2017, 6, 14))
    ParticipationFactory(programme=short, city=world.city)
    client.force_login(world.officer)

    response = client.get(grid_url(world, date(2017, 1, 1), short))
    rows = response.context["rows"]
    assert [row.day.day for row in rows if row.closed] == list(range(1, 16))
    assert rows[0].closed == "Before the programme started"
    page = text(response)
    assert f'name="{cell(date(2017, 1, 15))}" value="" step="0.5" min="0" max="24"' in page
    assert page.count(" disabled") == 15 * 8
    assert 'rel="prev"' not in page

    response = client.get(grid_url(world, date(2017, 6, 1), short))
    assert [row.day.day for row in response.context["rows"] if row.closed] == list(range(15, 31))
    assert response.context["rows"][20].closed == "After the programme ended"
    assert 'rel="next"' not in text(response)

    # Posted values for closed days are ignored; the open ones are saved.
    response = client.post(
        grid_url(world, date(2017, 1, 1), short),
        {cell(date(2017, 1, 10)): "3", cell(date(2017, 1, 16)): "2"},
    )
    assert response.status_code == 302
    assert [e.day for e in TimeEntry.objects.all()] == [date(2017, 1, 16)]


def test_future_days_are_disabled(client, world):
    from django.utils import timezone

    today = timezone.localdate()
    running = ProgrammeFactory(starts_on=date(2020, 1, 1), ends_on=date(2099, 12, 31))
    ParticipationFactory(programme=running, city=world.city)
    client.force_login(world.officer)
    response = client.get(grid_url(world, today.replace(day=1), running))
    assert response.status_code == 200
    closed = [row.day for row in response.context["rows"] if row.closed]
    assert all(day > today for day in closed)
    assert len(closed) == len(response.context["rows"]) - today.day
    assert 'rel="next"' not in text(response)


def test_months_outside_the_programme_and_odd_urls_are_404(client, world):
    client.force_login(world.officer)
    for month in [date(2016, 9, 1), date(2018, 10, 1)]:
        assert client.get(grid_url(world, month)).status_code == 404
    url = reverse(
        "reporting:grid", kwargs={"programme": world.programme.slug, "year": 2017, "month": 13}
    )
    assert client.get(url).status_code == 404
    assert client.get(grid_url(world, programme=ProgrammeFactory())).status_code == 404
    response = client.post(grid_url(world, programme=ProgrammeFactory()), {cell(DAY): "3"})
    assert response.status_code == 404


def test_the_grid_shows_only_the_persons_own_time(client, world):
    record(world, world.colleague, DAY, 7, description="Colleague's secret")
    record(world, world.other_officer, DAY, 6, description="Other city's secret")
    client.force_login(world.officer)
    response = client.get(grid_url(world))
    page = text(response)
    assert "secret" not in page
    assert response.context["grand_total"] == 0
    assert response.context["sheet"] is None

    client.post(grid_url(world), {cell(DAY): "2"})
    assert TimeEntry.objects.get(person=world.colleague).hours == 7
    assert TimeEntry.objects.get(person=world.officer).hours == 2


def test_entries_linked_to_events_are_read_only_in_the_grid(client, world):
    event = EventFactory(programme=world.programme, title="Study visit to Gdańsk")
    linked = record(world, world.officer, DAY, 3, activity="visit", event=event)
    client.force_login(world.officer)

    response = client.get(grid_url(world))
    page = text(response)
    assert "+3 h linked to events" in page
    assert f'href="{reverse("reporting:entry_edit", args=[linked.pk])}"' in page
    assert "Study visit to Gdańsk" in page
    assert f'name="{cell(DAY, "visit")}" value=""' in page
    assert response.context["rows"][5].total == 3
    assert response.context["activity_totals"][2] == {
        "activity": "visit",
        "linked": Decimal(3),
        "total": Decimal(3),
    }

    response = client.post(grid_url(world), {cell(DAY, "visit"): "", cell(DAY): "2"})
    assert response.status_code == 302
    assert TimeEntry.objects.filter(event=event).get() == linked
    # The linked hours count for the day's limit.
    response = client.post(grid_url(world), {cell(DAY): "8"})
    assert response.status_code == 400
    assert "at most 10 hours a day" in text(response)


def test_a_submitted_month_is_read_only(client, world):
    record(world, world.officer, DAY, 3)
    services.month_submit(TimesheetMonth.objects.get(), by=fresh(world.officer))
    client.force_login(world.officer)

    response = client.get(grid_url(world))
    page = text(response)
    assert response.status_code == 200
    assert "This month is submitted for approval" in page
    assert 'type="number"' not in page
    assert "Save the month" not in page
    sheet = TimesheetMonth.objects.get()
    assert f'href="{reverse("reporting:month", args=[sheet.pk])}"' in page

    response = client.post(grid_url(world), {cell(DAY): "5"})
    assert response.status_code == 400
    assert "is submitted for approval; it cannot change unless it is returned" in text(response)
    assert TimeEntry.objects.get().hours == 3


def test_an_approved_month_is_read_only_and_a_returned_one_editable(client, world):
    rate(world, world.officer, 2017, "41280")
    record(world, world.officer, DAY, 3)
    approved_month(world, world.officer, MONTH)
    client.force_login(world.officer)
    response = client.get(grid_url(world))
    assert "This month is approved and locked" in text(response)
    assert client.post(grid_url(world), {cell(DAY): "5"}).status_code == 400

    april = record(world, world.officer, date(2017, 4, 3), 2)
    services.month_submit(april.timesheet, by=fresh(world.officer))
    services.month_return(april.timesheet, by=fresh(world.supervisor), comment="Add travel.")
    response = client.get(grid_url(world, date(2017, 4, 1)))
    assert "Your supervisor returned this month for changes" in text(response)
    assert "Add travel." in text(response)
    response = client.post(
        grid_url(world, date(2017, 4, 1)),
        {cell(date(2017, 4, 3)): "2", cell(date(2017, 4, 3), "travel"): "1"},
    )
    assert response.status_code == 302
    assert TimeEntry.objects.filter(day=date(2017, 4, 3)).count() == 2


# Single entries ---------------------------------------------------------------------------------


def test_entry_create_prefills_and_saves(client, world):
    event = EventFactory(programme=world.programme, title="Webinar on housing")
    EventFactory(title="Someone else's event")
    client.force_login(world.officer)
    url = reverse("reporting:entry_create")

    response = client.get(url, {"programme": world.programme.slug, "day": "2017-03-06"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["programme"] == world.programme
    assert form.initial["day"] == DAY
    assert "city" not in form.fields
    assert list(form.fields["event"].queryset) == [event]
    assert "Someone else" not in text(response)

    response = client.post(
        url,
        {
            "programme": world.programme.pk,
            "day": "2017-03-06",
            "activity": "consultation",
            "event": event.pk,
            "hours": "2.5",
            "description": "Webinar",
        },
    )
    assert response.status_code == 302
    assert response.url == grid_url(world)
    entry = TimeEntry.objects.get()
    assert (entry.person, entry.city, entry.event, entry.hours) == (
        world.officer,
        world.city,
        event,
        Decimal("2.5"),
    )
    assert "The entry is saved." in text(client.get(response.url))


def test_entry_create_shows_the_services_messages_on_their_fields(client, world):
    client.force_login(world.officer)
    url = reverse("reporting:entry_create")
    base = {"programme": world.programme.pk, "day": "2017-03-06", "activity": "visit"}

    response = client.post(url, {**base, "hours": "0.3"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "hours": ["Record hours in half-hour steps, e.g. 2 or 2.5."]
    }
    assert 'value="0.3"' in text(response)

    response = client.post(url, {**base, "hours": "abc"})
    assert response.status_code == 400
    assert "hours" in response.context["form"].errors

    response = client.post(url, {**base, "hours": "1e30"})
    assert response.status_code == 400
    assert response.context["form"].errors["hours"]

    response = client.post(url, {**base, "day": "2016-09-30", "hours": "2"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["day"]

    other = EventFactory(programme=ProgrammeFactory())
    response = client.post(url, {**base, "hours": "2", "event": other.pk})
    assert response.status_code == 400  # not even offered
    assert list(response.context["form"].errors) == ["event"]

    unrelated = ProgrammeFactory()
    response = client.post(url, {**base, "programme": unrelated.pk, "hours": "2"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["programme"]
    assert not TimeEntry.objects.exists()


def test_an_event_of_another_of_my_programmes_is_refused_on_its_field(client, world):
    second = ProgrammeFactory(name="Second programme")
    ParticipationFactory(programme=second, city=world.city)
    other_event = EventFactory(programme=second)
    client.force_login(world.officer)
    response = client.post(
        reverse("reporting:entry_create"),
        {
            "programme": world.programme.pk,
            "day": "2017-03-06",
            "activity": "visit",
            "event": other_event.pk,
            "hours": "2",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"event": [f"Choose an event of {world.programme}."]}


def test_an_officer_of_two_cities_picks_the_city_of_an_entry(client, world):
    membership_grant(user=world.officer, role=Role.OFFICER, city=world.other_city)
    client.force_login(world.officer)
    url = reverse("reporting:entry_create") + f"?city={world.city.pk}"
    response = client.get(url)
    assert response.context["form"]["city"].value() == world.city.pk
    response = client.post(
        url,
        {
            "city": world.other_city.pk,
            "programme": world.programme.pk,
            "day": "2017-03-06",
            "activity": "visit",
            "hours": "2",
        },
    )
    assert response.status_code == 302
    assert TimeEntry.objects.get().city == world.other_city
    assert response.url == grid_url(world) + f"?city={world.other_city.pk}"
    third = CityFactory()
    response = client.post(url, {"city": third.pk, "programme": world.programme.pk})
    assert response.status_code == 400
    assert "city" in response.context["form"].errors


def test_entry_edit_changes_own_entries(client, world):
    entry = record(world, world.officer, DAY, 2, description="Draft")
    client.force_login(world.officer)
    url = reverse("reporting:entry_edit", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="Draft"' in text(response)
    assert "programme" not in response.context["form"].fields

    data = {"day": "2017-03-07", "activity": "visit", "hours": "3.5", "description": "Final"}
    response = client.post(url, {**data, "hours": "30"})
    assert response.status_code == 400
    assert response.context["form"].errors["hours"]
    response = client.post(url, {**data, "day": "2016-01-04"})
    assert response.status_code == 400
    assert response.context["form"].errors["day"]
    assert 'value="2016-01-04"' in text(response)
    assert f'href="{grid_url(world)}"' in text(response)  # back to the stored month
    entry.refresh_from_db()
    assert entry.hours == 2

    response = client.post(url, data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.day, entry.activity, entry.hours, entry.description) == (
        date(2017, 3, 7),
        "visit",
        Decimal("3.5"),
        "Final",
    )


@pytest.mark.parametrize("who", ["colleague", "other_officer", "supervisor", "coordinator"])
def test_someone_elses_entry_is_404(client, world, who):
    entry = record(world, world.officer, DAY, 2)
    client.force_login(getattr(world, who))
    for name in ["reporting:entry_edit", "reporting:entry_delete"]:
        url = reverse(name, args=[entry.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"day": "2017-03-06", "activity": "visit", "hours": "9"}).status_code
            == 404
        )
    entry.refresh_from_db()
    assert entry.hours == 2


def test_entries_of_a_locked_month_are_refused_with_the_services_message(client, world):
    entry = record(world, world.officer, DAY, 2)
    services.month_submit(entry.timesheet, by=fresh(world.officer))
    client.force_login(world.officer)

    url = reverse("reporting:entry_edit", args=[entry.pk])
    response = client.get(url)
    assert "cannot change unless the month is returned" in text(response)
    response = client.post(url, {"day": "2017-03-06", "activity": "visit", "hours": "3"})
    assert response.status_code == 400
    assert "is submitted for approval; it cannot change unless it is returned" in text(response)

    url = reverse("reporting:entry_delete", args=[entry.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "is submitted for approval; it cannot change unless it is returned" in text(response)
    entry.refresh_from_db()
    assert entry.hours == 2

    response = client.post(
        reverse("reporting:entry_create"),
        {"programme": world.programme.pk, "day": "2017-03-08", "activity": "visit", "hours": "1"},
    )
    assert response.status_code == 400
    assert "is submitted for approval" in response.context["form"].errors["day"][0]


def test_entry_delete_asks_then_deletes(client, world):
    entry = record(world, world.officer, DAY, 2)
    client.force_login(world.officer)
    url = reverse("reporting:entry_delete", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Delete these hours from your timesheet?" in text(response)
    assert TimeEntry.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == grid_url(world)
    assert not TimeEntry.objects.exists()
    assert "The entry is deleted." in text(client.get(response.url))


# Query counts -----------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def fill(world, first_day: date, days: int) -> None:
    """Entries on the given number of days from first_day, one of them linked to an event."""
    event = EventFactory(programme=world.programme)
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        record(world, world.officer, day, 2, description=f"Day {offset}")
        record(world, world.officer, day, 1, activity="visit", event=event)


def test_the_grid_does_not_query_more_with_more_entries(client, world):
    client.force_login(world.officer)
    fill(world, DAY, 1)
    small = count_queries(client, grid_url(world))
    fill(world, DAY + timedelta(days=1), 20)
    large = count_queries(client, grid_url(world))
    assert large == small
    assert small <= 8


def test_my_time_does_not_query_more_with_more_months(client, world):
    client.force_login(world.officer)
    fill(world, DAY, 1)
    small = count_queries(client, reverse("reporting:my_time"))
    for month in range(4, 13):
        fill(world, date(2017, month, 3), 3)
    second = ProgrammeFactory()
    ParticipationFactory(programme=second, city=world.city)
    large = count_queries(client, reverse("reporting:my_time"))
    assert large == small
    assert small <= 8


def test_a_description_typed_without_hours_is_kept_with_a_message(client, world):
    client.force_login(world.officer)
    description = services.grid_description_field(DAY)
    response = client.post(grid_url(world), {description: "Workshop notes"})
    assert response.status_code == 400
    page = text(response)
    assert "a description belongs to its hours" in page
    assert 'value="Workshop notes"' in response.content.decode()
    assert not TimeEntry.objects.exists()
