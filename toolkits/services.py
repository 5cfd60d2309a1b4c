"""Writes for good practices and toolkits: writing, the review workflow, toolkit contents,
publishing editions and asking for their PDFs.

Every rule lives here with a message on the field it concerns; views, the demo seeder,
benchmarks and tests all come through these functions.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from cities.models import City
from documents import jobs
from documents.models import JobStatus
from mentoring.models import Scheme

from . import permissions
from .images import checked_image
from .models import (
    GoodPractice,
    PracticeImage,
    PracticeReview,
    PracticeStatus,
    Rendering,
    ReviewAction,
    SuccessFactor,
    Toolkit,
    ToolkitEdition,
    ToolkitEntry,
)
from .snapshots import checksum, practice_snapshot, rendering_hash, toolkit_snapshot

# Fields a practice's form may change; the city, status, author and address are not among them.
PRACTICE_FIELDS = (
    "scheme",
    "title",
    "partner_organisations",
    "summary",
    "challenge",
    "actions",
    "results",
    "resources",
    "budget",
    "eu_contribution",
    "currency",
    "started_on",
    "ended_on",
    "transferability",
    "contact_name",
    "contact_email",
    "links",
    "language",
)
PRACTICE_RELATIONS = ("target_groups", "commitments")


def unique_slug(model, text: str, *, field: str = "slug", max_length: int = 200) -> str:
    base = slugify(text)[:max_length].strip("-") or "practice"
    slug, n = base, 1
    while model.objects.filter(**{field: slug}).exists():
        n += 1
        slug = f"{base[: max_length - 6]}-{n}"
    return slug


def clean_links(text: str) -> str:
    """One http(s) address per line, blank lines dropped; every bad line named in the error."""
    check = URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    bad = []
    for number, line in enumerate(lines, start=1):
        try:
            check(line)
        except ValidationError:
            bad.append(
                ValidationError(
                    _("Line %(number)s is not a web address starting with http(s)://: %(line)s"),
                    code="invalid_link",
                    params={"number": number, "line": line},
                )
            )
    if bad:
        raise ValidationError(bad)
    return "\n".join(lines)


def practice_field_errors(
    *,
    budget: Decimal | None,
    eu_contribution: Decimal | None,
    started_on: date | None,
    ended_on: date | None,
) -> dict[str, list[str]]:
    """The rules between a practice's fields, as messages by field (the practice form shows
    them next to its own, so that every message shows at once)."""
    errors: dict[str, list[str]] = {}
    if eu_contribution is not None and budget is not None and eu_contribution > budget:
        errors["eu_contribution"] = [_("The EU contribution cannot exceed the total budget.")]
    if eu_contribution is not None and budget is None:
        errors["budget"] = [_("Give the total budget the EU contribution is part of.")]
    if ended_on and started_on and ended_on < started_on:
        errors["ended_on"] = [_("The end cannot come before the start.")]
    return errors


def _practice_errors(practice: GoodPractice) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        practice.links = clean_links(practice.links)
    except ValidationError as error:
        errors["links"] = error.messages
    errors.update(
        practice_field_errors(
            budget=practice.budget,
            eu_contribution=practice.eu_contribution,
            started_on=practice.started_on,
            ended_on=practice.ended_on,
        )
    )
    return errors


def _validate(practice: GoodPractice) -> None:
    errors: dict[str, list[str]] = {}
    try:
        practice.full_clean(exclude=["slug", "author"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for field, messages in _practice_errors(practice).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _set_relations(practice: GoodPractice, relations: dict) -> None:
    for name in PRACTICE_RELATIONS:
        if name in relations:
            getattr(practice, name).set(relations[name])


def _step(practice: GoodPractice, action: str, by: User, comment: str = "") -> PracticeReview:
    return PracticeReview.objects.create(practice=practice, action=action, by=by, comment=comment)


def _locked(practice: GoodPractice) -> GoodPractice:
    return GoodPractice.objects.select_for_update().get(pk=practice.pk)


def practice_create(*, city: City, author: User, **fields) -> GoodPractice:
    """A draft practice of the city, written by one of its officers. The city need not take
    part in the theme's programme: toolkits gather what every city of the network learned."""
    if not permissions.can_write_practice_for(author, city.pk):
        raise ValidationError(_("Only officers of %(city)s write its practices.") % {"city": city})
    relations = {name: fields.pop(name) for name in PRACTICE_RELATIONS if name in fields}
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown practice fields: {sorted(unknown)}")
    practice = GoodPractice(city=city, author=author, **fields)
    _validate(practice)
    with transaction.atomic():
        practice.slug = unique_slug(GoodPractice, f"{city.name} {practice.title}")
        practice.save()
        _set_relations(practice, relations)
    return practice


