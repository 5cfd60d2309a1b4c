"""The claim as a tagged PDF, for its evidence pack: the header, the lines by category, the
totals, the co-financing and the log of signatures. Rendered with documents.pdf like reporting's
PDFs; every figure from ``selectors.claim_figures``. Times in the city's zone, named; nothing
says when the PDF was made, so that the same claim gives the same file."""

from django.conf import settings
from django.utils import timezone

from config import clock
from documents.pdf import render_pdf
from reporting.timesheet_pdfs import city_zone, plain

from .models import Category, Claim, LineKind
from .selectors import CATEGORY_ORDER, ClaimFigures

TEMPLATE = "claims/pdf/claim.html"


def claim_context(claim: Claim, figures: ClaimFigures) -> dict:
    labels = dict(Category.choices)
    by_category: dict[str, list[dict]] = {}
    for line in figures.lines:
        by_category.setdefault(line.category, []).append(
            {
                "line": line,
                "is_staff": line.kind == LineKind.STAFF,
                "amount": figures.shown(line),
                "certified": figures.certified(line),
            }
        )
    totals = figures.totals
    categories = [
        {
            "label": labels.get(category, category),
            "lines": by_category.get(category, []),
            "claimed": totals.claimed.get(category),
            "deducted": totals.deducted.get(category),
            "certified": totals.certified.get(category),
        }
        for category in sorted(totals.categories, key=CATEGORY_ORDER.index)
    ]
    verification = getattr(claim, "verification", None)
    return {
        "claim": claim,
        "programme": claim.programme,
        "figures": figures,
        "currency": figures.currency,
        "categories": categories,
        "totals": totals,
        "co_financing": figures.co_financing,
        "certified_co_financing": figures.certified_co_financing,
        "own_percent": plain(figures.co_financing.own_rate * 100),
        "log": list(claim.log.select_related("actor").order_by("at", "pk")),
        "verification": verification,
        "zone": clock.zone_name(),
    }


def claim_pdf(claim: Claim, figures: ClaimFigures, *, language: str = "") -> bytes:
    language = language or settings.LANGUAGE_CODE
    with timezone.override(city_zone(claim.city)):
        return render_pdf(TEMPLATE, claim_context(claim, figures), language=language)
