"""A toolkit edition rendered by a real Celery worker, in its own process, fed through Redis, and
downloaded as the portal serves it.

Skipped only where no Redis is reachable and CI is not set; under CI a missing Redis fails.
"""

import hashlib
import time

import pytest
from celery import Celery
from django.urls import reverse

from documents.models import JobStatus
from tests.toolkits.factories import build_toolkit_world
from tests.toolkits.test_pdf import CITIES, TITLES, four_city_edition, one_line, pdf_text
from tests.worker import REDIS_URL, celery_worker
from toolkits import services
from toolkits.models import Rendering


@pytest.fixture
def media_root(settings, tmp_path):
    """One media folder for this process and the worker: the worker writes, the test reads."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker_queue(media_root):
    with celery_worker(DJANGO_MEDIA_ROOT=str(media_root)) as queue:
        yield queue


def wait_until_finished(rendering: Rendering, timeout: float = 120) -> Rendering:
    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        rendering.refresh_from_db()
        seen.add((rendering.status, rendering.progress, rendering.progress_note))
        if rendering.is_finished:
            return rendering
        time.sleep(0.2)
    pytest.fail(f"the worker did not finish the PDF in {timeout}s; saw {sorted(seen)}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_an_edition_through_redis(worker_queue, media_root, client):
    world = build_toolkit_world()
    edition = four_city_edition(world)
    # Asked for through the service, which renders it here at once (eager in tests); then set
    # back to waiting, as a rendering whose first worker died, for the real worker to make.
    rendering = services.edition_rendering(edition, language="de")
    rendering.refresh_from_db()
    assert rendering.status == JobStatus.DONE
    first_file = rendering.pdf_id
    Rendering.objects.filter(pk=rendering.pk).update(
        status=JobStatus.QUEUED, progress=0, progress_note="", pdf=None, finished_at=None
    )

    probe = Celery("probe", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    started = time.monotonic()
    probe.send_task("toolkits.tasks.render_pdf", args=[rendering.pk], queue=worker_queue)
    rendering = wait_until_finished(rendering)
    assert rendering.status == JobStatus.DONE, rendering.error
    assert (rendering.progress, rendering.attempts) == (100, 2)
    stored = rendering.pdf
    assert stored.pk != first_file, "the worker stored a file of its own"
    assert stored.filename == f"{edition.toolkit.slug}-edition-1-de.pdf"
    path = media_root / stored.file.name
    assert path.exists(), "the worker wrote to the shared media folder"
    content = path.read_bytes()
    assert hashlib.sha256(content).hexdigest() == stored.sha256
    print(f"edition rendered by the worker in {time.monotonic() - started:.1f}s")

    text = one_line(pdf_text(content))
    positions = [text.rindex(title) for title in TITLES]
    assert positions == sorted(positions), "the practices in the edition's order"
    for city in CITIES:
        assert city in text
    assert "Polen" in text, "the index names countries in German"

    response = client.get(
        reverse("toolkits:edition_pdf", args=[edition.toolkit.slug, edition.number, "de"])
    )
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == stored.sha256
    assert Rendering.objects.count() == 1
