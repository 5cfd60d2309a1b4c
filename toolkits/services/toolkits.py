"""Toolkits: their practices, key success factors and editions."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import today_for
from config import stale
from config.slugs import unique_slug
from mentoring.models import Scheme

from .. import permissions
from ..models import (
    GoodPractice,
    PracticeStatus,
    SuccessFactor,
    Toolkit,
    ToolkitEdition,
    ToolkitEntry,
)
from ..snapshots import checksum, toolkit_snapshot

# Toolkits ---------------------------------------------------------------------------------------


def toolkit_create(*, scheme: Scheme, by: User, title: str, **fields) -> Toolkit:
    if not permissions.can_create_toolkit_for(by, scheme):
        raise ValidationError(_("Only the theme's expert partner or a coordinator makes toolkits."))
    toolkit = Toolkit(scheme=scheme, title=title, **fields)
    toolkit.slug = unique_slug(Toolkit, title, max_length=200, fallback="toolkit")
    toolkit.full_clean()
    toolkit.save()
    return toolkit


def toolkit_update(
    toolkit: Toolkit, *, by: User, expected_version: str | None = None, **fields
) -> Toolkit:
    """Change a toolkit's details, unless they changed since the page of ``expected_version``
    was drawn (``config.stale``)."""
    if not permissions.can_manage_toolkit(by, toolkit):
        raise ValidationError(_("Only the theme's expert partner or a coordinator edits it."))
    with transaction.atomic():
        stale.locked(toolkit, expected_version)
        for name, value in fields.items():
            setattr(toolkit, name, value)
        toolkit.full_clean()
        toolkit.save()
    return toolkit


def practices_version(toolkit: Toolkit) -> str:
    """The version of the toolkit's list of practices, as its page carries it."""
    return stale.rows_version(toolkit.entries.order_by("position", "pk"))


def success_factors_version(toolkit: Toolkit, factors=None) -> str:
    """The version of the toolkit's success factors (``factors``, when the page has them
    already, in their order), as their page carries it."""
    rows = toolkit.success_factors.order_by("position", "pk") if factors is None else factors
    return stale.rows_version(rows)


def _check_list(toolkit: Toolkit, version, expected: str | None) -> None:
    """Lock the toolkit, then refuse a list saved from a page older than its stored version
    (nothing to compare when no page version is given: a script, the demo)."""
    if not expected:
        return
    Toolkit.objects.select_for_update().filter(pk=toolkit.pk).first()
    stale.check_token(version(toolkit), expected)


def toolkit_set_practices(
    toolkit: Toolkit,
    *,
    by: User,
    practices: Iterable[GoodPractice],
    expected_version: str | None = None,
) -> None:
    """Put exactly these practices in the toolkit, in this order; refused (``config.stale``)
    when the list changed since the page of ``expected_version`` was drawn."""
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
        _check_list(toolkit, practices_version, expected_version)
        toolkit.entries.all().delete()
        ToolkitEntry.objects.bulk_create(
            ToolkitEntry(toolkit=toolkit, practice=p, position=i)
            for i, p in enumerate(practices, start=1)
        )
        Toolkit.objects.filter(pk=toolkit.pk).update(updated_at=timezone.now())


def toolkit_set_success_factors(
    toolkit: Toolkit,
    *,
    by: User,
    factors: Iterable[tuple[str, str]],
    expected_version: str | None = None,
) -> None:
    """Replace the key success factors with these (name, description) pairs, in order;
    refused (``config.stale``) when they changed since the page of ``expected_version``."""
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
        _check_list(toolkit, success_factors_version, expected_version)
        toolkit.success_factors.all().delete()
        SuccessFactor.objects.bulk_create(rows)


def edition_publish(
    toolkit: Toolkit,
    *,
    by: User,
    notes: str = "",
    published_on: date | None = None,
    today: date | None = None,
) -> ToolkitEdition:
    """Freeze the toolkit's present content as its next edition, dated today where the person
    who publishes it is (``today``, by default from their time zone), or on ``published_on``
    for an edition that came out earlier (the demo's history, an import of a toolkit published
    elsewhere): never in the future, never before the edition it follows."""
    if not permissions.can_manage_toolkit(by, toolkit):
        raise ValidationError(_("Only the theme's expert partner or a coordinator publishes it."))
    snapshot = toolkit_snapshot(toolkit)
    if not snapshot["practices"]:
        raise ValidationError(_("Add at least one published practice before publishing."))
    today = today or today_for(by)
    if published_on is not None:
        if published_on > today:
            raise ValidationError(
                {"published_on": [_("An edition cannot be dated in the future.")]}
            )
        today = published_on
    latest = toolkit.editions.aggregate(last=Max("published_on"))["last"]
    if latest and today < latest:
        raise ValidationError(
            {"published_on": [_("An edition cannot be dated before the edition it follows.")]}
        )
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
