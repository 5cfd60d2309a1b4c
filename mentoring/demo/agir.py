"""The second demo programme, ICP AGIR (2021-2023): its own frame (the SDGs, its target groups,
its kinds of event with a six-day study visit, euros and a daily cost model), its schemes,
cities, pairings, people and history. The facts are in ``agir_data``; the steps run after
CITIES-GROW's, reuse the cities that took part in both, and leave what is there as it is."""

from datetime import date, time, timedelta

from django.utils import translation

from accounts.demo import DemoRun, dated, demo_at, demo_user
from accounts.models import Role, User
from accounts.services import membership_grant
from cities.models import City

from ..models import (
    Commitment,
    Event,
    EventKind,
    EventReport,
    EventScope,
    EventStatus,
    ExpertOrganisation,
    Pairing,
    PairingStatus,
    Programme,
    Scheme,
    StandardEventKind,
)
from ..services import pairing_create
from ..services.event_kinds import event_kind_save, event_kinds_standard
from ..services.events import RecommendationInput, report_save
from ..services.frames import preset_framework
from . import agir_data as agir
from .events import _attend, _create, _officer
from .programme import join_cities

# The SDGs each scheme serves.
SCHEME_GOALS = {"CE": [11, 12], "AQ": [3, 11, 13], "ET": [7, 11, 13], "IM": [10, 11, 16]}

# ICP AGIR's kinds beside the standard ones: code, name, scope, usual days.
WORKING_MEETING = "working-meeting"
EXTRA_KINDS = [(WORKING_MEETING, "Working meeting of a cluster", EventScope.PROGRAMME, 2)]
STUDY_VISIT_DAYS = 6


def seed_agir_programme(run: DemoRun) -> Programme:
    fields = dict(agir.PROGRAMME)
    slug = fields.pop("slug")
    found = Programme.objects.filter(slug=slug).first()
    if found is None:
        found = Programme(slug=slug, framework=preset_framework("sdgs"), currency="EUR", **fields)
        found.full_clean()
        found.save()
    with translation.override("en"):  # the demo is written in English
        if event_kinds_standard(programme=found):
            study = EventKind.objects.get(programme=found, code=StandardEventKind.STUDY_VISIT)
            study.usual_days = STUDY_VISIT_DAYS
            event_kind_save(kind=study)
    for code, name, scope, days in EXTRA_KINDS:
        if not EventKind.objects.filter(programme=found, code=code).exists():
            event_kind_save(
                kind=EventKind(programme=found, code=code, name=name, scope=scope, usual_days=days)
            )
    run.made["agir"] = found
    return found


def seed_agir_schemes(run: DemoRun) -> dict[str, Scheme]:
    experts = {}
    for key, (name, country) in agir.EXPERTS.items():
        experts[key], _created = ExpertOrganisation.objects.get_or_create(
            name=name, defaults={"country": country}
        )
    schemes = {}
    for code, theme, facilitator in agir.SCHEMES:
        scheme, created = Scheme.objects.get_or_create(
            programme=run.made["agir"],
            code=code,
            defaults={"theme": theme, "facilitator": experts[facilitator]},
        )
        if created:
            scheme.commitments.set(
                Commitment.objects.filter(
                    framework=run.made["agir"].framework_id, number__in=SCHEME_GOALS[code]
                )
            )
        schemes[code] = scheme
    run.made["agir_schemes"] = schemes
    return schemes


def seed_agir_cities(run: DemoRun) -> dict[str, City]:
    """The 28 cities; one that CITIES-GROW already has is the same city, in both programmes.
    A new city's time zone is suggested from its country and place."""
    cities = join_cities(run.made["agir"], agir.CITIES)
    run.made["agir_cities"] = cities
    return cities


def seed_agir_pairings(run: DemoRun) -> None:
    schemes, cities = run.made["agir_schemes"], run.made["agir_cities"]
    for code, mentor, implementing in agir.PAIRINGS:
        scheme = schemes[code]
        if Pairing.objects.filter(
            scheme=scheme, mentor=cities[mentor], implementing=cities[implementing]
        ).exists():
            continue
        with dated(demo_at(run.made["agir"].starts_on), (Pairing, "created_at")):
            pairing_create(
                scheme=scheme,
                mentor=cities[mentor],
                implementing=cities[implementing],
                status=PairingStatus.ACTIVE,
            )


