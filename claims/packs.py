"""The evidence pack of a claim: one ZIP with everything an auditor asks for behind it.

``produce_pack`` is what the Celery task runs (through ``documents.jobs.run``). The pack holds

- ``claim.pdf``: the claim itself (pack_documents.claim_pdf);
- ``timesheets/<person>-<YYYY-MM>.pdf``: each staff line's approved month with its signatures,
  the layout reporting keeps for the month (reporting.timesheet_pdfs), reused, not laid out again;
- ``rates.csv``: the rate derivation per person and year;
- ``receipts/<line id>-<file name>``: every line's receipt, streamed from storage and checked
  against the checksum it was stored with;
- ``control/certificate.pdf`` and ``control/report.pdf`` when the claim has them;
- ``lines.csv`` and ``lines.xlsx``: every line with its figures, and the totals;
- ``audit-trail.csv``: the claim's log and the audit trail of the claim, its lines, its
  verification and its staff months;
- ``manifest.json`` and ``MANIFEST.sha256`` (``sha256sum -c`` reads it): each file's SHA-256
  and size.

The same claim in the same state gives the same bytes: entries are written in the order of
their names (the two manifests last), every entry carries one fixed moment (the claim's
submission, as a ZIP stores it), and nothing in the files says when the pack was built. Every
figure comes from ``selectors.claim_figures``, rounded once.
"""

import csv
import hashlib
import importlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import BinaryIO, cast

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.slugs import slug_from
from documents import jobs
from documents.exports import XlsxDocument, _csv_cell
from documents.models import StoredFile
from documents.money import Money
from reporting import selectors as time_selectors
from reporting.costs import CostFigures, cents, rate_divisor, rate_for
from reporting.models import TimesheetMonth
from reporting.timesheet_pdfs import city_zone, timesheet_pdfs

from .models import Category, Claim, ClaimLine, EvidencePack, LineKind, Verification
from .selectors import ClaimFigures, claim_figures

ZIP_TYPE = "application/zip"
CHUNK = 1024 * 1024
# The earliest moment a ZIP can hold; a claim never submitted (not packed) would take it.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Where the pack's steps sit on the progress bar.
FIGURES_DONE = 5
FILES_DONE = 95
# Kept in memory up to this size, then on disk: a pack of many receipts does not fill memory.
SPOOL_BYTES = 16 * 1024 * 1024

Progress = jobs.Progress
Chunks = Callable[[], Iterable[bytes]]


@dataclass(frozen=True)
class Entry:
    """One file of the pack: its path, and what writes its bytes (chunk by chunk)."""

    path: str
    chunks: Chunks
    note: str = ""


def pack_moment(claim: Claim) -> tuple[int, int, int, int, int, int]:
    """The one moment every entry carries: the claim's submission, in UTC."""
    if claim.submitted_at is None:
        return ZIP_EPOCH
    moment = claim.submitted_at.astimezone(UTC)
    moment = moment.replace(second=moment.second - moment.second % 2)  # a ZIP counts in 2 s
    return max(ZIP_EPOCH, tuple(moment.timetuple())[:6])  # type: ignore[return-value]


def pack_filename(claim: Claim) -> str:
    """E.g. evidence-pack_cities-grow_ghent_period-1_v4.zip (ASCII, for every browser)."""
    programme = slug_from(claim.programme.slug) or f"programme-{claim.programme_id}"
    city = slug_from(claim.city.name) or f"city-{claim.city_id}"
    return f"evidence-pack_{programme}_{city}_period-{claim.period.number}_v{claim.version}.zip"


