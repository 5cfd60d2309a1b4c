"""Tracking an endorsed plan: the status of its actions and the measurements of its indicators."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config import clock

from .. import permissions
from ..models import (
    Action,
    Indicator,
    Measurement,
)
from .editing import _locked

# Tracking once endorsed ------------------------------------------------------------------------


def action_status_set(action: Action, *, by: User, status: str) -> Action:
    """During implementation the city keeps its actions' statuses up to date."""
    with transaction.atomic():
        plan = _locked(action.plan)
        if not (permissions.can_track(by, plan) or permissions.can_edit(by, plan)):
            raise ValidationError(_("Action statuses are kept by the implementing city."))
        action = Action.objects.select_for_update().get(pk=action.pk)
        action.status = status
        action.full_clean(exclude=["plan"])
        action.revision += 1
        action.save(update_fields=["status", "revision"])
    return action


def measurement_add(
    indicator: Indicator,
    *,
    by: User,
    measured_on: date,
    value: Decimal,
    note: str = "",
    today: date | None = None,
) -> Measurement:
    """A measured value of an indicator, dated no later than ``today`` in the implementing city
    (by default from the city's time zone): the measurement is taken there."""
    plan = indicator.plan
    today = today or clock.today(clock.zone_or_default(plan.pairing.implementing.time_zone))
    if not (permissions.can_track(by, plan) or permissions.can_edit(by, plan)):
        raise ValidationError(_("Measurements are recorded by the implementing city."))
    errors: dict[str, list[str]] = {}
    if measured_on and measured_on > today:
        errors["measured_on"] = [_("A measurement cannot be dated in the future.")]
    if Measurement.objects.filter(indicator=indicator, measured_on=measured_on).exists():
        errors.setdefault("measured_on", []).append(
            _("This indicator has a measurement on that day already.")
        )
    measurement = Measurement(
        indicator=indicator, measured_on=measured_on, value=value, note=note, recorded_by=by
    )
    try:
        measurement.full_clean(validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    measurement.save()
    return measurement
