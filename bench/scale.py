"""Tandem at scale: a large programme seeded on PostgreSQL, its pages under load through gunicorn
and wrk, the staff-cost totals and report job, and a toolkit PDF, on the same data.

Run it against a PostgreSQL database of its own (its name must contain "bench": the script
empties it before seeding)::

    psql postgres://postgres@127.0.0.1:5432/postgres -c "CREATE DATABASE tandem_bench"
    make bench                                   # seed, then measure everything
    make bench BENCH_ARGS="--skip-seed"          # measure the data already there
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench \\
        .venv/bin/python bench/scale.py --scale 0.01 --duration 3   # a smoke run, under a minute

What it seeds at --scale 1 (bulk_create, COPY for the time entries; not the services, except for
the toolkit): one programme (2016-10 to 2018-09) with 10 thematic schemes, 500 cities, 2,000
pairings, 5,000 events with about 23,000 attendances, four officers and a supervisor per city
who record one entry per working day (≈ 1,044,000 entries, approved and priced through June
2018 as bench/seed.py does for bench/staff_costs.py), 5,000 published good practices, three
toolkits, the first holding 134 practices, with a published edition whose English PDF is made
once through the real rendering job, so that its address serves a stored file; an action plan
for each pairing not withdrawn (1,960) at every stage of its workflow, with versions and
transitions, and one audit-trail entry per time entry. Everyone's password is
``bench-password``. Then VACUUM ANALYZE.

What it measures.

1. Pages: gunicorn (config.wsgi, bench settings, DEBUG off) on 127.0.0.1, and for each page
   ``wrk -t2 -c16 -d20s --latency -s bench/wrk_report.lua``: requests per second, p50/p75/p90/
   p95/p99 latency, and the count of answers other than 200 (must be 0). The pages: the
   coordinator's home dashboard, the pairing list, a catalogue search (anonymous), an officer's
   month grid, the toolkit PDF download. Each page is also fetched once in-process to count its
   queries.
2. Staff costs: ``staff_cost_summary`` against one raw SQL query (bench/staff_costs.py), and the
   report job for one city, and its CSV/XLSX alone, in a child process.
3. The toolkit PDF end to end against WeasyPrint alone (bench/toolkits.py).

The figures are printed and written to var/bench/scale.{md,json}; bench/RESULTS.md keeps the
runs worth keeping.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench import seed as seeding  # noqa: E402 (needs ROOT on sys.path)

PROGRAMME_SLUG = "bench-scale"
PASSWORD = "bench-password"  # noqa: S105 (a bench database only)
COORDINATOR = "bench.coordinator@example.org"
EXPERT = "bench.expert@example.org"  # bench/toolkits.py renders as this person
OFFICER = "bench.officer.0000.0@example.org"
AT_SCALE_1 = {"cities": 500, "pairings": 2000, "events": 5000, "practices": 5000, "schemes": 10}
OFFICERS_PER_CITY = 4
TOOLKIT_PRACTICES = 134
SEARCH = "supplier register"
GRID_MONTH = (2018, 9)  # the open month: the grid an officer types into
STEPS = ("pages", "staff", "toolkit")
WRK_MARK = "WRK-JSON "
COUNTRIES = ["BE", "DE", "ES", "FI", "FR", "GR", "NL", "PL", "PT", "SE", "IT", "AT", "CZ", "LV"]
LANGUAGES = ["en", "en", "en", "fr", "de", "es", "pl", "it"]
TOPICS = [
    "tenders split into lots",
    "mentoring by local entrepreneurs",
    "language cafés at the job centre",
    "a supplier register open to newcomers",
    "school-to-work coaching",
    "anonymous job applications",
    "micro-credit with business training",
    "recognition of foreign diplomas",
    "housing first for young refugees",
    "a one-stop shop for employers",
    "volunteering as a path to work",
    "sports clubs as meeting places",
    "childcare during language courses",
    "women's cooperatives in catering",
    "digital skills in libraries",
    "buddy schemes at the town hall",
]
PARAGRAPH = (
    "The team of {city} worked on {topic} with the chamber of commerce, {partner} and the "
    "regional employment office. In the first year {n} people took part; {m} of them found work "
    "or a contract within six months, and the partners met every month to adjust the scheme. "
    "Costs were shared between the city and the partners, and the steps are described so that "
    "another city can repeat them with its own partners and its own rules on public contracts."
)
PARTNERS = ["two schools", "the housing office", "a social enterprise", "the public library"]


def scaled(n: int, scale: float, least: int = 1) -> int:
    return max(least, round(n * scale))


def sizes_for(scale: float) -> dict:
    """What is seeded at a scale. The ten schemes are the programme's frame, not its size: a
    tenth of the data is a tenth of the cities, pairings, events, entries and practices in the
    same ten schemes, so that a page that shows each scheme (the home dashboard) or a search
    that finds each scheme's topics (the catalogue's) shows the same at every scale, and the
    growth from a tenth to the whole measures the data's weight rather than what is shown.
    (With one scheme at a tenth, its practices took only every other topic and the catalogue
    search found nothing.)"""
    sizes = {key: scaled(value, scale) for key, value in AT_SCALE_1.items()}
    sizes["cities"] = max(sizes["cities"], 5)
    sizes["schemes"] = AT_SCALE_1["schemes"]
    return sizes


# Seeding -----------------------------------------------------------------------------------------


def stage(name: str, total: int | None = None):
    from tqdm import tqdm

    return tqdm(total=total, desc=name, unit="row", unit_scale=True)


def seed(scale: float) -> dict:
    """Empty the bench database and load the programme; returns counts and timings."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    started, timings = time.perf_counter(), {}
    call_command("flush", interactive=False, verbosity=0)
    sizes = sizes_for(scale)
    password = make_password(PASSWORD)
    with transaction.atomic():
        mark = time.perf_counter()
        world = seed_people(sizes, password)
        timings["cities and people"] = time.perf_counter() - mark

        mark = time.perf_counter()
        timed = seeding.seed_time(
            world["programme"],
            world["cities"],
            world["supervisors"],
            officers_per_city=OFFICERS_PER_CITY,
            password=password,
        )
        world["officers"] = timed["officers"]
        timings["time entries"] = time.perf_counter() - mark

        mark = time.perf_counter()
        world["pairings"] = seed_pairings(world, sizes["pairings"])
        timings["pairings"] = time.perf_counter() - mark

        mark = time.perf_counter()
        attendances = seed_events(world, sizes["events"])
        timings["events"] = time.perf_counter() - mark

        mark = time.perf_counter()
        practices = seed_practices(world, sizes["practices"])
        timings["good practices"] = time.perf_counter() - mark

        mark = time.perf_counter()
        edition, toolkits = seed_toolkits(world, practices)
        timings["toolkits (services)"] = time.perf_counter() - mark

        mark = time.perf_counter()
        plans = seed_plans(world)
        timings["action plans"] = time.perf_counter() - mark

        mark = time.perf_counter()
        audit_entries = seed_audit_entries()
        timings["audit entries"] = time.perf_counter() - mark

    mark = time.perf_counter()
    seeding.vacuum_analyze()
    timings["VACUUM ANALYZE"] = time.perf_counter() - mark

    mark = time.perf_counter()
    print("Rendering the toolkit PDF once through the job…", flush=True)
    from bench import toolkits as toolkit_bench

    render_seconds, pages, size = toolkit_bench.end_to_end(edition, "en")
    timings["toolkit PDF (the real job)"] = time.perf_counter() - mark
    return {
        "scale": scale,
        "seconds": time.perf_counter() - started,
        "timings": timings,
        "cities": len(world["cities"]),
        "schemes": len(world["schemes"]),
        "people": len(world["officers"]) + len(world["supervisors"]) + len(world["experts"]) + 1,
        "officers": len(world["officers"]),
        "entries": timed["entries"],
        "months": timed["months"],
        "approved_months": timed["approved_months"],
        "pairings": len(world["pairings"]),
        "events": sizes["events"],
        "attendances": attendances,
        "practices": len(practices),
        "toolkits": toolkits,
        "toolkit_practices": len(edition.snapshot["practices"]),
        "plans": plans,
        "audit_entries": audit_entries,
        "pdf": {"seconds": render_seconds, "pages": pages, "bytes": size},
    }


