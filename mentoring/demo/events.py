"""Demo events of CITIES-GROW: meetings, visits, attendance and reports (illustrative, our words).

``seed_demo_events(programme)`` is called by the seed_demo command once the programme, its
pairings and its demo people exist. An event whose title is already there is left as it is, so
running it again changes nothing.
"""

from datetime import date, time, timedelta
from decimal import Decimal

from accounts.demo import dated, demo_at
from accounts.models import User
from cities.models import City

from ..models import (
    Attendance,
    Event,
    EventKind,
    EventReport,
    EventStatus,
    Pairing,
    Programme,
    StandardEventKind,
)
from ..services.events import (
    RecommendationInput,
    attendance_record,
    event_create,
    event_transition,
    report_save,
)
from . import data as demo

LAUNCH = "CITIES-GROW launch meeting"
WEBINAR = "Webinar: from needs analysis to a visit programme"
CONFERENCE = "Integrating Cities conference"
FINAL = "CITIES-GROW final meeting"

# mentor, implementing: (study visit start, its status), (mentoring visit start, its status).
# The programme ended in 2018: every visit was held, but for the one Utrecht called off.
VISITS = {
    ("Rotterdam", "Gdańsk"): (((2017, 3, 14), "held"), ((2017, 10, 10), "held")),
    ("Munich", "Nicosia"): (((2017, 3, 28), "held"), ((2017, 11, 7), "held")),
    ("Birmingham", "Riga"): (((2017, 4, 4), "held"), ((2018, 2, 20), "held")),
    ("Ghent", "Tampere"): (((2017, 4, 25), "held"), ((2018, 3, 13), "held")),
    ("Barcelona", "Athens"): (((2017, 5, 9), "held"), ((2017, 11, 21), "held")),
    ("Lisbon", "Dresden"): (((2017, 5, 23), "held"), ((2018, 1, 23), "held")),
    ("Nantes", "Brighton & Hove"): (((2017, 6, 6), "held"), ((2018, 4, 17), "held")),
    ("Helsinki", "Utrecht"): (((2017, 6, 20), "held"), ((2018, 2, 6), "cancelled")),
}

CANCELLATION = (
    "Utrecht asked to move the visit after its council changed the job-market programme's "
    "budget; a new date follows once the budget is settled."
)

# People without an account who took part: local partners the hosts invited.
GUESTS = {
    "Mentoring visit: Rotterdam in Gdańsk": [
        ("Olena Hrytsenko", "Pomeranian association of migrant entrepreneurs", "1.5"),
    ],
    "Mentoring visit: Barcelona in Athens": [
        ("Nikos Papadakis", "Athens chamber of small businesses", "1"),
    ],
}

REPORTS = {
    LAUNCH: (
        "The sixteen cities met their mentor or implementing city and the expert partners for the "
        "first time. Each implementing city presented where it stands and what it wants to "
        "change; the mentors explained what worked for them and what did not. The cities agreed "
        "on the calendar of visits and on how staff time is reported.",
        [
            "Every implementing city sends its needs analysis to its mentor and expert before "
            "the study visit.",
            "Each pairing names one contact officer per city and meets online once a month.",
            "Cities record their staff time every month rather than at the end of the programme.",
        ],
    ),
    "Study visit: Gdańsk in Rotterdam": (
        "Gdańsk's officers saw how Rotterdam opens its public tenders to small firms run by "
        "migrants: tenders split into lots, a supplier day before large contracts, and a "
        "contact point in the purchasing department. Rotterdam's buyers said the supplier days "
        "brought new bidders at little cost.",
        [
            "Gdańsk maps which of its yearly contracts could be split into smaller lots.",
            "Gdańsk holds a first supplier day with its business support centre.",
        ],
    ),
    "Mentoring visit: Rotterdam in Gdańsk": (
        "Rotterdam's officers and the scheme's expert met Gdańsk's procurement office, its "
        "business support centre and two migrant entrepreneurs' associations. The draft action "
        "plan is sound but leans on one department; procurement staff have not yet been "
        "trained on diversity in the supply chain.",
        [
            "Give the action plan a lead in the procurement office as well as in the business "
            "support centre.",
            "Train buyers on diverse suppliers before the first supplier day.",
            "Count migrant-led firms among bidders from the next tender on, to have a baseline.",
        ],
    ),
    "Mentoring visit: Barcelona in Athens": (
        "Barcelona's officers visited Athens' one-stop shop for new businesses and talked with "
        "advisers and clients. Advice is good but hard to find for people who do not speak "
        "Greek, and clients are not followed once their firm is registered.",
        [
            "Offer first advice sessions in the main languages of Athens' migrant communities.",
            "Follow each new firm for a year after registration, as Barcelona does.",
        ],
    ),
}


