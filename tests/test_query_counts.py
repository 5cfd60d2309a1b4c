"""Every list and dashboard page issues as many queries with few rows as with many (issue 7).

Each test measures a page for one viewer with a small data set, adds several more rows of what
the page lists and measures again: both counts must equal the number pinned here, so a new
query (or an N+1) shows as a failure. Pages already pinned at two sizes elsewhere are not
measured twice; the table says where each page is pinned.

Page (URL name), its viewers, and where it is pinned ("here" is this module):

home (dashboard)
    coordinator, expert, partner: tests/test_pages.py::test_query_count_does_not_grow_with_rows
    officer, supervisor (their city's pairings and team): here, test_home_for_city_people
    coordinator of several programmes: here, test_home_for_a_coordinator_of_more_programmes
mentoring:programme
    coordinator, officer, expert, partner: tests/test_pages.py (as above)
    coordinator, its plans panel: tests/actionplans/test_overview.py
        ::test_the_programme_page_query_count_does_not_grow
mentoring:pairings
    coordinator: tests/test_pages.py (as above)
    officer, supervisor, expert, partner: here, test_pairings_for_other_roles
mentoring:organisations
    coordinator: here, test_organisations
the header (programme switcher and navigation)
    coordinator, officer, in one and in five programmes: here,
        test_the_header_costs_the_same_in_more_programmes
mentoring:events
    officer: tests/test_pages.py (as above)
    coordinator, expert, officers (also ?concerning=on): tests/mentoring/test_events.py
        ::test_query_count_does_not_grow_with_rows
    coordinator, officer, searching a city by name or by an old link's number, or a pairing's
        events: here, test_searching_by_name_costs_the_same_with_more_cities
mentoring:pairings (searching a city by name), mentoring:city_suggestions
    coordinator, officer: here, test_searching_by_name_costs_the_same_with_more_cities
mentoring:pairing_create, mentoring:programme_city_suggestions,
        mentoring:participation_city_suggestions (a programme of many cities)
    coordinator: here, test_choosing_a_city_costs_the_same_with_more_cities
mentoring:attendance_people (the people an attendance form may record)
    coordinator, officer: here, test_the_people_suggested_cost_the_same_with_more_people
mentoring:event, mentoring:event_attendance, mentoring:event_report
    coordinator, expert, officers: tests/mentoring/test_events.py
        ::test_query_count_does_not_grow_with_rows
        ::test_detail_query_count_does_not_grow_with_attendance_and_recommendations
mentoring:calendar
    officer with feed links: here, test_calendar_page (and the POST that shows the links once)
mentoring:calendar_person_feed, mentoring:calendar_programme_feed (ICS)
    token holder: tests/mentoring/test_calendar.py::test_feed_query_count_does_not_grow_with_events
matching:matching
    coordinator: tests/matching/test_matching.py::test_query_count_does_not_grow_with_the_cities
        and tests/matching/test_matching_practices.py::TestMatchingPage
cities:list
    coordinator: tests/test_pages.py (as above)
cities:detail
    coordinator, officer, supervisor: here, test_city_page
accounts:invitations
    coordinator: here, test_invitations
reporting:my_time
    officer: tests/reporting/test_time_views.py::test_my_time_does_not_query_more_with_more_months
reporting:grid (month grid)
    officer: tests/reporting/test_time_views.py
        ::test_the_grid_does_not_query_more_with_more_entries
reporting:other_grants
    officer: tests/reporting/test_other_grants.py
        ::test_the_page_does_not_query_more_with_more_years_and_rows
reporting:month
    supervisor: tests/reporting/test_review_views.py
        ::test_month_page_query_count_does_not_grow_with_entries
reporting:approvals
    supervisor: tests/reporting/test_review_views.py::test_the_queue_query_count_does_not_grow
reporting:rates
    supervisor, coordinator, officer: tests/reporting/test_rates.py
        ::test_rates_query_count_does_not_grow
reporting:reports
    coordinator, supervisor: tests/reporting/test_report_views.py
        ::test_the_list_query_count_does_not_grow_with_reports
reporting:exchange_rates
    coordinator: tests/reporting/test_money.py
        ::test_the_exchange_rates_page_query_count_does_not_grow
reporting:programme_dashboard
    coordinator (a page of cities, and a search): here, test_the_staff_time_dashboard
api:staff-time-list, api:staff-cost-report-list (the read API)
    coordinator, supervisor: here, test_the_api_staff_time_and_reports
reporting:city_dashboard
    coordinator, officer: tests/reporting/test_dashboards.py
        ::test_city_dashboard_query_count_does_not_grow
toolkits:catalogue
    anyone (plain, search, every filter): tests/toolkits/test_catalogue.py
        ::test_the_same_with_10_and_500_practices
toolkits:practice
    anyone, officer; a draft: tests/toolkits/test_practice_page.py::TestQueryCount
portal:open_data_index
    anyone (more programmes with open data): here, test_open_data
toolkits:toolkits, toolkits:toolkit
    anyone, expert, coordinator: tests/toolkits/test_toolkit_pages.py::TestQueryCounts
toolkits:my_practices, toolkits:review_queue
    officer, expert: tests/toolkits/test_practice_views.py
        ::test_the_lists_issue_the_same_number_of_queries_with_2_and_20_practices
toolkits:practice_images
    the author: here, test_practice_images
toolkits:toolkit_workspace
    coordinator: tests/toolkits/test_manage.py
        ::test_the_workspace_issues_the_same_queries_for_2_and_20_toolkits
toolkits:toolkit_practices, toolkits:edition_publish
    expert: tests/toolkits/test_manage.py
        ::test_the_practices_page_issues_the_same_queries_for_5_and_50_practices
toolkits:toolkit_factors
    expert: here, test_toolkit_factors
api:practice-list, api:toolkit-list (the read API)
    anyone, officer, expert: here, test_the_api_practices_and_toolkits
toolkits:toolkit_renderings
    coordinator: tests/toolkits/test_pdf_views.py
        ::test_the_table_issues_the_same_queries_for_one_edition_or_many
actionplans:plans
    coordinator: tests/actionplans/test_overview.py::test_the_plans_page_query_count_does_not_grow
    coordinator, officer (also ?stage= and a later page): here, test_the_plans_overview
api:action-plan-list (the read API)
    coordinator, officer: here, test_the_api_plans
actionplans:plan
    author, expert: tests/actionplans/test_edit_views.py
        ::test_the_plan_page_makes_as_many_queries_for_2_as_for_20_rows
actionplans:versions, actionplans:version, actionplans:compare
    expert, author, coordinator: tests/actionplans/test_workflow_views.py
        ::test_the_versions_list_has_a_fixed_number_of_queries
        ::test_the_version_page_has_a_fixed_number_of_queries
        ::test_the_comparison_has_a_fixed_number_of_queries
notifications:list
    officer (none, then 3 and 33 notifications; also filtered): here, test_the_notifications_list
audit:log, audit:history
    coordinator (also searched by person, filtered by kind and by day, from a cursor): here,
        test_the_audit_trail
the bell (the header's count of unread notifications, on every page)
    officer, coordinator, with 0 and 30 notifications (home): here,
        test_the_bell_costs_no_query_however_many_notifications
    officer, coordinator, with 0 and 15 unread (events list), officer (month grid): here,
        test_the_bell_costs_no_query_on_other_pages

toolkits:edition_pdf (anyone; streamed and with X-Accel-Redirect, the snapshot growing to
        hundreds of KB): here, test_an_edition_pdf_download_reads_one_row_whatever_the_snapshot
toolkits:practice_pdf (anyone, more images): here, test_a_practice_pdf_download
reporting:report_download (coordinator, more reports): here, test_a_report_download
portal:open_data, portal:open_data_zip, portal:open_data_json (anyone, more past events and
        published practices; built anew and kept): here, test_open_data
actionplans:version_pdf (expert, a longer version): here, test_a_plan_pdf_download

Not lists: forms (*_create, *_edit), POST-only steps and job status pages (report, rendering,
pdf) show one object each; allauth's account pages are allauth's. The
notifications' preferences page lists the registered kinds (code, not rows: one query for the
person's choices), notifications:bell answers a count, notifications:open and :read redirect,
notifications:one_click shows one choice.
"""

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import invitation_create, membership_grant
from actionplans import services as plan_services
from actionplans.models import PlanVersion, Section
from cities.models import City
from config import clock
from config.pagination import cursor_of
from mentoring.models import EventKind, Scheme
from mentoring.selectors.pairings import HOME_PAIRINGS_PER_SCHEME
from mentoring.services import participation_add
from mentoring.services.events import calendar_token_regenerate, event_create
from mentoring.services.programmes import programme_update
from notifications.models import Notification
from notifications.services import notify
from reporting import services as time_services
from reporting.models import StaffCostReport, TimeEntry
from tests.accounts.factories import CityOfficerFactory, UserFactory
from tests.actionplans.factories import build_plan_world, drafted_plan
from tests.actionplans.factories import fresh as fresh_plan_person
from tests.api.bearer import reader
from tests.cities.factories import CityFactory
from tests.documents.factories import finished_with
from tests.mentoring.factories import (
    ExpertOrganisationFactory,
    PairingFactory,
    ProgrammeFactory,
    SchemeFactory,
)
from tests.reporting.factories import approved_month, build_time_world, rate, record
from tests.toolkits.factories import (
    build_toolkit_world,
    draft,
    fresh,
    practice_fields,
    published,
    toolkit_with,
)
from toolkits import services as toolkit_services
from toolkits.models import GoodPractice, PracticeImage, ToolkitEdition

