"""Demo claims of CITIES-GROW (illustrative figures, our own words).

The programme's 24 months make four six-month reporting periods, each due two months after its
end. Office and administration costs are a flat rate of staff costs (the programme's 7 %); a
day of a study or mentoring visit abroad is a unit cost; tickets and hotels are real costs with
their receipts, linked to the visits they paid for and to the attendance that proves the trip.
A first-level controller is assigned to the cities whose claims the demo verifies.

Claims in every state: Gdańsk's first period certified with a deduction (the hotel bill's
extras) and its second in verification; Rotterdam's first submitted; Athens' first reopened by
the coordinator; Barcelona's first a draft. Everything goes through the claims services, as
people would do it in the browser, and the stamps are moved to the days the story says
(accounts.demo.dated).
"""

from datetime import date, timedelta
from decimal import Decimal

from accounts.demo import DemoRun, DemoStep, dated, demo_at, demo_user, register
from accounts.models import Membership, Role
from accounts.services import membership_grant
from cities.models import City
from documents.models import StoredFile
from mentoring.demo.data import COORDINATOR_EMAIL
from mentoring.models import Attendance, Event, Programme
from reporting.costs import CostFigures, cents
from reporting.models import StaffRate

from .models import (
    AutoCheck,
    Category,
    ChecklistKind,
    ChecklistQuestion,
    CityBudget,
    Claim,
    ClaimLine,
    ClaimLog,
    ClaimRules,
    ControlAssignment,
    CostOption,
    CostOptionKind,
    ErrorType,
    LineKind,
    ReportingPeriod,
    Verification,
)
from .services import claim_open, claim_reopen, claim_submit, line_save
from .services.verification import (
    checklist_answer,
    claim_certify,
    line_verify,
    sample_draw,
    verification_start,
)

CONTROLLER_EMAIL = "controller@example.org"
CONTROLLED_CITIES = ("Gdańsk", "Rotterdam", "Athens")
# Office and administration as a flat rate; the unit cost of a day abroad.
DAY_ABROAD = Decimal("180.00")
OTHER_QUESTIONS = [
    (
        "Are the invoices addressed to the city and dated within the period?",
        ChecklistKind.YES_NO,
        None,
    ),
    (
        "Were the public procurement rules followed for external services?",
        ChecklistKind.YES_NO,
        None,
    ),
    ("How complete are the supporting documents?", ChecklistKind.SCORE, 5),
    ("Other remarks", ChecklistKind.TEXT, None),
]


def _receipt(title: str, number: str) -> StoredFile:
    """A one-page PDF standing for the scanned invoice."""
    text = f"{title} - invoice {number}".encode("latin-1", "replace")
    stream = b"BT /F1 12 Tf 40 150 Td (" + text + b") Tj ET"
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 420 200]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
        b"4 0 obj<</Length "
        + str(len(stream)).encode()
        + b">>stream\n"
        + stream
        + b"\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return StoredFile.store(pdf, filename=f"invoice-{number}.pdf", content_type="application/pdf")


