"""PDF renderings of editions and practices: asking, retrying, redoing."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents import jobs
from documents.models import JobStatus

from .. import permissions
from ..models import (
    GoodPractice,
    Rendering,
    ToolkitEdition,
)
from ..snapshots import checksum, practice_snapshot, rendering_hash

# Renderings -------------------------------------------------------------------------------------


def pdf_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _check_language(language: str) -> None:
    if language not in pdf_languages():
        raise ValidationError({"language": [_("PDFs are made in English, French or German.")]})


def edition_rendering_hash(edition: ToolkitEdition, language: str) -> str:
    return rendering_hash("edition", edition.content_hash, language)


def practice_rendering_hash(practice: GoodPractice, language: str) -> str:
    return rendering_hash("practice", checksum(practice_snapshot(practice)), language)


def _rendering(content_hash: str, *, by: User | None, **target) -> tuple[Rendering, bool]:
    """The rendering of this content, asked for now when there is none. Returns it and whether
    this call queued it."""
    from ..tasks import render_pdf

    requested_by = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        rendering, created = Rendering.objects.get_or_create(
            content_hash=content_hash, defaults={"requested_by": requested_by, **target}
        )
        if created:
            jobs.enqueue(rendering, render_pdf)
    return rendering, created


def edition_rendering(
    edition: ToolkitEdition, *, language: str, by: User | None = None
) -> Rendering:
    """The edition's PDF in this language: the stored one, or a job that makes it."""
    _check_language(language)
    return _rendering(
        edition_rendering_hash(edition, language), by=by, edition=edition, language=language
    )[0]


def practice_rendering(
    practice: GoodPractice, *, language: str, by: User | None = None
) -> Rendering:
    """A published practice's one-practice PDF as it reads now."""
    _check_language(language)
    if not practice.is_published:
        raise ValidationError(_("Only a published practice has a PDF."))
    return _rendering(
        practice_rendering_hash(practice, language), by=by, practice=practice, language=language
    )[0]


def rendering_retry(rendering: Rendering, *, by: User | None) -> None:
    """Queue a failed or interrupted rendering again; anyone who may download it may ask."""
    from ..tasks import render_pdf

    if not rendering.can_retry:
        raise ValidationError(_("Only a failed or interrupted rendering can be retried."))
    jobs.retry(rendering, render_pdf)


def rendering_redo(rendering: Rendering, *, by: User) -> None:
    """Render a finished PDF again (after a font or template fix); the stored file stays
    downloadable until the new one replaces it."""
    from ..tasks import render_pdf

    toolkit = rendering.edition.toolkit if rendering.edition is not None else None
    if toolkit is None or not permissions.can_render(by, toolkit):
        raise ValidationError(_("Only the programme's coordinators render toolkits again."))
    if not rendering.is_finished:
        raise ValidationError(_("This PDF is being made already."))
    with transaction.atomic():
        Rendering.objects.filter(pk=rendering.pk).update(
            status=JobStatus.QUEUED,
            progress=0,
            progress_note="",
            error="",
            enqueued_at=None,
            finished_at=None,
            requested_by=by,
            requested_at=timezone.now(),
        )
        jobs.enqueue(rendering, render_pdf)
