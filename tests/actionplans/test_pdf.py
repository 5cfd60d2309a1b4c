"""The PDF of a plan version: what it says and in which order, its metadata and tags, one build
for many downloads, failures with their reason and a retry, and who may reach it."""

import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actionplans import documents, services
from actionplans.models import PlanPdf, PlanVersion, Section
from documents.models import JobStatus, StoredFile
from tests.actionplans.factories import build_plan_world, drafted_plan, fresh

pytestmark = pytest.mark.django_db

ACTIONS = ["Split tenders into lots", "Ukrainian tender guides", "Meet-the-buyer days"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_plan_world()


@pytest.fixture
def version(world) -> PlanVersion:
    """Version 1 of Gdańsk's plan, with three actions in the plan's order."""
    plan = drafted_plan(world)
    for title in ACTIONS[1:]:
        services.row_add(plan, section=Section.ACTIONS, by=fresh(world.author), title=title)
    return services.plan_submit(plan, by=fresh(world.author))


def build(version, by, captured, language="en") -> PlanPdf:
    with captured(execute=True):
        pdf = services.pdf_request(version, by=fresh(by), language=language)
    pdf.refresh_from_db()
    return pdf


def read(pdf: PlanPdf) -> PdfReader:
    with pdf.pdf.file.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def text_of(reader: PdfReader) -> str:
    """The pages' text with line breaks as spaces: table cells wrap long titles."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_says_what_the_version_says(world, version, django_capture_on_commit_callbacks):
    pdf = build(version, world.author, django_capture_on_commit_callbacks)
    assert pdf.status == JobStatus.DONE
    assert pdf.progress == 100
    assert pdf.finished_at is not None
    text = text_of(read(pdf))
    assert "Gdańsk buys local" in text
    assert "Gdańsk" in text.replace("Gdańsk buys local", "")
    assert "Rotterdam" in text
    positions = [text.index(title) for title in ACTIONS]
    assert positions == sorted(positions), "actions in the plan's order"
    assert "Contracts won by migrant firms" in text
    assert "Firms do not apply" in text
    assert "Chamber of Commerce" in text
    assert "12,000.00" in text


def test_the_pdf_dates_the_submission_in_the_citys_zone_and_names_it(
    world, version, django_capture_on_commit_callbacks
):
    """One zone per document: the implementing city's, whoever asks for the file."""
    PlanVersion.objects.filter(pk=version.pk).update(
        submitted_at=datetime(2026, 2, 28, 23, 30, tzinfo=UTC)
    )
    world.author.time_zone = "Asia/Seoul"
    world.author.save()
    assert version.plan.pairing.implementing.time_zone == "Europe/Warsaw"
    text = text_of(read(build(version, world.author, django_capture_on_commit_callbacks)))
    assert "1, submitted on March 1, 2026, 12:30 a.m. CET (Europe/Warsaw)" in text


def test_the_pdf_is_the_frozen_version_not_the_plan_today(
    world, version, django_capture_on_commit_callbacks
):
    services.plan_request_changes(version.plan, by=fresh(world.mentor_officer), comment="More.")
    services.title_save(version.plan, by=fresh(world.author), title="A later title")
    text = text_of(read(build(version, world.author, django_capture_on_commit_callbacks)))
    assert "Gdańsk buys local" in text
    assert "A later title" not in text


def test_the_pdf_has_metadata_tags_and_a_file_name(
    world, version, django_capture_on_commit_callbacks
):
    pdf = build(version, world.author, django_capture_on_commit_callbacks, language="de")
    reader = read(pdf)
    assert reader.metadata.title == "Gdańsk buys local"
    assert reader.metadata.author == "Gdańsk"
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "de"
    city = world.pairing.implementing
    assert pdf.pdf.filename == f"{city.slug}-action-plan-v1-de.pdf"
    assert pdf.pdf.content_type == "application/pdf"


def test_the_labels_follow_the_language(world, version, django_capture_on_commit_callbacks):
    text = text_of(read(build(version, world.author, django_capture_on_commit_callbacks)))
    assert "Context and baseline" in text


# Through the pages ------------------------------------------------------------------------------


def pdf_url(version, language="en") -> str:
    return reverse("actionplans:version_pdf", args=[version.plan_id, version.number, language])


def test_downloading_twice_builds_once(
    client, world, version, django_capture_on_commit_callbacks, monkeypatch
):
    builds = []
    real = documents.html_to_pdf

    def counting(html):
        builds.append(html)
        return real(html)

    monkeypatch.setattr(documents, "html_to_pdf", counting)
    client.force_login(world.mentor_officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(pdf_url(version))
    pdf = PlanPdf.objects.get()
    assert first.status_code == 302
    assert first.url == reverse("actionplans:pdf", args=[pdf.pk])
    page = client.get(first.url)
    assert page.status_code == 200
    assert pdf_url(version) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.get(pdf_url(version))
    assert second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert b"".join(second.streaming_content).startswith(b"%PDF")
    assert len(builds) == 1
    assert (PlanPdf.objects.count(), StoredFile.objects.count()) == (1, 1)


def test_a_language_the_portal_does_not_have_is_404(client, world, version):
    client.force_login(world.author)
    assert client.get(pdf_url(version, "xx")).status_code == 404
    assert not PlanPdf.objects.exists()


def test_an_unknown_version_is_404(client, world, version):
    client.force_login(world.author)
    url = reverse("actionplans:version_pdf", args=[version.plan_id, 9, "en"])
    assert client.get(url).status_code == 404


def test_a_failed_build_says_why_and_retry_makes_it(
    client, world, version, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(html):
        raise RuntimeError("the fonts are missing")

    monkeypatch.setattr(documents, "html_to_pdf", broken)
    client.force_login(world.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(pdf_url(version))
    pdf = PlanPdf.objects.get()
    assert pdf.status == JobStatus.FAILED
    page = client.get(response.url).content.decode()
    assert "the fonts are missing" in page
    assert reverse("actionplans:pdf_retry", args=[pdf.pk]) in page
    status = client.get(reverse("actionplans:pdf_status", args=[pdf.pk])).json()
    assert status["status"] == "failed"
    assert "the fonts are missing" in status["error"]

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("actionplans:pdf_retry", args=[pdf.pk]))
    assert retried.status_code == 302
    pdf.refresh_from_db()
    assert (pdf.status, pdf.attempts) == (JobStatus.DONE, 2)
    assert client.get(pdf_url(version)).status_code == 200


def test_retry_of_a_finished_pdf_changes_nothing(
    client, world, version, django_capture_on_commit_callbacks
):
    pdf = build(version, world.author, django_capture_on_commit_callbacks)
    client.force_login(world.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actionplans:pdf_retry", args=[pdf.pk]))
    assert response.status_code == 302
    pdf.refresh_from_db()
    assert (pdf.status, pdf.attempts) == (JobStatus.DONE, 1)


# Who may reach a PDF ----------------------------------------------------------------------------


def endpoints(version, pdf) -> list[tuple[str, str]]:
    return [
        ("get", pdf_url(version)),
        ("get", reverse("actionplans:pdf", args=[pdf.pk])),
        ("get", reverse("actionplans:pdf_status", args=[pdf.pk])),
        ("post", reverse("actionplans:pdf_retry", args=[pdf.pk])),
    ]


@pytest.mark.parametrize("who", ["other_author", "other_expert", "outsider_coordinator", "partner"])
def test_people_who_cannot_see_the_plan_get_404(
    client, world, version, who, django_capture_on_commit_callbacks
):
    pdf = build(version, world.author, django_capture_on_commit_callbacks)
    PlanPdf.objects.filter(pk=pdf.pk).update(status=JobStatus.FAILED)
    client.force_login(getattr(world, who))
    for method, url in endpoints(version, pdf):
        assert getattr(client, method)(url).status_code == 404, url
    assert PlanPdf.objects.get().status == JobStatus.FAILED, "no retry from outside"
    assert PlanPdf.objects.count() == 1


def test_anonymous_people_are_sent_to_log_in(
    client, world, version, django_capture_on_commit_callbacks
):
    pdf = build(version, world.author, django_capture_on_commit_callbacks)
    for method, url in endpoints(version, pdf):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response.url


@pytest.mark.parametrize(
    "who", ["author", "supervisor", "mentor_officer", "mentor_supervisor", "expert", "coordinator"]
)
def test_people_who_see_the_plan_get_its_pdf(
    client, world, version, who, django_capture_on_commit_callbacks
):
    build(version, world.author, django_capture_on_commit_callbacks)
    client.force_login(getattr(world, who))
    response = client.get(pdf_url(version))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_a_plan_in_korean_and_chinese_prints_with_its_glyphs(
    world, django_capture_on_commit_callbacks
):
    """Issue 15: a plan written in Hangul, with an action in Chinese, extracts back from the
    version's PDF and every glyph is drawn by an embedded font; the file keeps the city's
    ASCII slug."""
    from tests.pdf_glyphs import assert_every_glyph_drawn

    plan = drafted_plan(world)
    services.title_save(plan, by=fresh(world.author), title="서울 공공조달 개방")
    services.row_add(plan, section=Section.ACTIONS, by=fresh(world.author), title="臺北採購指南")
    version = services.plan_submit(plan, by=fresh(world.author))
    pdf = build(version, world.author, django_capture_on_commit_callbacks)
    assert pdf.status == JobStatus.DONE, pdf.error
    with pdf.pdf.file.open("rb") as stored:
        assert_every_glyph_drawn(stored.read(), "서울 공공조달 개방", "臺北採購指南")
    assert pdf.pdf.filename.isascii()


def test_costs_are_in_the_programmes_currency_on_the_page_and_in_the_pdf(
    client, world, version, django_capture_on_commit_callbacks
):
    """Issue 15: a plan of a programme kept in rand says so, not euros."""
    programme = version.plan.pairing.scheme.programme
    type(programme).objects.filter(pk=programme.pk).update(currency="ZAR")
    text = text_of(read(build(version, world.author, django_capture_on_commit_callbacks)))
    assert "Cost (ZAR)" in text
    assert "12,000.00" in text
    assert "(EUR)" not in text
    client.force_login(world.author)
    page = client.get(reverse("actionplans:plan", kwargs={"pk": version.plan.pk}))
    html = page.content.decode()
    assert "ZAR" in html
    assert "12,000.00" in html
    assert "€" not in html
