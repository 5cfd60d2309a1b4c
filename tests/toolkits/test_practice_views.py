"""Writing and reviewing good practices through the pages: the whole workflow from a new draft to
a withdrawn publication, each decision's error path (400 with the message, never a 500), the
officer's list and the reviewer's queue with query counts that do not grow with the rows, and
the practice's images served with their type."""

import re
from html import unescape
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests.toolkits.factories import (
    build_toolkit_world,
    draft,
    fresh,
    published,
    target_group,
)
from toolkits import services
from toolkits.models import GoodPractice, PracticeImage, PracticeReview, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_toolkit_world()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def text(html: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def form_data(world, **overrides) -> dict:
    data = {
        "scheme": world.scheme.pk,
        "title": "Tenders in lots",
        "language": "en",
        "summary": "Smaller lots let small firms bid.",
        "challenge": "Few migrant entrepreneurs won contracts.",
        "actions": "Split tenders and coached 40 firms.",
        "results": "12 firms won 18 contracts.",
        "target_groups": [target_group("entrepreneurs").pk],
        "budget": "1000.00",
        "eu_contribution": "",
        "currency": "EUR",
        "started_on": "2017-01-01",
        "ended_on": "",
        "transferability": "A procurement team.",
        "links": "",
    }
    data.update(overrides)
    return data


def submit(world, practice):
    return services.practice_submit(practice, by=fresh(world.officer))


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 3), "orange").save(buffer, "PNG")
    return buffer.getvalue()


# The workflow ------------------------------------------------------------------------------------


