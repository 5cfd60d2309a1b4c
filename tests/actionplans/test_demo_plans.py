"""seed_demo gives every demo pairing a plan at a different stage, written through the services
by the demo people, and running it again adds nothing."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplans.demo import seed_demo_plans
from actionplans.models import (
    STAGE_ORDER,
    Action,
    ActionPlan,
    Measurement,
    PlanComment,
    PlanVersion,
    Stage,
    Transition,
)
from actionplans.selectors import progress

pytestmark = pytest.mark.django_db

PROGRAMME_PERIOD = (date(2016, 10, 1), date(2018, 9, 30))


@pytest.fixture
def demo(demo_with_plans):
    """This file reads the demo's plans: the demo with them (conftest's leaves them out)."""
    return demo_with_plans


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (ActionPlan, Action, Measurement, PlanVersion, PlanComment, Transition)
    }


def test_every_demo_pairing_has_a_plan_at_a_different_stage(demo):
    plans = ActionPlan.objects.filter(pairing__scheme__programme=demo)
    assert plans.count() == 8
    assert sorted(plans.values_list("stage", flat=True)) == sorted(STAGE_ORDER)
    gdansk = plans.get(pairing__implementing__name="Gdańsk")
    assert gdansk.stage == Stage.IN_IMPLEMENTATION


def test_demo_plans_are_written_by_the_demo_people(demo):
    gdansk = ActionPlan.objects.get(pairing__implementing__name="Gdańsk")
    steps = {t.to_stage: t.by.email for t in gdansk.transitions.select_related("by")}
    assert steps == {
        Stage.SUBMITTED: "officer.gdansk@example.org",
        Stage.APPROVED: "supervisor.gdansk@example.org",
        Stage.ENDORSED: "coordinator@example.org",
        Stage.IN_IMPLEMENTATION: "officer.gdansk@example.org",
    }
    assert gdansk.endorsed_by_body
    assert gdansk.endorsement_reference
    riga = ActionPlan.objects.get(pairing__implementing__name="Riga")
    request = riga.transitions.get(to_stage=Stage.CHANGES_REQUESTED)
    assert request.by.email == "officer.birmingham@example.org"
    tampere = ActionPlan.objects.get(pairing__implementing__name="Tampere")
    assert tampere.versions.count() == 2


def test_demo_plans_have_realistic_content(demo):
    for plan in ActionPlan.objects.all():
        assert plan.context, plan
        assert plan.objectives, plan
        actions = list(plan.actions.all())
        assert 1 <= len(actions) <= 4, plan
        for action in actions:
            assert PROGRAMME_PERIOD[0] <= action.starts_on <= action.ends_on, action
            assert action.ends_on <= PROGRAMME_PERIOD[1], action
            assert action.cost is not None
            assert action.cost > 0
        assert 1 <= plan.indicators.count() <= 3, plan
        assert plan.local_group.exists(), plan


def test_plans_being_carried_out_have_measurements_and_progress(demo):
    for stage in (Stage.IN_IMPLEMENTATION, Stage.COMPLETED):
        plan = ActionPlan.objects.get(stage=stage)
        assert Measurement.objects.filter(indicator__plan=plan).exists(), stage
        assert progress(plan).percent > 0
    completed = ActionPlan.objects.get(stage=Stage.COMPLETED)
    assert progress(completed).percent == 100


def test_seeding_twice_adds_nothing(demo):
    before = counts()
    call_command("seed_demo", without_second_programme=True, verbosity=0, without_staff_time=True)
    assert seed_demo_plans(demo) == 0
    assert counts() == before


def test_seed_demo_can_leave_the_plans_out(db):
    call_command(
        "seed_demo",
        without_second_programme=True,
        verbosity=0,
        without_staff_time=True,
        without_plans=True,
    )
    assert not ActionPlan.objects.exists()


def test_the_coordinator_sees_all_eight_plans_on_one_screen(demo, client, demo_user):
    client.force_login(demo_user("coordinator@example.org"))
    page = client.get(reverse("actionplans:plans")).content.decode()
    assert page.count('class="status plan-stage-') == 8
    dashboard = client.get(demo.get_absolute_url()).content.decode()
    assert dashboard.count('class="status plan-stage-') == 8
    for plan in ActionPlan.objects.all():
        assert plan.get_absolute_url() in dashboard
