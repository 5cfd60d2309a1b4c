"""Stored files carry the checksum of what was written; a CSV streams to disk as it grows."""

import hashlib

import pytest

from documents.exports import CsvDocument
from documents.models import StoredFile


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_bytes_are_stored_with_their_checksum():
    stored = StoredFile.store(b"%PDF-1.7 ...", filename="r.pdf", content_type="application/pdf")
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.7 ...").hexdigest()
    assert stored.size == 12
    assert stored.file.read() == b"%PDF-1.7 ..."


@pytest.mark.django_db
def test_a_large_csv_streams_to_disk_and_is_stored_from_the_file(monkeypatch):
    monkeypatch.setattr(CsvDocument, "SPOOL_BYTES", 1024)
    document = CsvDocument()
    document.section("Day by day", ["Day", "Hours", "Description"])
    for day in range(2000):
        document.row([day, "7.5", "=SUM(A1:A9) typed by someone"])
    assert document._file._rolled, "past the spool size the rows are on disk, not in memory"
    stored = StoredFile.store(document.file(), filename="r.csv", content_type="text/csv")
    content = stored.file.read()
    document.close()
    assert stored.size == len(content) > 2000 * 30
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    text = content.decode("utf-8")
    assert text.startswith("\ufeffDay by day\r\n")
    assert "1999,7.5,'=SUM(A1:A9) typed by someone" in text
