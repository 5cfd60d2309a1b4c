"""Forms of the events pages. They check the shape of the input; the rules live in
mentoring.services.events, whose ValidationErrors the views put back on these forms."""

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from cities.models import City

from ..models import (
    PAIRING_EVENT_KINDS,
    PROGRAMME_EVENT_KINDS,
    Attendance,
    Event,
    EventKind,
    EventStatus,
    ExpertOrganisation,
    Pairing,
    Programme,
    Scheme,
)
from ..services.events import EDITABLE_FIELDS, RecommendationInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.Form):
    """What an event is: its kind, title, host, dates, place and agenda.

    A plain form rather than a ModelForm, so that the model's constraints are checked once, by
    the service, with a message next to the field concerned.
    """

    def __init__(self, *args, programme: Programme, pairing: Pairing | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Event,
                fields=EDITABLE_FIELDS,
                widgets={
                    "starts_on": DATE_INPUT,
                    "ends_on": DATE_INPUT,
                    "agenda": forms.Textarea(attrs={"rows": 6}),
                },
            )
        )
        excluded = PROGRAMME_EVENT_KINDS if pairing else PAIRING_EVENT_KINDS
        self.fields["kind"].choices = [
            (value, label) for value, label in EventKind.choices if value not in excluded
        ]
        if pairing is not None:
            hosts = City.objects.filter(pk__in=[pairing.mentor_id, pairing.implementing_id])
        else:
            hosts = City.objects.filter(participations__programme=programme)
        self.fields["host_city"].queryset = hosts
        self.fields["venue"].help_text = _("Where people meet, e.g. a city hall and its address.")
        self.fields["online_url"].help_text = _("For webinars and online sessions.")

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        return model_to_dict(event, fields=EDITABLE_FIELDS)


class EventStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    cancellation_reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you cancel the event."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the moves open from the current status; the service holds the same rule.
        self.fields["status"].choices = [
            (value, label) for value, label in EventStatus.choices if value in event.next_statuses
        ]


class AttendanceForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        required=False,
        help_text=_("Someone with a Tandem account. Leave empty to name a guest instead."),
    )
    guest_name = forms.CharField(label=_("Guest's name"), max_length=150, required=False)
    city = forms.ModelChoiceField(label=_("For city"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(
        label=_("For expert organisation"),
        queryset=ExpertOrganisation.objects.all(),
        required=False,
    )
    organisation_name = forms.CharField(
        label=_("For another organisation"), max_length=200, required=False
    )
    days = forms.DecimalField(
        label=_("Days attended"),
        max_digits=4,
        decimal_places=1,
        help_text=Attendance._meta.get_field("days").help_text,
    )

    def __init__(self, *args, people: QuerySet, cities: QuerySet, for_anyone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda user: f"{user} ({user.email})"
        self.fields["city"].queryset = cities
        if not for_anyone:
            # Officers record their own city's people only.
            del self.fields["organisation"]
            del self.fields["organisation_name"]
            self.fields["city"].required = True


class ReportForm(forms.Form):
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("What the event showed: strengths, gaps, what the hosts and guests learnt."),
    )


class RecommendationForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.initial.get("position")
        self.fields["text"].label = (
            _("Recommendation R%(number)s") % {"number": position}
            if position
            else _("New recommendation")
        )

    def clean(self):
        cleaned = super().clean()
        removing = cleaned.get("DELETE", False)
        if cleaned.get("id") is not None and not removing and not cleaned.get("text", "").strip():
            self.add_error(
                "text", _("Write the recommendation, or tick “Remove this recommendation”.")
            )
        return cleaned

    def as_input(self) -> RecommendationInput | None:
        """The row as the service takes it, or None for a new row left blank."""
        data = self.cleaned_data
        if not data or (data.get("id") is None and not data.get("text")):
            return None
        return RecommendationInput(
            text=data.get("text", ""), pk=data.get("id"), delete=data.get("DELETE", False)
        )


class BaseRecommendationFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this recommendation")
        # Blank new rows are skipped; an existing row left blank is caught in clean().
        form.fields["text"].required = False

    def inputs(self) -> list[RecommendationInput]:
        return [item for form in self.forms if (item := form.as_input()) is not None]


RecommendationFormSet = forms.formset_factory(
    RecommendationForm,
    formset=BaseRecommendationFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=False,
    # A report numbers a few dozen recommendations at most. The caps keep a tampered
    # TOTAL_FORMS cheap: past absolute_max the formset builds no more forms and answers with an
    # error.
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class EventFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All programmes"),
    )
    pairing = forms.ModelChoiceField(
        label=_("Pairing"), queryset=None, required=False, empty_label=_("All pairings")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *EventStatus.choices], required=False
    )
    scheme = forms.ModelChoiceField(
        label=_("Scheme"), queryset=None, required=False, empty_label=_("All schemes")
    )
    city = forms.ModelChoiceField(
        label=_("City"), queryset=None, required=False, empty_label=_("Any city")
    )
    starts_from = forms.DateField(
        label=_("Starting from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_until = forms.DateField(
        label=_("Starting until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Date, earliest first")),
            ("-starts_on", _("Date, latest first")),
            ("kind", _("Kind")),
            ("status", _("Status")),
            ("title", _("Title")),
        ],
    )
    concerning = forms.BooleanField(label=_("Only events that concern me"), required=False)

    def __init__(self, *args, programmes: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["scheme"].queryset = Scheme.objects.filter(programme__in=programmes)
        self.fields["city"].queryset = City.objects.filter(
            participations__programme__in=programmes
        ).distinct()
        self.fields["pairing"].queryset = Pairing.objects.filter(
            scheme__programme__in=programmes
        ).select_related("scheme", "mentor", "implementing")

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("starts_from"), cleaned.get("starts_until")
        if start and until and until < start:
            self.add_error("starts_until", _("The end of the range is before its start."))
        return cleaned

    def narrow(self, events: QuerySet) -> QuerySet:
        """Apply the filters that events_for does not take, and the sort order."""
        data = self.cleaned_data
        if data.get("scheme"):
            events = events.filter(pairing__scheme=data["scheme"])
        if city := data.get("city"):
            events = events.filter(
                Q(host_city=city) | Q(pairing__mentor=city) | Q(pairing__implementing=city)
            )
        if data.get("starts_from"):
            events = events.filter(starts_on__gte=data["starts_from"])
        if data.get("starts_until"):
            events = events.filter(starts_on__lte=data["starts_until"])
        if data.get("ordering"):
            events = events.order_by(data["ordering"], "starts_on", "pk")
        return events
