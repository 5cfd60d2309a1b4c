"""The audit trail: changes made through the services are recorded with who, what and when;
coordinators read those of their own programmes, nobody else reads any."""

import html
import re
from datetime import UTC, date, datetime, timedelta
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
from audit.filters import LogEntryFilter
from audit.models import AuditScope
from config.pagination import cursor_of
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
    by_person = page_text(client, person="cora")
    assert "1 change " in by_person
    assert "Cora Coord" in by_person
    by_address = client.get(LOG, {"person": world.author.email.split("@")[0].upper()})
    authored = LogEntry.objects.filter(actor=world.author).count()
    assert f"{authored} changes" in by_address.content.decode()
    assert {row.who for row in by_address.context["rows"]} == {world.author.full_name}
    assert "No changes to show." in page_text(client, person="nobody of that name")
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
    assert page_text(client, date_from="not a date", person="a" * 3000)
    # No moment before the first day of the calendar or after its last to bound the list by.
    response = client.get(LOG, {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 200
    assert not response.context["filter"].form.errors


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


# Pages and the search by person -----------------------------------------------------------------


@pytest.fixture
def pages_of_three(monkeypatch):
    """Pages of three changes, counted up to five: a few changes make several pages."""
    monkeypatch.setattr("audit.views.ENTRIES_PER_PAGE", 3)
    monkeypatch.setattr("audit.views.COUNTED_UP_TO", 5)


def month_of_entries(world, person, days: int, first_day: date = MARCH) -> list[TimeEntry]:
    with set_actor(fresh(person)):
        return [record(world, person, first_day + timedelta(days=n), 2) for n in range(days)]


def listed(response) -> list[str]:
    """The objects of the rows listed, in their order."""
    return [row.entry.object_repr for row in response.context["rows"]]


def follow(client, response, rel: str):
    link = re.search(rf'<a href="\?([^"]*)" rel="{rel}">', response.content.decode())
    return None if link is None else client.get(LOG + "?" + html.unescape(link[1]))


def test_the_trail_pages_from_the_newest_change_to_the_oldest_and_back(
    client, time_world, pages_of_three
):
    world = time_world
    month_of_entries(world, world.officer, 7)
    month_of_entries(world, world.colleague, 2, first_day=date(2017, 4, 3))
    # Nine entries and the two monthly timesheets they opened.
    newest_first = [e.object_repr for e in LogEntry.objects.order_by("-timestamp", "-pk")]
    assert len(newest_first) == 11
    client.force_login(world.coordinator)

    pages = [client.get(LOG)]
    while (older := follow(client, pages[-1], "next")) is not None:
        pages.append(older)
    assert [len(listed(page)) for page in pages] == [3, 3, 3, 2]
    assert [repr_ for page in pages for repr_ in listed(page)] == newest_first
    first_page = pages[0].content.decode()
    assert "More than 5 changes" in first_page
    assert 'rel="prev"' not in first_page
    assert "Newest" not in first_page

    back = follow(client, pages[2], "prev")
    assert listed(back) == listed(pages[1])
    assert "Newest" in back.content.decode()
    assert listed(follow(client, back, "prev")) == listed(pages[0])
    assert follow(client, pages[-1], "next") is None


def test_the_pages_keep_the_filters(client, time_world, pages_of_three):
    world = time_world
    month_of_entries(world, world.officer, 4)
    month_of_entries(world, world.colleague, 4, first_day=date(2017, 4, 3))
    client.force_login(world.coordinator)
    first = client.get(LOG, {"person": "olga", "kind": "reporting.timeentry"})
    assert "4 changes" in first.content.decode()
    second = follow(client, first, "next")
    assert "person=olga" in second.request["QUERY_STRING"]
    assert "kind=reporting.timeentry" in second.request["QUERY_STRING"]
    assert listed(second) == [repr_ for repr_ in listed(second) if "Olga Officer" in repr_]
    assert len(listed(first) + listed(second)) == 4


@pytest.mark.parametrize(
    "cursor", ["before=abc", "after=12-", "before=-99999999999999999-1", "after=1--1"]
)
def test_a_cursor_that_cannot_be_read_shows_the_newest_page(
    client, time_world, pages_of_three, cursor
):
    world = time_world
    month_of_entries(world, world.officer, 4)
    client.force_login(world.coordinator)
    response = client.get(f"{LOG}?{cursor}")
    assert response.status_code == 200
    assert listed(response) == listed(client.get(LOG))


@pytest.mark.parametrize(
    "cursor", ["before=0-1", f"after={cursor_of(datetime.max.replace(tzinfo=UTC), 1)}"]
)
def test_a_cursor_beyond_the_first_or_last_change_shows_an_empty_page(
    client, time_world, pages_of_three, cursor
):
    world = time_world
    month_of_entries(world, world.officer, 4)
    client.force_login(world.coordinator)
    response = client.get(f"{LOG}?{cursor}")
    assert response.status_code == 200
    assert listed(response) == []
    assert "Newest" in response.content.decode()


def test_pages_and_the_search_by_person_stay_within_the_programmes_coordinated(
    client, time_world, pages_of_three
):
    """Olga records time in two programmes; each coordinator finds only their programme's
    entries by her name, and a page link of one programme shows nothing of it to the other."""
    world = time_world
    second_programme = ProgrammeFactory(
        name="ICP AGIR", starts_on=date(2016, 10, 1), ends_on=date(2018, 9, 30)
    )
    ParticipationFactory(programme=second_programme, city=world.city)
    second_coordinator = CoordinatorFactory(
        programme=second_programme, user__full_name="Ivo Other"
    ).user
    month_of_entries(world, world.officer, 5)
    with set_actor(fresh(world.officer)):
        time_services.time_entry_create(
            person=fresh(world.officer),
            programme=second_programme,
            city=world.city,
            day=date(2017, 5, 2),
            activity="visit",
            hours=Decimal(4),
        )

    client.force_login(world.coordinator)
    first = client.get(LOG, {"person": "Olga"})
    assert "More than 5 changes" in first.content.decode()  # five entries and their month
    assert all("Study or mentoring visit" not in repr_ for repr_ in listed(first))
    older = re.search(r'href="\?([^"]*)" rel="next"', first.content.decode())[1]

    client.force_login(second_coordinator)
    theirs = client.get(LOG, {"person": "Olga"})
    assert "2 changes" in theirs.content.decode()
    assert listed(theirs) == [
        "Olga Officer · 2017-05-02 · Study or mentoring visit · 4 h",
        "Olga Officer · 2017-05 · ICP AGIR",
    ]
    assert listed(client.get(LOG + "?" + html.unescape(older))) == []
    client.force_login(world.outsider_coordinator)
    assert "No changes to show." in page_text(client, person="Olga")
    assert listed(client.get(LOG + "?" + html.unescape(older))) == []


def test_the_days_are_those_of_the_person_reading(client, time_world):
    """A change at 23:30 in Brussels (22:30 UTC) belongs to that day, not the next."""
    world = time_world
    (entry,) = month_of_entries(world, world.officer, 1)
    LogEntry.objects.get_for_object(entry).update(
        timestamp=datetime(2017, 3, 1, 22, 30, tzinfo=UTC)
    )
    client.force_login(world.coordinator)

    def entries(**days) -> str:
        return page_text(client, kind="reporting.timeentry", **days)

    assert "1 change " in entries(date_from="2017-03-01", date_to="2017-03-01")
    assert "No changes to show." in entries(date_from="2017-03-02")
    assert "No changes to show." in entries(date_to="2017-02-28")


def test_the_person_filter_is_a_search_field_not_a_list_of_everyone(client, time_world):
    world = time_world
    month_of_entries(world, world.officer, 1)
    client.force_login(world.coordinator)
    content = client.get(LOG).content.decode()
    assert '<input type="search" name="person"' in content
    assert 'id="id_person_helptext"' in content
    assert "<option" not in content.split('name="person"')[1].split("</div>")[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram index")
def test_the_object_search_can_use_the_trigram_index(time_world):
    """The query of "Object contains" as the filter builds it (UPPER(...) LIKE UPPER(...))."""
    month_of_entries(time_world, time_world.officer, 1)
    found = LogEntryFilter({"q": "olga officer"}, queryset=LogEntry.objects.all()).qs
    sql, params = found.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_logentry_object_repr_trgm" in plan
