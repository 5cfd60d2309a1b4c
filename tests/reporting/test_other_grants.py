"""Hours in other grants (issue 16, a person's cap across grants): who may declare them, the cap
they put on signing a month, the page where a person keeps them, and their place in the
person's data export and erasure.

The figures are checked by hand: a full-time rate gives 1,720 productive hours a year (the EU
rules); 1,700 hours signed in 2017 (620 in January and 560 in February approved, 520 in March
submitted in a second programme) and 15 hours in other grants leave 5 hours."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.privacy import erase_person, erasure_plan, personal_data
from reporting import permissions, selectors, services
from reporting.models import MonthStatus, OtherGrantHours, TimesheetMonth
from tests.accounts.factories import CityOfficerFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH, APRIL = (date(2017, m, 1) for m in (1, 2, 3, 4))


@pytest.fixture
def world():
    return build_time_world(max_hours_per_day=Decimal(24))


def fill(world, person, month: date, days: int, hours_a_day: int, programme=None) -> None:
    """``days`` days from the 1st of ``month`` with ``hours_a_day`` of action planning each, in
    one save of the month grid."""
    services.month_grid_save(
        person=fresh(person),
        programme=programme or world.programme,
        city=world.city,
        month=month,
        hours={
            (month.replace(day=day), "action_planning"): Decimal(hours_a_day)
            for day in range(1, days + 1)
        },
        descriptions={},
    )


def declare(person, year, project, hours, *, by=None, note="") -> OtherGrantHours:
    return services.other_grant_hours_save(
        row=OtherGrantHours(
            person=person, year=year, project=project, hours=Decimal(str(hours)), note=note
        ),
        by=fresh(by or person),
    )


def sheet_of(world, person, month, programme=None) -> TimesheetMonth:
    return TimesheetMonth.objects.get(
        person=person, programme=programme or world.programme, city=world.city, month=month
    )


@pytest.fixture
def busy(world):
    """The officer's 2017: 1,700 hours signed (January and February approved in the programme,
    March submitted in a second programme of the city), a full-time rate (1,720 productive
    hours), 15 hours in another grant, and April open."""
    second = ProgrammeFactory(
        starts_on=date(2016, 10, 1), ends_on=date(2018, 9, 30), max_hours_per_day=Decimal(24)
    )
    ParticipationFactory(programme=second, city=world.city)
    rate(world, world.officer, 2017, "41280")
    fill(world, world.officer, JANUARY, 31, 20)  # 620
    fill(world, world.officer, FEBRUARY, 28, 20)  # 560
    fill(world, world.officer, MARCH, 26, 20, programme=second)  # 520
    approved_month(world, world.officer, JANUARY)
    approved_month(world, world.officer, FEBRUARY)
    services.month_submit(sheet_of(world, world.officer, MARCH, second), by=fresh(world.officer))
    declare(world.officer, 2017, "Interreg Baltic Sea Region – BSR-123", 15)
    world.second = second
    return world


# The cap on signing -----------------------------------------------------------------------------


def test_a_month_that_would_go_beyond_the_productive_hours_is_refused_with_the_figures(busy):
    record(busy, busy.officer, date(2017, 4, 3), 10)
    april = sheet_of(busy, busy.officer, APRIL)

    with pytest.raises(ValidationError) as refused:
        services.month_submit(april, by=fresh(busy.officer))

    assert refused.value.messages == [
        "Signing would bring you to 1725 hours in 2017: 1710 in your timesheets in Tandem, "
        "this month's 10 included, and 15 declared in other grants, more than your 1720 "
        "productive hours."
    ]
    april.refresh_from_db()
    assert april.status == MonthStatus.OPEN
    assert not april.log.exists()


def test_a_month_that_reaches_the_productive_hours_exactly_is_signed(busy):
    record(busy, busy.officer, date(2017, 4, 3), 5)  # 1,700 + 5 + 15 = 1,720
    april = sheet_of(busy, busy.officer, APRIL)

    services.month_submit(april, by=fresh(busy.officer))

    assert sheet_of(busy, busy.officer, APRIL).status == MonthStatus.SUBMITTED


def test_only_signed_months_of_the_same_year_count(busy):
    """An open month (May), a month returned to the person and another year's hours in other
    grants take nothing from the year's productive hours."""
    record(busy, busy.officer, date(2017, 5, 2), 3)  # May stays open
    declare(busy.officer, 2018, "Horizon Europe – 101000000", 1000)
    returned = sheet_of(busy, busy.officer, MARCH, busy.second)
    services.month_return(returned, by=fresh(busy.supervisor), comment="One day too many.")
    record(busy, busy.officer, date(2017, 4, 3), 10)
    # 1,180 approved + 10 in April + 15 in another grant = 1,205.
    services.month_submit(sheet_of(busy, busy.officer, APRIL), by=fresh(busy.officer))


