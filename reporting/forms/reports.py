"""The form that asks for a staff-cost report. It checks the shape of the input and says on each
field what is wrong; reporting.services.report_request holds the same rules."""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import scopes_of
from cities.models import City
from mentoring.models import Participation, Programme

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
        if not self.is_bound:
            first = programmes.first()
            if first is not None:
                self.fields["first_month"].initial = first.starts_on.replace(day=1)
                self.fields["last_month"].initial = first.ends_on.replace(day=1)

    def clean(self):
        cleaned = super().clean()
        programme: Programme | None = cleaned.get("programme")
        if programme is None:
            return cleaned
        city: City | None = cleaned.get("city")
        first_month = cleaned.get("first_month")
        last_month = cleaned.get("last_month")
        starts, ends = programme.starts_on.replace(day=1), programme.ends_on.replace(day=1)
        if "first_month" not in self.errors and first_month is None:
            first_month = cleaned["first_month"] = starts
        if "last_month" not in self.errors and last_month is None:
            last_month = cleaned["last_month"] = ends
        period = {
            "programme": programme,
            "start": date_format(starts, "YEAR_MONTH_FORMAT"),
            "end": date_format(ends, "YEAR_MONTH_FORMAT"),
        }
        outside = _("%(programme)s runs from %(start)s to %(end)s.")
        if first_month and not starts <= first_month <= ends:
            self.add_error("first_month", outside % period)
        if last_month and not starts <= last_month <= ends:
            self.add_error("last_month", outside % period)
        if first_month and last_month and last_month < first_month:
            self.add_error("last_month", _("The period must end after it starts."))
        if "city" in self.errors:
            return cleaned
        if (
            city is not None
            and not Participation.objects.filter(programme=programme, city=city).exists()
        ):
            self.add_error(
                "city",
                _("%(city)s does not take part in %(programme)s.")
                % {"city": city, "programme": programme},
            )
        elif programme.pk not in self.coordinated:
            if city is None:
                self.add_error(
                    "city",
                    _("Only coordinators ask for every city; choose a city you supervise."),
                )
            elif city.pk not in self.supervised:
                self.add_error("city", _("You may ask for the cities you supervise only."))
        return cleaned
