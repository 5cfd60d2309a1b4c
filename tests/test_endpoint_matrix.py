"""Every URL pattern of the project, requested by every kind of person (issue 7).

The demo programme is seeded once for the module (inside a transaction that is rolled back at
the end) and each test runs in a savepoint of it, so a test may change what it likes. The
EXPECTATIONS table names, for each URL name, how to build its arguments from the demo and what
GET gives each role; endpoints that only take POST also say what a POST gives each role, and the
test checks that a refused POST changed nothing. A URL pattern without an entry fails the test,
and so does an entry whose pattern is gone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from accounts.models import ApiToken, Invitation, Membership, Role, User
from accounts.services import (
    invitation_create,
    invitation_token,
    membership_grant,
    token_create,
)
from actionplans import services as plan_services
from actionplans.models import Action, ActionPlan, Indicator, Measurement, PlanComment, PlanPdf
from cities.models import City
from claims import services as claim_services
from claims.models import (
    Category,
    ChecklistQuestion,
    Claim,
    ClaimLine,
    ControlAssignment,
    CostOption,
    EvidencePack,
    LineKind,
    ReportingPeriod,
)
from claims.services import claim_open, line_save
from claims.services.packs import pack_request
from claims.tasks import build_evidence_pack
from documents import imports, jobs
from documents.importing import run_start
from documents.models import ImportRun, StoredFile
from mentoring.models import (
    Attendance,
    CalendarToken,
    Event,
    ExpertOrganisation,
    Pairing,
    Participation,
    Programme,
    Scheme,
)
from mentoring.services import participation_add
from mentoring.services.events import calendar_token_regenerate
from mentoring.services.programmes import (
    organisation_save,
    programme_create,
    programme_update,
    scheme_save,
)
from notifications.emails import preference_token
from notifications.models import Notification
from notifications.services import notify
from reporting import services as time_services
from reporting.models import (
    MonthStatus,
    OtherGrantHours,
    StaffCostReport,
    StaffRate,
    TimeEntry,
    TimesheetMonth,
)
from reporting.tasks import build_staff_cost_report
from toolkits import services as toolkit_services
from toolkits.models import GoodPractice, PracticeImage, PracticeStatus, Rendering, Toolkit

from .claims.factories import RECEIPT_PDF
from .demo_copy import seed_demo
from .toolkits.factories import practice_fields

ROLES = (
    "anonymous",
    "partner",
    "other_officer",
    "officer",
    "supervisor",
    "expert",
    "coordinator",
    "other_coordinator",
    "controller",
    "former_controller",
)

# The demo people behind the roles. "officer" and "supervisor" act for the object's city
# (Gdańsk, implementing city of scheme A, unless an entry names another city); "other_officer"
# is Riga's officer (scheme B), who has nothing to do with scheme A; the demo expert
# facilitates scheme A. "other_coordinator" coordinates another programme (made here, with a
# scheme of its own and the organisation that facilitates it) and nothing of CITIES-GROW: where a
# coordinator may act, this says whether the rule asks "of this object" or only "somewhere".
PEOPLE = {
    "partner": "partner@example.org",
    "other_officer": "officer.riga@example.org",
    "expert": "expert@example.org",
    "coordinator": "coordinator@example.org",
    "other_coordinator": "coordinator.elsewhere@example.org",
    # The demo's first-level controller, assigned to Gdańsk's (and Rotterdam's and Athens')
    # claims of the first two periods; and one whose assignment to Gdańsk ended yesterday.
    "controller": "controller@example.org",
    "former_controller": "controller.former@example.org",
}


def person(role: str, city: str = "gdansk") -> str | None:
    if role == "anonymous":
        return None
    if role in ("officer", "supervisor"):
        return f"{role}.{city}@example.org"
    return PEOPLE[role]


# Outcomes ------------------------------------------------------------------------------------

OK = 200
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
BAD_REQUEST = 400
LOGIN = "login"  # 302 to the sign-in page
UNAUTHORISED = 401  # the API, without a token


@dataclass(frozen=True)
class To:
    """A redirect somewhere other than the sign-in page: the Location starts with ``prefix``
    (a path, or a callable of the world giving one)."""

    prefix: str | Callable

    def path(self, world) -> str:
        return self.prefix(world) if callable(self.prefix) else self.prefix


def roles(default, **overrides) -> dict:
    """Every role gets ``default`` unless named. A controller holds no role but that one, which
    opens only the claims an assignment covers: elsewhere, unless named, they get what another
    city's officer gets (a stranger to the object), and so does a former controller."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, unknown
    stranger = overrides.get("other_officer", default)
    overrides.setdefault("controller", stranger)
    overrides.setdefault("former_controller", overrides["controller"])
    return {role: overrides.get(role, default) for role in ROLES}


def signed_in(default, **overrides) -> dict:
    """Anonymous people are sent to sign in; signed-in roles get ``default`` unless named."""
    return roles(default, anonymous=LOGIN, **overrides)


@dataclass
class Post:
    """A POST sent by each role: its data, what each role gets, and the rows a refused POST
    must leave as they were."""

    expected: dict
    data: Callable = lambda world: {}
    rows: Callable = lambda world: []
    files: Callable | None = None


@dataclass
class Endpoint:
    kwargs: Callable = lambda world: {}
    get: dict = field(default_factory=dict)
    post: Post | None = None
    city: str = "gdansk"  # whose officer and supervisor are "officer" and "supervisor"
    query: str = ""


# The demo world --------------------------------------------------------------------------------


