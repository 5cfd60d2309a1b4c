"""E-mails of the workflow, sent by Celery after the transaction commits: the reviewers hear of a
submission, the authors of a request for changes and of the approval."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans import services
from actionplans.models import ActionPlan
from tests.actionplans.factories import build_plan_world, drafted_plan, fresh, plan_at

pytestmark = pytest.mark.django_db


def _to(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def test_a_submission_tells_the_mentor_officers_and_the_expert(
    django_capture_on_commit_callbacks,
):
    world = build_plan_world()
    plan = drafted_plan(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.plan_submit(plan, by=fresh(world.author))
    assert len(callbacks) == 1
    assert _to(mail.outbox) == sorted([world.mentor_officer.email, world.expert.email])
    message = mail.outbox[0]
    assert "Gdańsk buys local" in message.subject
    assert f"/plans/{plan.pk}/" in message.body
    assert "Gdańsk has submitted" in message.body


def test_a_resubmission_tells_the_reviewers_again(django_capture_on_commit_callbacks):
    world = build_plan_world()
    plan = plan_at(world, "changes_requested")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan, by=fresh(world.colleague))
    assert _to(mail.outbox) == sorted([world.mentor_officer.email, world.expert.email])


def test_a_request_for_changes_tells_the_implementing_officers_what_to_change(
    django_capture_on_commit_callbacks,
):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_request_changes(
            plan, by=fresh(world.expert), comment="Give the 2016 baseline of contracts."
        )
    assert _to(mail.outbox) == sorted([world.author.email, world.colleague.email])
    for message in mail.outbox:
        assert "requested changes" in message.subject
        assert "Give the 2016 baseline of contracts." in message.body
        assert "Eve Expert" in message.body


def test_an_approval_tells_the_implementing_officers(django_capture_on_commit_callbacks):
    world = build_plan_world()
    plan = plan_at(world, "resubmitted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_approve(plan, by=fresh(world.supervisor), comment="Good.")
    assert _to(mail.outbox) == sorted([world.author.email, world.colleague.email])
    assert "approved" in mail.outbox[0].subject
    assert "Sam Supervisor" in mail.outbox[0].body


def test_inactive_people_are_not_written_to(django_capture_on_commit_callbacks):
    world = build_plan_world()
    plan = drafted_plan(world)
    world.expert.is_active = False
    world.expert.save(update_fields=["is_active"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan, by=fresh(world.author))
    assert _to(mail.outbox) == [world.mentor_officer.email]


@pytest.mark.parametrize("stage", ["endorsed", "in_implementation"])
def test_later_steps_send_nothing(stage, django_capture_on_commit_callbacks):
    world = build_plan_world()
    plan = plan_at(world, "approved" if stage == "endorsed" else "endorsed")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if stage == "endorsed":
            services.plan_endorse(
                plan,
                by=fresh(world.coordinator),
                body="City Council",
                decided_on=timezone.localdate(),
                reference="R/2",
            )
        else:
            services.plan_start(plan, by=fresh(world.author))
    assert mail.outbox == []


def _submit_then_fail(plan, author) -> None:
    with transaction.atomic():
        services.plan_submit(plan, by=author)
        raise RuntimeError("something later failed")


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    world = build_plan_world()
    plan = drafted_plan(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            _submit_then_fail(plan, fresh(world.author))
    assert callbacks == []
    assert mail.outbox == []
    assert ActionPlan.objects.get(pk=plan.pk).stage == "draft"


def test_a_refused_step_sends_nothing(django_capture_on_commit_callbacks):
    world = build_plan_world()
    plan = plan_at(world, "submitted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.plan_approve(plan, by=fresh(world.mentor_officer))
    assert mail.outbox == []
