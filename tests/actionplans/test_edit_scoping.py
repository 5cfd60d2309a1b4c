"""Who may open and use each page of the plan's content: a role × endpoint matrix of status
codes, and a database left untouched by every refused request.

Officers of the implementing city edit the plan while it is a draft or changes are requested.
Those who see the plan but do not write it (the mentor city, the expert, the coordinator, the
supervisor) get 403; for people of another pairing, scheme or programme, and partners, the plan
does not exist (404); anonymous visitors are sent to sign in. Once submitted, nobody edits it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from actionplans.models import (
    Action,
    ActionPlan,
    GroupMember,
    Indicator,
    Measurement,
    Risk,
)

from .factories import build_plan_world, drafted_plan, plan_at

pytestmark = pytest.mark.django_db

AUTHORS = ("author", "colleague")
VIEWERS = ("supervisor", "mentor_officer", "mentor_supervisor", "expert", "coordinator")
STRANGERS = ("partner", "other_author", "other_expert", "outsider_coordinator")
ROLES = [*AUTHORS, *VIEWERS, *STRANGERS, "anonymous"]


def database() -> dict:
    """Everything an editing request could change."""
    return {
        "plans": sorted(
            ActionPlan.objects.values_list(
                "pk", "title", "context", "objectives", "stage", "revisions"
            )
        ),
        "actions": sorted(
            Action.objects.values_list(
                "pk", "position", "revision", "title", "description", "status", "cost", "ends_on"
            )
        ),
        "links": sorted(
            Action.recommendations.through.objects.values_list("action_id", "recommendation_id")
        )
        + sorted(Action.commitments.through.objects.values_list("action_id", "commitment_id")),
        "indicators": sorted(
            Indicator.objects.values_list(
                "pk", "position", "revision", "name", "baseline", "target"
            )
        ),
        "measurements": sorted(
            Measurement.objects.values_list("indicator_id", "measured_on", "value")
        ),
        "risks": sorted(Risk.objects.values_list("pk", "position", "revision", "description")),
        "group": sorted(GroupMember.objects.values_list("pk", "position", "organisation")),
    }


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[ActionPlan], str]
    data: Callable[[ActionPlan], dict] | None = None
    allowed: int = 200  # what an author gets on a draft


def on_plan(name: str, **kwargs) -> Callable[[ActionPlan], str]:
    return lambda plan: reverse(f"actionplans:{name}", kwargs={"pk": plan.pk, **kwargs})


def on_row(name: str, section: str, related: str) -> Callable[[ActionPlan], str]:
    def url(plan: ActionPlan) -> str:
        row = getattr(plan, related).first()
        kwargs = {"pk": plan.pk, "row": row.pk}
        if section:
            kwargs["section"] = section
        return reverse(f"actionplans:{name}", kwargs=kwargs)

    return url


def action_data(plan: ActionPlan) -> dict:
    return {
        "title": "Taken over",
        "status": "done",
        "starts_on": "2017-01-01",
        "ends_on": "2017-02-01",
        "revision": plan.actions.first().revision,
    }


def order_data(plan: ActionPlan) -> dict:
    return {
        "revision": plan.revision("actions"),
        **{f"position-{a.pk}": str(10 - n) for n, a in enumerate(plan.actions.all())},
    }


EDITING = [
    Endpoint("section_edit GET", "get", on_plan("section_edit", section="context")),
    Endpoint(
        "section_edit POST",
        "post",
        on_plan("section_edit", section="context"),
        lambda plan: {"text": "Taken over", "revision": plan.revision("context")},
        302,
    ),
    Endpoint(
        "title POST",
        "post",
        on_plan("section_edit", section="title"),
        lambda plan: {"text": "Taken over"},
        302,
    ),
    Endpoint("row_add GET", "get", on_plan("row_add", section="actions")),
    Endpoint("row_add POST", "post", on_plan("row_add", section="actions"), action_data, 302),
    Endpoint("row_edit GET", "get", on_row("row_edit", "actions", "actions")),
    Endpoint("row_edit POST", "post", on_row("row_edit", "actions", "actions"), action_data, 302),
    Endpoint("row_delete GET", "get", on_row("row_delete", "local_group", "local_group")),
    Endpoint(
        "row_delete POST",
        "post",
        on_row("row_delete", "local_group", "local_group"),
        lambda plan: {},
        302,
    ),
    Endpoint("rows_reorder GET", "get", on_plan("rows_reorder", section="actions")),
    Endpoint(
        "rows_reorder POST", "post", on_plan("rows_reorder", section="actions"), order_data, 302
    ),
    Endpoint(
        "action_status POST",
        "post",
        on_row("action_status", "", "actions"),
        lambda plan: {"status": "done"},
        302,
    ),
    Endpoint(
        "measurement_add POST",
        "post",
        on_row("measurement_add", "", "indicators"),
        lambda plan: {"measured_on": "2017-05-01", "value": "3"},
        302,
    ),
]


@pytest.fixture
def world():
    return build_plan_world()


@pytest.fixture
def draft(world) -> ActionPlan:
    plan = drafted_plan(world)
    # A second action so that reordering changes something.
    Action.objects.create(plan=plan, title="Second", position=5)
    return plan


def request(client, world, role: str, endpoint: Endpoint, plan: ActionPlan):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    url = endpoint.url(plan)
    if endpoint.method == "get":
        return client.get(url)
    return client.post(url, endpoint.data(plan))


def expected(role: str, endpoint: Endpoint) -> int:
    if role == "anonymous":
        return 302
    if role in AUTHORS:
        return endpoint.allowed
    if role in VIEWERS:
        return 403
    return 404


@pytest.mark.parametrize("endpoint", EDITING, ids=lambda e: e.name)
@pytest.mark.parametrize("role", ROLES)
def test_editing_a_draft_by_role(client, world, draft, role, endpoint):
    before = database()
    response = request(client, world, role, endpoint, draft)
    assert response.status_code == expected(role, endpoint)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    if role not in AUTHORS or endpoint.method == "get":
        assert database() == before
    if role in STRANGERS:
        assert "Gdańsk buys local" not in response.content.decode()
    if role in VIEWERS:
        assert "You cannot change this" in response.content.decode()
        if "status" not in endpoint.name and "measurement" not in endpoint.name:
            assert "Only officers of the implementing city edit the plan." in (
                response.content.decode()
            )


@pytest.mark.parametrize("role", ROLES)
def test_the_plan_page_by_role(client, world, draft, role):
    response = request(client, world, role, Endpoint("plan", "get", on_plan("plan")), draft)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in STRANGERS:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert "Gdańsk buys local" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", *VIEWERS, *STRANGERS])
def test_starting_the_plan_by_role(client, world, role):
    url = reverse("actionplans:plan_create", kwargs={"pairing": world.pairing.pk})
    if role != "anonymous":
        client.force_login(getattr(world, role))
    response = client.post(url, {"title": "Not theirs"})
    assert response.status_code == {"anonymous": 302, **dict.fromkeys(VIEWERS, 403)}.get(role, 404)
    assert not ActionPlan.objects.exists()


@pytest.mark.parametrize("endpoint", EDITING, ids=lambda e: e.name)
@pytest.mark.parametrize("role", AUTHORS)
def test_nobody_edits_a_submitted_plan(client, world, role, endpoint):
    plan = plan_at(world, "submitted")
    before = database()
    response = request(client, world, role, endpoint, plan)
    assert response.status_code == 403
    assert "The plan is submitted for review:" in response.content.decode()
    assert database() == before


@pytest.mark.parametrize("role", ["author", "supervisor"])
def test_tracking_is_open_once_endorsed_and_content_stays_closed(client, world, role):
    plan = plan_at(world, "endorsed")
    client.force_login(getattr(world, role))
    status = on_row("action_status", "", "actions")(plan)
    assert client.post(status, {"status": "in_progress"}).status_code == 302
    edit = on_row("row_edit", "actions", "actions")(plan)
    before = database()
    assert client.post(edit, action_data(plan)).status_code == 403
    assert database() == before