class World:
    """The demo objects the URLs point at, found (or created through the services) once."""

    def __init__(self):
        self.programme = Programme.objects.get(slug="cities-grow")
        # CITIES-GROW publishes open data (the other programme does not: no dataset).
        self.programme.open_data_licence = "CC-BY-4.0"
        programme_update(programme=self.programme)
        self.scheme = Scheme.objects.get(programme=self.programme, code="A")
        self.gdansk = City.objects.get(slug="gdansk")
        self.riga = City.objects.get(slug="riga")
        people = User.objects.filter(email__endswith="@example.org")
        self.people = {user.email: user for user in people}
        self.coordinator = self.user("coordinator")
        self._other_programme()
        self._controllers()
        self.expert = self.user("expert")
        self.officer = self.user("officer")
        self.supervisor = self.user("supervisor")
        self.organisation = self.scheme.facilitator
        self.pairing = Pairing.objects.get(scheme=self.scheme, implementing=self.gdansk)
        self.event = Event.objects.get(title="Mentoring visit: Rotterdam in Gdańsk")
        self.attendance = Attendance.objects.filter(event=self.event, city=self.gdansk).first()
        self.invitation = invitation_create(
            email="new.officer.gdansk@example.org",
            role=Role.OFFICER,
            city=self.gdansk,
            by=self.coordinator,
        )
        self.invitation_token = invitation_token(self.invitation)
        self.calendar_token = calendar_token_regenerate(user=self.officer).secret
        self.api_token = token_create(
            owner=self.officer, name="Matrix", expires_at=timezone.now() + timedelta(days=30)
        ).token
        self._time()
        self._practices()
        self._plans()
        self._notifications()
        self._imports()
        self._claim_pages()
        self._claims_setup()
        self._verification()
        self._packs()

    def user(self, role: str, city: str = "gdansk") -> User:
        return self.people[person(role, city)]

    def _controllers(self):
        """The demo's controller, and another whose assignment to Gdańsk's first claim ended."""
        self.controller = self.user("controller")
        former = User.objects.create_user(email=PEOPLE["former_controller"], password="x-matrix")  # noqa: S106
        self.people[former.email] = former
        membership_grant(user=former, role=Role.CONTROLLER, programme=self.programme)
        today = timezone.localdate()
        ControlAssignment.objects.create(
            controller=former,
            programme=self.programme,
            city=self.gdansk,
            period=ReportingPeriod.objects.get(programme=self.programme, number=1),
            starts_on=today - timedelta(days=90),
            ends_on=today - timedelta(days=1),
            assigned_by=self.coordinator,
        )

    def _other_programme(self):
        """Another programme, its coordinator, and the organisation facilitating its scheme."""
        other = User.objects.create_user(email=PEOPLE["other_coordinator"], password="x-matrix")  # noqa: S106
        self.people[other.email] = other
        self.other_programme = programme_create(
            programme=Programme(
                name="Matrix Elsewhere",
                slug="matrix-elsewhere",
                starts_on=date(2016, 1, 1),
                ends_on=date(2018, 12, 31),
                budget=Decimal(1000),
                co_financing_rate=Decimal("0.1"),
                staff_days_allowance=10,
            ),
            by=other,
        )
        self.other_organisation = organisation_save(
            organisation=ExpertOrganisation(name="Matrix Elsewhere Experts"), by=other
        )
        scheme_save(
            scheme=Scheme(
                programme=self.other_programme,
                code="X",
                theme="Elsewhere",
                facilitator=self.other_organisation,
            )
        )

    def _time(self):
        months = TimesheetMonth.objects.filter(
            person=self.officer, programme=self.programme, city=self.gdansk
        )
        self.approved_month = months.filter(status=MonthStatus.APPROVED).latest("month")
        self.submitted_month = months.filter(status=MonthStatus.SUBMITTED).latest("month")
        open_month = date(2018, 6, 1)
        self.entry = time_services.time_entry_create(
            person=self.officer,
            programme=self.programme,
            city=self.gdansk,
            day=date(2018, 6, 4),
            activity="action_planning",
            hours=Decimal("2"),
            description="Matrix test entry",
        )
        self.open_month = months.get(month=open_month)
        self.rate = StaffRate.objects.filter(person=self.officer).latest("year")
        self.other_grant = time_services.other_grant_hours_save(
            row=OtherGrantHours(
                person=self.officer, year=2018, project="Matrix grant", hours=Decimal(40)
            ),
            by=self.officer,
        )
        self.exchange_rate = time_services.exchange_rate_save(
            programme=self.programme,
            currency="PLN",
            month=date(2017, 1, 1),
            rate=Decimal("0.2301"),
            source="Matrix test rate",
            by=self.coordinator,
        )
        self.report = time_services.report_request(
            programme=self.programme,
            city=self.gdansk,
            first_month=date(2017, 1, 1),
            last_month=date(2017, 3, 1),
            by=self.coordinator,
        )
        build_staff_cost_report(self.report.pk)
        self.report.refresh_from_db()
        self.failed_report = time_services.report_request(
            programme=self.programme,
            city=self.gdansk,
            first_month=date(2017, 1, 1),
            last_month=date(2017, 2, 1),
            by=self.coordinator,
        )
        jobs.fail(self.failed_report, "matrix test")

    def _practices(self):
        self.published_practice = GoodPractice.objects.filter(
            scheme=self.scheme, status=PracticeStatus.PUBLISHED
        ).first()
        self.draft_practice = toolkit_services.practice_create(
            city=self.gdansk,
            author=self.officer,
            scheme=self.scheme,
            **practice_fields(title="Supplier days for newcomer firms"),
        )
        self.image = toolkit_services.practice_image_add(
            self.draft_practice, by=self.officer, image=png(), alt_text="A supplier day"
        )
        self.toolkit = Toolkit.objects.filter(scheme=self.scheme).first()
        self.edition = self.toolkit.editions.order_by("number").last()
        self.rendering = toolkit_services.edition_rendering(self.edition, language="en")
        jobs.fail(self.rendering, "matrix test")

    def _plans(self):
        self.plan = ActionPlan.objects.get(pairing=self.pairing)
        self.version = self.plan.versions.order_by("number").last()
        self.action = Action.objects.filter(plan=self.plan).first()
        self.indicator = Indicator.objects.filter(plan=self.plan).first()
        self.pdf = plan_services.pdf_request(self.version, by=self.coordinator)
        jobs.fail(self.pdf, "matrix test")
        # Nicosia's plan (scheme A), sent back to its authors: the one the edit pages work on.
        self.open_plan = ActionPlan.objects.get(pairing__implementing__slug="nicosia")
        plan_services.plan_request_changes(
            self.open_plan, by=self.expert, comment="Say who leads each action."
        )
        self.open_action = Action.objects.filter(plan=self.open_plan).first()

    def _notifications(self):
        """The Gdańsk officer is told their plan is approved: their notification is theirs
        alone; the one-click link of its kind is for whoever holds it."""
        notify(
            "actionplans.approved",
            recipients=[self.officer],
            about=self.plan,
            link=self.plan.get_absolute_url(),
            params={"person": "Matrix", "title": self.plan.title, "city": "Gdańsk"},
            programme=self.programme.name,
            key="matrix.approved",
        )
        self.notification = Notification.objects.get(
            recipient=self.officer, event="matrix.approved"
        )
        self.preference_token = preference_token(self.officer, "actionplans.approved")

    def _packs(self):
        """Gdańsk's claim for a period of the demo officer's approved months, signed by the
        supervisor, with its evidence pack built, and a second pack that failed."""
        month = self.approved_month.month
        period = ReportingPeriod.objects.create(
            programme=self.programme,
            number=99,  # beside the demo's periods
            starts_on=month.replace(month=1),
            ends_on=month.replace(month=12, day=31),
            deadline=month.replace(month=12, day=31),
        )
        self.pack_claim = claim_services.claim_open(
            period=period, city=self.gdansk, by=self.officer
        )
        claim_services.line_save(
            claim=self.pack_claim,
            line=ClaimLine(
                kind=LineKind.REAL,
                category=Category.TRAVEL,
                supplier="Matrix rail",
                invoice_number="M-1",
                invoice_date=month,
                payment_date=month,
                net_amount=Decimal("120.00"),
                currency=self.programme.currency,
                description="Train to the matrix visit",
                receipt=StoredFile.store(
                    b"%PDF-1.4 matrix", filename="ticket.pdf", content_type="application/pdf"
                ),
                receipt_name="ticket.pdf",
            ),
            by=self.officer,
        )
        self.pack_claim = claim_services.claim_submit(self.pack_claim, by=self.supervisor)
        self.pack = pack_request(self.pack_claim, by=self.coordinator)
        build_evidence_pack(self.pack.pk)
        self.pack.refresh_from_db()
        self.failed_pack = EvidencePack.objects.create(
            claim=self.pack_claim, requested_by=self.coordinator, fingerprint="matrix failed pack"
        )
        jobs.fail(self.failed_pack, "matrix test")

    def _imports(self):
        """A previewed import of cities by the coordinator, and a failed one to retry."""
        kind = imports.get("cities")
        self.import_run = run_start(
            kind=kind, target=self.programme, user=self.coordinator, upload=cities_csv()
        )
        self.failed_import = run_start(
            kind=kind, target=self.programme, user=self.coordinator, upload=cities_csv()
        )
        jobs.fail(self.failed_import, "matrix test")

    def _claim_pages(self):
        """Gdańsk's claims of CITIES-GROW: a draft for the demo's third period (October 2017 to
        March 2018, with the officer's approved October and a travel line with its receipt),
        and the demo's claim for the second period, submitted."""
        self.claim_period = ReportingPeriod.objects.get(programme=self.programme, number=3)
        self.claim = claim_open(period=self.claim_period, city=self.gdansk, by=self.officer)
        self.claim_line = self._travel_line(self.claim)
        self.submitted_claim = Claim.objects.get(
            programme=self.programme, city=self.gdansk, period__number=2
        )

    def _travel_line(self, claim) -> ClaimLine:
        receipt = StoredFile.store(RECEIPT_PDF, filename="ticket.pdf", content_type=PDF)
        line = ClaimLine(
            kind=LineKind.REAL,
            category=Category.TRAVEL,
            supplier="Matrix Rail",
            invoice_number="M-1",
            net_amount=Decimal("120.00"),
            currency=self.programme.currency,
            receipt=receipt,
            receipt_name="ticket.pdf",
        )
        return line_save(claim=claim, line=line, by=self.officer)

    def _claims_setup(self):
        """The coordinators' side through their services, on the demo's claims set-up: a cost
        option, a checklist question and Gdańsk's staff budget; the demo controller's
        assignment to Gdańsk for the first period, and Gdańsk's claim for it, certified by the
        demo and audited here."""
        from accounts.selectors import today_for
        from claims.models import ClaimStatus, CostOptionKind
        from claims.services.audits import audit_record
        from claims.services.setup import budgets_save, cost_option_save, question_save

        by = self.coordinator
        programme = self.programme
        self.claim_periods = list(ReportingPeriod.objects.filter(programme=programme))
        self.cost_option = cost_option_save(
            programme=programme,
            option=None,
            name="Matrix day of a visit",
            kind=CostOptionKind.UNIT,
            category=Category.TRAVEL,
            amount=Decimal("180"),
            unit="day of a visit",
            rate=None,
            by=by,
        )
        self.question = question_save(
            programme=programme,
            question=None,
            text="Were the visits' attendance lists signed?",
            kind="yes_no",
            max_score=None,
            position=20,
            by=by,
        )
        budgets_save(
            programme=programme,
            amounts={(self.gdansk.pk, Category.STAFF): Decimal("20000")},
            by=by,
        )
        self.assignment = ControlAssignment.objects.get(
            controller=self.controller, city=self.gdansk, period=self.claim_periods[0]
        )
        claim = Claim.objects.get(city=self.gdansk, period=self.claim_periods[0])
        assert claim.status == ClaimStatus.CERTIFIED, "the demo certifies Gdańsk's first claim"
        self.certified_claim = claim
        self.audit = audit_record(
            claim=claim,
            body="Matrix audit authority",
            held_on=today_for(by),
            findings="Matrix findings.",
            by=by,
        )

    def _verification(self):
        """Gdańsk's claim of the demo's second period, in verification by the demo's
        controller (assigned to Gdańsk for it), and its expenditure line."""
        from claims.models import ClaimStatus, LineKind

        claim = Claim.objects.get(programme=self.programme, city=self.gdansk, period__number=2)
        assert claim.status == ClaimStatus.VERIFICATION, "the demo verifies Gdańsk's second"
        self.verified_claim = claim
        self.verification = claim.verification
        self.verified_line = claim.lines.filter(kind=LineKind.REAL).first()
        self.verified_claim_rows = Claim.objects.filter(pk=claim.pk)


PDF = "application/pdf"


def cities_csv() -> SimpleUploadedFile:
    content = b"Name,Country,Latitude,Longitude\nMatrixburg,PL,50.1,19.1\n"
    return SimpleUploadedFile("cities.csv", content, content_type="text/csv")


def png(name: str = "picture.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            seed_demo(
                without_second_programme=True
            )  # seeded once per test process, then copied: tests/demo_copy.py
            yield World()
            transaction.set_rollback(True)


# Every URL pattern ---------------------------------------------------------------------------