def seed_people(sizes: dict, password: str) -> dict:
    from accounts.models import Membership, Role, User
    from cities.models import City
    from mentoring.demo import data as demo
    from mentoring.models import ExpertOrganisation, Participation, Programme, Scheme

    n = sizes["cities"]
    progress = stage("Cities and people", n * 3 + sizes["schemes"] * 2 + 1)
    programme = Programme.objects.create(
        **{
            **demo.PROGRAMME,
            "name": "Bench programme at scale",
            "slug": PROGRAMME_SLUG,
            "budget": Decimal(25_000_000),
        }
    )
    seeding.frame_rows(programme)
    organisations = ExpertOrganisation.objects.bulk_create(
        ExpertOrganisation(name=f"Bench expert organisation {s:02d}")
        for s in range(sizes["schemes"])
    )
    schemes = Scheme.objects.bulk_create(
        Scheme(
            programme=programme,
            code=chr(ord("A") + s),
            theme=f"Theme {chr(ord('A') + s)}: {TOPICS[s % len(TOPICS)]}",
            facilitator=organisations[s],
            mentor_capacity=50,
        )
        for s in range(sizes["schemes"])
    )
    cities = City.objects.bulk_create(
        City(
            name=f"Bench city {c:04d}",
            slug=f"bench-city-{c:04d}",
            country=COUNTRIES[c % len(COUNTRIES)],
            latitude=Decimal("40") + Decimal(c % 200) / 10,
            longitude=Decimal("-5") + Decimal(c % 300) / 10,
            languages=[LANGUAGES[c % len(LANGUAGES)]],
        )
        for c in range(n)
    )
    Participation.objects.bulk_create(Participation(programme=programme, city=c) for c in cities)
    coordinator = User.objects.create(
        email=COORDINATOR, full_name="Bench coordinator", password=password
    )
    experts = User.objects.bulk_create(
        User(
            email=EXPERT if s == 0 else f"bench.expert.{s:02d}@example.org",
            full_name=f"Expert of theme {scheme.code}",
            password=password,
        )
        for s, scheme in enumerate(schemes)
    )
    supervisors = User.objects.bulk_create(
        User(
            email=f"bench.supervisor.{c:04d}@example.org",
            full_name=f"Supervisor of city {c:04d}",
            password=password,
        )
        for c in range(n)
    )
    Membership.objects.bulk_create(
        [Membership(user=coordinator, role=Role.COORDINATOR, programme=programme)]
        + [
            Membership(user=user, role=Role.EXPERT, scheme=scheme)
            for user, scheme in zip(experts, schemes, strict=True)
        ]
        + [
            Membership(user=user, role=Role.SUPERVISOR, city=city)
            for user, city in zip(supervisors, cities, strict=True)
        ]
    )
    progress.update(progress.total)
    progress.close()
    return {
        "programme": programme,
        "schemes": schemes,
        "organisations": organisations,
        "cities": cities,
        "coordinator": coordinator,
        "experts": experts,
        "supervisors": supervisors,
    }