def seed_agir_people(run: DemoRun) -> None:
    """The coordinator, Ramboll's expert, and an officer and a supervisor of each city (the four
    cities in CITIES-GROW too keep theirs, who now see both programmes). Nobody is given a time
    zone: each follows their city's."""
    found, schemes = run.made["agir"], run.made["agir_schemes"]
    coordinator = demo_user(agir.COORDINATOR_EMAIL, "ICP AGIR coordinator")
    membership_grant(user=coordinator, role=Role.COORDINATOR, programme=found)
    run.logins.append((coordinator.email, "coordinator of ICP AGIR"))
    expert = demo_user(agir.EXPERT_EMAIL, "Ramboll expert")
    for scheme in schemes.values():
        membership_grant(user=expert, role=Role.EXPERT, scheme=scheme)
    run.logins.append(
        (expert.email, "expert partner (Ramboll), facilitator of ICP AGIR's clusters")
    )
    for name, city in run.made["agir_cities"].items():
        for role in (Role.OFFICER, Role.SUPERVISOR):
            email = f"{role.value}.{city.slug}@example.org"
            person = demo_user(email, f"{name} {role.label.lower()}")
            membership_grant(user=person, role=role, city=city)
            if all(email != listed for listed, _what in run.logins):
                run.logins.append((email, f"{role.label.lower()} of {name}"))


KICK_OFF = "ICP AGIR online kick-off"
FIRST_MEETING = "First working meeting of the clusters"
SECOND_MEETING = "Second working meeting of the clusters"
CLOSING = "ICP AGIR closing conference"

# Six-day study visits, hosted by the mentor city: (mentor, implementing): first day. In
# October 2022 the European cities went to their partners outside the EU; in February 2023 the
# partners came to Europe.
STUDY_VISITS = {
    ("서울", "Łódź"): date(2022, 10, 17),
    ("臺北", "València"): date(2022, 10, 17),
    ("Singapore", "Bologna"): date(2022, 10, 24),
    ("Vancouver", "Porto"): date(2022, 10, 24),
    ("Rotterdam", "Cape Town"): date(2023, 2, 6),
    ("Wien", "Johannesburg"): date(2023, 2, 6),
    ("Helsinki", "eThekwini"): date(2023, 2, 13),
    ("Ghent", "Montréal"): date(2023, 2, 13),
}

VISIT_REPORTS = {
    ("서울", "Łódź"): (
        "Łódź's team saw how Seoul's districts collect and repair used furniture and "
        "electronics, and how the city's sharing programme lends tools and rooms to residents. "
        "The repair centres pay for themselves in part from resale.",
        [
            "Łódź tries a repair point in one housing estate before its next waste plan.",
            "Both cities compare what each tonne kept out of landfill costs them.",
        ],
    ),
    ("Rotterdam", "Cape Town"): (
        "Cape Town's officers met Rotterdam's port and circular economy teams and two firms that "
        "reuse building materials. Rotterdam buys reused materials through its tenders; Cape "
        "Town wants to try this in its own housing works.",
        [
            "Cape Town writes reuse into one public works tender in 2023.",
            "Rotterdam shares its material passport template.",
        ],
    ),
    ("Ghent", "Montréal"): (
        "Montréal's team visited Ghent's welcome office for newcomers and the neighbourhood "
        "workers who follow families in their first year. Ghent showed how it counts who it "
        "reaches and who it misses.",
        [
            "Montréal tests a first-year follow-up with one borough.",
            "The two cities exchange their newcomer surveys in 2023.",
        ],
    ),
}


def _report(event: Event, findings: str, recommendations: list[str]) -> None:
    """The visit's report, written a week after it."""
    stamps = (EventReport, "created_at"), (EventReport, "updated_at")
    with dated(demo_at(event.ends_on + timedelta(days=7), 15), *stamps):
        report_save(
            event=event,
            findings=findings,
            recommendations=[RecommendationInput(text=text) for text in recommendations],
            by=User.objects.get(email=agir.COORDINATOR_EMAIL),
        )


