"""The public catalogue of good practices: search on the current database, every filter,
pagination that keeps the filters, drafts never listed, typed HTML shown as text, and a query
count that does not grow from 10 to 500 practices."""

import re
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.cities.factories import CityFactory
from tests.toolkits.factories import (
    build_toolkit_world,
    charter_commitment,
    charter_commitments,
    draft,
    fresh,
    published,
    target_group,
    target_groups,
)
from toolkits import services
from toolkits.models import GoodPractice, PracticeStatus, TargetGroup
from toolkits.search import refresh_search_vectors

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("toolkits:catalogue")


@pytest.fixture
def world():
    return build_toolkit_world()


def titles(response) -> list[str]:
    """The result titles, in the order listed."""
    html = response.content.decode()
    return [
        unescape(title)
        for title in re.findall(r'<h2 id="practice-\d+"[^>]*><a [^>]*>(.*?)</a>', html)
    ]


def found(client, **params) -> list[str]:
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    return titles(response)


def option_labels(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [unescape(label) for label in re.findall(r"<option[^>]*>(.*?)</option>", select)]


class TestListing:
    def test_anonymous_visitors_see_published_practices_only(self, client, world):
        published(world, title="Published one")
        draft(world, title="A draft")
        submitted = draft(world, title="In review")
        services.practice_submit(submitted, by=fresh(world.officer))
        returned = draft(world, title="Returned")
        services.practice_submit(returned, by=fresh(world.officer))
        services.practice_return(returned, by=fresh(world.expert), comment="Add figures.")
        withdrawn = published(world, title="Withdrawn")
        services.practice_withdraw(withdrawn, by=fresh(world.expert), comment="Outdated.")

        assert found(client) == ["Published one"]

    def test_drafts_are_not_listed_for_their_own_officers_either(self, client, world):
        published(world, title="Published one")
        draft(world, title="A draft")
        client.force_login(world.officer)
        assert found(client) == ["Published one"]

    def test_each_result_links_to_its_page_with_city_country_theme_period_and_summary(
        self, client, world
    ):
        practice = published(world, summary="Short summary of the work. " * 30)
        html = client.get(CATALOGUE).content.decode()
        assert f'href="{practice.get_absolute_url()}"' in html
        assert "Gdańsk, Poland" in html
        assert "CITIES-GROW, A: Matching buyers and suppliers" in html
        assert "January 2017" in html
        assert "June 2018" in html
        assert "Short summary of the work." in html
        assert ("Short summary of the work. " * 30).strip() not in html  # shortened

    def test_the_count_is_announced_in_a_live_region(self, client, world):
        for n in range(3):
            published(world, title=f"Practice {n}")
        html = client.get(CATALOGUE).content.decode()
        assert re.search(r'role="status" aria-live="polite">\s*3 practices found\s*<', html)
        published(world, title="Another")
        html = client.get(CATALOGUE, {"q": "Another"}).content.decode()
        assert re.search(r'aria-live="polite">\s*1 practice found\s*<', html)

    def test_nothing_found_says_so(self, client, world):
        html = client.get(CATALOGUE, {"q": "zzzzqqq"}).content.decode()
        assert "0 practices found" in html
        assert "No published practice matches" in html

    def test_html_typed_in_a_title_is_shown_as_text(self, client, world):
        published(
            world,
            title="<script>alert('x')</script> Bold <b>claim</b>",
            summary="<img src=x onerror=alert(1)> summary",
        )
        html = client.get(CATALOGUE).content.decode()
        assert "<script>alert" not in html
        assert (
            "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Bold &lt;b&gt;claim&lt;/b&gt;"
            in html
        )
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt; summary" in html

    def test_the_form_labels_every_field(self, client, world):
        published(world)
        html = client.get(CATALOGUE).content.decode()
        assert 'role="search"' in html
        for name in ("q", "theme", "country", "city", "commitment", "target_group", "year"):
            assert f'<label for="id_{name}">' in html
            assert f'id="id_{name}"' in html


class TestSearch:
    @pytest.fixture
    def practices(self, world):
        return {
            "tenders": published(
                world,
                title="Apprentices in procurement",
                summary="Splitting tenders into lots for small firms.",
            ),
            "mentoring": published(
                world,
                city=world.other_city,
                title="Mentoring young jobseekers",
                summary="Volunteers coach school leavers.",
                challenge="Youth unemployment among newcomers was twice the average.",
                actions="Trained 60 volunteer mentors.",
                results="A third found work within a year.",
                transferability="A volunteer centre and employers who take part.",
            ),
            "draft": draft(world, title="Secret tenders draft", summary="tenders everywhere"),
        }

    def test_a_word_of_the_summary_finds_the_practice(self, client, practices):
        assert found(client, q="tenders") == ["Apprentices in procurement"]

    def test_a_word_of_the_title_finds_it_whatever_the_case(self, client, practices):
        assert found(client, q="MENTORING") == ["Mentoring young jobseekers"]

    @pytest.mark.parametrize("word", ["unemployment", "volunteer", "third", "employers"], ids=str)
    def test_words_of_the_text_find_it(self, client, practices, word):
        assert found(client, q=word) == ["Mentoring young jobseekers"]

    def test_a_word_found_nowhere_finds_nothing(self, client, practices):
        assert found(client, q="zeppelin") == []

    def test_every_word_must_match(self, client, practices):
        assert found(client, q="tenders volunteers") == []
        assert found(client, q="volunteers mentoring") == ["Mentoring young jobseekers"]

    def test_drafts_are_never_found(self, client, practices):
        assert "Secret tenders draft" not in found(client, q="secret")

    @pytest.mark.parametrize("query", ["Gdańsk", "gdańsk"])
    def test_a_city_name_with_diacritics_finds_its_practices(self, client, practices, query):
        assert found(client, q=query) == ["Apprentices in procurement"]

    def test_rīga_is_found_by_its_name(self, client, practices):
        assert found(client, q="Rīga") == ["Mentoring young jobseekers"]

    def test_a_title_match_comes_before_a_summary_match(self, client, world, practices):
        published(world, title="Zoning rules", summary="Apprentices learn zoning law.")
        # On PostgreSQL the title weighs more; elsewhere titles go in order: both agree here.
        assert found(client, q="apprentices") == ["Apprentices in procurement", "Zoning rules"]

    def test_an_empty_search_lists_everything_by_title(self, client, practices):
        assert found(client, q="   ") == [
            "Apprentices in procurement",
            "Mentoring young jobseekers",
        ]

    def test_punctuation_alone_does_not_break_the_page(self, client, practices):
        response = client.get(CATALOGUE, {"q": "\"' - & | ! ( )"})
        assert response.status_code == 200

    def test_an_overlong_search_is_explained_not_run(self, client, practices):
        response = client.get(CATALOGUE, {"q": "tenders " * 30})
        assert response.status_code == 400
        assert 'id="id_q_error"' in response.content.decode()

    def test_the_search_box_keeps_what_was_typed_escaped(self, client, practices):
        html = client.get(CATALOGUE, {"q": '"><script>x</script>'}).content.decode()
        assert "<script>x</script>" not in html
        assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


class TestFilters:
    @pytest.fixture
    def practices(self, world):
        women = target_group("women")
        return {
            "a": published(world, title="Theme A in Gdańsk"),
            "b": published(
                world,
                city=world.other_city,
                scheme=world.other_scheme,
                title="Theme B in Rīga",
                target_groups=[women],
                commitments=list(charter_commitments(4)),
                started_on=date(2019, 3, 1),
                ended_on=None,
            ),
        }

    def test_by_theme(self, client, world, practices):
        assert found(client, theme=world.other_scheme.pk) == ["Theme B in Rīga"]
        assert found(client, theme=world.scheme.pk) == ["Theme A in Gdańsk"]

    def test_themes_are_named_with_programme_and_code(self, client, world, practices):
        html = client.get(CATALOGUE).content.decode()
        assert option_labels(html, "theme") == [
            "Any theme",
            "CITIES-GROW, A: Matching buyers and suppliers",
            "CITIES-GROW, B: Job-skills match",
        ]

    def test_by_country(self, client, practices):
        assert found(client, country="LV") == ["Theme B in Rīga"]
        assert found(client, country="PL") == ["Theme A in Gdańsk"]

    def test_only_countries_and_cities_with_published_practices_are_offered(
        self, client, world, practices
    ):
        elsewhere = CityFactory(name="Lisbon", slug="lisbon", country="PT")
        GoodPractice.objects.filter(pk=practices["a"].pk).update(city=elsewhere)
        draft(world, title="Draft in Gdańsk")
        html = client.get(CATALOGUE).content.decode()
        assert option_labels(html, "country") == ["Any country", "Latvia", "Portugal"]
        # The city is typed (hundreds have practices): suggested from the published ones only.
        assert '<select name="city"' not in html
        suggest = reverse("toolkits:city_suggestions")
        assert client.get(suggest, {"q": "lis"}).json() == {"names": ["Lisbon"]}
        assert client.get(suggest, {"q": "rī"}).json() == {"names": ["Rīga"]}
        assert client.get(suggest, {"q": "gda"}).json() == {"names": []}
        assert found(client, city="Gdańsk") == []

    def test_a_country_without_practices_is_refused(self, client, practices):
        response = client.get(CATALOGUE, {"country": "FR"})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()

    def test_by_city(self, client, world, practices):
        # The slug that links carry, as when the filter was a select; a name, in full or in
        # part, whatever its case.
        assert found(client, city=world.city.slug) == ["Theme A in Gdańsk"]
        assert found(client, city=world.other_city.slug) == ["Theme B in Rīga"]
        assert found(client, city="Rīga") == ["Theme B in Rīga"]
        assert found(client, city="RĪG") == ["Theme B in Rīga"]

    def test_city_suggestions_are_open_to_visitors_and_refuse_nonsense(self, client, practices):
        url = reverse("toolkits:city_suggestions")
        assert client.get(url, {"q": "gda"}).json() == {"names": ["Gdańsk"]}
        assert client.get(url, {"q": ""}).json() == {"names": []}
        assert client.get(url, {"q": "x" * 500}).status_code == 400

    def test_by_commitment_named_with_its_framework(self, client, practices):
        assert found(client, commitment=charter_commitment(4).pk) == ["Theme B in Rīga"]
        assert found(client, commitment=charter_commitment(9).pk) == ["Theme A in Gdańsk"]
        labels = option_labels(client.get(CATALOGUE).content.decode(), "commitment")
        assert "Integrating Cities Charter: 4. Support equal access to services" in labels
        # Only what published practices name is offered.
        assert not [label for label in labels if label.startswith("Integrating Cities Charter: 1.")]

    def test_by_target_group_named_with_its_programme(self, client, practices):
        assert found(client, target_group=target_group("women").pk) == ["Theme B in Rīga"]
        assert found(client, target_group=target_group("entrepreneurs").pk) == ["Theme A in Gdańsk"]
        labels = option_labels(client.get(CATALOGUE).content.decode(), "target_group")
        assert "CITIES-GROW: Migrant women" in labels
        assert "CITIES-GROW: Unaccompanied minors" not in labels

    @pytest.mark.parametrize(
        ("year", "expected"),
        [
            (2016, []),
            (2017, ["Theme A in Gdańsk"]),
            (2018, ["Theme A in Gdańsk"]),  # ended in June 2018: still running that year
            (2019, ["Theme B in Rīga"]),
            (2031, ["Theme B in Rīga"]),  # no end: still running
        ],
    )
    def test_by_year_running(self, client, practices, year, expected):
        assert found(client, year=year) == expected

    def test_a_year_that_is_not_a_number_is_explained_on_its_field(self, client, practices):
        response = client.get(CATALOGUE, {"year": "soon"})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'aria-describedby="id_year_helptext id_year_error"' in html
        assert 'id="id_year_error"' in html
        assert "Enter a whole number." in html

    def test_filters_combine(self, client, world, practices):
        assert found(client, country="LV", target_group=target_group("women").pk, year=2020) == [
            "Theme B in Rīga"
        ]
        assert found(client, country="LV", commitment=charter_commitment(9).pk) == []

    def test_a_practice_in_two_matching_groups_is_listed_once(self, client, world, practices):
        both = list(target_groups(["women", "entrepreneurs", "youth"]))
        published(world, title="Many groups", target_groups=both)
        assert found(client, q="groups") == ["Many groups"]
        assert found(client, target_group=target_group("women").pk).count("Many groups") == 1


class TestPagination:
    def test_twenty_a_page_and_the_filters_stay_in_the_links(self, client, world):
        rows = bulk_published(world, 25, title="Tender", city=world.city)
        bulk_published(world, 3, title="Elsewhere", city=world.other_city)
        assert len(rows) == 25
        response = client.get(CATALOGUE, {"country": "PL"})
        html = response.content.decode()
        assert len(titles(response)) == 20
        assert "25 practices found" in html
        assert 'href="?country=PL&amp;page=2"' in html
        assert "Page 1 of 2" in html
        second = client.get(CATALOGUE, {"country": "PL", "page": 2})
        assert len(titles(second)) == 5
        assert 'href="?country=PL&amp;page=1"' in second.content.decode()
        assert set(titles(response)).isdisjoint(titles(second))

    def test_a_page_beyond_the_last_shows_the_last(self, client, world):
        bulk_published(world, 21)
        response = client.get(CATALOGUE, {"page": 9})
        assert response.status_code == 200
        assert len(titles(response)) == 1


def bulk_published(world, count: int, *, title: str = "Practice", city=None) -> list[GoodPractice]:
    """Published practices written straight to the database, with their target groups and
    commitments: a quick way to a long list."""
    now = timezone.now()
    start = GoodPractice.objects.count()
    rows = GoodPractice.objects.bulk_create(
        GoodPractice(
            city=city or (world.city if n % 2 else world.other_city),
            scheme=world.scheme if n % 3 else world.other_scheme,
            author=world.officer,
            title=f"{title} {n:04d}",
            slug=f"bulk-{start + n}",
            summary=f"Summary {n} about tenders.",
            challenge="A challenge.",
            actions="Actions.",
            results="Results.",
            transferability="Transferable.",
            started_on=date(2017, 1, 1),
            status=PracticeStatus.PUBLISHED,
            published_at=now,
        )
        for n in range(count)
    )
    assert all(row.pk for row in rows)
    # bulk_create bypasses save(), which keeps the stored search vector (PostgreSQL) up to date.
    refresh_search_vectors(GoodPractice.objects.filter(pk__in=[row.pk for row in rows]))
    groups = list(TargetGroup.objects.filter(programme=world.programme)[:2])
    commitments = charter_commitments(1, 2)
    GoodPractice.target_groups.through.objects.bulk_create(
        GoodPractice.target_groups.through(goodpractice_id=row.pk, targetgroup_id=group.pk)
        for row in rows
        for group in groups
    )
    GoodPractice.commitments.through.objects.bulk_create(
        GoodPractice.commitments.through(goodpractice_id=row.pk, commitment_id=c.pk)
        for row in rows
        for c in commitments
    )
    return rows


class TestQueryCount:
    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"q": "tenders"},
            {
                "q": "tenders",
                "country": "PL",
                "city": "SLUG",
                "theme": "THEME",
                "commitment": "COMMITMENT",
                "target_group": "GROUP",
                "year": "2017",
                "page": "2",
            },
        ],
        ids=["plain", "search", "every-filter"],
    )
    def test_the_same_with_10_and_500_practices(
        self, client, world, django_assert_num_queries, params
    ):
        params = {
            key: {
                "SLUG": world.city.slug,
                "THEME": str(world.scheme.pk),
                "COMMITMENT": str(charter_commitment(1).pk),
                "GROUP": str(target_group("newcomers").pk),
            }.get(value, value)
            for key, value in params.items()
        }
        bulk_published(world, 10)

        with CaptureQueriesContext(connection) as small:
            response = client.get(CATALOGUE, params)
        assert response.status_code == 200
        assert titles(response)

        bulk_published(world, 490)
        with django_assert_num_queries(len(small)):
            response = client.get(CATALOGUE, params)
        assert response.status_code == 200
        assert titles(response)


