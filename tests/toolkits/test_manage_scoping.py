"""Who may open and use each toolkit editing page: a role × endpoint matrix of status codes,
and a database left untouched by every refused request.

The theme's expert partner and the programme's coordinators edit its toolkits. For everyone
else a toolkit's editing pages do not exist (404), whether they review another theme, coordinate
another programme or hold no reviewing role at all; the workspace and the new-toolkit page
answer 403 to people who manage no theme, and anonymous visitors are sent to sign in.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from toolkits import services
from toolkits.models import (
    GoodPractice,
    Rendering,
    SuccessFactor,
    Toolkit,
    ToolkitEdition,
    ToolkitEntry,
)

from .factories import ToolkitWorld, build_toolkit_world, fresh, published, toolkit_with

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "officer",
    "supervisor",
    "partner",
    "expert",
    "other_expert",
    "coordinator",
    "outsider_coordinator",
    "outsider_expert",
]
MANAGERS = ("expert", "coordinator")
SECRET_TITLE = "Unpublished buyers toolkit"


@dataclass
class Scene:
    world: ToolkitWorld
    users: dict
    toolkit: Toolkit
    one: GoodPractice
    two: GoodPractice


@pytest.fixture
def scene() -> Scene:
    w = build_toolkit_world()
    one = published(w, title="One")
    two = published(w, title="Two")
    toolkit = toolkit_with(w, [one], title=SECRET_TITLE)
    users = {role: getattr(w, role) if role != "anonymous" else None for role in ROLES}
    return Scene(w, users, toolkit, one, two)


def database() -> dict:
    """Everything a toolkit editing request could change."""
    return {
        "toolkits": sorted(
            Toolkit.objects.values_list(
                "pk", "scheme_id", "title", "slug", "introduction", "language"
            )
        ),
        "entries": sorted(
            ToolkitEntry.objects.values_list("toolkit_id", "practice_id", "position")
        ),
        "factors": sorted(
            SuccessFactor.objects.values_list("toolkit_id", "position", "name", "description")
        ),
        "editions": sorted(ToolkitEdition.objects.values_list("toolkit_id", "number", "notes")),
        "renderings": sorted(Rendering.objects.values_list("edition_id", "language")),
    }


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[Scene], str]
    expected: dict[str, int]
    data: Callable[[Scene], dict] | None = None
    secret: bool = False  # the toolkit's title is shown only to its managers


def statuses(default: int, **roles: int) -> dict[str, int]:
    table = {role: default for role in ROLES}
    table["anonymous"] = 302
    table.update(roles)
    return table


def on_toolkit(name: str) -> Callable[[Scene], str]:
    return lambda s: reverse(f"toolkits:{name}", kwargs={"slug": s.toolkit.slug})


REVIEWERS = {"other_expert": 200, "outsider_coordinator": 200, "outsider_expert": 200}

FACTORS = {
    "factors-TOTAL_FORMS": "1",
    "factors-INITIAL_FORMS": "0",
    "factors-MIN_NUM_FORMS": "0",
    "factors-MAX_NUM_FORMS": "1000",
    "factors-0-name": "Changed",
    "factors-0-description": "",
    "factors-0-ORDER": "1",
}

ENDPOINTS = [
    Endpoint(
        "toolkit_workspace",
        "get",
        lambda s: reverse("toolkits:toolkit_workspace"),
        statuses(403, expert=200, coordinator=200, **REVIEWERS),
        secret=True,
    ),
    Endpoint(
        "toolkit_create",
        "get",
        lambda s: reverse("toolkits:toolkit_create"),
        statuses(403, expert=200, coordinator=200, **REVIEWERS),
    ),
    Endpoint(
        "toolkit_create (save, this theme)",
        "post",
        lambda s: reverse("toolkits:toolkit_create"),
        # Reviewers of other themes are not offered this one: their choice is refused.
        statuses(403, expert=302, coordinator=302, **{k: 400 for k in REVIEWERS}),
        data=lambda s: {"scheme": s.world.scheme.pk, "title": "New", "language": "en"},
    ),
    Endpoint(
        "toolkit_edit",
        "get",
        on_toolkit("toolkit_edit"),
        statuses(404, expert=200, coordinator=200),
        secret=True,
    ),
    Endpoint(
        "toolkit_edit (save)",
        "post",
        on_toolkit("toolkit_edit"),
        statuses(404, expert=302, coordinator=302),
        data=lambda s: {"title": "Changed", "introduction": "Changed", "language": "fr"},
    ),
    Endpoint(
        "toolkit_practices",
        "get",
        on_toolkit("toolkit_practices"),
        statuses(404, expert=200, coordinator=200),
        secret=True,
    ),
    Endpoint(
        "toolkit_practices (save)",
        "post",
        on_toolkit("toolkit_practices"),
        statuses(404, expert=302, coordinator=302),
        data=lambda s: {
            "practices": [str(s.two.pk), str(s.one.pk)],
            f"position-{s.one.pk}": "2",
            f"position-{s.two.pk}": "1",
        },
    ),
    Endpoint(
        "toolkit_factors",
        "get",
        on_toolkit("toolkit_factors"),
        statuses(404, expert=200, coordinator=200),
        secret=True,
    ),
    Endpoint(
        "toolkit_factors (save)",
        "post",
        on_toolkit("toolkit_factors"),
        statuses(404, expert=302, coordinator=302),
        data=lambda s: FACTORS,
    ),
    Endpoint(
        "edition_publish",
        "get",
        on_toolkit("edition_publish"),
        statuses(404, expert=200, coordinator=200),
        secret=True,
    ),
    Endpoint(
        "edition_publish (publish)",
        "post",
        on_toolkit("edition_publish"),
        statuses(404, expert=302, coordinator=302),
        data=lambda s: {"notes": "Out now", "after": "0"},
    ),
    *[
        Endpoint(f"{name} (DELETE)", "delete", on_toolkit(name), statuses(405))
        for name in ("toolkit_edit", "toolkit_practices", "toolkit_factors", "edition_publish")
    ],
    Endpoint(
        "toolkit_workspace (POST)",
        "post",
        lambda s: reverse("toolkits:toolkit_workspace"),
        statuses(405),
    ),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_role_by_endpoint_matrix(client, scene, endpoint):
    """Each role in turn, in a savepoint rolled back afterwards so that one role's change does
    not meet the next one."""
    url = endpoint.url(scene)
    data = endpoint.data(scene) if endpoint.data else {}
    got, leaks, changed, unchanged = {}, [], [], []
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            user = scene.users[role]
            if user is not None:
                client.force_login(user)
            before = database()
            response = getattr(client, endpoint.method)(url, data)
            got[role] = response.status_code
            if role == "anonymous":
                assert response.status_code == 302
                assert response.url.startswith(reverse("account_login")), response.url
            if endpoint.secret and response.status_code == 200:
                shown = SECRET_TITLE in response.content.decode()
                if shown != (role in MANAGERS):
                    leaks.append(role)
            refused = role == "anonymous" or response.status_code >= 400
            if refused and database() != before:
                changed.append(role)
            if not refused and endpoint.method == "post" and database() == before:
                unchanged.append(role)
            transaction.set_rollback(True)
    assert got == endpoint.expected
    assert leaks == [], f"{endpoint.name}: shown to the wrong people"
    assert changed == [], f"{endpoint.name}: refused requests changed the database"
    assert unchanged == [], f"{endpoint.name}: accepted requests did nothing"


def test_every_url_of_the_editing_pages_is_in_the_matrix():
    from toolkits import urls
    from toolkits.views import manage

    names = {p.name for p in urls.urlpatterns if p.callback.__module__ == manage.__name__}
    covered = {endpoint.name.split(" ")[0] for endpoint in ENDPOINTS}
    assert names <= covered, names - covered


def test_experts_do_not_reach_the_toolkits_of_another_theme(client, scene):
    w = scene.world
    theirs = services.toolkit_create(scheme=w.other_scheme, by=fresh(w.other_expert), title="B")
    client.force_login(w.expert)
    for name in ("toolkit_edit", "toolkit_practices", "toolkit_factors", "edition_publish"):
        path = reverse(f"toolkits:{name}", kwargs={"slug": theirs.slug})
        assert client.get(path).status_code == 404, name
        assert client.post(path, {}).status_code == 404, name
    page = client.get(reverse("toolkits:toolkit_workspace")).content.decode()
    assert SECRET_TITLE in page
    assert reverse("toolkits:toolkit_edit", kwargs={"slug": theirs.slug}) not in page
    # The coordinator of the programme sees both.
    client.force_login(w.coordinator)
    page = client.get(reverse("toolkits:toolkit_workspace")).content.decode()
    assert reverse("toolkits:toolkit_edit", kwargs={"slug": theirs.slug}) in page
    assert reverse("toolkits:toolkit_edit", kwargs={"slug": scene.toolkit.slug}) in page


def test_an_expert_cannot_put_another_themes_practice_in_the_toolkit(client, scene):
    w = scene.world
    foreign = published(w, scheme=w.other_scheme, title="Foreign")
    client.force_login(w.expert)
    response = client.post(
        reverse("toolkits:toolkit_practices", kwargs={"slug": scene.toolkit.slug}),
        {"practices": [str(foreign.pk)], f"position-{foreign.pk}": "1"},
    )
    assert response.status_code == 400
    assert list(scene.toolkit.entries.values_list("practice_id", flat=True)) == [scene.one.pk]
