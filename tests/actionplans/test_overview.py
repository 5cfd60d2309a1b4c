"""Every plan at a glance: the plans page, the programme dashboard and the pairing page show each
plan's stage and progress to those who may see it, in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan, Section
from mentoring.models import Pairing, PairingStatus
from tests.accounts.factories import CityOfficerFactory
from tests.actionplans.factories import build_plan_world, fresh, plan_at
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory

pytestmark = pytest.mark.django_db

PLANS_URL = reverse("actionplans:plans")


@pytest.fixture
def world():
    return build_plan_world()


def plan_of(world, pairing: Pairing, officer) -> ActionPlan:
    """A draft with two actions (one done), an indicator half-way to its target."""
    by = fresh(officer)
    plan = services.plan_create(pairing=pairing, by=by, title=f"Plan of {pairing.implementing}")
    first = services.row_add(plan, section=Section.ACTIONS, by=by, title="First step")
    services.row_add(plan, section=Section.ACTIONS, by=by, title="Second step")
    services.action_status_set(first, by=by, status="done")
    indicator = services.row_add(
        plan,
        section=Section.INDICATORS,
        by=by,
        name="Firms reached",
        kind="output",
        unit="firms",
        baseline=Decimal(0),
        target=Decimal(10),
    )
    services.measurement_add(indicator, by=by, measured_on=date(2017, 6, 1), value=Decimal(5))
    return plan


def more_plans(world, count: int) -> None:
    """More pairings of the world's scheme, each with a plan."""
    programme = world.pairing.scheme.programme
    for index in range(count):
        city = CityFactory(name=f"Town {index}")
        ParticipationFactory(programme=programme, city=city)
        officer = CityOfficerFactory(city=city).user
        pairing = Pairing.objects.create(
            scheme=world.pairing.scheme,
            mentor=world.pairing.mentor,
            implementing=city,
            status=PairingStatus.ACTIVE,
        )
        plan_of(world, pairing, officer)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# The plans page ---------------------------------------------------------------------------------


def test_the_plans_page_shows_stage_progress_and_link(client, world):
    plan = plan_at(world, "submitted")
    client.force_login(world.coordinator)
    page = client.get(PLANS_URL).content.decode()
    assert plan.get_absolute_url() in page
    assert "Submitted for review" in page
    assert "Rotterdam → Gdańsk" in page
    assert "CITIES-GROW" in page
    # One action planned: 0 %; the indicator unmeasured: 0 %.
    assert "0%" in page


def test_progress_shows_as_a_bar_and_as_text(client, world):
    plan = plan_of(world, world.pairing, world.author)
    client.force_login(world.author)
    page = client.get(PLANS_URL).content.decode()
    # Actions: one done of two (50 %); indicator: half-way (50 %).
    assert f'<progress id="plan-progress-{plan.pk}" max="100" value="50">' in page
    assert "50%" in page


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("author", True),
        ("supervisor", True),
        ("mentor_officer", True),
        ("expert", True),
        ("coordinator", True),
        ("other_author", False),
        ("other_expert", False),
        ("outsider_coordinator", False),
        ("partner", False),
    ],
)
def test_the_plans_page_lists_only_plans_one_may_see(client, world, who, sees):
    plan = plan_at(world, "draft")
    client.force_login(getattr(world, who))
    response = client.get(PLANS_URL)
    assert response.status_code == 200
    assert (plan.get_absolute_url() in response.content.decode()) is sees


def test_the_plans_page_needs_a_login(client):
    response = client.get(PLANS_URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_the_plans_page_query_count_does_not_grow(client, world, django_assert_num_queries):
    plan_of(world, world.pairing, world.author)
    plan_of(world, world.other_pairing, world.other_author)
    client.force_login(world.coordinator)
    small = count(client, PLANS_URL)
    more_plans(world, 14)
    assert ActionPlan.objects.count() == 16
    with django_assert_num_queries(small):
        page = client.get(PLANS_URL)
    assert page.content.decode().count("<progress") == 16


# The programme dashboard ------------------------------------------------------------------------


def test_the_programme_page_shows_every_plan(client, world):
    plan = plan_of(world, world.pairing, world.author)
    client.force_login(world.coordinator)
    page = client.get(world.pairing.scheme.programme.get_absolute_url()).content.decode()
    assert "Local action plans" in page
    assert plan.get_absolute_url() in page
    assert "Draft" in page
    assert "50%" in page
    assert "Not started" in page, "Birmingham → Rīga has no plan yet"


def test_the_programme_page_shows_an_officer_only_their_plans(client, world):
    plan_of(world, world.pairing, world.author)
    riga = plan_of(world, world.other_pairing, world.other_author)
    client.force_login(world.author)
    page = client.get(world.pairing.scheme.programme.get_absolute_url()).content.decode()
    assert riga.get_absolute_url() not in page
    assert ActionPlan.objects.get(pairing=world.pairing).get_absolute_url() in page


def test_the_programme_page_query_count_does_not_grow(client, world, django_assert_num_queries):
    plan_of(world, world.pairing, world.author)
    plan_of(world, world.other_pairing, world.other_author)
    client.force_login(world.coordinator)
    url = world.pairing.scheme.programme.get_absolute_url()
    small = count(client, url)
    more_plans(world, 14)
    with django_assert_num_queries(small):
        page = client.get(url)
    assert page.content.decode().count("<progress") == 16


# The pairing page -------------------------------------------------------------------------------


def test_the_pairing_page_shows_the_plan(client, world):
    plan = plan_at(world, "approved")
    client.force_login(world.mentor_officer)
    page = client.get(world.pairing.get_absolute_url()).content.decode()
    assert plan.get_absolute_url() in page
    assert "Approved by the city administration" in page


def test_officers_of_the_implementing_city_may_start_the_plan(client, world):
    start = reverse("actionplans:plan_create", args=[world.pairing.pk])
    client.force_login(world.author)
    assert start in client.get(world.pairing.get_absolute_url()).content.decode()
    client.force_login(world.mentor_officer)
    page = client.get(world.pairing.get_absolute_url()).content.decode()
    assert "has not started its action plan" in page
    assert start not in page


def test_the_pairing_page_query_count_does_not_grow(client, world):
    plan = plan_of(world, world.pairing, world.author)
    client.force_login(world.coordinator)
    url = world.pairing.get_absolute_url()
    small = count(client, url)
    for index in range(10):
        services.row_add(plan, section=Section.ACTIONS, by=fresh(world.author), title=f"A{index}")
    assert count(client, url) == small
