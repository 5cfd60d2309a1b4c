"""The CITIES-GROW demo tells a history that happened between October 2016 and September 2018:
every date and stamp of its objects lies inside the programme (or just after it, until the end
of 2018), its events are over, and the action plans' rule on endorsements holds for dates of
that time as for any other."""

from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from accounts.models import User
from actionplans import services as plan_services
from actionplans.models import (
    Action,
    ActionPlan,
    Measurement,
    PlanComment,
    PlanVersion,
    Stage,
    Transition,
)
from mentoring.models import Attendance, Event, EventReport, EventStatus, Pairing
from reporting.models import MonthStatus, StaffRate, TimeEntry, TimesheetLog, TimesheetMonth
from toolkits.models import GoodPractice, PracticeReview, ReviewAction, Toolkit, ToolkitEdition

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2016, 10, 1), date(2018, 12, 31)


@pytest.fixture
def demo(demo_with_staff_time):
    """The whole demo: staff time and action plans included."""
    return demo_with_staff_time


def demo_objects(programme) -> list[tuple[models.QuerySet, tuple[str, ...]]]:
    """Each model with dates in the demo, the programme's objects of it, and the date fields that
    are not the demo's history (a practice's dates are those of the Interreg project it
    describes, from the source, 2014-2020)."""
    in_programme = {"scheme__programme": programme}
    return [
        (Pairing.objects.filter(**in_programme), ()),
        (Event.objects.filter(programme=programme), ()),
        (Attendance.objects.filter(event__programme=programme), ()),
        (EventReport.objects.filter(event__programme=programme), ()),
        (ActionPlan.objects.filter(pairing__scheme__programme=programme), ()),
        (Action.objects.filter(plan__pairing__scheme__programme=programme), ()),
        (Measurement.objects.filter(indicator__plan__pairing__scheme__programme=programme), ()),
        (PlanVersion.objects.filter(plan__pairing__scheme__programme=programme), ()),
        (PlanComment.objects.filter(version__plan__pairing__scheme__programme=programme), ()),
        (Transition.objects.filter(plan__pairing__scheme__programme=programme), ()),
        (GoodPractice.objects.filter(**in_programme), ("started_on", "ended_on")),
        (PracticeReview.objects.filter(practice__scheme__programme=programme), ()),
        (Toolkit.objects.filter(**in_programme), ()),
        (ToolkitEdition.objects.filter(toolkit__scheme__programme=programme), ()),
        (TimeEntry.objects.filter(programme=programme), ()),
        (TimesheetMonth.objects.filter(programme=programme), ()),
        (TimesheetLog.objects.filter(month__programme=programme), ()),
        (StaffRate.objects.filter(city__participations__programme=programme), ()),
        (
            LogEntry.objects.filter(audit_scopes__programme=programme)
            | LogEntry.objects.filter(audit_scopes__city__participations__programme=programme),
            (),
        ),
    ]


def as_date(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def test_every_dated_fact_of_the_demo_lies_in_its_programme(demo):
    checked = []
    for objects, not_history in demo_objects(demo):
        model = objects.model
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateField) and field.name not in not_history
        ]  # DateTimeField is a DateField
        assert objects.exists(), model.__name__
        for name in fields:
            values = [as_date(v) for v in objects.values_list(name, flat=True) if v is not None]
            assert values or field_may_be_empty(model, name), (model.__name__, name)
            outside = sorted({v for v in values if not FIRST <= v <= LAST})
            assert not outside, (model.__name__, name, outside[:5])
            checked.append(f"{model.__name__}.{name}")
    # The walk reached the stamps that used to be the day of seeding.
    for stamp in (
        "Event.created_at",
        "Event.updated_at",
        "Transition.at",
        "ActionPlan.endorsed_on",
        "GoodPractice.published_at",
        "ToolkitEdition.published_on",
        "TimesheetMonth.approved_at",
        "TimesheetLog.at",
        "LogEntry.timestamp",
    ):
        assert stamp in checked


def field_may_be_empty(model, name: str) -> bool:
    return model._meta.get_field(name).null


