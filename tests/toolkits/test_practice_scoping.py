"""Who may do what on every URL of writing and reviewing practices: an endpoint × role matrix of
status codes, and a database (and media folder) left untouched by every refused request.

404 where the practice is outside the person's sight (drafts and practices in review of another
city, or of a theme they do not review), 403 where it is visible (published, or their own) but
the action is not theirs, a redirect to sign in for anonymous visitors on the workspace pages.
A published practice's images are public.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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
from toolkits.models import GoodPractice, PracticeImage, PracticeReview

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "officer",
    "supervisor",
    "other_officer",
    "expert",
    "other_expert",
    "coordinator",
    "outsider_coordinator",
    "outsider_expert",
    "partner",
]
# Who sees the city's practices of theme A before they are published.
VIEWERS = {"officer", "expert", "coordinator"}
REVIEWERS = {"expert", "coordinator"}
AUTHORS_AND_REVIEWERS = {"officer", "expert", "coordinator"}
OFFICERS = {"officer", "other_officer"}
ANYONE_REVIEWING = {
    "expert",
    "other_expert",
    "coordinator",
    "outsider_coordinator",
    "outsider_expert",
}


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class Scene:
    world: object
    practices: dict
    images: dict
    media: Path


@pytest.fixture
def scene(settings, tmp_path) -> Scene:
    settings.MEDIA_ROOT = tmp_path
    w = build_toolkit_world()
    practices = {
        "draft": draft(w, title="Secret draft"),
        "in_review": services.practice_submit(
            draft(w, title="Secret in review"), by=fresh(w.officer)
        ),
        "published": published(w, title="Public practice"),
    }
    images = {
        state: services.practice_image_add(
            practices[state],
            by=fresh(w.expert),
            image=SimpleUploadedFile(f"{state}.png", png()),
            alt_text=f"Image of the {state} practice",
        )
        for state in ("draft", "published")
    }
    return Scene(w, practices, images, tmp_path)


def form_data(world) -> dict:
    return {
        "scheme": world.scheme.pk,
        "title": "Changed by someone",
        "language": "en",
        "summary": "Changed.",
        "challenge": "Changed.",
        "actions": "Changed.",
        "results": "Changed.",
        "target_groups": [target_group("refugees").pk],
        "currency": "EUR",
        "started_on": "2017-01-01",
        "transferability": "Changed.",
    }


def upload(world) -> dict:
    return {"image": SimpleUploadedFile("new.png", png()), "alt_text": "A new image"}


@dataclass
class Case:
    name: str
    method: str
    url: Callable[[Scene], str]
    allowed: set
    ok: int
    practice: str | None = None  # the state of the practice the URL is about
    data: Callable | None = None
    anonymous: object = "login"
    extra: dict = field(default_factory=dict)


def practice_url(name: str, state: str) -> Callable[[Scene], str]:
    return lambda s: reverse(f"toolkits:{name}", args=[s.practices[state].slug])


def image_url(name: str, state: str) -> Callable[[Scene], str]:
    return lambda s: reverse(f"toolkits:{name}", args=[s.practices[state].slug, s.images[state].pk])


def plain_url(name: str) -> Callable[[Scene], str]:
    return lambda s: reverse(f"toolkits:{name}")


CASES = [
    Case("my_practices", "get", plain_url("my_practices"), OFFICERS, 200),
    Case("create-get", "get", plain_url("practice_create"), OFFICERS, 200),
    Case("create-post", "post", plain_url("practice_create"), OFFICERS, 302, data=form_data),
    Case("review_queue", "get", plain_url("review_queue"), ANYONE_REVIEWING, 200),
]
for state, editors in [
    ("draft", AUTHORS_AND_REVIEWERS),
    ("in_review", REVIEWERS),
    ("published", REVIEWERS),
]:
    CASES += [
        Case(f"edit-get-{state}", "get", practice_url("practice_edit", state), editors, 200, state),
        Case(
            f"edit-post-{state}",
            "post",
            practice_url("practice_edit", state),
            editors,
            302,
            state,
            data=form_data,
        ),
        Case(
            f"images-get-{state}",
            "get",
            practice_url("practice_images", state),
            editors,
            200,
            state,
        ),
        Case(
            f"images-post-{state}",
            "post",
            practice_url("practice_images", state),
            editors,
            302,
            state,
            data=upload,
        ),
        Case(
            f"submit-{state}",
            "post",
            practice_url("practice_submit", state),
            {"officer"} if state == "draft" else set(),
            302,
            state,
        ),
        Case(
            f"review-get-{state}",
            "get",
            practice_url("practice_review", state),
            REVIEWERS,
            200,
            state,
        ),
    ]
for state in ("draft", "published"):
    editors = AUTHORS_AND_REVIEWERS if state == "draft" else REVIEWERS
    CASES += [
        Case(
            f"image-delete-{state}",
            "post",
            image_url("practice_image_delete", state),
            editors,
            302,
            state,
        ),
        Case(
            f"image-file-{state}",
            "get",
            image_url("practice_image", state),
            set(ROLES),
            200,
            state,
            anonymous=200 if state == "published" else 404,
        ),
    ]
CASES += [
    Case(
        "review-return",
        "post",
        practice_url("practice_review", "in_review"),
        REVIEWERS,
        302,
        "in_review",
        data=lambda w: {"action": "return", "comment": "Please add figures."},
    ),
    Case(
        "review-publish",
        "post",
        practice_url("practice_review", "in_review"),
        REVIEWERS,
        302,
        "in_review",
        data=lambda w: {"action": "publish"},
    ),
    Case(
        "withdraw-published",
        "post",
        practice_url("practice_withdraw", "published"),
        REVIEWERS,
        302,
        "published",
        data=lambda w: {"comment": "Out of date."},
    ),
    # Allowed to try, but the practice is not published: the service says no (400).
    Case(
        "withdraw-draft",
        "post",
        practice_url("practice_withdraw", "draft"),
        REVIEWERS,
        400,
        "draft",
        data=lambda w: {"comment": "Out of date."},
    ),
]


def expected(case: Case, role: str):
    if role == "anonymous":
        return case.anonymous
    if case.practice not in (None, "published") and role not in VIEWERS:
        return 404
    return case.ok if role in case.allowed else 403


def snapshot(media: Path) -> dict:
    """Everything a request of these pages could change."""
    return {
        "practices": sorted(GoodPractice.objects.values_list()),
        "target_groups": sorted(GoodPractice.target_groups.through.objects.values_list()),
        "commitments": sorted(GoodPractice.commitments.through.objects.values_list()),
        "reviews": sorted(PracticeReview.objects.values_list()),
        "images": sorted(PracticeImage.objects.values_list()),
        "files": sorted(str(p) for p in media.rglob("*") if p.is_file()),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_by_role(client, scene, case, role):
    user = getattr(scene.world, role) if role != "anonymous" else None
    if user is not None:
        client.force_login(user)
    url = case.url(scene)
    before = snapshot(scene.media)
    data = case.data(scene.world) if case.data else {}
    response = getattr(client, case.method)(url, data)
    want = expected(case, role)
    if want == "login":
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    else:
        assert response.status_code == want, (url, role)
    succeeded = want in (200, 302) and case.method == "post"
    if succeeded:
        assert snapshot(scene.media) != before, (url, role)
    else:
        assert snapshot(scene.media) == before, (url, role)


@pytest.mark.parametrize("role", ["officer", "expert", "coordinator", "anonymous"])
def test_an_image_is_found_only_under_its_own_practice(client, scene, role):
    if role != "anonymous":
        client.force_login(getattr(scene.world, role))
    public, secret = scene.practices["published"], scene.images["draft"]
    before = snapshot(scene.media)
    file_url = reverse("toolkits:practice_image", args=[public.slug, secret.pk])
    assert client.get(file_url).status_code == 404
    delete_url = reverse("toolkits:practice_image_delete", args=[public.slug, secret.pk])
    response = client.post(delete_url)
    assert response.status_code == (302 if role == "anonymous" else 404)
    assert snapshot(scene.media) == before


def test_an_unknown_practice_is_a_404(client, scene):
    client.force_login(scene.world.expert)
    assert (
        client.get(reverse("toolkits:practice_edit", args=["no-such-practice"])).status_code == 404
    )


def test_another_citys_officer_does_not_see_the_citys_practices(client, scene):
    client.force_login(scene.world.other_officer)
    html = client.get(reverse("toolkits:my_practices")).content.decode()
    for title in ("Secret draft", "Secret in review", "Public practice"):
        assert title not in html


@pytest.mark.parametrize("role", ["other_expert", "outsider_coordinator", "outsider_expert"])
def test_reviewers_of_other_themes_do_not_see_the_practices_in_their_queue(client, scene, role):
    client.force_login(getattr(scene.world, role))
    html = client.get(reverse("toolkits:review_queue")).content.decode()
    for title in ("Secret draft", "Secret in review", "Public practice"):
        assert title not in html


def test_the_expert_sees_the_themes_practices_in_the_queue(client, scene):
    client.force_login(scene.world.expert)
    html = client.get(reverse("toolkits:review_queue")).content.decode()
    assert "Secret in review" in html
    assert "Public practice" in html
    assert "Secret draft" not in html


def test_the_city_field_offers_only_the_officers_cities(client, scene):
    from tests.accounts.factories import CityOfficerFactory

    second = CityOfficerFactory(user=scene.world.officer).city
    client.force_login(fresh(scene.world.officer))
    html = client.get(reverse("toolkits:practice_create")).content.decode()
    assert str(second.name) in html
    assert scene.world.other_city.name not in html
    data = form_data(scene.world) | {"city": scene.world.other_city.pk}
    before = snapshot(scene.media)
    assert client.post(reverse("toolkits:practice_create"), data).status_code == 400
    assert snapshot(scene.media) == before
