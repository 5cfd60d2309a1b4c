"""Staff-cost benchmark: the totals of a large programme and the report job that prints them.

Run it against a PostgreSQL database of its own (its name must contain "bench": the script
empties it before seeding)::

    psql postgres://postgres@127.0.0.1:5432/postgres -c "CREATE DATABASE tandem_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench \\
        .venv/bin/python bench/staff_costs.py --size 1
    DATABASE_URL=... .venv/bin/python bench/staff_costs.py --size 25 --steps totals,city

What it seeds (bench/seed.py: bulk_create and COPY, not the services; a fixture, but a
consistent one). One programme like CITIES-GROW (2016-10 to 2018-09, hourly model) with
16 × size cities of five officers and one supervisor each; every officer records one entry on
every working day of the two years (size 1: 80 officers, ≈ 41,800 entries, 1,920 monthly
timesheets; size 25: 400 cities,
2,000 officers, ≈ 1,044,000 entries). Size grows the number of cities rather than the officers
per city, so a city's report stays the size of a real city's while the programme grows. Each
officer has a rate per year (one in five part-time); months up to June 2018 are approved with
the rate frozen on them exactly as ``services.month_approve`` does, July and August 2018 are
submitted, September 2018 is open.

What it measures.

1. The totals: ``selectors.staff_cost_summary`` over the whole period, for all cities and for
   one, against one raw SQL query (hours per person-month from the entries, cost = frozen rate ×
   hours, summed per city); median of several runs; the totals must be equal to the cent. Also
   timed: the report's figures that are lists rather than totals (hours by activity, which
   needs the entries, and the months not counted).
2. The report job end to end, each case in a fresh process for its peak memory:
   ``services.report_request`` then the Celery task function ``build_staff_cost_report`` run
   in-process, for one city (twice: the first lays out the approved months, which the seed
   does not, and the second reuses them, as after approvals in the portal) and for all
   cities; and the CSV and XLSX alone (``reports._Tables``, no PDF) for the same scopes. A
   case that runs longer than ``--timeout`` is stopped and reported as such.

The figures are printed and written to var/bench/staff-costs-size-N.{md,json}; bench/RESULTS.md
holds the runs we keep, with the interpretation.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.seed import FIRST_MONTH, LAST_MONTH, seed_time, vacuum_analyze  # noqa: E402

CITIES_AT_SIZE_1 = 16
OFFICERS_PER_CITY = 5
RESULT_MARK = "BENCH-RESULT "
STEPS = ("totals", "city", "all", "tables")


def slug_for(size: int) -> str:
    return f"bench-size-{size}"


def coordinator_email(size: int) -> str:
    return f"bench.coordinator.{size}@example.org"


# Seeding -----------------------------------------------------------------------------------------


def seed(size: int) -> dict:
    """Empty the bench database and load the programme of the given size."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import Membership, Role, User
    from cities.models import City
    from mentoring.demo import data as demo
    from mentoring.models import Participation, Programme
    from reporting.models import TimeEntry

    started = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    n_cities = CITIES_AT_SIZE_1 * size
    countries = ["BE", "DE", "ES", "FI", "FR", "GR", "NL", "PL", "PT", "SE", "IT", "AT"]
    password = make_password("bench only, never used to sign in")

    with transaction.atomic():
        fields = {
            **demo.PROGRAMME,
            "name": f"Bench programme (size {size})",
            "slug": slug_for(size),
        }
        fields["budget"] = demo.PROGRAMME["budget"] * size
        programme = Programme.objects.create(**fields)
        cities = City.objects.bulk_create(
            City(
                name=f"Bench city {n:04d}",
                slug=f"bench-city-{n:04d}",
                country=countries[n % len(countries)],
                latitude=Decimal("40") + Decimal(n % 200) / 10,
                longitude=Decimal("-5") + Decimal(n % 300) / 10,
                languages=["en"],
            )
            for n in range(n_cities)
        )
        Participation.objects.bulk_create(
            Participation(programme=programme, city=city) for city in cities
        )
        coordinator = User.objects.create(
            email=coordinator_email(size), full_name="Bench coordinator", password=password
        )
        supervisors = User.objects.bulk_create(
            User(
                email=f"bench.supervisor.{n:04d}@example.org",
                full_name=f"Supervisor of city {n:04d}",
                password=password,
            )
            for n in range(n_cities)
        )
        Membership.objects.bulk_create(
            [Membership(user=coordinator, role=Role.COORDINATOR, programme=programme)]
            + [
                Membership(user=user, role=Role.SUPERVISOR, city=city)
                for user, city in zip(supervisors, cities, strict=True)
            ]
        )
        seeded_time = seed_time(
            programme, cities, supervisors, officers_per_city=OFFICERS_PER_CITY, password=password
        )
    seeded = time.perf_counter() - started
    vacuum_analyze(("reporting_timeentry", "reporting_timesheetmonth", "reporting_staffrate"))
    return {
        "seconds": seeded,
        "seconds_with_vacuum": time.perf_counter() - started,
        "cities": n_cities,
        "officers": len(seeded_time["officers"]),
        "entries": TimeEntry.objects.filter(programme=programme).count(),
        "months": seeded_time["months"],
        "approved_months": seeded_time["approved_months"],
    }


