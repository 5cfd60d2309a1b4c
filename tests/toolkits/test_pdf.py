"""The PDFs of toolkit editions and of single practices, as the render job builds them: what they
say and in which order, their letters, metadata and tags, the labels' language, images,
progress and failures."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfReader

from documents import jobs
from documents.models import JobStatus, StoredFile
from documents.pdf import html_to_document
from tests.accounts.factories import CityOfficerFactory
from tests.cities.factories import CityFactory
from tests.toolkits.factories import build_toolkit_world, draft, fresh, published, toolkit_with
from toolkits import rendering as renderer
from toolkits import services
from toolkits.models import GoodPractice, Rendering
from toolkits.rendering import format_amount, produce_rendering, sort_key

pytestmark = pytest.mark.django_db

# In the edition's order, which is not alphabetical: the PDF must follow the toolkit.
TITLES = [
    "Split tenders for small suppliers",
    "Market days for newcomers' firms",
    "Ένα γραφείο για νέους επιχειρηματίες",
    "Procurement coaching in İzmir",
]
CITIES = ["Gdańsk", "Rīga", "Αθήνα", "İzmir"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Helpers the view and worker tests use too --------------------------------------------------


def city_with_officer(name: str, country: str, slug: str):
    city = CityFactory(name=name, country=country, slug=slug)
    return city, CityOfficerFactory(city=city).user


def four_city_practices(world, titles=TITLES) -> list:
    """Published practices of Gdańsk, Rīga, Athens and İzmir (in the cities' own writing)."""
    athens, athens_officer = city_with_officer("Αθήνα", "GR", "athens")
    izmir, izmir_officer = city_with_officer("İzmir", "TR", "izmir")
    return [
        published(world, title=titles[0], city=world.city),
        published(world, title=titles[1], city=world.other_city),
        published(world, title=titles[2], city=athens, author=athens_officer, language="el"),
        published(world, title=titles[3], city=izmir, author=izmir_officer),
    ]


def four_city_edition(world, titles=TITLES):
    toolkit = toolkit_with(world, four_city_practices(world, titles))
    return services.edition_publish(toolkit, by=fresh(world.expert), notes="First edition")


def render_edition(edition, captured, language="en", by=None) -> Rendering:
    with captured(execute=True):
        rendering = services.edition_rendering(edition, language=language, by=by)
    rendering.refresh_from_db()
    return rendering


def render_practice(practice, captured, language="en") -> Rendering:
    with captured(execute=True):
        rendering = services.practice_rendering(practice, language=language)
    rendering.refresh_from_db()
    return rendering


def pdf_bytes(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def pdf_text(content: bytes) -> str:
    """The text as poppler extracts it (what a person copies or a search engine indexes)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607 (poppler-utils, see .ci/run)
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def world():
    return build_toolkit_world()


# The toolkit PDF -----------------------------------------------------------------------------


def test_an_edition_renders_its_practices_in_order_with_every_letter(
    world, django_capture_on_commit_callbacks
):
    edition = four_city_edition(world)
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    assert rendering.status == JobStatus.DONE, rendering.error
    assert (rendering.progress, rendering.progress_note) == (100, "The PDF is ready.")
    assert rendering.finished_at is not None
    stored = rendering.pdf
    assert stored.content_type == "application/pdf"
    assert stored.filename == f"{edition.toolkit.slug}-edition-1-en.pdf"
    content = pdf_bytes(stored)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    flat = one_line(text)

    # The cover, then the contents; each practice's section starts on a page of its own (the
    # first page after the contents that names it), in the edition's order.
    pages = [one_line(page) for page in text.split("\f") if page.strip()]
    cover = pages[0]
    assert cover.startswith("Buyers and suppliers Theme A: Matching buyers and suppliers")
    assert "CITIES-GROW · EUROCITIES" in cover
    assert f"Edition 1, {edition.published_on:%-d %B %Y}" in cover
    assert "Page 1" not in cover, "the cover has no running header or footer"
    starts = [next(n for n, page in enumerate(pages[2:], 3) if title in page) for title in TITLES]
    assert starts == sorted(starts), "the sections follow the edition's order"
    for title in TITLES:
        assert title in flat, title
    for city in CITIES:
        assert city in flat, city

    # The contents give each section's page number after a leader of dots.
    contents = pages[1]
    assert "Contents Contents Introduction" in contents, "running header, then the heading"
    leader = r" ?\.{5,} ?"
    assert re.search("Introduction" + leader + "3 ", contents)
    assert re.search("Key success factors" + leader + "4 ", contents)
    for title, city, start in zip(TITLES, CITIES, starts, strict=True):
        entry = re.escape(f"{title} ({city})") + leader + f"{start} "
        assert re.search(entry, contents), (entry, contents)
    assert re.search("Index of cities and countries" + leader + f"{len(pages)} ", contents)

    # The index: countries named in English, in alphabetical order, each followed by its cities,
    # all with the page numbers of their practices.
    index = pages[-1]
    assert "Index of cities and countries Index of cities and countries Greece" in index
    entries = [
        ("Greece", starts[2]),
        ("Αθήνα", starts[2]),
        ("Latvia", starts[1]),
        ("Rīga", starts[1]),
        ("Poland", starts[0]),
        ("Gdańsk", starts[0]),
        ("Türkiye", starts[3]),
        ("İzmir", starts[3]),
    ]
    pattern = "".join(re.escape(name) + leader + f"{page} " for name, page in entries)
    assert re.search(pattern, index), index

    # Running header (toolkit title left, section right) and footer (edition, page X of Y).
    gdansk = pages[starts[0] - 1]
    expected = f"Buyers and suppliers {TITLES[0]} {TITLES[0]} Gdańsk, Poland"
    assert gdansk.startswith(expected)
    assert gdansk.endswith(
        f"Edition 1, {edition.published_on:%-d %B %Y} Page {starts[0]} of {len(pages)} "
    )


def test_the_pdf_has_metadata_tags_and_bookmarks(world, django_capture_on_commit_callbacks):
    edition = four_city_edition(world)
    rendering = render_edition(edition, django_capture_on_commit_callbacks, language="de")
    reader = PdfReader(io.BytesIO(pdf_bytes(rendering.pdf)))
    assert reader.metadata.title == "Buyers and suppliers"
    assert reader.metadata.author == "EUROCITIES"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/Metadata" in catalog, "XMP metadata, which PDF/UA asks for"
    top, children = reader.outline
    assert top.title == "Buyers and suppliers"
    with translation.override("de"):
        labels = [gettext(label) for label in BOOKMARKED]
    assert [item.title for item in children] == [*labels[:3], *TITLES, labels[3]]


BOOKMARKED = ["Contents", "Introduction", "Key success factors", "Index of cities and countries"]


def test_the_author_is_the_programme_without_a_network(world, django_capture_on_commit_callbacks):
    world.programme.network = ""
    world.programme.save()
    edition = four_city_edition(world)
    world.programme.network = "EUROCITIES"
    world.programme.save()
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(pdf_bytes(rendering.pdf)))
    assert reader.metadata.author == "CITIES-GROW", "the edition as it was published"


def test_sections_are_marked_with_the_practices_language(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    """The document's language is the PDF's; each practice's section carries its own (Greek
    shaping and hyphenation). WeasyPrint 70 writes only the document's language into the
    structure tree, so the section languages are checked in the HTML it lays out."""
    edition = four_city_edition(world)
    laid_out = []

    def recording(html, **kwargs):
        laid_out.append(html)
        return html_to_document(html, **kwargs)

    monkeypatch.setattr(renderer, "html_to_document", recording)
    rendering = render_edition(edition, django_capture_on_commit_callbacks, language="fr")
    assert rendering.status == JobStatus.DONE, rendering.error
    (html,) = laid_out
    assert '<html lang="fr">' in html
    sections = re.findall(r'<section class="practice" id="(practice-\d)" lang="(\w+)"', html)
    assert sections == [
        ("practice-1", "en"),
        ("practice-2", "en"),
        ("practice-3", "el"),
        ("practice-4", "en"),
    ]
    assert '<dl class="facts" lang="fr">' in html, "the labels are in the PDF's language"


def test_names_in_every_eu_alphabet_extract_exactly(world, django_capture_on_commit_callbacks):
    names = ["Łódź", "Şanlıurfa", "Plzeň", "München"]
    titles = [
        f"Supplier fairs in {names[0]} and Αθήνα",
        f"Coaching in {names[1]} and Rīga",
        f"Tenders in {names[2]}",
        f"Business mentors in {names[3]} and Gdańsk",
    ]
    edition = four_city_edition(world, titles=titles)
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    content = pdf_bytes(rendering.pdf)
    text = one_line(pdf_text(content))
    for title in titles:
        assert title in text
    reader = PdfReader(io.BytesIO(content))
    pypdf_text = one_line(" ".join(page.extract_text() for page in reader.pages))
    for name in [*names, "Αθήνα", "Rīga", "Gdańsk", "İzmir"]:
        assert name in pypdf_text, name
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("Noto-Sans" in font for font in fonts), fonts


def korean_and_chinese_practices(world) -> list:
    """Practices of Seoul and Taipei, in the cities' own writing (issue 15)."""
    seoul, seoul_officer = city_with_officer("서울", "KR", "seoul")
    taipei, taipei_officer = city_with_officer("臺北", "TW", "taipei")
    return [
        published(
            world,
            title="서울 공공조달 멘토링",
            summary="이주민 기업가를 위한 조달 코칭.",
            city=seoul,
            author=seoul_officer,
        ),
        published(
            world,
            title="臺北市新住民創業輔導",
            summary="為新住民提供的創業諮詢與採購輔導。",
            city=taipei,
            author=taipei_officer,
        ),
    ]


KOREAN_AND_CHINESE = [
    "서울 공공조달 멘토링",
    "이주민 기업가를 위한 조달 코칭.",
    "臺北市新住民創業輔導",
    "為新住民提供的創業諮詢與採購輔導。",
    "서울",
    "臺北",
]


def test_a_practice_in_korean_prints_with_its_glyphs(world, django_capture_on_commit_callbacks):
    """Korean printed as empty boxes: now it extracts back, drawn by a real glyph each."""
    from tests.pdf_glyphs import assert_every_glyph_drawn

    seoul_practice, _taipei_practice = korean_and_chinese_practices(world)
    rendering = render_practice(seoul_practice, django_capture_on_commit_callbacks)
    assert rendering.status == JobStatus.DONE, rendering.error
    assert_every_glyph_drawn(pdf_bytes(rendering.pdf), *KOREAN_AND_CHINESE[:2], "서울")


def test_a_toolkit_with_korean_and_chinese_practices_prints_with_their_glyphs(
    world, django_capture_on_commit_callbacks
):
    """Titles in the table of contents, sections and the index of cities: every sample extracts
    back and no glyph is missing. (About two seconds: the CJK fonts are large to subset.)"""
    from tests.pdf_glyphs import assert_every_glyph_drawn

    toolkit = toolkit_with(world, korean_and_chinese_practices(world))
    edition = services.edition_publish(toolkit, by=fresh(world.expert), notes="First edition")
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    assert rendering.status == JobStatus.DONE, rendering.error
    assert_every_glyph_drawn(pdf_bytes(rendering.pdf), *KOREAN_AND_CHINESE)


def test_a_practice_in_traditional_chinese_is_drawn_in_the_traditional_face(
    world, django_capture_on_commit_callbacks
):
    """A practice written in zh-Hant (Taiwan) is drawn with the Traditional Chinese face, not
    the Simplified one a text of unknown language falls back to."""
    from tests.pdf_glyphs import assert_every_glyph_drawn, fonts_drawing

    taipei, officer = city_with_officer("臺北", "TW", "taipei")
    practice = published(
        world,
        title="臺北市新住民創業輔導",
        summary="為新住民提供的創業諮詢與採購輔導。",
        city=taipei,
        author=officer,
        language="zh-Hant",
    )
    assert practice.language_display == "Traditional Chinese"
    rendering = render_practice(practice, django_capture_on_commit_callbacks)
    assert rendering.status == JobStatus.DONE, rendering.error
    content = pdf_bytes(rendering.pdf)
    assert_every_glyph_drawn(content, "為新住民提供的創業諮詢與採購輔導。")
    assert any("CJK-TC" in font for font in fonts_drawing(content, "為新住民提供的創業諮詢"))


def test_the_labels_follow_the_renderings_language(world, django_capture_on_commit_callbacks):
    edition = four_city_edition(world)
    rendering = render_edition(edition, django_capture_on_commit_callbacks, language="de")
    assert rendering.pdf.filename == f"{edition.toolkit.slug}-edition-1-de.pdf"
    text = one_line(pdf_text(pdf_bytes(rendering.pdf)))
    assert "169.956,00 EUR" in text
    for country in ("Griechenland", "Lettland", "Polen", "Türkei"):
        assert country in text
    assert "Split tenders for small suppliers" in text, "the practices keep their own words"


def test_typed_markup_is_printed_as_text(world, django_capture_on_commit_callbacks):
    title = "<b>bold</b> & <script>"
    practices = four_city_practices(world)
    practices.append(
        published(
            world,
            title=title,
            summary="<i>not italic</i> & <img src=x onerror=alert(1)>",
        )
    )
    # The services refuse a javascript: line; a row written before that rule still prints it as
    # plain text.
    GoodPractice.objects.filter(pk=practices[-1].pk).update(
        links="javascript:alert(1)\nhttps://example.org/a?b=1&c=2"
    )
    edition = services.edition_publish(toolkit_with(world, practices), by=fresh(world.expert))
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    assert rendering.status == JobStatus.DONE, rendering.error
    text = one_line(pdf_text(pdf_bytes(rendering.pdf)))
    assert title in text
    assert "<i>not italic</i> & <img src=x onerror=alert(1)>" in text
    assert "javascript:alert(1)" in text
    assert "https://example.org/a?b=1&c=2" in text


def test_every_field_of_a_practice_is_printed(world, django_capture_on_commit_callbacks):
    practice = published(
        world,
        partner_organisations="Chamber of Commerce\nMigrant Business Network",
        resources="Two procurement officers, half-time.",
    )
    rendering = render_practice(practice, django_capture_on_commit_callbacks)
    assert rendering.status == JobStatus.DONE, rendering.error
    assert rendering.pdf.filename == f"{practice.slug}-en.pdf"
    text = one_line(pdf_text(pdf_bytes(rendering.pdf)))
    for expected in (
        practice.title,
        "Gdańsk, Poland",
        "Theme A: Matching buyers and suppliers",
        practice.summary,
        practice.challenge,
        practice.actions,
        practice.results,
        practice.resources,
        practice.transferability,
        "Total budget 169,956.00 EUR",
        "EU contribution 127,467.00 EUR (75% of the budget)",
        "January 2017 – June 2018",
        "Migrant entrepreneurs",
        "9. Apply equality and diversity principles in procurement",
        "11. Promote a diverse supplier base",
        "Chamber of Commerce",
        "Migrant Business Network",
        "Ola Officer, ola@example.org",
        "https://example.org/practice",
        "Page 1 of 1",
        "CITIES-GROW",
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(pdf_bytes(rendering.pdf)))
    assert reader.metadata.title == practice.title
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_a_practice_still_running_says_so(world, django_capture_on_commit_callbacks):
    practice = published(world, ended_on=None, budget=None, eu_contribution=None)
    rendering = render_practice(practice, django_capture_on_commit_callbacks)
    text = one_line(pdf_text(pdf_bytes(rendering.pdf)))
    assert "Since January 2017, still running" in text
    assert "Total budget" not in text


def png(colour="red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_images_still_stored_are_printed_with_their_text_alternative(
    world, django_capture_on_commit_callbacks
):
    practice = draft(world)
    kept = services.practice_image_add(
        practice, by=fresh(world.officer), image=png(), alt_text="Market stalls on the square"
    )
    gone = services.practice_image_add(
        practice, by=fresh(world.officer), image=png("blue"), alt_text="A lost photo"
    )
    services.practice_submit(practice, by=fresh(world.officer))
    practice = services.practice_publish(practice, by=fresh(world.expert))
    edition = services.edition_publish(toolkit_with(world, [practice]), by=fresh(world.expert))
    default_storage.delete(gone.image.name)
    assert default_storage.exists(kept.image.name)

    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    assert rendering.status == JobStatus.DONE, rendering.error
    content = pdf_bytes(rendering.pdf)
    reader = PdfReader(io.BytesIO(content))
    colours = {
        image.image.convert("RGB").getpixel((0, 0)) for p in reader.pages for image in p.images
    }
    assert colours == {(255, 0, 0)}, "the red photo is printed, the deleted blue one skipped"
    alternatives = alt_texts(reader)
    assert alternatives == ["Market stalls on the square"]


def alt_texts(reader: PdfReader) -> list[str]:
    """The text alternatives of the figures in the structure tree."""
    found = []

    def walk(node, depth=0):
        node = node.get_object()
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is None or depth > 60:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


# The job ----------------------------------------------------------------------------------------


def test_progress_is_reported_in_steps(world, django_capture_on_commit_callbacks):
    edition = four_city_edition(world)
    with django_capture_on_commit_callbacks(execute=False):
        rendering = services.edition_rendering(edition, language="en")
    steps = []
    produced = produce_rendering(
        rendering, progress=lambda percent, note: steps.append((percent, note))
    )
    jobs.finish(rendering, produced)
    percents = [percent for percent, _note in steps]
    assert percents == sorted(percents)
    notes = [note for _percent, note in steps]
    assert notes[:3] == ["Collecting the content", "Building the pages", "Laying out the pages"]
    assert re.fullmatch(r"Laid out \d+ pages; writing the PDF", notes[3])
    assert notes[4] == "Storing the PDF"
    rendering.refresh_from_db()
    assert (rendering.status, rendering.progress) == (JobStatus.DONE, 100)


def test_a_failed_layout_is_recorded_without_a_file(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    edition = four_city_edition(world)

    def broken(*args, **kwargs):
        raise OSError("no room left for the fonts")

    monkeypatch.setattr(renderer, "html_to_document", broken)
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    assert rendering.status == JobStatus.FAILED
    assert "no room left for the fonts" in rendering.error
    assert rendering.pdf is None
    assert not StoredFile.objects.exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.rendering_retry(rendering, by=None)
    rendering.refresh_from_db()
    assert rendering.status == JobStatus.DONE
    assert rendering.attempts == 2
    assert rendering.error == ""


def test_a_rerender_keeps_the_old_file_until_the_new_one_is_stored(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    edition = four_city_edition(world)
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    first = rendering.pdf

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(StoredFile, "store", classmethod(broken))
    with django_capture_on_commit_callbacks(execute=True):
        services.rendering_redo(rendering, by=fresh(world.coordinator))
    rendering.refresh_from_db()
    assert rendering.status == JobStatus.FAILED
    assert rendering.pdf == first, "the failed re-render left the stored file in place"

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.rendering_retry(rendering, by=fresh(world.coordinator))
    rendering.refresh_from_db()
    assert rendering.status == JobStatus.DONE
    assert rendering.pdf != first
    assert Path(rendering.pdf.file.path).exists()


# Small pieces -----------------------------------------------------------------------------------


def test_amounts_are_rounded_half_up_in_the_languages_format():
    from decimal import Decimal

    from django.utils import translation

    with translation.override("en"):
        assert format_amount(Decimal("1234.565"), "PLN") == "1,234.57\N{NO-BREAK SPACE}PLN"
    with translation.override("fr"):
        assert (
            format_amount(Decimal("1234.5"), "EUR")
            == "1\N{NO-BREAK SPACE}234,50\N{NO-BREAK SPACE}EUR"
        )
    assert format_amount(None, "EUR") == ""


def test_index_order_files_letters_with_their_base_letter():
    names = ["Zagreb", "Łódź", "Lyon", "Şanlıurfa", "Sevilla", "Αθήνα", "Aachen"]
    assert sorted(names, key=sort_key) == [
        "Aachen",
        "Łódź",
        "Lyon",
        "Şanlıurfa",
        "Sevilla",
        "Zagreb",
        "Αθήνα",
    ]