def seed_pairings(world: dict, total: int) -> list:
    """Pairings spread over the schemes; every ordered pair of cities at most once per scheme."""
    from mentoring.models import Pairing, PairingStatus

    cities, schemes = world["cities"], world["schemes"]
    n = len(cities)
    progress = stage("Pairings", total)
    rows = []
    for k in range(total):
        j = k // len(schemes)
        mentor = j % n
        implementing = (mentor + 1 + (j // n) % (n - 1)) % n
        status = PairingStatus.ACTIVE
        reason = ""
        if k % 20 == 0:
            status = PairingStatus.PROPOSED
        elif k % 20 == 1:
            status = PairingStatus.COMPLETED
        elif k % 50 == 2:
            status, reason = PairingStatus.WITHDRAWN, "The implementing city changed its plans."
        rows.append(
            Pairing(
                scheme=schemes[k % len(schemes)],
                mentor=cities[mentor],
                implementing=cities[implementing],
                status=status,
                withdrawal_reason=reason,
                created_by=world["coordinator"],
            )
        )
    pairings = Pairing.objects.bulk_create(rows, batch_size=seeding.BATCH)
    progress.update(total)
    progress.close()
    return pairings


def seed_events(world: dict, total: int) -> int:
    """Visits of pairings (with the officers of both cities), peer reviews, webinars and
    conferences of the whole programme (with officers of a few cities)."""
    from datetime import time as clock
    from zoneinfo import ZoneInfo

    from mentoring.models import Attendance, Event, EventKind, EventStatus, PairingStatus
    from mentoring.models import StandardEventKind as Kind
    from mentoring.services.event_kinds import event_kinds_standard

    cities, officers, programme = world["cities"], world["officers"], world["programme"]
    city_no = {city.pk: i for i, city in enumerate(cities)}
    pairings = [p for p in world["pairings"] if p.status != PairingStatus.WITHDRAWN]
    first_day = date(2016, 10, 3)
    event_kinds_standard(programme=programme)
    kinds = {kind.code: kind for kind in EventKind.objects.filter(programme=programme)}
    progress = stage("Events and attendances", total)
    events, who = [], []
    for k in range(total):
        starts = first_day + timedelta(days=(k * 7) % 715)
        ends = starts + timedelta(days=k % 3)
        kind = [
            Kind.CONFERENCE,
            Kind.WEBINAR,
            Kind.WEBINAR,
            Kind.PEER_REVIEW,
            Kind.STUDY_VISIT,
            Kind.STUDY_VISIT,
            Kind.STUDY_VISIT,
            Kind.MENTORING_VISIT,
            Kind.MENTORING_VISIT,
            Kind.MENTORING_VISIT,
        ][k % 10]
        event = Event(
            programme=programme,
            kind=kinds[kind],
            title=f"{kind.label} {k + 1}",
            status=EventStatus.HELD if ends < date(2018, 7, 1) else EventStatus.CONFIRMED,
            agenda="Welcome, visits to the partners, findings and next steps.",
            created_by=world["coordinator"],
        )
        if kind == Kind.WEBINAR:
            event.online_url = f"https://meet.example.org/bench-{k}"
            attending = {(k * 7 + t) % len(cities) for t in range(4)}
        elif kind in (Kind.STUDY_VISIT, Kind.MENTORING_VISIT):
            pairing = pairings[k % len(pairings)]
            event.pairing = pairing
            event.host_city = pairing.mentor if kind == Kind.STUDY_VISIT else pairing.implementing
            event.venue = f"Town hall of {event.host_city.name}"
            attending = {city_no[pairing.mentor_id], city_no[pairing.implementing_id]}
        else:
            host = cities[k % len(cities)]
            event.host_city = host if kind == Kind.PEER_REVIEW else None
            event.venue = f"Congress centre of {host.name}"
            attending = {(k * 7 + t) % len(cities) for t in range(4)}
        # Local 09:00-17:00 in the host city's zone (or the server's); bulk_create skips
        # save(), so the local dates are derived here.
        event.time_zone = event.host_city.time_zone if event.host_city else ""
        event.time_zone = event.time_zone or "Europe/Brussels"
        zone = ZoneInfo(event.time_zone)
        event.starts_at = datetime.combine(starts, clock(9), tzinfo=zone)
        event.ends_at = datetime.combine(ends, clock(17), tzinfo=zone)
        event.derive_dates()
        events.append(event)
        who.append(sorted(attending))
    events = Event.objects.bulk_create(events, batch_size=seeding.BATCH)
    rows = []
    for event, attending in zip(events, who, strict=True):
        days = Decimal(event.length_in_days)
        for c in attending:
            for k in range(2 if event.pairing_id else 1):
                rows.append(
                    Attendance(
                        event=event,
                        user=officers[c * OFFICERS_PER_CITY + k],
                        city=cities[c],
                        days=days,
                        recorded_by=world["coordinator"],
                    )
                )
    Attendance.objects.bulk_create(rows, batch_size=seeding.BATCH)
    progress.update(total)
    progress.close()
    return len(rows)


def seed_practices(world: dict, total: int) -> list:
    """Published practices with every text field filled, so that a search has text to read."""
    from toolkits.models import GoodPractice, PracticeStatus, TargetGroup
    from toolkits.search import refresh_search_vectors

    cities, schemes, officers = world["cities"], world["schemes"], world["officers"]
    groups = list(TargetGroup.objects.all())
    progress = stage("Good practices", total)
    rows = []
    for k in range(total):
        c = k % len(cities)
        city = cities[c]
        topic = TOPICS[(k // len(schemes) + k) % len(TOPICS)]
        text = PARAGRAPH.format(
            city=city.name,
            topic=topic,
            partner=PARTNERS[k % len(PARTNERS)],
            n=40 + k % 300,
            m=12 + k % 20,
        )
        rows.append(
            GoodPractice(
                city=city,
                scheme=schemes[k % len(schemes)],
                title=f"{city.name}: {topic} ({k + 1})",
                slug=f"bench-practice-{k:05d}",
                partner_organisations="Chamber of commerce\nRegional employment office",
                summary=text[:400],
                challenge=text,
                actions=text + "\n\n" + text,
                results=text,
                resources=text[:300],
                budget=Decimal(100000 + 1000 * (k % 500)) + Decimal("0.50"),
                eu_contribution=Decimal(75000 + 750 * (k % 500)),
                started_on=date(2014 + k % 5, 1 + k % 12, 1),
                transferability=text,
                contact_name=f"Officer of {city.name}",
                contact_email=f"contact.{k}@example.org",
                links=f"https://example.org/practice/{k}",
                language=LANGUAGES[k % len(LANGUAGES)],
                status=PracticeStatus.PUBLISHED,
                author=officers[c * OFFICERS_PER_CITY],
                published_at=datetime(2018, 1 + k % 9, 1 + k % 28, 10, tzinfo=UTC),
            )
        )
    practices = GoodPractice.objects.bulk_create(rows, batch_size=1000)
    # bulk_create bypasses save(): compute the stored search vectors in one UPDATE.
    refresh_search_vectors(GoodPractice.objects.filter(pk__in=[p.pk for p in practices]))
    through = GoodPractice.target_groups.through
    through.objects.bulk_create(
        (
            through(goodpractice_id=p.pk, targetgroup_id=g.pk)
            for k, p in enumerate(practices)
            for g in groups[k % 4 : k % 4 + 3]
        ),
        batch_size=seeding.BATCH,
    )
    progress.update(total)
    progress.close()
    return practices


def seed_toolkits(world: dict, practices: list) -> tuple:
    """Through the services: the first scheme's toolkit of 134 practices and an edition; two
    smaller toolkits in the next schemes. Returns the big toolkit's edition and the count."""
    from accounts.models import User
    from toolkits import services

    progress = stage("Toolkits", 3)
    made, edition = 0, None
    for s, scheme in enumerate(world["schemes"][:3]):
        expert = User.objects.get(pk=world["experts"][s].pk)
        chosen = [p for p in practices if p.scheme_id == scheme.pk][
            : TOOLKIT_PRACTICES if s == 0 else 20
        ]
        toolkit = services.toolkit_create(
            scheme=scheme,
            by=expert,
            title=f"Bench toolkit of theme {scheme.code}",
            introduction="\n\n".join(
                [PARAGRAPH.format(city="each city", topic="t", partner="p", n=1, m=1)] * 4
            ),
        )
        services.toolkit_set_practices(toolkit, by=expert, practices=chosen)
        services.toolkit_set_success_factors(
            toolkit, by=expert, factors=[(f"Factor {i}", PARAGRAPH[:200]) for i in range(1, 7)]
        )
        published = services.edition_publish(toolkit, by=expert, notes="Bench edition.")
        edition = edition or published
        made += 1
        progress.update(1)
    progress.close()
    return edition, made


# The stages of the plans, one cycle per 20 pairings: most plans drafted or under review, a
# fifth in implementation, a few completed.
PLAN_STAGES = (
    ["draft"] * 4
    + ["submitted"] * 3
    + ["changes_requested"] * 2
    + ["resubmitted"]
    + ["approved"] * 3
    + ["endorsed"] * 2
    + ["in_implementation"] * 4
    + ["completed"]
)
# The workflow's steps (actionplans.permissions.PLAN_WORKFLOW) and who takes each: the
# implementing city's officer (author) and supervisor, the mentor city's officer, a coordinator.
PLAN_STEPS = {
    "submit": ("draft", "submitted", "author"),
    "request_changes": ("submitted", "changes_requested", "reviewer"),
    "resubmit": ("changes_requested", "resubmitted", "author"),
    "approve": ("submitted", "approved", "supervisor"),
    "endorse": ("approved", "endorsed", "coordinator"),
    "start": ("endorsed", "in_implementation", "author"),
    "complete": ("in_implementation", "completed", "supervisor"),
}
PLAN_PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "changes_requested": ["submit", "request_changes"],
    "resubmitted": ["submit", "request_changes", "resubmit"],
    "approved": ["submit", "approve"],
    "endorsed": ["submit", "approve", "endorse"],
    "in_implementation": ["submit", "approve", "endorse", "start"],
    "completed": ["submit", "approve", "endorse", "start", "complete"],
}
PLAN_ACTIONS = [
    ("Split suitable contracts into smaller lots", "Procurement Office", Decimal("15000.00")),
    ("Tender guides in the newcomers' languages", "Communication Department", Decimal("8500")),
    ("Meet-the-buyer days with interpreters", "Economic Development", Decimal("12000.00")),
]
# The actions' statuses by stage: nothing moves before the implementation.
ACTION_STATUSES = {
    "in_implementation": ["done", "in_progress", "planned"],
    "completed": ["done", "done", "done"],
}


def seed_plans(world: dict) -> int:
    """An action plan for every pairing not withdrawn, at the stages of PLAN_STAGES, with three
    actions, two indicators (measured once implementation started), a risk and a local group, a
    version for each (re)submission with its snapshot, and the workflow's transitions, dated
    through the programme. Returns the number of plans."""
    from django.db.models import F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from actionplans.models import (
        Action,
        ActionPlan,
        GroupMember,
        Indicator,
        Measurement,
        PlanVersion,
        Risk,
        Transition,
    )
    from mentoring.models import PairingStatus

    pairings = [p for p in world["pairings"] if p.status != PairingStatus.WITHDRAWN]
    progress = stage("Action plans", len(pairings))
    city_no = {city.pk: i for i, city in enumerate(world["cities"])}
    officers, supervisors = world["officers"], world["supervisors"]
    plans = []
    for k, pairing in enumerate(pairings):
        plan_stage = PLAN_STAGES[k % len(PLAN_STAGES)]
        topic = TOPICS[k % len(TOPICS)]
        plan = ActionPlan(
            pairing=pairing,
            title=f"{pairing.implementing.name}: {topic}",
            context=PARAGRAPH.format(
                city=pairing.implementing.name,
                topic=topic,
                partner=PARTNERS[k % len(PARTNERS)],
                n=40 + k % 300,
                m=12 + k % 20,
            ),
            objectives=f"More newcomers in work through {topic} within two years.",
            stage=plan_stage,
            revisions={"context": 2, "objectives": 1, "actions": 3, "indicators": 2},
            created_at=datetime(2017, 1, 9, 10, tzinfo=UTC) + timedelta(days=k % 180),
        )
        if "endorse" in PLAN_PATHS[plan_stage]:
            plan.endorsed_by_body = "City council"
            plan.endorsed_on = (plan.created_at + timedelta(days=70)).date()
            plan.endorsement_reference = f"Resolution {2017 + k % 2}/{100 + k}"
        plans.append(plan)
    plans = ActionPlan.objects.bulk_create(plans, batch_size=seeding.BATCH)

    actions, indicators, risks, members = [], [], [], []
    for k, plan in enumerate(plans):
        statuses = ACTION_STATUSES.get(plan.stage, ["planned"] * 3)
        for position, (title, department, cost) in enumerate(PLAN_ACTIONS):
            actions.append(
                Action(
                    plan=plan,
                    position=position,
                    title=title,
                    lead_department=department,
                    starts_on=date(2017, 3 + position * 2, 1),
                    ends_on=date(2018, 6, 30),
                    cost=cost + k % 50 * 100,
                    funding_source="City budget",
                    status=statuses[position],
                )
            )
        indicators += [
            Indicator(
                plan=plan,
                position=0,
                name="Migrant-owned firms bidding for city contracts",
                kind="result",
                unit="firms a year",
                baseline=Decimal(k % 5),
                target=Decimal(20 + k % 10),
            ),
            Indicator(
                plan=plan,
                position=1,
                name="Guides published",
                kind="output",
                unit="guides",
                baseline=Decimal(0),
                target=Decimal(3),
            ),
        ]
        risks.append(
            Risk(
                plan=plan,
                description="Departments keep large contracts out of habit",
                likelihood="medium",
                impact="high",
                mitigation="The mayor's office asks for reasons.",
            )
        )
        members += [
            GroupMember(plan=plan, position=0, organisation="Procurement Office", sector="public"),
            GroupMember(
                plan=plan, position=1, organisation="Chamber of commerce", sector="business"
            ),
        ]
    actions = Action.objects.bulk_create(actions, batch_size=seeding.BATCH)
    indicators = Indicator.objects.bulk_create(indicators, batch_size=seeding.BATCH)
    Risk.objects.bulk_create(risks, batch_size=seeding.BATCH)
    GroupMember.objects.bulk_create(members, batch_size=seeding.BATCH)
    Measurement.objects.bulk_create(
        (
            Measurement(
                indicator=indicator,
                measured_on=date(2018, 3 + n * 3, 15),
                value=(
                    indicator.baseline + (indicator.target - indicator.baseline) * (n + 1) / 3
                ).quantize(Decimal("0.01")),
                recorded_by=officers[city_no[indicator.plan.pairing.implementing_id] * 4],
            )
            for indicator in indicators
            if indicator.plan.stage in ACTION_STATUSES
            for n in range(2)
        ),
        batch_size=seeding.BATCH,
    )

    # Each (re)submission freezes a version; each step is a transition, three weeks apart.
    per_plan = {"actions": {}, "indicators": {}}
    for action in actions:
        per_plan["actions"].setdefault(action.plan_id, []).append(action)
    for indicator in indicators:
        per_plan["indicators"].setdefault(indicator.plan_id, []).append(indicator)
    versions, steps = [], []
    for plan in plans:
        people = {
            "author": officers[city_no[plan.pairing.implementing_id] * OFFICERS_PER_CITY],
            "reviewer": officers[city_no[plan.pairing.mentor_id] * OFFICERS_PER_CITY],
            "supervisor": supervisors[city_no[plan.pairing.implementing_id]],
            "coordinator": world["coordinator"],
        }
        for n, name in enumerate(PLAN_PATHS[plan.stage], start=1):
            from_stage, to_stage, who = PLAN_STEPS[name]
            step = Transition(
                plan=plan,
                from_stage=from_stage,
                to_stage=to_stage,
                by=people[who],
                at=plan.created_at + timedelta(days=21 * n),
                comment="Say which indicator measures the first objective."
                if name == "request_changes"
                else "",
            )
            if name in ("submit", "resubmit"):
                step.version = PlanVersion(
                    plan=plan,
                    number=1 if name == "submit" else 2,
                    submitted_at=step.at,
                    submitted_by=step.by,
                    snapshot=plan_snapshot(
                        plan, per_plan["actions"][plan.pk], per_plan["indicators"][plan.pk]
                    ),
                )
                versions.append(step.version)
            steps.append(step)
    PlanVersion.objects.bulk_create(versions, batch_size=1000)
    Transition.objects.bulk_create(steps, batch_size=seeding.BATCH)
    # The last change is the last step (bulk_create stamps updated_at with now).
    last_step = Transition.objects.filter(plan=OuterRef("pk")).order_by("-at").values("at")
    ActionPlan.objects.filter(pk__in=[p.pk for p in plans]).update(
        updated_at=Coalesce(Subquery(last_step[:1]), F("created_at"))
    )
    progress.update(len(plans))
    progress.close()
    return len(plans)


def plan_snapshot(plan, actions: list, indicators: list) -> dict:
    """What actionplans.services.workflow.snapshot() freezes, from the rows in hand."""
    return {
        "title": plan.title,
        "context": plan.context,
        "objectives": plan.objectives,
        "actions": [
            {
                "id": a.pk,
                "title": a.title,
                "description": a.description,
                "lead_department": a.lead_department,
                "partners": a.partners,
                "starts_on": str(a.starts_on),
                "ends_on": str(a.ends_on),
                "cost": str(a.cost),
                "funding_source": a.funding_source,
                "status": "planned",
                "recommendations": [],
                "commitments": [],
            }
            for a in actions
        ],
        "indicators": [
            {
                "id": i.pk,
                "name": i.name,
                "kind": i.kind,
                "unit": i.unit,
                "baseline": str(i.baseline),
                "target": str(i.target),
            }
            for i in indicators
        ],
        "risks": [],
        "local_group": [],
    }


def seed_audit_entries() -> int:
    """One audit-trail entry per time entry, as django-auditlog writes it when an officer
    records a day (the officer as actor, the afternoon of the day as its time, the fields
    audit/registry.py follows as changes), with its scope: two INSERT … SELECT."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import translation

    from accounts.models import User
    from audit.models import AuditScope
    from reporting.models import Activity, TimeEntry

    progress = stage("Audit entries", TimeEntry.objects.count())
    content_type = ContentType.objects.get_for_model(TimeEntry)
    with translation.override("en"):
        labels = [(code, str(label)) for code, label in Activity.choices]
    values = ", ".join(["(%s, %s)"] * len(labels))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {LogEntry._meta.db_table} (content_type_id, object_pk, object_id,
                object_repr, action, changes_text, changes, actor_id, actor_email, timestamp)
            SELECT %s, e.id::text, e.id,
                u.full_name || ' · ' || e.day || ' · ' || a.label || ' · ' || e.hours || ' h',
                0, '',
                jsonb_build_object(
                    'day', jsonb_build_array('None', e.day::text),
                    'city', jsonb_build_array('None', e.city_id::text),
                    'event', jsonb_build_array('None', 'None'),
                    'hours', jsonb_build_array('None', e.hours::text),
                    'person', jsonb_build_array('None', e.person_id::text),
                    'activity', jsonb_build_array('None', e.activity),
                    'programme', jsonb_build_array('None', e.programme_id::text),
                    'description', jsonb_build_array('None', e.description)),
                e.person_id, u.email,
                (e.day + time '15:00' + (e.id %% 150) * interval '1 minute'
                    + (e.id %% 53) * interval '1 second') AT TIME ZONE 'UTC'
            FROM {TimeEntry._meta.db_table} e
            JOIN {User._meta.db_table} u ON u.id = e.person_id
            JOIN (VALUES {values}) AS a (code, label) ON a.code = e.activity
            ORDER BY e.id
            """,  # noqa: S608 (table names from the models)
            [content_type.pk, *(x for pair in labels for x in pair)],
        )
        made = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {AuditScope._meta.db_table} (entry_id, programme_id)
            SELECT l.id, e.programme_id
            FROM {LogEntry._meta.db_table} l
            JOIN {TimeEntry._meta.db_table} e ON e.id = l.object_id
            WHERE l.content_type_id = %s
            """,  # noqa: S608 (table names from the models)
            [content_type.pk],
        )
    progress.update(made)
    progress.close()
    return made


# 1. Pages under load -----------------------------------------------------------------------------


FLOOR_SIGNED_IN = "/bench/floor/"
FLOOR_STATIC = "/toolkit-floor.pdf"
# Rounds of one warm GET per page in-process; each page's median is kept.
IN_PROCESS_RUNS = 15


def pages() -> list[dict]:
    """The pages measured: name, who (an e-mail, or None for a visitor), path, and the floor
    (one of ``floors()``) its time is divided by: every HTML page's is the signed-in floor, as
    issue 19 sets the goal (the visitor's floor is shown beside it); a download's, the same bytes
    as a static file."""
    from toolkits.models import ToolkitEdition

    edition = (
        ToolkitEdition.objects.select_related("toolkit")
        .filter(toolkit__scheme__programme__slug=PROGRAMME_SLUG, toolkit__scheme__code="A")
        .get(number=1)
    )
    year, month = GRID_MONTH
    return [
        {"name": "home dashboard (coordinator)", "who": COORDINATOR, "path": "/"},
        {"name": "pairing list (coordinator)", "who": COORDINATOR, "path": "/pairings/"},
        {"name": "event list (coordinator)", "who": COORDINATOR, "path": "/events/"},
        {"name": "action plans overview (coordinator)", "who": COORDINATOR, "path": "/plans/"},
        {
            "name": "staff-time dashboard (coordinator)",
            "who": COORDINATOR,
            "path": f"/time/dashboard/{PROGRAMME_SLUG}/",
        },
        {"name": "audit trail (coordinator)", "who": COORDINATOR, "path": "/audit/"},
        {
            "name": f'catalogue search "{SEARCH}" (visitor)',
            "who": None,
            "path": "/practices/?q=" + SEARCH.replace(" ", "+"),
        },
        {
            "name": "month grid (officer)",
            "who": OFFICER,
            "path": f"/time/{PROGRAMME_SLUG}/{year}/{month}/",
        },
        {
            "name": "toolkit PDF download (visitor)",
            "who": None,
            "path": f"/toolkits/{edition.toolkit.slug}/editions/1/en.pdf",
            "floor": "floor, the same bytes as a static file",
            "static_twin": True,
        },
    ]


def floors() -> list[dict]:
    """What a page costs at the least, measured the same way as the pages."""
    return [
        {"name": "floor, signed in", "who": COORDINATOR, "path": FLOOR_SIGNED_IN, "is_floor": True},
        {"name": "floor, visitor", "who": None, "path": FLOOR_SIGNED_IN, "is_floor": True},
        {
            "name": "floor, the same bytes as a static file",
            "who": None,
            "path": FLOOR_STATIC,
            "is_floor": True,
        },
    ]


def write_static_floor(measured: list[dict], sessions: dict) -> None:
    """The download's bytes as a file WhiteNoise serves (bench/settings.py), before any server
    or client starts (WhiteNoise lists its files when it starts)."""
    from django.conf import settings
    from django.test import Client

    for page in measured:
        if page.get("static_twin"):
            response = Client().get(page["path"])
            body = b"".join(response.streaming_content) if response.streaming else response.content
            (Path(settings.STATIC_FLOOR_DIR) / FLOOR_STATIC.lstrip("/")).write_bytes(body)


def in_process(measured: list[dict], sessions: dict) -> None:
    """Warm GETs through Django's test client, in rounds: each round times every page and floor
    once, so that a busy moment of the machine weighs on a page and its floor alike. Each page
    gets its status, size, queries and median time (``page["in_process"]``)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def get(client, page):
        response = client.get(page["path"])
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body

    clients = []
    for page in measured:
        client = Client()
        if page["who"]:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page["who"]]
        get(client, page)  # warm: URL resolver, templates, the kept database connection
        clients.append(client)
    times: list[list[float]] = [[] for _page in measured]
    for _run in range(IN_PROCESS_RUNS):
        for index, (page, client) in enumerate(zip(measured, clients, strict=True)):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response, body = get(client, page)
            times[index].append((time.perf_counter() - started) * 1000)
            page["in_process"] = {
                "status": response.status_code,
                "bytes": len(body),
                "queries": len(queries),
            }
    for page, timed in zip(measured, times, strict=True):
        page["in_process"]["ms"] = statistics.median(timed)
        page["in_process"]["fastest_ms"] = min(timed)


def sign_in(emails: set[str]) -> dict[str, str]:
    """A session for each person, stored in the database as signing in would store it."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    sessions = {}
    for email in emails:
        client = Client()
        client.force_login(User.objects.get(email=email))
        sessions[email] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--chdir",
        str(ROOT),
        "--timeout",
        "300",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 (fixed command)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = http_get(port, "/", "")
            if status:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def http_get(port: int, path: str, cookie: str) -> tuple[int, int]:
    """Status and body size of one GET, without following redirects."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, len(body)


def run_wrk(port: int, page: dict, cookie: str, args) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "60s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{page['path']}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    result: dict = {}
    for line in done.stdout.splitlines():
        if line.startswith(WRK_MARK):
            result = json.loads(line[len(WRK_MARK) :])
    if not result:
        raise SystemExit(f"wrk failed for {page['path']}:\n{done.stdout}\n{done.stderr}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    result["non_2xx_3xx"] = int(non_2xx.group(1)) if non_2xx else 0
    result["summary"] = done.stdout
    return result


def measure_pages(args) -> list[dict]:
    """The floors, then each page: warm GETs in-process, then load through gunicorn and wrk
    (unless ``--duration 0``); each figure also as its ratio to the page's floor."""
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host and query capture
    measured = pages()
    for page in measured:
        page.setdefault("floor", "floor, signed in")
    sessions = sign_in({p["who"] for p in measured if p["who"]} | {COORDINATOR})
    write_static_floor(measured, sessions)
    measured = floors() + measured
    cookie_name = settings.SESSION_COOKIE_NAME
    print(f"In-process: {len(measured)} pages and floors, {IN_PROCESS_RUNS} rounds…", flush=True)
    in_process(measured, sessions)
    for page in measured:
        if page["in_process"]["status"] != 200:
            raise SystemExit(f"{page['path']} answered {page['in_process']['status']}, not 200")
    for page in measured if args.duration else []:
        # A fresh server per page: requests a slow page leaves queued when wrk stops must not
        # weigh on the next page's figures.
        server = start_gunicorn(args.port, args.workers)
        try:
            cookie = f"{cookie_name}={sessions[page['who']]}" if page["who"] else ""
            status, size = http_get(args.port, page["path"], cookie)
            if status != 200:
                raise SystemExit(f"{page['path']} answered {status} through gunicorn, not 200")
            print(f"Load: {page['name']} for {args.duration} s…", flush=True)
            page["load"] = run_wrk(args.port, page, cookie, args)
            page["load"]["bytes"] = size
            print(page["load"]["summary"], flush=True)
        finally:
            server.terminate()
            server.wait(timeout=60)
    by_name = {page["name"]: page for page in measured}
    for page in measured:
        if page.get("is_floor"):
            continue
        floor = by_name[page["floor"]]
        page["ratio"] = page["in_process"]["ms"] / floor["in_process"]["ms"]
        if "load" in page and page["load"]["requests"] and floor["load"]["requests"]:
            page["load_ratio"] = page["load"]["p50_us"] / floor["load"]["p50_us"]
    return measured


def _times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}×"


def compare(results: dict, earlier_file: str) -> list[dict]:
    """Each page's warm GET against the same page of an earlier run (a tenth of the data)."""
    earlier = json.loads(Path(earlier_file).read_text())
    then = {page["name"]: page for page in earlier.get("pages", [])}
    rows = []
    for page in results.get("pages", []):
        before = then.get(page["name"])
        if before and not page.get("is_floor"):
            rows.append(
                {
                    "name": page["name"],
                    "then_scale": earlier["scale"],
                    "then_ms": before["in_process"]["ms"],
                    "now_ms": page["in_process"]["ms"],
                    "growth": page["in_process"]["ms"] / before["in_process"]["ms"],
                    # The same, of the ratio to the floor of each run: what is left of the
                    # growth when the machine's pace differs between the two runs.
                    "ratio_growth": (page["ratio"] / before["ratio"])
                    if page.get("ratio") and before.get("ratio")
                    else None,
                    "then_queries": before["in_process"]["queries"],
                    "now_queries": page["in_process"]["queries"],
                }
            )
    return rows


# 2. and 3. Staff costs and the toolkit PDF -------------------------------------------------------


def measure_staff(args) -> dict:
    from bench import staff_costs
    from mentoring.models import Programme

    programme = Programme.objects.get(slug=PROGRAMME_SLUG)
    print("Staff costs: totals against raw SQL…", flush=True)
    totals = staff_costs.measure_totals(programme, args.runs)
    reports = []
    # The first city report lays out the approved months it finds no layout of (the seed writes
    # months as approved without the service that lays them out on approval); the second finds
    # them all, as a report does when months were approved in the portal.
    for case in ("city", "city-again", "city-cold", "city-tables"):
        print(f"Staff costs: report job, {case}…", flush=True)
        reports.append(
            staff_costs.run_child(
                0, case, args.timeout, programme_slug=PROGRAMME_SLUG, coordinator=COORDINATOR
            )
        )
    return {"totals": totals, "reports": reports}


def measure_toolkit(args) -> dict:
    from bench import toolkits as toolkit_bench
    from toolkits.models import ToolkitEdition

    edition = ToolkitEdition.objects.select_related("toolkit").get(
        toolkit__scheme__programme__slug=PROGRAMME_SLUG, toolkit__scheme__code="A", number=1
    )
    html = toolkit_bench.html_of(edition, "en")
    e2e, alone, pages_, size = [], [], 0, 0
    for run in range(args.pdf_runs):
        print(f"Toolkit PDF, run {run + 1} of {args.pdf_runs}…", flush=True)
        seconds, pages_, size = toolkit_bench.end_to_end(edition, "en")
        e2e.append(seconds)
        seconds, _bytes = toolkit_bench.weasyprint_alone(html)
        alone.append(seconds)
    return {
        "practices": len(edition.snapshot["practices"]),
        "end_to_end": e2e,
        "weasyprint_alone": alone,
        "ratio": statistics.median(e2e) / statistics.median(alone),
        "pages": pages_,
        "bytes": size,
        "html_bytes": len(html.encode()),
    }


def search_plan() -> list[str]:
    """EXPLAIN ANALYZE of the catalogue's search, the first page of results as the view asks."""
    from toolkits import selectors

    found = selectors.search_practices(selectors.published_practices(), SEARCH)
    return found[:20].explain(analyze=True).splitlines()


# Output ------------------------------------------------------------------------------------------


def markdown(results: dict) -> str:
    info = results["machine"]
    out = [
        f"### Scale {results['scale']} ({results['started']})",
        "",
        f"`{results['command']}`",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory_gb']} GB; PostgreSQL "
        f"{info['postgresql']}, Python {info['python']}, Django {info['django']}, WeasyPrint "
        f"{info['weasyprint']}; load average at start "
        f"{', '.join(f'{x:.1f}' for x in info['load_average_at_start'])}.",
        "",
    ]
    if "seed" in results:
        s = results["seed"]
        out += [
            f"Seeded in {s['seconds']:.0f} s: {s['cities']:,} cities, {s['schemes']} schemes, "
            f"{s['people']:,} people, {s['pairings']:,} pairings, {s['events']:,} events "
            f"({s['attendances']:,} attendances), {s['entries']:,} time entries in "
            f"{s['months']:,} monthly timesheets ({s['approved_months']:,} approved), "
            f"{s['practices']:,} published practices, {s['toolkits']} toolkits (the first of "
            f"{s['toolkit_practices']} practices, its PDF {s['pdf']['pages']} pages).",
            "",
            "| stage | seconds |",
            "|---|---:|",
            *(f"| {name} | {sec:,.1f} |" for name, sec in s["timings"].items()),
            "",
        ]
    if "pages" in results:
        load = results["load"]
        out += [
            f"Pages, one warm GET in-process (median of {IN_PROCESS_RUNS} rounds that time "
            "every page and floor once each; the database connection kept as in production), "
            "and its ratio to the floor measured in the same run (bench/urls.py):",
            "",
            "| page | one GET | floor | ratio | queries | size |",
            "|---|---:|---|---:|---:|---:|",
        ]
        for page in results["pages"]:
            p = page["in_process"]
            ratio = "" if page.get("is_floor") else f"{page['ratio']:,.1f}×"
            floor = "" if page.get("is_floor") else page["floor"]
            out.append(
                f"| {page['name']} | {p['ms']:,.1f} ms | {floor} | {ratio} | {p['queries']} "
                f"| {p['bytes'] / 1024:,.0f} KB |"
            )
        out.append("")
        if any("load" in page for page in results["pages"]):
            out += [
                f"Under load: gunicorn, {load['workers']} sync workers; `wrk -t{load['threads']} "
                f"-c{load['connections']} -d{load['duration']}s` per page on 127.0.0.1; the "
                "ratio is the median latency's to the floor's.",
                "",
                "| page | req/s | p50 | p95 | p99 | max | requests | non-200 | p50 ÷ floor |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for page in results["pages"]:
                w = page.get("load")
                if not w:
                    continue
                if not w["requests"]:
                    out.append(
                        f"| {page['name']} | 0 | none answered within {load['duration']} s "
                        f"| | | | 0 | {w['non200'] + w['errors']} | |"
                    )
                    continue
                ratio = f"{page['load_ratio']:,.1f}×" if "load_ratio" in page else ""
                out.append(
                    f"| {page['name']} | {w['rps']:,.1f} | {w['p50_us'] / 1000:,.1f} ms "
                    f"| {w['p95_us'] / 1000:,.1f} ms | {w['p99_us'] / 1000:,.1f} ms "
                    f"| {w['max_us'] / 1000:,.0f} ms | {w['requests']:,} "
                    f"| {w['non200'] + w['errors']} | {ratio} |"
                )
            out.append("")
        out += ["`" + "`, `".join(p["path"] for p in results["pages"]) + "`", ""]
    if results.get("compared"):
        out += [
            "Growth with the data: each page's warm GET against the same page of the earlier "
            "run named by `--compare`; then the growth of its ratio to the floor of each run, "
            "which leaves out how the machine's pace differed between the two runs.",
            "",
            "| page | then | now | growth | growth of the ratio to the floor "
            "| queries then → now |",
            "|---|---:|---:|---:|---:|---:|",
            *(
                f"| {row['name']} | {row['then_ms']:,.1f} ms (scale {row['then_scale']}) "
                f"| {row['now_ms']:,.1f} ms | {row['growth']:.2f}× "
                f"| {_times(row.get('ratio_growth'))} "
                f"| {row['then_queries']} → {row['now_queries']} |"
                for row in results["compared"]
            ),
            "",
        ]
    if "staff" in results:
        t = results["staff"]["totals"]
        out += [
            f"Staff costs, all {t['cities']} cities, whole period (median of {t['runs']}): "
            f"`staff_cost_summary` {t['orm_median'] * 1000:,.0f} ms ({t['orm_queries']} "
            f"queries, {t['orm_db_seconds'] * 1000:,.0f} ms in the database), raw SQL "
            f"{t['raw_median'] * 1000:,.0f} ms, ratio {t['orm_median'] / t['raw_median']:.1f}×; "
            f"equal to the cent ({t['person_months']:,} approved person-months, direct costs "
            f"€{Decimal(t['direct_costs']):,}).",
            "",
            "| report | time | PDF | CSV | XLSX | peak RSS |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for r in results["staff"]["reports"]:
            if "error" in r:
                out.append(f"| {r['case']} | {r['error'][:200]} | | | | |")
                continue
            sizes = r.get("sizes", {})
            out.append(
                f"| {r['case']} | {r['seconds']:,.1f} s | {mb(sizes.get('pdf'))} "
                f"| {mb(sizes.get('csv'))} | {mb(sizes.get('xlsx'))} | {r['peak_rss_mb']:,.0f} MB |"
            )
        out.append("")
    if "toolkit" in results:
        k = results["toolkit"]
        out += [
            f"Toolkit PDF of {k['practices']} practices ({k['pages']} pages, "
            f"{k['bytes'] / 1e6:.1f} MB): end to end "
            f"{', '.join(f'{s:.1f}' for s in k['end_to_end'])} s, WeasyPrint alone "
            f"{', '.join(f'{s:.1f}' for s in k['weasyprint_alone'])} s, ratio {k['ratio']:.3f}.",
            "",
        ]
    if "search_plan" in results:
        out += ["Catalogue search plan:", "", "```", *results["search_plan"], "```", ""]
    return "\n".join(out)


def mb(size: int | None) -> str:
    return "–" if not size else f"{size / 1024 / 1024:,.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full size")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data already seeded")
    parser.add_argument(
        "--steps", default=",".join(STEPS), help="among pages, staff, toolkit (default: all)"
    )
    parser.add_argument(
        "--duration", type=int, default=20, help="seconds of load per page (0: no load)"
    )
    parser.add_argument(
        "--compare", default="", help="scale.json of an earlier run (a tenth of the data)"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk's concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--runs", type=int, default=5, help="runs of the staff-cost totals")
    parser.add_argument("--pdf-runs", type=int, default=1, help="runs of each toolkit PDF way")
    parser.add_argument("--timeout", type=int, default=900, help="seconds a report may take")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.staff_costs import machine
    from mentoring.models import Programme

    database = settings.DATABASES["default"]
    if connection.vendor != "postgresql" or "bench" not in database["NAME"]:
        raise SystemExit(
            "Run against a PostgreSQL database whose name contains 'bench' (it is emptied): "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench"
        )
    steps = [step.strip() for step in args.steps.split(",") if step.strip()]
    if set(steps) - set(STEPS):
        raise SystemExit(f"Unknown steps: {', '.join(sorted(set(steps) - set(STEPS)))}")
    results: dict = {
        "scale": args.scale,
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "DATABASE_URL=postgres://…/"
        + database["NAME"]
        + " .venv/bin/python "
        + " ".join(["bench/scale.py", *sys.argv[1:]]),
        "machine": machine(),
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    seeded = out / "scale-seed.json"  # what the last seed made, shown again with --skip-seed
    call_command("migrate", interactive=False, verbosity=0)
    if args.skip_seed:
        if not Programme.objects.filter(slug=PROGRAMME_SLUG).exists():
            raise SystemExit("Nothing seeded yet; run without --skip-seed.")
        if seeded.exists():
            results["seed"] = json.loads(seeded.read_text())
    else:
        results["seed"] = seed(args.scale)
        seeded.write_text(json.dumps(results["seed"], indent=2, default=str))

    def save() -> str:
        """Written after each step, so that a step that fails keeps the ones before."""
        text = markdown(results)
        (out / "scale.md").write_text(text + "\n")
        (out / "scale.json").write_text(json.dumps(results, indent=2, default=str))
        (out / f"scale-{args.scale:g}.json").write_text(json.dumps(results, indent=2, default=str))
        return text

    if "pages" in steps:
        results["load"] = {
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "duration": args.duration,
        }
        results["pages"] = measure_pages(args)
        if args.compare:
            results["compared"] = compare(results, args.compare)
        results["search_plan"] = search_plan()
        save()
    if "staff" in steps:
        results["staff"] = measure_staff(args)
        save()
    if "toolkit" in steps:
        results["toolkit"] = measure_toolkit(args)
    print(save())


if __name__ == "__main__":
    main()
