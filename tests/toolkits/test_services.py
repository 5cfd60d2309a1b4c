"""The rules of good practices and toolkits, held by the services and the database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from toolkits import services
from toolkits.models import (
    GoodPractice,
    PracticeReview,
    PracticeStatus,
    ReviewAction,
    ToolkitEdition,
)
from toolkits.snapshots import checksum, practice_snapshot

from .factories import build_toolkit_world, draft, fresh, published, toolkit_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_toolkit_world()


def test_an_officer_writes_a_draft_of_their_city_with_a_stable_address(world):
    practice = draft(world)
    assert practice.status == PracticeStatus.DRAFT
    assert practice.slug == "gdansk-buying-from-newcomers-businesses"
    services.practice_update(practice, by=fresh(world.officer), title="Another title")
    practice.refresh_from_db()
    assert practice.slug == "gdansk-buying-from-newcomers-businesses"
    assert draft(world).slug == "gdansk-buying-from-newcomers-businesses-2"


def test_only_officers_of_the_city_write_its_practices(world):
    for person in (world.other_officer, world.supervisor, world.expert, world.coordinator):
        with pytest.raises(ValidationError):
            draft(world, author=person)
    assert not GoodPractice.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"eu_contribution": Decimal("200000.00")}, "eu_contribution"),
        ({"budget": None}, "budget"),
        ({"ended_on": date(2016, 1, 1)}, "ended_on"),
        ({"budget": Decimal("-1")}, "budget"),
        ({"title": ""}, "title"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"currency": "ABC"}, "currency"),
    ],
)
def test_bad_figures_are_refused_on_their_field(world, changes, field):
    with pytest.raises(ValidationError) as refused:
        draft(world, **changes)
    assert field in refused.value.message_dict
    assert not GoodPractice.objects.exists()


def test_the_database_refuses_an_eu_contribution_above_the_budget(world):
    practice = draft(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        GoodPractice.objects.filter(pk=practice.pk).update(eu_contribution=Decimal("999999999"))


def test_the_review_workflow_and_its_history(world):
    practice = draft(world)
    services.practice_submit(practice, by=fresh(world.officer))
    with pytest.raises(ValidationError):
        services.practice_update(practice, by=fresh(world.officer), title="Changed in review")
    with pytest.raises(ValidationError) as no_comment:
        services.practice_return(practice, by=fresh(world.expert), comment="  ")
    assert "comment" in no_comment.value.message_dict
    services.practice_return(practice, by=fresh(world.expert), comment="Add the figures.")
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED
    services.practice_update(practice, by=fresh(world.officer), results="18 contracts.")
    services.practice_submit(practice, by=fresh(world.officer))
    services.practice_publish(practice, by=fresh(world.coordinator))
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED
    assert practice.published_at
    services.practice_withdraw(practice, by=fresh(world.expert), comment="Outdated figures.")
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED
    assert list(PracticeReview.objects.values_list("action", flat=True)) == [
        ReviewAction.SUBMITTED,
        ReviewAction.RETURNED,
        ReviewAction.SUBMITTED,
        ReviewAction.PUBLISHED,
        ReviewAction.WITHDRAWN,
    ]


def test_a_practice_may_go_to_review_without_a_target_group(world):
    """Naming a target group is optional: a practice on air quality has none of the groups of a
    migration programme."""
    practice = draft(world, target_groups=[])
    practice = services.practice_submit(practice, by=fresh(world.officer))
    assert practice.status == "in_review"


@pytest.mark.parametrize(
    "reviewer",
    ["other_expert", "outsider_expert", "outsider_coordinator", "officer", "supervisor", "partner"],
)
def test_only_the_themes_expert_or_a_coordinator_reviews(world, reviewer):
    practice = draft(world)
    services.practice_submit(practice, by=fresh(world.officer))
    person = fresh(getattr(world, reviewer))
    with pytest.raises(ValidationError):
        services.practice_publish(practice, by=person)
    with pytest.raises(ValidationError):
        services.practice_return(practice, by=person, comment="No.")
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.IN_REVIEW


def test_a_draft_cannot_be_published_without_review(world):
    practice = draft(world)
    with pytest.raises(ValidationError):
        services.practice_publish(practice, by=fresh(world.expert))


def test_only_published_practices_go_into_a_toolkit_once(world):
    ready = published(world)
    unready = draft(world, title="Not yet")
    toolkit = toolkit_with(world, [ready])
    with pytest.raises(ValidationError) as refused:
        services.toolkit_set_practices(toolkit, by=fresh(world.expert), practices=[unready])
    assert "Not yet" in str(refused.value)
    with pytest.raises(ValidationError):
        services.toolkit_set_practices(toolkit, by=fresh(world.expert), practices=[ready, ready])
    assert [e.practice for e in toolkit.entries.all()] == [ready]


def test_toolkits_are_edited_by_the_themes_expert_and_coordinators_only(world):
    toolkit = toolkit_with(world, [published(world)])
    for person in (world.other_expert, world.officer, world.partner, world.outsider_coordinator):
        with pytest.raises(ValidationError):
            services.toolkit_update(toolkit, by=fresh(person), title="Mine now")
        with pytest.raises(ValidationError):
            services.edition_publish(toolkit, by=fresh(person))
    services.toolkit_update(toolkit, by=fresh(world.coordinator), title="Renamed")
    assert not ToolkitEdition.objects.exists()


def test_editions_are_numbered_and_keep_the_content_they_were_published_with(world):
    first, second = published(world, title="First"), published(world, title="Second")
    toolkit = toolkit_with(world, [first, second])
    one = services.edition_publish(toolkit, by=fresh(world.expert), notes="First edition")
    services.toolkit_set_practices(toolkit, by=fresh(world.expert), practices=[second, first])
    services.practice_update(first, by=fresh(world.expert), title="First, corrected")
    two = services.edition_publish(toolkit, by=fresh(world.coordinator))
    one.refresh_from_db()
    assert (one.number, two.number) == (1, 2)
    assert [p["title"] for p in one.snapshot["practices"]] == ["First", "Second"]
    assert [p["title"] for p in two.snapshot["practices"]] == ["Second", "First, corrected"]
    assert one.snapshot["success_factors"] == [
        {"name": "Leadership", "description": "A political sponsor."}
    ]
    assert one.content_hash != two.content_hash


def test_an_edition_published_earlier_keeps_its_date_and_is_never_dated_ahead(world):
    """An edition that came out before it was entered (the demo's, an import's) keeps its date,
    which its checksum covers; it cannot be dated in the future or before the one it follows."""
    toolkit = toolkit_with(world, [published(world)])
    today = timezone.localdate()
    with pytest.raises(ValidationError) as ahead:
        services.edition_publish(
            toolkit, by=fresh(world.expert), published_on=today + timedelta(days=1)
        )
    assert "published_on" in ahead.value.message_dict
    first = services.edition_publish(
        toolkit, by=fresh(world.expert), published_on=date(2018, 9, 11)
    )
    assert first.published_on == date(2018, 9, 11)
    with pytest.raises(ValidationError) as before:
        services.edition_publish(toolkit, by=fresh(world.expert), published_on=date(2018, 9, 10))
    assert before.value.message_dict["published_on"] == [
        "An edition cannot be dated before the edition it follows."
    ]
    second = services.edition_publish(toolkit, by=fresh(world.expert))
    assert (second.number, second.published_on) == (2, today)
    assert first.content_hash != second.content_hash


def test_a_toolkit_without_published_practices_cannot_be_published(world):
    practice = published(world)
    toolkit = toolkit_with(world, [practice])
    services.practice_withdraw(practice, by=fresh(world.expert), comment="Outdated.")
    with pytest.raises(ValidationError):
        services.edition_publish(toolkit, by=fresh(world.expert))


def test_the_checksum_follows_the_content_and_the_language(world):
    practice = published(world)
    before = services.practice_rendering_hash(practice, "en")
    assert before == services.practice_rendering_hash(practice, "en")
    assert before != services.practice_rendering_hash(practice, "fr")
    services.practice_update(practice, by=fresh(world.expert), summary="A sharper summary.")
    assert services.practice_rendering_hash(practice, "en") != before
    assert checksum(practice_snapshot(practice)) == checksum(practice_snapshot(practice))


def test_pdfs_come_only_in_the_portals_languages_and_of_published_practices(world):
    practice = draft(world)
    with pytest.raises(ValidationError):
        services.practice_rendering(practice, language="en")
    practice = published(world, title="Ready")
    with pytest.raises(ValidationError) as refused:
        services.practice_rendering(practice, language="xx")
    assert "language" in refused.value.message_dict


def test_the_service_itself_refuses_bad_links(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, links="https://example.org/ok\njavascript:alert(1)")
    assert "Line 2" in refused.value.message_dict["links"][0]
    practice = draft(world, links="  https://example.org/a \n\n http://example.org/b ")
    assert practice.links == "https://example.org/a\nhttp://example.org/b"


def test_the_service_itself_refuses_a_file_that_is_not_an_image(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    practice = draft(world)
    fake = SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        services.practice_image_add(practice, by=fresh(world.officer), image=fake, alt_text="A")
    assert "image" in refused.value.message_dict
    assert not practice.images.exists()


def test_a_toolkit_holds_practices_of_its_own_theme_only(world):
    ours = published(world)
    theirs = published(world, scheme=world.other_scheme, title="Another theme")
    toolkit = toolkit_with(world, [ours])
    with pytest.raises(ValidationError) as refused:
        services.toolkit_set_practices(toolkit, by=fresh(world.coordinator), practices=[theirs])
    assert "Another theme" in str(refused.value)
    assert [e.practice for e in toolkit.entries.all()] == [ours]