def url_patterns(resolver=None, prefix: str = "", namespace: str | None = None):
    """(full name, route) of every pattern; unnamed ones are named by their route."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {route}>"
            yield (f"{namespace}:{name}" if namespace else name), route


def rows_of(*querysets):
    """A cheap fingerprint of the rows a POST could change."""
    return [list(queryset.order_by("pk").values()) for queryset in querysets]


# The table -------------------------------------------------------------------------------------

EVERYONE_OK = roles(OK)
SIGNED_IN_OK = signed_in(OK)
# Pages about one object of CITIES-GROW: its coordinator, never the other programme's.
COORDINATOR_ONLY = signed_in(FORBIDDEN, coordinator=OK)
PLANNERS = signed_in(FORBIDDEN, expert=OK, coordinator=OK)  # coordinators and scheme experts
# Pages of the role (lists and "new" forms scoped to one's own programmes): every coordinator.
ANY_COORDINATOR = signed_in(FORBIDDEN, coordinator=OK, other_coordinator=OK)
ANY_PLANNER = signed_in(FORBIDDEN, expert=OK, coordinator=OK, other_coordinator=OK)
GET_REFUSED = signed_in(NOT_ALLOWED)  # POST-only: signed-in GETs get 405
# Gdańsk's plan (and anything only its pairing sees): hidden from people outside it.
PLAN_READERS = signed_in(
    OK, partner=NOT_FOUND, other_officer=NOT_FOUND, other_coordinator=NOT_FOUND
)


EVENT_READERS = signed_in(
    OK, partner=FORBIDDEN, other_officer=FORBIDDEN, other_coordinator=NOT_FOUND
)
# The event's own pages: another programme's coordinator does not see that it exists.
EVENT_PLANNERS = signed_in(FORBIDDEN, expert=OK, coordinator=OK, other_coordinator=NOT_FOUND)


def programme_kw(world):
    return {"slug": world.programme.slug}


def pairing_kw(world):
    return {"pk": world.pairing.pk}


def pairing_url(world):
    return world.pairing.get_absolute_url()


def event_kw(world):
    return {"pk": world.event.pk}


def attendance_url(world):
    return reverse("mentoring:event_attendance", kwargs={"pk": world.event.pk})


def city_kw(world):
    return {"slug": world.gdansk.slug}


TIME_RECORDERS = signed_in(FORBIDDEN, other_officer=OK, officer=OK)
OWN_ENTRY = signed_in(NOT_FOUND, officer=OK)
MONTH_READERS = {"officer": OK, "supervisor": OK, "coordinator": OK}
REPORT_READERS = signed_in(NOT_FOUND, supervisor=OK, coordinator=OK)
REPORT_PEOPLE_LIST = signed_in(FORBIDDEN, supervisor=OK, coordinator=OK)


def month_post(**allowed) -> dict:
    """Months hidden from a role are not found; those seen but not theirs to sign, 403."""
    return signed_in(NOT_FOUND, **{**dict.fromkeys(MONTH_READERS, FORBIDDEN), **allowed})


def month_url(month) -> str:
    return reverse("reporting:month", kwargs={"pk": month.pk})


def entry_kw(world):
    return {"pk": world.entry.pk}


def other_grant_kw(world):
    return {"pk": world.other_grant.pk}


def report_kw(world):
    return {"pk": world.report.pk}


def failed_report_url(world):
    return reverse("reporting:report", kwargs={"pk": world.failed_report.pk})


# A claim's evidence packs: the programme's coordinators and the city's supervisors.
PACK_PEOPLE = signed_in(NOT_FOUND, supervisor=OK, coordinator=OK)


def pack_kw(world):
    return {"pk": world.pack.pk}


def pack_url(world):
    return reverse("claims:pack", kwargs={"pk": world.pack.pk})


def failed_pack_url(world):
    return reverse("claims:pack", kwargs={"pk": world.failed_pack.pk})


PRACTICE_WRITERS = TIME_RECORDERS  # officers of any city
DRAFT_READERS = signed_in(NOT_FOUND, officer=OK, expert=OK, coordinator=OK)
DRAFT_EDITORS = DRAFT_READERS
TOOLKIT_EDITORS = signed_in(NOT_FOUND, expert=OK, coordinator=OK)


def published_kw(world):
    return {"slug": world.published_practice.slug}


def draft_kw(world):
    return {"slug": world.draft_practice.slug}


def image_kw(world):
    return {"slug": world.draft_practice.slug, "pk": world.image.pk}


def toolkit_kw(world):
    return {"slug": world.toolkit.slug}


def rendering_kw(world):
    return {"pk": world.rendering.pk}


def rendering_url(world):
    return reverse("toolkits:rendering", kwargs=rendering_kw(world))


IMPORTERS = signed_in(FORBIDDEN, coordinator=OK, other_coordinator=NOT_FOUND)
IMPORT_OWNER = signed_in(NOT_FOUND, coordinator=OK)


def import_kw(world):
    return {"kind": "cities", "ident": world.programme.slug}


TIMESHEET_IMPORTERS = signed_in(NOT_FOUND, officer=OK, supervisor=OK)


def timesheet_import_kw(world):
    return {"kind": "timesheets", "ident": world.gdansk.slug}


def timesheets_csv() -> SimpleUploadedFile:
    content = (
        b"E-mail address,Programme,Date,Activity,Hours\n"
        b"officer.gdansk@example.org,cities-grow,2016-10-03,needs_analysis,4\n"
    )
    return SimpleUploadedFile("gdansk-2016.csv", content, content_type="text/csv")


def import_run_url(world):
    return reverse("documents:import_run", args=[world.import_run.pk])


PLAN_PEOPLE = ("officer", "supervisor", "expert", "coordinator")
OPEN_PLAN_AUTHORS = signed_in(
    FORBIDDEN, partner=NOT_FOUND, other_officer=NOT_FOUND, other_coordinator=NOT_FOUND, officer=OK
)
TRACKERS = signed_in(
    FORBIDDEN,
    partner=NOT_FOUND,
    other_officer=NOT_FOUND,
    other_coordinator=NOT_FOUND,
    officer=To(lambda w: plan_url(w)),
    supervisor=To(lambda w: plan_url(w)),
)


def plan_kw(world):
    return {"pk": world.plan.pk}


def plan_url(world):
    return reverse("actionplans:plan", kwargs={"pk": world.plan.pk})


def open_plan_url(world):
    return reverse("actionplans:plan", kwargs={"pk": world.open_plan.pk})


def open_row_kw(world):
    return {"pk": world.open_plan.pk, "section": "actions", "row": world.open_action.pk}


def version_kw(world):
    return {"pk": world.plan.pk, "number": world.version.number}


def version_url(world):
    return reverse("actionplans:version", kwargs=version_kw(world))


def pdf_kw(world):
    return {"pk": world.pdf.pk}


def pdf_url(world):
    return reverse("actionplans:pdf", kwargs=pdf_kw(world))


def claim_kw(world):
    return {"pk": world.claim.pk}


def claim_url(world):
    return world.claim.get_absolute_url()


def claim_line_kw(world):
    return {"pk": world.claim_line.pk}


def claim_line_data(**changes) -> dict:
    return {
        "kind": "real",
        "category": "travel",
        "supplier": "Matrix Rail",
        "invoice_number": "M-2",
        "net_amount": "80.00",
        "vat": "0",
        "currency": "EUR",
        **changes,
    }


def receipt_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("ticket.pdf", RECEIPT_PDF, content_type=PDF)


# Claims: the city's people and the programme's coordinators read them; nobody else knows them.
CLAIM_READERS = signed_in(NOT_FOUND, officer=OK, supervisor=OK, coordinator=OK)
# The city's officers and supervisors change a draft; the coordinators are told why not.
CLAIM_EDITORS = {**CLAIM_READERS, "coordinator": FORBIDDEN}
CLAIM_SAVED = {
    **CLAIM_READERS,
    "officer": To(claim_url),
    "supervisor": To(claim_url),
    "coordinator": FORBIDDEN,
}


def newcomer_city(world) -> City:
    """A city that joins the programme now (called inside the test's savepoint)."""
    city = City.objects.filter(slug="matrixville").first()
    if city is None:
        city = City.objects.create(
            name="Matrixville",
            slug="matrixville",
            country="PL",
            latitude=Decimal("50.0"),
            longitude=Decimal("19.0"),
            languages=["pl"],
        )
        participation_add(programme=world.programme, city=city)
    return city


SIGNED_IN_HOME = roles(To("/"), anonymous=OK)  # allauth sends signed-in people home

API_READERS = roles(OK, anonymous=UNAUTHORISED)
API_PROGRAMME = roles(OK, anonymous=UNAUTHORISED, other_coordinator=NOT_FOUND)
API_MENTORING = ("programme", "scheme", "city", "pairing", "event", "visit-report")


def claims_programme_kw(world):
    return {"programme": world.programme.slug}


def claims_setup_url(name: str):
    return lambda w: reverse(f"claims:{name}", kwargs=claims_programme_kw(w))


def budget_city_url(city: str):
    return lambda w: reverse("claims:budget_city", kwargs=claims_programme_kw(w) | {"city": city})


EXPECTATIONS: dict[str, Endpoint] = {
    # The read API's schema and documentation page: public, they hold no data (config/api) ----
    "api:schema": Endpoint(get=EVERYONE_OK),
    "api:docs": Endpoint(get=EVERYONE_OK),
    # API endpoints are asked with a token of each role's person (``_client``); anonymous: 401.
    "api:me": Endpoint(get=roles(OK, anonymous=UNAUTHORISED)),
    # Mentoring's lists span the reader's programmes; an object of CITIES-GROW is not found by
    # another programme's coordinator; a visit report only by those its event concerns.
    **{f"api:{kind}-list": Endpoint(get=API_READERS) for kind in API_MENTORING},
    "api:programme-detail": Endpoint(kwargs=lambda w: {"pk": w.programme.pk}, get=API_PROGRAMME),
    "api:scheme-detail": Endpoint(kwargs=lambda w: {"pk": w.scheme.pk}, get=API_PROGRAMME),
    "api:city-detail": Endpoint(kwargs=lambda w: {"pk": w.gdansk.pk}, get=API_PROGRAMME),
    "api:pairing-detail": Endpoint(kwargs=lambda w: {"pk": w.pairing.pk}, get=API_PROGRAMME),
    "api:event-detail": Endpoint(kwargs=lambda w: {"pk": w.event.pk}, get=API_PROGRAMME),
    "api:visit-report-detail": Endpoint(
        kwargs=lambda w: {"pk": w.event.report.pk},
        get=roles(
            OK,
            anonymous=UNAUTHORISED,
            partner=NOT_FOUND,
            other_officer=NOT_FOUND,
            other_coordinator=NOT_FOUND,
        ),
    ),
    # Home and language ---------------------------------------------------------------------
    "home": Endpoint(get=EVERYONE_OK),
    "set_language": Endpoint(get=roles(To("/"))),
    # allauth: the sign-in pages are public; account pages want a signed-in person -----------
    "account_login": Endpoint(get=SIGNED_IN_HOME),
    "account_signup": Endpoint(get=SIGNED_IN_HOME),
    "account_logout": Endpoint(get=roles(OK, anonymous=To("/"))),
    "account_inactive": Endpoint(get=EVERYONE_OK),
    "account_reauthenticate": Endpoint(get=SIGNED_IN_OK),
    "account_email": Endpoint(get=SIGNED_IN_OK),
    "account_email_verification_sent": Endpoint(get=EVERYONE_OK),
    "account_change_password": Endpoint(get=SIGNED_IN_OK),
    "account_set_password": Endpoint(get=signed_in(To("/accounts/password/change/"))),
    "account_reset_password": Endpoint(get=EVERYONE_OK),
    "account_reset_password_done": Endpoint(get=EVERYONE_OK),
    "account_reset_password_from_key": Endpoint(
        kwargs=lambda w: {"uidb36": "1", "key": "no-such-key"}, get=EVERYONE_OK
    ),
    "account_reset_password_from_key_done": Endpoint(get=EVERYONE_OK),
    "account_confirm_email": Endpoint(kwargs=lambda w: {"key": "no-such-key"}, get=EVERYONE_OK),
    "account_confirm_login_code": Endpoint(get=roles(To("/"), anonymous=LOGIN)),
    # Two-factor authentication: settings of one's own; sensitive steps ask for the password
    # again first, and pages about a TOTP or codes one does not have are not found.
    "mfa_index": Endpoint(get=SIGNED_IN_OK),
    "mfa_authenticate": Endpoint(get=roles(To("/"), anonymous=LOGIN)),
    "mfa_reauthenticate": Endpoint(get=signed_in(To("/accounts/reauthenticate/"))),
    "mfa_activate_totp": Endpoint(get=signed_in(To("/accounts/reauthenticate/"))),
    "mfa_deactivate_totp": Endpoint(get=signed_in(NOT_FOUND)),
    "mfa_view_recovery_codes": Endpoint(get=signed_in(NOT_FOUND)),
    "mfa_generate_recovery_codes": Endpoint(get=signed_in(To("/accounts/reauthenticate/"))),
    "mfa_download_recovery_codes": Endpoint(get=signed_in(NOT_FOUND)),
    # Invitations: coordinators --------------------------------------------------------------
    "portal:invitations": Endpoint(get=ANY_COORDINATOR),
    "portal:invitation_revoke": Endpoint(
        kwargs=lambda w: {"pk": w.invitation.pk},
        get=GET_REFUSED,
        post=Post(
            # Invitations another person cannot see are not found.
            expected=signed_in(NOT_FOUND, coordinator=To("/invitations/")),
            rows=lambda w: [Invitation.objects.filter(pk=w.invitation.pk)],
        ),
    ),
    # Personal data: everyone signed in reads and downloads their own; only a coordinator of
    # every programme the person is in may erase them, never themselves.
    "accounts:settings": Endpoint(get=SIGNED_IN_OK),
    "accounts:my_data": Endpoint(get=SIGNED_IN_OK),
    # API tokens: one's own; another person's token is not found.
    "accounts:api_tokens": Endpoint(
        get=SIGNED_IN_OK,
        post=Post(
            expected=signed_in(To("/account/api-tokens/")),
            data=lambda w: {"name": "Matrix system", "valid_for": "30"},
            rows=lambda w: [ApiToken.objects.all()],
        ),
    ),
    "accounts:api_token_revoke": Endpoint(
        kwargs=lambda w: {"pk": w.api_token.pk},
        get=signed_in(NOT_FOUND, officer=OK),
        post=Post(
            expected=signed_in(NOT_FOUND, officer=To("/account/api-tokens/")),
            rows=lambda w: [ApiToken.objects.filter(pk=w.api_token.pk)],
        ),
    ),
    "accounts:my_data_export": Endpoint(get=SIGNED_IN_OK),
    "accounts:person_erase": Endpoint(
        kwargs=lambda w: {"pk": w.officer.pk},
        get=COORDINATOR_ONLY,
        post=Post(
            # Without the confirmation box ticked, even the coordinator's POST erases nothing.
            expected=signed_in(FORBIDDEN, coordinator=BAD_REQUEST),
            # (Not the user row itself: signing in as that officer sets its last_login.)
            rows=lambda w: [Membership.objects.filter(user=w.officer)],
        ),
    ),
    # The secret link itself is the permission: anyone holding it sees the form.
    "accounts:invitation_accept": Endpoint(
        kwargs=lambda w: {"token": w.invitation_token}, get=EVERYONE_OK
    ),
    # Notifications: everyone signed in has their own; another person's is not found. The
    # one-click link of an e-mail is its own permission (a signed token), for mail clients too.
    "notifications:list": Endpoint(
        get=SIGNED_IN_OK,
        post=Post(  # "mark all read" marks the person's own
            expected=signed_in(To("/notifications/")),
            rows=lambda w: [Notification.objects.all()],
        ),
    ),
    "notifications:open": Endpoint(
        kwargs=lambda w: {"pk": w.notification.pk},
        get=signed_in(NOT_FOUND, officer=To(plan_url)),
    ),
    "notifications:read": Endpoint(
        kwargs=lambda w: {"pk": w.notification.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(NOT_FOUND, officer=To("/notifications/")),
            rows=lambda w: [Notification.objects.filter(pk=w.notification.pk)],
        ),
    ),
    "notifications:bell": Endpoint(get=SIGNED_IN_OK),
    "notifications:preferences": Endpoint(get=SIGNED_IN_OK),
    "notifications:one_click": Endpoint(
        kwargs=lambda w: {"token": w.preference_token}, get=EVERYONE_OK
    ),
    # The audit trail: coordinators only, scoped to their programmes --------------------------
    "audit:log": Endpoint(get=ANY_COORDINATOR),
    "audit:history": Endpoint(
        kwargs=lambda w: {"kind": "mentoring.pairing", "pk": w.pairing.pk},
        get=signed_in(FORBIDDEN, coordinator=OK, other_coordinator=NOT_FOUND),
    ),
    # Programmes, schemes, organisations: read by the programme's people, run by coordinators --
    "portal:programme": Endpoint(
        kwargs=programme_kw, get=signed_in(OK, other_coordinator=FORBIDDEN)
    ),
    # Everyone in a programme chooses among their own programmes: CITIES-GROW is not the other
    # coordinator's, whose choice is refused on the field and left as it was.
    "portal:programme_switch": Endpoint(
        get=signed_in(OK),
        post=Post(
            data=lambda w: {"programme": w.programme.pk, "next": "/pairings/"},
            expected=signed_in(To("/pairings/"), other_coordinator=BAD_REQUEST),
            rows=lambda w: [User.objects.filter(email=PEOPLE["other_coordinator"])],
        ),
    ),
    "mentoring:programme_create": Endpoint(get=ANY_COORDINATOR),
    "mentoring:programme_edit": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    "mentoring:scheme_create": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    "mentoring:scheme_edit": Endpoint(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.scheme.pk}, get=COORDINATOR_ONLY
    ),
    "mentoring:event_kinds": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    "mentoring:event_kind_create": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    "mentoring:event_kind_edit": Endpoint(
        kwargs=lambda w: {
            "slug": w.programme.slug,
            "pk": w.programme.event_kinds.get(code="study_visit").pk,
        },
        get=COORDINATOR_ONLY,
    ),
    "mentoring:participation_add": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    # The names its form's box suggests: the cities that could join, to whoever may add one.
    "mentoring:participation_city_suggestions": Endpoint(
        kwargs=programme_kw, get=COORDINATOR_ONLY, query="?q=gd"
    ),
    # The names the boxes of the programme's forms suggest (a pairing's cities, an event's
    # host, an attendee's city): its cities, to whoever sees the programme.
    "mentoring:programme_city_suggestions": Endpoint(
        kwargs=programme_kw, get=signed_in(OK, other_coordinator=NOT_FOUND), query="?q=gda"
    ),
    # The programme's frame (issue 15): its coordinators only; choosing "no framework" is the
    # POST that must change nothing for anyone else.
    "portal:frame": Endpoint(
        kwargs=programme_kw,
        get=COORDINATOR_ONLY,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To("/programmes/cities-grow/frame/")),
            data=lambda w: {"framework": ""},
            rows=lambda w: [
                Programme.objects.filter(pk=w.programme.pk),
                Scheme.commitments.through.objects.filter(scheme__programme=w.programme),
            ],
        ),
    ),
    "portal:framework_create": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    "portal:commitment_create": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    "portal:commitment_edit": Endpoint(
        kwargs=lambda w: {
            "slug": w.programme.slug,
            "pk": w.programme.framework.commitments.get(number=9).pk,
        },
        get=COORDINATOR_ONLY,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To("/programmes/cities-grow/frame/")),
            data=lambda w: {"number": "9", "title": "Renamed by the matrix", "group_name": ""},
            rows=lambda w: [w.programme.framework.commitments.filter(number=9)],
        ),
    ),
    "portal:target_group_create": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    "portal:target_group_edit": Endpoint(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.programme.target_groups.first().pk},
        get=COORDINATOR_ONLY,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To("/programmes/cities-grow/frame/")),
            data=lambda w: {"name": "Renamed by the matrix"},
            rows=lambda w: [w.programme.target_groups.all()],
        ),
    ),
    "mentoring:participation_remove": Endpoint(
        # A city that has just joined, so that removing it takes nothing else with it.
        kwargs=lambda w: {"slug": w.programme.slug, "city_pk": newcomer_city(w).pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To("/programmes/cities-grow/")),
            rows=lambda w: [Participation.objects.filter(programme=w.programme)],
        ),
    ),
    "mentoring:organisations": Endpoint(get=ANY_COORDINATOR),
    "mentoring:organisation_create": Endpoint(get=ANY_COORDINATOR),
    # Scheme A's facilitator is owned by CITIES-GROW's coordinators, not by the coordinator of
    # another programme (mentoring.permissions.can_edit_organisation).
    "mentoring:organisation_edit": Endpoint(
        kwargs=lambda w: {"pk": w.organisation.pk},
        get=COORDINATOR_ONLY,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To("/organisations/")),
            data=lambda w: {"name": "Renamed by the matrix", "country": "", "website": ""},
            rows=lambda w: [ExpertOrganisation.objects.filter(pk=w.organisation.pk)],
        ),
    ),
    # Pairings: everyone in the programme reads them; coordinators and the scheme's expert
    # manage them.
    "mentoring:pairings": Endpoint(get=SIGNED_IN_OK),
    "mentoring:pairing_create": Endpoint(get=ANY_PLANNER),
    "portal:pairing": Endpoint(kwargs=pairing_kw, get=signed_in(OK, other_coordinator=FORBIDDEN)),
    "mentoring:pairing_edit": Endpoint(kwargs=pairing_kw, get=PLANNERS),
    "mentoring:pairing_status": Endpoint(
        kwargs=pairing_kw,
        get=signed_in(FORBIDDEN, expert=To(pairing_url), coordinator=To(pairing_url)),
        post=Post(
            expected=signed_in(FORBIDDEN, expert=To(pairing_url), coordinator=To(pairing_url)),
            data=lambda w: {"status": "completed", "reason": ""},
            rows=lambda w: [Pairing.objects.filter(pk=w.pairing.pk)],
        ),
    ),
    # Events: the Rotterdam-Gdańsk mentoring visit of scheme A. Partners and other cities see
    # its row in the programme's list, not its details.
    "mentoring:events": Endpoint(get=SIGNED_IN_OK),
    # The names the event and pairing lists' city boxes suggest: from the cities of the
    # person's programmes, as the lists (tests/mentoring/test_name_search.py checks the scope).
    "mentoring:city_suggestions": Endpoint(get=SIGNED_IN_OK, query="?q=gda"),
    "mentoring:event_create": Endpoint(get=ANY_PLANNER),
    "mentoring:event": Endpoint(kwargs=event_kw, get=EVENT_READERS),
    "mentoring:event_update": Endpoint(kwargs=event_kw, get=EVENT_PLANNERS),
    "mentoring:event_status": Endpoint(
        kwargs=event_kw,
        get=EVENT_PLANNERS,
        post=Post(
            # The visit was held; cancelling it is not a step it can take (400), so managers
            # are refused by the form, not by the permission.
            expected=signed_in(FORBIDDEN, expert=400, coordinator=400, other_coordinator=NOT_FOUND),
            data=lambda w: {"status": "cancelled", "cancellation_reason": "Matrix test"},
            rows=lambda w: [Event.objects.filter(pk=w.event.pk)],
        ),
    ),
    "mentoring:event_attendance": Endpoint(kwargs=event_kw, get=EVENT_READERS),
    # The people the attendance form's box suggests: to those who may record attendance there
    # (an officer gets their own city's people: tests/mentoring/test_pickers.py).
    "mentoring:attendance_people": Endpoint(
        kwargs=event_kw,
        get=signed_in(
            FORBIDDEN, officer=OK, expert=OK, coordinator=OK, other_coordinator=NOT_FOUND
        ),
        query="?q=o",
    ),
    "mentoring:attendance_delete": Endpoint(
        kwargs=lambda w: {"pk": w.event.pk, "attendance_pk": w.attendance.pk},
        get=GET_REFUSED,
        post=Post(
            # Gdańsk's officer removes Gdańsk's people; supervisors do not record attendance.
            expected=signed_in(
                FORBIDDEN,
                officer=To(attendance_url),
                expert=To(attendance_url),
                coordinator=To(attendance_url),
                other_coordinator=NOT_FOUND,
            ),
            rows=lambda w: [Attendance.objects.filter(event=w.event)],
        ),
    ),
    # Writing the visit's report: the pairing's officers, the expert, coordinators.
    "mentoring:event_report": Endpoint(
        kwargs=event_kw,
        get=signed_in(
            FORBIDDEN, officer=OK, expert=OK, coordinator=OK, other_coordinator=NOT_FOUND
        ),
    ),
    "mentoring:calendar": Endpoint(get=SIGNED_IN_OK),
    "mentoring:calendar_regenerate": Endpoint(
        get=GET_REFUSED,
        post=Post(
            # The new links are shown on the page that makes them, once.
            expected=signed_in(OK),
            rows=lambda w: [CalendarToken.objects.all()],
        ),
    ),
    # Calendar feeds: the secret token in the address is the permission (calendar apps fetch
    # without a login).
    "mentoring:calendar_person_feed": Endpoint(
        kwargs=lambda w: {"token": w.calendar_token}, get=EVERYONE_OK
    ),
    "mentoring:calendar_programme_feed": Endpoint(
        kwargs=lambda w: {"token": w.calendar_token, "slug": w.programme.slug}, get=EVERYONE_OK
    ),
    "matching:matching": Endpoint(kwargs=programme_kw, get=COORDINATOR_ONLY),
    "matching:propose": Endpoint(
        kwargs=programme_kw,
        get=GET_REFUSED,
        post=Post(
            # The coordinator's proposal becomes a pairing, and they are sent to it.
            expected=signed_in(FORBIDDEN, coordinator=To("/pairings/")),
            data=lambda w: {
                "scheme": w.scheme.pk,
                "implementing": newcomer_city(w).pk,
                "mentor": w.gdansk.pk,
            },
            rows=lambda w: [Pairing.objects.filter(scheme=w.scheme)],
        ),
    ),
    # Cities: read by everyone signed in, edited by coordinators -----------------------------
    "portal:city_list": Endpoint(get=SIGNED_IN_OK),
    "portal:city_create": Endpoint(get=ANY_COORDINATOR),
    "portal:city_detail": Endpoint(kwargs=city_kw, get=signed_in(OK, other_coordinator=NOT_FOUND)),
    "portal:city_edit": Endpoint(kwargs=city_kw, get=COORDINATOR_ONLY),
    # The slug suggested while a new city or programme is named: whoever may create one.
    "portal:slug_suggestion": Endpoint(
        kwargs=lambda world: {"kind": "city"}, get=ANY_COORDINATOR, query="?name=%EC%84%9C%EC%9A%B8"
    ),
    # Open data: public, for a programme with an open licence ---------------------------------
    "portal:open_data_index": Endpoint(get=EVERYONE_OK),
    "portal:open_data": Endpoint(kwargs=programme_kw, get=EVERYONE_OK),
    "portal:open_data_zip": Endpoint(kwargs=programme_kw, get=EVERYONE_OK),
    "portal:open_data_json": Endpoint(kwargs=programme_kw, get=EVERYONE_OK),
    # Staff time. Officers record their own time (the grid and entries are always the signed-in
    # person's own); supervisors sign their city's months; rates and costs are seen by the
    # person, their city's supervisors and coordinators --------------------------------------
    "reporting:my_time": Endpoint(get=TIME_RECORDERS),
    "reporting:entry_create": Endpoint(get=TIME_RECORDERS),
    "reporting:grid": Endpoint(
        kwargs=lambda w: {"programme": w.programme.slug, "year": 2018, "month": 6},
        get=TIME_RECORDERS,
    ),
    # Another person's entry is not found, whatever their role.
    "reporting:entry_edit": Endpoint(kwargs=entry_kw, get=OWN_ENTRY),
    "reporting:entry_delete": Endpoint(
        kwargs=entry_kw,
        get=OWN_ENTRY,
        post=Post(
            expected={**OWN_ENTRY, "officer": To("/time/cities-grow/2018/6/")},
            rows=lambda w: [TimeEntry.objects.filter(pk=w.entry.pk)],
        ),
    ),
    # Hours in other grants: officers declare their own; another person's row is not found.
    "reporting:other_grants": Endpoint(get=TIME_RECORDERS),
    "reporting:other_grant_create": Endpoint(get=TIME_RECORDERS),
    "reporting:other_grant_edit": Endpoint(kwargs=other_grant_kw, get=OWN_ENTRY),
    "reporting:other_grant_delete": Endpoint(
        kwargs=other_grant_kw,
        get=OWN_ENTRY,
        post=Post(
            expected={**OWN_ENTRY, "officer": To("/time/other-grants/")},
            rows=lambda w: [OtherGrantHours.objects.filter(pk=w.other_grant.pk)],
        ),
    ),
    "reporting:month": Endpoint(
        kwargs=lambda w: {"pk": w.open_month.pk}, get=signed_in(NOT_FOUND, **MONTH_READERS)
    ),
    "reporting:month_submit": Endpoint(
        kwargs=lambda w: {"pk": w.open_month.pk},
        get=GET_REFUSED,
        post=Post(
            expected=month_post(officer=To(lambda w: month_url(w.open_month))),
            rows=lambda w: [TimesheetMonth.objects.filter(pk=w.open_month.pk)],
        ),
    ),
    "reporting:month_approve": Endpoint(
        kwargs=lambda w: {"pk": w.submitted_month.pk},
        get=GET_REFUSED,
        post=Post(
            expected=month_post(supervisor=To(lambda w: month_url(w.submitted_month))),
            rows=lambda w: [TimesheetMonth.objects.filter(pk=w.submitted_month.pk)],
        ),
    ),
    "reporting:month_return": Endpoint(
        kwargs=lambda w: {"pk": w.submitted_month.pk},
        get=GET_REFUSED,
        post=Post(
            expected=month_post(supervisor=To(lambda w: month_url(w.submitted_month))),
            data=lambda w: {"comment": "Say which visit the hours were for."},
            rows=lambda w: [TimesheetMonth.objects.filter(pk=w.submitted_month.pk)],
        ),
    ),
    "reporting:month_reopen": Endpoint(
        kwargs=lambda w: {"pk": w.approved_month.pk},
        get=GET_REFUSED,
        post=Post(
            expected=month_post(coordinator=To(lambda w: month_url(w.approved_month))),
            data=lambda w: {"reason": "A visit day was left out."},
            rows=lambda w: [TimesheetMonth.objects.filter(pk=w.approved_month.pk)],
        ),
    ),
    "reporting:approvals": Endpoint(get=signed_in(FORBIDDEN, supervisor=OK)),
    # The list shows each person only the rates they may see.
    "reporting:rates": Endpoint(get=SIGNED_IN_OK),
    "reporting:rate_create": Endpoint(get=signed_in(FORBIDDEN, supervisor=OK, coordinator=OK)),
    "reporting:rate_edit": Endpoint(
        kwargs=lambda w: {"pk": w.rate.pk},
        # The officer sees their own rate but does not change it.
        get=signed_in(NOT_FOUND, officer=FORBIDDEN, supervisor=OK, coordinator=OK),
    ),
    "reporting:programme_dashboard": Endpoint(
        kwargs=lambda w: {"programme": w.programme.slug}, get=COORDINATOR_ONLY
    ),
    # A programme's exchange rates: its coordinators keep them.
    "reporting:exchange_rates": Endpoint(
        kwargs=lambda w: {"programme": w.programme.slug}, get=COORDINATOR_ONLY
    ),
    "reporting:exchange_rate_edit": Endpoint(
        kwargs=lambda w: {"programme": w.programme.slug, "pk": w.exchange_rate.pk},
        get=COORDINATOR_ONLY,
    ),
    "reporting:city_dashboard": Endpoint(
        kwargs=lambda w: {"programme": w.programme.slug, "city": w.gdansk.pk},
        get=signed_in(NOT_FOUND, officer=OK, supervisor=OK, coordinator=OK),
    ),
    # Staff-cost reports: coordinators and the city's supervisors.
    # Imports from spreadsheets: the programme's coordinators import its cities (the other
    # programme's coordinator does not see it: 404); a run is its uploader's alone ------------
    "documents:import": Endpoint(
        kwargs=import_kw,
        get=IMPORTERS,
        post=Post(
            expected={**IMPORTERS, "coordinator": To("/imports/runs/")},
            files=lambda w: {"file": cities_csv()},
            rows=lambda w: [City.objects.all(), ImportRun.objects.all()],
        ),
    ),
    "documents:import_template": Endpoint(
        kwargs=lambda w: {**import_kw(w), "fmt": "xlsx"}, get=IMPORTERS
    ),
    "documents:import_current": Endpoint(
        kwargs=lambda w: {**import_kw(w), "fmt": "csv"}, get=IMPORTERS
    ),
    "documents:import_run": Endpoint(kwargs=lambda w: {"pk": w.import_run.pk}, get=IMPORT_OWNER),
    "documents:import_run_status": Endpoint(
        kwargs=lambda w: {"pk": w.import_run.pk}, get=IMPORT_OWNER
    ),
    "documents:import_run_confirm": Endpoint(
        kwargs=lambda w: {"pk": w.import_run.pk},
        get=GET_REFUSED,
        post=Post(
            expected={**IMPORT_OWNER, "coordinator": To(import_run_url)},
            rows=lambda w: [City.objects.all(), ImportRun.objects.all()],
        ),
    ),
    "documents:import_run_retry": Endpoint(
        kwargs=lambda w: {"pk": w.failed_import.pk},
        get=GET_REFUSED,
        post=Post(
            expected={
                **IMPORT_OWNER,
                "coordinator": To(
                    lambda w: reverse("documents:import_run", args=[w.failed_import.pk])
                ),
            },
            rows=lambda w: [City.objects.all(), ImportRun.objects.all()],
        ),
    ),
    # Gdańsk's paper timesheets: imported by its officers and supervisors; nobody else finds
    # the city to import into (404), the programme's coordinators included.
    "documents:import timesheets": Endpoint(
        kwargs=timesheet_import_kw,
        get=TIMESHEET_IMPORTERS,
        post=Post(
            expected={
                **TIMESHEET_IMPORTERS,
                "officer": To("/imports/runs/"),
                "supervisor": To("/imports/runs/"),
            },
            files=lambda w: {"file": timesheets_csv()},
            rows=lambda w: [
                TimesheetMonth.objects.all(),
                TimeEntry.objects.all(),
                ImportRun.objects.all(),
            ],
        ),
    ),
    "documents:import_template timesheets": Endpoint(
        kwargs=lambda w: {**timesheet_import_kw(w), "fmt": "xlsx"}, get=TIMESHEET_IMPORTERS
    ),
    "documents:import_current timesheets": Endpoint(
        kwargs=lambda w: {**timesheet_import_kw(w), "fmt": "csv"}, get=TIMESHEET_IMPORTERS
    ),
    "reporting:reports": Endpoint(get={**REPORT_PEOPLE_LIST, "other_coordinator": OK}),
    # The read API's staff time: cities' officers and supervisors (their city) and coordinators
    # (their programmes'); reports as the reports list and a report's page (reporting/api.py).
    "api:staff-time-list": Endpoint(
        get=roles(OK, anonymous=UNAUTHORISED, partner=FORBIDDEN, expert=FORBIDDEN)
    ),
    "api:staff-cost-report-list": Endpoint(
        get={**REPORT_PEOPLE_LIST, "anonymous": UNAUTHORISED, "other_coordinator": OK}
    ),
    "api:staff-cost-report-detail": Endpoint(
        kwargs=report_kw, get={**REPORT_READERS, "anonymous": UNAUTHORISED}
    ),
    "reporting:report": Endpoint(kwargs=report_kw, get=REPORT_READERS),
    "reporting:report_status": Endpoint(kwargs=report_kw, get=REPORT_READERS),
    "reporting:report_download": Endpoint(
        kwargs=lambda w: {"pk": w.report.pk, "fmt": "csv"}, get=REPORT_READERS
    ),
    "reporting:report_retry": Endpoint(
        kwargs=lambda w: {"pk": w.failed_report.pk},
        get=GET_REFUSED,
        post=Post(
            expected={
                **REPORT_READERS,
                "supervisor": To(failed_report_url),
                "coordinator": To(failed_report_url),
            },
            rows=lambda w: [StaffCostReport.objects.filter(pk=w.failed_report.pk)],
        ),
    ),
    # Toolkits and good practices. Published ones are public; Gdańsk's draft practice (scheme
    # A) is seen by Gdańsk's officers, the scheme's expert and coordinators, and hidden (404)
    # from everyone else; toolkits are edited by the scheme's expert and coordinators -------
    "toolkits:catalogue": Endpoint(get=EVERYONE_OK),
    # The read API's practices and toolkits are public as the catalogue is (toolkits/api.py).
    "api:practice-list": Endpoint(get=EVERYONE_OK),
    "api:practice-detail": Endpoint(
        kwargs=lambda w: {"pk": w.published_practice.pk}, get=EVERYONE_OK
    ),
    "api:toolkit-list": Endpoint(get=EVERYONE_OK),
    "api:toolkit-detail": Endpoint(kwargs=lambda w: {"pk": w.toolkit.pk}, get=EVERYONE_OK),
    "toolkits:city_suggestions": Endpoint(get=EVERYONE_OK, query="?q=gh"),
    "toolkits:practice": Endpoint(kwargs=published_kw, get=EVERYONE_OK),
    "toolkits:toolkits": Endpoint(get=EVERYONE_OK),
    "toolkits:toolkit": Endpoint(kwargs=toolkit_kw, get=EVERYONE_OK),
    "toolkits:my_practices": Endpoint(get=PRACTICE_WRITERS),
    "toolkits:practice_create": Endpoint(get=PRACTICE_WRITERS),
    "toolkits:review_queue": Endpoint(get=ANY_PLANNER),
    "toolkits:practice_edit": Endpoint(kwargs=draft_kw, get=DRAFT_EDITORS),
    "toolkits:practice_images": Endpoint(kwargs=draft_kw, get=DRAFT_EDITORS),
    "toolkits:practice_image": Endpoint(
        kwargs=image_kw, get={**DRAFT_EDITORS, "anonymous": NOT_FOUND}
    ),
    "toolkits:practice_image_delete": Endpoint(
        kwargs=image_kw,
        get=GET_REFUSED,
        post=Post(
            expected={
                **DRAFT_READERS,
                **dict.fromkeys(
                    ("officer", "expert", "coordinator"),
                    To(lambda w: reverse("toolkits:practice_images", kwargs=draft_kw(w))),
                ),
            },
            rows=lambda w: [PracticeImage.objects.filter(practice=w.draft_practice)],
        ),
    ),
    "toolkits:practice_submit": Endpoint(
        kwargs=draft_kw,
        get=GET_REFUSED,
        post=Post(
            # Only its authors send a draft for review.
            expected={
                **DRAFT_READERS,
                "officer": To("/workspace/practices/"),
                "expert": FORBIDDEN,
                "coordinator": FORBIDDEN,
            },
            rows=lambda w: [GoodPractice.objects.filter(pk=w.draft_practice.pk)],
        ),
    ),
    "toolkits:practice_review": Endpoint(
        kwargs=draft_kw, get={**DRAFT_EDITORS, "officer": FORBIDDEN}
    ),
    "toolkits:practice_withdraw": Endpoint(
        kwargs=published_kw,
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(
                FORBIDDEN,
                expert=To(lambda w: reverse("toolkits:practice_review", kwargs=published_kw(w))),
                coordinator=To(
                    lambda w: reverse("toolkits:practice_review", kwargs=published_kw(w))
                ),
            ),
            data=lambda w: {"comment": "The figures need a source."},
            rows=lambda w: [GoodPractice.objects.filter(pk=w.published_practice.pk)],
        ),
    ),
    "toolkits:toolkit_workspace": Endpoint(get=ANY_PLANNER),
    "toolkits:toolkit_create": Endpoint(get=ANY_PLANNER),
    "toolkits:toolkit_edit": Endpoint(kwargs=toolkit_kw, get=TOOLKIT_EDITORS),
    "toolkits:toolkit_practices": Endpoint(kwargs=toolkit_kw, get=TOOLKIT_EDITORS),
    "toolkits:toolkit_factors": Endpoint(kwargs=toolkit_kw, get=TOOLKIT_EDITORS),
    "toolkits:edition_publish": Endpoint(kwargs=toolkit_kw, get=TOOLKIT_EDITORS),
    # PDFs of published editions and practices are public: the address leads to the rendering.
    "toolkits:edition_pdf": Endpoint(
        kwargs=lambda w: {"slug": w.toolkit.slug, "number": w.edition.number, "language": "en"},
        get=roles(To(lambda w: reverse("toolkits:rendering", kwargs={"pk": w.rendering.pk}))),
    ),
    "toolkits:practice_pdf": Endpoint(
        kwargs=lambda w: {"slug": w.published_practice.slug, "language": "en"},
        get=roles(To("/renderings/")),
    ),
    "toolkits:toolkit_renderings": Endpoint(
        kwargs=toolkit_kw, get=signed_in(NOT_FOUND, coordinator=OK)
    ),
    "toolkits:rendering": Endpoint(kwargs=rendering_kw, get=EVERYONE_OK),
    "toolkits:rendering_status": Endpoint(kwargs=rendering_kw, get=EVERYONE_OK),
    # Anyone who may download a failed rendering may ask for it again, signed in or not.
    "toolkits:rendering_retry": Endpoint(
        kwargs=rendering_kw,
        get=roles(NOT_ALLOWED),
        post=Post(
            expected=roles(To(rendering_url)),
            rows=lambda w: [Rendering.objects.filter(pk=w.rendering.pk)],
        ),
    ),
    "toolkits:rendering_redo": Endpoint(
        kwargs=rendering_kw,
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To(rendering_url)),
            rows=lambda w: [Rendering.objects.filter(pk=w.rendering.pk)],
        ),
    ),
    # Action plans: Gdańsk's plan (in implementation) is seen by the pairing's two cities, the
    # scheme's expert and coordinators; everyone else gets 404, as if it did not exist ----------
    "actionplans:plans": Endpoint(get=SIGNED_IN_OK),
    # The read API's plans: the list is each person's; a plan only for those who see it.
    "api:action-plan-list": Endpoint(get=roles(OK, anonymous=UNAUTHORISED)),
    "api:action-plan-detail": Endpoint(
        kwargs=plan_kw, get={**PLAN_READERS, "anonymous": UNAUTHORISED}
    ),
    "actionplans:plan": Endpoint(kwargs=plan_kw, get=PLAN_READERS),
    # Gdańsk has its plan already: those who see it are sent to it.
    "actionplans:plan_create": Endpoint(
        kwargs=lambda w: {"pairing": w.pairing.pk},
        get=signed_in(
            To(plan_url), partner=NOT_FOUND, other_officer=NOT_FOUND, other_coordinator=NOT_FOUND
        ),
    ),
    # Editing: Nicosia's plan, sent back for changes, is edited by Nicosia's officers only.
    "actionplans:section_edit": Endpoint(
        kwargs=lambda w: {"pk": w.open_plan.pk, "section": "context"},
        get=OPEN_PLAN_AUTHORS,
        city="nicosia",
    ),
    "actionplans:row_add": Endpoint(
        kwargs=lambda w: {"pk": w.open_plan.pk, "section": "actions"},
        get=OPEN_PLAN_AUTHORS,
        city="nicosia",
    ),
    "actionplans:rows_reorder": Endpoint(
        kwargs=lambda w: {"pk": w.open_plan.pk, "section": "actions"},
        get=OPEN_PLAN_AUTHORS,
        city="nicosia",
    ),
    "actionplans:row_edit": Endpoint(
        kwargs=open_row_kw,
        get=OPEN_PLAN_AUTHORS,
        city="nicosia",
    ),
    "actionplans:row_delete": Endpoint(
        kwargs=open_row_kw,
        get=OPEN_PLAN_AUTHORS,
        city="nicosia",
        post=Post(
            expected={**OPEN_PLAN_AUTHORS, "officer": To(open_plan_url)},
            rows=lambda w: [Action.objects.filter(plan=w.open_plan)],
        ),
    ),
    # Tracking Gdańsk's plan in implementation: its officers and supervisor.
    "actionplans:action_status": Endpoint(
        kwargs=lambda w: {"pk": w.plan.pk, "row": w.action.pk},
        get=GET_REFUSED,
        post=Post(
            expected=TRACKERS,
            data=lambda w: {"status": "cancelled"},
            rows=lambda w: [Action.objects.filter(pk=w.action.pk)],
        ),
    ),
    "actionplans:measurement_add": Endpoint(
        kwargs=lambda w: {"pk": w.plan.pk, "row": w.indicator.pk},
        get=GET_REFUSED,
        post=Post(
            expected=TRACKERS,
            data=lambda w: {"measured_on": "2018-05-02", "value": "3", "note": ""},
            rows=lambda w: [Measurement.objects.filter(indicator=w.indicator)],
        ),
    ),
    # Completing the plan: its city's supervisor or a coordinator.
    "actionplans:transition": Endpoint(
        kwargs=lambda w: {"pk": w.plan.pk, "name": "complete"},
        get={**PLAN_READERS, "officer": FORBIDDEN, "expert": FORBIDDEN},
        post=Post(
            expected={
                **PLAN_READERS,
                "officer": FORBIDDEN,
                "expert": FORBIDDEN,
                "supervisor": To(plan_url),
                "coordinator": To(plan_url),
            },
            rows=lambda w: [ActionPlan.objects.filter(pk=w.plan.pk)],
        ),
    ),
    "actionplans:versions": Endpoint(kwargs=plan_kw, get=PLAN_READERS),
    "actionplans:version": Endpoint(kwargs=version_kw, get=PLAN_READERS),
    # Comments: authors, reviewers and coordinators; the supervisor reads but does not comment.
    "actionplans:comment_add": Endpoint(
        kwargs=version_kw,
        get=GET_REFUSED,
        post=Post(
            expected={
                **PLAN_READERS,
                "officer": To(version_url),
                "supervisor": FORBIDDEN,
                "expert": To(version_url),
                "coordinator": To(version_url),
            },
            data=lambda w: {"section": "general", "body": "A matrix test comment."},
            rows=lambda w: [PlanComment.objects.filter(version=w.version)],
        ),
    ),
    "actionplans:compare": Endpoint(kwargs=plan_kw, get=PLAN_READERS),
    # The version's PDF exists already (it failed): those who see the plan are sent to it.
    "actionplans:version_pdf": Endpoint(
        kwargs=lambda w: {"pk": w.plan.pk, "number": w.version.number, "language": "en"},
        get={**PLAN_READERS, **dict.fromkeys(PLAN_PEOPLE, To(pdf_url))},
    ),
    "actionplans:pdf": Endpoint(kwargs=pdf_kw, get=PLAN_READERS),
    "actionplans:pdf_status": Endpoint(kwargs=pdf_kw, get=PLAN_READERS),
    "actionplans:pdf_retry": Endpoint(
        kwargs=pdf_kw,
        get=GET_REFUSED,
        post=Post(
            expected={**PLAN_READERS, **dict.fromkeys(PLAN_PEOPLE, To(pdf_url))},
            rows=lambda w: [PlanPdf.objects.filter(pk=w.pdf.pk)],
        ),
    ),
    # Claims (issue 16): the city's claim pages ------------------------------------------------
    # Everyone signed in has a list (of what they may see). A claim is the city's officers' and
    # supervisors' and the programme's coordinators'; to anyone else it does not exist (404).
    # Its coordinators follow it but do not change it (403 with the reason); only supervisors
    # sign it, only coordinators reopen it.
    "claims:list": Endpoint(get=signed_in(OK)),
    "claims:open": Endpoint(
        kwargs=lambda w: {"period": w.claim_period.pk, "city": w.gdansk.pk},
        get=signed_in(NOT_ALLOWED),
        post=Post(
            expected=signed_in(
                NOT_FOUND,
                officer=To(claim_url),
                supervisor=To(claim_url),
                coordinator=FORBIDDEN,
            ),
            rows=lambda w: [Claim.objects.filter(city=w.gdansk)],
        ),
    ),
    "claims:claim": Endpoint(kwargs=claim_kw, get=CLAIM_READERS),
    "claims:export": Endpoint(kwargs=lambda w: {"pk": w.claim.pk, "fmt": "csv"}, get=CLAIM_READERS),
    "claims:export xlsx": Endpoint(
        kwargs=lambda w: {"pk": w.claim.pk, "fmt": "xlsx"}, get=CLAIM_READERS
    ),
    "claims:line_create": Endpoint(
        kwargs=claim_kw,
        get=CLAIM_EDITORS,
        post=Post(
            expected=CLAIM_SAVED,
            data=lambda w: claim_line_data(),
            files=lambda w: {"receipt": receipt_upload()},
            rows=lambda w: [ClaimLine.objects.filter(claim=w.claim)],
        ),
    ),
    "claims:line_edit": Endpoint(
        kwargs=claim_line_kw,
        get=CLAIM_EDITORS,
        post=Post(
            expected=CLAIM_SAVED,
            data=lambda w: claim_line_data(supplier="Matrix Rail and Bus"),
            rows=lambda w: [ClaimLine.objects.filter(pk=w.claim_line.pk)],
        ),
    ),
    "claims:line_delete": Endpoint(
        kwargs=claim_line_kw,
        get=CLAIM_EDITORS,
        post=Post(
            expected=CLAIM_SAVED,
            rows=lambda w: [ClaimLine.objects.filter(pk=w.claim_line.pk)],
        ),
    ),
    "claims:receipt": Endpoint(kwargs=claim_line_kw, get=CLAIM_READERS),
    "claims:submit": Endpoint(
        kwargs=claim_kw,
        get={**CLAIM_READERS, "officer": FORBIDDEN, "coordinator": FORBIDDEN},
        post=Post(
            expected={
                **CLAIM_READERS,
                "officer": FORBIDDEN,
                "supervisor": To(claim_url),
                "coordinator": FORBIDDEN,
            },
            rows=lambda w: [Claim.objects.filter(pk=w.claim.pk)],
        ),
    ),
    # Reopening the submitted claim: its coordinators, with a reason.
    "claims:reopen": Endpoint(
        kwargs=lambda w: {"pk": w.submitted_claim.pk},
        get={**CLAIM_READERS, "officer": FORBIDDEN, "supervisor": FORBIDDEN},
        post=Post(
            expected={
                **CLAIM_READERS,
                "officer": FORBIDDEN,
                "supervisor": FORBIDDEN,
                "coordinator": To(lambda w: w.submitted_claim.get_absolute_url()),
            },
            data=lambda w: {"reason": "Matrix test: the ticket is for another month."},
            rows=lambda w: [Claim.objects.filter(pk=w.submitted_claim.pk)],
        ),
    ),
    # Claims: verification by controllers -------------------------------------------------------
    # Gdańsk's claim in verification: the assigned controller (no matrix role; see
    # tests/claims/test_verification_views.py) verifies it; those who see the claim (Gdańsk's
    # officer and supervisor, the coordinator) are refused with the reason (403); to everyone
    # else it does not exist (404). The controllers' list is for controllers only.
    "claims:control": Endpoint(get=signed_in(FORBIDDEN)),
    "claims:verify": Endpoint(
        kwargs=lambda w: {"pk": w.verified_claim.pk},
        get=signed_in(NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN),
    ),
    "claims:verification_start": Endpoint(
        kwargs=lambda w: {"pk": w.verified_claim.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(
                NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN
            ),
            rows=lambda w: [w.verified_claim_rows],
        ),
    ),
    "claims:sample": Endpoint(
        kwargs=lambda w: {"pk": w.verified_claim.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(
                NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN
            ),
            data=lambda w: {"method": "all", "percent": "100"},
            rows=lambda w: [w.verified_claim_rows, w.verified_claim.lines.all()],
        ),
    ),
    "claims:checklist": Endpoint(
        kwargs=lambda w: {"pk": w.verified_claim.pk},
        get=signed_in(NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN),
        post=Post(
            expected=signed_in(
                NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN
            ),
            rows=lambda w: [w.verification.answers.all()],
        ),
    ),
    "claims:auto_checks": Endpoint(
        kwargs=lambda w: {"pk": w.verified_claim.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(
                NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN
            ),
            rows=lambda w: [w.verification.answers.all()],
        ),
    ),
    "claims:certify": Endpoint(
        kwargs=lambda w: {"pk": w.verified_claim.pk},
        get=signed_in(NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN),
        post=Post(
            expected=signed_in(
                NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN
            ),
            data=lambda w: {"conclusion": "Matrix"},
            rows=lambda w: [w.verified_claim_rows],
        ),
    ),
    # No certificate before the claim is certified: not found, for everyone.
    "claims:certificate": Endpoint(
        kwargs=lambda w: {"pk": w.verified_claim.pk}, get=signed_in(NOT_FOUND)
    ),
    "claims:line_verify": Endpoint(
        kwargs=lambda w: {"pk": w.verified_line.pk},
        get=signed_in(NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN),
        post=Post(
            expected=signed_in(
                NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN
            ),
            data=lambda w: {"deducted": "0"},
            rows=lambda w: [w.verified_claim.lines.all()],
        ),
    ),
    "claims:line_park": Endpoint(
        kwargs=lambda w: {"pk": w.verified_line.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(
                NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN
            ),
            data=lambda w: {"park-comment": "Matrix"},
            rows=lambda w: [w.verified_claim.lines.all()],
        ),
    ),
    "claims:line_unpark": Endpoint(
        kwargs=lambda w: {"pk": w.verified_line.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(
                NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=FORBIDDEN
            ),
            rows=lambda w: [w.verified_claim.lines.all()],
        ),
    ),
    # Claims: set-up, audits and budget burn ----------------------------------------------------
    # The programme's coordinators only; another programme's coordinator is refused (403) with
    # the reason, as is everyone else signed in.
    **{
        f"claims:{name}": Endpoint(kwargs=claims_programme_kw, get=COORDINATOR_ONLY)
        for name in (
            "setup",
            "rules",
            "periods",
            "period_create",
            "periods_generate",
            "cost_options",
            "cost_option_create",
            "budgets",
            "checklist_questions",
            "checklist_question_create",
            "assignments",
            "assignment_create",
            "overview",
        )
    },
    "claims:period_edit": Endpoint(
        kwargs=lambda w: claims_programme_kw(w) | {"pk": w.claim_periods[1].pk},
        get=COORDINATOR_ONLY,
    ),
    "claims:cost_option_edit": Endpoint(
        kwargs=lambda w: claims_programme_kw(w) | {"pk": w.cost_option.pk},
        get=COORDINATOR_ONLY,
    ),
    "claims:checklist_question_edit": Endpoint(
        kwargs=lambda w: claims_programme_kw(w) | {"pk": w.question.pk},
        get=COORDINATOR_ONLY,
    ),
    "claims:assignment_edit": Endpoint(
        kwargs=lambda w: claims_programme_kw(w) | {"pk": w.assignment.pk},
        get=COORDINATOR_ONLY,
    ),
    "claims:cost_option_remove": Endpoint(
        kwargs=lambda w: claims_programme_kw(w) | {"pk": w.cost_option.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To(claims_setup_url("cost_options"))),
            rows=lambda w: [CostOption.objects.filter(programme=w.programme)],
        ),
    ),
    "claims:checklist_question_delete": Endpoint(
        kwargs=lambda w: claims_programme_kw(w) | {"pk": w.question.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To(claims_setup_url("checklist_questions"))),
            rows=lambda w: [ChecklistQuestion.objects.filter(programme=w.programme)],
        ),
    ),
    "claims:checklist_auto_checks": Endpoint(
        kwargs=claims_programme_kw,
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To(claims_setup_url("checklist_questions"))),
            rows=lambda w: [ChecklistQuestion.objects.filter(programme=w.programme)],
        ),
    ),
    "claims:assignment_end": Endpoint(
        kwargs=lambda w: claims_programme_kw(w) | {"pk": w.assignment.pk},
        get=GET_REFUSED,
        post=Post(
            expected=signed_in(FORBIDDEN, coordinator=To(claims_setup_url("assignments"))),
            rows=lambda w: [ControlAssignment.objects.filter(programme=w.programme)],
        ),
    ),
    # Audits of Gdańsk's certified claim: its coordinators; the city's people see the claim
    # but are refused (403); nobody else sees it (404).
    "claims:audit_create": Endpoint(
        kwargs=lambda w: {"pk": w.certified_claim.pk},
        get=signed_in(NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=OK),
    ),
    "claims:correction_create": Endpoint(
        kwargs=lambda w: {"pk": w.audit.pk},
        get=signed_in(NOT_FOUND, officer=FORBIDDEN, supervisor=FORBIDDEN, coordinator=OK),
    ),
    # Budget burn: every city for coordinators; a city's people are sent to their city's.
    "claims:budget": Endpoint(
        kwargs=claims_programme_kw,
        get=signed_in(
            FORBIDDEN,
            coordinator=OK,
            officer=To(budget_city_url("gdansk")),
            supervisor=To(budget_city_url("gdansk")),
            other_officer=To(budget_city_url("riga")),
        ),
    ),
    "claims:budget_city": Endpoint(
        kwargs=lambda w: claims_programme_kw(w) | {"city": w.gdansk.slug},
        get=signed_in(FORBIDDEN, officer=OK, supervisor=OK, coordinator=OK),
    ),
    # Claims: evidence packs --------------------------------------------------------------------
    # Gdańsk's submitted claim: its pack is for coordinators of the programme and the city's
    # supervisors (and the assigned controller, not a role here); the city's officer prepares
    # the claim but has no pack; to everyone else neither exists. A second request for the
    # same state gives the pack already built.
    "claims:pack_request": Endpoint(
        kwargs=lambda w: {"pk": w.pack_claim.pk},
        get=GET_REFUSED,
        post=Post(
            expected={**PACK_PEOPLE, "supervisor": To(pack_url), "coordinator": To(pack_url)},
            rows=lambda w: [EvidencePack.objects.filter(claim=w.pack_claim)],
        ),
    ),
    "claims:pack": Endpoint(kwargs=pack_kw, get=PACK_PEOPLE),
    "claims:pack_status": Endpoint(kwargs=pack_kw, get=PACK_PEOPLE),
    "claims:pack_download": Endpoint(kwargs=pack_kw, get=PACK_PEOPLE),
    "claims:pack_retry": Endpoint(
        kwargs=lambda w: {"pk": w.failed_pack.pk},
        get=GET_REFUSED,
        post=Post(
            expected={
                **PACK_PEOPLE,
                "supervisor": To(failed_pack_url),
                "coordinator": To(failed_pack_url),
            },
            rows=lambda w: [EvidencePack.objects.filter(pk=w.failed_pack.pk)],
        ),
    ),
}