# The demo writes in English whatever language is active while it seeds (its titles are how
# it finds its events again).
VISIT_NAMES = {
    StandardEventKind.STUDY_VISIT: "Study visit",
    StandardEventKind.MENTORING_VISIT: "Mentoring visit",
}


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _officer(city: City) -> User | None:
    return _user(f"officer.{city.slug}@example.org")


def _create(
    programme: Programme,
    title: str,
    status: str,
    *,
    kind: str,
    coordinator_email: str = demo.COORDINATOR_EMAIL,
    **fields,
) -> Event | None:
    """The event, of the programme's kind with the code given, moved along to its status on the
    days it would have been, or None if the demo already has it: planned eight weeks ahead,
    confirmed three weeks ahead, held on its last day, or cancelled two weeks ahead. The
    programme's coordinator plans it."""
    if Event.objects.filter(programme=programme, title=title).exists():
        return None
    coordinator = _user(coordinator_email)
    of_programme = EventKind.objects.get(programme=programme, code=kind)
    starts_on, ends_on = fields["starts_on"], fields["ends_on"]
    planned = max(programme.starts_on, starts_on - timedelta(weeks=8))
    with dated(demo_at(planned), (Event, "created_at"), (Event, "updated_at")):
        event = event_create(
            programme=programme, title=title, kind=of_programme, by=coordinator, **fields
        )
    steps = {
        EventStatus.PLANNED: [],
        EventStatus.CONFIRMED: [EventStatus.CONFIRMED],
        EventStatus.HELD: [EventStatus.CONFIRMED, EventStatus.HELD],
        EventStatus.CANCELLED: [EventStatus.CANCELLED],
    }[status]
    moments = {
        EventStatus.CONFIRMED: demo_at(max(planned, starts_on - timedelta(weeks=3)), 11),
        EventStatus.HELD: demo_at(ends_on, 17),
        EventStatus.CANCELLED: demo_at(max(planned, starts_on - timedelta(weeks=2)), 11),
    }
    for step in steps:
        reason = CANCELLATION if step == EventStatus.CANCELLED else ""
        with dated(moments[step], (Event, "updated_at")):
            event_transition(event=event, to=step, reason=reason)
    return event


def _attend(event: Event, people: list[tuple[User | None, dict]], days: str = "") -> None:
    """Attendance as the hosts record it, the day after the event: the people, then the guests.
    Each person stayed ``days``, or the whole event."""
    with dated(demo_at(event.ends_on + timedelta(days=1)), (Attendance, "recorded_at")):
        for person, represents in people:
            if person is not None:
                attendance_record(
                    event=event,
                    user=person,
                    days=Decimal(days or event.length_in_days),
                    **represents,
                )
        for guest_name, organisation_name, stayed in GUESTS.get(event.title, []):
            attendance_record(
                event=event,
                guest_name=guest_name,
                organisation_name=organisation_name,
                days=Decimal(stayed),
            )


def _everyone(programme: Programme, cities: dict[str, City]) -> list[tuple[User | None, dict]]:
    """Who comes to a meeting of the whole programme: an officer of every city, the coordinator
    and scheme A's expert."""
    scheme_a = programme.schemes.select_related("facilitator").get(code="A")
    people = [(_officer(city), {"city": city}) for city in cities.values()]
    return people + [
        (_user(demo.COORDINATOR_EMAIL), {"organisation_name": programme.network}),
        (_user(demo.EXPERT_EMAIL), {"organisation": scheme_a.facilitator}),
    ]


def _report(event: Event) -> None:
    """The report, written a week after the event."""
    if event.title in REPORTS:
        findings, recommendations = REPORTS[event.title]
        stamps = (EventReport, "created_at"), (EventReport, "updated_at")
        with dated(demo_at(event.ends_on + timedelta(days=7), 15), *stamps):
            report_save(
                event=event,
                findings=findings,
                recommendations=[RecommendationInput(text=text) for text in recommendations],
                by=_user(demo.COORDINATOR_EMAIL),
            )