def test_hours_declared_in_other_grants_alone_can_refuse_a_signature(world):
    rate(world, world.officer, 2017, "41280", share="0.5")  # 860 productive hours
    declare(world.officer, 2017, "Interreg Europe – PGI-0042", 855)
    record(world, world.officer, date(2017, 4, 3), 6)

    with pytest.raises(ValidationError, match="861 hours in 2017: 6 in your timesheets"):
        services.month_submit(sheet_of(world, world.officer, APRIL), by=fresh(world.officer))


def test_hours_signed_for_another_city_count_against_this_citys_rate(world):
    """Olga works full time for Ghent and on a 0.1 share for Gdańsk (172 productive hours):
    with Ghent's 100 hours signed, Gdańsk's 120 cannot be signed."""
    CityOfficerFactory(user=world.officer, city=world.other_city)
    rate(world, world.officer, 2017, "5000", share="0.1", city=world.other_city)
    rate(world, world.officer, 2017, "41280")
    for index in range(12):
        record(world, world.officer, MARCH + timedelta(days=index), 10, city=world.other_city)
    for index in range(10):
        record(world, world.officer, APRIL + timedelta(days=index), 10)
    services.month_submit(sheet_of(world, world.officer, APRIL), by=fresh(world.officer))
    gdansk = TimesheetMonth.objects.get(person=world.officer, city=world.other_city, month=MARCH)

    with pytest.raises(ValidationError) as refused:
        services.month_submit(gdansk, by=fresh(world.officer))

    assert refused.value.messages == [
        "Signing would bring you to 220 hours in 2017: 220 in your timesheets in Tandem, this "
        "month's 120 included, and 0 declared in other grants, more than your 172 productive "
        "hours."
    ]


def test_without_a_rate_for_the_year_there_is_no_cap_to_check_when_signing(world):
    declare(world.officer, 2017, "Interreg Europe – PGI-0042", 5000)
    record(world, world.officer, date(2017, 4, 3), 6)

    services.month_submit(sheet_of(world, world.officer, APRIL), by=fresh(world.officer))

    assert sheet_of(world, world.officer, APRIL).status == MonthStatus.SUBMITTED


def test_another_persons_hours_in_other_grants_do_not_count(busy):
    declare(busy.colleague, 2017, "Interreg Europe – PGI-0042", 1000)
    record(busy, busy.officer, date(2017, 4, 3), 5)
    services.month_submit(sheet_of(busy, busy.officer, APRIL), by=fresh(busy.officer))


def test_the_signed_hours_selector_adds_every_programme_and_city(busy):
    assert selectors.hours_signed_by_year(busy.officer) == {2017: Decimal(1700)}
    march = sheet_of(busy, busy.officer, MARCH, busy.second)
    assert selectors.hours_signed_by_year(busy.officer, excluding=march) == {2017: Decimal(1180)}
    assert selectors.hours_signed_by_year(busy.officer, years=[2018]) == {}


# Who may declare --------------------------------------------------------------------------------


