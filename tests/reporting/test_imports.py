"""Paper timesheets kept before Tandem, brought in by a city's officers and supervisors: each month
arrives signed and waiting for approval, keeps the forms' rules, never changes a month Tandem
holds, and counts in reports only once a supervisor approves it, priced as any month."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from config import clock
from documents import imports
from documents.models import ImportRun
from notifications.models import Notification
from notifications.services import run_reminders
from reporting import selectors, services
from reporting.models import MonthStatus, TimeEntry, TimesheetAction, TimesheetMonth
from reporting.services import HistoricalEntry
from reporting.timesheet_pdfs import month_html
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

TODAY = date(2018, 9, 20)
MARCH = date(2017, 3, 1)


@pytest.fixture
def world():
    return build_time_world()


def line(world, row, day, hours, activity="action_planning", person=None, **kw):
    return HistoricalEntry(
        row=row,
        person=fresh(person or world.colleague),
        programme=world.programme,
        day=day,
        activity=activity,
        hours=Decimal(str(hours)),
        **kw,
    )


def march(world, person=None):
    return [
        line(world, 2, date(2017, 3, 6), 4, person=person, description="Needs survey"),
        line(world, 3, date(2017, 3, 6), 3, "consultation", person=person),
        line(world, 4, date(2017, 3, 7), 7.5, person=person),
    ]


def run(world, lines, *, by=None, dry_run=False, source="ghent-2017.csv"):
    return services.months_import(
        city=world.city,
        entries=lines,
        by=fresh(by or world.officer),
        source=source,
        sha256="ab" * 32,
        dry_run=dry_run,
        today=TODAY,
    )


def test_a_month_arrives_signed_on_paper_marked_imported_and_waiting_for_approval(world):
    check = run(world, march(world))
    assert check.outcomes == {2: "create", 3: "create", 4: "create"}
    assert not check.errors
    sheet = TimesheetMonth.objects.get(person=world.colleague, month=MARCH)
    assert sheet.status == MonthStatus.SUBMITTED
    assert sheet.is_imported
    assert sheet.is_locked
    assert (sheet.imported_by, sheet.imported_from) == (world.officer, "ghent-2017.csv")
    assert sheet.imported_sha256 == "ab" * 32
    assert sheet.submitted_at is None  # the person signed on paper, not in Tandem
    assert sorted(e.hours for e in sheet.entries.all()) == [3, 4, Decimal("7.5")]
    (step,) = sheet.log.all()
    assert step.action == TimesheetAction.IMPORTED
    assert step.details["hours"] == "14.5"
    assert step.details["file"] == "ghent-2017.csv"
    assert sheet in selectors.approval_queue(fresh(world.supervisor))


def test_a_preview_writes_nothing(world):
    check = run(world, march(world), dry_run=True)
    assert check.outcomes == {2: "create", 3: "create", 4: "create"}
    assert not TimesheetMonth.objects.exists()
    assert not TimeEntry.objects.exists()


def test_bad_rows_write_nothing_and_each_bad_cell_says_why(world):
    lines = [
        *march(world),
        line(world, 5, date(2017, 3, 8), 25),  # more than a day
        line(world, 6, date(2017, 3, 9), 2.25),  # not in half hours
        line(world, 7, date(2016, 9, 30), 2),  # before the programme
        line(world, 8, date(2017, 3, 7), 1),  # the same day and activity twice
        line(world, 9, date(2017, 3, 10), 6),  # two lines of one day over the programme's cap
        line(world, 10, date(2017, 3, 10), 6, "consultation"),
        line(world, 11, date(2017, 4, 3), 2, person=world.other_officer),  # not of Ghent
    ]
    with pytest.raises(ValidationError):
        run(world, lines)
    assert not TimesheetMonth.objects.exists()
    assert not TimeEntry.objects.exists()
    check = run(world, lines, dry_run=True)
    assert {row: sorted(cells) for row, cells in check.errors.items()} == {
        5: ["hours"],
        6: ["hours"],
        7: ["day"],
        8: ["activity"],
        9: ["hours"],
        10: ["hours"],
        11: ["person"],
    }
    assert check.errors[11]["person"] == ["Only officers of Ghent record time for it."]
    assert check.errors[5]["hours"] == ["A day has 24 hours."]
    assert {check.outcomes[row] for row in (2, 3, 4)} == {"create"}
    assert not TimesheetMonth.objects.exists()


def test_a_month_already_kept_in_tandem_is_never_changed(world):
    record(world, world.colleague, date(2017, 3, 6), 4, description="Needs survey")
    check = run(world, march(world), dry_run=True)
    assert set(check.errors) == {2, 3, 4}
    assert "already kept in Tandem" in check.errors[2]["day"][0]
    assert TimeEntry.objects.count() == 1


def test_importing_the_same_file_again_changes_nothing(world):
    run(world, march(world))
    sheet = TimesheetMonth.objects.get(month=MARCH)
    check = run(world, march(world), by=world.supervisor, source="again.xlsx")
    assert check.outcomes == {2: "unchanged", 3: "unchanged", 4: "unchanged"}
    assert TimeEntry.objects.count() == 3
    assert sheet.log.count() == 1
    sheet.refresh_from_db()
    assert (sheet.imported_from, sheet.imported_by) == ("ghent-2017.csv", world.officer)
    # A changed figure in an imported month is refused, not written over.
    changed = march(world)
    changed[2] = line(world, 4, date(2017, 3, 7), 6)
    check = run(world, changed, dry_run=True)
    assert check.outcomes == {2: "unchanged", 3: "unchanged", 4: "error"}
    assert "ghent-2017.csv" in check.errors[4]["day"][0]


def test_only_months_that_have_ended_are_imported(world):
    check = run(world, [line(world, 2, date(2018, 9, 3), 4)], dry_run=True)
    assert check.errors[2]["day"] == [
        "Only months that have ended are imported; record the time of September 2018 in Tandem."
    ]


def test_only_the_citys_officers_and_supervisors_import(world):
    for outsider in (world.other_officer, world.other_supervisor, world.coordinator):
        with pytest.raises(ValidationError, match="Only officers and supervisors of Ghent"):
            run(world, march(world), by=outsider)
    run(world, march(world), by=world.supervisor)
    assert TimesheetMonth.objects.get().imported_by == world.supervisor


def _summary(world):
    return selectors.staff_cost_summary(
        world.programme, city=world.city, first_month=MARCH, last_month=MARCH
    )


def test_an_imported_month_counts_only_once_approved_priced_as_a_month_kept_by_hand(world):
    rate(world, world.colleague, 2017, "41280")
    rate(world, world.officer, 2017, "41280")
    run(world, march(world))
    imported = TimesheetMonth.objects.get(person=world.colleague)
    assert _summary(world).total_hours == 0
    assert _summary(world).split.direct == 0
    assert imported in selectors.months_not_counted(
        world.programme, city=world.city, first_month=MARCH, last_month=MARCH
    )

    services.month_approve(imported, by=fresh(world.supervisor))
    imported.refresh_from_db()
    assert imported.status == MonthStatus.APPROVED
    assert imported.hours == Decimal("14.5")
    assert imported.annual_costs == Decimal("41280")
    assert imported.rate is not None
    after_import = _summary(world)
    assert after_import.total_hours == Decimal("14.5")
    assert after_import.person_months == 1

    # The same hours kept by hand, by another officer with the same rate.
    for entry in march(world, person=world.officer):
        record(world, world.officer, entry.day, entry.hours, entry.activity)
    by_hand = approved_month(world, world.officer, MARCH)
    assert selectors.month_costs(by_hand).cost == selectors.month_costs(imported).cost
    both = _summary(world)
    assert both.total_hours == Decimal(29)
    assert both.person_months == 2
    assert both.split.direct == 2 * after_import.split.direct
    assert after_import.split.direct.quantize(Decimal("0.01")) == Decimal("348.00")


# The ``timesheets`` kind of documents.imports -----------------------------------------------------

KIND = imports.get("timesheets")
HEADER = "E-mail address,Programme,Date,Activity,Hours,Description\n"


def table(text: str, name="ghent.csv"):
    return imports.read(text.encode(), filename=name, kind=KIND)


def csv_rows(world, *lines: str) -> str:
    return HEADER + "".join(line.format(c=world.colleague.email) + "\n" for line in lines)


@pytest.fixture
def paper(world):
    return csv_rows(
        world,
        "{c},,2017-03-06,action_planning,4,Needs survey",
        "{c},,2017-03-06,Consultation or webinar,3,",
        '{c},,2017-03-07,action_planning,"7,5",',
    )


def examined(world, text, by=None):
    user = fresh(by or world.officer)
    return imports.examine(KIND, table(text), user=user, target=KIND.target(user, "ghent"))


def test_the_kind_previews_imports_and_reimports_as_unchanged(world, paper):
    world.city.slug = "ghent"
    world.city.save()
    results = examined(world, paper)
    assert [(r.number, r.outcome, r.errors) for r in results] == [
        (2, "create", {}),
        (3, "create", {}),
        (4, "create", {}),
    ]
    assert not TimesheetMonth.objects.exists()
    user = fresh(world.officer)
    imports.apply(KIND, table(paper), user=user, target=world.city, source="ghent.csv")
    sheet = TimesheetMonth.objects.get()
    assert sheet.imported_from == "ghent.csv"
    assert sheet.entries.count() == 3
    assert {r.outcome for r in examined(world, paper, by=world.supervisor)} == {"unchanged"}


def test_the_template_and_the_export_round_trip(world, paper):
    world.city.slug = "ghent"
    world.city.save()
    blank, _name, _type = imports.template_file(KIND, "xlsx")
    example = imports.read(blank, filename="t.xlsx", kind=KIND)
    assert example.rows[0]["date"] == "2017-03-06"
    imports.apply(KIND, table(paper), user=fresh(world.officer), target=world.city, source="a.csv")
    for fmt in ("csv", "xlsx"):
        rows = KIND.export(user=fresh(world.officer), target=world.city)
        content, name, _type = imports.template_file(KIND, fmt, rows=rows)
        again = imports.read(content, filename=name, kind=KIND)
        user = fresh(world.supervisor)
        results = imports.examine(KIND, again, user=user, target=world.city)
        assert [r.outcome for r in results] == ["unchanged"] * 3, [r.errors for r in results]
    assert TimeEntry.objects.count() == 3


def test_every_bad_cell_is_named_and_nothing_is_written(world):
    world.city.slug = "ghent"
    world.city.save()
    text = csv_rows(
        world,
        "nobody@example.org,,2017-03-06,action_planning,4,",
        "{c},Elsewhere,2017-03-32,dancing,lots,",
        "{c},,2017-03-08,action_planning,=2+2,",
        "{c},,2017-03-09,action_planning,30,",
        "{c},,2017-03-10,action_planning,,",
    )
    results = examined(world, text)
    assert [sorted(r.errors) for r in results] == [
        ["email"],
        ["activity", "date", "hours", "programme"],
        ["hours"],
        ["hours"],
        ["hours"],
    ]
    assert results[0].errors["email"] == ["No officer of Ghent signs in with this e-mail address."]
    assert "formula" in results[2].errors["hours"][-1]
    assert results[4].errors["hours"] == ["This column needs a value."]
    out = imports.apply(KIND, table(text), user=fresh(world.officer), target=world.city, source="x")
    assert {r.outcome for r in out} == {"error"}
    assert not TimesheetMonth.objects.exists()


def test_another_citys_people_do_not_find_the_city(world):
    world.city.slug = "ghent"
    world.city.save()
    for outsider in (world.other_officer, world.other_supervisor, world.coordinator):
        with pytest.raises(Http404):
            KIND.target(fresh(outsider), "ghent")
    assert KIND.target(fresh(world.supervisor), "ghent") == world.city


# The pages ----------------------------------------------------------------------------------------


def words_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_supervisor_reads_where_the_month_came_from_and_approves_it_as_any(client, world):
    rate(world, world.colleague, 2017, "41280")
    run(world, march(world))
    sheet = TimesheetMonth.objects.get()
    client.force_login(world.supervisor)
    queue = words_of(client.get(reverse("reporting:approvals")))
    assert "On paper, imported from ghent-2017.csv on" in queue
    words = words_of(client.get(sheet.get_absolute_url()))
    assert "Signed on paper by Carl Colleague: imported from ghent-2017.csv by Olga Officer" in (
        words
    )
    assert "Not signed by the person yet." not in words
    response = client.post(reverse("reporting:month_approve", args=[sheet.pk]))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.APPROVED
    (row,) = selectors.person_months(
        world.programme, city=world.city, first_month=MARCH, last_month=MARCH
    )
    assert row.imported_from == "ghent-2017.csv"
    html = month_html(row, [], currency="EUR", language="en")
    assert "imported from ghent-2017.csv by Olga Officer" in html
    assert "Signed by Carl Colleague on" not in html


def test_an_officer_uploads_previews_and_confirms_through_the_import_pages(client, world, paper):
    world.city.slug = "ghent"
    world.city.save()
    page = reverse("documents:import", args=["timesheets", "ghent"])
    client.force_login(world.officer)
    assert page in client.get(reverse("reporting:my_time")).content.decode()
    upload = SimpleUploadedFile("ghent-2017.csv", paper.encode(), content_type="text/csv")
    response = client.post(page, {"file": upload})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert (run.created, run.errors) == (3, 0)
    assert not TimesheetMonth.objects.exists()
    confirmed = client.post(reverse("documents:import_run_confirm", args=[run.pk]))
    assert confirmed.status_code == 302
    sheet = TimesheetMonth.objects.get()
    assert (sheet.imported_from, sheet.imported_by) == ("ghent-2017.csv", world.officer)
    # The supervisor finds the import from the approval queue; other cities do not find it.
    client.force_login(world.supervisor)
    assert page in client.get(reverse("reporting:approvals")).content.decode()
    for outsider in (world.other_officer, world.other_supervisor, world.coordinator):
        client.force_login(outsider)
        assert client.get(page).status_code == 404
        assert client.post(page, {"file": upload}).status_code == 404
    assert ImportRun.objects.count() == 1


def test_an_imported_month_reminds_its_supervisors_when_it_waits_for_approval(world):
    """Like a month signed in the portal, it waits from the moment it arrived (its import)."""
    with clock.fixed_at(datetime(2018, 9, 20, 9, tzinfo=UTC)):
        run(world, march(world))
    after = world.programme.remind_approval_after_days
    run_reminders(datetime(2018, 9, 20 + after - 1, 9, tzinfo=UTC))
    told = Notification.objects.filter(kind="reporting.remind_approval")
    assert not told.exists()
    run_reminders(datetime(2018, 9, 20 + after, 9, tzinfo=UTC))
    run_reminders(datetime(2018, 9, 20 + after, 10, tzinfo=UTC))
    assert [n.recipient for n in told] == [world.supervisor]
