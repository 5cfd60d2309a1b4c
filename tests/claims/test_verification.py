"""The controller's verification through its services: sampling, checks and deductions with
hand-checked figures, parking, the checklist and Tandem's own checks, and the certificate."""

import io
import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from claims import arithmetic
from claims.documents import control_report_pdf
from claims.models import (
    AutoCheck,
    ChecklistKind,
    ChecklistQuestion,
    ClaimAction,
    ClaimLine,
    ClaimStatus,
    ErrorType,
    LineKind,
    Verification,
)
from claims.selectors import claim_figures
from claims.services import claim_submit
from claims.services.verification import (
    auto_checks_run,
    checklist_answer,
    claim_certify,
    line_park,
    line_unpark,
    line_verify,
    sample_draw,
    verification_start,
)
from notifications.models import Notification
from reporting.models import TimesheetMonth
from reporting.services import month_reopen
from tests.claims.factories import build_claim_world, open_claim, travel_line
from tests.reporting.factories import fresh, rate

D = Decimal
ALL = Verification.SampleMethod.ALL
RANDOM = Verification.SampleMethod.RANDOM
RISK = Verification.SampleMethod.RISK


@pytest.fixture
def world(db):
    return build_claim_world()


def submitted(world, *extra_travel):
    """Ghent's claim of period 1 with a travel line of 250.00 (and more of ``extra_travel``),
    submitted by its supervisor."""
    claim = open_claim(world)
    travel_line(world, claim)
    for number, net in enumerate(extra_travel, start=2):
        travel_line(world, claim, net=net, invoice_number=f"T-{number}")
    return claim_submit(claim, by=fresh(world.supervisor))


def in_verification(world, *extra_travel):
    claim = submitted(world, *extra_travel)
    verification_start(claim, by=fresh(world.controller))
    claim.refresh_from_db()
    return claim


def line(claim, **lookup) -> ClaimLine:
    return claim.lines.get(**lookup)


def staff(claim, month: date) -> ClaimLine:
    return line(claim, kind=LineKind.STAFF, month=month)


def test_sample_size_is_the_share_rounded_up_at_least_one():
    assert arithmetic.sample_size(0, 50) == 0
    assert arithmetic.sample_size(3, 10) == 1  # 0.3 → 1
    assert arithmetic.sample_size(5, 40) == 2  # exactly 2
    assert arithmetic.sample_size(5, 50) == 3  # 2.5 → 3
    assert arithmetic.sample_size(7, 100) == 7
    assert arithmetic.sample_size(10, 1) == 1


def test_only_the_assigned_controller_starts_a_submitted_claim(world):
    claim = submitted(world)
    for person in (world.other_controller, world.coordinator, world.supervisor):
        with pytest.raises(ValidationError):
            verification_start(claim, by=fresh(person))
    verification = verification_start(claim, by=fresh(world.controller))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFICATION
    assert verification.controller == world.controller
    assert claim.log.filter(action=ClaimAction.VERIFICATION, actor=world.controller).exists()
    with pytest.raises(ValidationError, match="in verification"):
        verification_start(claim, by=fresh(world.controller))


def test_deductions_hand_checked(world):
    """Staff 250.00 + 312.50 = 562.50; office 15 % of it = 84.375 → 84.38; travel 250.00.
    50.00 off the travel line: travel 200.00 certified, 846.88 in all. Then 100.00 off the
    November month: staff 462.50, office 15 % of 462.50 = 69.375 → 69.38, 15.00 deducted."""
    claim = in_verification(world)
    controller = fresh(world.controller)
    sample_draw(claim, by=controller, method=ALL)
    figures = claim_figures(claim)
    assert figures.totals.claimed == {
        "office": D("84.38"),
        "staff": D("562.50"),
        "travel": D("250.00"),
    }
    assert figures.totals.total_claimed == D("896.88")
    travel = line(claim, kind=LineKind.REAL)
    assert travel.sampled
    assert not line(claim, kind=LineKind.FLAT_RATE).sampled

    line_verify(
        travel,
        by=controller,
        deducted="50.00",
        error_type=ErrorType.NO_PROOF_OF_PAYMENT,
        comment="The bank statement is missing.",
    )
    totals = claim_figures(claim).totals
    assert totals.certified["travel"] == D("200.00")
    assert totals.deducted["travel"] == D("50.00")
    assert totals.total_certified == D("846.88")

    november = staff(claim, date(2016, 11, 1))
    line_verify(november, by=controller, deducted=D("100.00"), error_type=ErrorType.WRONG_RATE)
    line_verify(staff(claim, date(2016, 12, 1)), by=controller, deducted=D(0))
    figures = claim_figures(claim)
    totals = figures.totals
    assert totals.certified["staff"] == D("462.50")
    assert totals.certified["office"] == D("69.38")
    assert totals.deducted["office"] == D("15.00")
    assert totals.total_certified == D("731.88")  # 462.50 + 69.38 + 200.00
    assert totals.total_deducted == D("165.00")
    november.refresh_from_db()
    assert figures.certified(november) == D("150.00")
    assert november.verified_by == world.controller
    assert november.verified_at is not None