class TestStoredSearchVector:
    """On PostgreSQL the search reads a stored, indexed vector: it follows every change of the
    practice and of its city's name, and the plan uses the index."""

    def test_the_vector_follows_edits_of_the_practice_and_its_city(self, client, world):
        practice = published(world, title="Bicycle lanes", summary="Painted lanes downtown.")
        assert found(client, q="bicycle") == ["Bicycle lanes"]
        practice.title = "Tram priority"
        practice.save()
        assert found(client, q="bicycle") == []
        assert found(client, q="tram") == ["Tram priority"]
        city = practice.city
        city.name = "Zwickauerstadt"
        city.save()
        assert found(client, q="zwickauerstadt") == ["Tram priority"]

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
    def test_the_search_can_use_the_gin_index(self, world):
        published(world, title="Bicycle lanes")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM toolkits_goodpractice "
                "WHERE search_vector @@ websearch_to_tsquery('simple', 'bicycle')"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "goodpractice_search_gin" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's")
def test_a_status_change_does_not_recompute_the_vector(world):
    practice = draft(world, title="Bicycle lanes")

    def vector_updates(**changes) -> int:
        for name, value in changes.items():
            setattr(practice, name, value)
        with CaptureQueriesContext(connection) as queries:
            practice.save(update_fields=[*changes, "updated_at"])
        return sum('SET "search_vector"' in query["sql"] for query in queries.captured_queries)

    assert vector_updates(status=PracticeStatus.IN_REVIEW) == 0
    assert vector_updates(title="Tram priority") == 1


@pytest.mark.parametrize(
    "url",
    [CATALOGUE, CATALOGUE + "?city=gda", "SUGGEST?q=c"],
    ids=["plain", "city", "suggestions"],
)
def test_the_same_with_2_and_32_cities_with_practices(client, world, url):
    """The city is typed: no option per city, however many have a published practice."""
    url = url.replace("SUGGEST", reverse("toolkits:city_suggestions"))
    bulk_published(world, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for number in range(30):
        bulk_published(world, 1, city=CityFactory(name=f"City {number:02d}", country="PT"))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
