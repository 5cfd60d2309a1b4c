"""Evidence-pack benchmark: a city's claim of 24 approved months and 200 receipts, packed.

Run it against a PostgreSQL database of its own (its name must contain "bench": the script
empties it before seeding)::

    psql postgres://postgres@127.0.0.1:5432/postgres -c "CREATE DATABASE tandem_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench \\
        .venv/bin/python bench/claims_pack.py
    DATABASE_URL=... .venv/bin/python bench/claims_pack.py --receipts 50 --skip-seed

What it seeds. A programme like CITIES-GROW with one city, its supervisor and four officers
recording time on every working day (bench/seed.py: bulk_create, months approved with their
rates frozen as ``services.month_approve`` does, not laid out as PDFs); a reporting period of six
months (2017-01 to 2017-06: 4 × 6 = 24 approved months); the city's claim for it, opened by an
officer (``claim_open``: a staff line per approved month, the flat rate), with ``--receipts``
travel lines each with a receipt of ``--receipt-kb`` KB (random bytes in a PDF shell: they do
not compress, as scanned receipts do not), entered with ``line_save``, and signed by the
supervisor (``claim_submit``). Through the services: a fixture, and the real one.

What it measures, each case in a fresh process for its peak memory (VmHWM):

1. ``pack``: ``services.pack_request`` then the Celery task function ``build_evidence_pack``
   run in-process, end to end (figures, claim PDF, timesheets, tables, receipts, the ZIP,
   storing it). The first run lays out the 24 months (the seed does not); the second
   (``pack-again``, a new pack of the same claim) reuses their stored layouts, as after
   approvals in the portal.
2. The floor, measured the same way in the same run: the same receipts and timesheet PDFs read
   from storage and written into a ZIP (deflated) in a temporary file, then stored as one
   StoredFile: the bytes the pack cannot avoid moving, without anything else.

The figures are printed and written to var/bench/claims-pack.{md,json}; bench/RESULTS.md holds
the runs we keep.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import BinaryIO, cast

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.seed import seed_time  # noqa: E402
from bench.staff_costs import machine, peak_rss_mb  # noqa: E402

SLUG = "bench-claims-pack"
COORDINATOR = "bench.claims.coordinator@example.org"
OFFICERS = 4
PERIOD = (date(2017, 1, 1), date(2017, 6, 30))
RESULT_MARK = "BENCH-RESULT "
CASES = ("pack", "pack-again", "floor")


def receipt_bytes(number: int, kilobytes: int) -> bytes:
    """A receipt of about ``kilobytes`` KB that does not compress (a scan's JPEG in a PDF)."""
    body = random.Random(number).randbytes(kilobytes * 1024)  # noqa: S311 (filler)
    return b"%PDF-1.4\n% bench receipt " + str(number).encode() + b"\n" + body + b"\n%%EOF\n"


def seed(receipts: int, kilobytes: int) -> dict:
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import Membership, Role, User
    from cities.models import City
    from claims.models import (
        Category,
        ClaimLine,
        CostOption,
        CostOptionKind,
        LineKind,
        ReportingPeriod,
    )
    from claims.services import claim_open, claim_submit, line_save
    from documents.models import StoredFile
    from mentoring.demo import data as demo
    from mentoring.models import Participation, Programme

    started = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    password = make_password("bench only, never used to sign in")
    with transaction.atomic():
        programme = Programme.objects.create(
            **{**demo.PROGRAMME, "name": "Bench programme (evidence pack)", "slug": SLUG}
        )
        city = City.objects.create(
            name="Bench city",
            slug="bench-city",
            country="BE",
            latitude=Decimal("51.05"),
            longitude=Decimal("3.72"),
            languages=["en"],
        )
        Participation.objects.create(programme=programme, city=city)
        coordinator = User.objects.create(
            email=COORDINATOR, full_name="Bench coordinator", password=password
        )
        supervisor = User.objects.create(
            email="bench.claims.supervisor@example.org",
            full_name="Bench supervisor",
            password=password,
        )
        Membership.objects.create(user=coordinator, role=Role.COORDINATOR, programme=programme)
        Membership.objects.create(user=supervisor, role=Role.SUPERVISOR, city=city)
        seeded = seed_time(
            programme, [city], [supervisor], officers_per_city=OFFICERS, password=password
        )
        CostOption.objects.create(
            programme=programme,
            name="Office and administration, 15 % of staff costs",
            kind=CostOptionKind.FLAT_RATE,
            category=Category.OFFICE,
            rate=Decimal("0.15"),
        )
        period = ReportingPeriod.objects.create(
            programme=programme,
            number=1,
            starts_on=PERIOD[0],
            ends_on=PERIOD[1],
            deadline=date(2017, 8, 31),
        )
    officer = User.objects.get(pk=seeded["officers"][0].pk)
    claim = claim_open(period=period, city=city, by=officer)
    receipt_started = time.perf_counter()
    for number in range(receipts):
        day = date(2017, 1 + number % 6, 1 + number % 28)
        line_save(
            claim=claim,
            line=ClaimLine(
                kind=LineKind.REAL,
                category=Category.TRAVEL,
                supplier=f"Supplier {number % 17}",
                invoice_number=f"B-{number:04d}",
                invoice_date=day,
                payment_date=day,
                net_amount=Decimal(40 + number % 300) + Decimal("0.45"),
                currency=programme.currency,
                description=f"Trip {number}",
                receipt=StoredFile.store(
                    receipt_bytes(number, kilobytes),
                    filename=f"receipt-{number:04d}.pdf",
                    content_type="application/pdf",
                ),
                receipt_name=f"receipt-{number:04d}.pdf",
            ),
            by=officer,
        )
    receipts_seconds = time.perf_counter() - receipt_started
    claim = claim_submit(claim, by=User.objects.get(pk=supervisor.pk))
    staff = claim.lines.filter(kind=LineKind.STAFF).count()
    return {
        "seconds": time.perf_counter() - started,
        "receipts_seconds": receipts_seconds,
        "staff_months": staff,
        "receipts": receipts,
        "receipt_kb": kilobytes,
        "lines": claim.lines.count(),
    }


# The cases (each in a child process) -----------------------------------------------------------


def child(case: str) -> dict:
    from accounts.models import User
    from claims import packs
    from claims.models import Claim, EvidencePack, LineKind
    from claims.services.packs import pack_request
    from claims.tasks import build_evidence_pack
    from documents import jobs
    from documents.models import StoredFile
    from reporting.models import TimesheetPdf

    baseline = peak_rss_mb()
    claim = Claim.objects.select_related("programme", "city", "period").get(programme__slug=SLUG)
    coordinator = User.objects.get(email=COORDINATOR)
    result: dict = {"case": case, "baseline_rss_mb": baseline}
    if case == "floor":
        lines = list(claim.lines.select_related("receipt", "timesheet_month"))
        stored = [line.receipt for line in lines if line.receipt is not None]
        sheets = [line.timesheet_month_id for line in lines if line.kind == LineKind.STAFF]
        stored += [part.file for part in TimesheetPdf.objects.filter(sheet_id__in=sheets)]
        started, cpu = time.perf_counter(), time.process_time()
        with tempfile.SpooledTemporaryFile(max_size=packs.SPOOL_BYTES) as out:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for number, item in enumerate(stored):
                    info = zipfile.ZipInfo(f"{number:04d}-{item.filename}")
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with item.file.open("rb") as source, archive.open(info, "w") as target:
                        shutil.copyfileobj(source, target, packs.CHUNK)
            saved = StoredFile.store(
                cast(BinaryIO, out), filename="floor.zip", content_type="application/zip"
            )
        result.update(
            seconds=time.perf_counter() - started,
            cpu_seconds=time.process_time() - cpu,
            files=len(stored),
            size=saved.size,
        )
        saved.file.delete(save=False)
        saved.delete()
    else:
        if case == "pack-again":  # a new pack of the same claim: not the one already built
            EvidencePack.objects.filter(claim=claim).update(fingerprint="")
        marks: list[tuple[float, int, str]] = []
        original = jobs.progress_reporter

        def recording(job):
            write = original(job)

            def report(percent: int, note: str = "") -> None:
                marks.append((time.perf_counter() - started, percent, note))
                write(percent, note)

            return report

        jobs.progress_reporter = recording  # an instrument of the benchmark only
        started, cpu = time.perf_counter(), time.process_time()
        pack = pack_request(claim, by=coordinator)
        build_evidence_pack(pack.pk)
        seconds = time.perf_counter() - started
        jobs.progress_reporter = original
        pack.refresh_from_db()
        if pack.file is None:
            return {**result, "error": pack.error or pack.status}
        result.update(
            seconds=seconds,
            cpu_seconds=time.process_time() - cpu,
            phases=phases(marks, seconds),
            files=len(zipfile.ZipFile(pack.file.file.path).namelist()),
            size=pack.file.size,
            sha256=pack.sha256,
        )
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def phases(marks: list[tuple[float, int, str]], seconds: float) -> dict:
    """Time between the builder's progress marks, by kind of file (a mark's note ends with the
    path of the file just written)."""
    result: dict[str, float] = {}
    previous = 0.0
    for at, percent, note in marks:
        path = note.rsplit(": ", 1)[-1] if ": " in note else ""
        if not path and percent <= packs_figures_done():
            name = "figures and the list of files"
        elif path.startswith("timesheets/"):
            name = "timesheets (stored layouts, or laid out)"
        elif path.startswith("receipts/"):
            name = "receipts"
        elif path == "claim.pdf":
            name = "claim.pdf"
        elif path:
            name = "tables, rates, audit trail, control"
        else:
            name = "manifests"
        result[name] = result.get(name, 0.0) + at - previous
        previous = at
    result["manifests and storing the ZIP"] = seconds - previous
    return result


def packs_figures_done() -> int:
    from claims.packs import FIGURES_DONE

    return FIGURES_DONE


def run_child(case: str, timeout: int) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", case]
    try:
        done = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"case": case, "error": f"stopped after {timeout} s without finishing"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    return {"case": case, "error": (done.stderr or done.stdout)[-2000:]}


def markdown(results: dict) -> str:
    info = results["machine"]
    out = [
        "### Evidence pack: 24 approved months and "
        f"{results.get('seed', {}).get('receipts', '?')} receipts",
        "",
        f"`{results['command']}`",
        "",
        f"Machine: {info['cpus']} CPUs, {info['memory_gb']} GB; PostgreSQL {info['postgresql']}, "
        f"Python {info['python']}, Django {info['django']}, WeasyPrint {info['weasyprint']}; "
        f"load average at start {', '.join(f'{x:.1f}' for x in info['load_average_at_start'])}.",
        "",
    ]
    if "seed" in results:
        s = results["seed"]
        out += [
            f"Seeded {s['staff_months']} approved months and {s['receipts']} receipts of "
            f"{s['receipt_kb']} KB ({s['lines']} lines) in {s['seconds']:.1f} s "
            f"(the receipts through line_save: {s['receipts_seconds']:.1f} s).",
            "",
        ]
    floor = next((r for r in results["cases"] if r["case"] == "floor" and "error" not in r), None)
    out += [
        "| case | files | ZIP | time | CPU | ÷ floor | peak RSS (baseline) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["cases"]:
        if "error" in r:
            out.append(f"| {r['case']} | error: {r['error'][-200:]} | | | | | |")
            continue
        ratio = f"{r['seconds'] / floor['seconds']:.1f}×" if floor else ""
        out.append(
            f"| {r['case']} | {r['files']} | {r['size'] / 1e6:.1f} MB | {r['seconds']:.2f} s | "
            f"{r['cpu_seconds']:.2f} s | {ratio} | "
            f"{r['peak_rss_mb']:.0f} MB ({r['baseline_rss_mb']:.0f} MB) |"
        )
    for r in results["cases"]:
        if "phases" in r:
            phases = ", ".join(f"{name} {sec:.2f} s" for name, sec in r["phases"].items())
            out += ["", f"{r['case']}: {phases}."]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--receipts", type=int, default=200, help="receipts (default 200)")
    parser.add_argument("--receipt-kb", type=int, default=100, help="KB each (default 100)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data already seeded")
    parser.add_argument("--timeout", type=int, default=900, help="seconds a case may take")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if args.child:
        print(RESULT_MARK + json.dumps(child(args.child)), flush=True)
        return
    database = settings.DATABASES["default"]
    if connection.vendor != "postgresql" or "bench" not in database["NAME"]:
        raise SystemExit(
            "Run against a PostgreSQL database whose name contains 'bench' (it is emptied): "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench"
        )
    results: dict = {
        "command": "DATABASE_URL=postgres://…/"
        + database["NAME"]
        + " .venv/bin/python "
        + " ".join(["bench/claims_pack.py", *sys.argv[1:]]),
        "machine": machine(),
        "cases": [],
    }
    call_command("migrate", interactive=False, verbosity=0)
    if not args.skip_seed:
        print("Seeding…", flush=True)
        results["seed"] = seed(args.receipts, args.receipt_kb)
    for case in CASES:
        print(f"Measuring: {case}…", flush=True)
        results["cases"].append(run_child(case, args.timeout))
    text = markdown(results)
    print(text)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "claims-pack.md").write_text(text + "\n")
    (out / "claims-pack.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
