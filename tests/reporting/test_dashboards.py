"""Days-used dashboards: the figures are the sums of the entries (approved months' as frozen on
them), the chart and the table show the same numbers, the chart needs no inline style or script,
a programme's cities are found by name and paged, and query counts stay flat (the programme's:
tests/test_query_counts.py)."""

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.models import City
from reporting.models import MonthStatus, TimeEntry
from tests.accounts.factories import CityOfficerFactory, ExpertFactory
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory
from tests.reporting.factories import approved_month, build_time_world, rate, record

pytestmark = pytest.mark.django_db

MARCH = date(2017, 3, 1)


@pytest.fixture
def world():
    """Olga: 20 hours approved in March, 6 open in April; Carl: 12 hours open; Ola (Gdańsk):
    6 hours open."""
    w = build_time_world()
    for index, hours in enumerate((8, 8, 4)):
        record(w, w.officer, MARCH + timedelta(days=index), hours)
    record(w, w.officer, date(2017, 4, 3), 6)
    rate(w, w.officer, 2017, "41280")
    approved_month(w, w.officer, MARCH)
    record(w, w.colleague, MARCH, 8, activity="visit")
    record(w, w.colleague, MARCH + timedelta(days=1), 4, activity="visit")
    record(w, w.other_officer, MARCH, 6)
    return w


def programme_url(world) -> str:
    return reverse("reporting:programme_dashboard", args=[world.programme.slug])


def city_url(world, city=None) -> str:
    return reverse("reporting:city_dashboard", args=[world.programme.slug, (city or world.city).pk])


