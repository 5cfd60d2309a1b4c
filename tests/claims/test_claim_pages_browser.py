"""In a real browser: an officer adds a travel line with its receipt to the city's claim, and
the supervisor signs and submits the claim."""

import pytest

from claims.models import ClaimLine, ClaimStatus, LineKind
from tests.accounts.factories import PASSWORD
from tests.browser import page, sign_in  # noqa: F401
from tests.claims.factories import RECEIPT_PDF, build_claim_world, open_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out_and_in(page, email):  # noqa: F811
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_officer_adds_a_travel_line_and_the_supervisor_submits(page):  # noqa: F811
    world = build_claim_world()
    claim = open_claim(world)

    sign_out_and_in(page, world.officer.email)
    page.get_by_role("link", name="Claims").first.click()
    page.get_by_role("link", name="Ghent").click()
    page.get_by_role("link", name="Add expenditure").click()
    page.get_by_label("Kind of cost").select_option("real")
    page.get_by_label("Category").select_option("travel")
    page.get_by_label("Supplier").fill("Rail company")
    page.get_by_label("Invoice number").fill("T-9")
    page.get_by_label("Invoice date").fill("2017-02-01")
    page.get_by_label("Payment date").fill("2017-02-03")
    page.get_by_label("Amount:", exact=True).fill("250.00")
    page.get_by_label("Description").fill("Train to the study visit")
    page.get_by_label("Receipt").set_input_files(
        files=[{"name": "ticket.pdf", "mimeType": "application/pdf", "buffer": RECEIPT_PDF}]
    )
    page.get_by_role("button", name="Save the line").click()
    page.get_by_text("Saved the line").wait_for()
    line = ClaimLine.objects.get(claim=claim, kind=LineKind.REAL)
    assert line.receipt_name == "ticket.pdf"
    assert page.locator("#total-claimed").inner_text() == "€896.88"
    page.get_by_text("Only a supervisor of Ghent can sign and submit its claim.").wait_for()

    sign_out_and_in(page, world.supervisor.email)
    page.goto(claim.get_absolute_url())
    page.get_by_role("link", name="Sign and submit").click()
    assert page.locator("#sign-total").inner_text() == "€896.88"
    page.get_by_role("button", name="Sign and submit").click()
    page.get_by_text("The claim is signed and submitted.").wait_for()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_by == world.supervisor
    assert claim.log.get(action="submitted").ip_address == "127.0.0.1"
