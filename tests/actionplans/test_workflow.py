"""The workflow at the level of services: each step only by its role, only from its stages;
submissions freeze versions; comments stay on their version and section."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans import permissions, services
from actionplans.models import ActionPlan, PlanComment, PlanVersion, Section, Stage, Transition
from cities.models import City
from config import clock
from tests.actionplans.factories import build_plan_world, drafted_plan, fresh, plan_at

pytestmark = pytest.mark.django_db

ROLES = [
    "author",
    "colleague",
    "supervisor",
    "mentor_officer",
    "mentor_supervisor",
    "expert",
    "coordinator",
    "partner",
    "other_author",
    "other_expert",
    "outsider_coordinator",
]
STAGES = [stage.value for stage in Stage]


def _endorse(plan, by):
    return services.plan_endorse(
        plan, by=by, body="City Council", decided_on=timezone.localdate(), reference="R/1"
    )


# Each step: how to take it, who may, from which stages, and where it leads. Submit and resubmit
# are one service that picks the step from the stage.
STEPS = {
    "submit": (
        lambda plan, by: services.plan_submit(plan, by=by),
        {"author", "colleague"},
        {"draft": "submitted", "changes_requested": "resubmitted"},
    ),
    "request_changes": (
        lambda plan, by: services.plan_request_changes(plan, by=by, comment="Add figures."),
        {"mentor_officer", "expert"},
        {"submitted": "changes_requested", "resubmitted": "changes_requested"},
    ),
    "approve": (
        lambda plan, by: services.plan_approve(plan, by=by),
        {"supervisor"},
        {"submitted": "approved", "resubmitted": "approved"},
    ),
    "endorse": (_endorse, {"coordinator", "supervisor"}, {"approved": "endorsed"}),
    "start": (
        lambda plan, by: services.plan_start(plan, by=by),
        {"author", "colleague", "supervisor"},
        {"endorsed": "in_implementation"},
    ),
    "complete": (
        lambda plan, by: services.plan_complete(plan, by=by),
        {"supervisor", "coordinator"},
        {"in_implementation": "completed"},
    ),
}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_only_by_its_role_only_from_its_stages(step, stage):
    world = build_plan_world()
    plan = plan_at(world, stage)
    take, roles, targets = STEPS[step]
    for role in ROLES:
        by = fresh(getattr(world, role))
        before = Transition.objects.filter(plan=plan).count()
        allowed = role in roles and stage in targets
        savepoint = transaction.savepoint()
        try:
            if allowed:
                take(ActionPlan.objects.get(pk=plan.pk), by)
                stored = ActionPlan.objects.get(pk=plan.pk)
                assert stored.stage == targets[stage], (role, stage)
                last = Transition.objects.filter(plan=plan).latest("at", "pk")
                assert (last.by, last.from_stage, last.to_stage) == (by, stage, targets[stage])
            else:
                with pytest.raises(ValidationError):
                    take(ActionPlan.objects.get(pk=plan.pk), by)
                assert ActionPlan.objects.get(pk=plan.pk).stage == stage, (role, stage)
                assert Transition.objects.filter(plan=plan).count() == before
        finally:
            transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize("stage", STAGES)
def test_the_permissions_offer_exactly_the_steps_the_services_allow(stage):
    world = build_plan_world()
    plan = plan_at(world, stage)
    for role in ROLES:
        offered = set(permissions.transitions_for(fresh(getattr(world, role)), plan))
        expected = {
            name
            for name, (_take, roles, targets) in STEPS.items()
            if role in roles and stage in targets
        }
        if "submit" in expected and stage == "changes_requested":
            expected = expected - {"submit"} | {"resubmit"}
        assert offered == expected, (role, stage)


def test_a_refused_step_says_why():
    world = build_plan_world()
    plan = plan_at(world, "draft")
    with pytest.raises(ValidationError) as wrong_stage:
        services.plan_approve(plan, by=fresh(world.supervisor))
    assert "this step is not possible now" in " ".join(wrong_stage.value.messages)
    plan = services.plan_submit(plan, by=fresh(world.author)).plan
    with pytest.raises(ValidationError) as wrong_role:
        services.plan_approve(ActionPlan.objects.get(pk=plan.pk), by=fresh(world.mentor_officer))
    assert wrong_role.value.code == "wrong_role"


def test_an_incomplete_plan_cannot_be_submitted():
    world = build_plan_world()
    plan = services.plan_create(pairing=world.pairing, by=fresh(world.author))
    with pytest.raises(ValidationError) as error:
        services.plan_submit(plan, by=fresh(world.author))
    assert "Fill in these parts" in error.value.messages[0]
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.DRAFT
    assert not PlanVersion.objects.exists()


def test_submission_freezes_a_numbered_version_that_later_edits_do_not_change():
    world = build_plan_world()
    author = fresh(world.author)
    plan = drafted_plan(world)
    first = services.plan_submit(plan, by=author)
    assert first.number == 1
    assert first.snapshot["context"] == "Few migrant firms win tenders."
    assert [a["title"] for a in first.snapshot["actions"]] == ["Split tenders into lots"]
    services.plan_request_changes(plan, by=fresh(world.expert), comment="Name the budget line.")

    plan = ActionPlan.objects.get(pk=plan.pk)
    services.section_save(
        plan,
        section=Section.CONTEXT,
        by=author,
        text="Few migrant firms win tenders; 2 contracts in 2016.",
        expected_revision=plan.revision(Section.CONTEXT),
    )
    action = plan.actions.get()
    services.row_update(
        action, by=author, expected_revision=action.revision, title="Split tenders into small lots"
    )

    first.refresh_from_db()
    assert first.snapshot["context"] == "Few migrant firms win tenders."
    assert first.snapshot["actions"][0]["title"] == "Split tenders into lots"

    second = services.plan_submit(ActionPlan.objects.get(pk=plan.pk), by=author)
    assert second.number == 2
    assert second.snapshot["context"] == "Few migrant firms win tenders; 2 contracts in 2016."
    assert second.snapshot["actions"][0]["title"] == "Split tenders into small lots"
    steps = list(Transition.objects.filter(plan=plan).order_by("at", "pk"))
    assert [(s.to_stage, s.version) for s in steps] == [
        ("submitted", first),
        ("changes_requested", None),
        ("resubmitted", second),
    ]


@pytest.mark.parametrize("comment", ["", "   "])
def test_changes_cannot_be_requested_without_saying_what(comment):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    with pytest.raises(ValidationError) as error:
        services.plan_request_changes(plan, by=fresh(world.mentor_officer), comment=comment)
    assert "comment" in error.value.message_dict
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.SUBMITTED


def test_a_request_for_changes_keeps_its_comment():
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    step = services.plan_request_changes(
        plan, by=fresh(world.mentor_officer), comment="  Add a baseline.  "
    )
    assert step.comment == "Add a baseline."


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decided_on": timezone.localdate() + timedelta(days=1)}, "decided_on"),
        ({"decided_on": None}, "decided_on"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"reference": ""}, "reference"),
    ],
)
def test_an_endorsement_needs_a_body_a_past_date_and_a_reference(changes, field):
    world = build_plan_world()
    plan = plan_at(world, "approved")
    data = {"body": "City Council", "decided_on": timezone.localdate(), "reference": "R/7"}
    with pytest.raises(ValidationError) as error:
        services.plan_endorse(plan, by=fresh(world.coordinator), **{**data, **changes})
    assert field in error.value.message_dict
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert stored.stage == Stage.APPROVED
    assert stored.endorsed_on is None


def test_an_endorsement_is_recorded_on_the_plan():
    world = build_plan_world()
    plan = plan_at(world, "approved")
    services.plan_endorse(
        plan,
        by=fresh(world.supervisor),
        body="Mayor of Gdańsk",
        decided_on=timezone.localdate(),
        reference="ZP/12",
    )
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert (stored.stage, stored.endorsed_by_body, stored.endorsement_reference) == (
        Stage.ENDORSED,
        "Mayor of Gdańsk",
        "ZP/12",
    )


def test_comments_stay_on_the_version_and_section_they_were_made_on():
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    first = plan.versions.get()
    comment = services.comment_add(
        first, by=fresh(world.expert), section=Section.RISKS, body="What if no firm applies?"
    )
    services.plan_request_changes(plan, by=fresh(world.expert), comment="See the risks.")
    services.comment_add(
        first, by=fresh(world.author), section=Section.RISKS, body="We added coaching."
    )
    second = services.plan_submit(ActionPlan.objects.get(pk=plan.pk), by=fresh(world.author))
    services.comment_add(
        second, by=fresh(world.coordinator), section=Section.ACTIONS, body="Better."
    )

    comment.refresh_from_db()
    assert (comment.version, comment.section) == (first, Section.RISKS)
    assert list(first.comments.values_list("section", "body")) == [
        ("risks", "What if no firm applies?"),
        ("risks", "We added coaching."),
    ]
    assert list(second.comments.values_list("section", "author")) == [
        ("actions", world.coordinator.pk)
    ]


@pytest.mark.parametrize(
    "role", ["supervisor", "mentor_supervisor", "partner", "other_author", "outsider_coordinator"]
)
def test_only_authors_reviewers_and_coordinators_comment(role):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    with pytest.raises(ValidationError):
        services.comment_add(
            plan.versions.get(), by=fresh(getattr(world, role)), section="context", body="Hm."
        )
    assert not PlanComment.objects.exists()


def test_an_empty_comment_is_refused():
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    with pytest.raises(ValidationError) as error:
        services.comment_add(plan.versions.get(), by=fresh(world.expert), section="risks", body=" ")
    assert "body" in error.value.message_dict


def test_an_endorsement_is_dated_in_the_implementing_citys_calendar():
    """At 00:30 on 1 March in Seoul (still 28 February in Brussels, where the coordinator is),
    a Seoul council decision of 1 March is not in the future; 2 March is."""
    world = build_plan_world()
    plan = plan_at(world, "approved")
    City.objects.filter(pk=plan.pairing.implementing_id).update(time_zone="Asia/Seoul")
    Transition.objects.filter(plan=plan).update(at=datetime(2026, 2, 27, 12, 0, tzinfo=UTC))
    plan = ActionPlan.objects.get(pk=plan.pk)
    data = {"body": "Seoul Metropolitan Council", "reference": "SMC/3"}
    with clock.fixed_at(datetime(2026, 2, 28, 15, 30, tzinfo=UTC)):
        with pytest.raises(ValidationError) as error:
            services.plan_endorse(
                plan, by=fresh(world.coordinator), decided_on=date(2026, 3, 2), **data
            )
        assert error.value.message_dict == {
            "decided_on": ["The decision cannot be dated in the future."]
        }
        services.plan_endorse(
            plan, by=fresh(world.coordinator), decided_on=date(2026, 3, 1), **data
        )
    assert ActionPlan.objects.get(pk=plan.pk).endorsed_on == date(2026, 3, 1)
