"""An evidence pack built by a real Celery worker, in its own process, fed through Redis.

Skipped only where no Redis is reachable and CI is not set; under CI a missing Redis fails.
"""

import hashlib
import io
import json
import time
import zipfile

import pytest
from celery import Celery

from claims.models import EvidencePack
from claims.services import claim_submit
from claims.services.packs import pack_fingerprint
from documents.models import JobStatus
from tests.reporting.factories import fresh
from tests.worker import REDIS_URL, celery_worker

from .factories import build_claim_world, open_claim, travel_line


@pytest.fixture
def media_root(settings, tmp_path):
    """One media folder for this process and the worker: the worker writes, the test reads."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker_queue(media_root):
    with celery_worker(DJANGO_MEDIA_ROOT=str(media_root)) as queue:
        yield queue


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_an_evidence_pack_through_redis(worker_queue, media_root):
    world = build_claim_world()
    claim = open_claim(world)
    travel_line(world, claim)
    claim = claim_submit(claim, by=fresh(world.supervisor))
    # Queued as the service queues it, without handing it to this process's eager Celery.
    pack = EvidencePack.objects.create(
        claim=claim, requested_by=world.coordinator, fingerprint=pack_fingerprint(claim)
    )
    client = Celery("probe", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    client.send_task("claims.tasks.build_evidence_pack", args=[pack.pk], queue=worker_queue)
    deadline, seen = time.monotonic() + 120, set()
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        seen.add((pack.status, pack.progress))
        if pack.is_finished:
            break
        time.sleep(0.25)
    assert pack.status == JobStatus.DONE, (pack.error, sorted(seen))
    assert pack.file is not None
    data = (media_root / pack.file.file.name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == pack.file.sha256 == pack.sha256
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for item in manifest["files"]:
            assert hashlib.sha256(archive.read(item["path"])).hexdigest() == item["sha256"]
    assert pack.progress == 100
    assert pack.attempts == 1