def test_every_event_is_over_and_none_is_coming(demo, client):
    events = Event.objects.filter(programme=demo)
    statuses = set(events.values_list("status", flat=True))
    assert statuses == {EventStatus.HELD, EventStatus.CANCELLED}
    for event in events.filter(status=EventStatus.HELD):
        assert event.attendances.exists(), event
        assert event.updated_at.date() >= event.ends_on, event
    client.force_login(User.objects.get(email="coordinator@example.org"))
    response = client.get(demo.get_absolute_url())
    assert response.context["upcoming"] == []
    page = response.content.decode()
    coming = page[page.index('id="upcoming"') : page.index('id="map-heading"')]
    assert not any(title in coming for title in events.values_list("title", flat=True))


def test_plans_were_approved_then_endorsed_in_2018(demo):
    endorsed = ActionPlan.objects.filter(pairing__scheme__programme=demo, endorsed_on__isnull=False)
    assert endorsed.count() == 3
    for plan in endorsed:
        approved = timezone.localdate(plan.transitions.get(to_stage=Stage.APPROVED).at)
        recorded = timezone.localdate(plan.transitions.get(to_stage=Stage.ENDORSED).at)
        assert approved.year == plan.endorsed_on.year == 2018, plan
        assert approved <= plan.endorsed_on <= recorded, plan
        stamps = [t.at for t in plan.transitions.order_by("pk")]
        assert stamps == sorted(stamps), plan


def test_an_endorsement_after_a_2018_approval_is_accepted_and_one_before_it_refused(demo):
    plan = ActionPlan.objects.get(pairing__scheme__programme=demo, stage=Stage.APPROVED)
    approved = timezone.localdate(plan.transitions.get(to_stage=Stage.APPROVED).at)
    assert approved.year == 2018
    coordinator = User.objects.get(email="coordinator@example.org")
    decision = {"by": coordinator, "body": "City council", "reference": "2018/112"}
    with pytest.raises(ValidationError) as refused:
        plan_services.plan_endorse(plan, decided_on=approved - timedelta(days=1), **decision)
    assert refused.value.message_dict["decided_on"] == [
        "The endorsement cannot come before the approval."
    ]
    plan_services.plan_endorse(plan, decided_on=approved + timedelta(days=21), **decision)
    plan.refresh_from_db()
    assert (plan.stage, plan.endorsed_on) == (Stage.ENDORSED, approved + timedelta(days=21))


def test_months_are_signed_and_approved_in_the_month_after(demo):
    def month_after(month: date) -> date:
        return (month + timedelta(days=32)).replace(day=1)

    signed = TimesheetMonth.objects.filter(programme=demo, submitted_at__isnull=False)
    assert signed.filter(status=MonthStatus.APPROVED).exists()
    for sheet in signed.prefetch_related("log"):
        after = month_after(sheet.month)
        assert timezone.localdate(sheet.submitted_at).replace(day=1) == after, sheet
        if sheet.approved_at:
            assert sheet.submitted_at < sheet.approved_at, sheet
            assert timezone.localdate(sheet.approved_at).replace(day=1) == after, sheet
        for step in sheet.log.all():
            assert timezone.localdate(step.at).replace(day=1) == after, step


def test_practices_were_written_submitted_and_published_in_that_order(demo):
    practices = GoodPractice.objects.filter(scheme__programme=demo).prefetch_related("reviews")
    editions = ToolkitEdition.objects.filter(toolkit__scheme__programme=demo)
    first_edition = min(editions.values_list("published_on", flat=True))
    for practice in practices:
        steps = {step.action: step.at for step in practice.reviews.all()}
        published = steps[ReviewAction.PUBLISHED]
        assert practice.created_at < steps[ReviewAction.SUBMITTED] < published, practice
        assert practice.published_at == published == practice.updated_at, practice
        assert published.date() <= first_edition


def test_seeding_again_moves_no_stamp(demo):
    def stamps():
        return {
            objects.model.__name__: sorted(map(repr, objects.values_list()))
            for objects, _not_history in demo_objects(demo)
        }

    before = stamps()
    call_command("seed_demo", without_second_programme=True, verbosity=0)
    assert stamps() == before