def test_a_deduction_is_checked_field_by_field(world):
    claim = in_verification(world)
    controller = fresh(world.controller)
    sample_draw(claim, by=controller, method=ALL)
    travel = line(claim, kind=LineKind.REAL)
    cases = [
        ({"deducted": "50.00"}, "error_type"),  # a deduction names its type of error
        ({"deducted": "250.01", "error_type": ErrorType.INELIGIBLE}, "deducted"),
        ({"deducted": "-1", "error_type": ErrorType.INELIGIBLE}, "deducted"),
        ({"deducted": "0.005", "error_type": ErrorType.INELIGIBLE}, "deducted"),
        ({"deducted": "abc"}, "deducted"),
        ({"deducted": "1", "error_type": "no-such-error"}, "error_type"),
    ]
    for given, field in cases:
        with pytest.raises(ValidationError) as refused:
            line_verify(travel, by=controller, **given)
        assert field in refused.value.message_dict, given
    travel.refresh_from_db()
    assert travel.verified_at is None
    assert travel.deducted is None
    # The whole line may go.
    line_verify(travel, by=controller, deducted="250.00", error_type=ErrorType.INELIGIBLE)
    assert claim_figures(claim).totals.certified["travel"] == D("0.00")


def test_checks_wait_for_the_sample_and_skip_flat_rates(world):
    claim = in_verification(world)
    controller = fresh(world.controller)
    travel = line(claim, kind=LineKind.REAL)
    with pytest.raises(ValidationError, match="Draw the sample first"):
        line_verify(travel, by=controller, deducted=0)
    sample_draw(claim, by=controller, method=RISK, percent=25, reason="Largest first.")
    with pytest.raises(ValidationError, match="flat rate"):
        line_verify(line(claim, kind=LineKind.FLAT_RATE), by=controller, deducted=0)
    # A line outside the sample joins it when checked.
    outside = claim.lines.filter(sampled=False).exclude(kind=LineKind.FLAT_RATE).first()
    line_verify(outside, by=controller, deducted=0)
    outside.refresh_from_db()
    assert outside.sampled
    assert outside.verified_at is not None
    # Someone else may not.
    with pytest.raises(ValidationError):
        line_verify(travel, by=fresh(world.other_controller), deducted=0)


def test_a_random_sample_is_reproducible_from_its_recorded_seed(world):
    # Seven lines to draw from: two months and five travel lines (the flat rate is never drawn).
    claim = in_verification(world, "10.00", "20.00", "30.00", "40.00")
    controller = fresh(world.controller)
    lines = list(claim.lines.exclude(kind=LineKind.FLAT_RATE).order_by("pk"))
    assert len(lines) == 7

    verification = sample_draw(claim, by=controller, method=RANDOM, percent=40, reason="Usual.")
    seed = verification.sample_seed
    assert len(seed) == 16
    assert verification.sample_percent == 40
    drawn = set(claim.lines.filter(sampled=True).values_list("pk", flat=True))
    assert len(drawn) == 3  # 40 % of 7 = 2.8 → 3
    expected = {x.pk for x in random.Random(seed).sample(lines, 3)}  # noqa: S311
    assert drawn == expected
    entry = claim.log.filter(action=ClaimAction.SAMPLED).latest("pk")
    assert entry.details == {
        "method": "random",
        "percent": 40,
        "seed": seed,
        "lines": sorted(drawn),
    }

    # Drawn again with the recorded seed: the same lines.
    sample_draw(claim, by=controller, method=RANDOM, percent=40, reason="Again.", seed=seed)
    assert set(claim.lines.filter(sampled=True).values_list("pk", flat=True)) == drawn
    # Another seed draws from the same lines by the same rule.
    sample_draw(claim, by=controller, method=RANDOM, percent=40, reason="Other.", seed="abc")
    other = {x.pk for x in random.Random("abc").sample(lines, 3)}  # noqa: S311
    assert set(claim.lines.filter(sampled=True).values_list("pk", flat=True)) == other