def seed_demo_events(programme: Programme) -> int:
    """Create the demo events that are missing; return how many were created."""
    cities = {city.name: city for city in City.objects.filter(participations__programme=programme)}
    created = []
    brussels = {
        "host_city": None,
        "venue": "EUROCITIES, Square de Meeûs, Brussels",
        "time_zone": "Europe/Brussels",
    }

    launch = _create(
        programme,
        LAUNCH,
        EventStatus.HELD,
        kind=StandardEventKind.LAUNCH_MEETING,
        starts_on=date(2016, 11, 17),
        ends_on=date(2016, 11, 18),
        agenda=(
            "Day 1: welcome, the four schemes and their expert partners, cities present their "
            "starting points.\nDay 2: pairings meet, calendar of visits, reporting staff time."
        ),
        **brussels,
    )
    if launch is not None:
        _attend(launch, _everyone(programme, cities))
        _report(launch)
        created.append(launch)

    webinar = _create(
        programme,
        WEBINAR,
        EventStatus.HELD,
        kind=StandardEventKind.WEBINAR,
        starts_on=date(2017, 1, 24),
        ends_on=date(2017, 1, 24),
        online_url="https://meet.example.org/cities-grow/needs-analysis",
        start_time=time(14),
        end_time=time(15, 30),
        time_zone="Europe/Brussels",
        agenda="How implementing cities turn their needs analysis into questions for the visit.",
    )
    if webinar is not None:
        # The implementing cities, and two mentors who wanted to hear them.
        listeners = {implementing for _code, _mentor, implementing in demo.PAIRINGS}
        listeners |= {"Barcelona", "Ghent"}
        people = [(_officer(cities[name]), {"city": cities[name]}) for name in sorted(listeners)]
        people.append((_user(demo.COORDINATOR_EMAIL), {"organisation_name": programme.network}))
        _attend(webinar, people, days="0.5")
    created.append(webinar)

    pairings = Pairing.objects.filter(scheme__programme=programme).select_related(
        "scheme__facilitator", "mentor", "implementing"
    )
    for pairing in pairings:
        key = (pairing.mentor.name, pairing.implementing.name)
        if key not in VISITS:
            continue
        (study_start, study_status), (mentoring_start, mentoring_status) = VISITS[key]
        mentor, implementing = pairing.mentor, pairing.implementing
        for kind, start, status, host, guest in (
            (StandardEventKind.STUDY_VISIT, study_start, study_status, mentor, implementing),
            (
                StandardEventKind.MENTORING_VISIT,
                mentoring_start,
                mentoring_status,
                implementing,
                mentor,
            ),
        ):
            starts_on = date(*start)
            title = f"{VISIT_NAMES[kind]}: {guest} in {host}"
            event = _create(
                programme,
                title,
                status,
                kind=kind,
                pairing=pairing,
                host_city=host,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=2),
                venue="City hall",
                agenda=(
                    f"Day 1: {host} presents its approach to scheme {pairing.scheme.code}.\n"
                    "Day 2: site visits and talks with practitioners.\n"
                    "Day 3: feedback session and next steps."
                ),
            )
            if event is None:
                continue
            created.append(event)
            if event.status == EventStatus.HELD:
                people = [(_officer(city), {"city": city}) for city in (host, guest)]
                if pairing.scheme.code == "A":
                    people.append(
                        (_user(demo.EXPERT_EMAIL), {"organisation": pairing.scheme.facilitator})
                    )
                _attend(event, people)
                _report(event)

    conference = _create(
        programme,
        CONFERENCE,
        EventStatus.HELD,
        kind=StandardEventKind.CONFERENCE,
        host_city=cities.get("Utrecht"),
        starts_on=date(2018, 3, 27),
        ends_on=date(2018, 3, 28),
        venue="Conference centre, Utrecht",
        agenda="Cities, the EU and national governments take stock of the schemes halfway.",
    )
    final = _create(
        programme,
        FINAL,
        EventStatus.HELD,
        kind=StandardEventKind.FINAL_MEETING,
        starts_on=date(2018, 9, 18),
        ends_on=date(2018, 9, 18),
        agenda="Action plans, the four new toolkits, and what the cities carry on after the end.",
        **brussels,
    )
    for meeting in (conference, final):
        if meeting is not None:
            _attend(meeting, _everyone(programme, cities))
    created += [conference, final]
    return sum(event is not None for event in created)