def _safe(name: str, fallback: str) -> str:
    """A file name that stays one name inside the ZIP, in every unpacker."""
    name = re.sub(r"[^\w.\-]+", "-", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("-.")
    return name[:120] or fallback


def _utc(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat() if moment is not None else ""


# The tables ----------------------------------------------------------------------------------


def _csv(headers: list[str], rows: Iterable[Iterable]) -> bytes:
    """A CSV file (UTF-8 with a BOM, formulas neutralised, as every export of Tandem)."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([_csv_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + text.getvalue()).encode()


def _category_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Category.choices}


def line_table(figures: ClaimFigures) -> tuple[list[str], list[list]]:
    """Every line of the claim with its figures, then the totals by category and the
    co-financing: the rows of lines.csv and lines.xlsx. Amounts are claim_figures', rounded
    once; the full-precision amount is given beside the rounded one."""
    currency = figures.currency
    categories = _category_labels()
    kinds = dict(LineKind.choices)

    def money(amount: Decimal | None) -> Money | None:
        return None if amount is None else Money(cents(amount, currency), currency)

    headers = [
        _("Line"),
        _("Category"),
        _("Kind"),
        _("Person"),
        _("Month"),
        _("Hours"),
        _("Supplier"),
        _("Invoice number"),
        _("Invoice date"),
        _("Payment date"),
        _("Amount"),
        _("VAT not recoverable"),
        _("Currency"),
        _("Exchange rate"),
        _("Quantity"),
        _("Amount per unit"),
        _("Flat rate"),
        _("Description"),
        _("Receipt"),
        _("Claimed (%(currency)s, full precision)") % {"currency": currency},
        _("Claimed (%(currency)s)") % {"currency": currency},
        _("Deducted (%(currency)s)") % {"currency": currency},
        _("Type of error"),
        _("Certified (%(currency)s)") % {"currency": currency},
        _("Parked"),
    ]
    rows: list[list] = []
    for line in figures.lines:
        rows.append(
            [
                line.pk,
                categories.get(line.category, line.category),
                str(kinds.get(line.kind, line.kind)),
                str(line.person) if line.person_id else "",
                line.month.strftime("%Y-%m") if line.month else "",
                line.hours,
                line.supplier,
                line.invoice_number,
                line.invoice_date,
                line.payment_date,
                line.net_amount,
                line.vat if line.kind == LineKind.REAL else None,
                line.currency,
                line.exchange_rate,
                line.quantity,
                line.unit_amount,
                line.flat_rate,
                line.description,
                receipt_path(line) if line.receipt_id else "",
                figures.amounts[line.pk],
                money(figures.amounts[line.pk]),
                money(line.deducted),
                line.get_error_type_display() if line.error_type else "",
                money(figures.certified(line)),
                line.parked,
            ]
        )
    totals = figures.totals
    claimed_at, deducted_at, certified_at = 20, 21, 23  # the columns of the rounded amounts

    def summary(label: str, category: str, claimed, deducted, certified) -> list:
        row: list = [""] * len(headers)
        row[0], row[1] = label, category
        row[claimed_at], row[deducted_at], row[certified_at] = claimed, deducted, certified
        return row

    rows.append([])
    rows.append(summary(_("Totals by category"), "", _("Claimed"), _("Deducted"), _("Certified")))
    for category in totals.categories:
        rows.append(
            summary(
                "",
                categories.get(category, category),
                money(totals.claimed[category]),
                money(totals.deducted[category]),
                money(totals.certified[category]),
            )
        )
    rows.append(
        summary(
            _("Total"),
            "",
            money(totals.total_claimed),
            money(totals.total_deducted),
            money(totals.total_certified),
        )
    )
    own, certified_own = figures.co_financing, figures.certified_co_financing
    rows.append([])
    rows.append(
        summary(
            _("Own contribution (co-financing rate %(rate)s)") % {"rate": own.own_rate},
            "",
            money(own.own_contribution),
            "",
            money(certified_own.own_contribution),
        )
    )
    rows.append(summary(_("Grant"), "", money(own.grant), "", money(certified_own.grant)))
    return headers, rows


def _csv_value(value) -> object:
    if isinstance(value, Money):
        return value.amount
    return value


def lines_csv(figures: ClaimFigures) -> bytes:
    headers, rows = line_table(figures)
    return _csv(headers, ([_csv_value(v) for v in row] for row in rows))


def lines_xlsx(figures: ClaimFigures, moment: tuple) -> bytes:
    headers, rows = line_table(figures)
    document = XlsxDocument()
    sheet = document.sheet(_("Lines"), headers, widths=(8, 20, 20, 22, 9, 8, 22, 14))
    sheet.rows(rows)
    return fixed_zip(document.getvalue(), moment)


def fixed_zip(data: bytes, moment: tuple) -> bytes:
    """A ZIP-based file (XLSX) written again with one fixed moment on every entry and in its
    document properties, so that the same rows give the same bytes."""
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*moment)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp.encode() + m.group(3),
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=moment)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def rates_csv(figures: ClaimFigures) -> bytes:
    """The rate derivation of every person and year claimed: annual costs ÷ (productive hours or
    working days × working-time share) = the rate, at full precision; then the months and
    hours claimed at it and their amount (claim_figures')."""
    claim, currency = figures.claim, figures.currency
    cost_figures = CostFigures.of(claim.programme)
    groups: dict[tuple, list[ClaimLine]] = {}
    for line in figures.lines:
        if line.kind != LineKind.STAFF or not line.working_time_share or line.month is None:
            continue
        key = (
            str(line.person),
            line.person_id,
            line.month.year,
            line.cost_model,
            line.annual_costs,
            line.currency or currency,
            line.working_time_share,
        )
        groups.setdefault(key, []).append(line)
    headers = [
        _("Person"),
        _("Year"),
        _("Annual personnel costs"),
        _("Currency of the annual costs"),
        _("Working-time share"),
        _("Cost model"),
        _("Productive hours of a full-time year"),
        _("Working days of a full-time year"),
        _("Divisor (hours or days at the share)"),
        _("Rate (full precision, in the currency of the annual costs)"),
        _("Exchange rates used"),
        _("Months claimed"),
        _("Hours claimed"),
        _("Amount (%(currency)s, full precision)") % {"currency": currency},
        _("Amount (%(currency)s)") % {"currency": currency},
    ]
    rows = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2], k[3], str(k[4]))):
        person, _person_id, year, cost_model, annual, costs_currency, share = key
        lines = groups[key]
        annual = annual or Decimal(0)
        amount = sum((figures.amounts[line.pk] for line in lines), Decimal(0))
        rows.append(
            [
                person,
                year,
                annual,
                costs_currency,
                share,
                cost_model,
                cost_figures.productive_hours_per_year,
                cost_figures.working_days_per_year,
                rate_divisor(cost_model, share, cost_figures),
                rate_for(cost_model, annual, share, cost_figures),
                " ".join(sorted({str(line.exchange_rate) for line in lines if line.exchange_rate})),
                " ".join(f"{line.month:%Y-%m}" for line in lines if line.month),
                sum((line.hours or Decimal(0) for line in lines), Decimal(0)),
                amount,
                cents(amount, currency),
            ]
        )
    return _csv(headers, rows)


