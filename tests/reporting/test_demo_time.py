"""The demo staff time that seed_demo loads: consistent, priced, in every state, and loaded once."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from accounts.models import Membership, Role
from mentoring.models import Event, EventStatus, StandardEventKind
from reporting import services
from reporting.costs import EU_FIGURES, cents, rate_for, staff_cost
from reporting.models import (
    Activity,
    MonthStatus,
    StaffRate,
    TimeEntry,
    TimesheetAction,
    TimesheetLog,
    TimesheetMonth,
)
from reporting.selectors import (
    days_by_city,
    months_not_counted,
    programme_cities,
    staff_cost_summary,
)


@pytest.fixture
def demo(demo_with_staff_time):
    """Here the demo comes with its staff time."""
    return demo_with_staff_time


def snapshot() -> dict:
    """Everything the demo's staff time consists of, as comparable values."""
    return {
        "entries": list(TimeEntry.objects.order_by("pk").values()),
        "months": list(TimesheetMonth.objects.order_by("pk").values()),
        "rates": list(StaffRate.objects.order_by("pk").values()),
        "log": list(TimesheetLog.objects.order_by("pk").values()),
    }


def test_seeding_again_changes_nothing(demo):
    before = snapshot()
    assert len(before["entries"]) > 400
    call_command("seed_demo", without_second_programme=True, verbosity=0)
    assert snapshot() == before


def test_seeding_again_keeps_what_people_changed(demo, demo_user):
    """A rate a supervisor changed and an entry an officer removed stay as they are."""
    officer, supervisor = (
        demo_user("officer.riga@example.org"),
        demo_user("supervisor.riga@example.org"),
    )
    riga = officer.memberships.get().city
    services.staff_rate_save(
        person=officer,
        city=riga,
        year=2018,
        annual_costs=Decimal("19999.00"),
        working_time_share=Decimal(1),
        by=supervisor,
    )
    entry = TimeEntry.objects.filter(person=officer, timesheet__status=MonthStatus.OPEN).last()
    services.time_entry_delete(entry, by=officer)
    entries = TimeEntry.objects.count()
    call_command("seed_demo", without_second_programme=True, verbosity=0)
    assert StaffRate.objects.get(person=officer, year=2018).annual_costs == Decimal("19999.00")
    assert TimeEntry.objects.count() == entries
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_approved_months_are_signed_priced_and_add_up(demo):
    approved = TimesheetMonth.objects.filter(status=MonthStatus.APPROVED).annotate(
        entry_hours=Sum("entries__hours")
    )
    assert approved.count() > 50
    supervisors = set(
        Membership.objects.filter(role=Role.SUPERVISOR).values_list("user_id", "city_id")
    )
    for sheet in approved:
        assert sheet.hours == sheet.entry_hours, sheet
        assert sheet.submitted_at is not None
        assert sheet.approved_at >= sheet.submitted_at
        assert (sheet.approved_by_id, sheet.city_id) in supervisors
        rate = StaffRate.objects.get(person=sheet.person, city=sheet.city, year=sheet.month.year)
        assert (sheet.annual_costs, sheet.working_time_share) == (
            rate.annual_costs,
            rate.working_time_share,
        )
        assert sheet.cost_model == demo.cost_model == "hourly"
        expected = rate_for(
            sheet.cost_model, rate.annual_costs, rate.working_time_share, EU_FIGURES
        )
        assert sheet.exact_rate == expected
        # The column itself: 20 places on PostgreSQL, a float's precision on SQLite.
        assert abs(sheet.rate - expected) < Decimal("1e-12")
        actions = list(sheet.log.values_list("action", flat=True))
        assert actions == [TimesheetAction.SUBMITTED, TimesheetAction.APPROVED]


