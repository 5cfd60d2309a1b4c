"""Action plans' read API: each person's token sees the plans the overview shows them (and no
other: 404), with the stage, progress and indicators the plan pages show; the overview's
filters."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from actionplans import permissions, selectors
from actionplans.models import ActionPlan, Measurement
from tests.accounts.factories import CoordinatorFactory
from tests.mentoring.factories import ProgrammeFactory

from .bearer import every_page, reader

pytestmark = pytest.mark.django_db

PLANS = reverse("api:action-plan-list")
PEOPLE = (
    "coordinator@example.org",
    "expert@example.org",
    "officer.gdansk@example.org",
    "supervisor.gdansk@example.org",
    "officer.rotterdam@example.org",
    "officer.riga@example.org",
    "partner@example.org",
)


@pytest.fixture
def people(demo_with_plans):
    found = {email: User.objects.get(email=email) for email in PEOPLE}
    found["elsewhere"] = CoordinatorFactory(programme=ProgrammeFactory(name="Elsewhere")).user
    return found


def page_order(user) -> list[int]:
    """The plans in the overview's order (programme, scheme, implementing city)."""
    return list(
        selectors.visible_plans(User.objects.get(pk=user.pk))
        .order_by(
            "pairing__scheme__programme__name",
            "pairing__scheme__code",
            "pairing__implementing__name",
            "pk",
        )
        .values_list("pk", flat=True)
    )


def test_each_token_sees_the_plans_its_person_sees(people):
    """About 6 s: eight people, each asking for every one of the eight plans."""
    plans = list(ActionPlan.objects.select_related("pairing__scheme"))
    assert len(plans) == 8
    for email, user in people.items():
        client = reader(user)
        listed = [row["id"] for row in every_page(client, PLANS + "?page_size=3")]
        assert listed == page_order(user), email
        for plan in plans:
            status = client.get(reverse("api:action-plan-detail", args=[plan.pk])).status_code
            assert status == (200 if permissions.can_view(user, plan) else 404), (email, plan)
    # Gdańsk's officer sees their own plan and their mentor's side of none other; Rīga's officer
    # does not see Gdańsk's; the partner and another programme's coordinator see none.
    gdansk = ActionPlan.objects.get(pairing__implementing__slug="gdansk")
    assert gdansk.pk in page_order(people["officer.gdansk@example.org"])
    assert gdansk.pk not in page_order(people["officer.riga@example.org"])
    assert page_order(people["partner@example.org"]) == []
    assert reader(people["elsewhere"]).get(PLANS).json()["count"] == 0


def test_a_plan_with_its_stage_progress_and_indicators(people):
    plan = (
        ActionPlan.objects.filter(indicators__measurements__isnull=False)
        .select_related("pairing__scheme__programme", "pairing__implementing")
        .distinct()
        .first()
    )
    assert plan is not None
    body = (
        reader(people["coordinator@example.org"])
        .get(reverse("api:action-plan-detail", args=[plan.pk]))
        .json()
    )
    assert body["stage"] == plan.stage
    assert body["pairing"]["implementing"]["id"] == plan.pairing.implementing_id
    assert body["pairing"]["programme"]["slug"] == "cities-grow"
    expected = selectors.progress(selectors.with_progress_data(ActionPlan.objects).get(pk=plan.pk))
    assert body["progress"]["percent"] == expected.percent
    assert body["progress"]["actions"] == (
        None if expected.actions is None else format(expected.actions, "f")
    )
    assert body["url"] == "http://testserver" + plan.get_absolute_url()
    indicators = {row["id"]: row for row in body["indicators"]}
    assert [row["position"] for row in body["indicators"]] == sorted(
        row["position"] for row in body["indicators"]
    )
    for indicator in plan.indicators.all():
        row = indicators[indicator.pk]
        assert row["baseline"] == format(indicator.baseline, "f")
        assert row["target"] == format(indicator.target, "f")
        measured = list(indicator.measurements.order_by("measured_on", "pk"))
        assert [(m["measured_on"], m["value"]) for m in row["measurements"]] == [
            (m.measured_on.isoformat(), format(m.value, "f")) for m in measured
        ]
        assert row["latest"] == (format(measured[-1].value, "f") if measured else None)
        for value in [row["baseline"], row["target"], *(m["value"] for m in row["measurements"])]:
            assert Decimal(value) == Decimal(value).quantize(Decimal("0.01"))  # exact strings
    if plan.endorsed_on:
        assert body["endorsement"]["date"] == plan.endorsed_on.isoformat()
    assert Measurement.objects.filter(indicator__plan=plan).exists()


def test_the_overviews_filters(people):
    coordinator = people["coordinator@example.org"]
    client = reader(coordinator)
    by_stage = selectors.count_by_stage(selectors.visible_plans(coordinator))
    for stage, count in by_stage.items():
        rows = client.get(PLANS, {"stage": stage}).json()
        assert rows["count"] == count
        assert {row["stage"] for row in rows["results"]} == {stage}
    assert client.get(PLANS, {"programme": "cities-grow"}).json()["count"] == 8
    assert client.get(PLANS, {"programme": ""}).json()["count"] == 8
    for query, field in (({"stage": "lost"}, "stage"), ({"programme": "elsewhere"}, "programme")):
        refused = client.get(PLANS, query)
        assert refused.status_code == 400
        assert field in refused.json()["fields"]
    # Another programme's slug is not among the choices of a person who is not in it.
    elsewhere = people["elsewhere"]
    slug = elsewhere.memberships.get().programme.slug
    assert client.get(PLANS, {"programme": slug}).status_code == 400
    assert reader(elsewhere).get(PLANS, {"programme": slug}).json()["count"] == 0
