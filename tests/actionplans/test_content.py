"""Writing a plan's content: who may, what is refused, and two editors at once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from actionplans import services
from actionplans.models import Action, ActionPlan, Section, Stage
from actionplans.selectors import progress, visible_plans, with_progress_data
from mentoring.models import EventReport, Recommendation, StandardEventKind
from tests.mentoring.event_factories import EventFactory

from .factories import build_plan_world, drafted_plan, fresh, plan_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_plan_world()


def test_only_an_officer_of_the_implementing_city_starts_its_plan_once(world):
    for person in (world.mentor_officer, world.supervisor, world.expert, world.coordinator):
        with pytest.raises(ValidationError):
            services.plan_create(pairing=world.pairing, by=fresh(person))
    plan = services.plan_create(pairing=world.pairing, by=fresh(world.author))
    assert plan.title == "Local action plan of Gdańsk"
    with pytest.raises(ValidationError):
        services.plan_create(pairing=world.pairing, by=fresh(world.colleague))


def test_a_second_editor_of_the_same_section_is_refused_and_the_first_text_stays(world):
    plan = services.plan_create(pairing=world.pairing, by=fresh(world.author))
    started_from = plan.revision(Section.CONTEXT)
    services.section_save(
        plan,
        section=Section.CONTEXT,
        by=fresh(world.author),
        text="First",
        expected_revision=started_from,
    )
    with pytest.raises(ValidationError) as refused:
        services.section_save(
            plan,
            section=Section.CONTEXT,
            by=fresh(world.colleague),
            text="Second",
            expected_revision=started_from,
        )
    assert refused.value.code == "stale"
    assert ActionPlan.objects.get(pk=plan.pk).context == "First"
    # Another section is not held up by it.
    services.section_save(
        plan,
        section=Section.OBJECTIVES,
        by=fresh(world.colleague),
        text="Aims",
        expected_revision=0,
    )


def test_a_second_editor_of_the_same_action_is_refused(world):
    plan = drafted_plan(world)
    action = plan.actions.get()
    services.row_update(action, by=fresh(world.author), expected_revision=0, title="Lots")
    with pytest.raises(ValidationError) as refused:
        services.row_update(action, by=fresh(world.colleague), expected_revision=0, title="X")
    assert refused.value.code == "stale"
    assert Action.objects.get(pk=action.pk).title == "Lots"


@pytest.mark.parametrize(
    ("section", "fields", "field"),
    [
        (
            Section.ACTIONS,
            {"title": "A", "starts_on": date(2017, 5, 1), "ends_on": date(2017, 4, 1)},
            "ends_on",
        ),
        (Section.ACTIONS, {"title": "A", "cost": Decimal("-5")}, "cost"),
        (Section.ACTIONS, {"title": ""}, "title"),
        (
            Section.INDICATORS,
            {
                "name": "N",
                "kind": "output",
                "unit": "u",
                "baseline": Decimal(3),
                "target": Decimal(3),
            },
            "target",
        ),
        (Section.RISKS, {"description": "R", "likelihood": "huge", "impact": "low"}, "likelihood"),
        (Section.LOCAL_GROUP, {"organisation": "", "sector": "business"}, "organisation"),
    ],
)
def test_bad_rows_are_refused_on_their_field(world, section, fields, field):
    plan = services.plan_create(pairing=world.pairing, by=fresh(world.author))
    with pytest.raises(ValidationError) as refused:
        services.row_add(plan, section=section, by=fresh(world.author), **fields)
    assert field in refused.value.message_dict


def test_actions_link_only_recommendations_of_the_pairings_own_visits(world):
    plan = drafted_plan(world)

    def recommendation(pairing):
        event = EventFactory(
            programme=pairing.scheme.programme,
            pairing=pairing,
            kind=StandardEventKind.STUDY_VISIT,
            title="Visit",
            starts_on=date(2017, 2, 1),
            ends_on=date(2017, 2, 3),
            host_city=pairing.mentor,
            venue="City hall",
        )
        report = EventReport.objects.create(event=event, findings="Seen.")
        return Recommendation.objects.create(report=report, position=1, text="Split tenders.")

    own, foreign = recommendation(world.pairing), recommendation(world.other_pairing)
    action = plan.actions.get()
    with pytest.raises(ValidationError) as refused:
        services.row_update(
            action, by=fresh(world.author), expected_revision=0, recommendations=[foreign]
        )
    assert "recommendations" in refused.value.message_dict
    services.row_update(action, by=fresh(world.author), expected_revision=0, recommendations=[own])
    assert list(action.recommendations.all()) == [own]


def test_reordering_needs_every_row_once_and_a_current_list(world):
    plan = drafted_plan(world)
    second = services.row_add(plan, section=Section.ACTIONS, by=fresh(world.author), title="B")
    first = plan.actions.order_by("position").first()
    revision = ActionPlan.objects.get(pk=plan.pk).revision(Section.ACTIONS)
    with pytest.raises(ValidationError):
        services.rows_reorder(
            plan,
            section=Section.ACTIONS,
            by=fresh(world.author),
            order=[second.pk],
            expected_revision=revision,
        )
    services.rows_reorder(
        plan,
        section=Section.ACTIONS,
        by=fresh(world.author),
        order=[second.pk, first.pk],
        expected_revision=revision,
    )
    assert list(plan.actions.values_list("pk", flat=True)) == [second.pk, first.pk]
    with pytest.raises(ValidationError) as stale:
        services.rows_reorder(
            plan,
            section=Section.ACTIONS,
            by=fresh(world.author),
            order=[first.pk, second.pk],
            expected_revision=revision,
        )
    assert stale.value.code == "stale"


def test_content_is_frozen_once_submitted(world):
    plan = plan_at(world, "submitted")
    with pytest.raises(ValidationError):
        services.section_save(
            plan,
            section=Section.CONTEXT,
            by=fresh(world.author),
            text="Sneaky",
            expected_revision=None,
        )
    with pytest.raises(ValidationError):
        services.row_add(plan, section=Section.ACTIONS, by=fresh(world.author), title="Late")
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.context == "Few migrant firms win tenders."
    assert plan.actions.count() == 1


def test_in_implementation_the_city_tracks_statuses_and_measurements(world):
    plan = plan_at(world, "in_implementation")
    action, indicator = plan.actions.get(), plan.indicators.get()
    for outsider in (world.mentor_officer, world.expert, world.other_author):
        with pytest.raises(ValidationError):
            services.action_status_set(action, by=fresh(outsider), status="done")
    services.action_status_set(action, by=fresh(world.author), status="done")
    services.measurement_add(
        indicator, by=fresh(world.supervisor), measured_on=date(2018, 3, 1), value=Decimal(7)
    )
    with pytest.raises(ValidationError) as twice:
        services.measurement_add(
            indicator, by=fresh(world.author), measured_on=date(2018, 3, 1), value=Decimal(8)
        )
    assert "measured_on" in twice.value.message_dict
    with pytest.raises(ValidationError) as future:
        services.measurement_add(
            indicator, by=fresh(world.author), measured_on=date(2999, 1, 1), value=Decimal(8)
        )
    assert "measured_on" in future.value.message_dict
    shown = with_progress_data(visible_plans(fresh(world.coordinator))).get()
    # the action is done (1), the indicator half way from 2 to 12 (0.5): 75 %
    assert progress(shown).percent == 75
    assert shown.stage == Stage.IN_IMPLEMENTATION


def test_each_person_sees_the_plans_of_their_pairings_only(world):
    drafted_plan(world)
    for person in (
        world.author,
        world.supervisor,
        world.mentor_officer,
        world.expert,
        world.coordinator,
    ):
        assert visible_plans(fresh(person)).count() == 1
    for person in (
        world.other_author,
        world.other_expert,
        world.outsider_coordinator,
        world.partner,
    ):
        assert visible_plans(fresh(person)).count() == 0
