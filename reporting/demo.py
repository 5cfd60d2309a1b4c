"""Demo staff time of CITIES-GROW: each demo officer's rates, two years of hours and monthly
timesheets in every state (illustrative figures, our own words).

``seed_demo_time(programme)`` is called by the seed_demo command once the programme, its people
and its events exist. Everything goes through the reporting services, as an officer and a
supervisor would do it in the browser. A rate that exists is left as it is, and an officer who
already has a timesheet in the programme is skipped, so running it again changes nothing.

The story of one officer follows DOMAIN.md: the launch meeting in Brussels, one visit abroad and
one at home (the seeded study and mentoring visits, linked to their events), the conference and
the final meeting; the rest is remote work (needs analysis, visit preparation and follow-up,
action planning, local consultation, project management). The amount of remote work is chosen so
that each city ends near its target below, a few of them around or over the 30-day allowance.
The services stamp what they write with the seeding time; the demo takes each step through them
and then moves its stamps (entries, signatures, the workflow log, the audit trail) to the day
people would have taken it (accounts.demo.dated): rates entered when each year began, each month
filled in on its last working day, signed by the officer on the first working day after it and
by the supervisor two days later.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accounts.demo import DemoStep, dated, demo_at, register
from accounts.models import User
from cities.models import City
from mentoring.models import Event, EventStatus, Pairing, Programme, StandardEventKind

from . import services
from .demo_agir import seed_agir_time
from .models import Activity, StaffRate, TimeEntry, TimesheetLog, TimesheetMonth

# city: annual personnel costs 2016, 2017, 2018 (EUR, gross salary and employer's
# contributions), working-time share, target days over the programme.
CITY_PLANS: dict[str, tuple[tuple[int, int, int], str, str]] = {
    "Athens": ((23900, 23900, 24400), "1", "27"),
    "Barcelona": ((37800, 38400, 39100), "1", "22"),
    "Birmingham": ((41500, 42300, 43100), "1", "21.5"),
    "Brighton & Hove": ((39200, 39900, 40700), "0.8", "26"),
    "Dresden": ((56300, 57700, 59200), "1", "31.5"),
    "Gdańsk": ((18700, 19600, 20800), "1", "29.5"),
    "Ghent": ((61900, 63100, 64400), "0.8", "20.5"),
    "Helsinki": ((59800, 60400, 61600), "1", "20.5"),
    "Lisbon": ((26400, 26900, 27500), "1", "23"),
    "Munich": ((66500, 68200, 70100), "1", "24.5"),
    "Nantes": ((49700, 50600, 51500), "0.8", "22"),
    "Nicosia": ((32800, 33300, 33900), "1", "32"),
    "Riga": ((16900, 17800, 18900), "1", "28"),
    "Rotterdam": ((60700, 62000, 63300), "1", "25"),
    "Tampere": ((53600, 54200, 55300), "0.6", "27.5"),
    "Utrecht": ((58900, 60100, 61400), "0.9", "24"),
}

# city: last month approved, last month signed and waiting for the supervisor, a month that the
# supervisor returned (or None). Months with time after these stay open.
MONTH_STATES: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int] | None]] = {
    "Athens": ((2017, 6), (2017, 8), None),
    "Barcelona": ((2017, 9), (2017, 10), None),
    "Birmingham": ((2017, 7), (2017, 7), None),
    "Brighton & Hove": ((2017, 5), (2017, 7), None),
    "Dresden": ((2017, 8), (2017, 8), (2017, 9)),
    "Gdańsk": ((2017, 10), (2017, 12), None),
    "Ghent": ((2017, 6), (2017, 6), None),
    "Helsinki": ((2017, 7), (2017, 8), None),
    "Lisbon": ((2017, 4), (2017, 6), None),
    "Munich": ((2017, 9), (2017, 9), None),
    "Nantes": ((2017, 6), (2017, 7), None),
    "Nicosia": ((2017, 3), (2017, 4), None),
    "Riga": ((2017, 6), (2017, 7), None),
    "Rotterdam": ((2017, 8), (2017, 11), None),
    "Tampere": ((2017, 5), (2017, 5), None),
    "Utrecht": ((2017, 7), (2017, 9), None),
}

# When the supervisor entered each year's annual personnel costs.
RATES_ENTERED = {2016: date(2016, 10, 10), 2017: date(2017, 1, 9), 2018: date(2018, 1, 8)}

RETURN_COMMENT = (
    "Please say in the descriptions which visit the preparation hours were for, and check the "
    "total of the month against your diary before you sign again."
)

# Hours on the road to Brussels, each way.
BRUSSELS_TRAVEL = {
    "Ghent": "1.5",
    "Rotterdam": "2",
    "Utrecht": "2.5",
    "Birmingham": "3",
    "Brighton & Hove": "3",
    "Dresden": "3",
    "Munich": "3",
    "Nantes": "3",
}
FAR_TRAVEL = "4"
VISIT_TRAVEL = Decimal("3.5")


@dataclass(frozen=True)
class Planned:
    day: date
    activity: str
    hours: Decimal
    description: str
    event: Event | None = None


@dataclass(frozen=True)
class Role:
    """Where a city stands in its pairing."""

    city: City
    partner: City
    mentor: bool
    study_visit: Event | None
    mentoring_visit: Event | None


# Events ------------------------------------------------------------------------------------------


def _meeting(entries, event, city, *, activity, title) -> None:
    """A programme meeting; the journey there and back is counted in its first and last day."""
    if event is None or event.status == EventStatus.CANCELLED:
        return
    days = [event.starts_on + timedelta(days=n) for n in range(event.length_in_days)]
    if event.host_city_id == city.pk:
        for day in days:
            entries.append(Planned(day, activity, Decimal(8), f"{title} (hosts)", event))
        return
    travel = Decimal(BRUSSELS_TRAVEL.get(city.name, FAR_TRAVEL))
    legs = [travel] if len(days) == 1 else [travel] + [Decimal(0)] * (len(days) - 2) + [travel]
    for day, leg in zip(days, legs, strict=True):
        described = f"{title}, with travel" if leg else title
        entries.append(Planned(day, activity, Decimal(6) + leg, described, event))


def _visit(entries, event, city, *, guest: bool, title: str) -> None:
    """Three days of a study or mentoring visit, as the guest (with travel) or the host."""
    if event is None or event.status == EventStatus.CANCELLED:
        return
    days = [event.starts_on + timedelta(days=n) for n in range(event.length_in_days)]
    hours = ["6", "8", "5"] if guest else ["7", "8", "6"]
    for n, day in enumerate(days):
        entries.append(
            Planned(day, Activity.VISIT, Decimal(hours[min(n, 2)]), f"{title}, day {n + 1}", event)
        )
    if guest:
        place = event.host_city.name
        entries.append(Planned(days[0], Activity.TRAVEL, VISIT_TRAVEL, f"Travel to {place}", event))
        entries.append(
            Planned(days[-1], Activity.TRAVEL, VISIT_TRAVEL, f"Return from {place}", event)
        )


def _event_entries(programme: Programme, role: Role) -> list[Planned]:
    events = {
        kind: Event.objects.filter(programme=programme, kind__code=kind)
        .order_by("starts_on")
        .first()
        for kind in (
            StandardEventKind.LAUNCH_MEETING,
            StandardEventKind.WEBINAR,
            StandardEventKind.CONFERENCE,
            StandardEventKind.FINAL_MEETING,
        )
    }
    city, partner = role.city, role.partner
    entries: list[Planned] = []
    _meeting(
        entries,
        events[StandardEventKind.LAUNCH_MEETING],
        city,
        activity=Activity.PROJECT_MANAGEMENT,
        title="Launch meeting: schemes, pairings and the calendar of visits",
    )
    webinar = events[StandardEventKind.WEBINAR]
    if webinar is not None and (not role.mentor or city.name in ("Barcelona", "Ghent")):
        entries.append(
            Planned(
                webinar.starts_on,
                Activity.CONSULTATION,
                Decimal(2),
                "Webinar on turning the needs analysis into questions for the visit",
                webinar,
            )
        )
    if role.mentor:
        _visit(
            entries, role.study_visit, city, guest=False, title=f"Hosting {partner}'s study visit"
        )
        _visit(
            entries, role.mentoring_visit, city, guest=True, title=f"Mentoring visit in {partner}"
        )
    else:
        _visit(entries, role.study_visit, city, guest=True, title=f"Study visit to {partner}")
        _visit(
            entries,
            role.mentoring_visit,
            city,
            guest=False,
            title=f"Hosting the mentoring visit from {partner}",
        )
    _meeting(
        entries,
        events[StandardEventKind.CONFERENCE],
        city,
        activity=Activity.CONSULTATION,
        title="Integrating Cities conference: the schemes at half-time",
    )
    _meeting(
        entries,
        events[StandardEventKind.FINAL_MEETING],
        city,
        activity=Activity.PROJECT_MANAGEMENT,
        title="Final meeting: action plans and toolkits",
    )
    return entries


# Remote work -------------------------------------------------------------------------------------


def _month(day: date, shift: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = _month(month, 1)
    return months


def _remote_items(programme: Programme, role: Role) -> list[tuple[date, str, int, str]]:
    """What the officer does from the office, month by month: (month, activity, weight, what)."""
    start, end = _month(programme.starts_on), _month(programme.ends_on)
    partner = role.partner.name
    study = _month(role.study_visit.starts_on) if role.study_visit else _month(start, 5)
    mentoring = _month(role.mentoring_visit.starts_on) if role.mentoring_visit else None
    items: list[tuple[date, str, int, str]] = []

    def add(month: date, activity: str, weight: int, what: str) -> None:
        if start <= month <= end:
            items.append((month, activity, weight, what))

    for month in _months(start, end):
        if month.month in (3, 9):
            add(month, Activity.PROJECT_MANAGEMENT, 2, "Timesheets and the half-yearly report")
    if role.mentor:
        add(_month(start, 3), Activity.NEEDS_ANALYSIS, 3, f"Comments on {partner}'s needs analysis")
        add(
            _month(study, -1), Activity.VISIT_PREPARATION, 4, "Programme and site visits for guests"
        )
        add(_month(study, 1), Activity.FOLLOW_UP, 3, "Notes of the study visit for the report")
        if mentoring is not None:
            add(_month(mentoring, -1), Activity.VISIT_PREPARATION, 3, f"Reading {partner}'s draft")
            if role.mentoring_visit.status != EventStatus.CANCELLED:
                add(_month(mentoring, 1), Activity.FOLLOW_UP, 3, "Visit report and recommendations")
        add(date(2018, 3, 1), Activity.ACTION_PLANNING, 2, f"Review of {partner}'s action plan")
        add(date(2018, 5, 1), Activity.ACTION_PLANNING, 2, f"Comments on {partner}'s final plan")
        add(date(2017, 9, 1), Activity.CONSULTATION, 1, f"Call with {partner} on progress")
        add(date(2018, 1, 1), Activity.CONSULTATION, 1, f"Call with {partner} on progress")
        return items
    needs = [
        (0, 2, "Interviews with employment and business services"),
        (2, 4, "Needs analysis: figures on migrant-led firms and jobseekers"),
        (3, 4, "Needs analysis: draft for the mentor and the expert"),
        (4, 2, "Needs analysis: final version"),
    ]
    for shift, weight, what in needs:
        add(_month(start, shift), Activity.NEEDS_ANALYSIS, weight, what)
    add(_month(study, -2), Activity.VISIT_PREPARATION, 2, f"Questions for the visit to {partner}")
    add(_month(study, -1), Activity.VISIT_PREPARATION, 3, "Study visit: participants and travel")
    add(_month(study, 1), Activity.FOLLOW_UP, 3, "What we learnt: note for the department heads")
    if mentoring is not None:
        add(_month(mentoring, -1), Activity.VISIT_PREPARATION, 3, "Local programme of the visit")
        if role.mentoring_visit.status != EventStatus.CANCELLED:
            add(_month(mentoring, 1), Activity.FOLLOW_UP, 3, "Follow-up of the recommendations")
    plan = [
        "Action plan: objectives with the local group",
        "Action plan: actions, leads and timing",
        "Action plan: indicators and baseline",
        "Action plan: budget and funding sources",
    ]
    # Every other month until the spring of 2018, then every month until the plan is endorsed.
    drafting = _months(_month(study, 2), date(2018, 3, 1))[::2]
    for n, month in enumerate(drafting + _months(date(2018, 4, 1), date(2018, 7, 1))):
        weight = 4 if month >= date(2018, 4, 1) else 3
        add(month, Activity.ACTION_PLANNING, weight, plan[n % len(plan)])
    for month in (date(2017, 6, 1), date(2017, 11, 1), date(2018, 5, 1)):
        add(month, Activity.CONSULTATION, 1, "Local group meeting with employers and associations")
    return items


def _split(total_halves: int, weights: list[int]) -> list[int]:
    """Share half-hours out in proportion to the weights; the remainder to the heaviest."""
    whole = sum(weights)
    shares = [total_halves * w // whole for w in weights]
    by_weight = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
    for n in range(total_halves - sum(shares)):
        shares[by_weight[n % len(weights)]] += 1
    return shares


def _remote_entries(programme, role, remote_hours: Decimal, busy: set[date], seed: int):
    items = _remote_items(programme, role)
    halves = _split(int(remote_hours * 2), [weight for _m, _a, weight, _w in items])
    entries: list[Planned] = []
    for n, ((month, activity, _weight, what), share) in enumerate(zip(items, halves, strict=True)):
        if share == 0:
            continue
        chunks = -(-share // 16)  # at most a working day at the desk
        sizes = [share // chunks + (1 if k < share % chunks else 0) for k in range(chunks)]
        free = [
            day
            for day in services.days_of_month(month)
            if day.weekday() < 5 and day not in busy and programme.starts_on <= day
        ]
        step = max(1, len(free) // chunks)
        position = (seed * 3 + n * 5) % len(free)
        for size in sizes:
            while free[position % len(free)] in busy:
                position += 1
            day = free[position % len(free)]
            busy.add(day)
            entries.append(Planned(day, activity, Decimal(size) / 2, what))
            position += step
    return entries


# Seeding -----------------------------------------------------------------------------------------


def _roles(programme: Programme) -> list[Role]:
    visits = {
        (event.pairing_id, event.kind.code): event
        for event in Event.objects.filter(
            programme=programme,
            kind__code__in=(StandardEventKind.STUDY_VISIT, StandardEventKind.MENTORING_VISIT),
        ).select_related("host_city", "kind")
    }
    roles = []
    for pairing in Pairing.objects.filter(scheme__programme=programme).select_related(
        "mentor", "implementing"
    ):
        study = visits.get((pairing.pk, StandardEventKind.STUDY_VISIT))
        mentoring = visits.get((pairing.pk, StandardEventKind.MENTORING_VISIT))
        roles.append(Role(pairing.mentor, pairing.implementing, True, study, mentoring))
        roles.append(Role(pairing.implementing, pairing.mentor, False, study, mentoring))
    return sorted(roles, key=lambda role: role.city.name)


def _person(kind: str, city: City) -> User | None:
    return User.objects.filter(email=f"{kind}.{city.slug}@example.org").first()


def plan_for(programme: Programme, role: Role, seed: int = 0) -> list[Planned]:
    """Every entry of the city's demo officer over the programme."""
    _costs, _share, target_days = CITY_PLANS[role.city.name]
    entries = _event_entries(programme, role)
    event_hours = sum((entry.hours for entry in entries), Decimal(0))
    remote = Decimal(target_days) * 8 - event_hours
    busy = {entry.day for entry in entries}
    entries += _remote_entries(programme, role, max(remote, Decimal(0)), busy, seed)
    return sorted(entries, key=lambda entry: (entry.day, entry.activity))


