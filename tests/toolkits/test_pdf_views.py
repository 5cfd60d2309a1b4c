"""Downloading toolkit and practice PDFs, following their jobs, retrying, rendering again, and who
may do what on every URL."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import JobStatus, StoredFile
from tests.toolkits.factories import build_toolkit_world, draft, fresh, published, toolkit_with
from tests.toolkits.test_pdf import four_city_edition, one_line, pdf_text, render_edition
from toolkits import rendering as renderer
from toolkits import services
from toolkits.models import Rendering

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_toolkit_world()


@pytest.fixture
def edition(world):
    return four_city_edition(world)


def edition_url(edition, language="en") -> str:
    return reverse("toolkits:edition_pdf", args=[edition.toolkit.slug, edition.number, language])


def practice_url(practice, language="en") -> str:
    return reverse("toolkits:practice_pdf", args=[practice.slug, language])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def download(client, url, captured):
    """Ask for a PDF the way a browser does: the first request queues the job (run here when
    the request's transaction commits) and sends to the rendering's page; the next one gets
    the file."""
    with captured(execute=True):
        first = client.get(url)
    if first.status_code == 302:
        second = client.get(url)
        return first, second
    return None, first


def broken(*args, **kwargs):
    raise OSError("the layout engine ran out of memory")


# Downloads -------------------------------------------------------------------------------------


def test_a_download_is_rendered_once_and_served_from_storage(
    client, edition, django_capture_on_commit_callbacks
):
    url = edition_url(edition)
    first, response = download(client, url, django_capture_on_commit_callbacks)
    rendering = Rendering.objects.get()
    assert first.url == reverse("toolkits:rendering", args=[rendering.pk])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = f"{edition.toolkit.slug}-edition-1-en.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    content = body(response)
    sha = hashlib.sha256(content).hexdigest()
    assert response["ETag"] == f'"{sha}"'
    assert sha == rendering.pdf.sha256

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = client.get(url)
    assert callbacks == [], "nothing was queued"
    assert hashlib.sha256(body(again)).hexdigest() == sha
    assert Rendering.objects.count() == 1
    assert StoredFile.objects.count() == 1
    text = one_line(pdf_text(content))
    assert "Gdańsk" in text


def test_each_language_is_its_own_rendering(client, edition, django_capture_on_commit_callbacks):
    _first, english = download(client, edition_url(edition), django_capture_on_commit_callbacks)
    _first, german = download(
        client, edition_url(edition, "de"), django_capture_on_commit_callbacks
    )
    assert german["Content-Disposition"].endswith(f'"{edition.toolkit.slug}-edition-1-de.pdf"')
    assert body(english) != body(german)
    assert Rendering.objects.count() == 2


def test_a_new_edition_gets_its_own_pdf_and_the_old_one_keeps_its_content(
    client, world, edition, django_capture_on_commit_callbacks
):
    _first, old = download(client, edition_url(edition), django_capture_on_commit_callbacks)
    old_content = body(old)
    practice = edition.toolkit.entries.first().practice
    services.practice_update(practice, by=fresh(world.expert), title="Tenders split into lots")
    second = services.edition_publish(edition.toolkit, by=fresh(world.expert))
    assert second.number == 2

    _first, new = download(client, edition_url(second), django_capture_on_commit_callbacks)
    new_text = one_line(pdf_text(body(new)))
    assert "Tenders split into lots" in new_text
    assert "Split tenders for small suppliers" not in new_text
    assert new["Content-Disposition"].endswith('-edition-2-en.pdf"')

    _none, again = download(client, edition_url(edition), django_capture_on_commit_callbacks)
    assert _none is None, "the old edition is served at once"
    assert body(again) == old_content
    assert "Split tenders for small suppliers" in one_line(pdf_text(old_content))
    assert Rendering.objects.count() == 2


def test_a_change_to_a_practice_makes_a_new_practice_pdf(
    client, world, django_capture_on_commit_callbacks
):
    practice = published(world)
    url = practice_url(practice)
    first, response = download(client, url, django_capture_on_commit_callbacks)
    assert first.status_code == 302
    assert response["Content-Disposition"] == f'attachment; filename="{practice.slug}-en.pdf"'
    before = body(response)
    _none, same = download(client, url, django_capture_on_commit_callbacks)
    assert body(same) == before

    services.practice_update(practice, by=fresh(world.expert), results="31 firms won contracts.")
    first, changed = download(client, url, django_capture_on_commit_callbacks)
    assert first is not None, "new content: a new rendering"
    assert "31 firms won contracts." in one_line(pdf_text(body(changed)))
    assert Rendering.objects.filter(practice=practice).count() == 2


@pytest.mark.parametrize("language", ["it", "xx", "EN", "en-gb"])
def test_unknown_languages_are_404(client, world, edition, language):
    practice = edition.toolkit.entries.first().practice
    assert client.get(edition_url(edition, language)).status_code == 404
    assert client.get(practice_url(practice, language)).status_code == 404
    assert not Rendering.objects.exists()


def test_unknown_editions_and_toolkits_are_404(client, edition):
    slug = edition.toolkit.slug
    assert client.get(reverse("toolkits:edition_pdf", args=[slug, 2, "en"])).status_code == 404
    assert client.get(reverse("toolkits:edition_pdf", args=["nope", 1, "en"])).status_code == 404
    assert client.get(reverse("toolkits:practice_pdf", args=["nope", "en"])).status_code == 404


@pytest.mark.parametrize("who", [None, "officer", "expert", "coordinator"])
def test_a_practice_that_is_not_published_has_no_pdf(client, world, who):
    waiting = draft(world, title="Still a draft")
    in_review = draft(world, title="Being reviewed")
    services.practice_submit(in_review, by=fresh(world.officer))
    if who:
        client.force_login(getattr(world, who))
    for practice in (waiting, in_review):
        assert client.get(practice_url(practice)).status_code == 404
    assert not Rendering.objects.exists()


def test_downloads_only_read(client, edition):
    assert client.post(edition_url(edition)).status_code == 405


# A rendering's page ----------------------------------------------------------------------------


def test_the_rendering_page_follows_a_waiting_job(
    client, edition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(edition_url(edition), follow=True)
    rendering = Rendering.objects.get()
    assert response.redirect_chain == [(reverse("toolkits:rendering", args=[rendering.pk]), 302)]
    html = response.content.decode()
    assert "PDF of Buyers and suppliers, edition 1" in html
    assert "Waiting to start" in html
    status_url = reverse("toolkits:rendering_status", args=[rendering.pk])
    assert f'data-job-status-url="{status_url}"' in html
    assert "js/job-status.js" in html
    assert "<script>" not in html, "no inline script"
    assert ">Refresh</a>" in html
    assert "rendering_redo" not in html
    assert reverse("toolkits:rendering_redo", args=[rendering.pk]) not in html

    status = client.get(status_url)
    assert status.status_code == 200
    assert "no-cache" in status["Cache-Control"]
    assert status.json() == {
        "status": "queued",
        "status_label": "Waiting to start",
        "progress": 0,
        "note": "",
        "error": "",
        "finished": False,
        "interrupted": False,
        "waiting_for_queue": True,
    }


def test_a_done_rendering_links_its_download(client, edition, django_capture_on_commit_callbacks):
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    html = client.get(reverse("toolkits:rendering", args=[rendering.pk])).content.decode()
    assert f'href="{edition_url(edition)}"' in html
    assert rendering.pdf.filename in html
    assert rendering.pdf.sha256 in html
    assert 'value="100"' in html
    assert ">Refresh</a>" not in html


def test_a_failed_render_says_why_and_anyone_may_retry(
    client, edition, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(renderer, "html_to_document", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(edition_url(edition))
    rendering = Rendering.objects.get()
    assert rendering.status == JobStatus.FAILED

    response = client.get(edition_url(edition), follow=True)
    assert response.status_code == 200, "a failed download is a page that says so, not a 500"
    page = reverse("toolkits:rendering", args=[rendering.pk])
    assert response.redirect_chain == [(page, 302)]
    html = response.content.decode()
    assert "What went wrong" in html
    assert "The PDF could not be made: the layout engine ran out of memory" in html
    retry = reverse("toolkits:rendering_retry", args=[rendering.pk])
    assert f'action="{retry}"' in html
    assert client.get(retry).status_code == 405, "retrying changes data: POST only"

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert "The PDF is being made again." in response.content.decode()
    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts) == (JobStatus.DONE, 2)
    download = client.get(edition_url(edition))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_only_a_failed_rendering_is_retried(client, edition, django_capture_on_commit_callbacks):
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("toolkits:rendering_retry", args=[rendering.pk]), follow=True
        )
    assert "Only a failed or interrupted rendering can be retried." in response.content.decode()
    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts) == (JobStatus.DONE, 1)


def test_a_rendering_of_a_withdrawn_practice_is_seen_by_its_people_only(
    client, world, django_capture_on_commit_callbacks
):
    practice = published(world)
    with django_capture_on_commit_callbacks(execute=True):
        rendering = services.practice_rendering(practice, language="en")
    urls = [
        ("get", reverse("toolkits:rendering", args=[rendering.pk])),
        ("get", reverse("toolkits:rendering_status", args=[rendering.pk])),
        ("post", reverse("toolkits:rendering_retry", args=[rendering.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code in (200, 302), url
    services.practice_withdraw(practice, by=fresh(world.expert), comment="Figures to check.")

    for who in (None, "other_officer", "other_expert", "outsider_coordinator", "partner"):
        if who:
            client.force_login(getattr(world, who))
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (who, url)
    client.force_login(world.officer)
    html = client.get(urls[0][1]).content.decode()
    assert "Buying from newcomers" in html
    assert practice_url(practice) not in html, "no download link: the practice is off-line"
    missing = reverse("toolkits:rendering", args=[rendering.pk + 1000])
    assert client.get(missing).status_code == 404


def test_the_rendering_page_never_names_who_asked(
    client, world, edition, django_capture_on_commit_callbacks
):
    rendering = render_edition(
        edition, django_capture_on_commit_callbacks, by=fresh(world.coordinator)
    )
    html = client.get(reverse("toolkits:rendering", args=[rendering.pk])).content.decode()
    assert "Cora Coord" not in html


# Rendering again ---------------------------------------------------------------------------------


def test_coordinators_render_an_edition_again(
    client, world, edition, django_capture_on_commit_callbacks
):
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    first = rendering.pdf_id
    client.force_login(world.coordinator)
    page = reverse("toolkits:rendering", args=[rendering.pk])
    redo = reverse("toolkits:rendering_redo", args=[rendering.pk])
    assert f'action="{redo}"' in client.get(page).content.decode()
    assert client.get(redo).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(redo, follow=True)
    assert response.redirect_chain == [(page, 302)]
    rendering.refresh_from_db()
    assert rendering.status == JobStatus.DONE
    assert rendering.pdf_id != first
    assert rendering.attempts == 2
    assert Rendering.objects.count() == 1


def test_a_failed_rerender_keeps_serving_the_previous_file(
    client, world, edition, django_capture_on_commit_callbacks, monkeypatch
):
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    sha = rendering.pdf.sha256
    monkeypatch.setattr(renderer, "html_to_document", broken)
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("toolkits:rendering_redo", args=[rendering.pk]))
    rendering.refresh_from_db()
    assert rendering.status == JobStatus.FAILED
    client.logout()
    response = client.get(edition_url(edition))
    assert response.status_code == 200
    assert hashlib.sha256(body(response)).hexdigest() == sha


def test_a_running_rendering_is_not_rendered_again(
    client, world, edition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        rendering = services.edition_rendering(edition, language="en")
    client.force_login(world.coordinator)
    response = client.post(reverse("toolkits:rendering_redo", args=[rendering.pk]), follow=True)
    assert "This PDF is being made already." in response.content.decode()


@pytest.mark.parametrize(
    "who", ["officer", "expert", "other_expert", "partner", "outsider_coordinator"]
)
def test_only_the_programmes_coordinators_render_again(
    client, world, edition, django_capture_on_commit_callbacks, who
):
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    redo = reverse("toolkits:rendering_redo", args=[rendering.pk])
    client.force_login(getattr(world, who))
    assert client.post(redo).status_code == 403, "they see the public rendering, not change it"
    html = client.get(reverse("toolkits:rendering", args=[rendering.pk])).content.decode()
    assert f'action="{redo}"' not in html
    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts) == (JobStatus.DONE, 1)


def test_anonymous_people_are_sent_to_sign_in_to_render_again(
    client, edition, django_capture_on_commit_callbacks
):
    rendering = render_edition(edition, django_capture_on_commit_callbacks)
    response = client.post(reverse("toolkits:rendering_redo", args=[rendering.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    rendering.refresh_from_db()
    assert rendering.attempts == 1


def test_a_practice_pdf_is_not_rendered_again(client, world, django_capture_on_commit_callbacks):
    practice = published(world)
    with django_capture_on_commit_callbacks(execute=True):
        rendering = services.practice_rendering(practice, language="en")
    client.force_login(world.coordinator)
    assert client.post(reverse("toolkits:rendering_redo", args=[rendering.pk])).status_code == 403


# A toolkit's renderings --------------------------------------------------------------------------


def renderings_url(toolkit) -> str:
    return reverse("toolkits:toolkit_renderings", args=[toolkit.slug])


@pytest.mark.parametrize(
    "who",
    ["officer", "expert", "other_expert", "partner", "outsider_coordinator", "outsider_expert"],
)
def test_only_the_programmes_coordinators_see_the_renderings_table(client, world, edition, who):
    client.force_login(getattr(world, who))
    url = renderings_url(edition.toolkit)
    assert client.get(url).status_code == 404
    assert client.post(url, {"edition": 1, "language": "en"}).status_code == 404
    assert not Rendering.objects.exists()


def test_anonymous_people_are_sent_to_sign_in_for_the_table(client, edition):
    response = client.get(renderings_url(edition.toolkit))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    response = client.post(renderings_url(edition.toolkit), {"edition": 1, "language": "en"})
    assert response.status_code == 302
    assert not Rendering.objects.exists()


def test_the_table_shows_every_edition_in_every_language(
    client, world, edition, django_capture_on_commit_callbacks, monkeypatch
):
    render_edition(edition, django_capture_on_commit_callbacks, language="en")
    with monkeypatch.context() as patch:
        patch.setattr(renderer, "html_to_document", broken)
        failed = render_edition(edition, django_capture_on_commit_callbacks, language="fr")
    client.force_login(world.coordinator)
    url = renderings_url(edition.toolkit)
    response = client.get(url)
    assert response.status_code == 200
    rows = {row["language"]: row["rendering"] for row in response.context["rows"]}
    assert rows["en"].status == JobStatus.DONE
    assert rows["fr"].status == JobStatus.FAILED
    assert rows["de"] is None
    html = response.content.decode()
    assert '<th scope="col">Status</th>' in html
    assert "the layout engine ran out of memory" in html
    retry = reverse("toolkits:rendering_retry", args=[failed.pk])
    assert f'action="{retry}"' in html
    assert f'action="{reverse("toolkits:rendering_redo", args=[rows["en"].pk])}"' in html
    assert f'href="{edition_url(edition)}"' in html
    assert "Not made yet" in html
    assert "data-rendering-status-url" not in html, "nothing is running"
    assert "<script>" not in html

    # Render the missing one, then retry the failed one from the table.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"edition": 1, "language": "de"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "The PDF is being made." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, {"next": url})
    assert response.url == url
    response = client.get(url)
    statuses = {row["language"]: row["rendering"].status for row in response.context["rows"]}
    assert statuses == {"en": "done", "fr": "done", "de": "done"}


def test_the_table_follows_running_jobs(client, world, edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        rendering = services.edition_rendering(edition, language="de")
    Rendering.objects.filter(pk=rendering.pk).update(
        status=JobStatus.RUNNING, progress=40, progress_note="Laying out the pages"
    )
    client.force_login(world.coordinator)
    html = client.get(renderings_url(edition.toolkit)).content.decode()
    status = reverse("toolkits:rendering_status", args=[rendering.pk])
    assert f'data-rendering-status-url="{status}"' in html
    assert f'<progress id="progress-{rendering.pk}" max="100" value="40"' in html
    assert "Laying out the pages" in html
    assert "js/toolkit-renderings.js" in html
    assert client.get(status).json()["progress"] == 40


@pytest.mark.parametrize(
    "data", [{"edition": 9, "language": "en"}, {"edition": 1}, {"edition": 1, "language": "xx"}]
)
def test_asking_for_something_that_does_not_exist_is_400(client, world, edition, data):
    client.force_login(world.coordinator)
    response = client.post(renderings_url(edition.toolkit), data)
    assert response.status_code == 400
    assert "Choose an edition and a language." in response.content.decode()
    assert not Rendering.objects.exists()


def test_an_unsafe_next_address_is_ignored(
    client, world, edition, django_capture_on_commit_callbacks, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(renderer, "html_to_document", broken)
        failed = render_edition(edition, django_capture_on_commit_callbacks)
    response = client.post(
        reverse("toolkits:rendering_retry", args=[failed.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("toolkits:rendering", args=[failed.pk])


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_table_issues_the_same_queries_for_one_edition_or_many(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    toolkit = toolkit_with(world, [published(world)])
    services.edition_publish(toolkit, by=fresh(world.expert))
    client.force_login(world.coordinator)
    url = renderings_url(toolkit)
    with django_capture_on_commit_callbacks(execute=False):
        services.edition_rendering(toolkit.editions.get(), language="en")
    few = count_queries(client, url)

    for _n in range(3):
        edition = services.edition_publish(toolkit, by=fresh(world.expert))
        for language in ("en", "de"):
            render_edition(edition, django_capture_on_commit_callbacks, language=language)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert len(response.context["rows"]) == 4 * 3


def test_the_written_out_lookup_of_an_editions_pdf_reads_what_the_orm_reads(
    client, edition, django_capture_on_commit_callbacks
):
    """``selectors.stored_edition_pdf`` builds its models from a row of its own SQL: every field
    it loads holds the same value as the ORM's, for the rendering and for its file."""
    from toolkits.selectors import stored_edition_pdf

    download(client, edition_url(edition), django_capture_on_commit_callbacks)
    found = stored_edition_pdf(edition.toolkit.slug, edition.number, "en")
    stored = Rendering.objects.select_related("pdf").get(pk=found.pk)
    for name in ("id", "edition_id", "language", "content_hash", "pdf_id"):
        assert getattr(found, name) == getattr(stored, name), name
    for name in ("id", "file", "filename", "content_type", "sha256"):
        assert getattr(found.pdf, name) == getattr(stored.pdf, name), name
    assert stored_edition_pdf(edition.toolkit.slug, edition.number + 1, "en") is None
    assert stored_edition_pdf(edition.toolkit.slug, edition.number, "de") is None
