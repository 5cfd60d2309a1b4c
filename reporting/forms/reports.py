"""The form that asks for a staff-cost report. It checks the shape of the input; the rules are
reporting.services.report_request's, whose messages it shows on each field."""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import scopes_of
from cities.models import City
from mentoring.models import Programme
from mentoring.selectors import current_programme

from .. import services

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{1,2})")


def reportable_programmes(user: User) -> QuerySet:
    """Programmes the person coordinates, or in which a city they supervise takes part."""
    scopes = scopes_of(user)
    return (
        Programme.objects.filter(
            Q(pk__in=scopes.coordinated)
            | Q(participations__city__in=scopes.city_ids(Role.SUPERVISOR))
        )
        .distinct()
        .order_by("-starts_on", "name")
    )


def reportable_cities(user: User) -> QuerySet:
    scopes = scopes_of(user)
    return (
        City.objects.filter(
            Q(participations__programme__in=scopes.coordinated)
            | Q(pk__in=scopes.city_ids(Role.SUPERVISOR))
        )
        .distinct()
        .order_by("name")
    )


class MonthInput(forms.TextInput):
    """<input type="month">; browsers without it show a text box that takes 2017-01 too."""

    input_type = "month"

    def format_value(self, value):
        if isinstance(value, date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.Field):
    """A month as YYYY-MM, cleaned to its first day."""

    widget = MonthInput
    default_error_messages = {
        "invalid": _("Enter a month as year and month, e.g. 2017-01."),
    }

    def to_python(self, value) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value.replace(day=1)
        match = MONTH_PATTERN.fullmatch(str(value).strip())
        if match is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return date(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ReportRequestForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None, empty_label=None)
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=None,
        required=False,
        empty_label=_("All cities of the programme"),
    )
    first_month = MonthField(
        label=_("From month"),
        required=False,
        help_text=_("Year and month, e.g. 2017-01. Empty: the programme's first month."),
    )
    last_month = MonthField(
        label=_("To month"),
        required=False,
        help_text=_("Empty: the programme's last month."),
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.coordinated = scopes_of(user).coordinated
        self.supervised = scopes_of(user).city_ids(Role.SUPERVISOR)
        programmes = reportable_programmes(user)
        current = current_programme(user)
        if current is not None and programmes.filter(pk=current.pk).exists():
            # The programme the person works in (switched in the header): its months only, so
            # the form never offers months of another programme that it would then refuse.
            programmes = programmes.filter(pk=current.pk)
            self.fields["programme"].help_text = _(
                "The programme you work in. To report on another, switch programme at the top "
                "of the page."
            )
        self.fields["programme"].queryset = programmes
        self.fields["city"].queryset = reportable_cities(user)
        if not self.coordinated:
            # Supervisors report on their own city only.
            self.fields["city"].required = True
            self.fields["city"].empty_label = None
            self.fields["city"].help_text = _("You may ask for the cities you supervise.")
        else:
            self.fields["city"].help_text = _(
                "Leave empty for every city of the programme. Supervisors of a city may ask "
                "for their city only."
            )
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language in dict(settings.LANGUAGES):
            self.fields["language"].initial = language
        offered = list(programmes[:2])
        if len(offered) == 1:
            # One programme: its months are pre-filled, and the browser's month picker offers
            # its months only. With several, the months stay empty (the chosen programme's
            # whole period): months pre-filled for one would be refused for the other.
            only = offered[0]
            if not self.is_bound:
                self.fields["first_month"].initial = only.starts_on.replace(day=1)
                self.fields["last_month"].initial = only.ends_on.replace(day=1)
            for name in ("first_month", "last_month"):
                self.fields[name].widget.attrs.update(
                    min=f"{only.starts_on:%Y-%m}", max=f"{only.ends_on:%Y-%m}"
                )

    def clean(self):
        """The months default to the programme's; the rules are the service's
        (report_request_errors), shown on the fields that could be read."""
        cleaned = super().clean()
        programme: Programme | None = cleaned.get("programme")
        if programme is None:
            return cleaned
        first_month, last_month = services.report_period(
            programme, cleaned.get("first_month"), cleaned.get("last_month")
        )
        if "first_month" not in self.errors:
            cleaned["first_month"] = first_month
        if "last_month" not in self.errors:
            cleaned["last_month"] = last_month
        errors = services.report_request_errors(
            programme=programme,
            city=cleaned.get("city"),
            first_month=cleaned.get("first_month"),
            last_month=cleaned.get("last_month"),
            by=self.user,
        )
        for field, messages in errors.items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned


class StaffTimePeriodForm(forms.Form):
    """The months the read API's staff-time totals add up (each programme's own period when
    left empty), as a report's request names them."""

    first_month = MonthField(
        label=_("From month"),
        required=False,
        help_text=_("Year and month, e.g. 2017-01. Empty: the programme's first month."),
    )
    last_month = MonthField(
        label=_("To month"),
        required=False,
        help_text=_("Empty: the programme's last month."),
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("The last month comes before the first."))
        return data
