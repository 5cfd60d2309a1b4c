"""Forms of the review pages: signatures on a month, the approval queue, rates.

They check the shape of the input only; every rule (who may sign, a comment when returning, a
share between 0 and 1, a person of the city) lives in reporting.services, whose
ValidationErrors the views put back on these forms.
"""

from datetime import date

from django import forms
from django.db.models import QuerySet
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentoring.models import Programme

from ..models import ExchangeRate, StaffRate

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _person_label(user: User) -> str:
    return f"{user} ({user.email})"


class SignForm(forms.Form):
    """Submit or approve: the signature is the authenticated, logged POST itself."""


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        required=False,  # The service asks for it, with its own message.
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person sees this comment on their timesheet."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        required=False,  # The service asks for it, with its own message.
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the timesheet's history with the figures set aside."),
    )


class MonthField(forms.DateField):
    """A month as YYYY-MM, cleaned to its first day."""

    widget = MONTH_INPUT
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class ApprovalFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All programmes"),
    )
    month = MonthField(label=_("Month"), required=False, help_text=_("For example 2017-03."))
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=None, required=False, empty_label=_("Everyone")
    )

    def __init__(self, *args, programmes: QuerySet, people: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _person_label

    def narrow(self, queue: QuerySet) -> QuerySet:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("programme"):
            queue = queue.filter(programme=data["programme"])
        if data.get("month"):
            queue = queue.filter(month=data["month"])
        if data.get("person"):
            queue = queue.filter(person=data["person"])
        return queue


class ApproveSelectedForm(forms.Form):
    months = forms.ModelMultipleChoiceField(
        label=_("Timesheets to approve"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one timesheet to approve."),
            "invalid_choice": _("One of the ticked timesheets is no longer available."),
            "invalid_pk_value": _("One of the ticked timesheets is no longer available."),
        },
    )

    def __init__(self, *args, months: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].queryset = months


class RateFilterForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("City"), queryset=None, required=False, empty_label=_("All cities")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, cities: QuerySet, programmes: tuple[Programme, ...] = (), **kwargs):
        """``programmes``: the person's programmes; with several, the rates of one of them (the
        rates of the cities taking part in it) or of all may be chosen, at no query."""
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self._programmes = {p.slug: p for p in programmes}
        if len(programmes) > 1:
            self.fields = {
                "programme": forms.ChoiceField(
                    label=_("Programme"),
                    required=False,
                    choices=[("", _("All programmes")), *((p.slug, p.name) for p in programmes)],
                ),
                **self.fields,
            }

    def programme(self) -> Programme | None:
        """The programme chosen, or None for all of them."""
        if not (self.is_bound and self.is_valid()):
            return None
        return self._programmes.get(self.cleaned_data.get("programme") or "")

    def narrow(self, rates: QuerySet) -> QuerySet:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if programme := self.programme():
            rates = rates.filter(city__participations__programme=programme)
        if data.get("city"):
            rates = rates.filter(city=data["city"])
        if data.get("year"):
            rates = rates.filter(year=data["year"])
        return rates


class CitySearchForm(forms.Form):
    """The dashboard's search for a city by name: a text field, so that it works without
    JavaScript and never lists hundreds of cities."""

    q = forms.CharField(
        label=_("City"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("A part of its name."),
    )

    def text(self) -> str:
        """The text searched for; nothing while the field is empty or invalid."""
        return self.cleaned_data["q"] if self.is_bound and self.is_valid() else ""


class StaffRateForm(forms.Form):
    """A person's annual costs for a year. On an existing rate only the figures change: the
    person, city and year name the rate."""

    city = forms.ModelChoiceField(label=_("City"), queryset=None)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        help_text=_("An officer or supervisor of the city."),
    )

    def __init__(
        self,
        *args,
        cities: QuerySet,
        people: QuerySet,
        rate: StaffRate | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                StaffRate,
                fields=["year", "annual_costs", "currency", "working_time_share"],
                widgets={
                    "annual_costs": forms.NumberInput(attrs={"step": "0.01"}),
                    "working_time_share": forms.NumberInput(attrs={"step": "0.01"}),
                },
            )
        )
        self.fields["city"].queryset = cities
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _person_label
        if rate is not None:
            # The rate's own person and city, even if they no longer work together: the
            # service then says so on the person field.
            self.fields["city"].queryset = cities.model.objects.filter(pk=rate.city_id)
            self.fields["person"].queryset = User.objects.filter(pk=rate.person_id)
            for name in ("city", "person", "year"):
                self.fields[name].disabled = True
            self.initial.update(
                city=rate.city_id,
                person=rate.person_id,
                year=rate.year,
                annual_costs=rate.annual_costs,
                currency=rate.currency,
                working_time_share=rate.working_time_share,
            )


class ExchangeRateForm(forms.ModelForm):
    """One of the programme's monthly exchange rates; the service checks the rules."""

    month = MonthField(label=_("Month"), help_text=_("E.g. 2017-03."))

    class Meta:
        model = ExchangeRate
        fields = ["currency", "month", "rate", "source"]
        widgets = {"rate": forms.NumberInput(attrs={"step": "any"})}

    def __init__(self, *args, programme_currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rate"].help_text = _(
            "%(currency)s for one unit of the chosen currency, at full precision."
        ) % {"currency": programme_currency}

    def validate_unique(self):
        # The (programme, currency, month) rule needs the programme: the service says it.
        pass