def test_the_person_and_their_citys_supervisor_may_declare_nobody_else(world):
    officer = world.officer
    assert permissions.can_declare_other_grants(fresh(officer), officer) == (True, "")
    assert permissions.can_declare_other_grants(fresh(world.supervisor), officer) == (True, "")
    for who in (world.colleague, world.other_supervisor, world.coordinator):
        allowed, reason = permissions.can_declare_other_grants(fresh(who), officer)
        assert not allowed
        assert reason == (
            "Only Olga Officer, or a supervisor of a city they work for, can declare the hours "
            "they work in other grants."
        )


def test_a_supervisor_records_hours_for_an_officer_of_their_city(world):
    row = declare(world.officer, 2017, "Interreg Europe – PGI-0042", 40, by=world.supervisor)
    assert row.person == world.officer
    assert row.updated_by == world.supervisor


def test_a_supervisor_of_another_city_is_refused(world):
    with pytest.raises(ValidationError, match="Only Olga Officer, or a supervisor"):
        declare(world.officer, 2017, "Interreg Europe", 40, by=world.other_supervisor)
    assert not OtherGrantHours.objects.exists()


def test_a_row_cannot_be_moved_to_another_person(world):
    row = declare(world.officer, 2017, "Interreg Europe", 40)
    row.person = world.colleague
    with pytest.raises(ValidationError, match="stay with their person"):
        services.other_grant_hours_save(row=row, by=fresh(world.colleague))
    assert OtherGrantHours.objects.get().person == world.officer


def test_a_duplicate_is_refused_on_the_project_field(world):
    declare(world.officer, 2017, "Interreg Europe", 40)
    with pytest.raises(ValidationError) as refused:
        declare(world.officer, 2017, " Interreg Europe ", 10)
    assert refused.value.message_dict == {
        "project": ["Interreg Europe already has hours declared for 2017; change those instead."]
    }
    declare(world.officer, 2018, "Interreg Europe", 10)  # another year is another row
    declare(world.colleague, 2017, "Interreg Europe", 10)  # and another person's


def test_the_database_holds_the_rules_too(world):
    declare(world.officer, 2017, "Interreg Europe", 40)
    for hours, project in ((Decimal(5), "Interreg Europe"), (Decimal(0), "Horizon")):
        with pytest.raises(IntegrityError), transaction.atomic():
            OtherGrantHours.objects.create(
                person=world.officer,
                year=2017,
                project=project,
                hours=hours,
                updated_by=world.officer,
            )


def test_only_the_person_or_their_supervisor_deletes(world):
    row = declare(world.officer, 2017, "Interreg Europe", 40)
    with pytest.raises(ValidationError):
        services.other_grant_hours_delete(row=row, by=fresh(world.colleague))
    services.other_grant_hours_delete(row=row, by=fresh(world.supervisor))
    assert not OtherGrantHours.objects.exists()


# The page ---------------------------------------------------------------------------------------

LIST = "reporting:other_grants"


def test_the_page_shows_each_year_with_what_remains(client, busy):
    rate(busy, busy.officer, 2018, "42000", share="0.5")
    client.force_login(busy.officer)

    response = client.get(reverse(LIST))

    assert response.status_code == 200
    years = {y.year: y for y in response.context["years"]}
    assert sorted(years) == [2017, 2018]
    year = years[2017]
    assert (year.productive, year.signed, year.other, year.remaining, year.over) == (
        Decimal(1720),
        Decimal(1700),
        Decimal(15),
        Decimal(5),
        Decimal(0),
    )
    assert (years[2018].productive, years[2018].remaining) == (Decimal(860), Decimal(860))
    html = response.content.decode()
    assert "Interreg Baltic Sea Region – BSR-123" in html
    assert reverse("reporting:other_grant_edit", args=[OtherGrantHours.objects.get().pk]) in html


def test_hours_declared_after_signing_show_how_far_the_year_is_over(client, busy):
    declare(busy.officer, 2017, "Horizon Europe", 30)  # 1,700 + 45 = 1,745
    client.force_login(busy.officer)
    year = client.get(reverse(LIST)).context["years"][0]
    assert (year.remaining, year.over) == (Decimal(0), Decimal(25))
    assert "25 over" in client.get(reverse(LIST)).content.decode()


