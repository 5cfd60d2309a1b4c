"""Toolkit PDF benchmark: a 134-practice toolkit rendered end to end, WeasyPrint alone on the
same HTML, and the download of the stored file.

Run it against a PostgreSQL database of its own (its name must contain "bench": the script
empties it before seeding)::

    psql postgres://postgres@127.0.0.1:5432/postgres -c "CREATE DATABASE tandem_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench \\
        .venv/bin/python bench/toolkits.py --practices 134 --runs 3

What it seeds, through the services as the portal does: one programme with one scheme, 34 cities
in 17 countries (the size of the toolkits CITIES-GROW's predecessors published: 134 practices by
34 cities in 17 countries), with names in their own scripts and diacritics; N practices written
by the cities' officers, submitted and published by the scheme's expert, each with every field
filled (about 450 words); one toolkit holding them all with an introduction and six success
factors; its first edition.

What it measures, each a median of --runs runs, alternating the two renderings:

1. End to end: ``services.edition_rendering`` (the row and its queue message) then the Celery
   task function ``render_pdf`` run in this process: snapshot to context, template to HTML,
   WeasyPrint layout and writing (PDF/UA-1, tagged), storing the file with its checksum and
   marking the rendering done.
2. WeasyPrint alone: the same HTML (rendered once beforehand) to PDF bytes with the same
   options, nothing stored. The ratio 1 ÷ 2 is what the portal adds around WeasyPrint.
3. A cached download: GET of the edition's PDF address through Django's test client, reading
   the whole body: what a visitor waits for once the file exists (no rendering), with the number
   of queries it makes.

The figures are printed and written to var/bench/toolkits-N.{md,json}; bench/RESULTS.md holds
the runs we keep.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

# 34 cities in 17 countries: name, country, latitude, longitude, language of its practices
# (one of the EU's 24 official languages: the Turkish cities write theirs in English).
CITIES = [
    ("Αθήνα", "GR", "37.9838", "23.7275", "el"),
    ("Θεσσαλονίκη", "GR", "40.6401", "22.9444", "el"),
    ("Gdańsk", "PL", "54.3520", "18.6466", "pl"),
    ("Łódź", "PL", "51.7592", "19.4560", "pl"),
    ("Rīga", "LV", "56.9496", "24.1052", "lv"),
    ("Jūrmala", "LV", "56.9680", "23.7704", "lv"),
    ("Plzeň", "CZ", "49.7384", "13.3736", "cs"),
    ("České Budějovice", "CZ", "48.9745", "14.4743", "cs"),
    ("München", "DE", "48.1351", "11.5820", "de"),
    ("Dresden", "DE", "51.0504", "13.7373", "de"),
    ("Gent", "BE", "51.0543", "3.7174", "nl"),
    ("Liège", "BE", "50.6326", "5.5797", "fr"),
    ("Nantes", "FR", "47.2184", "-1.5536", "fr"),
    ("Saint-Étienne", "FR", "45.4397", "4.3872", "fr"),
    ("Barcelona", "ES", "41.3874", "2.1686", "es"),
    ("A Coruña", "ES", "43.3623", "-8.4115", "es"),
    ("Lisboa", "PT", "38.7223", "-9.1393", "pt"),
    ("Évora", "PT", "38.5714", "-7.9135", "pt"),
    ("Helsinki", "FI", "60.1699", "24.9384", "fi"),
    ("Tampere", "FI", "61.4978", "23.7610", "fi"),
    ("Malmö", "SE", "55.6050", "13.0038", "sv"),
    ("Göteborg", "SE", "57.7089", "11.9746", "sv"),
    ("Rotterdam", "NL", "51.9244", "4.4777", "nl"),
    ("Utrecht", "NL", "52.0907", "5.1214", "nl"),
    ("Λευκωσία", "CY", "35.1856", "33.3823", "el"),
    ("Limassol", "CY", "34.7071", "33.0226", "el"),
    ("İzmir", "TR", "38.4237", "27.1428", "en"),
    ("Şanlıurfa", "TR", "37.1591", "38.7969", "en"),
    ("Kraków", "PL", "50.0647", "19.9450", "pl"),
    ("Vilnius", "LT", "54.6872", "25.2797", "lt"),
    ("Kaunas", "LT", "54.8985", "23.9036", "lt"),
    ("Ljubljana", "SI", "46.0569", "14.5058", "sl"),
    ("Birmingham", "GB", "52.4862", "-1.8904", "en"),
    ("Brighton & Hove", "GB", "50.8225", "-0.1372", "en"),
]
TOPICS = [
    "tenders split into lots",
    "mentoring by local entrepreneurs",
    "language cafés at the job centre",
    "a supplier register open to newcomers",
    "school-to-work coaching",
    "anonymous job applications",
    "micro-credit with business training",
    "recognition of foreign diplomas",
]
PARAGRAPH = (
    "The team of {city} worked on {topic} with the chamber of commerce, two schools and the "
    "regional employment office. In the first year {n} people took part; {m} of them found work "
    "or a contract within six months, and the partners met every month to adjust the scheme. "
    "Costs were shared between the city and the partners, and the steps are described so that "
    "another city can repeat them with its own partners and its own rules on public contracts."
)
RESULT_MARK = "BENCH-RESULT "


def seed(practices: int) -> dict:
    """Empty the bench database and load the toolkit: returns timings and sizes."""
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import Membership, Role, User
    from bench.seed import frame_rows
    from cities.models import City
    from mentoring.models import (
        ExpertOrganisation,
        Participation,
        Programme,
        Scheme,
    )
    from toolkits import services
    from toolkits.models import TargetGroup

    started = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    programme = Programme.objects.create(
        name="Bench programme",
        slug="bench-programme",
        network="EUROCITIES",
        starts_on=date(2016, 10, 1),
        ends_on=date(2018, 9, 30),
        budget=Decimal("650000"),
        co_financing_rate=Decimal("0.10"),
        staff_days_allowance=30,
    )
    frame_rows(programme)
    expert_org = ExpertOrganisation.objects.create(name="Migration Policy Group")
    scheme = Scheme.objects.create(
        programme=programme,
        code="A",
        theme="Matching buyers and suppliers",
        facilitator=expert_org,
    )
    expert = User.objects.create_user(email="bench.expert@example.org", full_name="Bench Expert")
    Membership.objects.create(user=expert, role=Role.EXPERT, scheme=scheme)
    cities, officers = [], []
    for n, (name, country, lat, lon, language) in enumerate(CITIES):
        city = City.objects.create(
            name=name,
            slug=f"bench-city-{n:02d}",
            country=country,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            languages=[language],
        )
        Participation.objects.create(programme=programme, city=city)
        officer = User.objects.create_user(
            email=f"bench.officer.{n:02d}@example.org", full_name=f"Officer of {name}"
        )
        Membership.objects.create(user=officer, role=Role.OFFICER, city=city)
        cities.append((city, language))
        officers.append(officer)
    groups = list(TargetGroup.objects.filter(programme=programme))
    commitments = list(programme.framework.commitments.all())
    made = []
    with transaction.atomic():
        for k in range(practices):
            city, language = cities[k % len(cities)]
            topic = TOPICS[k % len(TOPICS)]
            text = PARAGRAPH.format(city=city.name, topic=topic, n=40 + k, m=12 + k % 20)
            practice = services.practice_create(
                city=city,
                author=User.objects.get(pk=officers[k % len(cities)].pk),
                scheme=scheme,
                title=f"{city.name}: {topic} ({k + 1})",
                partner_organisations="Chamber of commerce\nRegional employment office",
                summary=text[:400],
                challenge=text,
                actions=text + "\n\n" + text,
                results=text,
                resources=text[:300],
                budget=Decimal(100000 + 1000 * k) + Decimal("0.50"),
                eu_contribution=Decimal(75000 + 750 * k),
                currency="EUR",
                started_on=date(2016 + k % 3, 1 + k % 12, 1),
                ended_on=None,
                transferability=text,
                contact_name=f"Officer of {city.name}",
                contact_email=f"contact.{k}@example.org",
                links=f"https://example.org/practice/{k}",
                language=language,
                target_groups=groups[k % 4 : k % 4 + 3],
                commitments=commitments[k % 5 : k % 5 + 2],
            )
            services.practice_submit(practice, by=User.objects.get(pk=practice.author_id))
            made.append(services.practice_publish(practice, by=User.objects.get(pk=expert.pk)))
        expert = User.objects.get(pk=expert.pk)
        toolkit = services.toolkit_create(
            scheme=scheme,
            by=expert,
            title="Buying from newcomers: the bench toolkit",
            introduction="\n\n".join([PARAGRAPH.format(city="each city", topic="t", n=1, m=1)] * 4),
        )
        services.toolkit_set_practices(toolkit, by=expert, practices=made)
        services.toolkit_set_success_factors(
            toolkit,
            by=expert,
            factors=[(f"Factor {i}", PARAGRAPH[:200]) for i in range(1, 7)],
        )
        edition = services.edition_publish(toolkit, by=expert, notes="Bench edition.")
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "practices": practices,
        "cities": len(CITIES),
        "countries": len({c[1] for c in CITIES}),
        "edition_id": edition.pk,
    }


def end_to_end(edition, language: str) -> tuple[float, int, int]:
    """Seconds from asking for the PDF to a stored file; pages; bytes."""
    from accounts.models import User
    from documents.models import JobStatus
    from toolkits import services
    from toolkits.models import Rendering
    from toolkits.tasks import render_pdf

    Rendering.objects.filter(edition=edition).delete()
    coordinator = User.objects.get(email="bench.expert@example.org")
    started = time.perf_counter()
    rendering = services.edition_rendering(edition, language=language, by=coordinator)
    render_pdf(rendering.pk)
    seconds = time.perf_counter() - started
    rendering.refresh_from_db()
    if rendering.status != JobStatus.DONE:
        raise SystemExit(f"The rendering failed: {rendering.error}")
    return seconds, pdf_pages(rendering.pdf.file.path), rendering.pdf.size


def html_of(edition, language: str) -> str:
    """The exact HTML the job renders (the job's own context builder, without the job)."""
    from documents.pdf import render_html
    from toolkits.models import Rendering
    from toolkits.rendering import _edition_content

    rendering = Rendering(edition=edition, language=language)
    template, context, _filename = _edition_content(rendering)
    return render_html(template, context, language=language)


def weasyprint_alone(html: str) -> tuple[float, int]:
    from django.conf import settings
    from weasyprint import HTML

    started = time.perf_counter()
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
    return time.perf_counter() - started, len(pdf)


def cached_download(edition, language: str, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from toolkits.models import Rendering

    setup_test_environment()
    url = reverse(
        "toolkits:edition_pdf",
        kwargs={"slug": edition.toolkit.slug, "number": edition.number, "language": language},
    )
    client = Client()
    renderings_before = Rendering.objects.count()
    times, size = [], 0
    client.get(url)  # warm: URL resolver, templates, file cache
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        size = len(b"".join(response.streaming_content))
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"The download answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        b"".join(client.get(url).streaming_content)
    if Rendering.objects.count() != renderings_before:
        raise SystemExit("A download rendered the PDF again")
    return {
        "runs": runs,
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p90_ms": round(sorted(times)[int(0.9 * (runs - 1))] * 1000, 2),
        "bytes": size,
        "queries": len(queries),
    }


def pdf_pages(path: str) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def machine() -> dict:
    import django
    import weasyprint
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    return {
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "postgresql": postgres,
        "python": platform.python_version(),
        "django": django.get_version(),
        "weasyprint": weasyprint.__version__,
        "load_average_at_start": os.getloadavg(),
    }


def markdown(results: dict) -> str:
    e2e, alone, cached = results["end_to_end"], results["weasyprint_alone"], results["cached"]
    lines = [
        f"Toolkit of {results['seed']['practices']} practices "
        f"({results['seed']['cities']} cities, {results['seed']['countries']} countries), "
        f"language {results['language']}, {results['runs']} runs each (median).",
        "",
        "| what | median | runs (s) |",
        "|---|---:|---|",
        f"| end to end (request → stored PDF) | {e2e['median_s']} s | "
        f"{', '.join(str(s) for s in e2e['seconds'])} |",
        f"| WeasyPrint alone, same HTML | {alone['median_s']} s | "
        f"{', '.join(str(s) for s in alone['seconds'])} |",
        f"| ratio end to end ÷ WeasyPrint alone | {results['ratio']} | |",
        f"| cached download ({cached['runs']} GETs, whole body read) | "
        f"{cached['median_ms']} ms (p90 {cached['p90_ms']} ms, {cached['queries']} queries) | |",
        "",
        f"PDF: {e2e['pages']} pages, {e2e['bytes'] / 1e6:.1f} MB; HTML "
        f"{results['html_bytes'] / 1e6:.2f} MB; seeding took {results['seed']['seconds']} s.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=134)
    parser.add_argument("--runs", type=int, default=3, help="runs of each rendering (default 3)")
    parser.add_argument("--downloads", type=int, default=50, help="cached GETs (default 50)")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    database = settings.DATABASES["default"]
    if connection.vendor != "postgresql" or "bench" not in database["NAME"]:
        raise SystemExit(
            "Run against a PostgreSQL database whose name contains 'bench' (it is emptied): "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench"
        )
    from tqdm import tqdm

    from toolkits.models import ToolkitEdition

    results: dict = {
        "command": " ".join(["bench/toolkits.py", *sys.argv[1:]]),
        "machine": machine(),
        "language": args.language,
        "runs": args.runs,
    }
    call_command("migrate", interactive=False, verbosity=0)
    print(f"Seeding {args.practices} practices…", flush=True)
    results["seed"] = seed(args.practices)
    edition = ToolkitEdition.objects.select_related("toolkit").get(pk=results["seed"]["edition_id"])
    html = html_of(edition, args.language)
    results["html_bytes"] = len(html.encode())
    e2e_times, alone_times, pages, size = [], [], 0, 0
    for _ in tqdm(range(args.runs), desc="Rendering", unit="run"):
        seconds, pages, size = end_to_end(edition, args.language)
        e2e_times.append(round(seconds, 2))
        seconds, _bytes = weasyprint_alone(html)
        alone_times.append(round(seconds, 2))
    results["end_to_end"] = {
        "seconds": e2e_times,
        "median_s": round(statistics.median(e2e_times), 2),
        "pages": pages,
        "bytes": size,
    }
    results["weasyprint_alone"] = {
        "seconds": alone_times,
        "median_s": round(statistics.median(alone_times), 2),
    }
    results["ratio"] = round(
        results["end_to_end"]["median_s"] / results["weasyprint_alone"]["median_s"], 3
    )
    print("Downloading the stored file…", flush=True)
    results["cached"] = cached_download(edition, args.language, args.downloads)

    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    report = markdown(results)
    (out / f"toolkits-{args.practices}.md").write_text(report)
    (out / f"toolkits-{args.practices}.json").write_text(json.dumps(results, indent=2))
    print(report)
    print(RESULT_MARK + json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
