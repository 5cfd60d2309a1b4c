from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import City

from ..models import (
    CharterCommitment,
    EventKind,
    ExpertOrganisation,
    PairingStatus,
    Programme,
    Scheme,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "slug",
            "description",
            "network",
            "funder",
            "grant_reference",
            "starts_on",
            "ends_on",
            "budget",
            "co_financing_rate",
            "staff_days_allowance",
            "cost_model",
            "indirect_cost_rate",
            "max_hours_per_day",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("The programme must end after it starts."))
        return cleaned


class ExpertOrganisationForm(forms.ModelForm):
    class Meta:
        model = ExpertOrganisation
        fields = ["name", "country", "website"]


class SchemeForm(forms.ModelForm):
    commitments = forms.ModelMultipleChoiceField(
        label=_("Integrating Cities Charter commitments"),
        queryset=CharterCommitment.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Scheme
        fields = ["code", "theme", "description", "facilitator", "mentor_capacity", "commitments"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme

    def validate_unique(self):
        # The (programme, code) constraint needs the programme, which is not a form field.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as error:
            self._update_errors(error)


class EventKindForm(forms.ModelForm):
    """One kind of event of a programme; the rules are checked by ``event_kind_save``."""

    class Meta:
        model = EventKind
        fields = ["name", "code", "scope", "hosted", "host_side", "usual_days"]
        widgets = {"scope": forms.RadioSelect}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["code"].required = False

    def validate_unique(self):
        # The (programme, name) and (programme, code) constraints need the programme.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as error:
            self._update_errors(error)


class ParticipationForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none())

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.exclude(participations__programme=programme)


class PairingForm(forms.Form):
    """Mentor and implementing city in one of the programme's schemes; the service checks rules."""

    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.none())
    mentor = forms.ModelChoiceField(label=_("Mentor city"), queryset=City.objects.none())
    implementing = forms.ModelChoiceField(
        label=_("Implementing city"), queryset=City.objects.none()
    )

    def __init__(self, *args, schemes, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["mentor"].queryset = cities
        self.fields["implementing"].queryset = cities


class PairingCitiesForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor city"), queryset=City.objects.none())
    implementing = forms.ModelChoiceField(
        label=_("Implementing city"), queryset=City.objects.none()
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = cities
        self.fields["implementing"].queryset = cities


class PairingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=PairingStatus.choices)
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the pairing is withdrawn."),
    )

    def __init__(self, *args, allowed: tuple, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]
