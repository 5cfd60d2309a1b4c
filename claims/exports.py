"""A claim's lines as a table: every line with its figures, the totals per category, the grand
total and the co-financing split, all from ``claims.selectors.claim_figures`` (the figures the
claim page shows). The claim's CSV and XLSX downloads and the evidence pack use these."""

from decimal import Decimal

from django.utils.translation import gettext as _

from documents.exports import CsvDocument, XlsxDocument

from .models import Category, ClaimLine, LineKind
from .selectors import CATEGORY_ORDER, ClaimFigures


def _headers() -> list[str]:
    return [
        _("Category"),
        _("Kind"),
        _("Person or supplier"),
        _("Month"),
        _("Hours"),
        _("Cost model"),
        _("Cost option"),
        _("Quantity"),
        _("Amount per unit"),
        _("Flat rate"),
        _("Invoice number"),
        _("Invoice date"),
        _("Payment date"),
        _("Amount"),
        _("VAT not recoverable"),
        _("Currency"),
        _("Exchange rate"),
        _("Visit"),
        _("Receipt"),
        _("Description"),
        _("Amount claimed"),
        _("Amount certified"),
        _("Amount deducted"),
        _("Type of error"),
        _("Parked"),
    ]


def _line_row(figures: ClaimFigures, line: ClaimLine, labels: dict) -> list:
    staff = line.kind == LineKind.STAFF
    return [
        str(labels[line.category]),
        line.get_kind_display(),
        str(line.person) if staff and line.person_id else line.supplier,
        line.month.strftime("%Y-%m") if line.month else None,
        line.hours,
        line.cost_model or None,
        line.cost_option.name if line.cost_option is not None else None,
        line.quantity,
        line.unit_amount,
        line.flat_rate,
        line.invoice_number or None,
        line.invoice_date,
        line.payment_date,
        line.net_amount,
        line.vat if line.kind == LineKind.REAL else None,
        line.currency or None,
        line.exchange_rate,
        str(line.event) if line.event_id else None,
        line.receipt_name or None,
        line.description or None,
        figures.shown(line),
        figures.certified(line),
        line.deducted,
        line.get_error_type_display() if line.error_type else None,
        line.parked,
    ]


def claim_rows(figures: ClaimFigures) -> tuple[list[str], list[list]]:
    """(headers, rows): the lines by category, each category's total after its lines, then the
    grand total, the city's own contribution and the grant. Amounts are rounded once, to the
    currency's minor unit, in the programme's currency."""
    headers = _headers()
    width = len(headers)
    labels = dict(Category.choices)
    totals = figures.totals
    by_category: dict[str, list[ClaimLine]] = {}
    for line in figures.lines:
        by_category.setdefault(line.category, []).append(line)
    rows: list[list] = []
    claimed_at = headers.index(_("Amount claimed"))

    def total_row(label: str, claimed: Decimal, certified=None, deducted=None) -> list:
        row: list = [None] * width
        row[0] = label
        row[claimed_at] = claimed
        row[claimed_at + 1] = certified
        row[claimed_at + 2] = deducted
        return row

    certified_shown = figures.claim.status == "certified"
    for category in CATEGORY_ORDER:
        if category not in by_category:
            continue
        rows.extend(_line_row(figures, line, labels) for line in by_category[category])
        rows.append(
            total_row(
                _("Total: %(category)s") % {"category": labels[category]},
                totals.claimed[category],
                totals.certified[category] if certified_shown else None,
                totals.deducted[category] if certified_shown else None,
            )
        )
    rows.append(
        total_row(
            _("Total (%(currency)s)") % {"currency": figures.currency},
            totals.total_claimed,
            totals.total_certified if certified_shown else None,
            totals.total_deducted if certified_shown else None,
        )
    )
    split = figures.co_financing
    rows.append(total_row(_("Own contribution of the city"), split.own_contribution))
    rows.append(total_row(_("Grant"), split.grant))
    return headers, rows


def write_csv(figures: ClaimFigures) -> bytes:
    headers, rows = claim_rows(figures)
    document = CsvDocument()
    try:
        document.section(None, headers)
        document.rows(rows)
        return document.getvalue()
    finally:
        document.close()


def write_xlsx(figures: ClaimFigures) -> bytes:
    headers, rows = claim_rows(figures)
    document = XlsxDocument()
    document.sheet(_("Claim lines"), headers).rows(rows)
    return document.getvalue()