def _rates(officer: User, supervisor: User, city: City) -> None:
    costs, share, _target = CITY_PLANS[city.name]
    existing = set(
        StaffRate.objects.filter(person=officer, city=city).values_list("year", flat=True)
    )
    for year, annual in zip((2016, 2017, 2018), costs, strict=True):
        if year not in existing:
            with dated(demo_at(RATES_ENTERED[year]), (StaffRate, "updated_at")):
                services.staff_rate_save(
                    person=officer,
                    city=city,
                    year=year,
                    annual_costs=Decimal(annual),
                    working_time_share=Decimal(share),
                    by=supervisor,
                )


def _sign(officer: User, supervisor: User, programme: Programme, city: City) -> None:
    """Sign the months as people would have: the officer on the first working day after the
    month, the supervisor two days later."""
    approved, submitted, returned = MONTH_STATES[city.name]
    approved_through, submitted_through = date(*approved, 1), date(*submitted, 1)
    returned = date(*returned, 1) if returned else None
    sheets = TimesheetMonth.objects.filter(person=officer, programme=programme, city=city)
    for sheet in sheets.order_by("month"):
        signed = _next_working_day(services.days_of_month(sheet.month)[-1])
        countersigned = demo_at(_next_working_day(signed + timedelta(days=1)), 11)
        if sheet.month <= submitted_through or sheet.month == returned:
            with dated(demo_at(signed, 9), (TimesheetMonth, "submitted_at"), (TimesheetLog, "at")):
                services.month_submit(sheet, by=officer)
        if sheet.month <= approved_through:
            with dated(countersigned, (TimesheetMonth, "approved_at"), (TimesheetLog, "at")):
                services.month_approve(sheet, by=supervisor)
        elif sheet.month == returned:
            with dated(countersigned, (TimesheetLog, "at")):
                services.month_return(sheet, by=supervisor, comment=RETURN_COMMENT)


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _last_working_day(month: date) -> date:
    day = services.days_of_month(month)[-1]
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def seed_demo_time(programme: Programme) -> int:
    """Rates, entries and signed months for every demo officer who has none yet. Returns how
    many entries were created."""
    created = 0
    for seed, role in enumerate(_roles(programme)):
        city = role.city
        if city.name not in CITY_PLANS:
            continue
        officer, supervisor = _person("officer", city), _person("supervisor", city)
        if officer is None or supervisor is None:
            continue
        _rates(officer, supervisor, city)
        if TimesheetMonth.objects.filter(person=officer, programme=programme).exists():
            continue
        plan = plan_for(programme, role, seed)
        # Month by month, as the officer fills in the grid at the end of each month: the time
        # of the events first (each entry linked to its event), then the rest in the grid.
        months: dict[date, list[Planned]] = defaultdict(list)
        for entry in plan:
            months[entry.day.replace(day=1)].append(entry)
        for month, entries in sorted(months.items()):
            stamps = (TimeEntry, "created_at"), (TimeEntry, "updated_at")
            with dated(demo_at(_last_working_day(month), 17), *stamps):
                for entry in entries:
                    if entry.event is not None:
                        services.time_entry_create(
                            person=officer,
                            programme=programme,
                            city=city,
                            day=entry.day,
                            activity=entry.activity,
                            hours=entry.hours,
                            event=entry.event,
                            description=entry.description,
                        )
                grid = [entry for entry in entries if entry.event is None]
                if grid:
                    services.month_grid_save(
                        person=officer,
                        programme=programme,
                        city=city,
                        month=month,
                        hours={(e.day, e.activity): e.hours for e in grid},
                        descriptions={e.day: e.description for e in grid},
                    )
        created += len(plan)
        _sign(officer, supervisor, programme, city)
    return created


register(
    DemoStep(
        "staff-time",
        80,
        lambda run: seed_demo_time(run.made["programme"]),
        without="staff-time",
        help="Leave out the demo time entries, timesheets and rates (quicker; most tests).",
    )
)

register(
    DemoStep(
        "agir-staff-time",
        175,
        seed_agir_time,
        without="second-programme",
        help="Leave out the second demo programme, ICP AGIR.",
    )
)