def test_my_time_links_the_page(client, world):
    client.force_login(world.officer)
    assert reverse(LIST) in client.get(reverse("reporting:my_time")).content.decode()


def test_declaring_hours_on_the_page(client, world):
    client.force_login(world.officer)
    url = reverse("reporting:other_grant_create")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {"year": "2017", "project": "Interreg Europe – PGI-0042", "hours": "87.5", "note": ""},
        follow=True,
    )

    assert response.redirect_chain == [(reverse(LIST), 302)]
    assert "Saved: 87.5 hours in Interreg Europe – PGI-0042 in 2017." in response.content.decode()
    row = OtherGrantHours.objects.get()
    assert (row.person, row.year, row.hours, row.updated_by) == (
        world.officer,
        2017,
        Decimal("87.5"),
        world.officer,
    )


def test_changing_hours_on_the_page(client, world):
    row = declare(world.officer, 2017, "Interreg Europe", 40)
    client.force_login(world.officer)
    url = reverse("reporting:other_grant_edit", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    version = page.context["form"].initial["version"]

    response = client.post(
        url,
        {
            "year": "2017",
            "project": "Interreg Europe",
            "hours": "55",
            "note": "Half a day a week",
            "version": version,
        },
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.hours, row.note) == (Decimal(55), "Half a day a week")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": "1999", "hours": "10"}, "year", "greater than or equal to 2000"),
        ({"year": "2017", "hours": "0"}, "hours", "greater than or equal to 0.1"),
        ({"year": "2017", "hours": "-4"}, "hours", "greater than or equal to 0.1"),
        ({"year": "2017", "hours": "9000"}, "hours", "less than or equal to 8784"),
        ({"year": "2017", "hours": "12.25"}, "hours", "no more than 1 decimal place"),
        ({"year": "2017", "hours": "lots"}, "hours", "Enter a number."),
        ({"year": "2017", "hours": "10", "project": ""}, "project", "This field is required."),
    ],
)
def test_bad_input_gets_a_message_on_its_field_and_keeps_what_was_typed(
    client, world, data, field, message
):
    client.force_login(world.officer)
    posted = {"project": "Interreg Europe – PGI-0042", "note": "typed note", **data}

    response = client.post(reverse("reporting:other_grant_create"), posted)

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    html = response.content.decode()
    assert "Please correct the marked fields." in html
    assert "typed note" in html
    if posted["project"]:
        assert 'value="Interreg Europe – PGI-0042"' in html
    assert not OtherGrantHours.objects.exists()


def test_a_duplicate_on_the_page_gets_a_message_on_the_project(client, world):
    declare(world.officer, 2017, "Interreg Europe", 40)
    client.force_login(world.officer)

    response = client.post(
        reverse("reporting:other_grant_create"),
        {"year": "2017", "project": "Interreg Europe", "hours": "12", "note": ""},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "project": ["Interreg Europe already has hours declared for 2017; change those instead."]
    }
    assert 'value="12"' in response.content.decode()
    assert OtherGrantHours.objects.get().hours == 40


def test_renaming_onto_another_row_gets_a_message_on_the_project(client, world):
    declare(world.officer, 2017, "Interreg Europe", 40)
    row = declare(world.officer, 2017, "Horizon Europe", 10)
    client.force_login(world.officer)

    response = client.post(
        reverse("reporting:other_grant_edit", args=[row.pk]),
        {"year": "2017", "project": "Interreg Europe", "hours": "10", "note": ""},
    )

    assert response.status_code == 400
    assert "project" in response.context["form"].errors
    row.refresh_from_db()
    assert row.project == "Horizon Europe"
    # The heading names the row as stored, not as typed.
    assert "Hours in Horizon Europe in 2017" in response.content.decode()


def test_deleting_asks_first(client, world):
    row = declare(world.officer, 2017, "Interreg Europe", 40)
    client.force_login(world.officer)
    url = reverse("reporting:other_grant_delete", args=[row.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Delete these hours in another grant?" in page.content.decode()
    assert OtherGrantHours.objects.exists()

    response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse(LIST), 302)]
    assert "Deleted the hours in Interreg Europe in 2017." in response.content.decode()
    assert not OtherGrantHours.objects.exists()