def audit_trail_csv(claim: Claim, figures: ClaimFigures) -> bytes:
    """The claim's log (signatures and decisions) and the audit trail's changes of the claim, its
    lines, its verification and its staff months, oldest first, times in UTC."""
    headers = [
        _("At (UTC)"),
        _("Record"),
        _("Object"),
        _("Object id"),
        _("Action"),
        _("By"),
        _("IP address"),
        _("Comment or changes"),
    ]
    rows: list[tuple] = []
    for entry in claim.log.select_related("actor").order_by("at", "pk"):
        rows.append(
            (
                entry.at,
                0,
                entry.pk,
                [
                    _utc(entry.at),
                    _("Claim log"),
                    str(Claim._meta.verbose_name),
                    claim.pk,
                    entry.get_action_display(),
                    str(entry.actor),
                    entry.ip_address or "",
                    " · ".join(
                        filter(
                            None,
                            [entry.comment, json.dumps(entry.details, sort_keys=True)]
                            if entry.details
                            else [entry.comment],
                        )
                    ),
                ],
            )
        )
    objects: dict[type[models.Model], list[int]] = {
        Claim: [claim.pk],
        ClaimLine: [line.pk for line in figures.lines],
        TimesheetMonth: [x.timesheet_month_id for x in figures.lines if x.timesheet_month_id],
    }
    verification = Verification.objects.filter(claim=claim).values_list("pk", flat=True).first()
    if verification is not None:
        objects[Verification] = [verification]
    actions = dict(LogEntry.Action.choices)
    for model, ids in objects.items():
        if not ids:
            continue
        content_type = ContentType.objects.get_for_model(model)
        entries = LogEntry.objects.filter(
            content_type=content_type, object_pk__in=[str(pk) for pk in ids]
        ).select_related("actor")
        for log_entry in entries.order_by("timestamp", "pk"):
            rows.append(
                (
                    log_entry.timestamp,
                    1,
                    log_entry.pk,
                    [
                        _utc(log_entry.timestamp),
                        _("Audit trail"),
                        str(model._meta.verbose_name),
                        log_entry.object_pk,
                        str(actions.get(log_entry.action, log_entry.action)),
                        str(log_entry.actor) if log_entry.actor_id else "",
                        log_entry.remote_addr or "",
                        json.dumps(log_entry.changes_dict, sort_keys=True, default=str),
                    ],
                )
            )
    rows.sort(key=lambda row: row[:3])
    return _csv(headers, (row[3] for row in rows))