def get(client, user, url, status=200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def table_rows(html: str) -> dict[str, list[str]]:
    """Row header → the cells of each row of the page's data table (chart excluded)."""
    table = html[html.index('<table class="data">') :]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        header = re.search(r'<th scope="row">(?:<a [^>]+>)?([^<]+)', row)
        if header:
            rows[header.group(1).strip()] = re.findall(r'<td class="number">([^<]*)</td>', row)
    return rows


def facts(html: str) -> dict[str, str]:
    """The page's facts list: term → value."""
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", html))


def days(hours) -> Decimal:
    """Days used as reporting.costs.days_used defines them: to the nearest half-day, half-up."""
    halves = (Decimal(hours) / 4).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (halves / 2).quantize(Decimal("0.1"))


def hours_of(**filters) -> Decimal:
    return TimeEntry.objects.filter(**filters).aggregate(total=Sum("hours"))["total"] or 0


def test_programme_figures_are_the_sums_of_the_entries(client, world):
    html = get(client, world.coordinator, programme_url(world))
    rows = table_rows(html)
    ghent = {"programme": world.programme, "city": world.city}
    approved = hours_of(**ghent, timesheet__status=MonthStatus.APPROVED)
    recorded = hours_of(**ghent)
    assert (approved, recorded) == (Decimal(20), Decimal(38))
    assert rows["Ghent"] == [str(days(approved)), str(days(recorded)), "30", "8%"]
    gdansk = hours_of(programme=world.programme, city=world.other_city)
    assert rows["Gdańsk"] == ["0.0", str(days(gdansk)), "30", "0%"]
    # All cities: the approved days against both cities' allowances.
    assert facts(html) == {
        "Approved days": "2.5",
        "Allowance of all cities (days)": "60",
        "Approved, % of allowance": "4%",
    }


def test_city_figures_are_the_sums_of_each_persons_entries(client, world):
    html = get(client, world.supervisor, city_url(world))
    rows = table_rows(html)
    assert rows["Olga Officer"] == ["2.5", str(days(hours_of(person=world.officer))), "8%"]
    assert rows["Carl Colleague"] == ["0.0", str(days(hours_of(person=world.colleague))), "0%"]
    assert rows["All of Ghent"] == ["2.5", "5.0", "8%"]  # 38 h: 4.75 days, to the half-day
    assert "Ola Other" not in html
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Allowance (days) 30" in words


def chart(html: str) -> str:
    """The days chart: the page's drawing (the bell's icon in the header is an svg too)."""
    start = html.index("<svg", html.index("<main"))
    return html[start : html.index("</svg>", start)]


@pytest.mark.parametrize("url", [programme_url, city_url])
def test_chart_and_table_show_the_same_numbers_without_inline_style_or_script(client, world, url):
    html = get(client, world.coordinator, url(world))
    svg = chart(html)
    assert 'role="img"' in svg
    assert re.search(r"<title id=\"[\w-]+-title\">[^<]+</title>", svg)
    assert "aria-labelledby=" in svg
    # Bars are drawn with attributes; the page has no inline style and no inline script.
    assert re.search(r'<rect [^>]*width="[\d.]+"', svg)
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    # The numbers the chart prints are those of the table.
    values = re.findall(r'class="chart-value">([^<]+)</text>', svg)
    rows = table_rows(html)
    rows.pop("All cities", None)  # The programme's total is the table's alone.
    assert values == [f"{cells[0]} / {cells[1]}" for cells in rows.values()]


def test_bar_widths_are_to_scale(client, world):
    svg = chart(get(client, world.coordinator, programme_url(world)))
    widths = re.findall(r'width="([\d.]+)" height="20" class="bar-(recorded|approved)"', svg)
    # Gdańsk first, then Ghent; the scale runs to the 30-day allowance over 360 units.
    assert widths == [
        ("12.00", "recorded"),  # 6 hours: 0.75 days, shown as 1.0 (to the half-day)
        ("0.00", "approved"),
        ("60.00", "recorded"),  # 38 hours: 4.75 days, shown as 5.0
        ("30.00", "approved"),  # 2.5 days
    ]
    assert 'x1="530.00"' in svg  # The allowance line at 30 of 30 days.


def test_programme_dashboard_links_to_each_city_and_to_reports(client, world):
    html = get(client, world.coordinator, programme_url(world))
    assert city_url(world) in html
    assert city_url(world, world.other_city) in html
    assert f'href="{reverse("reporting:reports")}"' in html


def test_the_programme_page_links_to_the_dashboard_for_coordinators_only(client, world):
    url = programme_url(world)
    assert url in get(client, world.coordinator, world.programme.get_absolute_url())
    assert url not in get(client, world.officer, world.programme.get_absolute_url())
    assert url not in get(client, world.supervisor, world.programme.get_absolute_url())


def test_the_city_page_links_to_the_city_dashboard_for_those_allowed(client, world):
    url = city_url(world)
    for user in (world.officer, world.supervisor, world.coordinator):
        assert url in get(client, user, world.city.get_absolute_url())
    for user in (world.other_officer, world.other_supervisor):
        client.force_login(user)
        assert url not in client.get(world.city.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("outsider_coordinator", 403),
        ("supervisor", 403),
        ("officer", 403),
        ("other_supervisor", 403),
    ],
)
def test_the_programme_dashboard_is_for_its_coordinators(client, world, who, status):
    get(client, getattr(world, who), programme_url(world), status=status)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("supervisor", 200),
        ("officer", 200),
        ("colleague", 200),
        ("other_officer", 404),
        ("other_supervisor", 404),
        ("outsider_coordinator", 404),
    ],
)
def test_the_city_dashboard_is_for_the_city_and_its_coordinators(client, world, who, status):
    get(client, getattr(world, who), city_url(world), status=status)


def test_the_city_dashboard_of_a_city_outside_the_programme_is_not_found(client, world):
    stranger = CityFactory(name="Elsewhere")
    get(client, world.coordinator, city_url(world, stranger), status=404)
    get(client, world.coordinator, f"/time/dashboard/{world.programme.slug}/cities/999999/", 404)
    get(client, world.coordinator, "/time/dashboard/no-such-programme/", status=404)


def test_an_expert_sees_no_dashboard(client, world):
    expert = ExpertFactory(scheme__programme=world.programme).user
    get(client, expert, programme_url(world), status=403)
    get(client, expert, city_url(world), status=404)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def more_cities(world, n: int) -> None:
    for index in range(n):
        ParticipationFactory(programme=world.programme, city=CityFactory(name=f"Town {index:02d}"))


