"""A person's data: the "Your data" page and its JSON download, and erasure on request by a
coordinator or an administrator, keeping the approved timesheets an audit needs."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ErasureRecord, Membership, User
from accounts.privacy import erase_person
from mentoring.models import CalendarToken
from reporting import services
from reporting.models import MonthStatus, StaffRate, TimeEntry, TimesheetMonth
from reporting.selectors import staff_cost_summary
from tests.accounts.factories import PASSWORD, CityOfficerFactory, CoordinatorFactory
from tests.mentoring.factories import ParticipationFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = date(2017, 3, 1), date(2017, 4, 1), date(2017, 5, 1)


@pytest.fixture
def world():
    """The officer has an approved March (rate 2017), an open April and a rate for 2018 that
    priced nothing; the colleague has an approved March too."""
    w = build_time_world()
    rate(w, w.officer, 2017, "41280")
    rate(w, w.officer, 2018, "42000")
    rate(w, w.colleague, 2017, "39000")
    record(w, w.officer, date(2017, 3, 6), "7.5", description="Needs analysis with the mayor")
    record(w, w.officer, date(2017, 3, 7), "4")
    record(w, w.colleague, date(2017, 3, 6), "6", description="Colleague's secret work")
    approved_month(w, w.officer, MARCH)
    approved_month(w, w.colleague, MARCH)
    record(w, w.officer, date(2017, 4, 3), "3")
    CalendarToken.objects.create(user=w.officer, token_hash="s3cret-calendar-token")
    return w


def _download(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("accounts:my_data_export"))
    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="tandem-data-\d{4}-\d{2}-\d{2}\.json"',
        response["Content-Disposition"],
    )
    return response


# Export ------------------------------------------------------------------------------------------


def test_your_data_page_explains_and_links_the_download(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("accounts:my_data_export") in html
    assert "Download my data" in html
    assert reverse("accounts:my_data") in html  # the header link


def test_your_data_needs_a_sign_in(client):
    for name in ("accounts:my_data", "accounts:my_data_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_export_holds_own_data_and_nobody_elses(client, world):
    User.objects.filter(pk=world.officer.pk).update(time_zone="Europe/Warsaw")
    response = _download(client, world.officer)
    text = response.content.decode()
    data = json.loads(text)

    assert data["profile"]["email"] == world.officer.email
    assert data["profile"]["time_zone"] == "Europe/Warsaw"
    assert data["profile"]["calendar_feed"]["exists"] is True
    assert [m["role"] for m in data["memberships"]] == ["officer"]
    assert sorted(e["hours"] for e in data["time_entries"]) == ["3.0", "4.0", "7.5"]
    assert data["time_entries"][0]["day"] == "2017-03-06"
    months = {m["month"]: m for m in data["timesheet_months"]}
    assert months["2017-03-01"]["status"] == MonthStatus.APPROVED
    assert months["2017-03-01"]["approved_hours"] == "11.5"
    assert months["2017-03-01"]["approved_by_the_city_supervisor_at"]
    assert [entry["by_you"] for entry in months["2017-03-01"]["log"]] == [True, False]
    assert {(r["year"], r["annual_costs"]) for r in data["staff_rates"]} == {
        (2017, "41280.00"),
        (2018, "42000.00"),
    }

    # Secrets and other people's data stay out.
    for absent in (
        "s3cret-calendar-token",
        world.officer.password,
        world.supervisor.email,
        world.supervisor.full_name,
        world.colleague.email,
        world.colleague.full_name,
        world.coordinator.email,
        "Colleague's secret work",
        "39000.00",
    ):
        assert absent not in text


def test_export_query_count_does_not_grow_with_the_data(client, world):
    def count() -> int:
        client.force_login(world.officer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:my_data_export")).status_code == 200
        return len(queries)

    small = count()
    for day in range(8, 28):
        if date(2017, 4, day).weekday() < 5:
            record(world, world.officer, date(2017, 4, day), "2")
        if date(2017, 5, day).weekday() < 5:
            record(world, world.officer, date(2017, 5, day), "1")
    approved_month(world, world.officer, APRIL)
    assert TimeEntry.objects.filter(person=world.officer).count() > 20
    assert count() == small


# Erasure -----------------------------------------------------------------------------------------


def _erase_url(person) -> str:
    return reverse("accounts:person_erase", kwargs={"pk": person.pk})


def test_coordinator_sees_what_is_deleted_and_kept(client, world):
    client.force_login(world.coordinator)
    response = client.get(_erase_url(world.officer))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Approved timesheet months" in html
    assert "audit" in html
    assert 'name="confirm"' in html


def test_erasure_needs_the_confirmation_box(client, world):
    client.force_login(world.coordinator)
    response = client.post(_erase_url(world.officer), {})
    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in response.content.decode()
    assert fresh(world.officer).erased_at is None


def test_coordinator_erases_a_person(client, world):
    officer = world.officer
    old_email = officer.email
    User.objects.filter(pk=officer.pk).update(time_zone="Europe/Warsaw")
    kept_sheet = TimesheetMonth.objects.get(person=officer, month=MARCH)
    client.force_login(world.coordinator)

    response = client.post(_erase_url(officer), {"confirm": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Erased person #{officer.pk}" in html
    assert "Approved timesheet months" in html
    person = User.objects.get(pk=officer.pk)
    assert person.email == f"erased-{officer.pk}@invalid"
    assert person.full_name == ""
    assert person.time_zone == ""
    assert str(person) == f"Erased person #{officer.pk}"
    assert not person.is_active
    assert not person.has_usable_password()
    assert person.erased_at is not None
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Membership.objects.filter(user=person).exists()
    assert not CalendarToken.objects.filter(user=person).exists()
    # The approved month, its entries and its rate stay; the open April and the unused 2018 rate
    # go.
    assert list(TimesheetMonth.objects.filter(person=person)) == [kept_sheet]
    assert TimeEntry.objects.filter(person=person).count() == 2
    assert list(StaffRate.objects.filter(person=person).values_list("year", flat=True)) == [2017]
    record_ = ErasureRecord.objects.get(person=person)
    assert record_.by == world.coordinator
    assert record_.kept["timesheet_months"] == 1
    assert record_.deleted["timesheet_months"] == 1
    assert old_email not in json.dumps([record_.kept, record_.deleted])
    # The colleague is untouched, and the erased person left the city's team list.
    assert TimesheetMonth.objects.filter(person=world.colleague).count() == 1
    client.force_login(world.coordinator)
    city_page = client.get(reverse("portal:city_detail", kwargs={"slug": world.city.slug}))
    assert f"Erased person #{officer.pk}" not in city_page.content.decode()
    assert old_email not in city_page.content.decode()


def test_erased_person_cannot_sign_in(client, world):
    old_email = world.officer.email
    erase_person(fresh(world.officer), by=world.coordinator)
    assert not client.login(username=old_email, password=PASSWORD)
    response = client.post(reverse("account_login"), {"login": old_email, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_erasure_ends_the_persons_sessions(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("accounts:my_data")).status_code == 200
    erase_person(fresh(world.officer), by=world.coordinator)
    response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["outsider_coordinator", "officer", "supervisor", "colleague"])
def test_other_people_may_not_erase(client, world, who):
    client.force_login(getattr(world, who))
    target = world.colleague if who == "officer" else world.officer
    assert client.get(_erase_url(target)).status_code == 403
    assert client.post(_erase_url(target), {"confirm": "on"}).status_code == 403
    assert fresh(target).erased_at is None


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(_erase_url(world.officer))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_nobody_erases_themselves_on_the_page(client, world):
    client.force_login(world.coordinator)
    response = client.post(_erase_url(world.coordinator), {"confirm": "on"})
    assert response.status_code == 403
    assert "You cannot erase your own data here" in response.content.decode()
    assert fresh(world.coordinator).erased_at is None


def test_person_of_another_programme_too_is_refused_with_a_reason(client, world):
    other = CoordinatorFactory().programme
    CityOfficerFactory(user=world.officer, city=world.other_city)
    ParticipationFactory(programme=other, city=world.other_city)
    client.force_login(world.coordinator)
    response = client.post(_erase_url(world.officer), {"confirm": "on"})
    assert response.status_code == 403
    assert "An administrator can" in response.content.decode()
    assert fresh(world.officer).erased_at is None


def test_the_service_itself_holds_the_coordinators_limits(world):
    """Not only the page: erase_person refuses a coordinator the page would refuse."""
    other = CoordinatorFactory().programme
    CityOfficerFactory(user=world.officer, city=world.other_city)
    ParticipationFactory(programme=other, city=world.other_city)
    with pytest.raises(PermissionDenied, match="An administrator can"):
        erase_person(fresh(world.officer), by=fresh(world.coordinator))
    with pytest.raises(PermissionDenied, match="your own data"):
        erase_person(fresh(world.coordinator), by=fresh(world.coordinator))
    assert fresh(world.officer).erased_at is None
    assert Membership.objects.filter(user=world.officer).exists()


def test_city_page_links_the_erasure_for_coordinators_only(client, world):
    url = reverse("portal:city_detail", kwargs={"slug": world.city.slug})
    client.force_login(world.coordinator)
    assert _erase_url(world.officer) in client.get(url).content.decode()
    client.force_login(world.supervisor)
    assert _erase_url(world.officer) not in client.get(url).content.decode()


def test_administrator_erases_with_the_command(world):
    other = CoordinatorFactory().programme
    ParticipationFactory(programme=other, city=world.city)  # a coordinator could not
    call_command("erase_person", world.officer.email.upper(), interactive=False, stdout=None)
    person = fresh(world.officer)
    assert person.erased_at is not None
    assert ErasureRecord.objects.get(person=person).by is None
    with pytest.raises(CommandError):
        call_command("erase_person", "nobody@example.org", interactive=False)
    with pytest.raises(CommandError):
        call_command("erase_person", person.email, interactive=False)


def test_staff_cost_totals_unchanged_by_erasure(demo_with_staff_time):
    programme = demo_with_staff_time
    person = User.objects.get(email="officer.gdansk@example.org")
    assert TimesheetMonth.objects.filter(person=person, status=MonthStatus.APPROVED).exists()

    def totals():
        summary = staff_cost_summary(
            programme,
            city=None,
            first_month=programme.starts_on.replace(day=1),
            last_month=programme.ends_on.replace(day=1),
        )
        return (
            summary.total_hours,
            summary.split.direct,
            [(c.city, c.hours, c.cost) for c in summary.by_city],
        )

    before = totals()
    erase_person(person, by=None)
    assert totals() == before


@pytest.mark.skipif(not apps.is_installed("auditlog"), reason="django-auditlog not installed")
def test_erasure_scrubs_the_audit_log(world):
    from auditlog import get_logentry_model

    log_entry = get_logentry_model()
    officer = fresh(world.officer)
    old_email, old_name = officer.email, officer.full_name
    mine = log_entry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_pk="1",
        object_repr=f"{old_name} · something",
        action=1,
        changes={"contact_email": [old_email, "x@example.org"]},
        changes_text="",
        actor=officer,
        actor_email=old_email,
        remote_addr="192.0.2.7",
    )
    services.time_entry_create(
        person=officer,
        programme=world.programme,
        city=world.city,
        day=date(2017, 4, 4),
        activity="consultation",
        hours=Decimal(1),
    )
    erase_person(officer, by=world.coordinator)
    mine.refresh_from_db()
    assert mine.actor_email is None
    assert mine.remote_addr is None
    assert old_email not in json.dumps(mine.changes)
    assert old_name not in mine.object_repr
    for entry in log_entry.objects.all():
        dumped = json.dumps([entry.changes, entry.object_repr, entry.changes_text])
        assert old_email not in dumped
        assert old_name not in dumped
