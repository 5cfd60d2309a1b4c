"""Import runs: an upload is stored, previewed, and once the person confirms, imported.

A small file (up to TANDEM_IMPORT_BACKGROUND_ROWS rows) is previewed and imported in the
request; a larger one by the job runner (documents.jobs) with its live status, its failure
message and its Retry. Either way the run's ``produce`` does the work: it reads the stored
upload again, asks the kind to examine it, and for the import stage applies it all or nothing
(documents.imports.apply). The preview is stored as a JSON file beside the upload.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import imports, jobs
from .models import ImportRun, ImportStage, JobStatus, StoredFile

logger = logging.getLogger(__name__)

CONTENT_TYPES = {"csv": "text/csv", "xlsx": imports.XLSX_TYPE}


def summary(counts: dict[str, int]) -> str:
    """ "12 to create, 3 to update, 40 unchanged, 2 with errors"."""
    return ", ".join(
        [
            ngettext("%(n)s to create", "%(n)s to create", counts["create"])
            % {"n": counts["create"]},
            ngettext("%(n)s to update", "%(n)s to update", counts["update"])
            % {"n": counts["update"]},
            ngettext("%(n)s unchanged", "%(n)s unchanged", counts["unchanged"])
            % {"n": counts["unchanged"]},
            ngettext("%(n)s with errors", "%(n)s with errors", counts["error"])
            % {"n": counts["error"]},
        ]
    )


class ImportFailed(Exception):
    """The run cannot go on; the message says why (shown on the run's page)."""


def _read(run: ImportRun) -> tuple[imports.ImportKind, object, imports.Table]:
    kind = imports.get(run.kind)
    user = run.requested_by
    try:
        target = kind.target(user, run.target)
    except Http404:
        raise ValidationError(
            _("What this file was to be imported into is no longer yours to change.")
        ) from None
    allowed, reason = kind.allowed(user, target)
    if not allowed:
        raise ValidationError(reason)
    try:
        with run.upload.file.open("rb") as file:
            content = file.read()
    except OSError:
        # The storage is unreachable or the file went missing: the run can be retried once the
        # storage is back; the upload is never taken for an empty or different file.
        logger.exception("ImportRun %s: the stored upload cannot be read", run.pk)
        raise ValidationError(
            _(
                "The uploaded file cannot be read from the portal's storage at the moment. "
                "Retry in a while; if it fails again, upload the file again."
            )
        ) from None
    table = imports.read(content, filename=run.filename, kind=kind)
    return kind, target, table


def run_start(*, kind: imports.ImportKind, target, user, upload) -> ImportRun:
    """Store the upload and preview it: at once for a small file, as a job for a large one.
    A file that cannot be read at all is refused here (ImportFileError, a ValidationError) and
    nothing is stored."""
    content = upload.read(settings.TANDEM_IMPORT_MAX_BYTES + 1)
    filename = (upload.name or "upload").rsplit("/", 1)[-1][-150:]
    table = imports.read(content, filename=filename, kind=kind)
    with transaction.atomic():
        stored = StoredFile.store(
            content,
            filename=filename,
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
        )
        run = ImportRun.objects.create(
            kind=kind.key,
            target=kind.ident(target),
            target_label=kind.describe(target)[:300],
            upload=stored,
            filename=filename,
            sha256=stored.sha256,
            rows=len(table.rows),
            requested_by=user,
        )
        _go(run, in_background=len(table.rows) > settings.TANDEM_IMPORT_BACKGROUND_ROWS)
    run.refresh_from_db()
    return run


def run_confirm(run: ImportRun, *, by) -> ImportRun:
    """Import a previewed run: it is read and examined again, and applied only without
    errors. A run already imported, or being worked on, is refused."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.requested_by_id != by.pk:
            raise ValidationError(_("Only the person who uploaded the file can import it."))
        if run.applied_at is not None:
            raise ValidationError(_("This file has already been imported."))
        if run.status != JobStatus.DONE:
            raise ValidationError(_("Wait until the preview is ready."))
        if run.errors:
            raise ValidationError(_("Correct the rows with errors and upload the file again."))
        run.stage = ImportStage.APPLY
        run.status = JobStatus.QUEUED
        run.progress, run.progress_note, run.error = 0, "", ""
        run.save(update_fields=["stage", "status", "progress", "progress_note", "error"])
        _go(run, in_background=run.rows > settings.TANDEM_IMPORT_BACKGROUND_ROWS)
    run.refresh_from_db()
    return run


def run_retry(run: ImportRun, *, by) -> None:
    if run.requested_by_id != by.pk or not run.can_retry:
        raise ValidationError(_("This import cannot be run again."))
    from .tasks import run_import

    if run.rows > settings.TANDEM_IMPORT_BACKGROUND_ROWS:
        jobs.retry(run, run_import)
    else:
        ImportRun.objects.filter(pk=run.pk).update(status=JobStatus.QUEUED, error="")
        run.refresh_from_db()
        _go(run, in_background=False)


def _go(run: ImportRun, *, in_background: bool) -> None:
    from .tasks import run_import

    if in_background:
        jobs.enqueue(run, run_import)
    else:
        run_now(run.pk)


def run_now(pk: int) -> None:
    """Run the job in this process (what the task does, without a lease to keep)."""
    job = jobs.start(ImportRun, pk)
    if job is None:
        return
    try:
        jobs.finish(job, produce(job, progress=lambda percent, note="": None))
    except ImportFailed as error:
        jobs.fail(job, str(error))
    except Exception as error:  # the person sees why, and can retry
        logger.exception("ImportRun %s failed", pk)
        jobs.fail(job, _("The import could not be run: %(error)s") % {"error": error})


def produce(run: ImportRun, progress) -> jobs.Produced:
    """Preview or import the run's file (the job's work)."""
    progress(5, _("Reading the file"))
    try:
        kind, target, table = _read(run)
    except ValidationError as error:
        raise ImportFailed(" ".join(error.messages)) from None
    progress(20, _("Checking %(rows)s rows") % {"rows": len(table.rows)})
    user = run.requested_by
    if run.stage == ImportStage.APPLY:
        before = {"create": run.created, "update": run.updated, "unchanged": run.unchanged}
        try:
            results = imports.apply(kind, table, user=user, target=target, source=run.filename)
        except ValidationError as error:
            raise ImportFailed(
                _("Nothing was imported: %(error)s") % {"error": " ".join(error.messages)}
            ) from None
        found = imports.counts(results)
        applied = not found["error"]
        changed = {k: found[k] for k in before} != before or bool(found["error"])
        fields = {"changed_since_preview": changed}
        if applied:
            fields["applied_at"] = timezone.now()
            note = _("Imported: %(summary)s.") % {"summary": summary(found)}
        else:
            note = _("Not imported: the data changed since the preview. %(summary)s.") % {
                "summary": summary(found)
            }
    else:
        results = imports.examine(kind, table, user=user, target=target)
        found = imports.counts(results)
        fields = {}
        note = _("Preview: %(summary)s.") % {"summary": summary(found)}
    progress(90, _("Saving the outcome"))
    ImportRun.objects.filter(pk=run.pk).update(
        rows=len(results),
        created=found["create"],
        updated=found["update"],
        unchanged=found["unchanged"],
        errors=found["error"],
        **fields,
    )
    body = json.dumps([result.to_dict() for result in results], ensure_ascii=False).encode()
    return jobs.Produced(
        files={"preview": jobs.Output(body, f"preview-{run.pk}.json", "application/json")},
        note=note,
    )


def results_of(run: ImportRun) -> list[imports.RowResult]:
    """The stored outcome of every row (empty until the preview is made)."""
    if run.preview is None:
        return []
    try:
        with run.preview.file.open("rb") as file:
            return [imports.RowResult.from_dict(data) for data in json.load(file)]
    except (OSError, ValueError):
        return []