def practice_update(practice: GoodPractice, *, by: User, **fields) -> GoodPractice:
    """Change a practice's content. Who may depends on its state as stored, not as the caller
    last saw it (it may have been sent for review meanwhile)."""
    relations = {name: fields.pop(name) for name in PRACTICE_RELATIONS if name in fields}
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown practice fields: {sorted(unknown)}")
    with transaction.atomic():
        stored = _locked(practice)
        if not permissions.can_edit_practice(by, stored):
            raise ValidationError(_("You cannot change this practice in its present state."))
        practice.status = stored.status
        for name, value in fields.items():
            setattr(practice, name, value)
        _validate(practice)
        practice.save()
        _set_relations(practice, relations)
    return practice


def practice_submit(practice: GoodPractice, *, by: User) -> GoodPractice:
    """The officer hands the practice to its reviewers."""
    with transaction.atomic():
        practice = _locked(practice)
        permissions.PRACTICE_WORKFLOW.check(by, practice, "submit")
        if not practice.target_groups.exists():
            raise ValidationError(
                {"target_groups": [_("Name at least one target group before review.")]}
            )
        permissions.PRACTICE_WORKFLOW.take(by, practice, "submit")
        practice.save(update_fields=["status", "updated_at"])
        _step(practice, ReviewAction.SUBMITTED, by)
    return practice


def practice_return(practice: GoodPractice, *, by: User, comment: str) -> GoodPractice:
    """The reviewer sends the practice back with what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what the authors should change.")]})
    with transaction.atomic():
        practice = _locked(practice)
        permissions.PRACTICE_WORKFLOW.take(by, practice, "return")
        practice.save(update_fields=["status", "updated_at"])
        _step(practice, ReviewAction.RETURNED, by, comment)
    return practice


def practice_publish(practice: GoodPractice, *, by: User, comment: str = "") -> GoodPractice:
    with transaction.atomic():
        practice = _locked(practice)
        permissions.PRACTICE_WORKFLOW.check(by, practice, "publish")
        _validate(practice)
        permissions.PRACTICE_WORKFLOW.take(by, practice, "publish")
        practice.published_at = practice.published_at or timezone.now()
        practice.save(update_fields=["status", "published_at", "updated_at"])
        _step(practice, ReviewAction.PUBLISHED, by, (comment or "").strip())
    return practice


def practice_withdraw(practice: GoodPractice, *, by: User, comment: str) -> GoodPractice:
    """Take a published practice off the catalogue, back to its authors as returned. Editions
    already published keep it: they are frozen."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say why the practice is withdrawn.")]})
    with transaction.atomic():
        practice = _locked(practice)
        permissions.PRACTICE_WORKFLOW.take(by, practice, "withdraw")
        practice.save(update_fields=["status", "updated_at"])
        _step(practice, ReviewAction.WITHDRAWN, by, comment)
    return practice


def practice_image_add(
    practice: GoodPractice, *, by: User, image, alt_text: str, caption: str = ""
) -> PracticeImage:
    """Add an image: a real JPEG, PNG, GIF or WebP within the size and pixel limits
    (toolkits.images, the upload form's check too, so a caller that skips the form is held to
    it)."""
    if not permissions.can_edit_practice(by, practice):
        raise ValidationError(_("You cannot change this practice in its present state."))
    try:
        image = checked_image(image)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    position = (practice.images.aggregate(top=Max("position"))["top"] or 0) + 1
    picture = PracticeImage(
        practice=practice, image=image, alt_text=alt_text, caption=caption, position=position
    )
    picture.full_clean()
    picture.save()
    return picture


def practice_image_delete(picture: PracticeImage, *, by: User) -> None:
    if not permissions.can_edit_practice(by, picture.practice):
        raise ValidationError(_("You cannot change this practice in its present state."))
    picture.image.delete(save=False)
    picture.delete()


# Toolkits ---------------------------------------------------------------------------------------