def test_the_cities_are_paged_and_found_by_name_without_javascript(client, world):
    more_cities(world, 30)  # With Ghent and Gdańsk, 32 cities: 25 on a page.
    url = programme_url(world)
    html = get(client, world.coordinator, url)
    assert list(table_rows(html)) == ["Gdańsk", "Ghent", *(f"Town {i:02d}" for i in range(23))]
    assert "Page 1 of 2" in html
    assert list(table_rows(get(client, world.coordinator, f"{url}?page=2"))) == [
        f"Town {i:02d}" for i in range(23, 30)
    ]
    # A plain form: the browser sends ?q=..., no script needed.
    form = re.search(r'<form method="get"[^>]*role="search".*?</form>', html, re.S).group(0)
    assert re.search(r'<input type="search" name="q"[^>]*id="id_q"', form)
    assert '<button type="submit">' in form
    found = get(client, world.coordinator, f"{url}?q=GHE")
    assert table_rows(found) == {"Ghent": ["2.5", "5.0", "30", "8%"]}
    # The programme's figures stay those of all its cities.
    assert facts(found)["Allowance of all cities (days)"] == str(32 * 30)
    towns = get(client, world.coordinator, f"{url}?q=town&page=2")
    assert list(table_rows(towns)) == [f"Town {i:02d}" for i in range(25, 30)]
    assert "?q=town&amp;page=1" in towns
    # Accents do not matter: "gdansk" finds Gdańsk (by its slug, made from its name).
    City.objects.filter(name="Gdańsk").update(slug="gdansk")
    assert list(table_rows(get(client, world.coordinator, f"{url}?q=gdansk"))) == ["Gdańsk"]
    nothing = get(client, world.coordinator, f"{url}?q=Atlantis")
    assert "No city of the programme has this in its name." in nothing


@pytest.mark.parametrize(
    "query", ["q=" + "a" * 3000, "page=-1", "page=abc", "page=99999999999999999999"]
)
def test_a_search_that_cannot_be_valid_shows_the_page_with_the_field_error(client, world, query):
    html = get(client, world.coordinator, f"{programme_url(world)}?{query}")
    assert set(table_rows(html)) == {"Gdańsk", "Ghent"}
    if query.startswith("q="):
        assert "Ensure this value has at most 100 characters" in html


def test_a_nul_in_the_search_is_refused_as_every_nul_is(client, world):
    get(client, world.coordinator, f"{programme_url(world)}?q=%00", status=400)


@pytest.mark.parametrize("who", ["coordinator", "officer"])
def test_city_dashboard_query_count_does_not_grow(client, world, who):
    client.force_login(getattr(world, who))
    small = count(client, city_url(world))
    for index in range(4):
        officer = CityOfficerFactory(city=world.city).user
        record(world, officer, MARCH + timedelta(days=index), 3)
    assert count(client, city_url(world)) == small


def test_a_programme_without_time_shows_zeros(client):
    world = build_time_world()
    ProgrammeFactory()  # Another programme, no data.
    rows = table_rows(get(client, world.coordinator, programme_url(world)))
    assert rows["Ghent"] == ["0.0", "0.0", "30", "0%"]
    html = get(client, world.coordinator, city_url(world))
    assert "Nobody has recorded time yet." in html


def test_a_coordinator_sees_a_shared_citys_days_only_in_their_own_programme(client, db):
    """A city in two programmes: the other programme's coordinator does not see this one's."""
    from django.urls import reverse

    from tests.accounts.factories import CoordinatorFactory
    from tests.mentoring.factories import ParticipationFactory
    from tests.reporting.factories import build_time_world

    world = build_time_world()
    other = CoordinatorFactory()
    ParticipationFactory(programme=other.programme, city=world.city)
    client.force_login(other.user)
    url = reverse(
        "reporting:city_dashboard",
        kwargs={"programme": world.programme.slug, "city": world.city.pk},
    )
    assert client.get(url).status_code == 404
    own = reverse(
        "reporting:city_dashboard",
        kwargs={"programme": other.programme.slug, "city": world.city.pk},
    )
    assert client.get(own).status_code == 200
    page = client.get(world.city.get_absolute_url()).content.decode()
    assert own in page
    assert url not in page
