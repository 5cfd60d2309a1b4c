"""Good practices: writing them, their review, their images."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cities.models import City
from config import stale
from config.slugs import unique_slug
from mentoring.services.frames import check_commitments

from .. import notifications, permissions
from ..images import checked_image
from ..models import (
    GoodPractice,
    PracticeImage,
    PracticeReview,
    ReviewAction,
)

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


def _check_relations(practice: GoodPractice, relations: dict) -> None:
    """Target groups and commitments come from the frame of the practice's programme (the
    programme of its scheme): its own target groups, its framework's commitments."""
    programme = practice.scheme.programme
    errors: dict[str, list[str]] = {}
    try:
        check_commitments(programme, relations.get("commitments") or [])
    except ValidationError as error:
        errors.update(error.message_dict)
    wrong = [g for g in relations.get("target_groups") or [] if g.programme_id != programme.pk]
    if wrong:
        errors["target_groups"] = [
            _("Only target groups of %(programme)s may be chosen, not: %(wrong)s.")
            % {"programme": programme, "wrong": ", ".join(str(g) for g in wrong)}
        ]
    if errors:
        raise ValidationError(errors)


def _set_relations(practice: GoodPractice, relations: dict) -> None:
    for name in PRACTICE_RELATIONS:
        if name in relations:
            getattr(practice, name).set(relations[name])


def _step(practice: GoodPractice, action: str, by: User, comment: str = "") -> PracticeReview:
    """Record the step in the practice's history and tell whoever it concerns (in the step's
    transaction: a rollback takes both back)."""
    step = PracticeReview.objects.create(practice=practice, action=action, by=by, comment=comment)
    notifications.practice_step(practice, step)
    return step


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
    _check_relations(practice, relations)
    with transaction.atomic():
        practice.slug = unique_slug(
            GoodPractice, f"{city.name} {practice.title}", max_length=200, fallback="practice"
        )
        practice.save()
        _set_relations(practice, relations)
    return practice


def practice_update(
    practice: GoodPractice, *, by: User, expected_version: str | None = None, **fields
) -> GoodPractice:
    """Change a practice's content. Who may depends on its state as stored, not as the caller
    last saw it (it may have been sent for review meanwhile). ``expected_version``: the practice
    as the page showed it; one changed since is refused (``config.stale``)."""
    relations = {name: fields.pop(name) for name in PRACTICE_RELATIONS if name in fields}
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown practice fields: {sorted(unknown)}")
    with transaction.atomic():
        stored = _locked(practice)
        if not permissions.can_edit_practice(by, stored):
            raise ValidationError(_("You cannot change this practice in its present state."))
        stale.check(stored, expected_version)
        practice.status = stored.status
        for name, value in fields.items():
            setattr(practice, name, value)
        _validate(practice)
        _check_relations(practice, relations)
        practice.save()
        _set_relations(practice, relations)
    return practice


def practice_submit(practice: GoodPractice, *, by: User) -> GoodPractice:
    """The officer hands the practice to its reviewers."""
    with transaction.atomic():
        practice = _locked(practice)
        permissions.PRACTICE_WORKFLOW.check(by, practice, "submit")
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