# A controller holds the controller role of CITIES-GROW and nothing else (issue 16). The pages
# another city's officer reaches as a participant of the programme, or as an officer, refuse
# them: 404 where the object is not theirs to know of, 403 where the page belongs to a role
# they do not hold. Whether the assignment runs or has ended makes no difference here.
CONTROLLER_REFUSED: dict[str, tuple[int, int | None]] = {
    "api:city-detail": (NOT_FOUND, None),
    "api:event-detail": (NOT_FOUND, None),
    "api:pairing-detail": (NOT_FOUND, None),
    "api:programme-detail": (NOT_FOUND, None),
    "api:scheme-detail": (NOT_FOUND, None),
    "api:staff-time-list": (FORBIDDEN, None),
    "documents:import": (NOT_FOUND, NOT_FOUND),
    "documents:import_current": (NOT_FOUND, None),
    "documents:import_template": (NOT_FOUND, None),
    "mentoring:attendance_people": (NOT_FOUND, None),
    "mentoring:attendance_delete": (NOT_ALLOWED, NOT_FOUND),
    "mentoring:event": (NOT_FOUND, None),
    "mentoring:event_attendance": (NOT_FOUND, None),
    "mentoring:event_report": (NOT_FOUND, None),
    "mentoring:event_status": (NOT_FOUND, NOT_FOUND),
    "mentoring:event_update": (NOT_FOUND, None),
    "mentoring:programme_city_suggestions": (NOT_FOUND, None),
    "portal:city_detail": (NOT_FOUND, None),
    "portal:pairing": (FORBIDDEN, None),
    "portal:programme": (FORBIDDEN, None),
    "reporting:entry_create": (FORBIDDEN, None),
    "reporting:grid": (FORBIDDEN, None),
    "reporting:my_time": (FORBIDDEN, None),
    "reporting:other_grants": (FORBIDDEN, None),
    "reporting:other_grant_create": (FORBIDDEN, None),
    "toolkits:my_practices": (FORBIDDEN, None),
    "toolkits:practice_create": (FORBIDDEN, None),
}


