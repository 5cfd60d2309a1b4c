"""The city's claim pages, through the services behind them: an officer enters expenditure with
its receipt, the supervisor signs, a coordinator reopens; what each person may see; the figures
on the page, in the CSV and in the XLSX are the same (hand-checked)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from claims.models import (
    Category,
    Claim,
    ClaimAction,
    ClaimLine,
    ClaimStatus,
    LineKind,
    ReportingPeriod,
)
from claims.services import claim_submit, line_save
from portal.navigation import navigation_for
from tests.claims.factories import (
    RECEIPT_PDF,
    build_claim_world,
    open_claim,
    travel_line,
)
from tests.reporting.factories import approved_month, fresh, rate, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_claim_world()


def pdf(name: str = "ticket.pdf", content: bytes = RECEIPT_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "scan.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def travel_data(**changes) -> dict:
    data = {
        "kind": "real",
        "category": "travel",
        "supplier": "Rail company",
        "invoice_number": "T-7",
        "invoice_date": "2017-02-01",
        "payment_date": "2017-02-03",
        "net_amount": "250.00",
        "vat": "0",
        "currency": "EUR",
        "description": "Train to the study visit",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def signed_in(client, user):
    client.force_login(user)
    return client


def errors_of(response) -> str:
    """The form's errors, for a failing assertion's message."""
    form = response.context["form"] if response.context and "form" in response.context else None
    return str(form.errors) if form is not None else str(response.status_code)


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


# Entering expenditure ------------------------------------------------------------------------


def test_the_officer_adds_a_travel_line_with_a_pdf_receipt(client, world):
    claim = open_claim(world)
    signed_in(client, world.officer)
    url = reverse("claims:line_create", args=[claim.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, travel_data(receipt=pdf()))
    assert response.status_code == 302, errors_of(response)
    line = ClaimLine.objects.get(claim=claim, kind=LineKind.REAL)
    assert line.supplier == "Rail company"
    assert line.net_amount == Decimal("250.00")
    assert line.receipt is not None
    assert line.receipt.content_type == "application/pdf"
    assert line.receipt_name == "ticket.pdf"
    assert line.created_by == world.officer
    page = text_of(client.get(claim.get_absolute_url()))
    assert "Rail company" in page
    assert "€896.88" in page

    # The receipt comes back as it was uploaded, as an attachment.
    response = client.get(reverse("claims:receipt", args=[line.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "ticket.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == RECEIPT_PDF


def test_an_image_receipt_is_stored_as_what_it_is_not_what_its_name_says(client, world):
    claim = open_claim(world)
    signed_in(client, world.officer)
    upload = png("scan.pdf")
    response = client.post(
        reverse("claims:line_create", args=[claim.pk]), travel_data(receipt=upload)
    )
    assert response.status_code == 302
    line = ClaimLine.objects.get(claim=claim, kind=LineKind.REAL)
    assert line.receipt.content_type == "image/png"
    assert line.receipt.filename == "scan.png"
    assert line.receipt_name == "scan.pdf"


def test_bad_input_keeps_what_was_typed_with_a_message_on_each_field(client, world):
    claim = open_claim(world)
    signed_in(client, world.officer)
    response = client.post(
        reverse("claims:line_create", args=[claim.pk]),
        travel_data(net_amount="", supplier="Bus company Ltd", invoice_date="not a date"),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert 'value="Bus company Ltd"' in page
    assert "Enter the amount of the invoice." in page
    assert "Enter a valid date." in page
    assert not ClaimLine.objects.filter(claim=claim, kind=LineKind.REAL).exists()


def test_a_payment_before_its_invoice_is_refused_on_its_field(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    claim = open_claim(world)
    signed_in(client, world.officer)
    response = client.post(
        reverse("claims:line_create", args=[claim.pk]),
        travel_data(payment_date="2017-01-15", receipt=pdf()),
    )
    assert response.status_code == 400
    assert "The payment cannot come before the invoice." in text_of(response)
    assert not ClaimLine.objects.filter(claim=claim, kind=LineKind.REAL).exists()
    # The receipt stored for the refused line is gone with it, row and file.
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("fake.pdf", b"%PDF-1.4 this is no PDF at all"), "This PDF cannot be opened"),
        (pdf("notes.pdf", b"Just some text, named like a PDF."), "Upload the receipt as a PDF"),
        (pdf("empty.pdf", b""), "The submitted file is empty."),
    ],
)
def test_a_receipt_that_is_not_a_pdf_or_an_image_is_refused(client, world, upload, message):
    claim = open_claim(world)
    signed_in(client, world.officer)
    response = client.post(
        reverse("claims:line_create", args=[claim.pk]),
        travel_data(receipt=upload, supplier="Kept supplier"),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert 'value="Kept supplier"' in page
    assert not ClaimLine.objects.filter(claim=claim, kind=LineKind.REAL).exists()


def test_a_unit_cost_takes_its_amount_and_category_from_the_option(client, world):
    claim = open_claim(world)
    signed_in(client, world.officer)
    response = client.post(
        reverse("claims:line_create", args=[claim.pk]),
        {"kind": "unit", "cost_option": world.unit.pk, "quantity": "2", "vat": "0"},
    )
    assert response.status_code == 302, errors_of(response)
    line = ClaimLine.objects.get(claim=claim, kind=LineKind.UNIT)
    assert line.unit_amount == Decimal("180.00")
    assert line.category == Category.TRAVEL
    assert "€360.00" in text_of(client.get(claim.get_absolute_url()))


def test_editing_keeps_the_receipt_unless_a_new_one_is_uploaded(client, world):
    claim = open_claim(world)
    line = travel_line(world, claim)
    before = line.receipt_id
    signed_in(client, world.officer)
    url = reverse("claims:line_edit", args=[line.pk])
    version = client.get(url).context["form"].initial["version"]
    response = client.post(url, travel_data(net_amount="260.00", version=version))
    assert response.status_code == 302, errors_of(response)
    line.refresh_from_db()
    assert line.net_amount == Decimal("260.00")
    assert line.receipt_id == before


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, world):
    claim = open_claim(world)
    line = travel_line(world, claim)
    signed_in(client, world.officer)
    url = reverse("claims:line_edit", args=[line.pk])
    version = client.get(url).context["form"].initial["version"]
    # Meanwhile the supervisor changes the amount.
    line.net_amount = Decimal("300.00")
    line_save(claim=claim, line=line, by=fresh(world.supervisor))
    response = client.post(url, travel_data(net_amount="275.00", version=version))
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else saved this" in page
    assert 'value="275.00"' in page
    line.refresh_from_db()
    assert line.net_amount == Decimal("300.00")


def test_a_line_is_removed_after_a_confirmation(client, world):
    claim = open_claim(world)
    line = travel_line(world, claim)
    signed_in(client, world.officer)
    url = reverse("claims:line_delete", args=[line.pk])
    assert "Remove the line" in text_of(client.get(url))
    assert client.post(url).status_code == 302
    assert not ClaimLine.objects.filter(pk=line.pk).exists()


def test_a_line_changed_since_its_confirmation_page_is_not_removed_unseen(client, world):
    claim = open_claim(world)
    line = travel_line(world, claim)
    signed_in(client, world.officer)
    url = reverse("claims:line_delete", args=[line.pk])
    version = client.get(url).context["version"]
    # Meanwhile the supervisor changes the amount.
    line.net_amount = Decimal("300.00")
    line_save(claim=claim, line=line, by=fresh(world.supervisor))
    response = client.post(url, {"version": version})
    assert response.status_code == 409
    assert "Someone else saved this" in text_of(response)
    assert ClaimLine.objects.filter(pk=line.pk).exists()
    # Confirmed again, on the line as it is now.
    assert client.post(url, {"version": response.context["version"]}).status_code == 302
    assert not ClaimLine.objects.filter(pk=line.pk).exists()


# Who sees what -------------------------------------------------------------------------------


def test_another_citys_officer_finds_nothing(client, world):
    claim = open_claim(world)
    line = travel_line(world, claim)
    signed_in(client, world.other_officer)
    for url in (
        claim.get_absolute_url(),
        reverse("claims:line_create", args=[claim.pk]),
        reverse("claims:line_edit", args=[line.pk]),
        reverse("claims:line_delete", args=[line.pk]),
        reverse("claims:receipt", args=[line.pk]),
        reverse("claims:export", args=[claim.pk, "csv"]),
        reverse("claims:submit", args=[claim.pk]),
        reverse("claims:reopen", args=[claim.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "Ghent" not in text_of(client.get(reverse("claims:list")))


def test_a_controller_sees_the_claim_only_while_assigned(client, world):
    claim = open_claim(world)
    signed_in(client, world.controller)
    assert client.get(claim.get_absolute_url()).status_code == 200
    assert "Ghent" in text_of(client.get(reverse("claims:list")))
    client.force_login(world.other_controller)
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert "Ghent" not in text_of(client.get(reverse("claims:list")))


def test_the_navigation_leads_to_the_claims(world):
    for user in (world.officer, world.supervisor, world.coordinator, world.controller):
        keys = [item.key for item in navigation_for(fresh(user))]
        assert "claims" in keys, user


# Signing and reopening -----------------------------------------------------------------------


def test_the_supervisor_signs_then_the_officer_can_no_longer_edit(client, world):
    claim = open_claim(world)
    line = travel_line(world, claim)
    signed_in(client, world.officer)
    officer_page = text_of(client.get(claim.get_absolute_url()))
    assert "Only a supervisor of Ghent can sign and submit its claim." in officer_page
    assert client.get(reverse("claims:submit", args=[claim.pk])).status_code == 403

    client.force_login(world.supervisor)
    url = reverse("claims:submit", args=[claim.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = text_of(response)
    assert "€896.88" in page
    assert "The claim has 4 lines." in page
    assert "IP address" in page
    claim.refresh_from_db()
    response = client.post(url, {"version": claim.version}, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_by == world.supervisor
    entry = claim.log.get(action=ClaimAction.SUBMITTED)
    assert entry.ip_address == "192.0.2.7"
    assert entry.details["total"] == "896.88"

    client.force_login(world.officer)
    response = client.get(reverse("claims:line_edit", args=[line.pk]))
    assert response.status_code == 403
    assert "it can no longer change unless a coordinator reopens it" in text_of(response)
    assert client.post(reverse("claims:line_delete", args=[line.pk])).status_code == 403
    assert ClaimLine.objects.filter(pk=line.pk).exists()


def test_the_page_to_sign_brings_in_months_approved_since_the_claim_was_opened(client, world):
    claim = open_claim(world)
    travel_line(world, claim)
    rate(world.time, world.officer, 2017, "43000")
    record(world.time, world.officer, date(2017, 1, 9), 4)
    approved_month(world.time, world.officer, date(2017, 1, 1))
    signed_in(client, world.supervisor)
    page = text_of(client.get(reverse("claims:submit", args=[claim.pk])))
    # Staff 562.50 + 100.00; office 15 % = 99.375; travel 250.00.
    assert "€1,011.88" in page
    assert "The claim has 5 lines." in page


def test_a_signature_from_an_outdated_page_is_refused(client, world):
    claim = open_claim(world)
    travel_line(world, claim)
    claim.refresh_from_db()
    signed_in(client, world.supervisor)
    stale_version = claim.version
    travel_line(world, claim, net="10.00", invoice_number="T-2")
    response = client.post(reverse("claims:submit", args=[claim.pk]), {"version": stale_version})
    assert response.status_code == 409
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_a_claim_with_a_line_without_receipt_is_not_signed(client, world):
    claim = open_claim(world)
    line = travel_line(world, claim)
    ClaimLine.objects.filter(pk=line.pk).update(receipt=None)
    claim.refresh_from_db()
    signed_in(client, world.supervisor)
    response = client.post(reverse("claims:submit", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 400
    assert "have no receipt yet" in text_of(response)


def test_the_coordinator_reopens_with_a_reason(client, world):
    claim = open_claim(world)
    travel_line(world, claim)
    claim_submit(claim, by=fresh(world.supervisor))
    url = reverse("claims:reopen", args=[claim.pk])
    signed_in(client, world.supervisor)
    assert client.get(url).status_code == 403

    client.force_login(world.coordinator)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the claim is reopened." in text_of(response)
    response = client.post(url, {"reason": "The train ticket is for March."})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REOPENED
    page = text_of(client.get(claim.get_absolute_url()))
    assert "The train ticket is for March." in page


# The list ------------------------------------------------------------------------------------


def test_the_list_offers_to_start_a_claim_and_shows_totals(client, world):
    signed_in(client, world.officer)
    page = text_of(client.get(reverse("claims:list")))
    assert "Start the claim" in page
    response = client.post(reverse("claims:open", args=[world.period.pk, world.city.pk]))
    claim = Claim.objects.get(city=world.city, period=world.period)
    assert response.status_code == 302
    assert response["Location"] == claim.get_absolute_url()
    travel_line(world, claim)
    page = text_of(client.get(reverse("claims:list")))
    assert "€896.88" in page
    assert "Draft" in page
    # Filtered to another status, the claim is not listed.
    assert "€896.88" not in text_of(client.get(reverse("claims:list") + "?status=certified"))


def test_only_the_citys_people_start_its_claim(client, world):
    url = reverse("claims:open", args=[world.period.pk, world.city.pk])
    signed_in(client, world.other_officer)
    assert client.post(url).status_code == 404
    client.force_login(world.coordinator)
    assert client.post(url).status_code == 403
    assert not Claim.objects.exists()


# The figures: page, CSV and XLSX --------------------------------------------------------------


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_page_csv_and_xlsx_give_the_same_hand_checked_figures(client, world):
    claim = open_claim(world)
    travel_line(world, claim)
    signed_in(client, world.officer)
    page = text_of(client.get(claim.get_absolute_url()))
    # Staff 250.00 + 312.50; office 15 % of 562.50 = 84.375; travel 250.00.
    for shown in ("€562.50", "€84.38", "€250.00", "€896.88", "€89.69", "€807.19"):
        assert shown in page, shown

    response = client.get(reverse("claims:export", args=[claim.pk, "csv"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response.content)
    headers = rows[0]
    at = headers.index("Amount claimed")
    by_label = {row[0]: row[at] for row in rows[1:]}
    assert by_label["Total: Staff costs"] == "562.50"
    assert by_label["Total: Office and administration"] == "84.38"
    assert by_label["Total: Travel and accommodation"] == "250.00"
    assert by_label["Total (EUR)"] == "896.88"
    assert by_label["Own contribution of the city"] == "89.69"
    assert by_label["Grant"] == "807.19"
    staff = [row[at] for row in rows[1:] if row[1] == "Staff costs of an approved month"]
    assert sorted(staff) == ["250.00", "312.50"]

    response = client.get(reverse("claims:export", args=[claim.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    xlsx = {row[0]: row[at] for row in values[1:]}
    assert Decimal(str(xlsx["Total (EUR)"])) == Decimal("896.88")
    assert Decimal(str(xlsx["Grant"])) == Decimal("807.19")
    assert Decimal(str(xlsx["Total: Office and administration"])) == Decimal("84.38")
    assert client.get(reverse("claims:export", args=[claim.pk, "pdf"])).status_code == 404


def test_the_cumulative_figures_add_the_earlier_claims(client, world):
    from claims.models import CityBudget

    CityBudget.objects.create(
        programme=world.programme, city=world.city, category=Category.TRAVEL, amount=400
    )
    first = open_claim(world)
    travel_line(world, first)
    claim_submit(first, by=fresh(world.supervisor))
    second = open_claim(world, world.next_period)
    travel_line(world, second, net="100.00", invoice_date=date(2017, 5, 2), payment_date=None)
    signed_in(client, world.officer)
    response = client.get(second.get_absolute_url())
    rows = {row.category: row for row in response.context["cumulative"]}
    travel = rows[Category.TRAVEL]
    assert travel.earlier == Decimal("250.00")
    assert travel.this_claim == Decimal("100.00")
    assert travel.to_date == Decimal("350.00")
    assert travel.burn.warning  # 87.5 % of the budget, over the default 80 %
    assert "€350.00" in text_of(response)


def test_a_draft_earlier_claim_is_not_claimed_yet_and_a_certified_one_counts_as_certified(
    client, world
):
    from tests.claims.setup_helpers import certify

    draft = open_claim(world)
    travel_line(world, draft)
    second = open_claim(world, world.next_period)
    travel_line(world, second, net="100.00", invoice_date=date(2017, 5, 2), payment_date=None)
    signed_in(client, world.officer)
    rows = {
        row.category: row for row in client.get(second.get_absolute_url()).context["cumulative"]
    }
    assert rows[Category.TRAVEL].earlier == 0  # the first claim is a draft
    claim_submit(draft, by=fresh(world.supervisor))
    first = certify(draft, {draft.lines.get(kind=LineKind.REAL): Decimal("50.00")})
    rows = {row.category: row for row in client.get(first.get_absolute_url()).context["cumulative"]}
    # 250.00 claimed, 50.00 deducted: certified to date counts this certified claim.
    assert rows[Category.TRAVEL].burn.certified == Decimal("200.00")
    rows = {
        row.category: row for row in client.get(second.get_absolute_url()).context["cumulative"]
    }
    assert rows[Category.TRAVEL].earlier == Decimal("250.00")
    assert rows[Category.TRAVEL].burn.certified == Decimal("200.00")


# Query counts --------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_claims(world, count: int) -> None:
    """More periods, each with a claim of several lines."""
    for number in range(3, 3 + count):
        period = ReportingPeriod.objects.create(
            programme=world.programme,
            number=number,
            starts_on=date(2017 + number, 1, 1),
            ends_on=date(2017 + number, 6, 30),
            deadline=date(2017 + number, 8, 31),
        )
        claim = open_claim(world, period)
        for index in range(3):
            travel_line(world, claim, net=f"{10 + index}.00", invoice_number=f"Q-{index}")


# The pinned counts: the page's own queries (session, user, scopes, programme context, the
# claims, their lines, the periods to start ...). A change here is a new query on every view.
# The coordinator's list also finds the programmes whose set-up it links to; the claim page's
# panels ask for the verification, the audits and the last evidence pack.
LIST_QUERIES = {"officer": 13, "coordinator": 9}
CLAIM_QUERIES = 13


def test_the_list_query_count_does_not_grow(client, world):
    claim = open_claim(world)
    travel_line(world, claim)
    url = reverse("claims:list")
    viewers = {"officer": world.officer, "coordinator": world.coordinator}
    small = {}
    for name, user in viewers.items():
        signed_in(client, user)
        small[name] = _count(client, url)
    _more_claims(world, 3)
    for name, user in viewers.items():
        signed_in(client, user)
        assert _count(client, url) == small[name] == LIST_QUERIES[name], name


def test_the_claim_page_query_count_does_not_grow(client, world):
    # An earlier claim, submitted, counts in the cumulative figures of the next one.
    earlier = open_claim(world)
    travel_line(world, earlier)
    claim_submit(earlier, by=fresh(world.supervisor))
    claim = open_claim(world, world.next_period)
    travel_line(world, claim, invoice_date=date(2017, 5, 2), payment_date=None)
    signed_in(client, world.supervisor)
    small = _count(client, claim.get_absolute_url())
    for index in range(6):
        travel_line(world, claim, net="12.00", invoice_number=f"M-{index}", receipt=None)
    _more_claims(world, 2)  # later claims: not part of this one's figures
    rate(world.time, world.officer, 2017, "43000")
    record(world.time, world.officer, date(2017, 4, 10), 4)
    record(world.time, world.officer, date(2017, 5, 8), 4)
    approved_month(world.time, world.officer, date(2017, 4, 1))
    approved_month(world.time, world.officer, date(2017, 5, 1))
    claim = open_claim(world, world.next_period)  # the new months come in
    assert claim.lines.filter(kind=LineKind.STAFF).count() == 2
    assert _count(client, claim.get_absolute_url()) == small == CLAIM_QUERIES