def _officers(cities) -> list[tuple[User | None, dict]]:
    return [(_officer(city), {"city": city}) for city in cities]


def seed_agir_events(run: DemoRun) -> int:
    """ICP AGIR's history, in the local time of each host: the kick-off online, six-day study
    visits outside the EU (October 2022) and in Europe (February 2023) around the clusters'
    two working meetings, and the closing conference in Seoul. Returns how many were added."""
    found, cities = run.made["agir"], run.made["agir_cities"]
    everyone = _officers(cities.values()) + [
        (
            User.objects.filter(email=agir.COORDINATOR_EMAIL).first(),
            {"organisation_name": found.network},
        ),
        (
            User.objects.filter(email=agir.EXPERT_EMAIL).first(),
            {"organisation": run.made["agir_schemes"]["CE"].facilitator},
        ),
    ]
    created = 0

    def held(title: str, code: str, people, days: str = "", **fields) -> Event | None:
        nonlocal created
        event = _create(
            found,
            title,
            EventStatus.HELD,
            kind=code,
            coordinator_email=agir.COORDINATOR_EMAIL,
            **fields,
        )
        if event is not None:
            created += 1
            _attend(event, people, days=days)
        return event

    held(
        KICK_OFF,
        StandardEventKind.LAUNCH_MEETING,
        everyone,
        days="0.5",
        starts_on=date(2021, 11, 9),
        ends_on=date(2021, 11, 9),
        start_time=time(14),
        end_time=time(17),
        time_zone="Europe/Brussels",
        online_url="https://meet.example.org/icp-agir/kick-off",
        agenda=(
            "The four clusters and their pairings, the calendar of the working meetings, and how "
            "cities record their staff days."
        ),
    )
    held(
        FIRST_MEETING,
        WORKING_MEETING,
        everyone,
        host_city=cities["서울"],
        starts_on=date(2022, 10, 20),
        ends_on=date(2022, 10, 21),
        venue="Seoul City Hall",
        agenda=(
            "What the first study visits showed, cluster by cluster; drafting the cooperation "
            "plans."
        ),
    )
    held(
        SECOND_MEETING,
        WORKING_MEETING,
        everyone,
        host_city=cities["Rotterdam"],
        starts_on=date(2023, 2, 8),
        ends_on=date(2023, 2, 9),
        venue="City hall, Rotterdam",
        agenda="Cooperation plans side by side; what each pairing carries on after March 2023.",
    )
    pairings = Pairing.objects.filter(scheme__programme=found).select_related(
        "mentor", "implementing", "scheme"
    )
    for pairing in pairings:
        key = (pairing.mentor.name, pairing.implementing.name)
        if key not in STUDY_VISITS:
            continue
        starts_on = STUDY_VISITS[key]
        event = held(
            f"Study visit: {pairing.implementing} in {pairing.mentor}",
            StandardEventKind.STUDY_VISIT,
            _officers([pairing.mentor, pairing.implementing]),
            pairing=pairing,
            host_city=pairing.mentor,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=STUDY_VISIT_DAYS - 1),
            venue="City hall",
            agenda=(
                f"Days 1-2: {pairing.mentor} presents its work on "
                f"{pairing.scheme.theme.lower()}.\nDays 3-5: site visits and talks with "
                "practitioners.\nDay 6: what to try at home, and next steps."
            ),
        )
        if event is not None and key in VISIT_REPORTS:
            _report(event, *VISIT_REPORTS[key])
    held(
        CLOSING,
        StandardEventKind.CONFERENCE,
        everyone,
        host_city=cities["서울"],
        starts_on=date(2023, 3, 21),
        ends_on=date(2023, 3, 22),
        time_zone="Asia/Seoul",
        venue="Seoul City Hall",
        agenda="The pairings present their cooperation plans and what they will do after ICP AGIR.",
    )
    return created