def _controllers_get(name: str, get, former_get, post=None, former_post=None) -> None:
    """Set what the two controllers get from an entry (GET, and POST where it takes one)."""
    endpoint = EXPECTATIONS[name]
    endpoint.get = {**endpoint.get, "controller": get, "former_controller": former_get}
    if post is not None and endpoint.post is not None:
        expected = {**endpoint.post.expected, "controller": post, "former_controller": former_post}
        endpoint.post = Post(expected, endpoint.post.data, endpoint.post.rows, endpoint.post.files)


for _name, (_get, _post) in CONTROLLER_REFUSED.items():
    _controllers_get(_name, _get, _get, _post, _post)


# The demo's controller is assigned to Gdańsk's claims of the first two periods: they verify the
# one in verification (the second), see the certified one, and are refused, with the reason,
# what is not a controller's to do (403). The former controller's assignment to the first ended:
# for them those claims do not exist (404), and they have only their (empty) list.
def _verify_page(world):
    return reverse("claims:verify", kwargs={"pk": world.verified_claim.pk})


def _checklist_page(world):
    return reverse("claims:checklist", kwargs={"pk": world.verified_claim.pk})


# name: (controller's GET, former controller's GET, controller's POST, former's POST)
CONTROLLER_CLAIMS: dict[str, tuple] = {
    "claims:control": (OK, OK, None, None),
    "claims:budget": (FORBIDDEN, FORBIDDEN, None, None),
    "claims:audit_create": (FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND),
    "claims:correction_create": (FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND),
    "claims:reopen": (FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND),
    "claims:verify": (OK, NOT_FOUND, None, None),
    "claims:verification_start": (NOT_ALLOWED, NOT_ALLOWED, BAD_REQUEST, NOT_FOUND),
    "claims:sample": (NOT_ALLOWED, NOT_ALLOWED, To(_verify_page), NOT_FOUND),
    "claims:checklist": (OK, NOT_FOUND, To(_checklist_page), NOT_FOUND),
    "claims:auto_checks": (NOT_ALLOWED, NOT_ALLOWED, To(_checklist_page), NOT_FOUND),
    "claims:certify": (OK, NOT_FOUND, BAD_REQUEST, NOT_FOUND),
    "claims:line_verify": (OK, NOT_FOUND, To(_verify_page), NOT_FOUND),
    "claims:line_park": (NOT_ALLOWED, NOT_ALLOWED, To(_verify_page), NOT_FOUND),
    "claims:line_unpark": (NOT_ALLOWED, NOT_ALLOWED, BAD_REQUEST, NOT_FOUND),
}
for _name, _outcomes in CONTROLLER_CLAIMS.items():
    _controllers_get(_name, *_outcomes)