def test_another_persons_row_is_not_found(client, world):
    row = declare(world.colleague, 2017, "Interreg Europe", 40)
    # Not even for the supervisor who may record it through the service: the page is one's own.
    for who in (world.officer, world.supervisor):
        client.force_login(who)
        for name in ("reporting:other_grant_edit", "reporting:other_grant_delete"):
            url = reverse(name, args=[row.pk])
            assert client.get(url).status_code == 404, (who, name)
            assert client.post(url, {"hours": "1"}).status_code == 404, (who, name)
    assert OtherGrantHours.objects.get().hours == 40


def test_people_who_record_no_time_get_my_times_page(client, world):
    client.force_login(world.coordinator)
    for name in (LIST, "reporting:other_grant_create"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "Only city officers record time here" in response.content.decode()


def test_an_anonymous_visitor_goes_to_sign_in(client, world):
    row = declare(world.officer, 2017, "Interreg Europe", 40)
    for url in (
        reverse(LIST),
        reverse("reporting:other_grant_create"),
        reverse("reporting:other_grant_edit", args=[row.pk]),
        reverse("reporting:other_grant_delete", args=[row.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login")), url
    assert client.post(reverse("reporting:other_grant_delete", args=[row.pk])).status_code == 302
    assert OtherGrantHours.objects.exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_does_not_query_more_with_more_years_and_rows(client, world):
    client.force_login(world.officer)
    rate(world, world.officer, 2017, "41280")
    declare(world.officer, 2017, "Interreg Europe", 40)
    small = _count(client, reverse(LIST))
    rate(world, world.officer, 2018, "42000")
    ParticipationFactory(programme=ProgrammeFactory(), city=world.city)
    for year in (2016, 2017, 2018):
        for project in ("Horizon Europe", "LIFE", "Erasmus+"):
            declare(world.officer, year, project, 12)
    record(world, world.officer, date(2017, 3, 6), 4)
    approved_month(world, world.officer, MARCH)
    large = _count(client, reverse(LIST))
    assert large == small
    assert small <= 8


# The person's data ------------------------------------------------------------------------------


def test_the_export_holds_the_persons_hours_in_other_grants(world):
    declare(world.officer, 2017, "Interreg Europe", 40, note="Mondays")
    declare(world.officer, 2018, "Horizon Europe", 12, by=world.supervisor)
    declare(world.colleague, 2017, "Colleague's grant", 99)

    data = personal_data(fresh(world.officer))

    assert [
        (r["year"], r["project"], r["hours"], r["note"], r["last_changed_by_you"])
        for r in data["hours_in_other_grants"]
    ] == [
        (2017, "Interreg Europe", Decimal(40), "Mondays", True),
        (2018, "Horizon Europe", Decimal(12), "", False),
    ]


def test_erasure_keeps_the_years_of_approved_months_and_deletes_the_others(world):
    """Approved March 2017 stays for the audit with the hours in other grants its year was
    capped with; 2018's hours go, as the rates that priced nothing do."""
    rate(world, world.officer, 2017, "41280")
    record(world, world.officer, date(2017, 3, 6), 4)
    approved_month(world, world.officer, MARCH)
    declare(world.officer, 2017, "Interreg Europe", 40)
    declare(world.officer, 2018, "Horizon Europe", 12)
    declare(world.colleague, 2018, "Colleague's grant", 99)
    officer = fresh(world.officer)

    plan = erasure_plan(officer)
    assert plan.deleted["other_grant_hours"] == 1
    assert plan.kept["other_grant_hours"] == 1

    erase_person(officer, by=None)

    assert list(
        OtherGrantHours.objects.filter(person=world.officer).values_list("year", "project")
    ) == [(2017, "Interreg Europe")]
    assert OtherGrantHours.objects.filter(person=world.colleague).count() == 1
    assert User.objects.get(pk=officer.pk).erased_at is not None
