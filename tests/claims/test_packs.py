"""The evidence pack of a claim: what the ZIP holds, its manifest, the same bytes for the same
claim, its figures, a failed build that says why and can be retried, and who may ask."""

import csv
import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest

from claims import packs
from claims.models import EvidencePack
from claims.services import claim_submit
from claims.services.packs import pack_request, pack_retry
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
    travel_line(world, claim, receipt_name="ticket.pdf")
    return claim_submit(claim, by=fresh(world.supervisor))


def requested(claim, user, capture) -> EvidencePack:
    with capture(execute=True):
        pack = pack_request(claim, by=fresh(user))
    pack.refresh_from_db()
    return pack


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def stored_zip(pack: EvidencePack) -> bytes:
    with pack.file.file.open("rb") as handle:
        return handle.read()


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_pack_holds_what_an_auditor_asks_for(world, claim, django_capture_on_commit_callbacks):
    pack = requested(claim, world.coordinator, django_capture_on_commit_callbacks)
    assert pack.status == JobStatus.DONE, pack.error
    files = unzip(stored_zip(pack))
    line = claim.lines.get(kind="real")
    assert sorted(files) == sorted(
        [
            "MANIFEST.sha256",
            "audit-trail.csv",
            "claim.pdf",
            "lines.csv",
            "lines.xlsx",
            "manifest.json",
            "rates.csv",
            f"receipts/{line.pk}-ticket.pdf",
            "timesheets/olga-officer-2016-11.pdf",
            "timesheets/olga-officer-2016-12.pdf",
        ]
    )
    assert files["claim.pdf"].startswith(b"%PDF")
    assert files[f"receipts/{line.pk}-ticket.pdf"] == line.receipt.file.open("rb").read()
    # The entries in the order of their names, the manifests last, all at the submission.
    with zipfile.ZipFile(io.BytesIO(stored_zip(pack))) as archive:
        names = archive.namelist()
        stamps = {info.date_time for info in archive.infolist()}
    assert names[:-2] == sorted(names[:-2])
    assert names[-2:] == ["manifest.json", "MANIFEST.sha256"]
    assert stamps == {packs.pack_moment(claim)}
    assert pack.sha256 == pack.file.sha256 == hashlib.sha256(stored_zip(pack)).hexdigest()


def test_every_hash_of_the_manifests_matches_its_file(
    world, claim, django_capture_on_commit_callbacks
):
    pack = requested(claim, world.supervisor, django_capture_on_commit_callbacks)
    files = unzip(stored_zip(pack))
    manifest = json.loads(files["manifest.json"])
    listed = {item["path"]: item for item in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json", "MANIFEST.sha256"}
    for path, item in listed.items():
        assert item["sha256"] == hashlib.sha256(files[path]).hexdigest(), path
        assert item["size"] == len(files[path])
    sums = files["MANIFEST.sha256"].decode().splitlines()
    assert len(sums) == len(listed)
    for line in sums:
        digest, path = line.split("  ", 1)
        assert digest == hashlib.sha256(files[path]).hexdigest()


def test_the_same_claim_gives_the_same_bytes(world, claim):
    pack = EvidencePack.objects.create(claim=claim, requested_by=world.coordinator)
    first = packs.build_pack(pack, lambda percent, note="": None)
    second = packs.build_pack(pack, lambda percent, note="": None)
    assert first == second


def test_the_figures_of_the_lines_are_the_claims(world, claim, django_capture_on_commit_callbacks):
    pack = requested(claim, world.coordinator, django_capture_on_commit_callbacks)
    rows = csv_rows(unzip(stored_zip(pack))["lines.csv"])
    headers = rows[0]
    claimed = headers.index("Claimed (EUR)")
    by_category: dict[str, Decimal] = {}
    for row in rows[1:]:
        if row and row[0].isdigit():
            by_category[row[1]] = by_category.get(row[1], Decimal(0)) + Decimal(row[claimed])
    assert by_category == {
        "Staff costs": Decimal("562.50"),
        "Office and administration": Decimal("84.38"),
        "Travel and accommodation": Decimal("250.00"),
    }
    total = next(row for row in rows if row and row[0] == "Total")
    assert Decimal(total[claimed]) == Decimal("896.88")
    rates = csv_rows(unzip(stored_zip(pack))["rates.csv"])
    assert rates[1][0] == "Olga Officer"
    assert rates[1][1] == "2016"
    assert Decimal(rates[1][9]) == Decimal(25)  # 43,000 ÷ 1,720 productive hours
    assert rates[1][11] == "2016-11 2016-12"
    assert Decimal(rates[1][14]) == Decimal("562.50")


def test_a_pack_for_the_same_state_is_reused_and_a_change_builds_another(
    world, claim, django_capture_on_commit_callbacks
):
    first = requested(claim, world.coordinator, django_capture_on_commit_callbacks)
    again = pack_request(claim, by=fresh(world.supervisor))
    assert again.pk == first.pk
    assert again.reused
    claim.version += 1
    claim.save(update_fields=["version"])
    other = requested(claim, world.coordinator, django_capture_on_commit_callbacks)
    assert other.pk != first.pk
    assert other.status == JobStatus.DONE


def test_a_missing_receipt_fails_the_pack_with_the_reason_and_a_retry_builds_it(
    world, claim, django_capture_on_commit_callbacks
):
    line = claim.lines.get(kind="real")
    content = line.receipt.file.open("rb").read()
    line.receipt.file.storage.delete(line.receipt.file.name)
    pack = requested(claim, world.coordinator, django_capture_on_commit_callbacks)
    assert pack.status == JobStatus.FAILED
    assert f"receipt of line {line.pk}" in pack.error
    assert "missing" in pack.error
    assert pack.file is None
    assert not pack.sha256
    assert pack.can_retry
    line.receipt.file.storage.save(line.receipt.file.name, io.BytesIO(content))
    with django_capture_on_commit_callbacks(execute=True):
        pack_retry(pack, by=fresh(world.coordinator))
    pack.refresh_from_db()
    assert pack.status == JobStatus.DONE, pack.error
    assert f"receipts/{line.pk}-ticket.pdf" in unzip(stored_zip(pack))


def test_a_changed_receipt_fails_the_pack(world, claim, django_capture_on_commit_callbacks):
    line = claim.lines.get(kind="real")
    name = line.receipt.file.name
    line.receipt.file.storage.delete(name)
    line.receipt.file.storage.save(name, io.BytesIO(b"%PDF-1.4 something else"))
    pack = requested(claim, world.coordinator, django_capture_on_commit_callbacks)
    assert pack.status == JobStatus.FAILED
    assert "changed" in pack.error


def test_a_draft_claim_has_no_pack(world):
    claim = open_claim(world)
    with pytest.raises(Exception, match="draft"):
        pack_request(claim, by=fresh(world.coordinator))
