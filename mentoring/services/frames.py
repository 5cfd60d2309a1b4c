"""Writes for a programme's frame: its commitment framework (from a preset or made by hand),
the framework's commitments and the cities that signed it.

Presets are data: one JSON file per framework in ``mentoring/presets/`` (name, description,
website, groups of numbered commitments); adding one to the portal makes ordinary rows that
coordinators then edit like any other framework."""

import json
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from cities.models import City

from ..models import (
    Commitment,
    CommitmentFramework,
    CommitmentGroup,
    FrameworkSignature,
    Programme,
)
from ..permissions import can_edit_frame, can_edit_framework

PRESETS_DIR = Path(__file__).resolve().parent.parent / "presets"


@cache
def presets() -> dict[str, dict]:
    """Every preset by its key (the file name without ``.json``)."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(PRESETS_DIR.glob("*.json"))
    }


def check_commitments(
    programme: Programme, commitments: Iterable[Commitment], *, field: str = "commitments"
) -> None:
    """Refuse commitments that are not of the programme's framework, with a message on
    ``field``."""
    wrong = [c for c in commitments if c.framework_id != programme.framework_id]
    if not wrong:
        return
    if programme.framework_id is None:
        message = _("%(programme)s has no commitment framework; name no commitments.") % {
            "programme": programme
        }
    else:
        message = _("Only commitments of %(framework)s may be chosen, not: %(wrong)s.") % {
            "framework": programme.framework,
            "wrong": ", ".join(str(c) for c in wrong),
        }
    raise ValidationError({field: [message]})


def _refuse(allowed: tuple[bool, str]) -> None:
    ok, reason = allowed
    if not ok:
        raise ValidationError(reason)


def programme_framework_set(
    *, programme: Programme, framework: CommitmentFramework | None, by: User
) -> Programme:
    """Give the programme another framework (or none). The schemes' commitments of the former
    framework are taken off them: a scheme serves commitments of its programme's framework
    only."""
    _refuse(can_edit_frame(by, programme))
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.framework_id == (framework.pk if framework else None):
            return programme
        Commitment.schemes.through.objects.filter(scheme__programme=programme).exclude(
            commitment__framework=framework
        ).delete()
        programme.framework = framework
        programme.save(update_fields=["framework"])
    return programme


def framework_from_preset(*, key: str, programme: Programme, by: User) -> CommitmentFramework:
    """Add a preset framework to the portal (or find the one added before) and make it the
    programme's framework."""
    _refuse(can_edit_frame(by, programme))
    with transaction.atomic():
        framework = preset_framework(key)
        programme_framework_set(programme=programme, framework=framework, by=by)
    return framework


def preset_framework(key: str) -> CommitmentFramework:
    """The framework of a preset, added to the portal the first time it is asked for."""
    preset = presets().get(key)
    if preset is None:
        raise ValidationError(_("There is no such preset."))
    with transaction.atomic():
        framework = (
            CommitmentFramework.objects.filter(preset=key).first()
            or CommitmentFramework.objects.filter(name=preset["name"]).first()
        )
        if framework is None:
            framework = CommitmentFramework.objects.create(
                name=preset["name"],
                description=preset.get("description", ""),
                website=preset.get("website", ""),
                preset=key,
            )
            for position, spec in enumerate(preset["groups"]):
                group = None
                if spec.get("name"):
                    group = CommitmentGroup.objects.create(
                        framework=framework, name=spec["name"], position=position
                    )
                Commitment.objects.bulk_create(
                    Commitment(framework=framework, number=number, title=title, group=group)
                    for number, title in spec["commitments"]
                )
    return framework


def framework_create(
    *, framework: CommitmentFramework, programme: Programme, by: User
) -> CommitmentFramework:
    """A framework made by hand, at once the programme's framework; commitments follow."""
    _refuse(can_edit_frame(by, programme))
    framework.full_clean()
    with transaction.atomic():
        framework.save()
        programme_framework_set(programme=programme, framework=framework, by=by)
    return framework


def commitment_save(*, commitment: Commitment, group_name: str = "", by: User) -> Commitment:
    """Create or change a commitment of a framework; ``group_name`` files it under a group of
    that name (made if new), an empty one under none."""
    _refuse(can_edit_framework(by, commitment.framework))
    with transaction.atomic():
        group_name = group_name.strip()
        if group_name:
            commitment.group, _created = CommitmentGroup.objects.get_or_create(
                framework=commitment.framework,
                name=group_name,
                defaults={"position": commitment.framework.groups.count()},
            )
        else:
            commitment.group = None
        commitment.full_clean()
        commitment.save()
    return commitment


def commitment_delete(*, commitment: Commitment, by: User) -> None:
    """Remove a commitment: schemes, practices and actions that named it no longer do."""
    _refuse(can_edit_framework(by, commitment.framework))
    with transaction.atomic():
        group = commitment.group
        commitment.delete()
        if group is not None and not group.commitments.exists():
            group.delete()


def city_signatures_set(
    *, city: City, signatures: dict[CommitmentFramework, tuple[bool, date | None]]
) -> None:
    """Record which of the given frameworks the city has signed, and when (if known); a
    framework marked unsigned loses the city's signature."""
    with transaction.atomic():
        for framework, (signed, signed_on) in signatures.items():
            if signed:
                FrameworkSignature.objects.update_or_create(
                    framework=framework, city=city, defaults={"signed_on": signed_on}
                )
            else:
                FrameworkSignature.objects.filter(framework=framework, city=city).delete()
