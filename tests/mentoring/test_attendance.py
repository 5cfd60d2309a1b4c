"""Attendance: who took part in a held event, for which city or organisation, for how long."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from accounts.services import membership_grant
from mentoring.models import Attendance, Event, EventStatus
from mentoring.services.events import attendance_delete, attendance_record
from tests.accounts.factories import UserFactory
from tests.cities.factories import CityFactory
from tests.mentoring.event_factories import AttendanceFactory, World, build_world
from tests.mentoring.factories import ExpertOrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return build_world()


def record(world, **changes) -> Attendance:
    data = {"event": world.held, "guest_name": "A guest", "city": world.implementing, "days": 1}
    data.update(changes)
    data["days"] = Decimal(str(data["days"]))
    return attendance_record(**data)


def errors_of(world, **changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        record(world, **changes)
    assert not Attendance.objects.exists()
    return error.value.message_dict


class TestConstraints:
    @pytest.mark.parametrize(
        ("changes", "constraint"),
        [
            ({"guest_name": ""}, "attendance_user_or_guest"),
            ({"organisation_name": ""}, "attendance_for_one_city_or_organisation"),
            ({"days": Decimal("0")}, "attendance_days_positive"),
            ({"days": Decimal("-1")}, "attendance_days_positive"),
            ({"days": Decimal("1.3")}, "attendance_days_in_half_days"),
        ],
    )
    def test_the_database_refuses(self, changes, constraint):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            AttendanceFactory(**changes)

    def test_a_person_and_a_guest_name_together(self):
        with pytest.raises(IntegrityError, match="user_or_guest"), transaction.atomic():
            AttendanceFactory(user=UserFactory())

    def test_a_city_and_an_organisation_together(self):
        with pytest.raises(IntegrityError, match="one_city_or_organisation"), transaction.atomic():
            AttendanceFactory(city=CityFactory())

    def test_the_same_person_once_per_event(self):
        first = AttendanceFactory(user=UserFactory(), guest_name="")
        with (
            pytest.raises(
                IntegrityError,
                match="attendance_unique_person|attendance.event_id, mentoring_attendance.user_id",
            ),
            transaction.atomic(),
        ):
            AttendanceFactory(event=first.event, user=first.user, guest_name="")
        AttendanceFactory(user=first.user, guest_name="")  # at another event

    def test_the_same_guest_once_per_event(self):
        first = AttendanceFactory()
        with (
            pytest.raises(
                IntegrityError,
                match="attendance_unique_guest|event_id, mentoring_attendance.guest_name",
            ),
            transaction.atomic(),
        ):
            AttendanceFactory(event=first.event, guest_name=first.guest_name)

    def test_half_days_are_fine(self):
        assert AttendanceFactory(days=Decimal("2.5")).days == Decimal("2.5")


class TestRecord:
    def test_records_a_person_for_their_city(self, world):
        officer = world["host_officer"]
        attendance = record(world, user=officer, guest_name="", days="2.5", by=officer)
        assert (attendance.attendee_name, attendance.represents) == (
            str(officer),
            str(world.implementing),
        )
        assert attendance.recorded_by == officer

    def test_records_for_an_expert_organisation_or_another_one(self, world):
        organisation = ExpertOrganisationFactory(name="Migration Policy Group")
        expert = record(
            world, user=world["expert"], guest_name="", city=None, organisation=organisation
        )
        guest = record(world, guest_name="Ana", city=None, organisation_name="Chamber")
        assert (expert.represents, guest.represents) == ("Migration Policy Group", "Chamber")

    def test_the_whole_event_at_most(self, world):
        assert record(world, days=3).days == Decimal(3)

    @pytest.mark.parametrize("status", [EventStatus.PLANNED, EventStatus.CONFIRMED])
    def test_only_once_the_event_is_held(self, world, status):
        Event.objects.filter(pk=world.held.pk).update(status=status)
        world.held.refresh_from_db()
        errors = errors_of(world)
        assert errors["__all__"] == ["Attendance is recorded once the event has been held."]

    def test_not_at_a_cancelled_event(self, world):
        Event.objects.filter(pk=world.held.pk).update(status="cancelled", cancellation_reason="x")
        world.held.refresh_from_db()
        assert "__all__" in errors_of(world)

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"guest_name": ""}, "user", "Choose a person, or give a guest's name."),
            ({"city": None}, "city", "Choose one city or one organisation"),
            ({"organisation_name": "Chamber"}, "city", "Choose one city or one organisation"),
            ({"days": 0}, "days", "Days attended must be more than zero."),
            ({"days": "-0.5"}, "days", "Days attended must be more than zero."),
            ({"days": "1.3"}, "days", "Count days in half-day steps"),
            ({"days": "3.5"}, "days", "The event lasts 3 days; nobody attended longer."),
            ({"guest_name": "x" * 151}, "guest_name", "at most 150 characters"),
        ],
    )
    def test_refuses(self, world, changes, field, message):
        errors = errors_of(world, **changes)
        assert any(message in text for text in errors[field]), errors

    def test_a_person_or_a_guest_not_both(self, world):
        errors = errors_of(world, user=world["host_officer"])
        assert errors["guest_name"] == ["Choose a person or give a guest's name, not both."]

    def test_the_city_takes_part_in_the_programme(self, world):
        errors = errors_of(world, city=CityFactory(name="Oslo"))
        assert errors["city"] == [f"Oslo does not take part in {world.programme}."]

    def test_a_person_comes_for_a_city_they_act_for(self, world):
        errors = errors_of(world, user=world["other_city_officer"], guest_name="")
        assert errors["user"] == [
            f"{world['other_city_officer']} does not act for {world.implementing}."
        ]

    def test_a_person_has_a_role_in_the_programme(self, world):
        errors = errors_of(
            world, user=world["outsider"], guest_name="", city=None, organisation_name="Elsewhere"
        )
        assert errors["user"] == [f"{world['outsider']} has no role in {world.programme}."]

    def test_no_duplicate_person(self, world):
        officer = world["host_officer"]
        record(world, user=officer, guest_name="")
        with pytest.raises(ValidationError) as error:
            record(world, user=officer, guest_name="", days=2)
        assert error.value.message_dict["user"] == [f"{officer} is already recorded at this event."]
        assert Attendance.objects.count() == 1

    def test_no_duplicate_guest(self, world):
        record(world)
        with pytest.raises(ValidationError) as error:
            record(world, days=2)
        assert error.value.message_dict["guest_name"] == [
            "This guest is already recorded at this event."
        ]

    def test_delete(self, world):
        attendance = record(world)
        attendance_delete(attendance=attendance)
        assert not Attendance.objects.exists()


# Through the page ---------------------------------------------------------------------


def url(world) -> str:
    return reverse("mentoring:event_attendance", args=[world.held.pk])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"days": "1"}, "Choose a person, or give a guest&#x27;s name."),
        ({"guest_name": "G", "days": "1"}, "Choose one city or one organisation"),
        ({"guest_name": "G", "city": "host", "days": "0"}, "must be more than zero"),
        ({"guest_name": "G", "city": "host", "days": "1.3"}, "Count days in half-day steps"),
        ({"guest_name": "G", "city": "host", "days": "1.25"}, "no more than 1 decimal place"),
        ({"guest_name": "G", "city": "host", "days": "4"}, "The event lasts 3 days"),
        ({"guest_name": "G", "city": "host", "days": "many"}, "Enter a number."),
        ({"guest_name": "G", "city": "host"}, "This field is required."),
        (
            {"guest_name": "G", "city": "99999", "days": "1"},
            "No city of this programme has the number 99999",
        ),
        ({"user": "mentor officer", "city": "host", "days": "1"}, "does not act for"),
        ({"user": "host officer", "guest_name": "G", "city": "host", "days": "1"}, "not both"),
    ],
)
def test_form_shows_each_rule(client, world, data, message):
    client.force_login(world["coordinator"])
    people = {"mentor officer": world["other_city_officer"], "host officer": world["host_officer"]}
    if "user" in data:
        data["user"] = people[data["user"]].pk
    if data.get("city") == "host":
        data["city"] = world.implementing.pk
    response = client.post(url(world), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attendance.objects.exists()


def test_form_shows_a_duplicate(client, world):
    client.force_login(world["coordinator"])
    data = {"user": world["host_officer"].pk, "city": world.implementing.pk, "days": "1"}
    assert client.post(url(world), data).status_code == 302
    response = client.post(url(world), data)
    assert response.status_code == 400
    assert "is already recorded at this event." in response.content.decode()
    assert Attendance.objects.count() == 1


def test_form_at_an_event_not_yet_held(client, world):
    Event.objects.filter(pk=world.held.pk).update(status=EventStatus.CONFIRMED)
    client.force_login(world["coordinator"])
    data = {"guest_name": "G", "city": world.implementing.pk, "days": "1"}
    response = client.post(url(world), data)
    assert response.status_code == 400
    assert "Attendance is recorded once the event has been held." in response.content.decode()


def test_an_officer_records_their_own_citys_people(client, world):
    officer = world["other_city_officer"]  # the mentor city's, visiting the host
    colleague = UserFactory(full_name="Colleague")
    membership_grant(user=colleague, role=Role.SUPERVISOR, city=world.mentor)
    client.force_login(officer)
    form = client.get(url(world)).context["form"]
    assert "organisation" not in form.fields
    assert list(form.fields["city"].queryset) == [world.mentor]
    assert set(form.fields["user"].queryset) == {officer, colleague}
    data = {"user": colleague.pk, "city": world.mentor.pk, "days": "2.5"}
    assert client.post(url(world), data).status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.user, attendance.city, attendance.days, attendance.recorded_by) == (
        colleague,
        world.mentor,
        Decimal("2.5"),
        officer,
    )


def test_an_officer_cannot_record_anothers_people(client, world):
    client.force_login(world["other_city_officer"])
    someone = {"user": world["host_officer"].pk, "city": world.implementing.pk, "days": "1"}
    response = client.post(url(world), someone)
    assert response.status_code == 400
    assert "Nobody who may be chosen here has the number" in response.content.decode()
    response = client.post(url(world), someone | {"city": world.mentor.pk})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_an_officer_records_at_a_programme_event_for_their_city(client, world):
    client.force_login(world["unrelated_officer"])
    target = reverse("mentoring:event_attendance", args=[world.meeting.pk])
    data = {"guest_name": "Deputy mayor", "city": world.unrelated.pk, "days": "2"}
    assert client.post(target, data).status_code == 302
    data = {"guest_name": "Another", "city": world.implementing.pk, "days": "2"}
    assert client.post(target, data).status_code == 400
    assert Attendance.objects.count() == 1


def test_coordinators_record_for_any_organisation(client, world):
    organisation = ExpertOrganisationFactory()
    client.force_login(world["coordinator"])
    data = {"user": world["expert"].pk, "organisation": organisation.pk, "days": "3"}
    assert client.post(url(world), data).status_code == 302
    assert Attendance.objects.get().organisation == organisation


def test_officers_remove_their_citys_rows_only(client, world):
    mine = record(world, guest_name="Mine", city=world.mentor)
    theirs = record(world, guest_name="Theirs", city=world.implementing)
    client.force_login(world["other_city_officer"])
    page = client.get(url(world)).content.decode()
    assert reverse("mentoring:attendance_delete", args=[world.held.pk, mine.pk]) in page
    assert reverse("mentoring:attendance_delete", args=[world.held.pk, theirs.pk]) not in page
    delete = reverse("mentoring:attendance_delete", args=[world.held.pk, theirs.pk])
    assert client.post(delete).status_code == 403
    delete = reverse("mentoring:attendance_delete", args=[world.held.pk, mine.pk])
    assert client.post(delete).status_code == 302
    assert list(Attendance.objects.values_list("guest_name", flat=True)) == ["Theirs"]


def test_a_row_is_removed_through_its_own_event_only(client, world):
    row = record(world)
    client.force_login(world["coordinator"])
    wrong = reverse("mentoring:attendance_delete", args=[world.meeting.pk, row.pk])
    assert client.post(wrong).status_code == 404
    assert Attendance.objects.exists()


def test_the_event_page_lists_attendance(client, world):
    row = record(world, guest_name="Ana Guest", days="1.5")
    client.force_login(world["coordinator"])
    page = client.get(world.held.get_absolute_url()).content.decode()
    assert "Ana Guest" in page
    assert "1.5" in page
    # Rows are removed on the attendance page, not from the event's page.
    assert reverse("mentoring:attendance_delete", args=[world.held.pk, row.pk]) not in page
