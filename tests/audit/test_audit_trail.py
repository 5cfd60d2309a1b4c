"""The audit trail: changes made through the services are recorded with who, what and when;
coordinators read those of their own programmes, nobody else reads any."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import services as plan_services
from actionplans.models import Action, ActionPlan, Section
from audit.models import AuditScope
from mentoring.models import Pairing, PairingStatus
from mentoring.services.pairings import pairing_transition
from reporting import services as time_services
from reporting.models import StaffRate, TimeEntry, TimesheetMonth
from tests.accounts.factories import CoordinatorFactory
from tests.actionplans.factories import build_plan_world, drafted_plan
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory
from tests.reporting.factories import build_time_world, fresh, rate, record
from tests.toolkits.factories import build_toolkit_world, draft
from toolkits import services as practice_services
from toolkits.models import GoodPractice

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
MARCH = date(2017, 3, 1)


def entries_of(instance_or_model, **filters):
    model = instance_or_model if isinstance(instance_or_model, type) else type(instance_or_model)
    found = LogEntry.objects.get_for_model(model).filter(**filters)
    if not isinstance(instance_or_model, type):
        found = found.filter(object_pk=str(instance_or_model.pk))
    return found.order_by("timestamp", "pk")


def page_text(client, url=LOG, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())


# Recording through the services ----------------------------------------------------------------


@pytest.fixture
def time_world():
    return build_time_world()


def test_time_entries_and_months_record_who_changed_what(client, time_world):
    world = time_world
    with set_actor(fresh(world.officer)):
        entry = record(world, world.officer, MARCH, 2)
        time_services.time_entry_update(entry, by=fresh(world.officer), hours=Decimal(3))
    with set_actor(fresh(world.coordinator)):
        rate(world, world.officer, 2017, "41280")
    sheet = TimesheetMonth.objects.get(person=world.officer, month=MARCH)
    with set_actor(fresh(world.officer)):
        time_services.month_submit(sheet, by=fresh(world.officer))
    with set_actor(fresh(world.supervisor)):
        time_services.month_approve(
            TimesheetMonth.objects.get(pk=sheet.pk), by=fresh(world.supervisor)
        )

    created, changed = entries_of(entry)
    assert created.action == LogEntry.Action.CREATE
    assert created.actor == world.officer
    assert changed.action == LogEntry.Action.UPDATE
    assert changed.changes_dict["hours"] == ["2.0", "3"]
    assert changed.timestamp is not None
    steps = [
        e for e in entries_of(sheet, action=LogEntry.Action.UPDATE) if "status" in e.changes_dict
    ]
    assert [(e.actor, e.changes_dict["status"][1]) for e in steps] == [
        (world.officer, "submitted"),
        (world.supervisor, "approved"),
    ]
    assert entries_of(StaffRate).get().actor == world.coordinator

    client.force_login(world.coordinator)
    words = page_text(client)
    assert "Time entry" in words
    assert "Monthly timesheet" in words
    assert "Staff rate" in words
    assert "Status: Submitted → Approved and locked" in words
    assert "Olga Officer" in words
    assert "Sara Supervisor" in words
    assert "Cora Coord" in words
    assert "Hours: 2.0 → 3" in words

    client.force_login(world.outsider_coordinator)
    assert "No changes to show." in page_text(client)


def test_a_rate_shows_in_every_programme_its_city_takes_part_in(client, time_world):
    world = time_world
    other_programme = ProgrammeFactory(name="ICP AGIR")
    ParticipationFactory(programme=other_programme, city=world.city)
    other_coordinator = CoordinatorFactory(
        programme=other_programme, user__full_name="Ivo Other"
    ).user
    with set_actor(fresh(world.coordinator)):
        rate(world, world.officer, 2017, "41280")
        record(world, world.officer, MARCH, 2)
    assert AuditScope.objects.filter(city=world.city).count() == 1

    client.force_login(other_coordinator)
    words = page_text(client)
    assert "1 change " in words
    assert "Staff rate Olga Officer · 2017" in words
    client.force_login(world.outsider_coordinator)
    assert "No changes to show." in page_text(client)


@pytest.fixture
def plan_world():
    return build_plan_world()


def test_pairings_and_plans_record_their_changes_and_deleted_rows_stay_listed(client, plan_world):
    world = plan_world
    with set_actor(fresh(world.author)):
        plan = drafted_plan(world)
        plan = plan_services.section_save(
            plan,
            section=Section.CONTEXT,
            by=fresh(world.author),
            text="Only 2 of 300 contracts went to migrant firms.",
            expected_revision=1,
        )
        second = plan_services.row_add(
            plan, section=Section.ACTIONS, by=fresh(world.author), title="Coach 40 firms"
        )
        first = plan.actions.exclude(pk=second.pk).get()
        plan_services.rows_reorder(
            plan,
            section=Section.ACTIONS,
            by=fresh(world.author),
            order=[second.pk, first.pk],
            expected_revision=ActionPlan.objects.get(pk=plan.pk).revision(Section.ACTIONS),
        )
        plan_services.row_delete(Action.objects.get(pk=first.pk), by=fresh(world.author))
    with set_actor(fresh(world.coordinator)):
        pairing_transition(pairing=world.other_pairing, to=PairingStatus.COMPLETED)

    context = entries_of(plan, action=LogEntry.Action.UPDATE).last()
    assert context.actor == world.author
    assert context.changes_dict["context"][1] == "Only 2 of 300 contracts went to migrant firms."
    moves = entries_of(Action, action=LogEntry.Action.UPDATE)
    assert {e.object_pk for e in moves} == {str(first.pk), str(second.pk)}
    assert entries_of(Action, action=LogEntry.Action.DELETE).get().object_pk == str(first.pk)
    assert entries_of(world.other_pairing, action=LogEntry.Action.UPDATE).get().changes_dict[
        "status"
    ] == ["active", "completed"]

    client.force_login(world.coordinator)
    words = page_text(client)
    assert "Context and baseline: Few migrant firms win tenders. → Only 2 of 300" in words
    assert "Objectives: — → Open tenders to newcomers' firms." in words
    assert "Deciding body:" not in words  # empty on creation: not listed
    assert "Position: 2 → 1" in words
    assert "Split tenders into lots deleted" in words
    assert "Status: Active → Completed" in words
    deleted_history = page_text(
        client, reverse("audit:history", args=["actionplans.action", first.pk])
    )
    assert "created" in deleted_history
    assert "deleted" in deleted_history

    client.force_login(world.outsider_coordinator)
    assert "No changes to show." in page_text(client)


def test_a_deleted_pairing_and_its_plan_stay_listed(client, plan_world):
    world = plan_world
    with set_actor(fresh(world.author)):
        plan = drafted_plan(world)
    Pairing.objects.get(pk=world.pairing.pk).delete()
    assert not ActionPlan.objects.filter(pk=plan.pk).exists()
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert deleted.count() == 6  # the pairing, its plan and the plan's four rows
    assert AuditScope.objects.filter(entry__in=deleted).count() == 6

    client.force_login(world.coordinator)
    words = page_text(client, action=LogEntry.Action.DELETE)
    assert "6 changes" in words
    assert "Rotterdam → Gdańsk (A) deleted" in words
    assert "Gdańsk buys local deleted" in words


def test_good_practices_record_edits_and_publication(client):
    world = build_toolkit_world()
    with set_actor(fresh(world.officer)):
        practice = draft(world)
        practice_services.practice_update(
            practice, by=fresh(world.officer), summary="Tenders split into lots."
        )
        practice_services.practice_submit(practice, by=fresh(world.officer))
    with set_actor(fresh(world.expert)):
        practice_services.practice_publish(
            GoodPractice.objects.get(pk=practice.pk), by=fresh(world.expert)
        )
    statuses = [
        e.changes_dict["status"] for e in entries_of(practice) if "status" in e.changes_dict
    ]
    assert statuses[-2:] == [["draft", "in_review"], ["in_review", "published"]]
    assert entries_of(practice).last().actor == world.expert

    client.force_login(world.coordinator)
    words = page_text(client)
    assert "Summary: The city opened its tenders to firms run by migrants. → Tenders split" in words
    assert "Status: In review → Published" in words
    assert f'href="{practice.get_absolute_url()}"' in client.get(LOG).content.decode()
    client.force_login(world.outsider_coordinator)
    assert "No changes to show." in page_text(client)


def test_a_change_made_in_a_request_records_the_person_signed_in(client, plan_world):
    world = plan_world
    client.force_login(world.coordinator)
    response = client.post(
        reverse("mentoring:pairing_status", args=[world.pairing.pk]), {"status": "completed"}
    )
    assert response.status_code == 302
    entry = entries_of(world.pairing, action=LogEntry.Action.UPDATE).get()
    assert entry.actor == world.coordinator
    assert entry.actor_email == world.coordinator.email


def test_a_change_without_a_person_is_shown_as_made_by_the_system(client, plan_world):
    world = plan_world
    pairing_transition(pairing=world.pairing, to=PairingStatus.COMPLETED)
    assert entries_of(world.pairing, action=LogEntry.Action.UPDATE).get().actor is None
    client.force_login(world.coordinator)
    assert "system" in page_text(client)


# Who may read it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["author", "supervisor", "mentor_officer", "expert", "partner", "other_expert"]
)
def test_only_coordinators_read_the_audit_trail(client, plan_world, who):
    client.force_login(getattr(plan_world, who))
    assert client.get(LOG).status_code == 403
    history = reverse("audit:history", args=["mentoring.pairing", plan_world.pairing.pk])
    assert client.get(history).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(LOG)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_history_of_another_programmes_object_is_not_found(client, plan_world):
    with set_actor(fresh(plan_world.coordinator)):
        pairing_transition(pairing=plan_world.pairing, to=PairingStatus.COMPLETED)
    history = reverse("audit:history", args=["mentoring.pairing", plan_world.pairing.pk])
    client.force_login(plan_world.coordinator)
    assert client.get(history).status_code == 200
    client.force_login(plan_world.outsider_coordinator)
    assert client.get(history).status_code == 404
    assert client.get(reverse("audit:history", args=["accounts.user", 1])).status_code == 404


# Filters ---------------------------------------------------------------------------------------


def test_the_filters_narrow_the_list(client, plan_world):
    world = plan_world
    with set_actor(fresh(world.author)):
        drafted_plan(world)
    with set_actor(fresh(world.coordinator)):
        pairing_transition(pairing=world.other_pairing, to=PairingStatus.COMPLETED)
    client.force_login(world.coordinator)

    # Two pairings made, a plan made, its two text sections saved, four rows, one pairing moved.
    assert "10 changes" in page_text(client)
    by_kind = page_text(client, kind="mentoring.pairing")
    assert "3 changes" in by_kind
    assert "Gdańsk buys local" not in by_kind
    changed_pairings = page_text(client, kind="mentoring.pairing", action=LogEntry.Action.UPDATE)
    assert "1 change " in changed_pairings
    assert "Birmingham → Rīga (B)" in changed_pairings
    by_person = page_text(client, actor=world.coordinator.pk)
    assert "1 change" in by_person
    assert "Cora Coord" in by_person
    by_text = page_text(client, q="chamber of")
    assert "1 change" in by_text
    assert "Chamber of Commerce" in by_text
    today = timezone.localdate()
    assert "No changes to show." in page_text(client, date_to=today - timedelta(days=1))
    assert "No changes to show." in page_text(client, date_from=today + timedelta(days=1))
    assert "No changes to show." not in page_text(client, date_from=today, date_to=today)


def test_bad_filter_values_get_messages_on_their_fields(client, plan_world):
    client.force_login(plan_world.coordinator)
    response = client.get(
        LOG, {"date_from": "2017-05-01", "date_to": "2017-04-01", "kind": "accounts.user"}
    )
    assert response.status_code == 200
    words = page_text(client, date_from="2017-05-01", date_to="2017-04-01", kind="x")
    assert "The end date cannot come before the start date." in words
    assert "Select a valid choice." in words
    assert page_text(client, date_from="not a date", actor="abc")


def test_values_are_escaped(client, plan_world):
    world = plan_world
    with set_actor(fresh(world.author)):
        plan = plan_services.plan_create(
            pairing=world.pairing, by=fresh(world.author), title="<script>alert(1)</script>"
        )
        plan_services.section_save(
            plan,
            section=Section.CONTEXT,
            by=fresh(world.author),
            text="<b>bold</b>",
            expected_revision=0,
        )
    client.force_login(world.coordinator)
    content = client.get(LOG).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content


# Query count -----------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_rows(client, time_world):
    world = time_world

    def activity(first_day: date, days: int) -> None:
        with set_actor(fresh(world.officer)):
            for offset in range(days):
                entry = record(world, world.officer, first_day + timedelta(days=offset), 2)
                time_services.time_entry_update(entry, by=fresh(world.officer), hours=Decimal(3))
        with set_actor(fresh(world.coordinator)):
            rate(world, world.officer, first_day.year, str(40000 + days))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LOG).status_code == 200
        return len(captured)

    activity(MARCH, 1)
    client.force_login(world.coordinator)
    small = count()
    activity(date(2017, 4, 3), 12)
    assert LogEntry.objects.count() > 25
    assert count() == small
    assert TimeEntry.objects.count() == 13
