"""The plan page and editing its content through the browser's forms: starting a plan, text
sections, rows and their order, two editors at once (optimistic locking), bad input, and
tracking statuses and measurements once the plan is endorsed."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from actionplans import services
from actionplans.models import Action, ActionPlan, Indicator, Measurement, Risk, Section
from mentoring.models import EventReport, EventStatus, Recommendation
from tests.mentoring.event_factories import PairingEventFactory
from tests.toolkits.factories import (
    charter_commitment,
)

from .factories import build_plan_world, drafted_plan, fresh, plan_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_plan_world()


@pytest.fixture
def plan(world):
    return drafted_plan(world)


def login(client, user):
    client.force_login(user)
    return client


def url(name: str, plan: ActionPlan, **kwargs) -> str:
    return reverse(f"actionplans:{name}", kwargs={"pk": plan.pk, **kwargs})


def recommendation_of(pairing, text="Buy from small firms") -> Recommendation:
    event = PairingEventFactory(
        programme=pairing.scheme.programme, pairing=pairing, status=EventStatus.HELD
    )
    report = EventReport.objects.create(event=event, findings="Seen a lot.")
    return Recommendation.objects.create(report=report, position=1, text=text)


ACTION = {
    "title": "Coach migrant firms",
    "description": "Monthly sessions.\n\nWith the chamber.",
    "lead_department": "Economy",
    "partners": "Chamber of Commerce",
    "starts_on": "2017-04-01",
    "ends_on": "2017-10-31",
    "cost": "4500.50",
    "funding_source": "ESF",
    "status": "planned",
}


# Starting a plan --------------------------------------------------------------------------------


def test_an_officer_of_the_implementing_city_starts_the_plan(client, world):
    login(client, world.author)
    page = reverse("actionplans:plan_create", kwargs={"pairing": world.pairing.pk})
    assert client.get(page).status_code == 200
    response = client.post(page, {"title": "Gdańsk opens its tenders"})
    plan = ActionPlan.objects.get(pairing=world.pairing)
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.title == "Gdańsk opens its tenders"
    # Once it exists, the page leads to the plan.
    assert client.get(page)["Location"] == plan.get_absolute_url()


def test_starting_a_plan_is_refused_to_the_mentor_and_hidden_from_others(client, world):
    page = reverse("actionplans:plan_create", kwargs={"pairing": world.pairing.pk})
    assert login(client, world.mentor_officer).post(page).status_code == 403
    assert login(client, world.other_author).post(page).status_code == 404
    assert not ActionPlan.objects.exists()


# The plan page ----------------------------------------------------------------------------------


def test_the_plan_page_shows_every_section_escaped_with_edit_links(client, world, plan):
    by = fresh(world.author)
    recommendation = recommendation_of(world.pairing)
    action = plan.actions.get()
    services.row_update(
        action,
        by=by,
        expected_revision=action.revision,
        description="<script>alert(1)</script>\n\nSecond paragraph",
        recommendations=[recommendation],
        commitments=[charter_commitment(3)],
    )
    response = login(client, world.author).get(plan.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gdańsk buys local" in html
    assert "Rotterdam" in html
    assert "Few migrant firms win tenders." in html
    assert "Split tenders into lots" in html
    assert "12,000.00" in html
    assert "Buy from small firms" in html
    assert escape(str(charter_commitment(3))) in html
    assert "Contracts won by migrant firms" in html
    assert "Firms do not apply" in html
    assert "Chamber of Commerce" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>Second paragraph</p>" in html
    assert url("section_edit", plan, section="context") in html
    assert url("row_add", plan, section="actions") in html
    assert url("row_edit", plan, section="actions", row=action.pk) in html
    assert url("row_delete", plan, section="actions", row=action.pk) in html
    assert '<progress id="plan-progress"' in html


def test_reviewers_see_the_plan_without_edit_links(client, world, plan):
    response = login(client, world.expert).get(plan.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Split tenders into lots" in html
    assert url("section_edit", plan, section="context") not in html
    assert url("row_add", plan, section="actions") not in html


def test_the_page_shows_progress_and_the_latest_measurement(client, world):
    plan = plan_at(world, "in_implementation")
    by = fresh(world.author)
    indicator = plan.indicators.get()
    services.measurement_add(indicator, by=by, measured_on=date(2017, 6, 1), value=Decimal(4))
    services.measurement_add(indicator, by=by, measured_on=date(2017, 9, 1), value=Decimal(7))
    services.action_status_set(plan.actions.get(), by=by, status="done")
    html = login(client, world.author).get(plan.get_absolute_url()).content.decode()
    # Actions 1, indicators (7 - 2) / (12 - 2) = 0.5: 75 %.
    assert 'value="75"' in html
    assert "75%" in html
    assert ">7<" in html
    assert url("action_status", plan, row=plan.actions.get().pk) in html
    assert url("measurement_add", plan, row=indicator.pk) in html


def _add_rows(world, plan: ActionPlan, count: int) -> None:
    by = fresh(world.author)
    recommendation = recommendation_of(world.pairing, text=f"Recommendation {count}")
    commitment = charter_commitment(1)
    for n in range(count):
        services.row_add(
            plan,
            section=Section.ACTIONS,
            by=by,
            title=f"Action {n}",
            recommendations=[recommendation],
            commitments=[commitment],
        )
        services.row_add(
            plan,
            section=Section.INDICATORS,
            by=by,
            name=f"Indicator {n}",
            unit="firms",
            baseline=Decimal(0),
            target=Decimal(10),
        )
        services.row_add(
            plan,
            section=Section.RISKS,
            by=by,
            description=f"Risk {n}",
            likelihood="low",
            impact="low",
        )


def _count_queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["author", "expert"])
def test_the_plan_page_makes_as_many_queries_for_2_as_for_20_rows(client, world, plan, role):
    client.force_login(getattr(world, role))
    _add_rows(world, plan, 1)
    assert plan.actions.count() == 2
    small = _count_queries(client, plan)
    _add_rows(world, plan, 18)
    assert plan.actions.count() == plan.indicators.count() == 20
    assert _count_queries(client, plan) == small
    assert small <= 25


def test_tracking_the_plan_page_makes_as_many_queries_for_2_as_for_20_rows(client, world):
    plan = plan_at(world, "in_implementation")
    by = fresh(world.author)
    client.force_login(world.supervisor)

    def measured(count):
        for n in range(count):
            # Rows cannot be added once the plan is endorsed: the test writes them directly.
            new = Action.objects.create(plan=plan, title=f"Action {n}", position=10 + n)
            indicator = Indicator.objects.create(
                plan=plan, name=f"I {n}", unit="u", baseline=0, target=10, position=10 + n
            )
            services.measurement_add(indicator, by=by, measured_on=date(2017, 5, 1), value=1)
            assert new.pk

    measured(1)
    small = _count_queries(client, plan)
    measured(18)
    assert _count_queries(client, plan) == small


# Text sections ----------------------------------------------------------------------------------


def test_editing_a_text_section_and_the_title(client, world, plan):
    login(client, world.author)
    page = url("section_edit", plan, section="objectives")
    response = client.get(page)
    assert response.status_code == 200
    assert "Open tenders to newcomers" in response.content.decode()
    response = client.post(page, {"text": "More firms of newcomers win tenders.", "revision": 1})
    assert response.status_code == 302
    assert response["Location"].endswith("#objectives")
    plan.refresh_from_db()
    assert plan.objectives == "More firms of newcomers win tenders."
    assert plan.revision("objectives") == 2

    response = client.post(url("section_edit", plan, section="title"), {"text": "Open Gdańsk"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Open Gdańsk"


def test_an_empty_title_is_a_field_message(client, world, plan):
    response = login(client, world.author).post(
        url("section_edit", plan, section="title"), {"text": "  "}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    plan.refresh_from_db()
    assert plan.title == "Gdańsk buys local"


def test_other_section_names_do_not_exist(client, world, plan):
    login(client, world.author)
    assert client.get(url("section_edit", plan, section="actions")).status_code == 404
    assert client.get(url("section_edit", plan, section="stage")).status_code == 404
    assert client.get(url("row_add", plan, section="context")).status_code == 404
    assert client.get(url("rows_reorder", plan, section="versions")).status_code == 404


def test_two_editors_of_a_text_section_the_second_save_is_refused_and_kept(client, world, plan):
    page = url("section_edit", plan, section="context")
    first, second = client, client.__class__()
    first.force_login(world.author)
    second.force_login(world.colleague)
    revision_first = first.get(page).context["form"]["revision"].value()
    revision_second = second.get(page).context["form"]["revision"].value()
    assert revision_first == revision_second == 1

    saved = first.post(page, {"text": "The first editor's context.", "revision": revision_first})
    assert saved.status_code == 302

    refused = second.post(page, {"text": "The second editor's context.", "revision": 1})
    html = refused.content.decode()
    assert refused.status_code == 409
    assert escape("The second editor's context.") in html  # what they typed, still in the form
    assert escape("The first editor's context.") in html  # the saved text beside it
    assert escape(services.stale_message()) in html
    plan.refresh_from_db()
    assert plan.context == "The first editor's context."

    # Having compared, the second editor saves again from the form they were given.
    again = refused.context["form"]["revision"].value()
    response = second.post(page, {"text": "Both editors' context.", "revision": again})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.context == "Both editors' context."


# Rows -------------------------------------------------------------------------------------------


def test_the_full_editing_flow_of_rows(client, world, plan):
    login(client, world.author)
    recommendation = recommendation_of(world.pairing)
    commitment = charter_commitment(5)
    add = url("row_add", plan, section="actions")
    assert client.get(add).status_code == 200
    response = client.post(
        add, {**ACTION, "recommendations": [recommendation.pk], "commitments": [commitment.pk]}
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Coach migrant firms")
    assert action.cost == Decimal("4500.50")
    assert action.position == 2
    assert list(action.recommendations.all()) == [recommendation]
    assert list(action.commitments.all()) == [commitment]

    edit = url("row_edit", plan, section="actions", row=action.pk)
    form = client.get(edit).context["form"]
    assert form["revision"].value() == 0
    response = client.post(
        edit, {**ACTION, "title": "Coach firms", "revision": 0, "commitments": [commitment.pk]}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Coach firms"
    assert action.revision == 1
    assert not action.recommendations.exists()

    first = plan.actions.get(title="Split tenders into lots")
    order = url("rows_reorder", plan, section="actions")
    revision = client.get(order).context["form"]["revision"].value()
    response = client.post(
        order,
        {"revision": revision, f"position-{first.pk}": "2", f"position-{action.pk}": "1"},
    )
    assert response.status_code == 302
    assert list(plan.actions.values_list("pk", flat=True)) == [action.pk, first.pk]

    for section, data in [
        ("indicators", {"name": "Firms coached", "kind": "output", "unit": "firms",
                        "baseline": "0", "target": "40"}),
        ("risks", {"description": "Low turnout", "likelihood": "low", "impact": "medium"}),
        ("local_group", {"organisation": "Migrant Business Network", "sector": "migrant_org"}),
    ]:  # fmt: skip
        assert client.post(url("row_add", plan, section=section), data).status_code == 302
    assert plan.indicators.filter(name="Firms coached").exists()

    risk = Risk.objects.get(description="Low turnout")
    delete = url("row_delete", plan, section="risks", row=risk.pk)
    assert client.get(delete).status_code == 200
    assert Risk.objects.filter(pk=risk.pk).exists()
    assert client.post(delete).status_code == 302
    assert not Risk.objects.filter(pk=risk.pk).exists()


def test_a_row_of_another_plan_does_not_exist_here(client, world, plan):
    other = Action.objects.create(
        plan=ActionPlan.objects.create(pairing=world.other_pairing, title="Other"), title="Theirs"
    )
    login(client, world.author)
    assert client.get(url("row_edit", plan, section="actions", row=other.pk)).status_code == 404
    assert client.post(url("row_delete", plan, section="actions", row=other.pk)).status_code == 404
    assert Action.objects.filter(pk=other.pk).exists()


def test_two_editors_of_an_action_the_second_save_is_refused_and_kept(client, world, plan):
    action = plan.actions.get()
    page = url("row_edit", plan, section="actions", row=action.pk)
    first, second = client, client.__class__()
    first.force_login(world.author)
    second.force_login(world.colleague)
    assert first.get(page).context["form"]["revision"].value() == 0
    assert second.get(page).context["form"]["revision"].value() == 0

    assert first.post(page, {**ACTION, "title": "First title", "revision": 0}).status_code == 302
    refused = second.post(
        page, {**ACTION, "title": "Second title", "funding_source": "ERDF", "revision": 0}
    )
    html = refused.content.decode()
    assert refused.status_code == 409
    assert refused.context["form"]["title"].value() == "Second title"
    assert refused.context["form"]["funding_source"].value() == "ERDF"
    assert 'value="Second title"' in html
    assert "First title" in html  # what was saved, shown beside the form
    action.refresh_from_db()
    assert action.title == "First title"
    assert action.funding_source == "ESF"
    assert action.revision == 1


def test_two_editors_reordering_the_second_is_refused(client, world, plan):
    by = fresh(world.author)
    second = services.row_add(plan, section=Section.RISKS, by=by, description="Delays",
                              likelihood="low", impact="low")  # fmt: skip
    first = plan.risks.exclude(pk=second.pk).get()
    order = url("rows_reorder", plan, section="risks")
    login(client, world.author)
    revision = client.get(order).context["form"]["revision"].value()
    services.row_add(plan, section=Section.RISKS, by=by, description="Strikes",
                     likelihood="low", impact="high")  # fmt: skip
    response = client.post(
        order, {"revision": revision, f"position-{first.pk}": "2", f"position-{second.pk}": "1"}
    )
    assert response.status_code == 409
    assert list(plan.risks.values_list("description", flat=True)) == [
        "Firms do not apply",
        "Delays",
        "Strikes",
    ]


@pytest.mark.parametrize(
    ("section", "data", "field"),
    [
        ("actions", {**ACTION, "starts_on": "2017-05-01", "ends_on": "2017-04-01"}, "ends_on"),
        ("actions", {**ACTION, "cost": "-1"}, "cost"),
        ("actions", {**ACTION, "starts_on": "31 February"}, "starts_on"),
        ("actions", {**ACTION, "title": ""}, "title"),
        (
            "indicators",
            {"name": "Firms", "kind": "output", "unit": "firms", "baseline": "5", "target": "5.00"},
            "target",
        ),  # fmt: skip
        (
            "indicators",
            {"name": "Firms", "kind": "sideways", "unit": "firms", "baseline": "5", "target": "6"},
            "kind",
        ),  # fmt: skip
        ("risks", {"description": "Rain", "likelihood": "certain", "impact": "low"}, "likelihood"),
    ],
)
def test_bad_rows_are_refused_with_field_messages(client, world, plan, section, data, field):
    model = services.ROWS[section][0]
    before = model.objects.count()
    response = login(client, world.author).post(url("row_add", plan, section=section), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert model.objects.count() == before


def test_a_bad_edit_keeps_the_row_and_says_why(client, world, plan):
    action = plan.actions.get()
    response = login(client, world.author).post(
        url("row_edit", plan, section="actions", row=action.pk),
        {**ACTION, "starts_on": "2018-01-01", "ends_on": "2017-01-01", "revision": 0},
    )
    assert response.status_code == 400
    assert "The end cannot come before the start." in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Split tenders into lots"
    assert action.revision == 0


def test_a_recommendation_of_another_pairing_cannot_be_linked(client, world, plan):
    foreign = recommendation_of(world.other_pairing)
    response = login(client, world.author).post(
        url("row_add", plan, section="actions"), {**ACTION, "recommendations": [foreign.pk]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["recommendations"]
    assert not Action.objects.filter(title=ACTION["title"]).exists()


# Tracking ---------------------------------------------------------------------------------------


def test_tracking_statuses_and_measurements_once_endorsed(client, world):
    plan = plan_at(world, "endorsed")
    action, indicator = plan.actions.get(), plan.indicators.get()
    login(client, world.supervisor)
    response = client.post(url("action_status", plan, row=action.pk), {"status": "in_progress"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#action-{action.pk}")
    action.refresh_from_db()
    assert action.status == "in_progress"

    page = url("measurement_add", plan, row=indicator.pk)
    data = {"measured_on": "2017-06-30", "value": "5", "note": "Half-year count"}
    assert client.post(page, data).status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal(5)
    assert measurement.recorded_by == world.supervisor

    again = client.post(page, data)
    assert again.status_code == 400
    assert "a measurement on that day already" in again.content.decode()
    bad = client.post(page, {"measured_on": "soon", "value": "x"})
    assert bad.status_code == 400
    assert (
        client.post(url("action_status", plan, row=action.pk), {"status": "forgotten"}).status_code
        == 400
    )
    assert Measurement.objects.count() == 1
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_a_measurement_cannot_be_in_the_future(client, world):
    plan = plan_at(world, "in_implementation")
    response = login(client, world.author).post(
        url("measurement_add", plan, row=plan.indicators.get().pk),
        {"measured_on": "2999-01-01", "value": "3"},
    )
    assert response.status_code == 400
    assert "cannot be dated in the future" in response.content.decode()
    assert not Measurement.objects.exists()


def test_tracking_is_refused_to_reviewers(client, world):
    plan = plan_at(world, "in_implementation")
    action, indicator = plan.actions.get(), plan.indicators.get()
    login(client, world.mentor_officer)
    assert (
        client.post(url("action_status", plan, row=action.pk), {"status": "done"}).status_code
        == 403
    )
    assert (
        client.post(
            url("measurement_add", plan, row=indicator.pk),
            {"measured_on": "2017-01-01", "value": 1},
        ).status_code
        == 403
    )
    action.refresh_from_db()
    assert action.status == "planned"
    assert not Indicator.objects.get().measurements.exists()