# The files -----------------------------------------------------------------------------------


def receipt_path(line: ClaimLine) -> str:
    name = line.receipt_name or (line.receipt.filename if line.receipt is not None else "")
    return f"receipts/{line.pk}-{_safe(name, 'receipt')}"


def _stored_chunks(stored: StoredFile, what: str) -> Chunks:
    """A stored file read in chunks, checked against the checksum it was stored with: a file
    missing from storage, or changed there, fails the pack with the reason."""

    def chunks() -> Iterator[bytes]:
        checksum = hashlib.sha256()
        try:
            handle = stored.file.open("rb")
        except (FileNotFoundError, OSError):
            raise PackError(
                _("%(what)s is missing from the file storage (%(name)s).")
                % {"what": what, "name": stored.filename}
            ) from None
        with handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                checksum.update(chunk)
                yield chunk
        if checksum.hexdigest() != stored.sha256:
            raise PackError(
                _("%(what)s has changed in the file storage since it was stored (%(name)s).")
                % {"what": what, "name": stored.filename}
            )

    return chunks


class PackError(Exception):
    """Why a pack cannot be built, in words the person who asked reads."""


def _once(content: Callable[[], bytes]) -> Chunks:
    return lambda: [content()]


def _timesheet_entries(claim: Claim, figures: ClaimFigures) -> list[Entry]:
    """Each staff line's approved month as the PDF reporting keeps for it (made once, stored,
    and read here), with both signatures, in the city's zone and the site's language."""
    sheets = {
        line.timesheet_month_id: line
        for line in figures.lines
        if line.kind == LineKind.STAFF and line.timesheet_month_id
    }
    if not sheets:
        return []
    months = [line.month for line in sheets.values() if line.month]
    rows = [
        row
        for row in time_selectors.person_months(
            claim.programme, city=claim.city, first_month=min(months), last_month=max(months)
        )
        if row.sheet_id in sheets
    ]
    missing = set(sheets) - {row.sheet_id for row in rows}
    if missing:
        line = sheets[min(missing)]
        raise PackError(
            _("The month %(month)s of %(person)s is no longer approved; reopen the claim.")
            % {"month": f"{line.month:%Y-%m}", "person": line.person}
        )
    days = time_selectors.timesheet_days([row.sheet_id for row in rows])
    currency = figures.currency
    entries = []
    for row in rows:

        def content(row=row) -> bytes:
            with timezone.override(city_zone(claim.city)):
                pages = timesheet_pdfs(
                    [(row, days.get(row.sheet_id, []))],
                    currency=currency,
                    language=settings.LANGUAGE_CODE,
                )
            return pages[0][0]

        person = _safe(slug_from(row.person) or f"person-{row.person_id}", "person")
        entries.append(
            Entry(f"timesheets/{person}-{row.month:%Y-%m}.pdf", _once(content), _("Timesheets"))
        )
    return entries


def _control_entries(claim: Claim) -> list[Entry]:
    verification = Verification.objects.filter(claim=claim).select_related("certificate").first()
    if verification is None:
        return []
    entries = []
    if verification.certificate is not None:
        entries.append(
            Entry(
                "control/certificate.pdf",
                _stored_chunks(verification.certificate, _("The control certificate")),
            )
        )
    try:  # the control report comes with the verification area (claims.documents)
        documents = importlib.import_module("claims.documents")
    except ImportError:
        documents = None
    control_report_pdf = getattr(documents, "control_report_pdf", None)
    if control_report_pdf is not None:
        entries.append(Entry("control/report.pdf", _once(lambda: control_report_pdf(claim))))
    return entries