# 1. Totals ---------------------------------------------------------------------------------------

RAW_TOTALS = """
WITH person_months AS (
    SELECT m.id, m.city_id, m.rate, SUM(e.hours) AS hours
    FROM reporting_timesheetmonth m
    JOIN reporting_timeentry e ON e.timesheet_id = m.id
    WHERE m.programme_id = %s AND m.status = 'approved' AND m.month BETWEEN %s AND %s
    GROUP BY m.id, m.city_id, m.rate
)
SELECT city_id, SUM(hours), SUM(rate * hours) FROM person_months GROUP BY city_id
"""
RAW_CITY_TOTALS = RAW_TOTALS.replace(
    "m.programme_id = %s", "m.programme_id = %s AND m.city_id = %s"
)


class QueryClock:
    """Counts the queries and the time spent waiting for the database."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def measure_totals(programme, runs: int, city=None) -> dict:
    """The totals of all cities, or of one ``city``, against the raw SQL query."""
    from django.db import connection

    from reporting import selectors
    from reporting.costs import cents

    first, last = FIRST_MONTH, LAST_MONTH
    period = {"city": city, "first_month": first, "last_month": last}
    sql, params = (
        (RAW_TOTALS, [programme.pk, first, last])
        if city is None
        else (RAW_CITY_TOTALS, [programme.pk, city.pk, first, last])
    )

    def orm():
        summary = selectors.staff_cost_summary(programme, **period)
        return summary, {c.city_id: (c.hours, c.cost) for c in summary.by_city}

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {city: (hours, cost) for city, hours, cost in cursor.fetchall()}

    def lists():
        selectors.hours_by_activity(programme, **period)
        return list(selectors.months_not_counted(programme, **period))

    summary, orm_cities = orm()  # warm-up, and the figures to compare
    raw_cities = raw()
    orm_cents = {city: (h, cents(c)) for city, (h, c) in orm_cities.items()}
    raw_cents = {city: (h, cents(c)) for city, (h, c) in raw_cities.items()}
    if orm_cents != raw_cents:
        differing = [c for c in orm_cents if orm_cents[c] != raw_cents.get(c)]
        raise SystemExit(f"ORM and raw SQL totals differ for cities {differing[:10]}")
    raw_direct = sum((cost for _hours, cost in raw_cities.values()), Decimal(0))
    if cents(summary.split.direct) != cents(raw_direct):
        raise SystemExit(f"Direct costs differ: {summary.split.direct} != {raw_direct}")

    orm_times, raw_times, list_times, clock = [], [], [], QueryClock()
    for run in range(runs):
        started = time.perf_counter()
        if run == 0:
            with connection.execute_wrapper(clock):
                orm()
        else:
            orm()
        orm_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw()
        raw_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        open_months = lists()
        list_times.append(time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [line for (line,) in cursor.fetchall()]
    return {
        "runs": runs,
        "orm_median": statistics.median(orm_times),
        "orm_min": min(orm_times),
        "orm_queries": clock.count,
        "orm_db_seconds": clock.seconds,
        "raw_median": statistics.median(raw_times),
        "raw_min": min(raw_times),
        "lists_median": statistics.median(list_times),
        "city": city.name if city is not None else None,
        "cities": len(orm_cities),
        "person_months": summary.person_months,
        "open_months": len(open_months),
        "hours": str(summary.total_hours),
        "direct_costs": str(cents(summary.split.direct)),
        "equal_to_the_cent": True,
        "plan": plan,
    }


# 2. The report job (each case runs in a child process) -------------------------------------------


def child(size: int, case: str, programme_slug: str = "", coordinator: str = "") -> dict:
    """One report case, measured in this process; returns what the parent prints. The programme
    and coordinator default to those seeded for the size (bench/scale.py names its own)."""
    from django.utils import timezone

    from accounts.models import User
    from documents import jobs
    from mentoring.models import Programme
    from reporting import reports, selectors, services
    from reporting.models import Activity, StaffCostReport
    from reporting.tasks import build_staff_cost_report

    scope, fmt = case.split("-") if "-" in case else (case, "job")
    warm_up = None
    if fmt in ("job", "again"):
        # As a Celery worker process does when it starts, before it takes a task
        # (config/celery_app.py); "city-cold" leaves it out, as in a process that never ran it.
        from config.celery_app import warm_up as worker_warm_up

        started = time.perf_counter()
        worker_warm_up()
        warm_up = time.perf_counter() - started
    baseline_mb = peak_rss_mb()
    programme = Programme.objects.get(slug=programme_slug or slug_for(size))
    coordinator = User.objects.get(email=coordinator or coordinator_email(size))
    city = programme.participations.order_by("city__name").first().city if scope == "city" else None
    started = time.perf_counter()
    report = services.report_request(
        programme=programme,
        city=city,
        first_month=programme.starts_on,
        last_month=programme.ends_on,
        by=coordinator,
    )
    requested = time.perf_counter() - started
    result: dict = {"case": case, "request_seconds": requested, "warm_up_seconds": warm_up}

    if fmt == "tables":
        # The CSV and XLSX alone, as produce_report writes them, without the PDF.
        started = time.perf_counter()
        summary = selectors.staff_cost_summary(
            programme, city=city, first_month=report.first_month, last_month=report.last_month
        )
        figures = time.perf_counter() - started
        period = {"city": city, "first_month": report.first_month, "last_month": report.last_month}
        tables = reports._Tables(
            report,
            summary,
            timezone.now(),
            by_activity=selectors.hours_by_activity(programme, **period),
            open_months=list(selectors.months_not_counted(programme, **period)) if city else [],
            cities=selectors.report_cities(programme, **period),
        )
        tables.write_figures()
        labels = {value: str(label) for value, label in Activity.choices}
        people: dict[int, list] = {}
        for row in selectors.person_months(programme, **period):
            people.setdefault(row.person_id, []).append(row)
        lines_written = 0
        for rows in people.values():
            lines = selectors.timesheet_days([row.sheet_id for row in rows])
            for row in rows:
                tables.write_days(row, lines.get(row.sheet_id, []), labels)
                lines_written += len(lines.get(row.sheet_id, []))
        csv, xlsx = tables.csv.getvalue(), tables.xlsx.getvalue()
        result.update(
            seconds=time.perf_counter() - started,
            phases={"figures": figures, "rows_and_files": time.perf_counter() - started - figures},
            sizes={"csv": len(csv), "xlsx": len(xlsx)},
            lines=lines_written,
        )
    else:
        marks: list[tuple[float, int, str, float]] = []
        children: list[list[tuple[float, float]]] = []  # the layout processes at each mark
        original = jobs.progress_reporter

        def recording(job):
            write = original(job)

            def report_progress(percent: int, note: str = "") -> None:
                marks.append((time.perf_counter() - started, percent, note, peak_rss_mb()))
                children.append(layout_children())
                write(percent, note)

            return report_progress

        jobs.progress_reporter = recording  # an instrument of the benchmark only
        started, cpu_started = time.perf_counter(), time.process_time()
        children_cpu = os.times().children_user + os.times().children_system
        build_staff_cost_report(report.pk)
        seconds = time.perf_counter() - started
        result["cpu_seconds"] = time.process_time() - cpu_started
        # The layout processes' CPU time (documents/pdf_processes.py), counted once they ended.
        result["children_cpu_seconds"] = (
            os.times().children_user + os.times().children_system - children_cpu
        )
        if any(children):
            result["layout_processes"] = {
                "most_at_once": max(len(at) for at in children),
                "largest_peak_mb": max(hwm for at in children for _rss, hwm in at),
                # This process's resident memory plus its children's, at the mark it was most.
                "most_together_mb": max(
                    rss_now + sum(rss for rss, _hwm in at)
                    for (_t, _p, _n, rss_now), at in zip(marks, children, strict=True)
                ),
            }
        jobs.progress_reporter = original
        report = StaffCostReport.objects.select_related("pdf", "csv", "xlsx").get(pk=report.pk)
        if report.status != "done":
            return {**result, "error": report.error or report.status}
        result.update(
            seconds=seconds,
            phases=phases(marks, seconds, reports),
            peaks=phase_peaks(marks, reports),
            marks=[
                (round(t, 2), p, round(rss), [round(c) for c, _h in at])
                for (t, p, _n, rss), at in zip(marks, children, strict=True)
            ],
            sizes={fmt: stored.size for fmt, stored in report.files().items() if stored},
        )
    result["peak_rss_mb"] = peak_rss_mb()
    result["baseline_rss_mb"] = baseline_mb
    if fmt != "tables":  # counted after the peak is taken: reading the PDF costs memory too
        result["pages"] = pdf_pages(report.pdf.file.path)
    return result


def phases(marks, seconds: float, reports) -> dict:
    """Time between the builder's progress marks: figures, timesheets, PDF layout, CSV/XLSX,
    storing."""
    bounds = [
        ("figures", getattr(reports, "FIGURES_DONE", 10)),
        ("timesheets (queries, HTML, CSV/XLSX rows)", getattr(reports, "TIMESHEETS_DONE", 65)),
        ("PDF layout (WeasyPrint)", getattr(reports, "PDF_DONE", 85)),
        ("CSV and XLSX files", getattr(reports, "STORING", 90)),
    ]
    result, previous = {}, 0.0
    for name, percent in bounds:
        at = next((t for t, p, _note, _rss in marks if p >= percent), None)
        if at is None:
            continue
        result[name] = at - previous
        previous = at
    result["storing the files"] = seconds - previous
    return result


def phase_peaks(marks, reports) -> dict:
    """The process's peak resident memory by the end of each phase (read at each progress
    mark): where the peak is reached, laying out the cities or the report's own pages."""
    bounds = [
        ("figures", getattr(reports, "FIGURES_DONE", 10)),
        ("timesheets", getattr(reports, "TIMESHEETS_DONE", 65)),
        ("PDF", getattr(reports, "PDF_DONE", 85)),
        ("CSV and XLSX", getattr(reports, "STORING", 90)),
    ]
    peaks = {}
    for name, percent in bounds:
        peak = next((rss for _t, p, _note, rss in marks if p >= percent), None)
        if peak is not None:
            peaks[name] = peak
    return peaks


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM counts from the exec of this process;
    getrusage's ru_maxrss on Linux keeps the parent's peak across fork and exec, so it is only
    the fallback."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def layout_children() -> list[tuple[float, float]]:
    """The processes this one started that are alive (the PDF layout processes,
    documents/pdf_processes.py): each one's resident memory now and at its peak, in MB."""
    me, found = str(os.getpid()), []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:  # ended meanwhile
            continue
        if fields.get("PPid", "").strip() == me and "VmRSS" in fields:
            found.append(
                (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)
            )
    return found


