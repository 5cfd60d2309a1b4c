from django import forms
from django.utils.translation import gettext_lazy as _

from cities.forms import CityChoiceField
from cities.models import City
from config.slugs import SlugFromNameForm

from ..models import (
    Commitment,
    EventKind,
    ExpertOrganisation,
    PairingStatus,
    Programme,
    Scheme,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(SlugFromNameForm, forms.ModelForm):
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
            "currency",
            "budget",
            "co_financing_rate",
            "staff_days_allowance",
            "cost_model",
            "hours_per_day",
            "productive_hours_per_year",
            "working_days_per_year",
            "indirect_cost_rate",
            "max_hours_per_day",
            "remind_unsigned_day",
            "remind_approval_after_days",
            "report_due_days",
            "reminder_days_before",
            "open_data_licence",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    # Money and cost-model fields a form may leave out (a script or a page from before they
    # existed): left out, they keep the programme's value or default; sent empty, they are
    # required like any other.
    KEEP_WHEN_OMITTED = (
        "currency",
        "hours_per_day",
        "productive_hours_per_year",
        "working_days_per_year",
        "remind_unsigned_day",
        "remind_approval_after_days",
        "report_due_days",
        "reminder_days_before",
        "open_data_licence",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            for name in self.KEEP_WHEN_OMITTED:
                field = self.fields[name]
                if field.widget.value_omitted_from_data(self.data, self.files, name):
                    field.required = False

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
    """A scheme of a programme; it offers the commitments of the programme's framework only,
    and no commitment field at all when the programme has no framework."""

    commitments = forms.ModelMultipleChoiceField(
        label=_("Commitments"),
        queryset=Commitment.objects.none(),
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
        framework = programme.framework
        if framework is None:
            del self.fields["commitments"]
        else:
            field = self.fields["commitments"]
            field.queryset = framework.commitments.select_related("group")
            field.label = _("Commitments of %(framework)s") % {"framework": framework}

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
    """A city that does not take part yet: a select of them while there are few, else typed by
    name with suggestions from ``suggest_url`` (``CityChoiceField``)."""

    city = CityChoiceField(
        label=_("City"),
        error_messages={
            "unknown": _("No city that could join this programme is called “%(text)s”."),
            "ambiguous": _(
                "Several cities that could join this programme are called “%(text)s”: "
                "%(labels)s. Type the one you mean as written here."
            ),
            "number": _("No city that could join this programme has the number %(number)s."),
        },
    )

    def __init__(self, *args, programme: Programme, suggest_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].limit_to(
            City.objects.exclude(participations__programme=programme), suggest_url=suggest_url
        )


class PairingForm(forms.Form):
    """Mentor and implementing city in one of the programme's schemes; the service checks rules.
    The cities are the programme's: typed by name in a large programme (``CityChoiceField``)."""

    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.none())
    mentor = CityChoiceField(label=_("Mentor city"))
    implementing = CityChoiceField(label=_("Implementing city"))

    def __init__(self, *args, schemes, cities, suggest_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["scheme"].label_from_instance = scheme_label
        self.fields["mentor"].limit_to(cities, suggest_url=suggest_url)
        self.fields["implementing"].limit_to(cities, suggest_url=suggest_url)


def scheme_label(scheme: Scheme) -> str:
    """A scheme named with its programme: "CITIES-GROW — A: Matching buyers and suppliers"."""
    return _("%(programme)s — %(code)s: %(theme)s") % {
        "programme": scheme.programme.name,
        "code": scheme.code,
        "theme": scheme.theme,
    }


class PairingCitiesForm(forms.Form):
    mentor = CityChoiceField(label=_("Mentor city"))
    implementing = CityChoiceField(label=_("Implementing city"))

    def __init__(self, *args, cities, suggest_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].limit_to(cities, suggest_url=suggest_url)
        self.fields["implementing"].limit_to(cities, suggest_url=suggest_url)


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


class ProgrammeChoiceForm(forms.Form):
    """Which of the person's programmes a list without its own filter shows: one of them or
    all. The choices are the programmes already in the person's context, so choosing costs no
    query; the view fills the default (``scoping.filters_for_current_programme``)."""

    programme = forms.ChoiceField(label=_("Programme"), required=False)

    def __init__(self, *args, programmes: tuple[Programme, ...], **kwargs):
        # Its own ids: the page may hold another form with a "programme" field (the report
        # request form on the reports list), and two fields may not share an id.
        kwargs.setdefault("auto_id", "id_list_%s")
        super().__init__(*args, **kwargs)
        self._programmes = {p.slug: p for p in programmes}
        self.fields["programme"].choices = [
            ("", _("All programmes")),
            *((p.slug, p.name) for p in programmes),
        ]

    def chosen(self) -> Programme | None:
        """The programme chosen, or None for all of them (or when the choice is invalid)."""
        if not self.is_valid():
            return None
        return self._programmes.get(self.cleaned_data["programme"])
