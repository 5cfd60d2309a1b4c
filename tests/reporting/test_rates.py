"""Rates are personal data: who sees which, who enters them, and how bad input is answered
(400 with the message next to the field, nothing saved)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.costs import EU_FIGURES
from reporting.models import StaffRate
from tests.accounts.factories import CityOfficerFactory
from tests.reporting.factories import approved_month, build_time_world, rate, record

pytestmark = pytest.mark.django_db

RATES = reverse("reporting:rates")
CREATE = reverse("reporting:rate_create")


@pytest.fixture
def world():
    w = build_time_world()
    rate(w, w.officer, 2017, "41280")
    rate(w, w.colleague, 2017, "52000", share="0.5")
    rate(w, w.other_officer, 2017, "60200", city=w.other_city)
    return w


def listed(client, user) -> set[str]:
    """Whose rates the person sees on the rates page."""
    client.force_login(user)
    response = client.get(RATES)
    assert response.status_code == 200
    return set(re.findall(r'<th scope="row">([^<]+)</th>', response.content.decode()))


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error on {field}"
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip()


# Who sees which rate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("officer", {"Olga Officer"}),
        ("colleague", {"Carl Colleague"}),  # An officer never sees a colleague's rate.
        ("supervisor", {"Olga Officer", "Carl Colleague"}),
        ("other_officer", {"Ola Other"}),
        ("other_supervisor", {"Ola Other"}),  # Not Ghent's people.
        ("coordinator", {"Olga Officer", "Carl Colleague", "Ola Other"}),
        ("outsider_coordinator", set()),
    ],
)
def test_rates_are_shown_to_the_person_their_supervisors_and_coordinators(client, world, who, sees):
    assert listed(client, getattr(world, who)) == sees


def test_the_list_shows_productive_hours_and_both_rates(client, world):
    client.force_login(world.supervisor)
    html = client.get(RATES).content.decode()
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    # Olga: €41,280 full time → 1,720 h, €24 an hour, €192 a day.
    olga = "Olga Officer Ghent 2017 €41,280.00 100% 1,720 24.0000 EUR 192.0000 EUR Cora Coord"
    assert olga in cells
    # Carl: €52,000 half time → 860 h, €60.4651 an hour, €483.7209 a day.
    assert "Carl Colleague Ghent 2017 €52,000.00 50% 860 60.4651 EUR 483.7209 EUR" in cells


def test_edit_links_only_for_those_who_manage_the_city(client, world):
    own = StaffRate.objects.get(person=world.officer)
    client.force_login(world.officer)
    html = client.get(RATES).content.decode()
    assert reverse("reporting:rate_edit", args=[own.pk]) not in html
    assert CREATE not in html
    client.force_login(world.supervisor)
    html = client.get(RATES).content.decode()
    assert reverse("reporting:rate_edit", args=[own.pk]) in html
    assert CREATE in html


def test_the_list_filters_by_city_and_year(client, world):
    rate(world, world.officer, 2018, "42000")
    client.force_login(world.coordinator)
    html = client.get(f"{RATES}?city={world.other_city.pk}").content.decode()
    assert "Ola Other" in html
    assert "Olga Officer" not in html
    html = client.get(f"{RATES}?year=2018").content.decode()
    assert html.count('<th scope="row">') == 1
    response = client.get(f"{RATES}?year=abc")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer", 403),  # Their own rate: visible, not theirs to change.
        ("colleague", 404),
        ("other_officer", 404),
        ("other_supervisor", 404),
        ("outsider_coordinator", 404),
        ("supervisor", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_open_the_edit_page(client, world, who, status):
    own = StaffRate.objects.get(person=world.officer)
    client.force_login(getattr(world, who))
    assert client.get(reverse("reporting:rate_edit", args=[own.pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer", 403),
        ("other_officer", 403),
        ("outsider_coordinator", 403),
        ("supervisor", 200),
        ("other_supervisor", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_open_the_new_rate_page(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get(CREATE).status_code == status


def test_new_rate_for_a_city_outside_the_scope_is_not_found(client, world):
    client.force_login(world.supervisor)
    assert client.get(f"{CREATE}?city={world.other_city.pk}").status_code == 404
    assert client.get(f"{CREATE}?city=abc").status_code == 404
    response = client.get(f"{CREATE}?city={world.city.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Olga Officer" in html
    assert "Ola Other" not in html  # People of the chosen city only.


# Entering and changing --------------------------------------------------------------------------


def rate_data(world, **changes) -> dict:
    data = {
        "city": world.city.pk,
        "person": world.officer.pk,
        "year": 2018,
        "annual_costs": "43000",
        "working_time_share": "0.8",
    }
    data.update(changes)
    return data


def test_a_supervisor_enters_a_rate(client, world):
    client.force_login(world.supervisor)
    response = client.post(CREATE, rate_data(world))
    assert response.status_code == 302
    saved = StaffRate.objects.get(person=world.officer, year=2018)
    assert (saved.annual_costs, saved.working_time_share) == (Decimal(43000), Decimal("0.8"))
    assert saved.updated_by == world.supervisor
    assert saved.productive_hours(EU_FIGURES) == Decimal(1376)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"working_time_share": "0"}, "working_time_share", "greater than or equal to 0.01"),
        ({"working_time_share": "1.5"}, "working_time_share", "less than or equal to 1"),
        ({"working_time_share": "abc"}, "working_time_share", "Enter a number."),
        ({"annual_costs": "-100"}, "annual_costs", "greater than or equal to 0.01"),
        ({"annual_costs": ""}, "annual_costs", "This field is required."),
        ({"year": "1999"}, "year", "greater than or equal to 2000"),
        ({"year": "2017"}, "year", "Olga Officer already has a rate for 2017 in Ghent"),
    ],
)
def test_bad_input_is_refused_on_its_field(client, world, changes, field, message):
    before = list(StaffRate.objects.values_list("pk", "annual_costs", "working_time_share"))
    client.force_login(world.coordinator)
    response = client.post(CREATE, rate_data(world, **changes))
    assert response.status_code == 400
    assert message in field_error(response.content.decode(), field)
    assert list(StaffRate.objects.values_list("pk", "annual_costs", "working_time_share")) == (
        before
    )


def test_a_person_of_another_city_is_refused_by_the_service(client, world):
    """The coordinator may choose anyone of the programme's cities; the service checks that the
    person works for the city chosen."""
    client.force_login(world.coordinator)
    response = client.post(CREATE, rate_data(world, person=world.other_officer.pk))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "person") == (
        "Choose a person who works for Ghent."
    )
    assert not StaffRate.objects.filter(person=world.other_officer, city=world.city).exists()


def test_a_supervisor_cannot_choose_a_person_or_city_of_another_city(client, world):
    client.force_login(world.supervisor)
    response = client.post(CREATE, rate_data(world, person=world.other_officer.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in field_error(response.content.decode(), "person")
    response = client.post(
        CREATE, rate_data(world, city=world.other_city.pk, person=world.other_officer.pk)
    )
    assert response.status_code == 400
    assert "Select a valid choice" in field_error(response.content.decode(), "city")
    assert not StaffRate.objects.filter(year=2018).exists()


def test_editing_changes_the_figures_only_and_approved_months_keep_their_rate(client, world):
    record(world, world.officer, date(2017, 3, 1), 8)
    sheet = approved_month(world, world.officer, date(2017, 3, 1))
    own = StaffRate.objects.get(person=world.officer)
    client.force_login(world.supervisor)
    page = client.get(reverse("reporting:rate_edit", args=[own.pk])).content.decode()
    assert "Approved months keep the rate they were approved with." in page
    assert "1 approved month of 2017 keeps its stored rate." in page
    # Person, city and year name the rate: posted values for them are ignored.
    response = client.post(
        reverse("reporting:rate_edit", args=[own.pk]),
        rate_data(
            world,
            person=world.colleague.pk,
            year=2018,
            annual_costs="60200",
            working_time_share="1",
        ),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.person, own.year, own.annual_costs) == (world.officer, 2017, Decimal(60200))
    assert not StaffRate.objects.filter(year=2018).exists()
    sheet.refresh_from_db()
    assert sheet.rate == Decimal(24)


def test_editing_to_a_share_below_the_hours_already_recorded_is_refused(client, world):
    for day in range(1, 11):
        record(world, world.officer, date(2017, 3, day), 10)  # 100 hours
    own = StaffRate.objects.get(person=world.officer)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("reporting:rate_edit", args=[own.pk]),
        {"annual_costs": "41280", "working_time_share": "0.05"},
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "working_time_share") == (
        "Olga Officer has already recorded 100 hours in 2017, more than the 86 productive hours "
        "of this share."
    )
    own.refresh_from_db()
    assert own.working_time_share == Decimal(1)


def test_an_officer_cannot_post_a_rate(client, world):
    client.force_login(world.officer)
    assert client.post(CREATE, rate_data(world, annual_costs="99999")).status_code == 403
    own = StaffRate.objects.get(person=world.officer)
    response = client.post(
        reverse("reporting:rate_edit", args=[own.pk]),
        {"annual_costs": "99999", "working_time_share": "1"},
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.annual_costs == Decimal(41280)


@pytest.mark.parametrize("who", ["supervisor", "coordinator", "officer"])
def test_rates_query_count_does_not_grow(client, world, who):
    client.force_login(getattr(world, who))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RATES).status_code == 200
        return len(captured)

    small = count()
    for index in range(5):
        person = CityOfficerFactory(city=world.city).user
        rate(world, person, 2017, str(40000 + index))
        rate(world, person, 2018, str(41000 + index))
    for year in (2015, 2016, 2018):
        rate(world, world.officer, year, "41280")
    assert count() == small


def test_the_service_refuses_a_new_rate_where_one_exists(world):
    from django.core.exceptions import ValidationError

    from reporting import services
    from tests.reporting.factories import fresh

    arguments = {
        "person": fresh(world.officer),
        "city": world.city,
        "year": 2017,
        "annual_costs": Decimal(50000),
        "working_time_share": Decimal(1),
        "by": fresh(world.coordinator),
    }
    with pytest.raises(ValidationError) as refused:
        services.staff_rate_save(**arguments, new=True)
    assert refused.value.message_dict == {
        "year": ["Olga Officer already has a rate for 2017 in Ghent; change that one."]
    }
    assert StaffRate.objects.get(person=world.officer, year=2017).annual_costs == 41280
    assert services.staff_rate_save(**arguments).annual_costs == 50000
