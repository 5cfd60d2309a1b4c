from datetime import UTC, date, datetime, time, timedelta

import django_filters
from auditlog.models import LogEntry
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User

from .registry import followed_models

ACTIONS = [
    (LogEntry.Action.CREATE, pgettext_lazy("kind of change in the audit trail", "Created")),
    (LogEntry.Action.UPDATE, pgettext_lazy("kind of change in the audit trail", "Changed")),
    (LogEntry.Action.DELETE, pgettext_lazy("kind of change in the audit trail", "Deleted")),
]


def kind_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def kind_choices() -> list[tuple[str, str]]:
    return [(kind_key(model), capfirst(model._meta.verbose_name)) for model in followed_models()]


class DateInput(forms.DateInput):
    input_type = "date"


class LogEntryFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The end date cannot come before the start date."))
        return cleaned


class LogEntryFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("What"), choices=kind_choices, method="filter_kind", empty_label=_("Everything")
    )
    action = django_filters.ChoiceFilter(
        label=pgettext_lazy("kind of change in the audit trail", "Change"),
        choices=ACTIONS,
        empty_label=_("Any change"),
    )
    person = django_filters.CharFilter(
        label=_("Person"),
        method="filter_person",
        help_text=_("Part of a name or e-mail address."),
        widget=forms.TextInput(attrs={"type": "search", "size": 18}),
    )
    date_from = django_filters.DateFilter(label=_("From"), method="filter_from", widget=DateInput)
    date_to = django_filters.DateFilter(label=_("To"), method="filter_to", widget=DateInput)
    q = django_filters.CharFilter(
        label=_("Object contains"), field_name="object_repr", lookup_expr="icontains"
    )

    class Meta:
        model = LogEntry
        form = LogEntryFilterForm
        fields = ["kind", "action", "person", "date_from", "date_to", "q"]

    def filter_kind(self, queryset, name, value):
        # The content type comes from Django's cache: no join, and the planner knows the id.
        model = next(m for m in followed_models() if kind_key(m) == value)
        return queryset.filter(content_type=ContentType.objects.get_for_model(model))

    def filter_person(self, queryset, name, value):
        """Changes by the people whose name or e-mail address contains the words typed. The
        people are read first (one query): given their ids rather than a subquery, the planner
        can tell a person's few hundred changes (read through the index on the actor) from the
        changes of "officer", nearly all of them (read newest first, as without the filter)."""
        value = value.strip()
        if not value:
            return queryset
        people = User.objects.filter(Q(full_name__icontains=value) | Q(email__icontains=value))
        return queryset.filter(actor__in=list(people.values_list("pk", flat=True)))

    # The day in the person's time zone, as a range of moments: the index on the time serves.
    def filter_from(self, queryset, name, value):
        start = _start_of(value)
        return queryset if start is None else queryset.filter(timestamp__gte=start)

    def filter_to(self, queryset, name, value):
        end = _start_of(value, days=1)
        return queryset if end is None else queryset.filter(timestamp__lt=end)


def _start_of(day: date, *, days: int = 0) -> datetime | None:
    """The first moment of ``day`` (plus ``days``) in the current time zone, in UTC; None at
    the ends of the calendar, where there is nothing to bound."""
    try:
        moment = datetime.combine(day + timedelta(days=days), time.min)
        return timezone.make_aware(moment).astimezone(UTC)
    except OverflowError:
        return None
