"""The controller's pages: who sees what (the assigned controller only while the assignment runs),
the verification from start to certificate in the browser's requests, what a refused form keeps,
stale saves, and query counts pinned at two sizes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.selectors import today_for
from claims.models import (
    AutoCheck,
    ChecklistKind,
    ChecklistQuestion,
    ClaimStatus,
    ControlAssignment,
    ErrorType,
    LineKind,
    Verification,
)
from claims.services import claim_open, claim_submit
from claims.services.verification import line_verify, sample_draw, verification_start
from config.stale import version_of
from tests.claims.factories import build_claim_world, open_claim, travel_line
from tests.reporting.factories import approved_month, fresh, rate, record

ALL = Verification.SampleMethod.ALL


@pytest.fixture
def world(db):
    return build_claim_world()


def submitted(world, *extra):
    claim = open_claim(world)
    travel_line(world, claim)
    for number, net in enumerate(extra, start=2):
        travel_line(world, claim, net=net, invoice_number=f"T-{number}")
    return claim_submit(claim, by=fresh(world.supervisor))


def started(world, *extra):
    claim = submitted(world, *extra)
    verification_start(claim, by=fresh(world.controller))
    claim.refresh_from_db()
    return claim


def as_user(client, user):
    client.force_login(user)
    return client


def verify_url(claim) -> str:
    return reverse("claims:verify", kwargs={"pk": claim.pk})


def line_url(line, name="claims:line_verify") -> str:
    return reverse(name, kwargs={"pk": line.pk})


# Who sees what -------------------------------------------------------------------------------


def test_the_assigned_controller_sees_the_verification_and_no_one_else_does(client, world):
    claim = submitted(world)
    url = verify_url(claim)
    assert as_user(client, world.controller).get(url).status_code == 200
    assert as_user(client, world.other_controller).get(url).status_code == 404
    # Those who see the claim but do not verify it are told why.
    for person in (world.officer, world.supervisor, world.coordinator):
        response = as_user(client, person).get(url)
        assert response.status_code == 403, person
    for person in (world.other_officer, world.outsider_coordinator):
        assert as_user(client, person).get(url).status_code == 404, person


def test_an_ended_assignment_shows_nothing(client, world):
    claim = started(world)
    travel = claim.lines.get(kind=LineKind.REAL)
    ControlAssignment.objects.filter(controller=world.controller).update(
        ends_on=today_for(world.controller) - timedelta(days=1)
    )
    as_user(client, world.controller)
    for url in (
        verify_url(claim),
        reverse("claims:checklist", kwargs={"pk": claim.pk}),
        reverse("claims:certify", kwargs={"pk": claim.pk}),
        reverse("claims:claim", kwargs={"pk": claim.pk}),
        line_url(travel),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(line_url(travel), {"deducted": "0"})
    assert response.status_code == 404
    travel.refresh_from_db()
    assert travel.verified_at is None
    assert b"Ghent" not in client.get(reverse("claims:control")).content


def test_a_controller_sees_no_claim_of_another_city(client, world):
    # Gdańsk's officer records and gets a month approved; Gdańsk's claim of period 1.
    rate(world, world.other_officer, 2016, "43000", city=world.other_city)
    record(world, world.other_officer, date(2016, 11, 8), 4)
    approved_month(world, world.other_officer, date(2016, 11, 1))
    claim = claim_open(period=world.period, city=world.other_city, by=fresh(world.other_officer))
    claim = claim_submit(claim, by=fresh(world.other_supervisor))
    as_user(client, world.controller)
    assert client.get(verify_url(claim)).status_code == 404
    assert client.get(reverse("claims:claim", kwargs={"pk": claim.pk})).status_code == 404
    response = client.post(reverse("claims:verification_start", kwargs={"pk": claim.pk}))
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_the_control_list_shows_running_assignments_only(client, world):
    claim = submitted(world)
    page = as_user(client, world.controller).get(reverse("claims:control"))
    assert page.status_code == 200
    assert verify_url(claim) in page.content.decode()
    page = as_user(client, world.other_controller).get(reverse("claims:control"))
    assert page.status_code == 200
    assert "No assignment runs today." in page.content.decode()
    assert as_user(client, world.officer).get(reverse("claims:control")).status_code == 403


# From start to certificate -------------------------------------------------------------------


def test_a_verification_from_start_to_certificate(client, world):
    ChecklistQuestion.objects.create(
        programme=world.programme,
        position=1,
        text="Signed months",
        kind=ChecklistKind.YES_NO,
        auto_check=AutoCheck.MONTHS_SIGNED,
    )
    question = ChecklistQuestion.objects.create(
        programme=world.programme, position=2, text="Receipts readable?", kind="yes_no"
    )
    claim = submitted(world)
    as_user(client, world.controller)
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert verify_url(claim) in claim_page
    assert "Not started." in claim_page

    response = client.post(reverse("claims:verification_start", kwargs={"pk": claim.pk}))
    assert response.status_code == 302
    page = client.get(verify_url(claim)).content.decode()
    assert 'value="100"' in page  # the programme's default share

    response = client.post(
        reverse("claims:sample", kwargs={"pk": claim.pk}), {"method": "all", "percent": "100"}
    )
    assert response.status_code == 302
    travel = claim.lines.get(kind=LineKind.REAL)
    assert travel.sampled

    # A deduction without its type of error: refused on the field, what was typed kept.
    response = client.post(line_url(travel), {"deducted": "50.00", "comment": "No statement."})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose the type of error behind the deduction." in content
    assert 'value="50.00"' in content
    assert "No statement." in content
    # Over the line's amount.
    response = client.post(
        line_url(travel), {"deducted": "250.01", "error_type": ErrorType.INELIGIBLE}
    )
    assert response.status_code == 400
    assert "between 0 and the line" in response.content.decode()
    # Not a number.
    response = client.post(line_url(travel), {"deducted": "fifty"})
    assert response.status_code == 400
    assert 'value="fifty"' in response.content.decode()

    response = client.post(
        line_url(travel),
        {"deducted": "50.00", "error_type": ErrorType.NO_PROOF_OF_PAYMENT, "comment": "x"},
    )
    assert response.status_code == 302
    for month in claim.lines.filter(kind=LineKind.STAFF):
        assert client.post(line_url(month), {"deducted": "0"}).status_code == 302

    certify_url = reverse("claims:certify", kwargs={"pk": claim.pk})
    page = client.get(certify_url).content.decode()
    assert "Receipts readable?" in page  # not answered yet
    response = client.post(certify_url, {"conclusion": "Fine."})
    assert response.status_code == 400
    assert "Checklist questions not answered yet: Receipts readable?" in (response.content.decode())

    checklist_url = reverse("claims:checklist", kwargs={"pk": claim.pk})
    page = client.get(checklist_url).content.decode()
    assert "Signed months" in page  # answered by Tandem
    response = client.post(checklist_url, {f"q{question.pk}-yes": "yes"})
    assert response.status_code == 302
    response = client.post(reverse("claims:auto_checks", kwargs={"pk": claim.pk}))
    assert response.status_code == 302

    page = client.get(certify_url).content.decode()
    assert "846.88" in page
    response = client.post(certify_url, {"conclusion": "Eligible, less 50.00 of travel."})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CERTIFIED

    # The city sees certified against claimed, and downloads the certificate.
    as_user(client, world.officer)
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert "846.88" in claim_page
    assert "896.88" in claim_page
    certificate_url = reverse("claims:certificate", kwargs={"pk": claim.pk})
    assert certificate_url in claim_page
    assert verify_url(claim) not in claim_page
    response = client.get(certificate_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert as_user(client, world.other_officer).get(certificate_url).status_code == 404


def test_no_certificate_before_certification(client, world):
    claim = started(world)
    url = reverse("claims:certificate", kwargs={"pk": claim.pk})
    for person in (world.officer, world.controller, world.coordinator):
        assert as_user(client, person).get(url).status_code == 404


def test_a_stale_check_is_refused_and_keeps_what_was_typed(client, world):
    claim = started(world)
    sample_draw(claim, by=fresh(world.controller), method=ALL)
    travel = claim.lines.get(kind=LineKind.REAL)
    drawn_from = version_of(travel)
    line_verify(travel, by=fresh(world.controller), deducted="0")  # another tab saved first
    response = as_user(client, world.controller).post(
        line_url(travel),
        {
            "deducted": "20.00",
            "error_type": ErrorType.INELIGIBLE,
            "comment": "Mine",
            "version": drawn_from,
        },
    )
    assert response.status_code == 409
    assert 'value="20.00"' in response.content.decode()
    travel.refresh_from_db()
    assert travel.deducted == 0


def test_a_refused_sample_keeps_what_was_typed(client, world):
    claim = started(world)
    response = as_user(client, world.controller).post(
        reverse("claims:sample", kwargs={"pk": claim.pk}),
        {"method": "random", "percent": "30", "reason": "", "seed": "my-seed"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Say why this share and method were chosen." in content
    assert 'value="my-seed"' in content
    response = client.post(
        reverse("claims:sample", kwargs={"pk": claim.pk}), {"method": "random", "percent": "x"}
    )
    assert response.status_code == 400


def test_parking_and_unparking_a_line(client, world):
    claim = started(world)
    sample_draw(claim, by=fresh(world.controller), method=ALL)
    travel = claim.lines.get(kind=LineKind.REAL)
    as_user(client, world.controller)
    response = client.post(line_url(travel, "claims:line_park"), {"park-comment": ""})
    assert response.status_code == 400
    response = client.post(line_url(travel, "claims:line_park"), {"park-comment": "Paid later."})
    assert response.status_code == 302
    travel.refresh_from_db()
    assert travel.parked
    response = client.post(line_url(travel, "claims:line_unpark"))
    assert response.status_code == 302
    travel.refresh_from_db()
    assert not travel.parked


def test_a_controller_may_not_check_a_flat_rate(client, world):
    claim = started(world)
    sample_draw(claim, by=fresh(world.controller), method=ALL)
    flat = claim.lines.get(kind=LineKind.FLAT_RATE)
    response = as_user(client, world.controller).post(line_url(flat), {"deducted": "0"})
    assert response.status_code == 400
    flat.refresh_from_db()
    assert flat.verified_at is None


def test_checklist_answers_out_of_range_are_refused_on_their_field(client, world):
    question = ChecklistQuestion.objects.create(
        programme=world.programme,
        text="Bookkeeping",
        kind=ChecklistKind.SCORE,
        max_score=5,
    )
    claim = started(world)
    url = reverse("claims:checklist", kwargs={"pk": claim.pk})
    response = as_user(client, world.controller).post(url, {f"q{question.pk}-score": "9"})
    assert response.status_code == 400
    assert 'value="9"' in response.content.decode()
    assert not claim.verification.answers.exists()


# Query counts --------------------------------------------------------------------------------


def measure(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def assert_same(client, small_url: str, large_url: str, pinned: int, *, longer=True) -> None:
    """The page of a small and of a large claim cost ``pinned`` queries each (and the large one
    shows more, where the page lists the lines)."""
    small, few = measure(client, small_url)
    large, many = measure(client, large_url)
    assert (small, large) == (pinned, pinned), f"{small} queries, then {large} with more rows"
    if longer:
        assert len(many) > len(few), "the added rows do not show"


@pytest.fixture
def two_claims(world):
    """Ghent's claim of period 1 (two months, a travel line, the flat rate) and of period 2
    (eight travel lines and the flat rate), both with the controller assigned, sampled in full,
    a line of each checked; and a checklist of three questions, two of them Tandem's."""
    for position, check in enumerate([AutoCheck.MONTHS_SIGNED, AutoCheck.NO_DAY_TWICE]):
        ChecklistQuestion.objects.create(
            programme=world.programme,
            position=position,
            text=f"Automatic {position}",
            kind="yes_no",
            auto_check=check,
        )
    ChecklistQuestion.objects.create(
        programme=world.programme, position=5, text="Anything else?", kind="text"
    )
    ControlAssignment.objects.create(
        controller=world.controller,
        programme=world.programme,
        city=world.city,
        period=world.next_period,
        starts_on=date(2016, 1, 1),
        ends_on=date(2099, 12, 31),
        assigned_by=world.coordinator,
    )
    small = submitted(world)
    large = open_claim(world, world.next_period)
    for number in range(8):
        travel_line(world, large, net=f"{100 + number}.00", invoice_number=f"L-{number}")
    large = claim_submit(large, by=fresh(world.supervisor))
    controller = fresh(world.controller)
    for claim in (small, large):
        verification_start(claim, by=controller)
        claim.refresh_from_db()
        sample_draw(claim, by=controller, method=ALL)
        line_verify(
            claim.lines.filter(kind=LineKind.REAL).first(),
            by=controller,
            deducted="10.00",
            error_type=ErrorType.OTHER,
        )
    return small, large


