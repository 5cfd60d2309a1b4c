"""Every plan at a glance: the plans page, the programme dashboard and the pairing page show each
plan's stage and progress to those who may see it, in a fixed number of queries."""

import re
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


@pytest.fixture
def pages_of_three(monkeypatch):
    monkeypatch.setattr("actionplans.views.overview.PLANS_PER_PAGE", 3)


def listed(response) -> list[int]:
    return [
        row["plan"].pk
        for p in response.context["programmes"]
        for s in p["schemes"]
        for row in s["rows"]
    ]


def test_the_plans_page_shows_every_plan_a_page_at_a_time(client, world, pages_of_three):
    plan_at(world, "submitted")
    more_plans(world, 6)
    client.force_login(world.coordinator)
    pages = [client.get(PLANS_URL, {"page": n}) for n in (1, 2, 3)]
    assert [len(listed(page)) for page in pages] == [3, 3, 1]
    assert sorted(pk for page in pages for pk in listed(page)) == sorted(
        ActionPlan.objects.values_list("pk", flat=True)
    )
    first = pages[0].content.decode()
    assert "Page 1 of 3" in first
    assert 'href="?page=2" rel="next"' in first
    # The figures are those of every plan, not of the page: 7 plans, 6 drafts.
    assert "7 action plans, by stage" in first
    assert re.search(r"Draft</a></th>\s*<td class=\"number\">6</td>", first)
    assert re.search(r"Submitted for review</a></th>\s*<td class=\"number\">1</td>", first)


def test_the_stage_filters_the_plans_and_stays_on_the_next_pages(client, world, pages_of_three):
    submitted = plan_at(world, "submitted")
    more_plans(world, 6)
    client.force_login(world.coordinator)
    response = client.get(PLANS_URL, {"stage": "submitted"})
    assert listed(response) == [submitted.pk]
    page = response.content.decode()
    assert '<span aria-current="true">Submitted for review</span>' in page
    assert "Plans at every stage" in page
    drafts = client.get(PLANS_URL, {"stage": "draft"}).content.decode()
    assert "Page 1 of 2" in drafts
    assert 'href="?stage=draft&amp;page=2" rel="next"' in drafts
    assert len(listed(client.get(PLANS_URL, {"stage": "draft", "page": 2}))) == 3
    assert (
        "No plan you can see is at this stage."
        in client.get(PLANS_URL, {"stage": "completed"}).content.decode()
    )


@pytest.mark.parametrize("value", ["nonsense", "a" * 3000, "%00"])
def test_a_stage_that_does_not_exist_gets_a_message(client, world, value):
    plan_at(world, "draft")
    client.force_login(world.coordinator)
    response = client.get(PLANS_URL, {"stage": value})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert len(listed(response)) == 1  # the list stays, unfiltered


def test_the_figures_and_pages_count_only_the_plans_one_may_see(client, world, pages_of_three):
    """Gdańsk's officer sees the plan of their pairing among eight: one plan, one page."""
    own = plan_at(world, "submitted")
    more_plans(world, 6)
    plan_of(world, world.other_pairing, world.other_author)
    client.force_login(world.author)
    response = client.get(PLANS_URL)
    assert listed(response) == [own.pk]
    page = response.content.decode()
    assert "1 action plan, by stage" in page
    assert "Draft</a>" not in page
    assert "Page 1 of" not in page
    assert listed(client.get(PLANS_URL, {"page": 2})) == [own.pk]  # past the end: the last page
    assert listed(client.get(PLANS_URL, {"stage": "draft"})) == []


def test_every_page_of_plans_costs_the_same_queries(client, world, pages_of_three):
    plan_of(world, world.pairing, world.author)
    client.force_login(world.coordinator)
    small = count(client, PLANS_URL)
    more_plans(world, 7)
    assert count(client, PLANS_URL) == small
    assert count(client, PLANS_URL + "?page=3") == small
    assert count(client, PLANS_URL + "?stage=draft&page=2") == small


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
