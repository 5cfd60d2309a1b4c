"""Files the portal generates (reports, toolkit PDFs) and the background jobs that build them."""

import hashlib
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHUNK = 1024 * 1024


class StoredFile(models.Model):
    """A generated file in shared storage, with its checksum. It is written completely before
    this row exists, so a row always points at a whole file."""

    file = models.FileField(_("file"), upload_to="generated/%Y/%m/", max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @classmethod
    def store(cls, content: bytes | BinaryIO, *, filename: str, content_type: str) -> "StoredFile":
        """Store bytes, or a binary file read in chunks (never whole into memory)."""
        if isinstance(content, bytes):
            digest, size = hashlib.sha256(content).hexdigest(), len(content)
            body = ContentFile(content)
        else:
            checksum, size = hashlib.sha256(), 0
            content.seek(0)
            for chunk in iter(lambda: content.read(CHUNK), b""):
                checksum.update(chunk)
                size += len(chunk)
            content.seek(0)
            digest, body = checksum.hexdigest(), File(content)
        stored = cls(filename=filename, content_type=content_type, sha256=digest, size=size)
        # The storage name starts with the checksum: unique, and never a half-written file
        # under a name a row points at.
        stored.file.save(f"{digest[:16]}-{filename}", body, save=False)
        stored.save()
        return stored


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class BackgroundJob(models.Model):
    """What every long job shows the person who asked for it: status, progress, the error."""

    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("current step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    enqueued_at = models.DateTimeField(
        _("handed to the job queue at"),
        null=True,
        blank=True,
        help_text=_("Empty while the job queue could not be reached."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def status_payload(self) -> dict:
        """What the live status on the job's page reads."""
        return {
            "status": self.status,
            "status_label": str(self.get_status_display()),
            "progress": self.progress,
            "note": self.progress_note,
            "error": self.error,
            "finished": self.is_finished,
            "waiting_for_queue": self.status == JobStatus.QUEUED and self.enqueued_at is None,
        }