def test_the_verification_page_costs_the_same_with_more_lines(client, world, two_claims):
    small, large = two_claims
    as_user(client, world.controller)
    assert_same(client, verify_url(small), verify_url(large), PINNED["verify"])


def test_the_certify_page_costs_the_same_with_more_lines(client, world, two_claims):
    small, large = two_claims
    as_user(client, world.controller)
    assert_same(
        client,
        reverse("claims:certify", kwargs={"pk": small.pk}),
        reverse("claims:certify", kwargs={"pk": large.pk}),
        PINNED["certify"],
        longer=False,  # it lists categories, not lines
    )


def test_the_checklist_and_line_pages_cost_a_fixed_number(client, world, two_claims):
    small, large = two_claims
    as_user(client, world.controller)
    for claim in (small, large):
        count, _page = measure(client, reverse("claims:checklist", kwargs={"pk": claim.pk}))
        assert count == PINNED["checklist"]
        line = claim.lines.filter(kind=LineKind.REAL).last()
        count, _page = measure(client, line_url(line))
        assert count == PINNED["line"]


def test_the_control_list_costs_the_same_with_more_assignments(client, world, two_claims):
    as_user(client, world.controller)
    small, _page = measure(client, reverse("claims:control"))
    ControlAssignment.objects.create(
        controller=world.controller,
        programme=world.programme,
        city=world.other_city,
        period=world.period,
        starts_on=date(2016, 1, 1),
        ends_on=date(2099, 12, 31),
        assigned_by=world.coordinator,
    )
    large, page = measure(client, reverse("claims:control"))
    assert (small, large) == (PINNED["control"], PINNED["control"])
    assert "Gdańsk" in page


