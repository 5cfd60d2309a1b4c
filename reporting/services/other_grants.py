"""Hours a person works in other EU-funded projects (other grants), declared per year: with the
hours they sign in Tandem they may not exceed the person's productive hours
(months.month_submit holds that cap)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config import stale

from .. import permissions
from ..models import OtherGrantHours


def lock_person(person_id: int) -> None:
    """Hold the person's row until the transaction ends: their signatures and their declared
    hours in other grants wait for each other, so that two of them cannot each pass the cap on
    figures the other is changing."""
    list(User.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True))


def _allowed(by: User, person: User) -> None:
    allowed, reason = permissions.can_declare_other_grants(by, person)
    if not allowed:
        raise ValidationError(reason)


@transaction.atomic
def other_grant_hours_save(
    *, row: OtherGrantHours, by: User, expected_version: str | None = None
) -> OtherGrantHours:
    """Declare (``row`` unsaved) or change a person's hours in another grant for a year.
    ``row`` carries the values to store, ``row.person`` whose they are. ``expected_version``:
    the row as the edit page showed it; one changed since is refused (``config.stale``)."""
    lock_person(row.person_id)
    if row.pk is not None:
        stored = stale.locked(row, expected_version)
        if stored.person_id != row.person_id:
            raise ValidationError(_("The hours in another grant stay with their person."))
    _allowed(by, row.person)
    row.project = row.project.strip()
    duplicate = OtherGrantHours.objects.filter(
        person=row.person_id, year=row.year, project=row.project
    )
    if row.pk is not None:
        duplicate = duplicate.exclude(pk=row.pk)
    if row.project and row.year is not None and duplicate.exists():
        raise ValidationError(
            {
                "project": [
                    _("%(project)s already has hours declared for %(year)s; change those instead.")
                    % {"project": row.project, "year": row.year}
                ]
            }
        )
    row.updated_by = by
    # The database holds the constraints too; the fields' validators say what is wrong first.
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    return row


@transaction.atomic
def other_grant_hours_delete(*, row: OtherGrantHours, by: User) -> None:
    """Remove declared hours in another grant (e.g. entered by mistake)."""
    lock_person(row.person_id)
    stored = OtherGrantHours.objects.select_for_update().select_related("person").get(pk=row.pk)
    _allowed(by, stored.person)
    stored.delete()
