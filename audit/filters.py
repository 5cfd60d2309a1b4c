import django_filters
from auditlog.models import LogEntry
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    actor = django_filters.ModelChoiceFilter(
        label=_("Person"), queryset=None, empty_label=_("Anyone")
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="timestamp", lookup_expr="date__gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="timestamp", lookup_expr="date__lte", widget=DateInput
    )
    q = django_filters.CharFilter(
        label=_("Object contains"), field_name="object_repr", lookup_expr="icontains"
    )

    class Meta:
        model = LogEntry
        form = LogEntryFilterForm
        fields = ["kind", "action", "actor", "date_from", "date_to", "q"]

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["actor"].queryset = actors

    def filter_kind(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