PINNED = {"verify": 15, "certify": 11, "checklist": 12, "line": 6, "control": 5}


def test_the_verification_pages_are_valid_html(client, world, two_claims, tmp_path):
    """The Nu Html Checker finds no error on the controller's pages (as tests/test_accessibility
    checks the main pages)."""
    import json
    import subprocess

    from tests.test_accessibility import JAVA, VNU, _require

    _require(JAVA, "Java")
    _require(VNU, "vnu-jar")
    small, large = two_claims
    line = large.lines.filter(kind=LineKind.REAL).last()
    urls = [
        reverse("claims:control"),
        verify_url(small),
        verify_url(large),
        reverse("claims:checklist", kwargs={"pk": small.pk}),
        reverse("claims:certify", kwargs={"pk": small.pk}),
        line_url(line),
    ]
    as_user(client, world.controller)
    names = []
    for number, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        name = f"{number:02d}.html"
        (tmp_path / name).write_bytes(response.content)
        names.append(name)
    # A refused form, with its error summary and field messages.
    response = client.post(line_url(line), {"deducted": "5", "comment": "x"})
    assert response.status_code == 400
    (tmp_path / "refused.html").write_bytes(response.content)
    names.append("refused.html")
    run = subprocess.run(  # noqa: S603 - our own command line, no shell
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(run.stderr or run.stdout)
    problems = [f"{m.get('url', '?')}: {m.get('message')}" for m in report["messages"]]
    assert not problems, "\n".join(problems)