# The tests ---------------------------------------------------------------------------------------

# URL patterns that appear only with DEBUG on (the media files served by runserver) are not part
# of the deployed site; the test settings leave DEBUG off, so they do not show up here.
ADMIN_NAMESPACE = "admin:"


def _client(world, role: str, city: str, name: str = "") -> Client:
    """The role's person signed in; for the API ("api:..."), a client with a token of theirs
    instead, as a partner system asks."""
    email = person(role, city)
    if name.startswith("api:"):
        if email is None:
            return Client()
        secret = token_create(
            owner=world.people[email], name="Matrix", expires_at=timezone.now() + timedelta(days=1)
        ).secret
        return Client(headers={"Authorization": f"Bearer {secret}"})
    client = Client()
    if email is not None:
        client.force_login(world.people[email])
    return client


def _outcome(response):
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        return ("redirect", location)
    return response.status_code


def _matches(expected, got, world) -> bool:
    if isinstance(expected, To):
        return isinstance(got, tuple) and got[1].startswith(expected.path(world))
    return expected == got


def _shown(outcome) -> str:
    return f"302 to {outcome[1]}" if isinstance(outcome, tuple) else str(outcome)


def url_name(key: str) -> str:
    """The URL pattern an entry is for: "documents:import timesheets" is one more entry for
    "documents:import", where one pattern serves several kinds with their own rules."""
    return key.partition(" ")[0]