def test_a_risk_based_sample_takes_the_largest_amounts(world):
    # Lines: staff 250.00 and 312.50, travel 250.00, 1,000.00 and 40.00.
    claim = in_verification(world, "1000.00", "40.00")
    controller = fresh(world.controller)
    sample_draw(claim, by=controller, method=RISK, percent=40, reason="Largest amounts.")
    sampled = list(claim.lines.filter(sampled=True).order_by("pk"))
    assert len(sampled) == 2  # 40 % of 5
    assert {claim_figures(claim).shown(x) for x in sampled} == {D("1000.00"), D("312.50")}
    # 60 %: three lines, the tie at 250.00 broken by key (the November month was made first).
    sample_draw(claim, by=controller, method=RISK, percent=60, reason="More.")
    third = claim.lines.filter(sampled=True).exclude(pk__in=[x.pk for x in sampled]).get()
    assert third == staff(claim, date(2016, 11, 1))


def test_the_sample_is_drawn_again_only_until_a_line_is_checked(world):
    claim = in_verification(world)
    controller = fresh(world.controller)
    for given, field in [
        ({"method": "sometimes"}, "method"),
        ({"method": RANDOM, "percent": 0, "reason": "x"}, "percent"),
        ({"method": RANDOM, "percent": 101, "reason": "x"}, "percent"),
        ({"method": RISK, "percent": 50}, "reason"),
    ]:
        with pytest.raises(ValidationError) as refused:
            sample_draw(claim, by=controller, **given)
        assert field in refused.value.message_dict
    verification = sample_draw(claim, by=controller, method=ALL)
    assert verification.sample_percent == 100
    assert verification.sample_seed == ""
    line_verify(line(claim, kind=LineKind.REAL), by=controller, deducted=0)
    with pytest.raises(ValidationError, match="no longer be drawn again"):
        sample_draw(claim, by=controller, method=RANDOM, percent=50, reason="Again.")


def test_a_parked_line_is_neither_certified_nor_deducted(world):
    claim = in_verification(world)
    controller = fresh(world.controller)
    sample_draw(claim, by=controller, method=ALL)
    travel = line(claim, kind=LineKind.REAL)
    with pytest.raises(ValidationError) as refused:
        line_park(travel, by=controller, comment="  ")
    assert "comment" in refused.value.message_dict
    line_park(travel, by=controller, comment="The invoice is paid next period.")
    totals = claim_figures(claim).totals
    assert totals.certified["travel"] == D("0.00")
    assert totals.deducted["travel"] == D("0.00")
    assert totals.parked("travel") == D("250.00")
    line_unpark(travel, by=controller)
    travel.refresh_from_db()
    assert not travel.parked
    assert travel.verified_at is None


def checklist(world):
    programme = world.programme
    made = {
        check: ChecklistQuestion.objects.create(
            programme=programme,
            position=position,
            text=label,
            kind=ChecklistKind.YES_NO,
            auto_check=check,
        )
        for position, (check, label) in enumerate(AutoCheck.choices)
    }
    made["text"] = ChecklistQuestion.objects.create(
        programme=programme, position=10, text="What did you look at?", kind=ChecklistKind.TEXT
    )
    made["score"] = ChecklistQuestion.objects.create(
        programme=programme,
        position=11,
        text="How reliable is the city's bookkeeping?",
        kind=ChecklistKind.SCORE,
        max_score=5,
    )
    made["yes_no"] = ChecklistQuestion.objects.create(
        programme=programme, position=12, text="Was procurement followed?", kind="yes_no"
    )
    return made


