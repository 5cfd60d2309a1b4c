"""A small claims world on top of reporting's staff-time world: a programme with two six-month
periods, an indirect flat rate of 15 % on staff costs, a unit cost per day of a study visit, two
approved months of Ghent's officer in the first period, and a controller assigned to Ghent for
period 1 (running from the programme's start to far in the future)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounts.models import Membership, Role, User
from claims.models import (
    Category,
    Claim,
    ClaimLine,
    ControlAssignment,
    CostOption,
    CostOptionKind,
    LineKind,
    ReportingPeriod,
)
from claims.services import claim_open, line_save
from documents.models import StoredFile
from tests.accounts.factories import PASSWORD
from tests.reporting.factories import (
    TimeWorld,
    approved_month,
    build_time_world,
    fresh,
    rate,
    record,
)

# A one-page PDF, enough to pass as a receipt.
RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class ClaimWorld:
    time: TimeWorld
    period: ReportingPeriod
    next_period: ReportingPeriod
    flat: CostOption
    unit: CostOption
    controller: User
    other_controller: User

    def __getattr__(self, name):  # world.officer, world.city ... from the staff-time world
        return getattr(self.time, name)


def controller_user(programme, name: str, email: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    Membership.objects.create(user=user, role=Role.CONTROLLER, programme=programme)
    return user


def build_claim_world() -> ClaimWorld:
    time = build_time_world()
    programme = time.programme
    period = ReportingPeriod.objects.create(
        programme=programme,
        number=1,
        starts_on=date(2016, 10, 1),
        ends_on=date(2017, 3, 31),
        deadline=date(2017, 5, 31),
    )
    next_period = ReportingPeriod.objects.create(
        programme=programme,
        number=2,
        starts_on=date(2017, 4, 1),
        ends_on=date(2017, 9, 30),
        deadline=date(2017, 11, 30),
    )
    flat = CostOption.objects.create(
        programme=programme,
        name="Office and administration, 15 % of staff costs",
        kind=CostOptionKind.FLAT_RATE,
        category=Category.OFFICE,
        rate=Decimal("0.15"),
    )
    unit = CostOption.objects.create(
        programme=programme,
        name="Day of a study visit",
        kind=CostOptionKind.UNIT,
        category=Category.TRAVEL,
        amount=Decimal("180.00"),
        unit="day of a study visit",
    )
    # Olga: 43,000 a year full time (25 an hour at 1,720 h); 10 h in November and 12.5 h in
    # December 2016: 250.00 and 312.50.
    rate(time, time.officer, 2016, "43000")
    record(time, time.officer, date(2016, 11, 7), 10)
    record(time, time.officer, date(2016, 12, 5), "7.5")
    record(time, time.officer, date(2016, 12, 6), 5)
    approved_month(time, time.officer, date(2016, 11, 1))
    approved_month(time, time.officer, date(2016, 12, 1))
    controller = controller_user(programme, "Cleo Controller", "cleo.controller@example.com")
    other = controller_user(programme, "Ugo Unassigned", "ugo.controller@example.com")
    ControlAssignment.objects.create(
        controller=controller,
        programme=programme,
        city=time.city,
        period=period,
        starts_on=date(2016, 1, 1),
        ends_on=date(2099, 12, 31),
        assigned_by=time.coordinator,
    )
    return ClaimWorld(time, period, next_period, flat, unit, controller, other)


def open_claim(world: ClaimWorld, period: ReportingPeriod | None = None) -> Claim:
    return claim_open(period=period or world.period, city=world.city, by=fresh(world.officer))


def receipt(name: str = "receipt.pdf") -> StoredFile:
    return StoredFile.store(RECEIPT_PDF, filename=name, content_type="application/pdf")


def travel_line(world: ClaimWorld, claim: Claim, net="250.00", vat="0", **fields) -> ClaimLine:
    """A train ticket at real cost, with its receipt."""
    line = ClaimLine(
        kind=LineKind.REAL,
        category=Category.TRAVEL,
        supplier=fields.pop("supplier", "Rail company"),
        invoice_number=fields.pop("invoice_number", "T-1"),
        invoice_date=fields.pop("invoice_date", date(2017, 2, 1)),
        payment_date=fields.pop("payment_date", date(2017, 2, 3)),
        net_amount=Decimal(net),
        vat=Decimal(vat),
        currency=fields.pop("currency", world.programme.currency),
        description=fields.pop("description", "Train to the study visit"),
        receipt=fields.pop("receipt", None) or receipt(),
        **fields,
    )
    return line_save(claim=claim, line=line, by=fresh(world.officer))