def toolkit_create(*, scheme: Scheme, by: User, title: str, **fields) -> Toolkit:
    if not permissions.can_create_toolkit_for(by, scheme):
        raise ValidationError(_("Only the theme's expert partner or a coordinator makes toolkits."))
    toolkit = Toolkit(scheme=scheme, title=title, **fields)
    toolkit.slug = unique_slug(Toolkit, title)
    toolkit.full_clean()
    toolkit.save()
    return toolkit


def toolkit_update(toolkit: Toolkit, *, by: User, **fields) -> Toolkit:
    if not permissions.can_manage_toolkit(by, toolkit):
        raise ValidationError(_("Only the theme's expert partner or a coordinator edits it."))
    for name, value in fields.items():
        setattr(toolkit, name, value)
    toolkit.full_clean()
    toolkit.save()
    return toolkit


def toolkit_set_practices(toolkit: Toolkit, *, by: User, practices: Iterable[GoodPractice]) -> None:
    """Put exactly these practices in the toolkit, in this order."""
    if not permissions.can_manage_toolkit(by, toolkit):
        raise ValidationError(_("Only the theme's expert partner or a coordinator edits it."))
    practices = list(practices)
    wrong = [p for p in practices if p.status != PracticeStatus.PUBLISHED]
    if wrong:
        raise ValidationError(
            {
                "practices": [
                    _("Only published practices go into a toolkit: %(titles)s.")
                    % {"titles": ", ".join(p.title for p in wrong)}
                ]
            }
        )
    foreign = [p for p in practices if p.scheme_id != toolkit.scheme_id]
    if foreign:
        raise ValidationError(
            {
                "practices": [
                    _("A toolkit holds practices of its own theme only: %(titles)s.")
                    % {"titles": ", ".join(p.title for p in foreign)}
                ]
            }
        )
    if len({p.pk for p in practices}) != len(practices):
        raise ValidationError({"practices": [_("A practice appears only once in a toolkit.")]})
    with transaction.atomic():
        toolkit.entries.all().delete()
        ToolkitEntry.objects.bulk_create(
            ToolkitEntry(toolkit=toolkit, practice=p, position=i)
            for i, p in enumerate(practices, start=1)
        )
        Toolkit.objects.filter(pk=toolkit.pk).update(updated_at=timezone.now())


def toolkit_set_success_factors(
    toolkit: Toolkit, *, by: User, factors: Iterable[tuple[str, str]]
) -> None:
    """Replace the key success factors with these (name, description) pairs, in order."""
    if not permissions.can_manage_toolkit(by, toolkit):
        raise ValidationError(_("Only the theme's expert partner or a coordinator edits it."))
    rows = [
        SuccessFactor(toolkit=toolkit, position=i, name=name.strip(), description=text.strip())
        for i, (name, text) in enumerate(factors, start=1)
        if name.strip()
    ]
    for row in rows:
        row.full_clean()
    with transaction.atomic():
        toolkit.success_factors.all().delete()
        SuccessFactor.objects.bulk_create(rows)


def edition_publish(toolkit: Toolkit, *, by: User, notes: str = "") -> ToolkitEdition:
    """Freeze the toolkit's present content as its next edition, dated today."""
    if not permissions.can_manage_toolkit(by, toolkit):
        raise ValidationError(_("Only the theme's expert partner or a coordinator publishes it."))
    snapshot = toolkit_snapshot(toolkit)
    if not snapshot["practices"]:
        raise ValidationError(_("Add at least one published practice before publishing."))
    today = timezone.localdate()
    for attempt in range(3):
        number = (toolkit.editions.aggregate(top=Max("number"))["top"] or 0) + 1
        content_hash = checksum(
            {"snapshot": snapshot, "number": number, "published_on": today.isoformat()}
        )
        try:
            with transaction.atomic():
                return ToolkitEdition.objects.create(
                    toolkit=toolkit,
                    number=number,
                    published_on=today,
                    published_by=by,
                    notes=notes.strip(),
                    snapshot=snapshot,
                    content_hash=content_hash,
                )
        except IntegrityError:
            # Someone published the same toolkit at the same moment: take the next number.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


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
    from .tasks import render_pdf

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
    """Queue a failed rendering again; anyone who may download it may ask."""
    from .tasks import render_pdf

    if rendering.status != JobStatus.FAILED:
        raise ValidationError(_("Only a failed rendering can be retried."))
    jobs.retry(rendering, render_pdf)


def rendering_redo(rendering: Rendering, *, by: User) -> None:
    """Render a finished PDF again (after a font or template fix); the stored file stays
    downloadable until the new one replaces it."""
    from .tasks import render_pdf

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