def pdf_pages(path: str) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(path).pages)


def run_child(
    size: int, case: str, timeout: int, programme_slug: str = "", coordinator: str = ""
) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--size", str(size), "--child", case]
    if programme_slug:
        command += ["--programme", programme_slug, "--coordinator", coordinator]
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


# Output ------------------------------------------------------------------------------------------


def machine() -> dict:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    try:
        import weasyprint

        weasy = weasyprint.__version__
    except ImportError:
        weasy = "?"
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": platform.processor() or platform.machine(),
        "postgresql": postgres,
        "python": platform.python_version(),
        "django": django.get_version(),
        "weasyprint": weasy,
        "load_average_at_start": os.getloadavg(),
    }


def markdown(results: dict) -> str:
    out = [f"### Size {results['size']}", "", f"`{results['command']}`", ""]
    info = results["machine"]
    out.append(
        f"Machine: {info['cpus']} CPUs, {info['memory_gb']} GB; PostgreSQL {info['postgresql']}, "
        f"Python {info['python']}, Django {info['django']}, WeasyPrint {info['weasyprint']}; "
        f"load average at start {', '.join(f'{x:.1f}' for x in info['load_average_at_start'])}."
    )
    out.append("")
    if "seed" in results:
        s = results["seed"]
        out.append(
            f"Seeded {s['cities']} cities, {s['officers']} officers, {s['entries']:,} entries, "
            f"{s['months']:,} monthly timesheets ({s['approved_months']:,} approved) in "
            f"{s['seconds']:.1f} s ({s['entries'] / s['seconds']:,.0f} entries/s; "
            f"{s['seconds_with_vacuum']:.1f} s with VACUUM ANALYZE)."
        )
        out.append("")
    for key in ("totals", "totals_city"):
        if key not in results:
            continue
        t = results[key]
        scope = f"one city ({t['city']})" if t.get("city") else "all cities"
        out += [
            f"Totals, {scope}, whole period (median of {t['runs']} runs):",
            "",
            "| way | median | fastest | queries | time in the database |",
            "|---|---:|---:|---:|---:|",
            f"| `staff_cost_summary` (priced in SQL) | {t['orm_median'] * 1000:,.0f} ms "
            f"| {t['orm_min'] * 1000:,.0f} ms | {t['orm_queries']} "
            f"| {t['orm_db_seconds'] * 1000:,.0f} ms |",
            f"| one raw SQL query | {t['raw_median'] * 1000:,.0f} ms "
            f"| {t['raw_min'] * 1000:,.0f} ms | 1 | all |",
            "",
            f"Summary ÷ raw SQL: {t['orm_median'] / t['raw_median']:.2f}×. Equal to the cent for "
            f"{t['cities']} cities: {t['person_months']:,} approved person-months, "
            f"{Decimal(t['hours']):,} hours, direct costs €{Decimal(t['direct_costs']):,}. "
            f"The report's lists (hours by activity from the entries, {t['open_months']:,} "
            f"months not approved): {t['lists_median'] * 1000:,.0f} ms.",
            "",
        ]
    if results.get("reports"):
        out += [
            "| report | status | time | request | PDF | pages | CSV | XLSX | peak RSS |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results["reports"]:
            if "error" in r:
                out.append(f"| {r['case']} | {r['error'][:120]} | | | | | | | |")
                continue
            sizes = r.get("sizes", {})
            out.append(
                f"| {r['case']} | done | {r['seconds']:,.1f} s | {r['request_seconds'] * 1000:.0f} "
                f"ms | {mb(sizes.get('pdf'))} | {r.get('pages') or '–'} | {mb(sizes.get('csv'))} "
                f"| {mb(sizes.get('xlsx'))} | {r['peak_rss_mb']:,.0f} MB |"
            )
        out.append("")
        for r in results["reports"]:
            if r.get("phases"):
                steps = ", ".join(f"{name} {sec:,.2f} s" for name, sec in r["phases"].items())
                cpu = (
                    f" (CPU time of the process {r['cpu_seconds']:,.1f} s)"
                    if "cpu_seconds" in r
                    else ""
                )
                warm = (
                    f"; warmed up first, as a worker process starts, in "
                    f"{r['warm_up_seconds']:.2f} s"
                    if r.get("warm_up_seconds") is not None
                    else "; no warm-up"
                )
                out.append(f"- {r['case']}: {steps}{cpu}{warm}.")
            if r.get("peaks"):
                peaks = ", ".join(f"{name} {rss:,.0f} MB" for name, rss in r["peaks"].items())
                out.append(f"- {r['case']}: peak RSS by the end of each phase: {peaks}.")
            if r.get("layout_processes"):
                lp = r["layout_processes"]
                out.append(
                    f"- {r['case']}: layout processes: up to {lp['most_at_once']} at once, the "
                    f"largest's peak {lp['largest_peak_mb']:,.0f} MB, this process and its "
                    f"children together at most {lp['most_together_mb']:,.0f} MB; their CPU "
                    f"time {r.get('children_cpu_seconds', 0):,.1f} s."
                )
        out.append("")
    return "\n".join(out)


def mb(size: int | None) -> str:
    return "–" if not size else f"{size / 1024 / 1024:,.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1, help="16 × size cities (default 1)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data already seeded")
    parser.add_argument(
        "--steps",
        default=",".join(STEPS),
        help="what to measure, among totals, city (report of one city), all (report of all "
        "cities), tables (CSV/XLSX alone, for one city and all cities); default: all of them",
    )
    parser.add_argument("--runs", type=int, default=7, help="runs of the totals (default 7)")
    parser.add_argument(
        "--timeout", type=int, default=900, help="seconds a report case may take (default 900)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--programme", default="", help=argparse.SUPPRESS)
    parser.add_argument("--coordinator", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if args.child:
        print(
            RESULT_MARK
            + json.dumps(child(args.size, args.child, args.programme, args.coordinator)),
            flush=True,
        )
        return
    database = settings.DATABASES["default"]
    if connection.vendor != "postgresql" or "bench" not in database["NAME"]:
        raise SystemExit(
            "Run against a PostgreSQL database whose name contains 'bench' (it is emptied): "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench"
        )
    steps = [step.strip() for step in args.steps.split(",") if step.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        raise SystemExit(f"Unknown steps: {', '.join(sorted(unknown))}")

    from mentoring.models import Programme

    results: dict = {
        "size": args.size,
        "command": "DATABASE_URL=postgres://…/"
        + database["NAME"]
        + " .venv/bin/python "
        + " ".join(["bench/staff_costs.py", *sys.argv[1:]]),
        "machine": machine(),
        "reports": [],
    }
    call_command("migrate", interactive=False, verbosity=0)
    if args.skip_seed:
        if not Programme.objects.filter(slug=slug_for(args.size)).exists():
            raise SystemExit(f"Nothing seeded for size {args.size}; run without --skip-seed.")
    else:
        results["seed"] = seed(args.size)
    programme = Programme.objects.get(slug=slug_for(args.size))

    if "totals" in steps:
        print("Measuring the totals…", flush=True)
        results["totals"] = measure_totals(programme, args.runs)
        city = programme.participations.order_by("city__name").first().city
        results["totals_city"] = measure_totals(programme, args.runs, city=city)
    cases = []
    if "city" in steps:
        # The first report lays out the approved months it finds no layout of (the seed writes
        # months as approved without the service that lays them out on approval); the second
        # finds them all, as a report does when months were approved in the portal.
        # "city-cold": the same again in a process that did not warm up as a worker does.
        cases += ["city", "city-again", "city-cold"]
    if "tables" in steps:
        cases.append("city-tables")
    if "all" in steps:
        cases.append("all")
    if "tables" in steps:
        cases.append("all-tables")
    for case in cases:
        print(f"Building the report: {case}…", flush=True)
        results["reports"].append(run_child(args.size, case, args.timeout))

    text = markdown(results)
    print(text)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"staff-costs-size-{args.size}.md").write_text(text + "\n")
    (out / f"staff-costs-size-{args.size}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
