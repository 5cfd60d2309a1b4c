"""Writes for a programme's list of target groups, edited by its coordinators."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from mentoring.permissions import can_edit_frame

from ..models import TargetGroup


def _refuse(by: User, group: TargetGroup) -> None:
    allowed, reason = can_edit_frame(by, group.programme)
    if not allowed:
        raise ValidationError(reason)


def target_group_save(*, group: TargetGroup, by: User) -> TargetGroup:
    """Add a target group at the end of its programme's list, or rename one (the practices
    that name it keep it)."""
    _refuse(by, group)
    with transaction.atomic():
        if group.pk is None:
            last = TargetGroup.objects.filter(programme=group.programme).aggregate(
                last=Max("position")
            )["last"]
            group.position = 0 if last is None else last + 1
        group.full_clean()
        group.save()
    return group


def target_group_delete(*, group: TargetGroup, by: User) -> None:
    """Take a group off the list; practices that named it no longer do."""
    _refuse(by, group)
    group.delete()