pytestmark = pytest.mark.django_db

COORDINATOR = "coordinator@example.org"
EXPERT = "expert@example.org"
PARTNER = "partner@example.org"
OFFICER = "officer.gdansk@example.org"
SUPERVISOR = "supervisor.gdansk@example.org"


def measure(client, url: str) -> tuple[int, str]:
    """The number of queries the page costs, and the page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def assert_pinned(client, url: str, grow: Callable[[], None], pinned: int) -> None:
    """The page costs `pinned` queries before and after `grow` adds rows to it (and the rows
    do show: the page gets longer)."""
    small, few = measure(client, url)
    grow()
    large, many = measure(client, url)
    assert (small, large) == (pinned, pinned), f"{url}: {small} queries, then {large} with more"
    assert len(many) > len(few), f"{url}: the added rows do not show"


def gdansk() -> City:
    return City.objects.get(slug="gdansk")


def more_gdansk_pairings_and_team(programme, n: int) -> None:
    """n more pairings of Gdańsk in scheme A (mentoring and being mentored), and n officers."""
    scheme = programme.schemes.get(code="A")
    city = gdansk()
    for index in range(n):
        other = CityFactory()
        participation_add(programme=programme, city=other)
        if index % 2:
            PairingFactory(scheme=scheme, mentor=city, implementing=other)
        else:
            PairingFactory(scheme=scheme, mentor=other, implementing=city)
        membership_grant(user=UserFactory(), role=Role.OFFICER, city=city)


# Mentoring and cities ---------------------------------------------------------------------------


@pytest.mark.parametrize(("email", "pinned"), [(OFFICER, 7), (SUPERVISOR, 8)])
def test_home_for_city_people(client, demo, demo_user, email, pinned):
    client.force_login(demo_user(email))
    grow = lambda: more_gdansk_pairings_and_team(demo, 6)  # noqa: E731
    assert_pinned(client, reverse("home"), grow, pinned)


def test_home_for_a_coordinator_of_more_programmes(client, demo, demo_user):
    coordinator = demo_user(COORDINATOR)
    client.force_login(coordinator)

    def grow() -> None:
        for _ in range(4):
            programme = ProgrammeFactory()
            membership_grant(user=coordinator, role=Role.COORDINATOR, programme=programme)
            PairingFactory(scheme=SchemeFactory(programme=programme))

    assert_pinned(client, reverse("home"), grow, 10)
    html = client.get(reverse("home")).content.decode()
    assert html.count("Coordinating ") == 5


def test_the_coordinators_home_stays_the_same_size_with_many_pairings(client, demo, demo_user):
    """Each scheme shows its first pairings and a link to all of them (bench/RESULTS.md: 2,000
    pairings made the page 150 KB)."""
    client.force_login(demo_user(COORDINATOR))
    scheme = Scheme.objects.filter(programme=demo).order_by("code").first()

    def grow() -> None:
        for _ in range(HOME_PAIRINGS_PER_SCHEME + 5):
            PairingFactory(scheme=scheme)

    assert_pinned(client, reverse("home"), grow, 10)
    html = client.get(reverse("home")).content.decode()
    total = scheme.pairings.count()
    assert f"All {total} pairings" in html
    assert f'href="{reverse("mentoring:pairings")}?scheme={scheme.pk}"' in html


@pytest.mark.parametrize(
    ("email", "pinned"), [(OFFICER, 10), (SUPERVISOR, 10), (EXPERT, 9), (PARTNER, 9)]
)
def test_pairings_for_other_roles(client, demo, demo_user, email, pinned):
    client.force_login(demo_user(email))
    grow = lambda: more_gdansk_pairings_and_team(demo, 6)  # noqa: E731
    assert_pinned(client, reverse("mentoring:pairings"), grow, pinned)


def test_the_header_costs_the_same_in_more_programmes(client, demo, demo_user):
    """The programme switcher and the navigation of the current programme: no query for a
    coordinator (their programmes come with their memberships), one for a person who acts for
    a city (the programmes it takes part in), however many programmes there are."""
    coordinator, officer = demo_user(COORDINATOR), demo_user(OFFICER)

    def grow() -> None:
        for _ in range(4):
            programme = ProgrammeFactory()
            membership_grant(user=coordinator, role=Role.COORDINATOR, programme=programme)
            participation_add(programme=programme, city=gdansk())

    client.force_login(coordinator)
    small, few = measure(client, reverse("mentoring:organisations"))
    client.force_login(officer)
    small_officer, few_officer = measure(client, reverse("mentoring:calendar"))
    grow()
    large_officer, many_officer = measure(client, reverse("mentoring:calendar"))
    client.force_login(coordinator)
    large, many = measure(client, reverse("mentoring:organisations"))
    assert (small, large) == (5, 5)
    assert (small_officer, large_officer) == (5, 5)
    for before, after in ((few, many), (few_officer, many_officer)):
        assert 'id="programme-switch"' not in before
        assert 'id="programme-switch"' in after


def test_organisations(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    grow = lambda: ExpertOrganisationFactory.create_batch(8)  # noqa: E731
    assert_pinned(client, reverse("mentoring:organisations"), grow, 5)


def test_calendar_page(client, demo, demo_user):
    """The links, one per programme, are shown once, on the page that makes them (a POST); the
    page itself says only when they were made."""
    officer = demo_user(OFFICER)
    calendar_token_regenerate(user=officer)
    client.force_login(officer)
    url = reverse("mentoring:calendar_regenerate")

    def made() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    small, few = made()
    before = measure(client, reverse("mentoring:calendar"))[0]
    for _ in range(4):
        participation_add(programme=ProgrammeFactory(), city=gdansk())
    large, many = made()
    assert (small, large) == (12, 12), f"{url}: {small} queries, then {large} with more"
    assert len(many) > len(few), f"{url}: the added programmes do not show"
    assert measure(client, reverse("mentoring:calendar"))[0] == before == 5


# One query of them reads the frameworks the city signed (issue 15); for officers and
# supervisors one more reads the programmes they work in (the switcher).
@pytest.mark.parametrize(("email", "pinned"), [(COORDINATOR, 10), (OFFICER, 9), (SUPERVISOR, 9)])
def test_city_page(client, demo, demo_user, email, pinned):
    client.force_login(demo_user(email))
    coordinator = demo_user(COORDINATOR)

    def grow() -> None:
        more_gdansk_pairings_and_team(demo, 6)
        for _ in range(3):
            programme = ProgrammeFactory()
            participation_add(programme=programme, city=gdansk())
            membership_grant(user=coordinator, role=Role.COORDINATOR, programme=programme)

    assert_pinned(client, gdansk().get_absolute_url(), grow, pinned)


def test_invitations(client, demo, demo_user, django_capture_on_commit_callbacks):
    coordinator = demo_user(COORDINATOR)
    client.force_login(coordinator)
    scheme = Scheme.objects.get(programme=demo, code="A")

    def grow() -> None:
        with django_capture_on_commit_callbacks(execute=False):
            for index in range(3):
                by = demo_user(COORDINATOR)
                invitation_create(
                    email=f"partner{index}@example.org", role=Role.PARTNER, by=by, programme=demo
                )
                invitation_create(
                    email=f"expert{index}@example.org", role=Role.EXPERT, by=by, scheme=scheme
                )
                invitation_create(
                    email=f"officer{index}@example.org", role=Role.OFFICER, by=by, city=gdansk()
                )

    assert_pinned(client, reverse("portal:invitations"), grow, 7)


# Searching by name rather than choosing among every city and pairing (issue 19) ----------------


def more_cities_of_gdansk(programme, pairing, n: int) -> None:
    """n more cities named after Gdańsk's districts, each mentoring Gdańsk in scheme A with a
    visit and hosting a webinar, and n more visits of ``pairing``."""
    from tests.mentoring.event_factories import EventFactory, PairingEventFactory

    scheme = programme.schemes.get(code="A")
    for index in range(n):
        city = CityFactory(name=f"Gdańsk district {index}", country="PL")
        participation_add(programme=programme, city=city)
        paired = PairingFactory(scheme=scheme, mentor=city, implementing=gdansk())
        PairingEventFactory(programme=programme, pairing=paired)
        PairingEventFactory(programme=programme, pairing=pairing)
        EventFactory(programme=programme, host_city=city)


# (the page, its queries for the coordinator, for Gdańsk's officer); ``p`` is a pairing of
# Gdańsk. A city typed costs one query (the ids of the cities it names; a city's number from an
# old link, the same one, which also names it), a pairing's number one (to name it). The
# officer's plain list reads once which programmes Gdańsk takes part in, to tell which
# programme-wide events concern them (none among Gdańsk's own events).
SEARCHES = [
    (lambda p: reverse("mentoring:events"), 9, 11),
    (lambda p: reverse("mentoring:events") + "?city=gdansk", 10, 11),
    (lambda p: reverse("mentoring:events") + f"?city={gdansk().pk}", 10, 11),
    (lambda p: reverse("mentoring:events") + f"?pairing={p.pk}", 10, 11),
    (lambda p: reverse("mentoring:pairings"), 9, 10),
    (lambda p: reverse("mentoring:pairings") + "?city=gdansk", 10, 11),
    (lambda p: reverse("mentoring:city_suggestions") + "?q=gda", 4, 4),
]


@pytest.mark.parametrize(("url", "coordinator", "officer"), SEARCHES)
@pytest.mark.parametrize("email", [COORDINATOR, OFFICER])
def test_searching_by_name_costs_the_same_with_more_cities(
    client, demo, demo_user, url, coordinator, officer, email
):
    """The city box is searched in the list's own query: no query of its own, no option per
    city or pairing, however many there are."""
    pairing = demo.schemes.get(code="A").pairings.get(implementing=gdansk())
    client.force_login(demo_user(email))
    grow = lambda: more_cities_of_gdansk(demo, pairing, 6)  # noqa: E731
    assert_pinned(client, url(pairing), grow, coordinator if email == COORDINATOR else officer)


# Choosing one city or person among hundreds in a form (issue 19) -------------------------------


def more_cities_in(programme, n: int) -> None:
    """n more cities taking part in ``programme``, and n that could join it."""
    first = City.objects.count()
    for index in range(first, first + n):
        participation_add(programme=programme, city=CityFactory(name=f"Gdańsk district {index}"))
        CityFactory(name=f"Gdańsk suburb {index}")


# Session, person, memberships, the schemes one may manage (with the programme), the scheme
# select's options, and each city box's one query that tells whether its cities are few enough
# for a select: none reads the cities to list them. The suggestions: session, person,
# memberships, the programme, the names.
CHOICES = [
    (lambda p: reverse("mentoring:pairing_create") + f"?programme={p.slug}", 7),
    (lambda p: reverse("mentoring:programme_city_suggestions", args=[p.slug]) + "?q=gda", 5),
    (lambda p: reverse("mentoring:participation_city_suggestions", args=[p.slug]) + "?q=gda", 5),
]


@pytest.mark.parametrize(("url", "pinned"), CHOICES)
def test_choosing_a_city_costs_the_same_with_more_cities(client, demo, demo_user, url, pinned):
    """Past ``SELECT_UP_TO`` cities a form's city is a box: as many queries with 40 more cities
    as with 80 more, and no option per city."""
    client.force_login(demo_user(COORDINATOR))
    more_cities_in(demo, 40)
    small, few = measure(client, url(demo))
    more_cities_in(demo, 40)
    large, many = measure(client, url(demo))
    assert (small, large) == (pinned, pinned), f"{url(demo)}: {small} queries, then {large}"
    for html in (few, many):
        assert html.count("<option") < 10
        assert "district 3<" not in html


@pytest.mark.parametrize("email", [COORDINATOR, OFFICER])
def test_the_people_suggested_cost_the_same_with_more_people(client, demo, demo_user, email):
    """Session, person, memberships, the event, then the people (at most a dozen, whatever the
    number of candidates); the permission asks nothing more."""
    from mentoring.models import Event

    event = Event.objects.get(title="Mentoring visit: Rotterdam in Gdańsk")
    client.force_login(demo_user(email))
    url = reverse("mentoring:attendance_people", args=[event.pk]) + "?q=olek"

    def grow() -> None:
        for index in range(40):
            membership_grant(
                user=UserFactory(full_name=f"Olek {index}"), role=Role.OFFICER, city=gdansk()
            )

    small, few = measure(client, url)
    grow()
    large, many = measure(client, url)
    assert (small, large) == (5, 5), f"{url}: {small} queries, then {large}"
    assert len(json.loads(many)["names"]) == 12 > len(json.loads(few)["names"])


# Toolkits ---------------------------------------------------------------------------------------


@pytest.fixture
def toolkit_world():
    return build_toolkit_world()


def test_toolkit_factors(client, toolkit_world):
    world = toolkit_world
    toolkit = toolkit_with(world, [published(world)])
    client.force_login(world.expert)

    def grow() -> None:
        factors = [(f"Factor {n}", f"Why {n} matters.") for n in range(12)]
        toolkit_services.toolkit_set_success_factors(
            toolkit, by=fresh(world.expert), factors=factors
        )

    url = reverse("toolkits:toolkit_factors", kwargs={"slug": toolkit.slug})
    assert_pinned(client, url, grow, 5)


def test_practice_images(client, toolkit_world):
    world = toolkit_world
    practice = draft(world)
    PracticeImage.objects.create(practice=practice, image="p/0.png", alt_text="Image 0")
    client.force_login(world.officer)

    def grow() -> None:
        PracticeImage.objects.bulk_create(
            PracticeImage(practice=practice, image=f"p/{n}.png", alt_text=f"Image {n}")
            for n in range(1, 8)
        )

    url = reverse("toolkits:practice_images", kwargs={"slug": practice.slug})
    assert_pinned(client, url, grow, 6)


# The read API's practices and toolkits: the token's person (its token, its use noted, the request
# logged), the filters' choices (the catalogue's), the count and the page, their tags.
# Practices: (for a person: the token, its use, their memberships) the filters' choices, the count,
# the page, its target groups, its commitments with their frameworks, the log's row. Toolkits:
# (the same three for a person) the count, the page of toolkits, their editions, the log's row.
@pytest.mark.parametrize(
    ("who", "pinned"), [("anonymous", [7, 4]), ("officer", [10, 7]), ("expert", [10, 7])]
)
def test_the_api_practices_and_toolkits(toolkit_world, who, pinned):
    world = toolkit_world
    client = reader(getattr(world, who, None))
    published(world)
    draft(world)
    first = toolkit_with(world, [published(world, title="In a toolkit")])
    toolkit_services.edition_publish(first, by=fresh(world.expert))

    def grow() -> None:
        for index in range(6):
            practice = published(world, title=f"Practice {index}")
            draft(world, title=f"Draft {index}")
            toolkit = toolkit_with(world, [practice], title=f"Toolkit {index}")
            toolkit_services.edition_publish(toolkit, by=fresh(world.expert))

    practices = reverse("api:practice-list") + "?page_size=200"
    toolkits = reverse("api:toolkit-list") + "?page_size=200"
    small = [measure(client, practices), measure(client, toolkits)]
    grow()
    large = [measure(client, practices), measure(client, toolkits)]
    assert [count for count, _body in small] == [count for count, _body in large] == pinned
    assert all(
        len(after) > len(before) for (_c, before), (_d, after) in zip(small, large, strict=True)
    )


# Notifications ----------------------------------------------------------------------------------


def tell_many(person, n: int) -> None:
    """n notifications of the person, half of them read, over two programmes."""
    for index in range(n):
        notify(
            "actionplans.approved",
            recipients=[person],
            link="/",
            params={"person": "Sam Supervisor", "title": f"Plan {index}", "city": "Gdańsk"},
            programme="CITIES-GROW" if index % 2 else "ICP AGIR",
        )
    first = Notification.objects.filter(recipient=person, read_at__isnull=True).order_by("pk")
    Notification.objects.filter(pk__in=list(first.values_list("pk", flat=True)[: n // 2])).update(
        read_at=clock.now()
    )


# The same numbers as test_home_for_city_people and the coordinator's home above: the bell's
# count rides on the query that loads the user (notifications/backends.py).
@pytest.mark.parametrize(("email", "pinned"), [(OFFICER, 7), (COORDINATOR, 10)])
def test_the_bell_costs_no_query_however_many_notifications(client, demo, demo_user, email, pinned):
    person = demo_user(email)
    client.force_login(person)
    unread = person.notifications.filter(read_at__isnull=True).count()  # the demo's own
    small, few = measure(client, reverse("home"))
    tell_many(person, 30)
    large, many = measure(client, reverse("home"))
    assert (small, large) == (pinned, pinned)
    assert f"<span data-bell-number>{unread}</span>" in few
    assert f"<span data-bell-number>{unread + 15}</span>" in many


# Other pages than home: the event list and the month grid cost the same with no unread
# notification (the bell hidden) as with many: the count rides on the user's query there too.
# The grid is the officer's (the demo's supervisor and coordinator may not open one); the events
# list's numbers are SEARCHES' below.
BELL_PAGES = [
    (OFFICER, lambda: reverse("mentoring:events"), 11),
    (COORDINATOR, lambda: reverse("mentoring:events"), 9),
    (OFFICER, lambda: reverse("reporting:grid", args=["cities-grow", 2017, 3]), 7),
]


@pytest.mark.parametrize(
    ("email", "page", "pinned"), BELL_PAGES, ids=["events", "events-coord", "grid"]
)
def test_the_bell_costs_no_query_on_other_pages(client, demo, demo_user, email, page, pinned):
    person = demo_user(email)
    person.notifications.all().delete()  # those of the demo's history
    client.force_login(person)
    url = page()
    none, before = measure(client, url)
    tell_many(person, 30)
    many, after = measure(client, url)
    assert (none, many) == (pinned, pinned), (
        f"{url}: {none} queries with no notification, {many} with 15 unread"
    )
    assert "<span data-bell-number>0</span>" in before
    assert "<span data-bell-number>15</span>" in after


def test_the_notifications_list(client, demo, demo_user):
    """Session, user (with the bell's count), memberships, the programmes to filter by, the
    count, the page's rows, whether any shown is unread, the switcher's programmes. With no
    notification at all there is no page of rows to read: one query less."""
    person = demo_user(OFFICER)
    person.notifications.all().delete()  # those of the demo's history
    client.force_login(person)
    url = reverse("notifications:list")
    assert measure(client, url)[0] == 7
    tell_many(person, 3)
    assert_pinned(client, url, lambda: tell_many(person, 30), 8)
    filtered = url + "?show=unread&programme=ICP+AGIR&group=action-plans"
    assert_pinned(client, filtered, lambda: tell_many(person, 30), 8)


# The audit trail and the plans overview (issue 19) ----------------------------------------------


def record_days(world, days: int, first_day: date) -> list:
    """Days of time of the time world's officer, each recorded and then corrected, as her."""
    entries = []
    with set_actor(fresh(world.officer)):
        for offset in range(days):
            entry = record(world, world.officer, first_day + timedelta(days=offset), 2)
            entries.append(
                time_services.time_entry_update(entry, by=fresh(world.officer), hours=Decimal(3))
            )
    return entries


# Session, person, memberships, the page of changes, their count (up to its bound), and one
# query per kind of object the rows name or link to: the people, cities and programmes that
# time entries and monthly timesheets name, the entries' months and the months themselves.
def test_the_audit_trail(client):
    world = build_time_world()
    (first,) = record_days(world, 1, date(2017, 3, 1))  # two changes and the month it opened
    client.force_login(world.coordinator)
    log = reverse("audit:log")
    today = clock.today()
    urls = {
        log: 10,
        # The people whose name or address holds the words, then their changes.
        log + "?person=olga": 11,
        log + f"?date_from={today - timedelta(days=1)}&date_to={today + timedelta(days=1)}": 10,
        log + f"?before={cursor_of(datetime(9999, 1, 1, tzinfo=UTC), 1)}": 10,
        # Time entries only: no query for the months' own pages.
        log + "?kind=reporting.timeentry": 9,
        # The entry, for its name, then its list.
        reverse("audit:history", args=["reporting.timeentry", first.pk]): 10,
    }
    for url in urls:
        client.get(url)  # the content type of a kind, once per process
    small = {url: measure(client, url) for url in urls}
    record_days(world, 12, date(2017, 4, 3))
    with set_actor(fresh(world.officer)):
        for halves in range(8, 16):
            time_services.time_entry_update(
                TimeEntry.objects.get(pk=first.pk),
                by=fresh(world.officer),
                hours=Decimal(halves) / 2,
            )
    large = {url: measure(client, url) for url in urls}
    for url, pinned in urls.items():
        assert (small[url][0], large[url][0]) == (pinned, pinned), url
        assert len(large[url][1]) > len(small[url][1]), f"{url}: the added rows do not show"


def more_plans(programme, n: int) -> None:
    """n more pairings of scheme A mentored by Gdańsk, each with a drafted plan of one action."""
    scheme = programme.schemes.get(code="A")
    for index in range(n):  # the demo's eight plans and these fill more than a page of ten
        city = CityFactory()
        participation_add(programme=programme, city=city)
        author = UserFactory()
        membership_grant(user=author, role=Role.OFFICER, city=city)
        pairing = PairingFactory(scheme=scheme, mentor=gdansk(), implementing=city)
        plan = plan_services.plan_create(pairing=pairing, by=fresh(author), title=f"Plan {index}")
        plan_services.row_add(plan, section=Section.ACTIONS, by=fresh(author), title="A step")


# Session, person, memberships, the count of plans by stage, the page of plans, their actions,
# their indicators; the officer's scope also reads the programmes their city takes part in.
@pytest.mark.parametrize(("email", "pinned"), [(COORDINATOR, 7), (OFFICER, 8)])
def test_the_plans_overview(client, demo_with_plans, demo_user, monkeypatch, email, pinned):
    monkeypatch.setattr("actionplans.views.overview.PLANS_PER_PAGE", 10)
    client.force_login(demo_user(email))
    grow = lambda: more_plans(demo_with_plans, 6)  # noqa: E731
    plans = reverse("actionplans:plans")
    assert_pinned(client, plans, grow, pinned)
    assert_pinned(client, plans + "?stage=draft", grow, pinned)
    page_two, rows = measure(client, plans + "?page=2")
    assert page_two == pinned
    assert "Page 2 of 2" in rows


# The read API's plans: the token, its use, the memberships (and an officer's cities'
# programmes), the count, the page of plans, their actions, indicators, measurements, the log.
@pytest.mark.parametrize(("email", "pinned"), [(COORDINATOR, 9), (OFFICER, 10)])
def test_the_api_plans(demo_with_plans, email, pinned):
    client = reader(User.objects.get(email=email))
    grow = lambda: more_plans(demo_with_plans, 6)  # noqa: E731
    plans = reverse("api:action-plan-list") + "?page_size=200"
    assert_pinned(client, plans, grow, pinned)


# Downloads of stored files ----------------------------------------------------------------------


def measure_download(client, url: str) -> tuple[int, list[str], int]:
    """The queries a download costs (and their SQL), and the bytes it answers with."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
    return len(captured), [query["sql"] for query in captured], len(content)


def assert_download_pinned(client, url: str, grow: Callable[[], None], pinned: int) -> list[str]:
    """The download costs `pinned` queries before and after `grow` makes what stands behind it
    bigger (a longer snapshot, more versions, more reports). Returns the SQL, to look into."""
    small, _sql, _size = measure_download(client, url)
    grow()
    large, sql, _size = measure_download(client, url)
    assert (small, large) == (pinned, pinned), f"{url}: {small} queries, then {large}"
    return sql


def big_snapshot(snapshot: dict, times: int) -> dict:
    """The same snapshot with its practices repeated: hundreds of KB, as a large toolkit's."""
    return {**snapshot, "practices": snapshot["practices"] * times}


@pytest.mark.parametrize("mode", ["", "x-accel-redirect"])
def test_an_edition_pdf_download_reads_one_row_whatever_the_snapshot(
    client, settings, toolkit_world, mode
):
    """One query, without the edition's snapshot: a toolkit of 134 practices has a 518 KB one."""
    settings.TANDEM_SENDFILE = mode
    world = toolkit_world
    toolkit = toolkit_with(world, [published(world)])
    edition = toolkit_services.edition_publish(toolkit, by=fresh(world.expert))
    finished_with(toolkit_services.edition_rendering(edition, language="en"))

    def grow() -> None:
        ToolkitEdition.objects.filter(pk=edition.pk).update(
            snapshot=big_snapshot(edition.snapshot, 200)
        )

    url = reverse("toolkits:edition_pdf", args=[toolkit.slug, edition.number, "en"])
    sql = assert_download_pinned(client, url, grow, 1)
    assert "snapshot" not in sql[0]
    assert len(json.dumps(ToolkitEdition.objects.get().snapshot)) > 200_000


def test_a_practice_pdf_download(client, toolkit_world):
    """The practice, what its PDF's checksum covers (target groups, commitments, their framework,
    images: prefetched), and the rendering with its file; more images change nothing."""
    world = toolkit_world
    practice = published(world)
    finished_with(toolkit_services.practice_rendering(practice, language="en"))
    url = reverse("toolkits:practice_pdf", args=[practice.slug, "en"])

    def grow() -> None:
        PracticeImage.objects.bulk_create(
            PracticeImage(practice=practice, image=f"p/{n}.png", alt_text=f"Image {n}")
            for n in range(6)
        )
        changed = GoodPractice.objects.get(pk=practice.pk)
        finished_with(toolkit_services.practice_rendering(changed, language="en"))

    assert_download_pinned(client, url, grow, 6)


def test_a_report_download(client, settings):
    """Session, user, memberships, the report with its files; more reports change nothing."""
    world = build_time_world()

    def report(city) -> StaffCostReport:
        made = StaffCostReport.objects.create(
            programme=world.programme,
            city=city,
            first_month=date(2017, 1, 1),
            last_month=date(2017, 1, 1),
            requested_by=world.coordinator,
        )
        return finished_with(made, field="csv", filename="r.csv", content_type="text/csv")

    first = report(world.city)
    client.force_login(world.coordinator)
    url = reverse("reporting:report_download", args=[first.pk, "csv"])
    assert_download_pinned(client, url, lambda: [report(world.other_city) for _ in range(5)], 4)


def test_a_plan_pdf_download(client):
    """Session, user, memberships, the PDF with its file (the plan and version unread)."""
    world = build_plan_world()
    version = plan_services.plan_submit(drafted_plan(world), by=fresh_plan_person(world.author))
    finished_with(plan_services.pdf_request(version, by=world.author, language="en"))
    client.force_login(world.expert)
    url = reverse("actionplans:version_pdf", args=[version.plan_id, version.number, "en"])

    def grow() -> None:
        PlanVersion.objects.filter(pk=version.pk).update(
            snapshot={**version.snapshot, "padding": ["A long action plan."] * 20_000}
        )

    sql = assert_download_pinned(client, url, grow, 4)
    assert not any("snapshot" in query for query in sql)


# Staff time -------------------------------------------------------------------------------------


def test_the_staff_time_dashboard(client):
    """Session, user, memberships, the programme; the cities' count and page; their approved
    hours (from the months) and the entries of their months not approved; the programme's
    approved hours and its cities. As many with 2 cities as with 32, 25 to a page; searched
    for by name, the same."""
    world = build_time_world()
    march, april = date(2017, 3, 1), date(2017, 4, 3)
    record(world, world.officer, march, 8)
    rate(world, world.officer, 2017, "41280")
    approved_month(world, world.officer, march)
    record(world, world.officer, april, 6)
    client.force_login(world.coordinator)

    def grow() -> None:
        for index in range(30):
            city = CityFactory(name=f"Town {index:02d}")
            participation_add(programme=world.programme, city=city)
            record(world, CityOfficerFactory(city=city).user, april, 5, city=city)

    url = reverse("reporting:programme_dashboard", args=[world.programme.slug])
    assert measure(client, url + "?q=ghent")[0] == 10
    assert_pinned(client, url, grow, 10)
    assert measure(client, url + "?q=town")[0] == 10
    assert measure(client, url + "?q=town&page=2")[0] == 10


# Open data --------------------------------------------------------------------------------------


def more_open_data(programme, n: int) -> None:
    """n more past events and n more published practices (through the services)."""
    officer, expert = User.objects.get(email=OFFICER), User.objects.get(email=EXPERT)
    kind = EventKind.objects.get(programme=programme, code="webinar")
    scheme = Scheme.objects.get(programme=programme, code="A")
    for index in range(n):
        event_create(
            programme=programme,
            kind=kind,
            title=f"Webinar {index}",
            starts_on=date(2017, 2, 1 + index),
            time_zone="Europe/Brussels",
            online_url="https://example.org/webinar",
        )
        practice = toolkit_services.practice_create(
            city=gdansk(),
            author=officer,
            scheme=scheme,
            **practice_fields(programme=programme, title=f"Open practice {index}"),
        )
        toolkit_services.practice_submit(practice, by=fresh(officer))
        toolkit_services.practice_publish(practice, by=fresh(expert))
    ProgrammeFactory(name=f"More open data {n}", open_data_licence="ODbL-1.0")
    cache.clear()


def test_open_data(client, demo):
    """The index, the dataset page and both downloads, each built anew (nothing kept), cost the
    same with 2 and 8 more events, practices and programmes."""
    demo.open_data_licence = "CC-BY-4.0"
    programme_update(programme=demo)
    urls = {
        reverse("portal:open_data_index"): 1,
        reverse("portal:open_data", args=[demo.slug]): 17,
        reverse("portal:open_data_zip", args=[demo.slug]): 17,
        reverse("portal:open_data_json", args=[demo.slug]): 17,
    }
    more_open_data(demo, 2)
    small, large = {}, {}
    for url in urls:
        cache.clear()
        small[url] = measure_download(client, url)
    more_open_data(demo, 6)
    for url in urls:
        cache.clear()
        large[url] = measure_download(client, url)
    assert {url: count for url, (count, _sql, _size) in small.items()} == urls
    assert {url: count for url, (count, _sql, _size) in large.items()} == urls
    # The files and the index get longer; the dataset page shows only the new row counts.
    page = reverse("portal:open_data", args=[demo.slug])
    grown = [url for url in urls if url != page]
    assert all(large[url][2] > small[url][2] for url in grown), "the added rows do not show"
    # Kept: the next download reads only the programme and the data's state.
    zip_url = reverse("portal:open_data_zip", args=[demo.slug])
    measure_download(client, zip_url)
    assert measure_download(client, zip_url)[0] == 7


# The read API's staff time: the token, its use, the memberships (a supervisor's also their
# cities' programmes), the programme's cities, the priced totals (one query), the log's row;
# reports: the same, then the count, the page with its files, the log's row.
@pytest.mark.parametrize(("who", "pinned"), [("coordinator", [6, 6]), ("supervisor", [7, 7])])
def test_the_api_staff_time_and_reports(who, pinned):
    world = build_time_world()
    march = date(2017, 3, 1)
    for person in (world.officer, world.colleague):
        record(world, person, march, 8)
        rate(world, person, 2017, "41280")
        approved_month(world, person, march)

    def report() -> None:
        made = StaffCostReport.objects.create(
            programme=world.programme,
            city=world.city,
            first_month=march,
            last_month=march,
            requested_by=world.coordinator,
        )
        finished_with(made, field="csv", filename="r.csv", content_type="text/csv")

    report()

    def grow() -> None:
        for month in (date(2017, 4, 3), date(2017, 5, 2)):
            for person in (world.officer, world.colleague):
                record(world, person, month, 6)
                approved_month(world, person, month.replace(day=1))
        for index in range(5):
            participation_add(programme=world.programme, city=CityFactory(name=f"Town {index}"))
            report()

    client = reader(getattr(world, who))
    urls = [reverse("api:staff-time-list"), reverse("api:staff-cost-report-list")]
    small = [measure(client, url) for url in urls]
    grow()
    large = [measure(client, url) for url in urls]
    assert [count for count, _body in small] == [count for count, _body in large] == pinned
    assert len(large[1][1]) > len(small[1][1])
    assert small[0][1] != large[0][1]
