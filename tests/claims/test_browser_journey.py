"""In a real browser, a claim from draft to certified (issue 16): an officer adds a travel line
with its receipt, the supervisor signs and submits, the controller samples, deducts part of one
line with a type of error, completes the checklist and issues the certificate; the coordinator
sees the certified figures and downloads the evidence pack, whose manifest's checksums this test
checks against the files in the ZIP. One test, because each step needs the one before: about
20 seconds, most of it WeasyPrint laying out the certificate, the timesheets and the claim."""

import hashlib
import io
import json
import zipfile

import pytest

from claims.models import AutoCheck, ChecklistKind, ChecklistQuestion, ClaimStatus, LineKind
from tests.accounts.factories import PASSWORD
from tests.browser import page, sign_in  # noqa: F401
from tests.claims.factories import RECEIPT_PDF, build_claim_world, open_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_person(page, email):  # noqa: F811
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_claim_from_draft_to_certified_and_its_evidence_pack(page):  # noqa: F811
    world = build_claim_world()
    ChecklistQuestion.objects.create(
        programme=world.programme,
        position=1,
        text=str(AutoCheck.PRODUCTIVE_HOURS.label),
        kind=ChecklistKind.YES_NO,
        auto_check=AutoCheck.PRODUCTIVE_HOURS,
    )
    ChecklistQuestion.objects.create(
        programme=world.programme,
        position=2,
        text="Are the invoices addressed to the city?",
        kind=ChecklistKind.YES_NO,
    )
    claim = open_claim(world)

    # The officer adds the train ticket with its receipt.
    as_person(page, world.officer.email)
    page.goto(claim.get_absolute_url())
    page.get_by_role("link", name="Add expenditure").click()
    page.get_by_label("Kind of cost").select_option("real")
    page.get_by_label("Category").select_option("travel")
    page.get_by_label("Supplier").fill("Rail company")
    page.get_by_label("Invoice number").fill("T-9")
    page.get_by_label("Invoice date").fill("2017-02-01")
    page.get_by_label("Payment date").fill("2017-02-03")
    page.get_by_label("Amount:", exact=True).fill("250.00")
    page.get_by_label("Receipt").set_input_files(
        files=[{"name": "ticket.pdf", "mimeType": "application/pdf", "buffer": RECEIPT_PDF}]
    )
    page.get_by_role("button", name="Save the line").click()
    page.get_by_text("Saved the line").wait_for()
    assert page.locator("#total-claimed").inner_text() == "€896.88"

    # The supervisor signs and submits.
    as_person(page, world.supervisor.email)
    page.goto(claim.get_absolute_url())
    page.get_by_role("link", name="Sign and submit").click()
    page.get_by_role("button", name="Sign and submit").click()
    page.get_by_text("The claim is signed and submitted.").wait_for()

    # The controller starts, samples every line, deducts 50.00 of the ticket for want of a
    # proof of payment, confirms the staff months, answers the checklist and certifies.
    as_person(page, world.controller.email)
    page.get_by_role("link", name="Claims").first.click()
    page.goto(f"/claims/{claim.pk}/verification/")
    page.get_by_role("button", name="Start verification").click()
    page.get_by_label("Every line").check()
    page.get_by_role("button", name="Draw the sample").click()
    lines = claim.lines.filter(sampled=True).order_by("kind", "pk")
    assert [line.kind for line in lines] == [LineKind.REAL, LineKind.STAFF, LineKind.STAFF]
    for line in lines:
        page.goto(f"/claims/lines/{line.pk}/verify/")
        if line.kind == LineKind.REAL:
            page.get_by_label("Amount deducted").fill("50.00")
            page.get_by_label("Type of error").select_option("no_payment_proof")
            page.get_by_label("Comment").fill("The bank statement does not show the payment.")
        else:
            page.get_by_label("Amount deducted").fill("0")
        page.get_by_role("button", name="Save the check").click()
        page.wait_for_url(f"**/claims/{claim.pk}/verification/")
    page.get_by_role("link", name="Open the checklist").click()
    # Tandem answered its own staff-cost check; the controller answers the other question.
    page.get_by_role("radio", name="Yes").last.check()
    page.get_by_role("button", name="Save the checklist").click()
    page.goto(f"/claims/{claim.pk}/verification/")
    page.get_by_role("link", name="Review the figures and issue the certificate").click()
    page.get_by_label("Conclusion").fill("Eligible but for the ticket's unproven payment.")
    page.get_by_role("button", name="Issue the certificate").click()
    page.get_by_text("The claim is certified; the certificate is ready.").wait_for()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CERTIFIED
    assert claim.verification.certificate is not None

    # The coordinator sees the certified figures and downloads the evidence pack.
    as_person(page, world.coordinator.email)
    page.goto(claim.get_absolute_url())
    page.get_by_text("€846.88").first.wait_for()  # 896.88 claimed, 50.00 deducted
    page.get_by_role("button", name="Build the evidence pack").click()
    page.get_by_role("heading", name="Evidence pack").wait_for()
    page.goto(claim.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the ZIP").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    manifest = json.loads(archive.read("manifest.json"))
    files = manifest["files"] if isinstance(manifest, dict) else manifest
    assert len(files) > 5
    for item in files:
        assert hashlib.sha256(archive.read(item["path"])).hexdigest() == item["sha256"]
    names = set(archive.namelist())
    assert {"claim.pdf", "control/certificate.pdf", "control/report.pdf", "lines.csv"} <= names
    assert {"lines.xlsx", "rates.csv", "audit-trail.csv", "MANIFEST.sha256"} <= names
    assert any(name.startswith("receipts/") for name in names)
    assert any(name.startswith("timesheets/") for name in names)