def test_every_url_pattern_has_an_expectation():
    names = [name for name, _route in url_patterns()]
    covered = {url_name(key) for key in EXPECTATIONS}
    missing = sorted(
        name for name in names if not name.startswith(ADMIN_NAMESPACE) and name not in covered
    )
    gone = sorted(covered - set(names))
    assert not missing, f"URL patterns without an entry in EXPECTATIONS: {missing}"
    assert not gone, f"EXPECTATIONS names URL patterns that no longer exist: {gone}"


# Caching (issue 14): every response to a signed-in person, and every response to an address
# holding a secret, says "Cache-Control: private, no-store" (config.middleware); only the views
# that serve the same published file to everyone may say "public".
BEARER_URLS = {
    "accounts:invitation_accept",
    "notifications:one_click",
    "mentoring:calendar_person_feed",
    "mentoring:calendar_programme_feed",
}
MAY_BE_PUBLIC = {
    "toolkits:edition_pdf",
    "toolkits:practice_pdf",
    "toolkits:practice_image",
    "portal:open_data_zip",
    "portal:open_data_json",
}


def _cache_fault(name: str, role: str, response) -> str | None:
    if role == "anonymous" and name not in BEARER_URLS:
        return None
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    if name in MAY_BE_PUBLIC and "public" in directives:
        return None
    if {"private", "no-store"} <= directives:
        return None
    return f"{role}: Cache-Control {response.get('Cache-Control')!r}, not private, no-store"


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_get(name, world, db):
    endpoint = EXPECTATIONS[name]
    assert set(endpoint.get) == set(ROLES), f"{name}: give an outcome for every role"
    wrong = []
    for role in ROLES:
        savepoint = transaction.savepoint()
        url = reverse(url_name(name), kwargs=endpoint.kwargs(world)) + endpoint.query
        response = _client(world, role, endpoint.city, name).get(url)
        got = _outcome(response)
        transaction.savepoint_rollback(savepoint)
        expected = endpoint.get[role]
        if not _matches(expected, got, world):
            wrong.append(f"{role}: expected {expected}, got {_shown(got)}")
        if fault := _cache_fault(name, role, response):
            wrong.append(fault)
    assert not wrong, f"GET {name} ({url}):\n  " + "\n  ".join(wrong)


