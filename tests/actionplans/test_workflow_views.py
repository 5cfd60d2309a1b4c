"""The workflow in the browser: steps, versions, comments, comparisons; who sees what (404),
who may do what (403), clear messages for refused input (400), fixed query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import diff, services
from actionplans.models import ActionPlan, PlanComment, Section, Stage
from tests.actionplans.factories import build_plan_world, drafted_plan, fresh, plan_at

pytestmark = pytest.mark.django_db

OUTSIDERS = ["partner", "other_author", "other_expert", "outsider_coordinator"]


def _login(client, user):
    client.force_login(user)
    return client


def _step(plan, name):
    return reverse("actionplans:transition", kwargs={"pk": plan.pk, "name": name})


def _urls(plan):
    kwargs = {"pk": plan.pk}
    version = {"pk": plan.pk, "number": 1}
    return {
        "transition": ("post", _step(plan, "approve")),
        "versions": ("get", reverse("actionplans:versions", kwargs=kwargs)),
        "version": ("get", reverse("actionplans:version", kwargs=version)),
        "comment_add": ("post", reverse("actionplans:comment_add", kwargs=version)),
        "compare": ("get", reverse("actionplans:compare", kwargs=kwargs) + "?a=1&b=1"),
    }


def _with_versions(world, count: int, plan: ActionPlan | None = None) -> ActionPlan:
    """A plan submitted until it has `count` versions, changes requested in between and a word
    changed each time; an existing plan is taken further."""
    plan = plan or plan_at(world, "submitted")
    author, mentor = fresh(world.author), fresh(world.mentor_officer)
    for number in range(plan.versions.count() + 1, count + 1):
        services.plan_request_changes(plan, by=mentor, comment=f"Round {number}.")
        plan = ActionPlan.objects.get(pk=plan.pk)
        services.section_save(
            plan,
            section=Section.OBJECTIVES,
            by=author,
            text=f"Open tenders to newcomers' firms, round {number}.",
            expected_revision=plan.revision(Section.OBJECTIVES),
        )
        services.plan_submit(plan, by=author)
    return ActionPlan.objects.get(pk=plan.pk)


# Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint", ["transition", "versions", "version", "comment_add", "compare"]
)
def test_anonymous_people_are_sent_to_sign_in(client, endpoint):
    world = build_plan_world()
    method, url = _urls(plan_at(world, "submitted"))[endpoint]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize(
    "endpoint", ["transition", "versions", "version", "comment_add", "compare"]
)
def test_people_outside_the_pairing_find_nothing(client, role, endpoint):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    method, url = _urls(plan)[endpoint]
    response = getattr(_login(client, getattr(world, role)), method)(
        url, {"section": "context", "body": "Hi"} if method == "post" else None
    )
    assert response.status_code == 404
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.SUBMITTED
    assert not PlanComment.objects.exists()


def test_a_step_that_does_not_exist_is_not_found(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    response = _login(client, world.supervisor).post(_step(plan, "publish"))
    assert response.status_code == 404


def test_a_version_that_does_not_exist_is_not_found(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    url = reverse("actionplans:version", kwargs={"pk": plan.pk, "number": 2})
    assert _login(client, world.author).get(url).status_code == 404


# Steps ------------------------------------------------------------------------------------------


def test_an_officer_submits_the_plan(client):
    world = build_plan_world()
    plan = drafted_plan(world)
    response = _login(client, world.author).post(_step(plan, "submit"), follow=False)
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert stored.stage == Stage.SUBMITTED
    assert stored.versions.get().number == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["The plan is submitted as version 1; the reviewers are told."]


def test_a_step_of_another_role_is_forbidden_with_a_message(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    response = _login(client, world.mentor_supervisor).post(_step(plan, "approve"))
    assert response.status_code == 403
    assert "Your role does not take this step." in response.content.decode()
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.SUBMITTED


def test_a_step_from_the_wrong_stage_is_refused_with_a_message(client):
    world = build_plan_world()
    plan = plan_at(world, "draft")
    response = _login(client, world.supervisor).post(_step(plan, "approve"))
    assert response.status_code == 400
    assert "The plan is draft: this step is not possible now." in response.content.decode()
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.DRAFT


def test_resubmit_is_refused_on_a_draft(client):
    world = build_plan_world()
    plan = drafted_plan(world)
    response = _login(client, world.author).post(_step(plan, "resubmit"))
    assert response.status_code == 400
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.DRAFT


def test_an_incomplete_plan_is_refused_with_what_is_missing(client):
    world = build_plan_world()
    plan = services.plan_create(pairing=world.pairing, by=fresh(world.author))
    response = _login(client, world.author).post(_step(plan, "submit"))
    assert response.status_code == 400
    assert "Fill in these parts before submitting" in response.content.decode()


def test_changes_are_requested_with_a_comment(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    response = _login(client, world.expert).post(
        _step(plan, "request_changes"), {"request_changes-comment": "Add a <b>budget</b>."}
    )
    assert response.status_code == 302
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert stored.stage == Stage.CHANGES_REQUESTED
    assert stored.transitions.latest("at", "pk").comment == "Add a <b>budget</b>."


def test_changes_requested_without_a_comment_show_the_form_again(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    response = _login(client, world.mentor_officer).post(
        _step(plan, "request_changes"), {"request_changes-comment": "  "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what should change." in page
    assert 'aria-describedby="id_request_changes-comment_error"' in page
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.SUBMITTED


def test_the_supervisor_approves_with_a_comment(client):
    world = build_plan_world()
    plan = plan_at(world, "resubmitted")
    response = _login(client, world.supervisor).post(
        _step(plan, "approve"), {"approve-comment": "Signed off."}
    )
    assert response.status_code == 302
    step = ActionPlan.objects.get(pk=plan.pk).transitions.latest("at", "pk")
    assert (step.to_stage, step.comment) == (Stage.APPROVED, "Signed off.")


def test_the_endorsement_form_is_shown(client):
    world = build_plan_world()
    plan = plan_at(world, "approved")
    response = _login(client, world.coordinator).get(_step(plan, "endorse"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'for="id_endorse-body"' in page
    assert 'type="date"' in page


def test_a_coordinator_records_the_endorsement(client):
    world = build_plan_world()
    plan = plan_at(world, "approved")
    today = timezone.localdate()
    response = _login(client, world.coordinator).post(
        _step(plan, "endorse"),
        {"endorse-body": "City Council", "endorse-decided_on": today, "endorse-reference": "X/1"},
    )
    assert response.status_code == 302
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert (stored.stage, stored.endorsed_on, stored.endorsement_reference) == (
        Stage.ENDORSED,
        today,
        "X/1",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"endorse-decided_on": "tomorrow"}, "The decision cannot be dated in the future."),
        ({"endorse-decided_on": ""}, "Give the date of the decision."),
        ({"endorse-decided_on": "31/02/2017"}, "Enter a valid date."),
        ({"endorse-body": ""}, "Name the body that decided"),
        ({"endorse-reference": ""}, "Give the reference of the decision."),
    ],
)
def test_an_invalid_endorsement_shows_the_form_again_with_what_was_typed(client, data, message):
    world = build_plan_world()
    plan = plan_at(world, "approved")
    typed = {
        "endorse-body": "Rada Miasta Gdańska",
        "endorse-decided_on": timezone.localdate().isoformat(),
        "endorse-reference": "XII/123/2017",
        **data,
    }
    if typed["endorse-decided_on"] == "tomorrow":
        typed["endorse-decided_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _login(client, world.supervisor).post(_step(plan, "endorse"), typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    for value in typed.values():
        if value:
            assert f'value="{value}"' in page
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.APPROVED


def test_start_and_complete(client):
    world = build_plan_world()
    plan = plan_at(world, "endorsed")
    assert _login(client, world.colleague).post(_step(plan, "start")).status_code == 302
    assert _login(client, world.coordinator).post(_step(plan, "complete")).status_code == 302
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.COMPLETED


# The panel of the plan page ---------------------------------------------------------------------


def _panel(plan, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    plan = ActionPlan.objects.select_related("pairing__scheme").get(pk=plan.pk)
    return render_to_string(
        "actionplans/workflow/panel.html", {"plan": plan, "user": user}, request=request
    )


@pytest.mark.parametrize(
    ("role", "offered", "hidden"),
    [
        ("mentor_officer", ["Request changes"], ["Approve for the city administration"]),
        ("supervisor", ["Approve for the city administration"], ["Request changes"]),
        ("author", [], ["Request changes", "Approve for the city administration"]),
    ],
)
def test_the_panel_offers_the_steps_of_the_persons_role(role, offered, hidden):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    page = _panel(plan, fresh(getattr(world, role)))
    assert "Submitted for review" in page
    for label in offered:
        assert f'<button type="submit">{label}</button>' in page
    for label in hidden:
        assert f'<button type="submit">{label}</button>' not in page


def test_the_panel_shows_the_history_and_the_versions():
    world = build_plan_world()
    plan = plan_at(world, "resubmitted")
    page = _panel(plan, fresh(world.author))
    assert "More data." in page
    assert "Mo Mentor" in page
    assert "Changes requested → Resubmitted" in page
    assert reverse("actionplans:version", kwargs={"pk": plan.pk, "number": 2}) in page
    assert reverse("actionplans:compare", kwargs={"pk": plan.pk}) in page


def test_the_panel_queries_do_not_grow_with_the_versions():
    world = build_plan_world()
    plan, counts = None, []
    for size in (2, 10):
        plan = _with_versions(world, size, plan)
        user = fresh(world.coordinator)
        with CaptureQueriesContext(connection) as queries:
            page = _panel(plan, user)
        assert page.count("Changes requested →") == size - 1
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Versions, comments, comparisons ----------------------------------------------------------------


def test_the_versions_list_has_a_fixed_number_of_queries(client):
    world = build_plan_world()
    plan, counts = None, []
    _login(client, world.expert)
    for size in (2, 10):
        plan = _with_versions(world, size, plan)
        url = reverse("actionplans:versions", kwargs={"pk": plan.pk})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("Version ") >= size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_version_reads_as_submitted_with_its_comments_under_their_sections(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    version = plan.versions.get()
    services.comment_add(
        version, by=fresh(world.expert), section=Section.RISKS, body="<script>x</script> Hmm"
    )
    services.plan_request_changes(plan, by=fresh(world.expert), comment="Edit.")
    plan = ActionPlan.objects.get(pk=plan.pk)
    services.section_save(
        plan,
        section=Section.CONTEXT,
        by=fresh(world.author),
        text="Changed afterwards.",
        expected_revision=plan.revision(Section.CONTEXT),
    )
    url = reverse("actionplans:version", kwargs={"pk": plan.pk, "number": 1})
    page = _login(client, world.mentor_officer).get(url).content.decode()
    assert "Few migrant firms win tenders." in page
    assert "Changed afterwards." not in page
    risks = page.split('id="section-risks"')[1].split("</section>")[0]
    assert "&lt;script&gt;x&lt;/script&gt; Hmm" in risks
    assert "<script>x</script>" not in page
    assert 'id="comment-risks"' in page
    assert "Split tenders into lots" in page
    assert "12,000.00" in page


def test_who_cannot_comment_gets_no_comment_form(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    url = reverse("actionplans:version", kwargs={"pk": plan.pk, "number": 1})
    page = _login(client, world.mentor_supervisor).get(url).content.decode()
    assert "Few migrant firms win tenders." in page
    assert 'id="comment-context"' not in page


def test_the_version_page_has_a_fixed_number_of_queries(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    version = plan.versions.get()
    _login(client, world.author)
    counts = []
    for size in (2, 10):
        for index in range(version.comments.count(), size):
            section = [Section.CONTEXT, Section.ACTIONS, Section.GENERAL][index % 3]
            services.comment_add(
                version, by=fresh(world.expert), section=section, body=f"Note {index}"
            )
        url = reverse("actionplans:version", kwargs={"pk": plan.pk, "number": 1})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count("Note ") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_reviewer_comments_on_a_section(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    url = reverse("actionplans:comment_add", kwargs={"pk": plan.pk, "number": 1})
    response = _login(client, world.mentor_officer).post(
        url, {"section": "indicators", "body": "Is 12 realistic?"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/versions/1/#section-indicators")
    comment = PlanComment.objects.get()
    assert (comment.version.number, comment.section, comment.author) == (
        1,
        "indicators",
        world.mentor_officer,
    )


def test_an_empty_comment_is_refused_on_its_section(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    url = reverse("actionplans:comment_add", kwargs={"pk": plan.pk, "number": 1})
    response = _login(client, world.expert).post(url, {"section": "risks", "body": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="comment-risks-error"' in page
    assert "Write the comment first." in page
    assert not PlanComment.objects.exists()


def test_a_comment_on_an_unknown_section_is_refused(client):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    url = reverse("actionplans:comment_add", kwargs={"pk": plan.pk, "number": 1})
    response = _login(client, world.expert).post(url, {"section": "budget", "body": "Hm"})
    assert response.status_code == 400
    assert not PlanComment.objects.exists()


@pytest.mark.parametrize("role", ["supervisor", "mentor_supervisor"])
def test_who_sees_the_plan_but_does_not_comment_is_forbidden(client, role):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    url = reverse("actionplans:comment_add", kwargs={"pk": plan.pk, "number": 1})
    response = _login(client, getattr(world, role)).post(url, {"section": "risks", "body": "Hm"})
    assert response.status_code == 403
    assert not PlanComment.objects.exists()


def test_two_versions_side_by_side_with_the_changes_marked(client):
    world = build_plan_world()
    plan = plan_at(world, "changes_requested")
    author = fresh(world.author)
    services.section_save(
        plan,
        section=Section.CONTEXT,
        by=author,
        text="Few <em>migrant</em> firms win public tenders.",
        expected_revision=plan.revision(Section.CONTEXT),
    )
    action = plan.actions.get()
    services.row_update(action, by=author, expected_revision=action.revision, cost="15000")
    services.row_delete(plan.risks.get(), by=author)
    services.row_add(
        plan, section=Section.RISKS, by=author, description="Delays", likelihood="low", impact="low"
    )
    services.plan_submit(ActionPlan.objects.get(pk=plan.pk), by=author)
    url = reverse("actionplans:compare", kwargs={"pk": plan.pk}) + "?a=1&b=2"
    response = _login(client, world.expert).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<ins>&lt;em&gt;migrant&lt;/em&gt;</ins>" in page
    assert "<del>migrant</del>" in page
    assert "<ins>public </ins>" in page
    assert "<del>12,000.00</del>" in page
    assert "<ins>15,000.00</ins>" in page
    for status in ("Added", "Removed", "Changed"):
        assert f'<span class="row-status">{status}</span>' in page
    assert "<em>migrant</em>" not in page


def test_the_comparison_defaults_to_the_last_two_versions(client):
    world = build_plan_world()
    plan = _with_versions(world, 3)
    response = _login(client, world.author).get(
        reverse("actionplans:compare", kwargs={"pk": plan.pk})
    )
    assert response.status_code == 200
    assert response.context["old"].number == 2
    assert response.context["new"].number == 3


@pytest.mark.parametrize("query", ["?a=1&b=9", "?a=x&b=1", "?a=1"])
def test_a_comparison_of_versions_that_do_not_exist_is_refused(client, query):
    world = build_plan_world()
    plan = plan_at(world, "resubmitted")
    url = reverse("actionplans:compare", kwargs={"pk": plan.pk}) + query
    assert _login(client, world.author).get(url).status_code == 400


def test_the_comparison_has_a_fixed_number_of_queries(client):
    world = build_plan_world()
    plan, counts = None, []
    _login(client, world.coordinator)
    for size in (2, 10):
        plan = _with_versions(world, size, plan)
        url = reverse("actionplans:compare", kwargs={"pk": plan.pk}) + f"?a=1&b={size}"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The diff itself --------------------------------------------------------------------------------


def test_sides_escape_and_mark_words():
    left, right = diff.sides("a <b> c\nd", "a <i> c\nd e")
    assert left == "a <del>&lt;b&gt;</del> c<br>d"
    assert right == "a <ins>&lt;i&gt;</ins> c<br>d<ins> e</ins>"


def test_rows_are_matched_by_id():
    old = {"risks": [{"id": 1, "description": "A"}, {"id": 2, "description": "B"}]}
    new = {"risks": [{"id": 2, "description": "B2"}, {"id": 3, "description": "C"}]}
    risks = {s.key: s for s in diff.compare(old, new)}["risks"]
    assert [row.status for row in risks.rows] == ["removed", "changed", "added"]
    assert risks.changed
    unchanged = {s.key: s for s in diff.compare(new, new)}["risks"]
    assert [row.status for row in unchanged.rows] == ["unchanged", "unchanged"]
    assert not unchanged.changed