def pack_entries(claim: Claim, figures: ClaimFigures) -> list[Entry]:
    """Every file of the pack but the manifests, in the order of their paths."""
    from .pack_documents import claim_pdf  # WeasyPrint only where PDFs are made

    moment = pack_moment(claim)
    entries = [
        Entry("claim.pdf", _once(lambda: claim_pdf(claim, figures)), _("The claim PDF")),
        Entry("rates.csv", _once(lambda: rates_csv(figures))),
        Entry("lines.csv", _once(lambda: lines_csv(figures))),
        Entry("lines.xlsx", _once(lambda: lines_xlsx(figures, moment))),
        Entry("audit-trail.csv", _once(lambda: audit_trail_csv(claim, figures))),
        *_timesheet_entries(claim, figures),
        *_control_entries(claim),
    ]
    for line in figures.lines:
        if line.receipt is not None:
            what = _("The receipt of line %(line)s") % {"line": line.pk}
            entries.append(Entry(receipt_path(line), _stored_chunks(line.receipt, what)))
    paths = [entry.path for entry in entries]
    if len(set(paths)) != len(paths):
        raise PackError(_("Two files of the pack would have the same name."))
    return sorted(entries, key=lambda entry: entry.path)


def write_pack(claim: Claim, out: BinaryIO, progress: Progress) -> str:
    """Write the pack of the claim to ``out``; returns the SHA-256 of the ZIP."""
    moment = pack_moment(claim)
    progress(1, _("Adding up the claim"))
    figures = claim_figures(claim)
    entries = pack_entries(claim, figures)
    progress(FIGURES_DONE, _("Figures ready"))
    listed: list[dict] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:

        def add(path: str, chunks: Iterable[bytes]) -> None:
            info = zipfile.ZipInfo(path, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            checksum, size = hashlib.sha256(), 0
            with archive.open(info, "w", force_zip64=True) as target:
                for chunk in chunks:
                    checksum.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
            listed.append({"path": path, "sha256": checksum.hexdigest(), "size": size})

        for done, entry in enumerate(entries, start=1):
            add(entry.path, entry.chunks())
            progress(
                FIGURES_DONE + (FILES_DONE - FIGURES_DONE) * done // len(entries),
                _("File %(done)s of %(total)s: %(path)s")
                % {"done": done, "total": len(entries), "path": entry.path},
            )
        manifest = {
            "claim": claim.pk,
            "programme": claim.programme.name,
            "city": claim.city.name,
            "period": claim.period.number,
            "status": claim.status,
            "version": claim.version,
            "submitted_at": _utc(claim.submitted_at),
            "currency": figures.currency,
            "total_claimed": str(figures.totals.total_claimed),
            "total_certified": str(figures.totals.total_certified),
            "files": listed,
        }
        sums = "".join(f"{item['sha256']}  {item['path']}\n" for item in listed)
        add("manifest.json", [json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n"])
        add("MANIFEST.sha256", [sums.encode()])
    progress(FILES_DONE, _("Storing the pack"))
    out.seek(0)
    checksum = hashlib.sha256()
    for chunk in iter(lambda: out.read(CHUNK), b""):
        checksum.update(chunk)
    out.seek(0)
    return checksum.hexdigest()


def _claim_of(pack: EvidencePack) -> Claim:
    return Claim.objects.select_related("programme", "city", "period", "submitted_by").get(
        pk=pack.claim_id
    )


def build_pack(pack: EvidencePack, progress: Progress) -> bytes:
    """The pack's ZIP, whole, in memory (tests; the job writes it to a temporary file)."""
    out = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        write_pack(_claim_of(pack), out, progress)
    return out.getvalue()


def produce_pack(pack: EvidencePack, *, progress: Progress) -> jobs.Produced:
    """Write the pack to a temporary file for the job runner to store and attach. Nothing is
    attached until the whole ZIP is stored; a failure leaves the pack without a file."""
    claim = _claim_of(pack)
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by Produced)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            digest = write_pack(claim, cast(BinaryIO, out), progress)
            note = _("The evidence pack is stored.")
    except BaseException:
        out.close()
        raise
    EvidencePack.objects.filter(pk=pack.pk).update(sha256=digest)
    return jobs.Produced(
        files={"file": jobs.Output(out, pack_filename(claim), ZIP_TYPE)},  # type: ignore[arg-type]
        note=note,
        close=out.close,
    )