def answers(claim):
    return {
        a.question.auto_check: a
        for a in claim.verification.answers.exclude(question__auto_check="").select_related(
            "question"
        )
    }


def test_tandem_answers_its_own_checks_on_a_clean_claim(world):
    checklist(world)
    claim = in_verification(world)
    found = answers(claim)
    assert set(found) == set(AutoCheck.values)
    for check, answer in found.items():
        assert answer.yes is True, (check, answer.findings)
        assert answer.findings == []
        assert answer.answered_by is None


def test_a_rate_changed_after_approval_fails_the_rate_check(world):
    checklist(world)
    claim = in_verification(world)
    rate(world, world.officer, 2016, "50000")
    auto_checks_run(claim, by=fresh(world.controller))
    answer = answers(claim)[AutoCheck.RATE_FROM_COSTS]
    assert answer.yes is False
    assert len(answer.findings) == 2  # both months of 2016
    assert (
        "the annual costs are 50000.00 in the rate, 43000.00 on the line"
        in (answer.findings[0]["message"])
    )
    assert answers(claim)[AutoCheck.MONTHS_SIGNED].yes is True


def test_a_month_reopened_after_submission_fails_the_signature_check(world):
    checklist(world)
    claim = in_verification(world)
    sheet = TimesheetMonth.objects.get(person=world.officer, month=date(2016, 11, 1))
    month_reopen(sheet, by=fresh(world.coordinator), reason="A day was wrong.")
    auto_checks_run(claim, by=fresh(world.controller))
    found = answers(claim)
    assert found[AutoCheck.MONTHS_SIGNED].yes is False
    [finding] = found[AutoCheck.MONTHS_SIGNED].findings
    assert finding["month"] == "2016-11"
    assert "no longer approved" in finding["message"]
    assert found[AutoCheck.RATE_FROM_COSTS].yes is False  # its figures are gone


def test_an_invoice_claimed_twice_fails_the_double_claim_check(world):
    checklist(world)
    claim = open_claim(world)
    travel_line(world, claim)
    travel_line(world, claim, supplier=" rail  COMPANY", invoice_number="T-1")
    claim = claim_submit(claim, by=fresh(world.supervisor))
    verification_start(claim, by=fresh(world.controller))
    answer = answers(claim)[AutoCheck.NO_DAY_TWICE]
    assert answer.yes is False
    assert len(answer.findings) == 2  # each line names the other
    assert "Invoice T-1 of Rail company is claimed more than once" in answer.findings[0]["message"]


def test_hours_over_the_productive_hours_fail_their_check(world):
    """The rate's share is lowered after approval below the year's approved hours (the rate
    service refuses this for recorded hours, so the row is changed as an import would)."""
    from reporting.models import StaffRate

    checklist(world)
    claim = in_verification(world)
    StaffRate.objects.filter(person=world.officer, year=2016).update(
        working_time_share=D("0.01")
    )  # 17.2 productive hours; 22.5 approved
    auto_checks_run(claim, by=fresh(world.controller))
    answer = answers(claim)[AutoCheck.PRODUCTIVE_HOURS]
    assert answer.yes is False
    [finding] = answer.findings
    assert finding["hours"] == "22.5"
    assert finding["productive_hours"] == "17.2"


def test_checklist_answers_are_checked_by_kind(world):
    questions = checklist(world)
    claim = in_verification(world)
    verification = claim.verification
    controller = fresh(world.controller)
    for question, given, field in [
        (questions["yes_no"], {}, "yes"),
        (questions["text"], {"text": "  "}, "text"),
        (questions["score"], {"score": 6}, "score"),
        (questions["score"], {}, "score"),
    ]:
        with pytest.raises(ValidationError) as refused:
            checklist_answer(verification, question, by=controller, **given)
        assert field in refused.value.message_dict
    answer = checklist_answer(verification, questions["score"], by=controller, score=0)
    assert answer.score == 0
    assert answer.answered_by == world.controller
    with pytest.raises(ValidationError):
        checklist_answer(verification, questions["text"], by=fresh(world.coordinator), text="x")


