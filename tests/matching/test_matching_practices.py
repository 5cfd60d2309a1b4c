"""Matching counts a mentor candidate's published good practices in the theme: drafts and
withdrawn practices do not count, nor practices of another theme; the count comes in the same
single query, whatever the number of practices, and does not disturb the pairing counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.selectors import mentor_candidates
from mentoring.models import PairingStatus
from tests.mentoring.factories import PairingFactory
from tests.toolkits.factories import (
    build_toolkit_world,
    charter_commitments,
    draft,
    fresh,
    published,
)
from toolkits import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_toolkit_world()


def gdansk_count(world) -> int:
    """Gdańsk's published practices in scheme A, as matching sees it for Rīga."""
    candidates = mentor_candidates(scheme=world.scheme, implementing=world.other_city)
    (gdansk,) = [c for c in candidates if c.city_id == world.city.pk]
    return gdansk.good_practices_on_theme


class TestGoodPracticeCount:
    def test_a_published_practice_counts_and_a_draft_does_not(self, world):
        assert gdansk_count(world) == 0
        draft(world)
        assert gdansk_count(world) == 0
        published(world)
        assert gdansk_count(world) == 1
        published(world, title="Another")
        assert gdansk_count(world) == 2

    def test_practices_in_review_or_withdrawn_do_not_count(self, world):
        in_review = draft(world)
        services.practice_submit(in_review, by=fresh(world.officer))
        withdrawn = published(world)
        services.practice_withdraw(withdrawn, by=fresh(world.expert), comment="Outdated.")
        assert gdansk_count(world) == 0

    def test_another_city_practices_count_for_that_city(self, world):
        published(world, city=world.other_city)
        assert gdansk_count(world) == 0
        candidates = mentor_candidates(scheme=world.scheme, implementing=world.city)
        assert [(c.name, c.good_practices_on_theme) for c in candidates] == [("Rīga", 1)]

    def test_a_practice_on_another_theme_counts_only_when_the_themes_share_a_commitment(
        self, world
    ):
        published(world, scheme=world.other_scheme)
        assert gdansk_count(world) == 0
        world.scheme.commitments.set(charter_commitments(9))
        world.other_scheme.commitments.set(charter_commitments(9, 11))
        assert gdansk_count(world) == 1

    def test_practices_do_not_multiply_the_pairing_counts(self, world):
        PairingFactory(scheme=world.scheme, mentor=world.city, status=PairingStatus.COMPLETED)
        PairingFactory(scheme=world.scheme, mentor=world.city, status=PairingStatus.ACTIVE)
        for n in range(3):
            published(world, title=f"Practice {n}")
        candidates = mentor_candidates(scheme=world.scheme, implementing=world.other_city)
        (gdansk,) = [c for c in candidates if c.city_id == world.city.pk]
        assert gdansk.good_practices_on_theme == 3
        assert (gdansk.completed_overall, gdansk.completed_on_theme, gdansk.load) == (1, 1, 1)

    def test_still_one_query_with_practices(self, world):
        for n in range(4):
            published(world, title=f"Practice {n}")
            published(world, city=world.other_city, title=f"Rīga practice {n}")
        with CaptureQueriesContext(connection) as captured:
            mentor_candidates(scheme=world.scheme, implementing=world.other_city)
        assert len(captured) == 1


class TestMatchingPage:
    def test_the_reason_names_the_count_and_queries_do_not_grow(
        self, client, world, django_assert_num_queries
    ):
        client.force_login(world.coordinator)
        url = reverse("matching:matching", kwargs={"slug": world.programme.slug})
        choice = {"scheme": world.scheme.pk, "implementing": world.other_city.pk}
        published(world)

        with CaptureQueriesContext(connection) as small:
            response = client.get(url, choice)
        assert response.status_code == 200
        assert "1 published good practice in this theme" in response.content.decode()

        for n in range(6):
            published(world, title=f"Practice {n}")
        with django_assert_num_queries(len(small)):
            response = client.get(url, choice)
        assert "7 published good practices in this theme" in response.content.decode()
