"""The evidence-pack pages: ask, follow, download, retry; and who may (others get 404)."""

import io
import zipfile

import pytest
from django.urls import reverse

from claims.models import EvidencePack
from claims.services import claim_submit
from claims.services.packs import pack_request
from documents import jobs
from documents.models import JobStatus
from tests.reporting.factories import fresh

from .factories import build_claim_world, open_claim, travel_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_claim_world()


@pytest.fixture
def claim(world):
    claim = open_claim(world)
    travel_line(world, claim)
    return claim_submit(claim, by=fresh(world.supervisor))


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_supervisor_asks_for_the_pack_follows_it_and_downloads_it(
    client, world, claim, django_capture_on_commit_callbacks
):
    signed_in(client, world.supervisor)
    page = client.get(claim.get_absolute_url())
    assert b"Build the evidence pack" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:pack_request", args=[claim.pk]))
    pack = EvidencePack.objects.get(claim=claim)
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:pack", args=[pack.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"job-status" in page.content
    assert pack_download_url(pack).encode() in page.content
    status = client.get(reverse("claims:pack_status", args=[pack.pk])).json()
    assert status["status"] == "done"
    assert status["finished"]
    download = client.get(pack_download_url(pack))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    # The claim page now offers the same pack, ready.
    page = client.get(claim.get_absolute_url())
    assert b"Download the ZIP" in page.content
    assert b"Open the evidence pack" in page.content
    response = client.post(reverse("claims:pack_request", args=[claim.pk]))
    assert response["Location"] == reverse("claims:pack", args=[pack.pk])
    assert EvidencePack.objects.filter(claim=claim).count() == 1


def pack_download_url(pack) -> str:
    return reverse("claims:pack_download", args=[pack.pk])


def test_a_failed_pack_says_why_and_is_built_again(
    client, world, claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_request(claim, by=fresh(world.coordinator))
    EvidencePack.objects.filter(pk=pack.pk).update(status=JobStatus.QUEUED, file=None)
    pack.refresh_from_db()
    jobs.start(EvidencePack, pack.pk)
    pack.refresh_from_db()
    jobs.fail(pack, "The receipt of line 1 is missing from the file storage.")
    signed_in(client, world.coordinator)
    page = client.get(reverse("claims:pack", args=[pack.pk]))
    assert b"is missing from the file storage" in page.content
    assert reverse("claims:pack_retry", args=[pack.pk]).encode() in page.content
    assert client.get(pack_download_url(pack)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:pack_retry", args=[pack.pk]))
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.status == JobStatus.DONE
    assert client.get(pack_download_url(pack)).status_code == 200


def test_a_draft_claim_says_it_has_no_pack_yet(client, world):
    claim = open_claim(world)
    signed_in(client, world.supervisor)
    response = client.post(reverse("claims:pack_request", args=[claim.pk]), follow=True)
    assert b"A draft claim has no evidence pack yet." in response.content
    assert not EvidencePack.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("other_officer", 404),  # an officer of another city
        ("other_supervisor", 404),  # a supervisor of another city
        ("officer", 404),  # the city's officer prepares the claim, does not pack it
        ("other_controller", 404),  # a controller not assigned to the city and period
        ("outsider_coordinator", 404),  # a coordinator of another programme
        ("controller", 200),
        ("supervisor", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_have_the_pack(
    client, world, claim, who, expected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_request(claim, by=fresh(world.coordinator))
    signed_in(client, getattr(world, who))
    for name in ("claims:pack", "claims:pack_status", "claims:pack_download"):
        assert client.get(reverse(name, args=[pack.pk])).status_code == expected, name
    response = client.post(reverse("claims:pack_request", args=[claim.pk]))
    assert response.status_code == (302 if expected == 200 else 404)


def test_a_controller_whose_assignment_ended_sees_no_pack(
    client, world, claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_request(claim, by=fresh(world.controller))
    world.controller.control_assignments.update(ends_on="2017-01-01")
    signed_in(client, world.controller)
    assert client.get(reverse("claims:pack", args=[pack.pk])).status_code == 404