REFUSED = (LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED)


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTATIONS.items() if e.post))
def test_post(name, world, db):
    endpoint = EXPECTATIONS[name]
    post = endpoint.post
    assert set(post.expected) == set(ROLES), f"{name}: give a POST outcome for every role"
    wrong = []
    for role in ROLES:
        savepoint = transaction.savepoint()
        kwargs = endpoint.kwargs(world)
        url = reverse(url_name(name), kwargs=kwargs)
        before = rows_of(*post.rows(world))
        data = post.data(world)
        if post.files:
            data = {**data, **post.files(world)}
        got = _outcome(_client(world, role, endpoint.city, name).post(url, data))
        changed = rows_of(*post.rows(world)) != before
        transaction.savepoint_rollback(savepoint)
        expected = post.expected[role]
        if not _matches(expected, got, world):
            wrong.append(f"{role}: expected {expected}, got {_shown(got)}")
        elif expected in REFUSED and changed:
            wrong.append(f"{role}: refused ({got}) but the rows changed")
    assert not wrong, f"POST {name} ({url}):\n  " + "\n  ".join(wrong)


# The admin, by a rule ----------------------------------------------------------------------------

# Only staff use the admin; no demo role is staff. Every admin pattern (named or not) is checked:
# anonymous and every role are sent to the admin's sign-in page, except on the pages that are
# that sign-in page or lead out of the admin.
ADMIN_EXCEPTIONS = {
    "admin:login": roles(OK),
    # Signing out of the admin, for someone who is not staff, leads back to its index.
    "admin:logout": roles("/admin/"),
}


def admin_path(name: str, route: str) -> str:
    """An address of the pattern, with 1 for every argument."""
    if "(?P<app_label>" in route:
        return reverse("admin:app_list", kwargs={"app_label": "accounts"})
    if "(?P<url>" in route:
        return "/admin/no-such-page/"
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


def admin_patterns() -> list[tuple[str, str]]:
    return [(name, route) for name, route in url_patterns() if name.startswith(ADMIN_NAMESPACE)]


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_staff_only(role, world, db):
    patterns = admin_patterns()
    assert len(patterns) > 100, "the admin's URL patterns were not found"
    client = _client(world, role, "gdansk")
    login = reverse("admin:login")
    wrong = []
    for name, route in patterns:
        path = admin_path(name, route)
        response = client.get(path)
        expected = ADMIN_EXCEPTIONS.get(name, {}).get(role)
        if expected is None:
            ok = response.status_code == 302 and response["Location"].startswith(login)
            expected = f"302 to {login}"
        elif isinstance(expected, str):
            ok = response.status_code == 302 and response["Location"] == expected
        else:
            ok = response.status_code == expected
        if not ok:
            wrong.append(
                f"{name} {path}: expected {expected}, got {response.status_code} "
                f"{response.get('Location', '')}"
            )
    assert not wrong, f"admin as {role}:\n  " + "\n  ".join(wrong)


def test_admin_opens_for_staff(world, db):
    """The rule above can fail: a superuser gets the admin's pages."""
    staff = User.objects.create_superuser(email="staff@example.org", password="x")  # noqa: S106
    client = Client()
    client.force_login(staff)
    for name in (
        "admin:index",
        "admin:accounts_user_changelist",
        "admin:mentoring_event_changelist",
    ):
        assert client.get(reverse(name)).status_code == OK, name
    assert registered_admin_models() <= {
        route.split("/")[1] + "." + route.split("/")[2]
        for _n, route in admin_patterns()
        if route.count("/") >= 3
    }


def registered_admin_models() -> set[str]:
    return {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin_site._registry}
