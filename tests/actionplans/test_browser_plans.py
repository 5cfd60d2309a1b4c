"""In a real browser: an officer drafts and submits a plan, the mentor officer requests changes,
the officer resubmits, the supervisor approves and the coordinator records the endorsement,
each signed in as themselves and clicking through the plan page."""

import pytest
from django.utils import timezone

from actionplans.models import ActionPlan, Stage
from tests.accounts.factories import PASSWORD
from tests.actionplans.factories import build_plan_world, drafted_plan
from tests.browser import page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out_and_in(page, email):  # noqa: F811
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def click_step(page, label):  # noqa: F811
    page.get_by_role("button", name=label, exact=True).click()


def test_a_plan_goes_from_draft_to_endorsement(page):  # noqa: F811
    world = build_plan_world()
    plan = drafted_plan(world)
    url = plan.get_absolute_url()

    # The officer rewrites the context in the browser, then submits the plan.
    sign_out_and_in(page, world.author.email)
    page.goto(url)
    page.get_by_role("link", name="Edit the context and baseline").click()
    page.get_by_label("Context and baseline").fill("Two contracts of 140 went to migrant firms.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Two contracts of 140 went to migrant firms.").wait_for()
    click_step(page, "Submit for review")
    page.get_by_text("The plan is submitted as version 1").wait_for()
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.SUBMITTED

    # The mentor officer asks for changes, saying which.
    sign_out_and_in(page, world.mentor_officer.email)
    page.goto(url)
    page.get_by_label("What should change").fill("Give a target for each year.")
    click_step(page, "Request changes")
    page.get_by_text("Changes are requested").wait_for()
    assert ActionPlan.objects.get(pk=plan.pk).stage == Stage.CHANGES_REQUESTED

    # The officer changes the objectives and resubmits.
    sign_out_and_in(page, world.author.email)
    page.goto(url)
    page.get_by_text("Give a target for each year.").first.wait_for()
    page.get_by_role("link", name="Edit the objectives").click()
    page.get_by_label("Objectives").fill("Six contracts a year for migrant firms by 2018.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Six contracts a year for migrant firms by 2018.").wait_for()
    click_step(page, "Resubmit for review")
    page.get_by_text("The plan is resubmitted as version 2").wait_for()

    # The supervisor approves it for the city administration.
    sign_out_and_in(page, world.supervisor.email)
    page.goto(url)
    page.get_by_label("Comment (optional)").fill("Approved by the department head.")
    click_step(page, "Approve for the city administration")
    page.get_by_text("The plan is approved for the city administration").wait_for()

    # The coordinator records the council's decision; a missing reference is asked for first.
    sign_out_and_in(page, world.coordinator.email)
    page.goto(url)
    decided_on = timezone.localdate()
    page.get_by_label("Deciding body").fill("Gdańsk City Council")
    page.get_by_label("Date of the decision").fill(decided_on.isoformat())
    click_step(page, "Record the political endorsement")
    page.get_by_text("Give the reference of the decision.").wait_for()
    assert page.get_by_label("Deciding body").input_value() == "Gdańsk City Council"
    page.get_by_label("Reference of the decision").fill("XII/123/2017")
    click_step(page, "Record the political endorsement")
    page.get_by_text("The political endorsement is recorded.").wait_for()

    stored = ActionPlan.objects.get(pk=plan.pk)
    assert stored.stage == Stage.ENDORSED
    assert (stored.endorsed_by_body, stored.endorsed_on, stored.endorsement_reference) == (
        "Gdańsk City Council",
        decided_on,
        "XII/123/2017",
    )
    history = list(stored.transitions.order_by("at", "pk"))
    assert [(step.from_stage, step.to_stage, step.by_id) for step in history] == [
        ("draft", "submitted", world.author.pk),
        ("submitted", "changes_requested", world.mentor_officer.pk),
        ("changes_requested", "resubmitted", world.author.pk),
        ("resubmitted", "approved", world.supervisor.pk),
        ("approved", "endorsed", world.coordinator.pk),
    ]
    assert history[1].comment == "Give a target for each year."
    assert [v.number for v in stored.versions.all()] == [1, 2]
    v1, v2 = stored.versions.all()
    assert v1.snapshot["objectives"] == "Open tenders to newcomers' firms."
    assert v2.snapshot["objectives"] == "Six contracts a year for migrant firms by 2018."

    # The history on the page tells the same story.
    rows = page.locator("table.workflow-history tbody tr")
    assert rows.count() == 5
    assert "Give a target for each year." in rows.nth(1).inner_text()
    assert "Cora Coord" in rows.nth(4).inner_text()

    # The two versions side by side show what changed.
    page.get_by_role("link", name="Compare the last two versions").click()
    assert page.locator("ins", has_text="Six").count() >= 1