def seed_setup(programme: Programme) -> list[ReportingPeriod]:
    """Periods, rules, cost options, budgets and the checklist of the programme."""
    ClaimRules.objects.get_or_create(
        programme=programme, defaults={"burn_warning_percent": 80, "sample_percent": 50}
    )
    periods = []
    start = programme.starts_on
    number = 1
    while start <= programme.ends_on:
        end = (
            date(start.year + (start.month + 5) // 12, (start.month + 5) % 12 + 1, 1)
        ) - timedelta(days=1)
        period, _ = ReportingPeriod.objects.get_or_create(
            programme=programme,
            number=number,
            defaults={"starts_on": start, "ends_on": end, "deadline": end + timedelta(days=61)},
        )
        periods.append(period)
        start, number = end + timedelta(days=1), number + 1
    CostOption.objects.get_or_create(
        programme=programme,
        name="Office and administration, 7 % of staff costs",
        defaults={
            "kind": CostOptionKind.FLAT_RATE,
            "category": Category.OFFICE,
            "rate": programme.indirect_cost_rate or Decimal("0.07"),
        },
    )
    CostOption.objects.get_or_create(
        programme=programme,
        name="Day of a study or mentoring visit abroad",
        defaults={
            "kind": CostOptionKind.UNIT,
            "category": Category.TRAVEL,
            "amount": DAY_ABROAD,
            "unit": "day abroad (meals and local transport)",
        },
    )
    figures = CostFigures.of(programme)
    for participation in programme.participations.select_related("city"):
        city = participation.city
        rate = StaffRate.objects.filter(city=city).order_by("year").first()
        hourly = rate.annual_costs / figures.productive_hours_per_year if rate else Decimal(25)
        staff = cents(programme.staff_days_allowance * figures.hours_per_day * hourly / 100) * 100
        for category, amount in (
            (Category.STAFF, staff),
            (Category.OFFICE, cents(staff * (programme.indirect_cost_rate or Decimal("0.07")))),
            # Gdańsk planned a single trip: its study visit uses most of it (the warning).
            (Category.TRAVEL, Decimal("1500.00" if city.slug == "gdansk" else "3500.00")),
            (Category.EXPERTISE, Decimal("2000.00")),
            (Category.OTHER, Decimal("500.00")),
        ):
            CityBudget.objects.get_or_create(
                programme=programme, city=city, category=category, defaults={"amount": amount}
            )
    position = 0
    for check in AutoCheck:
        position += 1
        ChecklistQuestion.objects.get_or_create(
            programme=programme,
            auto_check=check.value,
            defaults={"text": str(check.label), "kind": ChecklistKind.YES_NO, "position": position},
        )
    for text, kind, max_score in OTHER_QUESTIONS:
        position += 1
        ChecklistQuestion.objects.get_or_create(
            programme=programme,
            text=text,
            defaults={"kind": kind, "max_score": max_score, "position": position},
        )
    return periods


def _coordinator(programme: Programme):
    return (
        Membership.objects.select_related("user")
        .get(programme=programme, role=Role.COORDINATOR, user__email=COORDINATOR_EMAIL)
        .user
    )


def seed_controller(run: DemoRun, programme: Programme, periods: list[ReportingPeriod]):
    coordinator = _coordinator(programme)
    controller = demo_user(CONTROLLER_EMAIL, "First-level controller")
    membership_grant(user=controller, role=Role.CONTROLLER, programme=programme)
    run.logins.append((controller.email, "controller of Gdańsk, Rotterdam and Athens"))
    for name in CONTROLLED_CITIES:
        city = City.objects.get(name=name)
        for period in periods[:2]:
            with dated(
                demo_at(period.ends_on + timedelta(days=1)), (ControlAssignment, "created_at")
            ):
                ControlAssignment.objects.get_or_create(
                    controller=controller,
                    city=city,
                    period=period,
                    defaults={
                        "programme": programme,
                        "starts_on": period.ends_on + timedelta(days=1),
                        # Kept open for the audits that may follow (ten years after the programme).
                        "ends_on": date(programme.ends_on.year + 10, 12, 31),
                        "assigned_by": coordinator,
                    },
                )
    return controller


def _travel(claim: Claim, officer, event: Event, lines: list[tuple], *, day) -> None:
    """Tickets and hotel at real cost, and the days abroad as unit costs, for one visit."""
    attendance = Attendance.objects.filter(event=event, city=claim.city).first()
    unit = CostOption.objects.get(programme=claim.programme, kind=CostOptionKind.UNIT)
    with dated(demo_at(day), (ClaimLine, "created_at")):
        for supplier, number, net, description in lines:
            line_save(
                claim=claim,
                line=ClaimLine(
                    kind=LineKind.REAL,
                    category=Category.TRAVEL,
                    supplier=supplier,
                    invoice_number=number,
                    invoice_date=event.starts_on - timedelta(days=20),
                    payment_date=event.starts_on - timedelta(days=12),
                    net_amount=Decimal(net),
                    currency=claim.programme.currency,
                    description=description,
                    event=event,
                    attendance=attendance,
                    receipt=_receipt(supplier, number),
                    receipt_name=f"invoice-{number}.pdf",
                ),
                by=officer,
            )
        line_save(
            claim=claim,
            line=ClaimLine(
                kind=LineKind.UNIT,
                category=Category.TRAVEL,
                cost_option=unit,
                quantity=event.length_in_days,
                description=f"{event.title}: days abroad",
                event=event,
                attendance=attendance,
            ),
            by=officer,
        )


# The hotel bill of the study visit included the minibar and a late check-out.
HOTEL_DEDUCTION = Decimal("46.00")


def _verify(claim: Claim, controller, *, certify: bool) -> None:
    """The controller's verification: a risk-based sample of half the lines, each checked, the
    hotel bill's extras deducted, the checklist answered and, for a first claim, the
    certificate issued. A later claim is left with its sample drawn."""
    start = claim.period.deadline + timedelta(days=14)
    stamps = ((ClaimLog, "at"), (Verification, "started_at"), (Verification, "sampled_at"))
    with dated(demo_at(start), *stamps):
        verification_start(claim, by=controller)
        sample_draw(
            claim,
            by=controller,
            method=Verification.SampleMethod.RISK,
            percent=50,
            reason="The largest amounts first: travel abroad and the longest months.",
        )
    if not certify:
        return
    with dated(demo_at(start + timedelta(days=7)), (ClaimLine, "verified_at")):
        for line in claim.lines.filter(sampled=True).order_by("pk"):
            hotel = line.supplier.startswith("Hotel")
            line_verify(
                line,
                by=controller,
                deducted=HOTEL_DEDUCTION if hotel else Decimal(0),
                error_type=ErrorType.INELIGIBLE if hotel else "",
                comment=(
                    "Minibar and late check-out are not costs of the visit."
                    if hotel
                    else "Checked against the signed timesheet or the invoice and its payment."
                ),
            )
    verification = Verification.objects.get(claim=claim)
    with dated(demo_at(start + timedelta(days=8))):
        for question in ChecklistQuestion.objects.filter(programme=claim.programme, auto_check=""):
            checklist_answer(
                verification,
                question,
                by=controller,
                yes=True if question.kind == ChecklistKind.YES_NO else None,
                score=4 if question.kind == ChecklistKind.SCORE else None,
                text=(
                    "Receipts legible; the boarding passes are kept with the flight invoice."
                    if question.kind == ChecklistKind.TEXT
                    else ""
                ),
            )
    with dated(
        demo_at(start + timedelta(days=9), 16), (ClaimLog, "at"), (Verification, "certified_at")
    ):
        claim_certify(
            claim,
            by=controller,
            conclusion=(
                "The expenditure sampled is eligible, paid and supported, except the hotel "
                "bill's extras, deducted. The staff costs follow signed timesheets and the "
                "annual personnel costs of each year."
            ),
            ip_address="192.0.2.20",
        )


def _person(city: City, role: str):
    from accounts.models import User

    return User.objects.get(email=f"{role}.{city.slug}@example.org")


def _period_of(periods: list[ReportingPeriod], day: date) -> ReportingPeriod:
    return next(p for p in periods if p.starts_on <= day <= p.ends_on)


def seed_demo_claims(run: DemoRun) -> None:
    programme = run.made["programme"]
    if Claim.objects.filter(programme=programme).exists():
        return
    # Set up when the programme began; the controller assigned at the end of each period.
    with dated(demo_at(programme.starts_on)):
        periods = seed_setup(programme)
    controller = seed_controller(run, programme, periods)
    cities = {c.name: c for c in City.objects.filter(participations__programme=programme)}
    events = {e.title: e for e in Event.objects.filter(programme=programme)}
    study = events.get("Study visit: Gdańsk in Rotterdam")
    mentoring = events.get("Mentoring visit: Rotterdam in Gdańsk")
    athens = events.get("Mentoring visit: Barcelona in Athens")

    def open_(name: str, period: ReportingPeriod):
        city = cities[name]
        officer = _person(city, "officer")
        with dated(
            demo_at(period.ends_on + timedelta(days=10)), (Claim, "created_at"), (ClaimLog, "at")
        ):
            return claim_open(period=period, city=city, by=officer), officer

    def submit(claim: Claim, day: date) -> Claim:
        supervisor = _person(claim.city, "supervisor")
        with dated(demo_at(day, 15), (Claim, "submitted_at"), (ClaimLog, "at")):
            return claim_submit(claim, by=supervisor, ip_address="192.0.2.10")

    # Gdańsk: the study visit abroad in its first period, then the mentoring visit at home.
    first, officer = open_("Gdańsk", periods[0])
    if study is not None:
        _travel(
            first,
            officer,
            study,
            [
                (
                    "LOT Polish Airlines",
                    "LO-2017-0412",
                    "412.60",
                    "Flights Gdańsk–Amsterdam and back",
                ),
                ("Hotel Maas Rotterdam", "HM-88213", "356.00", "Hotel, two nights"),
                ("NS Dutch Railways", "NS-551902", "38.40", "Train Schiphol–Rotterdam and back"),
            ],
            day=periods[0].ends_on + timedelta(days=12),
        )
    first = submit(first, periods[0].deadline - timedelta(days=10))
    run.made["claims"] = {"gdansk-1": first}
    second, officer = open_("Gdańsk", periods[1])
    with dated(demo_at(periods[1].ends_on + timedelta(days=12)), (ClaimLine, "created_at")):
        # Polish VAT the city cannot recover is eligible.
        line_save(
            claim=second,
            line=ClaimLine(
                kind=LineKind.REAL,
                category=Category.EXPERTISE,
                supplier="Lingua Pomorze sp. z o.o.",
                invoice_number="LP/2017/0714",
                invoice_date=date(2017, 7, 14),
                payment_date=date(2017, 8, 1),
                net_amount=Decimal("320.00"),
                vat=Decimal("73.60"),
                currency=programme.currency,
                description="Translation of the draft action plan for the mentor city",
                receipt=_receipt("Lingua Pomorze", "LP-2017-0714"),
                receipt_name="invoice-LP-2017-0714.pdf",
            ),
            by=officer,
        )
    run.made["claims"]["gdansk-2"] = submit(second, periods[1].deadline - timedelta(days=5))
    _verify(run.made["claims"]["gdansk-1"], controller, certify=True)
    _verify(run.made["claims"]["gdansk-2"], controller, certify=False)

    # Rotterdam: hosts the study visit, travels for the mentoring visit; submitted.
    claim, officer = open_("Rotterdam", periods[0])
    run.made["claims"]["rotterdam-1"] = submit(claim, periods[0].deadline - timedelta(days=3))
    if mentoring is not None:
        claim, officer = open_("Rotterdam", _period_of(periods, mentoring.starts_on))
        _travel(
            claim,
            officer,
            mentoring,
            [
                (
                    "KLM Royal Dutch Airlines",
                    "KL-77120",
                    "389.90",
                    "Flights Amsterdam–Gdańsk and back",
                ),
                ("Hotel Gdańsk Old Town", "HGO-4410", "214.00", "Hotel, two nights"),
            ],
            day=claim.period.ends_on + timedelta(days=9),
        )

    # Athens: submitted, then reopened by the coordinator (a month approved late belongs in it).
    claim, officer = open_("Athens", periods[0])
    claim = submit(claim, periods[0].deadline - timedelta(days=1))
    coordinator = _coordinator(programme)
    with dated(demo_at(periods[0].deadline + timedelta(days=6)), (ClaimLog, "at")):
        claim_reopen(
            claim,
            by=coordinator,
            reason=(
                "March's timesheet was approved after the claim was submitted: add it and submit "
                "the claim again."
            ),
        )

    # Barcelona: travel to Athens in a claim still being prepared.
    if athens is not None:
        claim, officer = open_("Barcelona", _period_of(periods, athens.starts_on))
        _travel(
            claim,
            officer,
            athens,
            [("Aegean Airlines", "A3-310577", "298.40", "Flights Barcelona–Athens and back")],
            day=claim.period.ends_on + timedelta(days=20),
        )
    else:
        open_("Barcelona", periods[0])
    run.made["controller"] = controller


register(
    DemoStep(
        "claims",
        85,
        seed_demo_claims,
        without="staff-time",
        help="Leave out the demo time entries, timesheets and rates (quicker; most tests).",
    )
)