def test_the_whole_workflow_through_the_pages(client, world):
    officer, expert = world.officer, world.expert
    client.force_login(officer)
    response = client.post(reverse("toolkits:practice_create"), form_data(world))
    practice = GoodPractice.objects.get()
    assert response.status_code == 302
    assert practice.status == "draft"
    slug = practice.slug

    response = client.post(reverse("toolkits:practice_submit", args=[slug]), follow=True)
    assert response.redirect_chain == [(reverse("toolkits:my_practices"), 302)]
    assert "“Tenders in lots” went to the theme's reviewers." in text(response.content.decode())
    practice.refresh_from_db()
    assert practice.status == "in_review"
    assert client.get(reverse("toolkits:practice_edit", args=[slug])).status_code == 403

    client.force_login(expert)
    queue = client.get(reverse("toolkits:review_queue")).content.decode()
    assert "Tenders in lots" in text(queue)
    response = client.post(
        reverse("toolkits:practice_review", args=[slug]),
        {"action": "return", "comment": "Give the value of the contracts."},
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "returned"

    client.force_login(officer)
    mine = text(client.get(reverse("toolkits:my_practices")).content.decode())
    assert "Returned with comments" in mine
    assert "Give the value of the contracts." in mine
    edit = client.get(reverse("toolkits:practice_edit", args=[slug]))
    assert "Give the value of the contracts." in text(edit.content.decode())
    response = client.post(
        reverse("toolkits:practice_edit", args=[slug]),
        form_data(world, results="12 firms won 18 contracts worth €240,000."),
    )
    assert response.status_code == 302
    response = client.post(reverse("toolkits:practice_submit", args=[slug]))
    assert response.status_code == 302

    client.force_login(expert)
    response = client.post(
        reverse("toolkits:practice_review", args=[slug]), {"action": "publish", "comment": ""}
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.status, practice.results) == (
        "published",
        "12 firms won 18 contracts worth €240,000.",
    )
    assert practice.published_at is not None
    assert practice.slug == slug

    response = client.post(
        reverse("toolkits:practice_withdraw", args=[slug]), {"comment": "The figures are wrong."}
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "returned"
    steps = list(PracticeReview.objects.order_by("at", "pk").values_list("action", "by", "comment"))
    assert steps == [
        ("submitted", officer.pk, ""),
        ("returned", expert.pk, "Give the value of the contracts."),
        ("submitted", officer.pk, ""),
        ("published", expert.pk, ""),
        ("withdrawn", expert.pk, "The figures are wrong."),
    ]
    history = text(client.get(reverse("toolkits:practice_review", args=[slug])).content.decode())
    assert "Withdrawn from publication" in history
    assert "The figures are wrong." in history


def test_a_coordinator_reviews_too(client, world):
    practice = submit(world, draft(world))
    client.force_login(world.coordinator)
    response = client.post(
        reverse("toolkits:practice_review", args=[practice.slug]), {"action": "publish"}
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "published"


def test_a_reviewer_corrects_a_practice_in_review(client, world):
    practice = submit(world, draft(world))
    client.force_login(world.expert)
    url = reverse("toolkits:practice_edit", args=[practice.slug])
    page = client.get(url).content.decode()
    assert reverse("toolkits:practice_review", args=[practice.slug]) in page
    response = client.post(url, form_data(world, title="Corrected title"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.status) == ("Corrected title", "in_review")


# Error paths -------------------------------------------------------------------------------------


def test_returning_needs_a_comment_on_the_field(client, world):
    practice = submit(world, draft(world))
    client.force_login(world.expert)
    response = client.post(
        reverse("toolkits:practice_review", args=[practice.slug]),
        {"action": "return", "comment": "   "},
    )
    assert response.status_code == 400
    form = response.context["return_form"]
    assert form.errors == {"comment": ["Say what the authors should change."]}
    html = response.content.decode()
    assert 'id="id_return_comment_error"' in html
    assert 'aria-describedby="id_return_comment_helptext id_return_comment_error"' in html
    practice.refresh_from_db()
    assert practice.status == "in_review"
    assert PracticeReview.objects.filter(action="returned").count() == 0


def test_a_decision_on_a_practice_not_in_review_is_a_400_with_the_reason(client, world):
    practice = draft(world)
    client.force_login(world.expert)
    response = client.post(
        reverse("toolkits:practice_review", args=[practice.slug]), {"action": "publish"}
    )
    assert response.status_code == 400
    assert response.context["publish_form"].non_field_errors() == [
        "Only a practice in review can be published."
    ]
    assert "Only a practice in review can be published." in text(response.content.decode())
    practice.refresh_from_db()
    assert practice.status == "draft"


def test_an_unknown_review_action_is_a_400(client, world):
    practice = submit(world, draft(world))
    client.force_login(world.expert)
    response = client.post(
        reverse("toolkits:practice_review", args=[practice.slug]), {"action": "delete"}
    )
    assert response.status_code == 400
    assert "Choose whether to publish the practice or return it." in text(response.content.decode())


def test_withdrawing_needs_a_comment_and_a_published_practice(client, world):
    practice = published(world)
    client.force_login(world.expert)
    url = reverse("toolkits:practice_withdraw", args=[practice.slug])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 400
    assert response.context["withdraw_form"].errors == {
        "comment": ["Say why the practice is withdrawn."]
    }
    practice.refresh_from_db()
    assert practice.status == "published"
    other = submit(world, draft(world, title="Still in review"))
    response = client.post(
        reverse("toolkits:practice_withdraw", args=[other.slug]), {"comment": "Why not"}
    )
    assert response.status_code == 400
    assert response.context["withdraw_form"].non_field_errors() == [
        "Only a published practice can be withdrawn."
    ]
    assert "Only a published practice can be withdrawn." in text(response.content.decode())


def test_an_invalid_edit_keeps_the_practice_unchanged(client, world):
    practice = draft(world)
    client.force_login(world.officer)
    response = client.post(
        reverse("toolkits:practice_edit", args=[practice.slug]),
        form_data(world, title="", budget="5", eu_contribution="6"),
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "eu_contribution"}
    practice.refresh_from_db()
    assert practice.title == "Buying from newcomers' businesses"


def test_a_practice_without_target_groups_goes_to_review(client, world):
    """Naming a target group is optional (issue 15)."""
    practice = draft(world, target_groups=[])
    client.force_login(world.officer)
    response = client.post(reverse("toolkits:practice_submit", args=[practice.slug]))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "in_review"


@pytest.mark.parametrize("name", ["practice_submit", "practice_withdraw", "practice_image_delete"])
def test_post_only_endpoints_refuse_get(client, world, name):
    practice = published(world)
    picture = services.practice_image_add(
        practice,
        by=fresh(world.expert),
        image=SimpleUploadedFile("a.png", png()),
        alt_text="A",
    )
    kwargs = {"slug": practice.slug}
    if name == "practice_image_delete":
        kwargs["pk"] = picture.pk
    client.force_login(world.expert)
    assert client.get(reverse(f"toolkits:{name}", kwargs=kwargs)).status_code == 405


# Lists -------------------------------------------------------------------------------------------


def test_my_practices_lists_the_citys_practices_with_their_actions(client, world):
    mine = draft(world, title="Our draft")
    in_review = submit(world, draft(world, title="Our practice in review"))
    draft(world, city=world.other_city, title="Riga's own practice")
    client.force_login(world.officer)
    response = client.get(reverse("toolkits:my_practices"))
    html = response.content.decode()
    words = text(html)
    assert "Our draft" in words
    assert "Our practice in review" in words
    assert "Riga's own practice" not in words
    assert reverse("toolkits:practice_create") in html
    assert reverse("toolkits:practice_edit", args=[mine.slug]) in html
    assert reverse("toolkits:practice_submit", args=[mine.slug]) in html
    assert reverse("toolkits:practice_edit", args=[in_review.slug]) not in html
    assert reverse("toolkits:practice_submit", args=[in_review.slug]) not in html
    assert reverse("toolkits:practice", args=[in_review.slug]) in html
    assert "In review" in words


def test_the_review_queue_shows_waiting_and_decided_practices(client, world):
    waiting = submit(world, draft(world, title="Waiting one"))
    published(world, title="Published one")
    returned = submit(world, draft(world, title="Returned one"))
    services.practice_return(returned, by=fresh(world.expert), comment="More figures")
    draft(world, title="Unsent draft")
    submit(world, draft(world, title="Other theme's", scheme=world.other_scheme))
    client.force_login(world.expert)
    html = client.get(reverse("toolkits:review_queue")).content.decode()
    words = text(html)
    assert "Waiting one" in words
    assert "Published one" in words
    assert "Returned one" in words
    assert "Returned with comments by Eve Expert" in words
    assert "Unsent draft" not in words
    assert "Other theme's" not in words
    assert reverse("toolkits:practice_review", args=[waiting.slug]) in html
    client.force_login(world.coordinator)
    words = text(client.get(reverse("toolkits:review_queue")).content.decode())
    assert "Other theme's" in words


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _practices(world, n, start=0):
    """Practices in turn a draft, in review, published and returned."""
    for i in range(start, n):
        practice = draft(world, title=f"Practice {i:02d}")
        if i % 4:
            submit(world, practice)
        if i % 4 == 2:
            services.practice_publish(practice, by=fresh(world.expert))
        if i % 4 == 3:
            services.practice_return(practice, by=fresh(world.expert), comment="More")


@pytest.mark.parametrize("name", ["my_practices", "review_queue"])
def test_the_lists_issue_the_same_number_of_queries_with_2_and_20_practices(
    client, world, name, django_assert_num_queries
):
    user = world.officer if name == "my_practices" else world.expert
    client.force_login(user)
    url = reverse(f"toolkits:{name}")
    _practices(world, 2)
    small = _count(client, url)
    _practices(world, 20, start=2)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert "Practice 19" in text(response.content.decode())


# Images ------------------------------------------------------------------------------------------


def test_images_are_listed_served_with_their_type_and_removed(client, world, media):
    practice = draft(world)
    client.force_login(world.officer)
    url = reverse("toolkits:practice_images", args=[practice.slug])
    response = client.post(
        url,
        {
            "image": SimpleUploadedFile("plan.png", png()),
            "alt_text": "A map of the <b>lots</b>",
            "caption": "Lots",
        },
    )
    assert response.status_code == 302
    picture = PracticeImage.objects.get()
    file_url = reverse("toolkits:practice_image", args=[practice.slug, picture.pk])
    html = client.get(url).content.decode()
    assert f'src="{file_url}" alt="A map of the &lt;b&gt;lots&lt;/b&gt;"' in html
    assert reverse("toolkits:practice_image_delete", args=[practice.slug, picture.pk]) in html

    served = client.get(file_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == png()

    response = client.post(
        reverse("toolkits:practice_image_delete", args=[practice.slug, picture.pk])
    )
    assert response.status_code == 302
    assert not PracticeImage.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []
    assert client.get(file_url).status_code == 404


def test_a_published_practices_image_is_served_to_anyone(client, world):
    practice = published(world)
    picture = services.practice_image_add(
        practice, by=fresh(world.expert), image=SimpleUploadedFile("a.png", png()), alt_text="A"
    )
    response = client.get(reverse("toolkits:practice_image", args=[practice.slug, picture.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


# The technical administration --------------------------------------------------------------------


def test_the_admin_pages_of_practices_and_toolkits_open(client, world, admin_user):
    from tests.toolkits.factories import toolkit_with

    practice = published(world)
    services.practice_image_add(
        practice, by=fresh(world.expert), image=SimpleUploadedFile("a.png", png()), alt_text="A"
    )
    toolkit = toolkit_with(world, [practice])
    edition = services.edition_publish(toolkit, by=fresh(world.expert))
    client.force_login(admin_user)
    pages = [
        ("goodpractice", practice.pk),
        ("toolkit", toolkit.pk),
        ("toolkitedition", edition.pk),
        ("targetgroup", TargetGroup.objects.first().pk),
        ("rendering", None),
    ]
    for model, pk in pages:
        url = reverse(f"admin:toolkits_{model}_changelist")
        assert client.get(url, {"q": "newcomers"}).status_code == 200, url
        if pk is not None:
            url = reverse(f"admin:toolkits_{model}_change", args=[pk])
            assert client.get(url).status_code == 200, url
    page = client.get(reverse("admin:toolkits_goodpractice_change", args=[practice.pk]))
    assert "Published" in page.content.decode()
    assert client.get(reverse("admin:toolkits_toolkitedition_add")).status_code == 403