def test_every_state_is_shown_and_the_returned_month_says_why(demo):
    counts = dict(TimesheetMonth.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert set(counts) == set(MonthStatus.values)
    assert counts[MonthStatus.APPROVED] > counts[MonthStatus.SUBMITTED] > 0
    assert counts[MonthStatus.OPEN] > 0
    returned = TimesheetMonth.objects.get(status=MonthStatus.RETURNED)
    assert returned.return_comment
    assert returned.log.get(action=TimesheetAction.RETURNED).comment == returned.return_comment
    # Nothing is approved after a month of the same person that is still waiting or open.
    for person_id in TimesheetMonth.objects.values_list("person_id", flat=True).distinct():
        statuses = list(
            TimesheetMonth.objects.filter(person_id=person_id)
            .order_by("month")
            .values_list("status", flat=True)
        )
        first_unapproved = next(
            (n for n, s in enumerate(statuses) if s != MonthStatus.APPROVED), len(statuses)
        )
        assert MonthStatus.APPROVED not in statuses[first_unapproved:]
    # Months up to mid-2017 are mostly approved; nothing from 2018 is.
    early = TimesheetMonth.objects.filter(month__lte="2017-06-01")
    assert early.filter(status=MonthStatus.APPROVED).count() > 0.8 * early.count()
    assert not TimesheetMonth.objects.filter(month__year=2018, status=MonthStatus.APPROVED)


def test_every_city_records_a_plausible_share_of_its_allowance(demo):
    hours = dict(
        TimeEntry.objects.filter(programme=demo)
        .values_list("city__name")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    assert len(hours) == 16
    for city, total in hours.items():
        assert Decimal(150) <= total <= Decimal(270), (city, total)
    allowance_hours = demo.staff_days_allowance * 8
    over = [city for city, total in hours.items() if total > allowance_hours]
    near = [city for city, total in hours.items() if total >= allowance_hours - 16]
    assert 1 <= len(over) <= 4
    assert len(near) >= 3
    rows = days_by_city(demo, list(programme_cities(demo)))
    assert all(row["recorded_days"] > row["approved_days"] > 0 for row in rows)


def test_entries_follow_the_events(demo):
    launch = Event.objects.get(programme=demo, kind__code=StandardEventKind.LAUNCH_MEETING)
    assert launch.time_entries.values("person").distinct().count() == 16
    for visit in Event.objects.filter(
        programme=demo,
        kind__code__in=(StandardEventKind.STUDY_VISIT, StandardEventKind.MENTORING_VISIT),
    ).select_related("pairing"):
        people = set(visit.time_entries.values_list("city__name", flat=True))
        if visit.status == EventStatus.CANCELLED:
            assert people == set()
        else:
            assert people == {visit.pairing.mentor.name, visit.pairing.implementing.name}
            assert visit.time_entries.filter(activity=Activity.VISIT).exists()
            assert all(
                visit.starts_on <= day <= visit.ends_on
                for day in visit.time_entries.values_list("day", flat=True)
            )
    # Each day stays within the programme's limit.
    per_day = (
        TimeEntry.objects.values("person", "day").annotate(total=Sum("hours")).order_by("-total")
    )
    assert per_day[0]["total"] <= demo.max_hours_per_day


def test_rates_differ_by_country_and_some_people_work_part_time(demo):
    rates = {
        (r.city.name, r.year): r for r in StaffRate.objects.select_related("city", "updated_by")
    }
    assert len(rates) == 16 * 3
    assert rates[("Athens", 2017)].annual_costs < rates[("Munich", 2017)].annual_costs
    assert rates[("Riga", 2017)].annual_costs < rates[("Helsinki", 2017)].annual_costs
    assert any(r.working_time_share < 1 for r in rates.values())
    for rate in rates.values():
        assert rate.updated_by.email == f"supervisor.{rate.city.slug}@example.org"
        assert rate.person.email == f"officer.{rate.city.slug}@example.org"


def test_the_staff_cost_summary_prices_the_approved_months(demo):
    summary = staff_cost_summary(
        demo, city=None, first_month=demo.starts_on, last_month=demo.ends_on
    )
    by_city: dict[str, Decimal] = defaultdict(Decimal)
    for sheet in TimesheetMonth.objects.filter(status=MonthStatus.APPROVED).select_related("city"):
        by_city[sheet.city.name] += staff_cost(
            sheet.cost_model, sheet.annual_costs, sheet.working_time_share, sheet.hours, EU_FIGURES
        )
    # Equal to the last of 28 significant digits but for the order of the sums: compare cents.
    assert {c.city: cents(c.cost) for c in summary.by_city} == {
        city: cents(cost) for city, cost in by_city.items()
    }
    assert cents(summary.split.direct) == cents(sum(by_city.values()))
    assert Decimal(20000) < summary.split.direct < Decimal(60000)
    assert months_not_counted(
        demo, city=None, first_month=demo.starts_on, last_month=demo.ends_on
    ).exists()
