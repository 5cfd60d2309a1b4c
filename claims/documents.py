"""A claim's verification on paper: the control certificate and the control report, tagged PDFs
(PDF/UA-1) rendered by ``documents.pdf`` like every other document of Tandem. Every amount comes
from ``claims.selectors.claim_figures``; times are in the city's zone."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from config import clock
from documents.pdf import render_pdf
from reporting.timesheet_pdfs import city_zone

from .models import Category, ChecklistAnswer, ChecklistQuestion, Claim, ClaimLine, Verification
from .selectors import CATEGORY_ORDER, ClaimFigures, claim_figures

CERTIFICATE_TEMPLATE = "claims/pdf/certificate.html"
REPORT_TEMPLATE = "claims/pdf/control_report.html"


@dataclass(frozen=True)
class CategoryRow:
    label: str
    claimed: Decimal
    certified: Decimal
    deducted: Decimal
    parked: Decimal


@dataclass(frozen=True)
class LineRow:
    line: ClaimLine
    claimed: Decimal
    certified: Decimal | None


def category_rows(figures: ClaimFigures) -> list[CategoryRow]:
    """Claimed, certified, deducted and parked per category, in the categories' order."""
    labels = dict(Category.choices)
    totals = figures.totals
    return [
        CategoryRow(
            str(labels.get(category, category)),
            totals.claimed[category],
            totals.certified[category],
            totals.deducted[category],
            totals.parked(category),
        )
        for category in sorted(totals.categories, key=CATEGORY_ORDER.index)
    ]


def line_rows(figures: ClaimFigures, lines: list[ClaimLine]) -> list[LineRow]:
    return [LineRow(line, figures.shown(line), figures.certified(line)) for line in lines]


def checklist_rows(verification: Verification | None, claim: Claim) -> list[tuple]:
    """(question, answer or None) for each question of the programme's checklist."""
    answers: dict[int, ChecklistAnswer] = {}
    if verification is not None:
        answers = {answer.question_id: answer for answer in verification.answers.all()}
    return [
        (question, answers.get(question.pk))
        for question in ChecklistQuestion.objects.filter(programme_id=claim.programme_id)
    ]


def _context(claim: Claim) -> dict:
    claim = Claim.objects.select_related("programme", "city", "period").get(pk=claim.pk)
    verification = (
        Verification.objects.select_related("controller", "certified_by")
        .filter(claim=claim)
        .first()
    )
    figures = claim_figures(claim)
    sampled = [line for line in figures.lines if line.sampled]
    return {
        "claim": claim,
        "programme": claim.programme,
        "verification": verification,
        "figures": figures,
        "currency": figures.currency,
        "categories": category_rows(figures),
        "totals": figures.totals,
        "sampled": line_rows(figures, sampled),
        "deductions": line_rows(figures, [line for line in sampled if line.deducted]),
        "parked": line_rows(figures, [line for line in figures.lines if line.parked]),
        "lines_count": len([line for line in figures.lines if line.kind != "flat_rate"]),
        "checklist": checklist_rows(verification, claim),
        "generated_at": clock.now(),
        "zone": city_zone(claim.city),
    }


def _render(template: str, claim: Claim) -> bytes:
    language = translation.get_language() or settings.LANGUAGE_CODE
    with timezone.override(city_zone(claim.city)):
        context = _context(claim)
        # Through the parts' merge with no parts: it makes the running header and page numbers
        # artifacts, so that every page's marked content is in the structure tree (PDF/UA-1).
        return render_pdf(template, context, language=language, parts=[])


def certificate_pdf(claim: Claim) -> bytes:
    """The control certificate: the claim, the controller, the sample, claimed, certified and
    deducted per category and in total, the deductions with their types of error, the
    checklist, the conclusion and the date."""
    return _render(CERTIFICATE_TEMPLATE, claim)


def control_report_pdf(claim: Claim) -> bytes:
    """The control report: each sampled line with its check, the parked lines, and the
    checklist with what Tandem found."""
    return _render(REPORT_TEMPLATE, claim)