def test_the_certificate_waits_for_everything_and_names_what_is_missing(world):
    questions = checklist(world)
    claim = in_verification(world)
    controller = fresh(world.controller)
    with pytest.raises(ValidationError) as refused:
        claim_certify(claim, by=controller, conclusion="")
    errors = refused.value.message_dict
    assert errors["conclusion"] == ["Write the conclusion of the verification."]
    assert "The sample is not drawn yet." in errors["__all__"]
    assert any("What did you look at?" in m for m in errors["__all__"])

    sample_draw(claim, by=controller, method=ALL)
    line_verify(line(claim, kind=LineKind.REAL), by=controller, deducted=0)
    with pytest.raises(ValidationError) as refused:
        claim_certify(claim, by=controller, conclusion="Fine.")
    [lines_missing, questions_missing] = refused.value.message_dict["__all__"]
    assert "Olga Officer · 2016-11" in lines_missing
    assert "2016-12" in lines_missing
    assert "Rail" not in lines_missing
    assert "What did you look at?" in questions_missing
    assert "Was procurement followed?" in questions_missing
    assert "Hours per person" not in questions_missing  # answered by Tandem
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFICATION
    assert questions  # used


def certify_ghent(world):
    """The example: 50.00 off the travel line (no proof of payment), 100.00 off November."""
    questions = checklist(world)
    claim = in_verification(world)
    controller = fresh(world.controller)
    verification = claim.verification
    sample_draw(claim, by=controller, method=ALL)
    line_verify(
        line(claim, kind=LineKind.REAL),
        by=controller,
        deducted="50.00",
        error_type=ErrorType.NO_PROOF_OF_PAYMENT,
        comment="No bank statement.",
    )
    line_verify(
        staff(claim, date(2016, 11, 1)),
        by=controller,
        deducted="100.00",
        error_type=ErrorType.WRONG_RATE,
        comment="Four hours were training.",
    )
    line_verify(staff(claim, date(2016, 12, 1)), by=controller, deducted="0")
    checklist_answer(verification, questions["text"], by=controller, text="Receipts, bank.")
    checklist_answer(verification, questions["score"], by=controller, score=4)
    checklist_answer(verification, questions["yes_no"], by=controller, yes=True)
    claim_certify(claim, by=controller, conclusion="Eligible but for the deductions.")
    claim.refresh_from_db()
    return claim


def pdf_text(content: bytes) -> str:
    """The PDF's text, its lines joined (table cells wrap)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_certificate_is_a_tagged_pdf_with_the_figures(world):
    from tests.pdf_structure import check_structure

    claim = certify_ghent(world)
    assert claim.status == ClaimStatus.CERTIFIED
    verification = claim.verification
    assert verification.certified_by == world.controller
    assert verification.conclusion == "Eligible but for the deductions."
    with verification.certificate.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    check_structure(content)
    text = pdf_text(content)
    for expected in (
        "Control certificate",
        "Cleo Controller",
        "Every line",
        "896.88",  # claimed
        "731.88",  # certified: 462.50 + 69.38 + 200.00
        "165.00",  # deducted: 100.00 + 15.00 + 50.00
        "69.38",
        "No proof of payment",
        "No bank statement.",
        "Four hours were training.",
        "Eligible but for the deductions.",
        "Receipts, bank.",
    ):
        assert expected in text, expected
    entry = claim.log.get(action=ClaimAction.CERTIFIED)
    assert entry.details["total_certified"] == "731.88"
    assert entry.details["deducted"] == {"office": "15.00", "staff": "100.00", "travel": "50.00"}
    assert Notification.objects.filter(recipient=world.officer, kind="claims.certified").exists()
    # Certified once.
    with pytest.raises(ValidationError):
        claim_certify(claim, by=fresh(world.controller), conclusion="Again.")


def test_the_control_report_lists_each_check(world):
    from tests.pdf_structure import check_structure

    claim = certify_ghent(world)
    content = control_report_pdf(claim)
    check_structure(content)
    text = pdf_text(content)
    for expected in ("Control report", "Olga Officer · 2016-11", "150.00", "Wrong rate"):
        assert expected in text, expected
