"""Files the portal generates (reports, toolkit PDFs) and the background jobs that build them."""

import hashlib
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Q
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
    # The worker that ran it went away (its process or machine died): the sweep starts it again.
    INTERRUPTED = "interrupted", _("Interrupted")


# Asked for and not finished yet: an identical request joins such a job instead of starting one.
ACTIVE = [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.INTERRUPTED]


def lease() -> timedelta:
    """How long a running job stays its worker's after that worker's last sign of life."""
    return timedelta(seconds=settings.TANDEM_JOB_LEASE_SECONDS)


def lease_expired(now=None) -> Q:
    """Running jobs whose worker has not shown a sign of life within the lease (gone)."""
    cutoff = (now or timezone.now()) - lease()
    return Q(status=JobStatus.RUNNING) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff))


class BackgroundJob(models.Model):
    """What every long job shows the person who asked for it: status, progress, the error.

    A running job is its worker's while the worker shows signs of life (``heartbeat_at``, every
    few seconds); once that lease has expired the worker is taken to be gone, the job shows as
    interrupted and is started again. ``fingerprint`` names what was asked for: one active job
    per fingerprint, so that an identical request joins it (the database holds that rule)."""

    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
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
    heartbeat_at = models.DateTimeField(
        _("last sign of life of its worker"),
        null=True,
        blank=True,
        help_text=_("Refreshed while the job runs; a running job silent for too long is lost."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    fingerprint = models.CharField(
        _("request fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("What was asked for; identical requests join the active job."),
    )

    # Set by documents.jobs.request: this request joined a job asked for before (not saved).
    joined = False

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=Q(status__in=ACTIVE) & ~Q(fingerprint=""),
                name="%(app_label)s_%(class)s_one_active_per_fingerprint",
            ),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_interrupted(self) -> bool:
        """Interrupted, or running on a worker that has not shown a sign of life within the
        lease (the sweep has not marked it yet)."""
        if self.status == JobStatus.INTERRUPTED:
            return True
        if self.status != JobStatus.RUNNING:
            return False
        return self.heartbeat_at is None or self.heartbeat_at < timezone.now() - lease()

    @property
    def can_retry(self) -> bool:
        return self.status == JobStatus.FAILED or self.is_interrupted

    def status_payload(self) -> dict:
        """What the live status on the job's page reads."""
        interrupted = self.is_interrupted
        status = JobStatus.INTERRUPTED if interrupted else JobStatus(self.status)
        return {
            "status": status.value,
            "status_label": str(status.label),
            "progress": self.progress,
            "note": self.progress_note,
            "error": self.error,
            "finished": self.is_finished,
            "interrupted": interrupted,
            "waiting_for_queue": self.status == JobStatus.QUEUED and self.enqueued_at is None,
        }


class OutboxMessage(models.Model):
    """A task asked for in a transaction (an e-mail to send, a notification), kept until the job
    queue has taken it: written with the data that caused it, handed over after the commit, and
    handed over again by the sweep while the queue could not be reached. Deleted once taken."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("hand-over attempts"), default=0)

    class Meta:
        verbose_name = _("message waiting for the job queue")
        verbose_name_plural = _("messages waiting for the job queue")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class ImportStage(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    APPLY = "apply", _("Import")


class ImportRun(BackgroundJob):
    """One upload of a spreadsheet to import (documents.imports): who imported which file into
    what, its preview's counts, and whether it was applied. Its job previews the file, and once
    the person confirms, reads it again and imports it (``stage``). The upload is private to
    the person who made it; the history of a target shows who imported what from which file."""

    kind = models.CharField(_("kind of import"), max_length=40)
    target = models.CharField(_("imported into (identifier)"), max_length=200)
    target_label = models.CharField(_("imported into"), max_length=300)
    upload = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded file")
    )
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    stage = models.CharField(
        _("stage"), max_length=10, choices=ImportStage.choices, default=ImportStage.PREVIEW
    )
    preview = models.ForeignKey(
        StoredFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preview (every row's outcome)"),
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("rows to create"), default=0)
    updated = models.PositiveIntegerField(_("rows to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged rows"), default=0)
    errors = models.PositiveIntegerField(_("rows with errors"), default=0)
    changed_since_preview = models.BooleanField(
        _("changed since the preview"),
        default=False,
        help_text=_("The data changed between the preview and the import: the import decided."),
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["kind", "target"], name="import_run_kind_target")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"
